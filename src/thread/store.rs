//! The thread as loaded so far, normalized: every comment once, by id, with its list of child ids;
//! the top-level ids in display order; this reader's posts on their way ([`Posts`]); and the set of
//! parts that changed since the views last looked ([`ThreadStore::take_touched`]), so that a change
//! re-renders only the lists it touched, never the whole tree.
//!
//! Loads carry a [`Generation`]: reloading (another sort order, Retry) starts a new one, and an answer
//! of an older one is dropped. Posts are not part of a load: they survive any reload, and a post
//! confirmed while a reload is on its way is shown once the reload lands.
//!
//! Comments from a page are *revealed* a slice at a time ([`ThreadStore::reveal`]), in reading order,
//! so that a page of 10,000 comments is put on screen in many short tasks instead of one long one.

use std::collections::VecDeque;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use super::own::{Grant, OwnWords, Panel};
use super::post::{PendingPost, PostFailure, PostRequest, Posts};
use crate::api::{Comment, CommentId, CommentPage, IdempotencyKey, NewComment, Sort};

/// The number of a load: each reload counts one up.
pub type Generation = u64;

/// Whether the first page of the current load has arrived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    Loading,
    /// The sentence to show.
    Failed(String),
    Ready,
}

/// A part of the thread that changed, for the views that show it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Touched {
    /// The phase, the total, the sort order or whether there is a next page.
    Meta,
    /// What is shown below a comment (`None`: the top level): its replies, the posts on their way
    /// under it, its reply count, whether its reply form is open; and for a comment, its own text
    /// when its author edited or deleted it, and its panels ([`OwnWords`]).
    Node(Option<CommentId>),
}

/// An edit or delete of this reader's, as the server confirmed it.
#[derive(Clone, Debug)]
enum Applied {
    Edited(Box<Comment>),
    Deleted,
}

#[derive(Clone, Debug)]
struct Node {
    /// The comment, without its replies (they are nodes of their own); shared with the view that
    /// shows it, never copied.
    comment: Arc<Comment>,
    /// Where it is listed (`None`: the top level).
    parent: Option<CommentId>,
    /// All replies below it, at any depth, as the server counts them (plus this reader's).
    reply_count: u64,
    children: Vec<CommentId>,
    depth: usize,
    /// Put on screen yet (see [`ThreadStore::reveal`]).
    revealed: bool,
}

/// See the module documentation.
///
/// ## Usage
/// ```
/// use article_widget::api::{CommentPage, Sort};
/// use article_widget::thread::{Phase, ThreadStore};
/// let mut store = ThreadStore::new(Sort::Oldest);
/// let load = store.begin_load(Sort::Oldest);
/// let page: CommentPage = article_widget::api::json::from_str(r#"{"comments": [], "next_cursor": null, "total": 0}"#).unwrap();
/// assert!(store.loaded(load, page));
/// while store.reveal(200) {} // one slice per browser task
/// assert_eq!(store.phase(), &Phase::Ready);
/// assert!(store.is_empty());
/// ```
#[derive(Clone, Debug)]
pub struct ThreadStore {
    sort: Sort,
    generation: Generation,
    phase: Phase,
    nodes: HashMap<CommentId, Node>,
    roots: Vec<CommentId>,
    next_cursor: Option<String>,
    /// All comments of the article, replies included, as far as this reader knows.
    total: u64,
    posts: Posts,
    /// Confirmed while a reload was on its way: shown when it lands.
    confirmed_while_loading: Vec<Comment>,
    /// Loaded, not yet revealed, in reading order.
    unrevealed: VecDeque<CommentId>,
    /// Comments whose reply form is open.
    replying: HashSet<CommentId>,
    /// Of those, the ones whose reply form was opened after their delete or report form (it is
    /// shown, the other kept behind it).
    reply_in_front: HashSet<CommentId>,
    /// Where the next page of a comment's replies starts (a server that pages replies sends the
    /// first few inline); absent before the first page; `None` once the last page came.
    reply_cursors: HashMap<CommentId, Option<String>>,
    /// Edit, delete and report (see [`OwnWords`]).
    own: OwnWords,
    /// This reader's edits and deletes the server confirmed: applied again to whatever a page read
    /// before them brings back.
    applied: HashMap<CommentId, Applied>,
    touched: HashSet<Touched>,
}

impl ThreadStore {
    /// An empty thread, loading in `sort` order (call [`ThreadStore::begin_load`]).
    pub fn new(sort: Sort) -> ThreadStore {
        ThreadStore {
            sort,
            generation: 0,
            phase: Phase::Loading,
            nodes: HashMap::default(),
            roots: Vec::new(),
            next_cursor: None,
            total: 0,
            posts: Posts::default(),
            confirmed_while_loading: Vec::new(),
            unrevealed: VecDeque::new(),
            replying: HashSet::default(),
            reply_in_front: HashSet::default(),
            reply_cursors: HashMap::default(),
            own: OwnWords::default(),
            applied: HashMap::default(),
            touched: HashSet::default(),
        }
    }

    // ---- reading -------------------------------------------------------------------------------

    pub fn phase(&self) -> &Phase {
        &self.phase
    }

    /// The order of the current load.
    pub fn sort(&self) -> Sort {
        self.sort
    }

    /// The current load.
    pub fn generation(&self) -> Generation {
        self.generation
    }

    /// All comments of the article, replies included, as far as this reader knows.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The cursor of the next page of top-level comments, while there is one.
    pub fn next_cursor(&self) -> Option<&str> {
        self.next_cursor.as_deref()
    }

    /// The comment with this id (without its replies), wherever it is.
    pub fn comment(&self, id: &CommentId) -> Option<&Arc<Comment>> {
        self.nodes.get(id).map(|n| &n.comment)
    }

    /// How deep the comment is: 0 for a top-level one.
    pub fn depth(&self, id: &CommentId) -> usize {
        self.nodes.get(id).map_or(0, |n| n.depth)
    }

    /// Whether the comment is loaded (shown now or soon).
    pub fn contains(&self, id: &CommentId) -> bool {
        self.nodes.contains_key(id)
    }

    /// The comments on screen below `parent` (`None`: the top level), in display order.
    pub fn shown_children(&self, parent: Option<&CommentId>) -> Vec<CommentId> {
        let ids = match parent {
            None => &self.roots,
            Some(id) => match self.nodes.get(id) {
                Some(node) => &node.children,
                None => return Vec::new(),
            },
        };
        ids.iter().filter(|id| self.nodes.get(*id).is_some_and(|n| n.revealed)).cloned().collect()
    }

    /// Whether anything is on screen below the comment: a reply, or a post of this reader's.
    pub fn has_shown_below(&self, id: &CommentId) -> bool {
        let replies = self
            .nodes
            .get(id)
            .is_some_and(|n| n.children.iter().any(|c| self.nodes.get(c).is_some_and(|c| c.revealed)));
        replies || self.posts.under(Some(id)).next().is_some()
    }

    /// All replies below the comment, at any depth, as the server counts them.
    pub fn reply_count(&self, id: &CommentId) -> u64 {
        self.nodes.get(id).map_or(0, |n| n.reply_count)
    }

    /// Replies below `id` the server counts but this thread does not hold (a server that pages
    /// replies sends only the first few inline): what "Show N more replies" offers. 0 once its last
    /// page came.
    pub fn missing_replies(&self, id: &CommentId) -> u64 {
        if matches!(self.reply_cursors.get(id), Some(None)) {
            return 0;
        }
        let Some(node) = self.nodes.get(id) else { return 0 };
        // Its replies held: below the depth cap, its children; at and past the cap, where replies
        // come flattened side by side, the comments of that list that answer it.
        let list = match &node.parent {
            Some(parent) if node.depth >= crate::api::MAX_REPLY_DEPTH => {
                self.nodes.get(parent).map_or(&node.children, |p| &p.children)
            }
            _ => &node.children,
        };
        let held: u64 = list
            .iter()
            .filter_map(|c| self.nodes.get(c))
            .filter(|c| c.comment.parent_id.as_ref() == Some(id))
            .map(|c| 1 + c.reply_count)
            .sum();
        node.reply_count.saturating_sub(held)
    }

