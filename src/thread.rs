//! The comment thread as loaded so far: pages of top-level comments with their reply trees, merged
//! without duplicates, plus this reader's posts on their way (shown at once, marked "Sending…" or
//! "Not sent"). A plain type, tested without a browser; [`crate::components::CommentThread`]
//! renders it.

use crate::api::{Comment, CommentPage, NewComment, Sort};

/// A post of this reader's that the server has not confirmed yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingPost {
    /// Its `Idempotency-Key`: the same for every attempt of the same draft.
    pub key: String,
    pub comment: NewComment,
    pub status: PostStatus,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PostStatus {
    Sending,
    /// Not sent (or not known to be): the reason, and whether a retry may work.
    Failed { message: String },
}

/// See the module documentation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Thread {
    comments: Vec<Comment>,
    next_cursor: Option<String>,
    total: u64,
    sort: Sort,
    pending: Vec<PendingPost>,
    /// Where each shown comment is: its path of indices from the top level. Rebuilt after every
    /// change, so that each rendered comment finds its own replies without walking the thread.
    index: std::collections::HashMap<String, Vec<usize>>,
}

impl Thread {
    /// The thread of a first page loaded in `sort` order.
    pub fn new(page: CommentPage, sort: Sort) -> Thread {
        let mut thread =
            Thread { comments: Vec::new(), next_cursor: None, total: 0, sort, pending: Vec::new(), index: Default::default() };
        thread.append_page(page);
        thread
    }

    /// Top-level comments in display order, each with its replies.
    pub fn comments(&self) -> &[Comment] {
        &self.comments
    }

    /// All comments of the article, replies included, as far as this reader knows.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The cursor of the next page, while there is one.
    pub fn next_cursor(&self) -> Option<&str> {
        self.next_cursor.as_deref()
    }

    /// The order this thread was loaded in.
    pub fn sort(&self) -> Sort {
        self.sort
    }

    /// Appends a further page. Comments already shown (for instance one this reader posted, or one
    /// that moved between pages) are dropped, and what is shown keeps its order.
    pub fn append_page(&mut self, page: CommentPage) {
        for comment in page.comments {
            if !self.contains(&comment.id) {
                // Indexed at once, so a page that repeats a comment cannot add it twice.
                self.index.insert(comment.id.clone(), vec![self.comments.len()]);
                self.comments.push(comment);
            }
        }
        self.next_cursor = page.next_cursor;
        self.total = self.total.max(page.total);
        self.reindex();
    }

    /// The comment with this id, wherever it is in the thread.
    pub fn find(&self, id: &str) -> Option<&Comment> {
        let path = self.index.get(id)?;
        let (first, rest) = path.split_first()?;
        rest.iter().try_fold(self.comments.get(*first)?, |c, &i| c.replies.get(i))
    }

    /// Rebuilds [`Thread::index`] after a change.
    fn reindex(&mut self) {
        fn walk(comments: &[Comment], path: &mut Vec<usize>, index: &mut std::collections::HashMap<String, Vec<usize>>) {
            for (i, c) in comments.iter().enumerate() {
                path.push(i);
                index.insert(c.id.clone(), path.clone());
                walk(&c.replies, path, index);
                path.pop();
            }
        }
        let mut index = std::collections::HashMap::new();
        walk(&self.comments, &mut Vec::new(), &mut index);
        self.index = index;
    }

    /// Whether a comment with this id is shown anywhere in the thread.
    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// Adds a comment the server just confirmed: a top-level one where the sort order puts new
    /// comments (first for `newest`, last otherwise), a reply at the end of its parent's replies.
    /// Returns false (and changes nothing) when it is already shown or its parent is not.
    pub fn insert_posted(&mut self, comment: Comment) -> bool {
        if self.contains(&comment.id) {
            return false;
        }
        match comment.parent_id.clone() {
            None => {
                if self.sort == Sort::Newest {
                    self.comments.insert(0, comment);
                } else {
                    self.comments.push(comment);
                }
            }
            Some(parent) => {
                if !attach(&mut self.comments, &parent, comment) {
                    return false;
                }
            }
        }
        self.total += 1;
        self.reindex();
        true
    }
}

impl Thread {
    /// Posts on their way, oldest first.
    pub fn pending(&self) -> &[PendingPost] {
        &self.pending
    }

    /// Posts on their way that reply to `parent_id` (`None`: top-level ones).
    pub fn pending_under(&self, parent_id: Option<&str>) -> Vec<PendingPost> {
        self.pending.iter().filter(|p| p.comment.parent_id.as_deref() == parent_id).cloned().collect()
    }

    /// Takes the posts on their way, to carry them into a reloaded thread (another sort order).
    pub fn take_pending(&mut self) -> Vec<PendingPost> {
        std::mem::take(&mut self.pending)
    }

    /// Puts back posts taken from an earlier thread (see [`Thread::take_pending`]).
    pub fn adopt_pending(&mut self, pending: Vec<PendingPost>) {
        for post in pending {
            if !self.pending.iter().any(|p| p.key == post.key) {
                self.pending.push(post);
            }
        }
    }

