//! The controllers between the plain domain types and the views. Each is a `Copy` handle that owns
//! the signals, the requests and the timers of one part; views read from it and call its actions,
//! and never call `spawn_local`, `web_sys` or storage themselves.
//!
//! - [`ArticleHandle`] ([`use_article`]): the article part's load;
//! - [`ThreadHandle`] ([`use_thread`]): a comment thread around a [`crate::thread::ThreadStore`];
//! - [`ComposerHandle`] ([`use_composer`]): one comment form and its draft;
//! - [`ReactionsHandle`] ([`use_reactions`]): one reaction bar;
//! - [`Clock`]: the shared clock of relative times.

mod article;
mod clock;
mod composer;
mod reactions;
mod thread;

pub use article::{client_for, use_article, use_prerendered_article, ArticleHandle};
pub use clock::Clock;
pub use composer::{chars_left, use_composer, ComposerHandle, FormError, COUNTER_FROM};
pub use reactions::{use_reactions, ReactionsHandle};
pub use thread::{use_thread, Row, ThreadHandle, ThreadSlot, MAX_COOLDOWN_SECONDS};

/// What an asynchronous load has produced so far.
#[derive(Clone, Debug, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(T),
    /// The sentence to show, e.g. "Could not load comments: the server answered 502".
    Failed(String),
}