    /// Where the next page of `id`'s replies starts: `Some(None)` for the first page, `None` when
    /// there is no further page.
    pub fn replies_cursor(&self, id: &CommentId) -> Option<Option<&str>> {
        match self.reply_cursors.get(id) {
            None => Some(None),
            Some(Some(cursor)) => Some(Some(cursor.as_str())),
            Some(None) => None,
        }
    }

    /// How many top-level comments are loaded.
    pub fn top_level_count(&self) -> usize {
        self.roots.len()
    }

    /// Whether nothing at all is to be shown: no comment, no post on its way.
    pub fn is_empty(&self) -> bool {
        self.roots.is_empty() && self.posts.all().is_empty()
    }

    /// The posts on their way.
    pub fn posts(&self) -> &Posts {
        &self.posts
    }

    /// The posts on their way below `parent` (`None`: top-level ones), oldest first.
    /// Replies whose parent is not loaded (the reader changed the order meanwhile) are listed at the
    /// top level, so that their "Sending…" or "Not sent — Retry" stays in sight.
    pub fn pending_under(&self, parent: Option<&CommentId>) -> Vec<PendingPost> {
        self.posts
            .all()
            .iter()
            .filter(|p| match (parent, p.parent()) {
                (None, None) => true,
                (None, Some(up)) => !self.nodes.contains_key(up),
                (Some(id), Some(up)) => id == up,
                (Some(_), None) => false,
            })
            .cloned()
            .collect()
    }

    /// How many comments the server has that this thread does not show, given the server's
    /// `comment_count`. This reader's posts on their way are not new to them.
    pub fn unseen(&self, server_count: u64) -> u64 {
        // Only posts being sent may be counted by the server already; a failed one is not stored.
        let sending = self.posts.all().iter().filter(|p| p.status == super::PostStatus::Sending).count();
        server_count.saturating_sub(self.total + sending as u64)
    }

    /// Whether the reply form below this comment is open.
    pub fn is_replying(&self, id: &CommentId) -> bool {
        self.replying.contains(id)
    }

    /// What is open below the comment: the reply form, the delete or report form, or the thanks
    /// for a report: one at a time, in one place. (An edit opens in place of the text: not here.)
    /// The one opened last is shown; the other keeps its state behind it and comes back when it
    /// closes.
    pub fn below(&self, id: &CommentId) -> Panel {
        let reply = self.replying.contains(id);
        let panel = self.own.panel(id);
        let panel_open = matches!(panel, Panel::Deleting | Panel::Reporting);
        if reply && (!panel_open || self.reply_in_front.contains(id)) {
            Panel::Replying
        } else if panel_open || panel == Panel::Reported {
            panel
        } else {
            Panel::Closed
        }
    }

    /// The parts changed since the last call, for the views to re-read.
    pub fn take_touched(&mut self) -> Vec<Touched> {
        self.touched.drain().collect()
    }

    // ---- loading -------------------------------------------------------------------------------

    /// Starts loading the first page in `sort` order: what is loaded goes; posts on their way stay.
    pub fn begin_load(&mut self, sort: Sort) -> Generation {
        self.generation += 1;
        self.sort = sort;
        self.phase = Phase::Loading;
        self.nodes.clear();
        self.roots.clear();
        self.unrevealed.clear();
        self.reply_cursors.clear();
        self.next_cursor = None;
        self.touched.clear();
        self.touched.insert(Touched::Meta);
        self.touched.insert(Touched::Node(None));
        self.generation
    }

    /// The first page of load `generation` arrived. Returns false (and changes nothing) when a newer
    /// load has started since.
    pub fn loaded(&mut self, generation: Generation, mut page: CommentPage) -> bool {
        if generation != self.generation || self.phase == Phase::Ready {
            return false;
        }
        self.phase = Phase::Ready;
        let deleted_here = self.overlay(&mut page.comments);
        self.total = page.total.saturating_sub(deleted_here);
        self.append(page);
        // Posts confirmed while this page was on its way. One the page would hold, had it been read
        // after the post was stored (a reply below a loaded comment; a top-level comment newest
        // first, or when the page is the last), was read before: neither listed nor counted. One it
        // would not hold may be counted already: it is shown but not counted again.
        for comment in std::mem::take(&mut self.confirmed_while_loading) {
            let page_would_hold = match &comment.parent_id {
                Some(parent) => self.nodes.contains_key(parent),
                None => self.sort == Sort::Newest || self.next_cursor.is_none(),
            };
            let total = self.total;
            self.insert_posted(comment);
            if !page_would_hold {
                self.total = total;
            }
        }
        self.touched.insert(Touched::Meta);
        true
    }

    /// Load `generation` failed. Returns false when a newer load has started since.
    pub fn load_failed(&mut self, generation: Generation, message: String) -> bool {
        if generation != self.generation || self.phase == Phase::Ready {
            return false;
        }
        self.phase = Phase::Failed(message);
        self.touched.insert(Touched::Meta);
        true
    }

    /// A further page of load `generation` arrived: comments already loaded are dropped, and what
    /// is shown keeps its order. Returns false when it belongs to an older load.
    pub fn more_loaded(&mut self, generation: Generation, mut page: CommentPage) -> bool {
        if generation != self.generation || self.phase != Phase::Ready {
            return false;
        }
        let deleted_here = self.overlay(&mut page.comments);
        self.total = self.total.max(page.total.saturating_sub(deleted_here));
        self.append(page);
        self.touched.insert(Touched::Meta);
        true
    }

    /// A page of `parent`'s replies arrived (for load `generation`): the ones not held yet are added
    /// below it in order, and shown at once. Returns false when it belongs to an older load or the
    /// comment is gone.
    pub fn replies_loaded(&mut self, generation: Generation, parent: &CommentId, mut page: CommentPage) -> bool {
        if generation != self.generation || self.phase != Phase::Ready {
            return false;
        }
        self.overlay(&mut page.comments);
        let Some(depth) = self.nodes.get(parent).map(|n| n.depth) else { return false };
        self.reply_cursors.insert(parent.clone(), page.next_cursor);
        let mut added = Vec::new();
        for comment in page.comments {
            self.merge_tree(comment, Some(parent), depth + 1, &mut added);
        }
        for id in added {
            self.reveal_now(&id);
        }
        self.touched.insert(Touched::Node(Some(parent.clone())));
        true
    }

    /// A fresh first page (fetched to show new comments) arrived. Comments already loaded get their
    /// new replies; a new top-level comment is added where the sort order puts it, but only when it
    /// is among the loaded ones in the fresh page's order, or when everything is loaded: one after
    /// them belongs to a page not loaded yet, and "Load more" will bring it. Nothing shown moves.
    pub fn fresh_loaded(&mut self, generation: Generation, mut page: CommentPage) -> bool {
        if generation != self.generation || self.phase != Phase::Ready {
            return false;
        }
        let deleted_here = self.overlay(&mut page.comments);
        page.total = page.total.saturating_sub(deleted_here);
        let everything_loaded = self.next_cursor.is_none();
        // Most liked first, a comment not loaded may be an old one that gained likes: only with
        // everything loaded is an unknown one new.
        let last_known = match self.sort {
            Sort::Top => None,
            Sort::Oldest | Sort::Newest => page.comments.iter().rposition(|c| self.nodes.contains_key(&c.id)),
        };
        // With everything loaded, a fresh page that holds all of it and has more after it ends past
        // the loaded ones: "Load more" from its cursor brings the rest. (One capped before the end of
        // what is loaded would only bring loaded comments again.)
        let holds_all_loaded =
            page.comments.iter().filter(|c| self.nodes.contains_key(&c.id)).count() == self.roots.len();
        if everything_loaded && holds_all_loaded {
            self.next_cursor = page.next_cursor.clone();
        }
        let mut added = Vec::new();
        let mut new_roots = Vec::new();
        for (i, comment) in page.comments.into_iter().enumerate() {
            if self.nodes.contains_key(&comment.id) {
                self.merge_tree(comment, None, 0, &mut added);
            } else if everything_loaded || last_known.is_some_and(|last| i < last) {
                new_roots.push(comment);
            }
        }
        let roots_before = self.roots.len();
        for comment in new_roots {
            self.merge_tree(comment, None, 0, &mut added);
        }
        // merge_tree appended the new top-level ids; newest-first puts them above what is shown.
        if self.sort == Sort::Newest {
            let new = self.roots.len() - roots_before;
            self.roots.rotate_right(new);
        }
        for id in added {
            self.reveal_now(&id);
        }
        self.total = self.total.max(page.total);
        self.touched.insert(Touched::Meta);
        self.touched.insert(Touched::Node(None));
        true
    }