    /// A post is being sent (first attempt or retry). It replaces any earlier post from the same
    /// composer (same parent): a composer has one draft at a time.
    pub fn post_sending(&mut self, key: String, comment: NewComment) {
        self.pending.retain(|p| p.key != key && p.comment.parent_id != comment.parent_id);
        self.pending.push(PendingPost { key, comment, status: PostStatus::Sending });
    }

    /// The attempt failed; the post stays, marked, for a retry with the same key.
    pub fn post_failed(&mut self, key: &str, message: String) {
        if let Some(p) = self.pending.iter_mut().find(|p| p.key == key) {
            p.status = PostStatus::Failed { message };
        }
    }

    /// The post will not be sent as it is (the server refused its content): it leaves the thread;
    /// its text stays in the composer.
    pub fn post_discarded(&mut self, key: &str) {
        self.pending.retain(|p| p.key != key);
    }

    /// The server confirmed the post: it becomes a comment, in its place, once.
    pub fn post_confirmed(&mut self, key: &str, comment: Comment) {
        self.pending.retain(|p| p.key != key);
        self.insert_posted(comment);
    }

    /// How many comments the server has that this thread does not show, given the server's
    /// `comment_count`. This reader's posts on their way are not new to them.
    pub fn unseen(&self, server_count: u64) -> u64 {
        server_count.saturating_sub(self.total + self.pending.len() as u64)
    }

    /// Merges a fresh first page (fetched to show new comments): comments already shown take their
    /// fresh reply trees in place; new top-level ones go where the sort order puts new comments.
    /// Nothing shown moves.
    pub fn merge_fresh(&mut self, page: CommentPage) {
        let mut fresh_new = Vec::new();
        for comment in page.comments {
            if let Some(i) = self.comments.iter().position(|c| c.id == comment.id) {
                self.comments[i] = comment;
            } else if !self.contains(&comment.id) {
                fresh_new.push(comment);
            }
        }
        match self.sort {
            // The page is newest first: keep that order above what is shown.
            Sort::Newest => {
                self.comments.splice(0..0, fresh_new);
            }
            Sort::Oldest | Sort::Top => self.comments.extend(fresh_new),
        }
        self.total = self.total.max(page.total);
        self.reindex();
    }

    /// How many top-level comments are shown.
    pub fn top_level_count(&self) -> usize {
        self.comments.len()
    }
}

