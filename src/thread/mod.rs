//! The comment thread as plain types, tested without a browser:
//!
//! - [`ThreadStore`] (`store.rs`): the comments loaded so far, normalized (each comment once, by id,
//!   with its parent's list of child ids), the loads and their generations, and which parts changed
//!   since the views last looked;
//! - [`Posts`] (`post.rs`): this reader's posts on their way, one state machine per
//!   `Idempotency-Key`: sending → confirmed | failed | withdrawn, retried by key with the exact
//!   comment first sent;
//! - [`OwnWords`] (`own.rs`): editing and deleting one's own comments while the server's grant
//!   lasts, and reporting any comment.
//!
//! [`crate::state::ThreadHandle`] runs the requests and timers around them and tells the views what
//! changed; the views in [`crate::components`] only render.

mod own;
mod post;
mod store;

pub use own::{Edit, Grant, OwnWords, Panel, ReportForm, ReportInvalid};
pub use post::{PendingPost, PostFailure, PostRequest, PostStatus, Posts};
pub use store::{Generation, Phase, ThreadStore, Touched};