    /// Puts up to `budget` more loaded comments on screen, in reading order. Returns whether more
    /// remain.
    pub fn reveal(&mut self, budget: usize) -> bool {
        for _ in 0..budget {
            let Some(id) = self.unrevealed.pop_front() else { break };
            if let Some(node) = self.nodes.get_mut(&id) {
                if !node.revealed {
                    node.revealed = true;
                    let parent = node.parent.clone();
                    self.touched.insert(Touched::Node(parent));
                }
            }
        }
        !self.unrevealed.is_empty()
    }

    /// How many loaded comments wait to be put on screen.
    pub fn unrevealed(&self) -> usize {
        self.unrevealed.len()
    }

    /// Adds a page's comments, in order, after what is loaded.
    fn append(&mut self, page: CommentPage) {
        self.next_cursor = page.next_cursor;
        let mut added = Vec::new();
        for comment in page.comments {
            self.merge_tree(comment, None, 0, &mut added);
        }
        self.unrevealed.extend(added);
    }

    /// Adds a comment and its replies below `parent` (at the end), in reading order; a comment
    /// already loaded is kept where it is, and only its unknown replies are added. The ids of added
    /// comments are pushed to `added`, parents first.
    fn merge_tree(
        &mut self,
        mut comment: Comment,
        parent: Option<&CommentId>,
        depth: usize,
        added: &mut Vec<CommentId>,
    ) {
        let replies = std::mem::take(&mut comment.replies);
        let id = comment.id.clone();
        match self.nodes.get_mut(&id) {
            Some(node) => {
                if comment.reply_count > node.reply_count {
                    node.reply_count = comment.reply_count;
                    self.touched.insert(Touched::Node(Some(id.clone())));
                    // New replies: paging them starts over (what is held is not added twice).
                    self.reply_cursors.remove(&id);
                }
            }
            None => {
                // The tree the server sent is what is shown: the parent is where the comment is
                // listed. Except at the depth cap, where deeper replies come flattened, each still
                // naming the comment it answers (shown as "in reply to …").
                if depth < crate::api::MAX_REPLY_DEPTH || comment.parent_id.is_none() {
                    comment.parent_id = parent.cloned();
                }
                let reply_count = comment.reply_count;
                let node = Node {
                    comment: Arc::new(comment),
                    parent: parent.cloned(),
                    reply_count,
                    children: Vec::new(),
                    depth,
                    revealed: false,
                };
                self.nodes.insert(id.clone(), node);
                match parent.and_then(|p| self.nodes.get_mut(p)) {
                    Some(p) => p.children.push(id.clone()),
                    None => self.roots.push(id.clone()),
                }
                // A post on its way below it was listed at the top level until now.
                if self.posts.under(Some(&id)).next().is_some() {
                    self.touched.insert(Touched::Node(None));
                    self.touched.insert(Touched::Node(Some(id.clone())));
                }
                added.push(id.clone());
            }
        }
        // Replies of a known comment stay below it, wherever the server listed them this time.
        let depth = self.nodes.get(&id).map_or(depth, |n| n.depth);
        for reply in replies {
            self.merge_tree(reply, Some(&id), depth + 1, added);
        }
    }

    /// Shows a comment at once, with its ancestors.
    fn reveal_now(&mut self, id: &CommentId) {
        let mut next = Some(id.clone());
        while let Some(id) = next.take() {
            let Some(node) = self.nodes.get_mut(&id) else { break };
            if !node.revealed {
                node.revealed = true;
                let parent = node.parent.clone();
                self.touched.insert(Touched::Node(parent.clone()));
                next = parent;
            }
        }
        // What was revealed now must not be revealed again; stale queue entries are skipped.
    }

    /// Adds a comment the server confirmed: a top-level one where the sort order puts new comments
    /// (first for `newest`, last otherwise), a reply at the end of its parent's replies; on screen at
    /// once. Returns false (and changes nothing) when it is loaded already, or its parent is not.
    fn insert_posted(&mut self, mut comment: Comment) -> bool {
        if self.nodes.contains_key(&comment.id) {
            return false;
        }
        comment.replies.clear();
        let id = comment.id.clone();
        let depth = match &comment.parent_id {
            None => 0,
            Some(parent) => match self.nodes.get(parent) {
                Some(p) => p.depth + 1,
                None => return false,
            },
        };
        let parent = comment.parent_id.clone();
        let node = Node {
            comment: Arc::new(comment),
            parent: parent.clone(),
            reply_count: 0,
            children: Vec::new(),
            depth,
            revealed: true,
        };
        self.nodes.insert(id.clone(), node);
        match &parent {
            None if self.sort == Sort::Newest => self.roots.insert(0, id),
            None => self.roots.push(id),
            Some(parent) => {
                if let Some(p) = self.nodes.get_mut(parent) {
                    p.children.push(id);
                }
                // Every ancestor counts the new reply.
                let mut up = Some(parent.clone());
                while let Some(a) = up.take() {
                    if let Some(node) = self.nodes.get_mut(&a) {
                        node.reply_count += 1;
                        self.touched.insert(Touched::Node(Some(a.clone())));
                        up = node.parent.clone();
                    }
                }
            }
        }
        self.total += 1;
        self.touched.insert(Touched::Node(parent));
        self.touched.insert(Touched::Meta);
        true
    }

    // ---- posting -------------------------------------------------------------------------------

    /// A composer submits a comment (see [`Posts::post`]).
    pub fn post(&mut self, key: IdempotencyKey, comment: NewComment) -> Option<PostRequest> {
        let parent = comment.parent_id.clone();
        let request = self.posts.post(key, comment);
        self.touch_posts(parent);
        request
    }

    /// Sends a failed post again, as it was first sent (see [`Posts::retry`]).
    pub fn retry(&mut self, key: &IdempotencyKey) -> Option<PostRequest> {
        let request = self.posts.retry(key)?;
        self.touch_posts(request.comment.parent_id.clone());
        Some(request)
    }

    /// The reader gave up a failed post (see [`Posts::withdraw`]).
    pub fn withdraw(&mut self, key: &IdempotencyKey) -> bool {
        let parent = self.posts.get(key).and_then(|p| p.comment.parent_id.clone());
        let left = self.posts.withdraw(key);
        if left {
            self.touch_posts(parent);
        }
        left
    }

    /// The server stored the post: it becomes a comment, shown exactly once: at once when the
    /// thread is loaded, else when the reload lands; with its author's `grant` to change it, if any.
    pub fn post_confirmed(&mut self, key: &IdempotencyKey, comment: Comment, grant: Option<Grant>) {
        if let Some(grant) = grant {
            self.own.add_grant(comment.id.clone(), grant);
        }
        if let Some(post) = self.posts.confirmed(key) {
            self.touch_posts(post.comment.parent_id);
        }
        if self.phase == Phase::Ready {
            let unplaced = comment.parent_id.as_ref().is_some_and(|p| !self.nodes.contains_key(p));
            if !self.insert_posted(comment) && unplaced {
                // Stored, below a comment not loaded (it shows when its parent does): counted, so
                // that it is not announced as new to its own author.
                self.total += 1;
                self.touched.insert(Touched::Meta);
            }
        } else if !self.confirmed_while_loading.iter().any(|c| c.id == comment.id) {
            self.confirmed_while_loading.push(comment);
        }
    }

    /// The attempt failed (see [`Posts::failed`]).
    pub fn post_failed(&mut self, key: &IdempotencyKey, failure: PostFailure) {
        if let Some(parent) = self.posts.failed(key, failure) {
            self.touch_posts(parent);
        }
    }

    fn touch_posts(&mut self, parent: Option<CommentId>) {
        // A reply whose parent is not loaded is listed at the top level.
        if parent.as_ref().is_some_and(|p| !self.nodes.contains_key(p)) {
            self.touched.insert(Touched::Node(None));
        }
        self.touched.insert(Touched::Node(parent));
        // The empty-thread message depends on whether any post is on its way.
        self.touched.insert(Touched::Meta);
    }

