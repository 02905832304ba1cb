//! The comment thread as loaded so far: pages of top-level comments with their reply trees, merged
//! without duplicates, plus the comments this reader posted. A plain type, tested without a browser;
//! [`crate::components::CommentThread`] renders it.

use crate::api::{Comment, CommentPage, Sort};

/// See the module documentation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Thread {
    comments: Vec<Comment>,
    next_cursor: Option<String>,
    total: u64,
    sort: Sort,
}

impl Thread {
    /// The thread of a first page loaded in `sort` order.
    pub fn new(page: CommentPage, sort: Sort) -> Thread {
        let mut thread = Thread { comments: Vec::new(), next_cursor: None, total: 0, sort };
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
                self.comments.push(comment);
            }
        }
        self.next_cursor = page.next_cursor;
        self.total = self.total.max(page.total);
    }

    /// Whether a comment with this id is shown anywhere in the thread.
    pub fn contains(&self, id: &str) -> bool {
        fn find(comments: &[Comment], id: &str) -> bool {
            comments.iter().any(|c| c.id == id || find(&c.replies, id))
        }
        find(&self.comments, id)
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
        true
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
        assert_eq!(t.total(), 3);
    }
}
