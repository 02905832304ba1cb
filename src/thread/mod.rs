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

use crate::api::Comment;

/// Calls `f` with each of `comments` and their replies, in thread order (with a stack, not
/// recursion: a tree built by hand can be as deep as it likes).
///
/// ## Usage
/// ```
/// use article_widget::{api::CommentPage, thread::each_comment};
/// let page: CommentPage = article_widget::api::json::from_str(r#"{"comments":[],"next_cursor":null,"total":0}"#).unwrap();
/// let mut ids = Vec::new();
/// each_comment(&page.comments, |c| ids.push(c.id.clone()));
/// ```
pub fn each_comment(comments: &[Comment], mut f: impl FnMut(&Comment)) {
    let mut stack = vec![comments.iter()];
    while let Some(level) = stack.last_mut() {
        match level.next() {
            Some(c) => {
                f(c);
                stack.push(c.replies.iter());
            }
            None => {
                stack.pop();
            }
        }
    }
}
