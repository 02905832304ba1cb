//! This reader's posts on their way: one small state machine per `Idempotency-Key`.
//!
//! ```text
//!            post(key, comment)             answered Ok
//!   (none) ───────────────────▶ Sending ─────────────────▶ confirmed (leaves; the store shows the comment)
//!                                 │  ▲
//!              answered Err       │  │ retry(key): the same comment, the same key
//!           (transient, 429)      ▼  │
//!                                Failed ───── withdraw(key) / refused by the server ──▶ withdrawn (leaves)
//! ```
//!
//! The rules that make retries safe:
//! - one attempt at a time per key: a post that is `Sending` is never sent again until it is answered;
//! - a retry sends the comment exactly as first sent (name included), so the server can recognise it by
//!   its key and answer with the stored comment instead of storing it twice;
//! - a confirmation is accepted even for a post that was withdrawn meanwhile: the server stored it, so
//!   it is shown, never reported "Not sent".

use crate::api::{CommentId, IdempotencyKey, NewComment};

/// A post of this reader's that the server has not confirmed yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingPost {
    /// Its `Idempotency-Key`: the same for every attempt.
    pub key: IdempotencyKey,
    /// What was sent, exactly; retries send it again.
    pub comment: NewComment,
    pub status: PostStatus,
}

impl PendingPost {
    /// The comment this post replies to (`None`: a top-level post).
    pub fn parent(&self) -> Option<&CommentId> {
        self.comment.parent_id.as_ref()
    }
}

/// Where a pending post is in its life.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PostStatus {
    Sending,
    /// Not sent, or not known to be: the sentence saying why; a retry may work.
    Failed {
        message: String,
    },
}

/// A request to send: `POST` `comment` with `Idempotency-Key: key`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostRequest {
    pub key: IdempotencyKey,
    pub comment: NewComment,
}

/// Why an attempt did not end in a stored comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PostFailure {
    /// The server may not have got it (network, timeout, 5xx, 429): keep it for a retry.
    Retryable { message: String },
    /// The server refused this content (422, 400…): sending it again cannot work.
    Refused { message: String },
}

/// The posts on their way, oldest first. See the module documentation.
///
/// ## Usage
/// ```
/// use article_widget::api::NewComment;
/// use article_widget::thread::{PostFailure, Posts};
/// let mut posts = Posts::default();
/// let new = NewComment { author_name: "Ada".into(), body: "Hi".into(), parent_id: None };
/// let request = posts.post("key-1".into(), new).expect("sent");
/// posts.failed(&request.key, PostFailure::Retryable { message: "offline".into() });
/// let again = posts.retry(&request.key).expect("a failed post is retried");
/// assert_eq!(again, request, "the same key, the same comment");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Posts {
    pending: Vec<PendingPost>,
}

impl Posts {
    /// All posts on their way, oldest first.
    pub fn all(&self) -> &[PendingPost] {
        &self.pending
    }

    /// The post with this key.
    pub fn get(&self, key: &IdempotencyKey) -> Option<&PendingPost> {
        self.pending.iter().find(|p| &p.key == key)
    }