    /// Opens or closes the reply form below a comment.
    pub fn set_replying(&mut self, id: &CommentId, open: bool) {
        // Not over a delete or report on its way: its answer is to be seen.
        if open && self.own.busy(id) {
            return;
        }
        if open {
            // In front of a delete or report form (kept behind it).
            self.reply_in_front.insert(id.clone());
            self.touched.insert(Touched::Node(Some(id.clone())));
        } else {
            self.reply_in_front.remove(id);
        }
        let changed = if open { self.replying.insert(id.clone()) } else { self.replying.remove(id) };
        if changed {
            self.touched.insert(Touched::Node(Some(id.clone())));
        }
    }

    // ---- edit, delete, report ------------------------------------------------------------------

    /// Grants, panels and what the server offers (see [`OwnWords`]).
    pub fn own(&self) -> &OwnWords {
        &self.own
    }

    /// Changes what is open below comment `id` (its view hears of it).
    pub fn own_change<R>(&mut self, id: &CommentId, f: impl FnOnce(&mut OwnWords) -> R) -> R {
        self.touched.insert(Touched::Node(Some(id.clone())));
        f(&mut self.own)
    }

    /// Brings the comment's delete or report form, if one is open, in front of its reply form
    /// (opened again by its button, or with something to say).
    pub fn panel_to_front(&mut self, id: &CommentId) {
        if matches!(self.own.panel(id), Panel::Deleting | Panel::Reporting) {
            self.reply_in_front.remove(id);
            self.touched.insert(Touched::Node(Some(id.clone())));
        }
    }

    /// Changes what the reader typed in an open form: no view needs to hear of it (the form holds
    /// the text too).
    pub fn own_typing<R>(&mut self, f: impl FnOnce(&mut OwnWords) -> R) -> R {
        f(&mut self.own)
    }

    /// Grants kept from before a reload.
    pub fn restore_grants(&mut self, grants: impl IntoIterator<Item = (CommentId, Grant)>) {
        for (id, grant) in grants {
            self.touched.insert(Touched::Node(Some(id.clone())));
            self.own.add_grant(id, grant);
        }
    }

    /// Forgets the grants past their time at `now_ms`; returns the comments that lost theirs.
    pub fn expire_grants(&mut self, now_ms: f64) -> Vec<CommentId> {
        let gone = self.own.expire(now_ms);
        self.touched.extend(gone.iter().map(|id| Touched::Node(Some(id.clone()))));
        gone
    }

    /// The server offers no edit and delete (it answered 404 or 405).
    pub fn changes_unsupported(&mut self) {
        self.touched.extend(self.nodes.keys().map(|id| Touched::Node(Some(id.clone()))));
        self.own.changes_unsupported();
    }

    /// The server takes no reports (it answered 404 or 405): the thread hides every Report.
    pub fn reports_unsupported(&mut self) {
        self.touched.insert(Touched::Meta);
        self.own.reports_unsupported();
    }

    /// The server's answer to an edit: the comment's new text (and time of edit), here and in any
    /// page read before it; the edit form closes.
    pub fn comment_edited(&mut self, edited: Comment) {
        let id = edited.id.clone();
        self.own.edit_saved(&id);
        self.touched.insert(Touched::Node(Some(id.clone())));
        self.apply_edit(&edited);
        self.applied.insert(id, Applied::Edited(Box::new(edited)));
    }

    /// The server's answer to this reader's edit: the latest text there is (times have whole
    /// seconds: two edits in one second look the same age).
    fn apply_edit(&mut self, edited: &Comment) {
        let Some(node) = self.nodes.get_mut(&edited.id) else { return };
        if node.comment.deleted {
            return;
        }
        // Its text and time of edit; the rest (where it is listed, its counts) stays as it is.
        let comment =
            Comment { body: edited.body.clone(), edited_at: edited.edited_at.clone(), ..(*node.comment).clone() };
        node.comment = Arc::new(comment);
        self.touched.insert(Touched::Node(Some(edited.id.clone())));
    }

    /// Applies this reader's confirmed edits and deletes to the comments a page brings, before they
    /// are merged: a page read before them still has the old text, or the deleted comments. Returns
    /// how many comments it counted as live that are deleted (its `total` counted them). An edit the
    /// page already shows (or a later one) is forgotten: from then on the server's text holds.
    fn overlay(&mut self, comments: &mut Vec<Comment>) -> u64 {
        if self.applied.is_empty() {
            return 0;
        }
        let mut seen_edits = Vec::new();
        let (deleted, _) = overlay_level(&self.applied, comments, &mut seen_edits);
        for id in seen_edits {
            self.applied.remove(&id);
        }
        deleted
    }

    /// The server deleted comment `id`: with replies (shown or not) it stays as a tombstone; without,
    /// it leaves its list, and so does each tombstone above it left with nothing below. The total
    /// drops by one.
    pub fn comment_deleted(&mut self, id: &CommentId) {
        self.own.deleted(id);
        self.applied.insert(id.clone(), Applied::Deleted);
        self.apply_delete(id);
    }

    fn apply_delete(&mut self, id: &CommentId) {
        self.replying.remove(id);
        let Some(node) = self.nodes.get_mut(id) else { return };
        if node.comment.deleted {
            return;
        }
        self.total = self.total.saturating_sub(1);
        self.touched.insert(Touched::Meta);
        self.touched.insert(Touched::Node(Some(id.clone())));
        let tombstone = Comment {
            author: crate::api::CommentAuthor { name: String::new(), avatar_url: None },
            body: String::new(),
            deleted: true,
            reactions: Vec::new(),
            ..(*node.comment).clone()
        };
        node.comment = Arc::new(tombstone);
        // Nothing below: it goes, with the tombstones above left empty.
        let mut next = Some(id.clone());
        while let Some(id) = next.take() {
            let Some(node) = self.nodes.get(&id) else { break };
            if !node.comment.deleted || node.reply_count > 0 || !node.children.is_empty() {
                break;
            }
            let parent = node.parent.clone();
            self.nodes.remove(&id);
            self.replying.remove(&id);
            match &parent {
                None => self.roots.retain(|r| *r != id),
                Some(p) => {
                    if let Some(p) = self.nodes.get_mut(p) {
                        p.children.retain(|c| *c != id);
                    }
                    // Every ancestor counts one reply less.
                    let mut up = Some(p.clone());
                    while let Some(a) = up.take() {
                        if let Some(a_node) = self.nodes.get_mut(&a) {
                            a_node.reply_count = a_node.reply_count.saturating_sub(1);
                            self.touched.insert(Touched::Node(Some(a.clone())));
                            up = a_node.parent.clone();
                        }
                    }
                }
            }
            self.touched.insert(Touched::Node(parent.clone()));
            next = parent;
        }
    }
}

/// Whether a page shows an edit made after this reader's (made at `mine`): its `edited_at` is
/// later. (The same second is not later: the reader's own edit is the latest this tab knows.)
fn edited_since(mine: Option<&str>, shown: Option<&str>) -> bool {
    let time = |t: Option<&str>| t.and_then(crate::format::parse_time);
    matches!((time(mine), time(shown)), (Some(mine), Some(shown)) if shown > mine)
}

