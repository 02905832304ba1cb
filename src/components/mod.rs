//! The Leptos components. Each renders plain state types from the rest of the crate and calls the API
//! only through [`crate::api::ApiClient`].

mod article_view;
mod article_widget;
mod comment_thread;
mod composer;
mod markdown_view;
mod reaction_bar;
mod status;

pub use article_view::ArticleView;
pub use article_widget::{client_for, ArticleWidget};
pub use comment_thread::{CommentThread, CommentView, RelativeTime, ThreadContext, DEFAULT_POLL_SECONDS, MAX_INDENT};
pub use composer::{validate, Composer, FieldError, PostEvent, COUNTER_FROM, MAX_BODY_CHARS, MAX_NAME_CHARS};
pub use markdown_view::Markdown;
pub use reaction_bar::ReactionBar;
pub use status::{unique_id, use_strings, DateTime, ErrorNotice, Load, Placeholder};