/// Attaches `reply` below `parent_id`, counting it in every ancestor's `reply_count`.
fn attach(comments: &mut [Comment], parent_id: &str, reply: Comment) -> bool {
    let mut reply = Some(reply);
    fn walk(comments: &mut [Comment], parent_id: &str, reply: &mut Option<Comment>) -> bool {
        for comment in comments {
            if comment.id == parent_id {
                if let Some(reply) = reply.take() {
                    comment.replies.push(reply);
                }
                comment.reply_count += 1;
                return true;
            }
            if walk(&mut comment.replies, parent_id, reply) {
                comment.reply_count += 1;
                return true;
            }
        }
        false
    }
    walk(comments, parent_id, &mut reply)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::CommentAuthor;

    fn c(id: &str, parent: Option<&str>) -> Comment {
        Comment {
            id: id.into(),
            parent_id: parent.map(Into::into),
            author: CommentAuthor { name: "A".into(), avatar_url: None },
            body: format!("body {id}"),
            created_at: "2026-11-20T10:00:00Z".into(),
            edited_at: None,
            reactions: vec![],
            replies: vec![],
            reply_count: 0,
        }
    }
    fn page(ids: &[&str], next: Option<&str>, total: u64) -> CommentPage {
        CommentPage { comments: ids.iter().map(|id| c(id, None)).collect(), next_cursor: next.map(Into::into), total }
    }
    fn ids(t: &Thread) -> Vec<&str> {
        t.comments().iter().map(|c| c.id.as_str()).collect()
    }

    #[test]
    fn pages_append_in_order_without_duplicates() {
        let mut t = Thread::new(page(&["1", "2"], Some("c1"), 5), Sort::Oldest);
        assert_eq!(t.next_cursor(), Some("c1"));
        t.append_page(page(&["2", "3", "4"], Some("c2"), 5));
        assert_eq!(ids(&t), ["1", "2", "3", "4"]);
        t.append_page(page(&["5"], None, 5));
        assert_eq!(ids(&t), ["1", "2", "3", "4", "5"]);
        assert_eq!(t.next_cursor(), None);
        assert_eq!(t.total(), 5);
    }

    #[test]
    fn a_page_repeating_a_comment_adds_it_once() {
        let t = Thread::new(page(&["1", "2", "1"], None, 2), Sort::Oldest);
        assert_eq!(ids(&t), ["1", "2"]);
    }

    #[test]
    fn posted_top_level_comments_go_where_the_sort_puts_them() {
        let mut oldest = Thread::new(page(&["1"], None, 1), Sort::Oldest);
        assert!(oldest.insert_posted(c("2", None)));
        assert_eq!(ids(&oldest), ["1", "2"]);
        assert_eq!(oldest.total(), 2);
        let mut newest = Thread::new(page(&["1"], None, 1), Sort::Newest);
        newest.insert_posted(c("2", None));
        assert_eq!(ids(&newest), ["2", "1"]);
    }

    #[test]
    fn a_posted_comment_is_not_shown_twice() {
        let mut t = Thread::new(page(&["1"], Some("c"), 1), Sort::Oldest);
        assert!(t.insert_posted(c("2", None)));
        assert!(!t.insert_posted(c("2", None)));
        // …nor when a later page brings it again.
        t.append_page(page(&["2", "3"], None, 3));
        assert_eq!(ids(&t), ["1", "2", "3"]);
        assert_eq!(t.total(), 3);
    }

    fn new_comment(body: &str, parent: Option<&str>) -> NewComment {
        NewComment { author_name: "Me".into(), body: body.into(), parent_id: parent.map(Into::into) }
    }

    #[test]
    fn a_post_is_pending_then_confirmed_exactly_once() {
        let mut t = Thread::new(page(&["1"], None, 1), Sort::Oldest);
        t.post_sending("k1".into(), new_comment("hi", None));
        assert_eq!(t.pending_under(None).len(), 1);
        assert_eq!(t.pending()[0].status, PostStatus::Sending);
        t.post_failed("k1", "the server could not be reached".into());
        assert!(matches!(t.pending()[0].status, PostStatus::Failed { .. }));
        // Retry: same key, sending again — still one entry.
        t.post_sending("k1".into(), new_comment("hi", None));
        assert_eq!(t.pending().len(), 1);
        t.post_confirmed("k1", c("2", None));
        assert!(t.pending().is_empty());
        assert_eq!(ids(&t), ["1", "2"]);
        // A late duplicate confirmation (a replay) changes nothing.
        t.post_confirmed("k1", c("2", None));
        assert_eq!(ids(&t), ["1", "2"]);
        assert_eq!(t.total(), 2);
    }

    #[test]
    fn pending_posts_are_kept_per_composer() {
        let mut t = Thread::new(page(&["1"], None, 1), Sort::Oldest);
        t.post_sending("top".into(), new_comment("a", None));
        t.post_sending("r1".into(), new_comment("b", Some("1")));
        assert_eq!(t.pending_under(Some("1")).len(), 1);
        assert_eq!(t.pending_under(None).len(), 1);
        // An edited draft from the same composer (new key) replaces the failed one.
        t.post_failed("top", "x".into());
        t.post_sending("top2".into(), new_comment("a, edited", None));
        assert_eq!(t.pending_under(None).len(), 1);
        assert_eq!(t.pending_under(None)[0].key, "top2");
        t.post_discarded("r1");
        assert!(t.pending_under(Some("1")).is_empty());
        let carried = t.take_pending();
        assert_eq!(carried.len(), 1);
    }

    #[test]
    fn unseen_comments_exclude_this_readers_posts() {
        let mut t = Thread::new(page(&["1", "2"], None, 2), Sort::Oldest);
        assert_eq!(t.unseen(2), 0);
        assert_eq!(t.unseen(4), 2);
        t.post_sending("k".into(), new_comment("mine", None));
        // The server may already count it; it is not new to its author.
        assert_eq!(t.unseen(3), 0);
        t.post_confirmed("k", c("3", None));
        assert_eq!(t.unseen(3), 0);
        assert_eq!(t.unseen(1), 0, "never negative");
    }

    #[test]
    fn fresh_pages_merge_without_moving_what_is_shown() {
        let mut t = Thread::new(page(&["1", "2"], None, 2), Sort::Oldest);
        let mut with_reply = c("1", None);
        with_reply.replies.push(c("9", Some("1")));
        with_reply.reply_count = 1;
        t.merge_fresh(CommentPage { comments: vec![with_reply, c("2", None), c("3", None)], next_cursor: None, total: 4 });
        assert_eq!(ids(&t), ["1", "2", "3"]);
        assert!(t.contains("9"));
        assert_eq!(t.total(), 4);

        let mut newest = Thread::new(page(&["2", "1"], None, 2), Sort::Newest);
        newest.merge_fresh(CommentPage { comments: vec![c("4", None), c("3", None), c("2", None)], next_cursor: None, total: 4 });
        assert_eq!(ids(&newest), ["4", "3", "2", "1"]);
    }

    #[test]
    fn replies_nest_and_count_in_every_ancestor() {
        let mut t = Thread::new(page(&["1"], None, 1), Sort::Oldest);
        assert!(t.insert_posted(c("2", Some("1"))));
        assert!(t.insert_posted(c("3", Some("2"))));
        assert!(!t.insert_posted(c("4", Some("missing"))));
        let top = &t.comments()[0];
        assert_eq!(top.reply_count, 2);
        assert_eq!(top.replies[0].id, "2");
        assert_eq!(top.replies[0].reply_count, 1);
        assert_eq!(top.replies[0].replies[0].id, "3");
        assert!(t.contains("3"));
        assert_eq!(t.find("3").map(|c| c.parent_id.as_deref()), Some(Some("2")));
        assert!(t.find("9").is_none());
        assert_eq!(t.total(), 3);
    }
}