/// [`ThreadStore::overlay`] on one level of a page's tree, replies first: returns the comments it
/// deleted that the page held as live, and the ones it took out of the tree (their ancestors'
/// `reply_count` drops; a tombstone still counts). Recursion is bounded by the decoded depth cap.
fn overlay_level(
    applied: &HashMap<CommentId, Applied>,
    comments: &mut Vec<Comment>,
    seen_edits: &mut Vec<CommentId>,
) -> (u64, u64) {
    let (mut deleted, mut removed) = (0, 0);
    comments.retain_mut(|c| {
        let (deleted_below, removed_below) = overlay_level(applied, &mut c.replies, seen_edits);
        deleted += deleted_below;
        removed += removed_below;
        c.reply_count = c.reply_count.saturating_sub(removed_below);
        // A tombstone left with nothing below goes too (as the store's cascade did).
        if c.deleted && removed_below > 0 && c.reply_count == 0 && c.replies.is_empty() {
            removed += 1;
            return false;
        }
        match applied.get(&c.id) {
            Some(Applied::Deleted) => {
                if !c.deleted {
                    deleted += 1;
                }
                if c.reply_count > 0 || !c.replies.is_empty() {
                    c.deleted = true;
                    c.body.clear();
                    c.author.name.clear();
                    c.reactions.clear();
                    true
                } else {
                    removed += 1;
                    false
                }
            }
            Some(Applied::Edited(edited)) => {
                let shows_it = c.body == edited.body && c.edited_at == edited.edited_at;
                if shows_it || c.deleted || edited_since(edited.edited_at.as_deref(), c.edited_at.as_deref()) {
                    seen_edits.push(c.id.clone());
                } else {
                    c.body = edited.body.clone();
                    c.edited_at = edited.edited_at.clone();
                }
                true
            }
            None => true,
        }
    });
    (deleted, removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::CommentAuthor;
    use crate::thread::PostStatus;

    fn c(id: &str, replies: Vec<Comment>) -> Comment {
        Comment {
            id: id.into(),
            parent_id: None,
            author: CommentAuthor { name: "A".into(), avatar_url: None },
            body: format!("body {id}"),
            created_at: "2026-11-20T10:00:00Z".into(),
            edited_at: None,
            reactions: vec![],
            reply_count: replies.iter().map(|r| 1 + r.reply_count).sum(),
            replies,
            deleted: false,
        }
    }
    fn posted(id: &str, parent: Option<&str>) -> Comment {
        Comment { parent_id: parent.map(Into::into), ..c(id, vec![]) }
    }
    fn reply(id: &str, parent: &str, replies: Vec<Comment>) -> Comment {
        Comment { parent_id: Some(parent.into()), ..c(id, replies) }
    }
    fn page(comments: Vec<Comment>, next: Option<&str>, total: u64) -> CommentPage {
        CommentPage { comments, next_cursor: next.map(Into::into), total }
    }
    fn ids(v: Vec<CommentId>) -> Vec<String> {
        v.into_iter().map(|id| id.to_string()).collect()
    }
    fn shown(t: &ThreadStore, parent: Option<&str>) -> Vec<String> {
        ids(t.shown_children(parent.map(CommentId::from).as_ref()))
    }
    fn ready(comments: Vec<Comment>, next: Option<&str>, sort: Sort) -> ThreadStore {
        let mut t = ThreadStore::new(sort);
        let g = t.begin_load(sort);
        let total = comments.len() as u64;
        assert!(t.loaded(g, page(comments, next, total)));
        while t.reveal(1000) {}
        t
    }
    fn new(body: &str, parent: Option<&str>) -> NewComment {
        NewComment { author_name: "Me".into(), body: body.into(), parent_id: parent.map(Into::into) }
    }
    fn key(k: &str) -> IdempotencyKey {
        k.into()
    }

    #[test]
    fn deleting_leaves_a_tombstone_over_replies_and_removes_the_rest() {
        let tree = vec![c("1", vec![reply("2", "1", vec![reply("3", "2", vec![])])]), c("4", vec![])];
        let mut t = ready(tree, None, Sort::Oldest);
        let total = t.total();
        t.take_touched();
        t.comment_deleted(&"2".into());
        let tomb = t.comment(&"2".into()).unwrap().clone();
        assert!(tomb.deleted && tomb.body.is_empty() && tomb.author.name.is_empty() && tomb.reactions.is_empty());
        assert_eq!(shown(&t, Some("1")), ["2"], "kept in its place");
        assert_eq!(shown(&t, Some("2")), ["3"], "with its replies");
        assert_eq!(t.total(), total - 1);
        assert!(t.take_touched().contains(&Touched::Node(Some("2".into()))));
        t.comment_deleted(&"2".into());
        assert_eq!(t.total(), total - 1, "deleting again changes nothing");
        // The last reply below a tombstone goes, and the tombstone with it.
        t.comment_deleted(&"3".into());
        assert!(!t.contains(&"3".into()) && !t.contains(&"2".into()));
        assert_eq!((shown(&t, Some("1")), t.reply_count(&"1".into())), (Vec::<String>::new(), 0));
        assert_eq!(t.total(), total - 2);
        t.comment_deleted(&"4".into());
        assert_eq!(shown(&t, None), ["1"]);
        assert!(t.take_touched().contains(&Touched::Node(None)));
        // A comment whose replies are not loaded yet stays as a tombstone.
        let mut t = ready(vec![Comment { reply_count: 5, ..c("9", vec![]) }], None, Sort::Oldest);
        t.comment_deleted(&"9".into());
        assert_eq!(shown(&t, None), ["9"]);
    }

    #[test]
    fn an_edit_replaces_the_text_where_the_comment_is() {
        let mut t = ready(vec![c("1", vec![reply("2", "1", vec![])])], None, Sort::Oldest);
        let edited = Comment {
            body: "new".into(),
            edited_at: Some("2026-11-20T10:05:00Z".into()),
            parent_id: Some("1".into()),
            ..c("2", vec![])
        };
        t.comment_edited(edited);
        let now = t.comment(&"2".into()).unwrap();
        assert_eq!((now.body.as_str(), now.edited_at.is_some()), ("new", true));
        // Edited again within the same second: the answer is still the latest text.
        let again = Comment {
            body: "newer".into(),
            edited_at: Some("2026-11-20T10:05:00Z".into()),
            parent_id: Some("1".into()),
            ..c("2", vec![])
        };
        t.comment_edited(again);
        assert_eq!(t.comment(&"2".into()).unwrap().body, "newer");
        assert_eq!(shown(&t, Some("1")), ["2"]);
    }

    #[test]
    fn edits_and_deletes_survive_a_page_read_before_them() {
        let mut t = ready(vec![c("1", vec![]), c("2", vec![reply("3", "2", vec![])])], None, Sort::Oldest);
        let g = t.begin_load(Sort::Newest);
        // Answered while the reload is on its way: nothing is shown, the answers are kept.
        t.comment_edited(Comment {
            body: "new".into(),
            edited_at: Some("2026-11-20T10:05:00Z".into()),
            ..c("1", vec![])
        });
        t.comment_deleted(&"2".into());
        t.comment_deleted(&"3".into());
        // The page was read before both: it has the old text and the deleted comments.
        assert!(t.loaded(g, page(vec![c("2", vec![reply("3", "2", vec![])]), c("1", vec![])], None, 3)));
        while t.reveal(100) {}
        assert_eq!(t.comment(&"1".into()).unwrap().body, "new");
        assert_eq!(shown(&t, None), ["1"], "3 gone, and the tombstone 2 with it");
        assert_eq!(t.total(), 1);
        // A page read after them agrees, and nothing is counted twice.
        let g = t.begin_load(Sort::Oldest);
        let after = Comment { body: "new".into(), edited_at: Some("2026-11-20T10:05:00Z".into()), ..c("1", vec![]) };
        assert!(t.loaded(g, page(vec![after], None, 1)));
        while t.reveal(100) {}
        assert_eq!((shown(&t, None), t.total()), (vec!["1".to_string()], 1));
    }

    #[test]
    fn the_reply_form_and_the_delete_or_report_form_take_turns_below_a_comment() {
        let mut t = ready(vec![c("1", vec![])], None, Sort::Oldest);
        let id = CommentId::from("1");
        t.set_replying(&id, true);
        assert_eq!(t.below(&id), Panel::Replying);
        t.own_change(&id, |o| o.open_report(&id));
        t.panel_to_front(&id);
        t.own_change(&id, |o| o.report_note(&id, "typed".into()));
        assert_eq!((t.below(&id), t.is_replying(&id)), (Panel::Reporting, true), "in front, the reply kept behind");
        t.set_replying(&id, true);
        assert_eq!(t.below(&id), Panel::Replying, "Reply again: in front");
        assert_eq!(t.own().report(&id).map(|f| f.note.as_str()), Some("typed"), "the report kept behind");
        t.panel_to_front(&id);
        assert_eq!(t.below(&id), Panel::Reporting, "its button brings the report back in front");
        t.set_replying(&id, true);
        t.set_replying(&id, false);
        assert_eq!(t.below(&id), Panel::Reporting, "the reply closed: the report is back");
        // While it is on its way, Reply waits: the answer is to be seen.
        t.own_change(&id, |o| o.choose_reason(&id, crate::api::ReportReason::Spam));
        t.own_change(&id, |o| o.send_report(&id));
        t.set_replying(&id, true);
        assert_eq!((t.below(&id), t.is_replying(&id)), (Panel::Reporting, false));
        t.own_change(&id, |o| o.report_failed(&id, "offline".into()));
        t.own_change(&id, |o| o.close(&id));
        assert_eq!(t.below(&id), Panel::Closed);
    }

    #[test]
    fn a_page_read_before_a_delete_or_an_edit_is_corrected_before_it_is_merged() {
        let mut t = ready(vec![c("1", vec![reply("2", "1", vec![])]), c("5", vec![])], None, Sort::Oldest);
        t.comment_deleted(&"2".into());
        t.comment_edited(Comment {
            body: "mine".into(),
            edited_at: Some("2026-11-20T10:05:00Z".into()),
            ..c("5", vec![])
        });
        assert_eq!((t.total(), t.reply_count(&"1".into())), (1, 0));
        // A replies page asked before the delete brings 2 back: it stays gone, counted once.
        assert!(t.replies_loaded(t.generation(), &"1".into(), page(vec![reply("2", "1", vec![])], None, 1)));
        assert!(!t.contains(&"2".into()));
        assert_eq!((t.total(), t.reply_count(&"1".into())), (1, 0));
        // A reload read before both: corrected, and its total too.
        let g = t.begin_load(Sort::Oldest);
        assert!(t.loaded(g, page(vec![c("1", vec![reply("2", "1", vec![])]), c("5", vec![])], None, 3)));
        while t.reveal(100) {}
        assert_eq!((t.total(), t.reply_count(&"1".into()), shown(&t, Some("1"))), (2, 0, vec![]));
        assert_eq!(t.comment(&"5".into()).unwrap().body, "mine");
        // A page with a later edit (from another tab) wins, and the kept edit is forgotten.
        let g = t.begin_load(Sort::Oldest);
        let later = Comment { body: "later".into(), edited_at: Some("2026-11-20T10:09:00Z".into()), ..c("5", vec![]) };
        assert!(t.loaded(g, page(vec![c("1", vec![]), later], None, 2)));
        assert_eq!(t.comment(&"5".into()).unwrap().body, "later");
        let g = t.begin_load(Sort::Oldest);
        assert!(t.loaded(g, page(vec![c("1", vec![]), c("5", vec![])], None, 2)));
        assert_eq!(t.comment(&"5".into()).unwrap().body, "body 5", "no longer overridden");
    }

    #[test]
    fn a_stale_page_loses_a_tombstone_left_empty_by_a_delete() {
        let tomb = |replies| Comment { deleted: true, body: String::new(), ..c("1", replies) };
        let mut t = ready(vec![tomb(vec![reply("2", "1", vec![])]), c("3", vec![])], None, Sort::Oldest);
        t.comment_deleted(&"2".into());
        assert_eq!(shown(&t, None), ["3"], "the tombstone went with its last reply");
        let g = t.begin_load(Sort::Oldest);
        assert!(t.loaded(g, page(vec![tomb(vec![reply("2", "1", vec![])]), c("3", vec![])], None, 2)));
        while t.reveal(100) {}
        assert_eq!((shown(&t, None), t.total()), (vec!["3".to_string()], 1));
    }

    #[test]
    fn a_grant_comes_with_its_confirmed_post() {
        let mut t = ready(vec![], None, Sort::Oldest);
        t.post(key("k"), new("mine", None));
        let grant = Grant { token: "tok".into(), until_ms: 1e15 };
        t.post_confirmed(&key("k"), posted("9", None), Some(grant.clone()));
        assert_eq!(t.own().grant(&"9".into()), Some(&grant));
        assert!(t.own().editable_until(&"9".into(), 0.0).is_some());
        assert_eq!(t.expire_grants(1e15), [CommentId::from("9")]);
        assert_eq!(t.own().grant(&"9".into()), None);
    }

    #[test]
    fn pages_append_in_order_without_duplicates() {
        let mut t = ready(vec![c("1", vec![]), c("2", vec![])], Some("c1"), Sort::Oldest);
        assert!(t.more_loaded(t.generation(), page(vec![c("2", vec![]), c("3", vec![]), c("1", vec![])], None, 3)));
        t.reveal(100);
        assert_eq!(shown(&t, None), ["1", "2", "3"]);
        assert_eq!(t.next_cursor(), None);
    }

    #[test]
    fn an_id_listed_twice_is_shown_once_where_it_first_appeared() {
        let t =
            ready(vec![c("1", vec![c("r", vec![])]), c("r", vec![]), c("2", vec![c("r", vec![])])], None, Sort::Oldest);
        assert_eq!(shown(&t, None), ["1", "2"]);
        assert_eq!(shown(&t, Some("1")), ["r"]);
        assert!(shown(&t, Some("2")).is_empty());
    }

    #[test]
    fn comments_are_revealed_in_reading_order_a_slice_at_a_time() {
        let mut t = ThreadStore::new(Sort::Oldest);
        let g = t.begin_load(Sort::Oldest);
        t.loaded(g, page(vec![c("1", vec![c("1a", vec![]), c("1b", vec![])]), c("2", vec![])], None, 4));
        assert!(shown(&t, None).is_empty(), "nothing before the first slice");
        assert_eq!(t.unrevealed(), 4);
        assert!(t.reveal(2));
        assert_eq!(t.unrevealed(), 2);
        assert_eq!(shown(&t, None), ["1"]);
        assert_eq!(shown(&t, Some("1")), ["1a"]);
        t.take_touched();
        assert!(!t.reveal(2));
        assert_eq!(shown(&t, Some("1")), ["1a", "1b"]);
        assert_eq!(shown(&t, None), ["1", "2"]);
        let touched = t.take_touched();
        assert!(touched.contains(&Touched::Node(Some("1".into()))) && touched.contains(&Touched::Node(None)));
        assert_eq!(touched.len(), 2, "only the two lists that grew");
    }

    #[test]
    fn a_stale_load_is_dropped() {
        let mut t = ThreadStore::new(Sort::Oldest);
        let first = t.begin_load(Sort::Newest);
        let second = t.begin_load(Sort::Top);
        assert!(t.loaded(second, page(vec![c("top", vec![])], None, 1)));
        assert!(!t.loaded(first, page(vec![c("new", vec![])], None, 1)));
        assert!(!t.more_loaded(first, page(vec![c("new2", vec![])], None, 1)));
        assert_eq!(t.sort(), Sort::Top);
        t.reveal(10);
        assert_eq!(shown(&t, None), ["top"]);
    }

    #[test]
    fn a_post_confirmed_during_a_reload_is_shown_when_it_lands() {
        let mut t = ready(vec![c("1", vec![])], None, Sort::Oldest);
        t.post(key("k"), new("mine", None));
        let g = t.begin_load(Sort::Newest);
        t.post_confirmed(&key("k"), posted("9", None), None);
        assert!(t.posts().all().is_empty(), "no longer Sending");
        // The reloaded page was read before the post was stored: it lacks it.
        t.loaded(g, page(vec![c("1", vec![])], None, 1));
        t.reveal(10);
        assert_eq!(shown(&t, None), ["9", "1"]);
        // Had the page had it, it would be there once.
        let g = t.begin_load(Sort::Newest);
        t.post(key("k2"), new("again", None));
        t.post_confirmed(&key("k2"), posted("10", None), None);
        t.loaded(g, page(vec![c("10", vec![]), c("9", vec![]), c("1", vec![])], None, 3));
        t.reveal(10);
        assert_eq!(shown(&t, None), ["10", "9", "1"]);
    }

    #[test]
    fn a_post_failing_during_a_reload_stays_failed_for_a_retry() {
        let mut t = ready(vec![c("1", vec![])], None, Sort::Oldest);
        t.post(key("k"), new("mine", Some("1")));
        let g = t.begin_load(Sort::Top);
        t.post_failed(&key("k"), PostFailure::Retryable { message: "offline".into() });
        t.loaded(g, page(vec![c("1", vec![])], None, 1));
        assert!(matches!(t.pending_under(Some(&"1".into()))[0].status, PostStatus::Failed { .. }));
        assert!(t.retry(&key("k")).is_some());
    }

    #[test]
    fn replies_nest_and_count_in_every_ancestor() {
        let mut t = ready(vec![c("1", vec![])], None, Sort::Oldest);
        for (k, id, parent) in [("a", "2", "1"), ("b", "3", "2")] {
            t.post(key(k), new("r", Some(parent)));
            t.post_confirmed(&key(k), posted(id, Some(parent)), None);
        }
        assert_eq!(t.reply_count(&"1".into()), 2);
        assert_eq!(t.reply_count(&"2".into()), 1);
        assert_eq!(t.depth(&"3".into()), 2);
        assert_eq!(shown(&t, Some("2")), ["3"]);
        assert_eq!(t.total(), 3);
    }

    #[test]
    fn fresh_pages_add_only_what_belongs_among_the_loaded() {
        // Oldest first, more pages on the server: the fresh page's tail is page 2, not new.
        let mut t = ready(vec![c("1", vec![]), c("2", vec![])], Some("p2"), Sort::Oldest);
        t.fresh_loaded(
            t.generation(),
            page(vec![c("1", vec![c("1r", vec![])]), c("2", vec![]), c("3-old", vec![])], Some("x"), 9),
        );
        assert_eq!(shown(&t, None), ["1", "2"]);
        assert_eq!(shown(&t, Some("1")), ["1r"], "new replies of loaded comments come in");
        // Newest first: new ones come before the loaded ones.
        let mut t = ready(vec![c("2", vec![]), c("1", vec![])], Some("p2"), Sort::Newest);
        t.fresh_loaded(
            t.generation(),
            page(
                vec![c("4", vec![]), c("3", vec![]), c("2", vec![]), c("1", vec![]), c("0-old", vec![])],
                Some("x"),
                9,
            ),
        );
        assert_eq!(shown(&t, None), ["4", "3", "2", "1"]);
        // Everything loaded: new ones at the end are welcome.
        let mut t = ready(vec![c("1", vec![])], None, Sort::Oldest);
        t.fresh_loaded(t.generation(), page(vec![c("1", vec![]), c("2", vec![])], None, 2));
        assert_eq!(shown(&t, None), ["1", "2"]);
    }

    #[test]
    fn unseen_comments_exclude_this_readers_posts() {
        let mut t = ready(vec![c("1", vec![]), c("2", vec![])], None, Sort::Oldest);
        assert_eq!(t.unseen(4), 2);
        t.post(key("k"), new("mine", None));
        assert_eq!(t.unseen(3), 0);
        t.post_confirmed(&key("k"), posted("3", None), None);
        assert_eq!(t.unseen(3), 0);
        assert_eq!(t.unseen(1), 0, "never negative");
    }

    #[test]
    fn a_reply_whose_parent_is_not_loaded_waits_at_the_top_level() {
        let mut t = ready(vec![c("1", vec![])], Some("p2"), Sort::Oldest);
        t.post(key("k"), new("reply to 1", Some("1")));
        let g = t.begin_load(Sort::Newest);
        t.loaded(g, page(vec![c("2", vec![])], Some("p2"), 2));
        t.post_failed(&key("k"), PostFailure::Retryable { message: "offline".into() });
        let top = t.pending_under(None);
        assert_eq!(top.len(), 1, "its Retry stays in sight");
        assert!(t.pending_under(Some(&"1".into())).len() == 1, "and it is still a reply to 1");
    }

    #[test]
    fn failed_posts_do_not_hide_new_comments() {
        let mut t = ready(vec![c("1", vec![])], None, Sort::Oldest);
        t.post(key("k"), new("mine", None));
        t.post_failed(&key("k"), PostFailure::Retryable { message: "offline".into() });
        assert_eq!(t.unseen(2), 1, "a failed post is not on the server");
    }

    #[test]
    fn most_liked_first_a_fresh_page_adds_no_unknown_comment_while_pages_remain() {
        let mut t = ready(vec![c("a", vec![]), c("b", vec![])], Some("p2"), Sort::Top);
        // "x" may be a page-2 comment that gained likes: not new.
        t.fresh_loaded(t.generation(), page(vec![c("a", vec![]), c("x", vec![]), c("b", vec![])], Some("n"), 9));
        assert_eq!(shown(&t, None), ["a", "b"]);
    }

    #[test]
    fn with_everything_loaded_a_capped_fresh_page_keeps_the_rest_reachable() {
        let mut t = ready(vec![c("1", vec![]), c("2", vec![])], None, Sort::Oldest);
        t.fresh_loaded(t.generation(), page(vec![c("1", vec![]), c("2", vec![]), c("3", vec![])], Some("after-3"), 5));
        assert_eq!(shown(&t, None), ["1", "2", "3"]);
        assert_eq!(t.next_cursor(), Some("after-3"), "Load more brings 4 and 5");
    }

    #[test]
    fn posts_confirmed_during_a_reload_are_counted_once() {
        // Newest first: the page would hold the post had it been read after; it lacks it, so it was
        // read before, and neither lists nor counts it.
        let mut t = ready(vec![c("1", vec![])], None, Sort::Oldest);
        t.post(key("k"), new("mine", None));
        let g = t.begin_load(Sort::Newest);
        t.post_confirmed(&key("k"), posted("9", None), None);
        t.loaded(g, page(vec![c("1", vec![])], None, 1));
        assert_eq!(t.total(), 2);
        // Oldest first with more pages: the post belongs at the end, beyond this page, which may well
        // count it already.
        let mut t = ready(vec![c("1", vec![])], None, Sort::Oldest);
        t.post(key("k"), new("mine", None));
        let g = t.begin_load(Sort::Oldest);
        t.post_confirmed(&key("k"), posted("9", None), None);
        t.loaded(g, page(vec![c("1", vec![])], Some("p2"), 5));
        assert_eq!(t.total(), 5);
        assert!(t.contains(&"9".into()), "shown to its author all the same");
    }

    #[test]
    fn replies_not_sent_inline_are_missing_until_their_pages_come() {
        let mut t = ThreadStore::new(Sort::Oldest);
        let g = t.begin_load(Sort::Oldest);
        // A comment with 10 replies, 3 of them inline; the first inline one has 2 of its own, 1 inline.
        let mut first = reply("r0", "1", vec![reply("r0a", "r0", vec![])]);
        first.reply_count = 2;
        let mut top = c("1", vec![first, reply("r1", "1", vec![]), reply("r2", "1", vec![])]);
        top.reply_count = 12;
        assert!(t.loaded(g, CommentPage { comments: vec![top], next_cursor: None, total: 13 }));
        while t.reveal(1000) {}
        assert_eq!(t.missing_replies(&"1".into()), 7);
        assert_eq!(t.missing_replies(&"r0".into()), 1);
        assert_eq!(t.replies_cursor(&"1".into()), Some(None));
        // The first page repeats the inline ones; only the unknown are added, in order.
        let page = |ids: &[&str], next: Option<&str>| CommentPage {
            comments: ids.iter().map(|id| reply(id, "1", vec![])).collect(),
            next_cursor: next.map(Into::into),
            total: 12,
        };
        assert!(t.replies_loaded(g, &"1".into(), page(&["r1", "r2", "r3", "r4"], Some("c1"))));
        assert_eq!(t.missing_replies(&"1".into()), 5);
        assert_eq!(t.replies_cursor(&"1".into()), Some(Some("c1")));
        assert!(t.replies_loaded(g, &"1".into(), page(&["r5", "r6", "r7", "r8", "r9"], None)));
        assert_eq!(t.missing_replies(&"1".into()), 0);
        assert_eq!(t.replies_cursor(&"1".into()), None);
        assert_eq!(shown(&t, Some("1")), ["r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9"]);
        // An older load's answer is dropped.
        let g2 = t.begin_load(Sort::Oldest);
        assert!(!t.replies_loaded(g, &"1".into(), page(&["x"], None)));
        let _ = g2;
    }

    #[test]
    fn flattened_replies_count_for_the_comment_they_answer() {
        // A chain of 32 (depths 0–31), then below c31, flattened: a (with a1, a2, a3) and b.
        let mut chain: Option<Comment> = None;
        let mut flat = vec![
            reply("a", "c31", vec![]),
            reply("a1", "a", vec![]),
            reply("a2", "a", vec![]),
            reply("a3", "a", vec![]),
            reply("b", "c31", vec![]),
        ];
        flat[0].reply_count = 3;
        for i in (0..32).rev() {
            let replies = match chain.take() {
                Some(below) => vec![below],
                None => std::mem::take(&mut flat),
            };
            let mut c =
                if i == 0 { c("c0", replies) } else { reply(&format!("c{i}"), &format!("c{}", i - 1), replies) };
            c.reply_count = 5 + (31 - i) as u64;
            chain = Some(c);
        }
        let t = ready(chain.into_iter().collect(), None, Sort::Oldest);
        for id in ["c0", "c30", "c31", "a", "b"] {
            assert_eq!(t.missing_replies(&id.into()), 0, "{id}");
        }
    }

    #[test]
    fn a_confirmed_reply_to_a_comment_not_loaded_is_counted() {
        let mut t = ready(vec![c("1", vec![])], None, Sort::Oldest);
        t.post(key("k"), new("reply", Some("elsewhere")));
        t.post_confirmed(&key("k"), posted("9", Some("elsewhere")), None);
        assert_eq!(t.total(), 2);
        assert_eq!(t.unseen(2), 0, "not announced as new to its author");
    }

    // proptest is a native dev-dependency: the properties run natively.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// What can happen to a thread, in any order.
        #[derive(Clone, Debug)]
        enum Event {
            Reload(u8),
            /// The answer of the `n`-th most recent load, with these top-level ids (and replies).
            Loaded(u8, Vec<(u8, Vec<u8>)>, bool),
            LoadFailed(u8),
            More(Vec<(u8, Vec<u8>)>),
            Fresh(Vec<(u8, Vec<u8>)>),
            Reveal(u8),
            /// A post below this comment (`None` at the top), with this key.
            Post(Option<u8>, u8),
            Confirm(u8, u8),
            Fail(u8, bool),
            Retry(u8),
            Withdraw(u8),
        }

        fn tree() -> impl Strategy<Value = Vec<(u8, Vec<u8>)>> {
            prop::collection::vec((0u8..30, prop::collection::vec(0u8..30, 0..4)), 0..6)
        }

        fn event() -> impl Strategy<Value = Event> {
            prop_oneof![
                (0u8..3).prop_map(Event::Reload),
                (0u8..3, tree(), any::<bool>()).prop_map(|(n, t, more)| Event::Loaded(n, t, more)),
                (0u8..3).prop_map(Event::LoadFailed),
                tree().prop_map(Event::More),
                tree().prop_map(Event::Fresh),
                (0u8..20).prop_map(Event::Reveal),
                (prop::option::of(0u8..30), 0u8..6).prop_map(|(p, k)| Event::Post(p, k)),
                (0u8..6, 100u8..120).prop_map(|(k, id)| Event::Confirm(k, id)),
                (0u8..6, any::<bool>()).prop_map(|(k, retryable)| Event::Fail(k, retryable)),
                (0u8..6).prop_map(Event::Retry),
                (0u8..6).prop_map(Event::Withdraw),
            ]
        }

        fn to_page(tree: &[(u8, Vec<u8>)], more: bool) -> CommentPage {
            let comments: Vec<Comment> = tree
                .iter()
                .map(|(id, replies)| {
                    c(&id.to_string(), replies.iter().map(|r| c(&format!("{id}.{r}"), vec![])).collect())
                })
                .collect();
            CommentPage { total: comments.len() as u64, comments, next_cursor: more.then(|| "next".into()) }
        }

        /// Every id at most once across all lists, and each listed where its parent is.
        fn check_tree(t: &ThreadStore) -> Result<(), TestCaseError> {
            let mut seen = HashSet::default();
            let mut stack: Vec<(Option<CommentId>, CommentId)> = t.roots.iter().map(|id| (None, id.clone())).collect();
            while let Some((parent, id)) = stack.pop() {
                prop_assert!(seen.insert(id.clone()), "{id} listed twice");
                let node = &t.nodes[&id];
                prop_assert_eq!(&node.comment.parent_id, &parent, "{} under its parent", id);
                prop_assert_eq!(&node.parent, &parent);
                prop_assert_eq!(node.depth, parent.as_ref().map_or(0, |p| t.nodes[p].depth + 1));
                stack.extend(node.children.iter().map(|c| (Some(id.clone()), c.clone())));
            }
            prop_assert_eq!(seen.len(), t.nodes.len(), "every loaded comment is listed");
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(400))]
            #[test]
            fn any_interleaving_keeps_the_thread_whole(events in prop::collection::vec(event(), 1..60)) {
                let mut t = ThreadStore::new(Sort::Oldest);
                let mut generations = vec![t.begin_load(Sort::Oldest)];
                // Keys whose post is on its way (not confirmed, refused or withdrawn), and confirmed ids.
                let mut open: HashSet<u8> = HashSet::default();
                // Confirmed posts that must be shown: top-level ones, and replies whose parent was loaded.
                let mut confirmed: Vec<CommentId> = Vec::new();
                for event in events {
                    match event {
                        Event::Reload(s) => {
                            generations.push(t.begin_load(Sort::ALL[s as usize % 3]));
                            // The server's page brings what was confirmed before; only later ones are the store's to keep.
                            confirmed.clear();
                        }
                        Event::Loaded(n, tree, more) => {
                            if let Some(g) = generations.iter().rev().nth(n as usize) {
                                t.loaded(*g, to_page(&tree, more));
                            }
                        }
                        Event::LoadFailed(n) => {
                            if let Some(g) = generations.iter().rev().nth(n as usize) {
                                t.load_failed(*g, "no".into());
                            }
                        }
                        Event::More(tree) => { t.more_loaded(t.generation(), to_page(&tree, false)); }
                        Event::Fresh(tree) => { t.fresh_loaded(t.generation(), to_page(&tree, false)); }
                        Event::Reveal(n) => { t.reveal(n as usize); }
                        Event::Post(parent, k) => {
                            let parent = parent.map(|p| CommentId::from(p.to_string())).filter(|p| t.contains(p));
                            if t.post(key(&k.to_string()), NewComment { author_name: "Me".into(), body: format!("b{k}"), parent_id: parent }).is_some() {
                                // A post replaces the failed ones of its composer.
                                open.retain(|other| t.posts().get(&key(&other.to_string())).is_some());
                                open.insert(k);
                            }
                        }
                        Event::Confirm(k, id) => {
                            let key = key(&k.to_string());
                            if let Some(post) = t.posts().get(&key).filter(|p| p.status == PostStatus::Sending).cloned() {
                                let comment = Comment { parent_id: post.comment.parent_id.clone(), ..c(&id.to_string(), vec![]) };
                                let placeable = match &post.comment.parent_id {
                                    None => true,
                                    Some(parent) => t.phase() == &Phase::Ready && t.contains(parent),
                                };
                                t.post_confirmed(&key, comment, None);
                                open.remove(&k);
                                if placeable {
                                    confirmed.push(id.to_string().into());
                                }
                            }
                        }
                        Event::Fail(k, retryable) => {
                            let key = key(&k.to_string());
                            if t.posts().get(&key).is_some_and(|p| p.status == PostStatus::Sending) {
                                let failure = if retryable { PostFailure::Retryable { message: "x".into() } } else { PostFailure::Refused { message: "x".into() } };
                                t.post_failed(&key, failure);
                                if !retryable { open.remove(&k); }
                            }
                        }
                        Event::Retry(k) => { t.retry(&key(&k.to_string())); }
                        Event::Withdraw(k) => { if t.withdraw(&key(&k.to_string())) { open.remove(&k); } }
                    }
                    check_tree(&t)?;
                    // No pending post lost.
                    for k in &open {
                        prop_assert!(t.posts().get(&key(&k.to_string())).is_some(), "post {} lost", k);
                    }
                    prop_assert_eq!(t.posts().all().len(), open.len());
                    // A confirmed post is shown (exactly once: check_tree) while the thread is ready.
                    if t.phase() == &Phase::Ready {
                        for id in &confirmed {
                            prop_assert!(t.contains(id), "confirmed {} missing", id);
                        }
                    }
                }
                while t.reveal(7) {}
                // Revealed lists hold each loaded id exactly once.
                let mut all = Vec::new();
                let mut stack = vec![None];
                while let Some(p) = stack.pop() {
                    for id in t.shown_children(p.as_ref()) {
                        all.push(id.clone());
                        stack.push(Some(id));
                    }
                }
                let unique: HashSet<_> = all.iter().cloned().collect();
                prop_assert_eq!(unique.len(), all.len());
                prop_assert_eq!(all.len(), t.nodes.len(), "everything loaded ends up on screen");
            }
        }
    }
}