    /// The posts replying to `parent` (`None`: top-level ones).
    pub fn under<'a>(&'a self, parent: Option<&'a CommentId>) -> impl Iterator<Item = &'a PendingPost> + 'a {
        self.pending.iter().filter(move |p| p.parent() == parent)
    }

    /// Whether a post to `parent` is being sent now.
    pub fn sending_under(&self, parent: Option<&CommentId>) -> bool {
        self.under(parent).any(|p| p.status == PostStatus::Sending)
    }

    /// A composer submits `comment` with `key`. Returns the request to send, or `None` when this key
    /// is already being sent. A post with the same key that failed is retried with the comment it
    /// was first sent with (the server may have stored that one), whatever was typed since. Failed
    /// posts of other keys from the same composer (same parent) are withdrawn: the reader changed
    /// the text, so that is a new comment.
    pub fn post(&mut self, key: IdempotencyKey, comment: NewComment) -> Option<PostRequest> {
        if self.get(&key).is_some() {
            return self.retry(&key);
        }
        self.pending.retain(|p| !(p.parent() == comment.parent_id.as_ref() && p.status != PostStatus::Sending));
        self.pending.push(PendingPost { key: key.clone(), comment: comment.clone(), status: PostStatus::Sending });
        Some(PostRequest { key, comment })
    }

    /// Sends a failed post again: the same comment, the same key. `None` unless it failed.
    pub fn retry(&mut self, key: &IdempotencyKey) -> Option<PostRequest> {
        let post = self.pending.iter_mut().find(|p| &p.key == key)?;
        if post.status == PostStatus::Sending {
            return None;
        }
        post.status = PostStatus::Sending;
        Some(PostRequest { key: post.key.clone(), comment: post.comment.clone() })
    }

    /// The reader gave up a failed post (edited its text). A post being sent stays until answered.
    /// Returns whether it left.
    pub fn withdraw(&mut self, key: &IdempotencyKey) -> bool {
        let before = self.pending.len();
        self.pending.retain(|p| !(&p.key == key && p.status != PostStatus::Sending));
        self.pending.len() != before
    }

    /// The server confirmed the post: it leaves. Returns it, when it was still here.
    pub fn confirmed(&mut self, key: &IdempotencyKey) -> Option<PendingPost> {
        let i = self.pending.iter().position(|p| &p.key == key)?;
        Some(self.pending.remove(i))
    }

    /// The attempt failed: a retryable post is marked, a refused one leaves. Returns the post's
    /// parent, when it was here.
    pub fn failed(&mut self, key: &IdempotencyKey, failure: PostFailure) -> Option<Option<CommentId>> {
        let i = self.pending.iter().position(|p| &p.key == key)?;
        let parent = self.pending[i].comment.parent_id.clone();
        match failure {
            PostFailure::Retryable { message } => self.pending[i].status = PostStatus::Failed { message },
            PostFailure::Refused { .. } => {
                self.pending.remove(i);
            }
        }
        Some(parent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(body: &str, name: &str, parent: Option<&str>) -> NewComment {
        NewComment { author_name: name.into(), body: body.into(), parent_id: parent.map(Into::into) }
    }
    fn key(k: &str) -> IdempotencyKey {
        IdempotencyKey::from(k)
    }

    #[test]
    fn one_attempt_at_a_time_and_retries_send_what_was_first_sent() {
        let mut posts = Posts::default();
        assert!(posts.post(key("k"), new("hi", "Ada", None)).is_some());
        assert_eq!(posts.post(key("k"), new("hi", "Ada", None)), None, "already on its way");
        assert_eq!(posts.retry(&key("k")), None, "only a failed post is retried");
        posts.failed(&key("k"), PostFailure::Retryable { message: "offline".into() });
        // The reader renamed themself and pressed Post again: the same key resends the first body.
        let again = posts.post(key("k"), new("hi", "Ada Lovelace", None)).unwrap();
        assert_eq!(again.comment.author_name, "Ada");
        assert!(posts.confirmed(&key("k")).is_some());
        assert!(posts.all().is_empty());
    }

    #[test]
    fn a_new_draft_withdraws_the_failed_one_of_its_composer_only() {
        let mut posts = Posts::default();
        posts.post(key("a"), new("one", "Ada", None));
        posts.post(key("r"), new("reply", "Ada", Some("7")));
        posts.failed(&key("a"), PostFailure::Retryable { message: "x".into() });
        posts.failed(&key("r"), PostFailure::Retryable { message: "x".into() });
        posts.post(key("b"), new("one, edited", "Ada", None));
        let keys: Vec<_> = posts.all().iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["r", "b"]);
        assert!(!posts.withdraw(&key("b")), "a post being sent stays until answered");
        assert!(posts.withdraw(&key("r")));
    }

    #[test]
    fn refused_posts_leave() {
        let mut posts = Posts::default();
        posts.post(key("k"), new("x", "Ada", Some("1")));
        let parent = posts.failed(&key("k"), PostFailure::Refused { message: "too long".into() });
        assert_eq!(parent, Some(Some(CommentId::from("1"))));
        assert!(posts.all().is_empty());
        assert_eq!(posts.failed(&key("k"), PostFailure::Refused { message: "again".into() }), None);
    }
}
