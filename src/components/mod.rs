//! The Leptos components. They only render: state, requests and timers belong to the controllers in
//! [`crate::state`], which call the API only through [`crate::api::ApiClient`].

mod article_view;
mod article_widget;
mod build;
mod built;
mod comment_card;
mod comment_thread;
mod comment_view;
mod composer;
mod dom;
mod kept;
mod markdown_view;
mod own_words;
mod reaction_bar;
mod rows;
mod status;

pub use crate::state::Load;
pub use article_view::ArticleView;
pub use article_widget::ArticleWidget;
pub use comment_thread::CommentThread;
pub use comment_view::{CommentList, CommentView, RelativeTime, MAX_INDENT};
pub use composer::Composer;
pub use markdown_view::{markdown_dom, Markdown};
pub(crate) use reaction_bar::reaction_name;
pub use reaction_bar::ReactionBar;
pub use status::{unique_id, use_strings, DateTime, ErrorNotice, Placeholder};
