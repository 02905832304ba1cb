//! [`ThreadHandle`]: the controller of one comment thread. It owns the [`ThreadStore`], the requests
//! (loads, pages, posts, retries, the check for new comments), the timers, and one reactive trigger
//! per part of the thread, so that a change re-renders only the lists it touched. Views read through
//! it and call its actions; they hold no state machine of their own.

use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

mod own;

use super::{ComposerHandle, FormError, Load};
use crate::api::limits::MAX_PAGE_SIZE;
use crate::api::{ApiClient, ApiError, ArticleId, Comment, CommentId, CommentPage, IdempotencyKey, NewComment, Sort};
use crate::backoff::Backoff;
use crate::drafts::Drafts;
use crate::grants::Grants;
use crate::i18n::Msg;
use crate::i18n::Strings;
use crate::platform::{self, spawn_local};
use crate::sync;
use crate::thread::{each_comment, Grant, Panel, PendingPost, Phase, PostFailure, PostRequest, ThreadStore, Touched};

/// Comments put on screen in the first task after a page arrives: enough to fill a screen.
const FIRST_SLICE: usize = 100;
/// What one task of putting comments on screen may take, in milliseconds: well below the 50 ms of a
/// long task, so that scrolling and typing on the host page stay responsive.
const SLICE_MS: f64 = 35.0;
/// The bounds of a slice, in comments, whatever the device's speed.
const SLICE_BOUNDS: (usize, usize) = (20, 2000);
/// A page of more comments than this takes a good part of a task to read (a 10,000-comment page is
/// about 3.5 MB of JSON): its first slice waits for the next task.
const READ_IN_A_TASK_OF_ITS_OWN: usize = 2000;
/// What a slice may take, in milliseconds, when it puts the last comments on screen: a rest that
/// small is put on screen in one slice rather than two (a frame each). Still below a long task's 50.
const LAST_SLICE_MS: f64 = 42.0;
/// The longest wait a `Retry-After` can impose on the composer, in seconds (counted down on its
/// button): the API's cap.
pub const MAX_COOLDOWN_SECONDS: u32 = crate::api::MAX_RETRY_AFTER_SECONDS;
/// The longest the check for new comments waits between asks while the server fails (or asks for
/// time), in seconds.
const MAX_POLL_WAIT_SECONDS: u32 = 30 * 60;

/// What a comment's view follows below its card ([`ThreadHandle::row`]): one value, read once per
/// change, so that a comment in a long thread pays for one memo, not one per question.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Row {
    /// What is open below it: its reply form, or its delete or report form, or the thanks for a
    /// report (see [`ThreadStore::below`]).
    pub below: Panel,
    /// All replies below it, at any depth.
    pub replies: u64,
    /// Whether anything is shown below it (a reply, or a post on its way).
    pub shown_below: bool,
}

impl Row {
    /// Whether it has replies (at any depth).
    pub fn has_replies(&self) -> bool {
        self.replies > 0
    }

    /// Whether it has a list of replies to show (or a post on its way there).
    pub fn has_list(&self) -> bool {
        self.has_replies() || self.shown_below
    }
}

/// What the thread needs from outside, fixed for its life.
struct Services {
    api: ApiClient,
    article_id: ArticleId,
    drafts: Drafts,
    /// This reader's grants to edit their comments.
    grants: Grants,
    strings: Strings,
    page_size: u32,
}

/// The controller of a thread: `Copy`, provided in context by
/// [`CommentThread`](crate::components::CommentThread); get it with [`use_thread`].
#[derive(Clone, Copy)]
pub struct ThreadHandle {
    store: StoredValue<ThreadStore>,
    /// Phase, total, sort, next page.
    meta: Trigger,
    /// One trigger per shown list (`None`: the top level), made when a view first reads it.
    nodes: StoredValue<HashMap<Option<CommentId>, ArcTrigger>>,
    services: StoredValue<Services, LocalStorage>,
    more: RwSignal<Load<()>>,
    unseen: RwSignal<u64>,
    /// Seconds until the server lets this reader post again (after a 429).
    cooldown: RwSignal<u32>,
    /// What a polite live region says last ("Comment posted.").
    announcement: RwSignal<String>,
    composers: StoredValue<HashMap<Option<CommentId>, ComposerHandle>>,
    /// Refusals for forms that were closed when they came: shown when the form opens again.
    refusals: StoredValue<HashMap<Option<CommentId>, FormError>>,
    /// Comments whose reply draft survived a reload, read once.
    reply_drafts: StoredValue<HashSet<CommentId>>,
    /// The check for new comments, backing off while it fails.
    poll: StoredValue<(Backoff, u32)>,
    /// "Show N more replies", by comment: loading, or failed with its sentence.
    reply_loads: RwSignal<HashMap<CommentId, Load<()>>>,
}

/// The thread around the calling component, if any.
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use article_widget::state::use_thread;
/// // Inside a component below a CommentThread: a count that follows the thread.
/// let total = move || use_thread().and_then(|t| t.total()).unwrap_or(0);
/// let view = view! { <span>{total}</span> };
/// ```
pub fn use_thread() -> Option<ThreadHandle> {
    use_context::<ThreadHandle>()
}

/// Where the other parts of a widget find its thread, which a [`CommentThread`] below them makes:
/// the comment count under the headline follows the thread's total. A
/// [`ArticleWidget`](crate::components::ArticleWidget) provides one; the thread puts itself in.
///
/// [`CommentThread`]: crate::components::CommentThread
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use article_widget::state::ThreadSlot;
/// let slot = ThreadSlot::new();
/// provide_context(slot);
/// // …a CommentThread below fills it; any part can follow the total:
/// let total = move || slot.total().unwrap_or(0);
/// ```
#[derive(Clone, Copy)]
pub struct ThreadSlot(RwSignal<Option<ThreadHandle>, LocalStorage>);

impl ThreadSlot {
    /// An empty slot.
    pub fn new() -> ThreadSlot {
        ThreadSlot(RwSignal::new_local(None))
    }

    /// All comments of the article, once the thread in the slot has loaded (tracked).
    pub fn total(&self) -> Option<u64> {
        self.0.try_get().flatten().and_then(|thread| thread.total())
    }

    fn fill(&self, thread: ThreadHandle) {
        self.0.try_set(Some(thread));
    }
}

impl Default for ThreadSlot {
    fn default() -> ThreadSlot {
        ThreadSlot::new()
    }
}

impl ThreadHandle {
    /// A thread of `article_id`, loading its first page in `sort` order at once (or showing
    /// `first_page`, that page as a server rendered it into the page, then refreshed in the background);
    /// `poll_seconds` > 0 checks for new comments that often while the page is visible. Timers and
    /// requests end with the calling owner.
    pub fn new(
        api: ApiClient,
        article_id: ArticleId,
        sort: Sort,
        page_size: u32,
        poll_seconds: u32,
        strings: Strings,
        first_page: Option<CommentPage>,
    ) -> ThreadHandle {
        let drafts = Drafts::local(api.base(), article_id.as_str());
        let grants = Grants::local(api.base(), article_id.as_str());
        let reply_drafts = drafts.reply_drafts();
        let thread = ThreadHandle {
            store: StoredValue::new(ThreadStore::new(sort)),
            meta: Trigger::new(),
            nodes: StoredValue::new(HashMap::default()),
            services: StoredValue::new_local(Services { api, article_id, drafts, grants, strings, page_size }),
            more: RwSignal::new(Load::Ready(())),
            unseen: RwSignal::new(0),
            cooldown: RwSignal::new(0),
            announcement: RwSignal::new(String::new()),
            composers: StoredValue::new(HashMap::default()),
            refusals: StoredValue::new(HashMap::default()),
            reply_drafts: StoredValue::new(reply_drafts),
            poll: StoredValue::new((Backoff::for_period(poll_seconds, MAX_POLL_WAIT_SECONDS), poll_seconds)),
            reply_loads: RwSignal::new(HashMap::default()),
        };
        thread.restore_grants();
        match first_page {
            Some(page) => thread.take_over(sort, page),
            None => thread.reload(sort),
        }
        // The widget's other parts (the count under the headline) follow this thread.
        if let Some(slot) = use_context::<ThreadSlot>() {
            slot.fill(thread);
        }
        if poll_seconds > 0 {
            platform::every(Duration::from_secs(u64::from(poll_seconds)), move || thread.check_for_new());
        }
        thread
    }

    // ---- reading (tracked: a view re-runs when what it read changes) -----------------------------

    /// Reads the store without tracking anything.
    pub fn with<R>(&self, f: impl FnOnce(&ThreadStore) -> R) -> Option<R> {
        self.store.try_with_value(f)
    }

    fn track_meta(&self) {
        self.meta.track();
    }

    fn track_node(&self, parent: Option<&CommentId>) {
        let trigger = self.nodes.try_update_value(|nodes| nodes.entry(parent.cloned()).or_default().clone());
        if let Some(trigger) = trigger {
            trigger.track();
        }
    }

    /// Loading, failed (with the sentence), or ready.
    pub fn phase(&self) -> Phase {
        self.track_meta();
        self.with(|s| s.phase().clone()).unwrap_or(Phase::Loading)
    }

    /// Whether the loaded thread has nothing to show (no comment, no post on its way).
    pub fn is_empty(&self) -> bool {
        self.track_meta();
        self.with(ThreadStore::is_empty).unwrap_or(true)
    }

    /// All comments of the article, when loaded.
    pub fn total(&self) -> Option<u64> {
        self.track_meta();
        self.with(|s| (s.phase() == &Phase::Ready).then(|| s.total())).flatten()
    }

    /// The order of the current load.
    pub fn sort(&self) -> Sort {
        self.track_meta();
        self.with(ThreadStore::sort).unwrap_or_default()
    }

    /// Whether there is a further page of top-level comments.
    pub fn has_more(&self) -> bool {
        self.track_meta();
        self.with(|s| s.phase() == &Phase::Ready && s.next_cursor().is_some()).unwrap_or(false)
    }

    /// The state of "Load more".
    pub fn more(&self) -> Load<()> {
        self.more.get()
    }

    /// New comments on the server that this thread does not show.
    pub fn unseen(&self) -> u64 {
        self.unseen.get()
    }

    /// What the thread's polite live region says: the last event worth announcing.
    pub fn announcement(&self) -> String {
        self.announcement.get()
    }

    /// Announces `text` politely. The region is emptied first and filled in the next task, so that
    /// the same text twice is announced twice.
    fn announce(self, text: String) {
        self.announcement.try_set(String::new());
        spawn_local(async move {
            platform::yield_now().await;
            self.announcement.try_set(text);
        });
    }

    /// Seconds until posting is allowed again; 0 when it is.
    pub fn cooldown(&self) -> u32 {
        self.cooldown.get()
    }

    /// [`ThreadHandle::cooldown`], untracked.
    pub fn cooldown_untracked(&self) -> u32 {
        self.cooldown.try_get_untracked().unwrap_or(0)
    }

    /// The comments on screen below `parent` (`None`: the top level).
    pub fn children(&self, parent: Option<&CommentId>) -> Vec<CommentId> {
        self.track_node(parent);
        self.with(|s| s.shown_children(parent)).unwrap_or_default()
    }

    /// This reader's posts on their way below `parent`.
    pub fn pending(&self, parent: Option<&CommentId>) -> Vec<PendingPost> {
        self.track_node(parent);
        self.with(|s| s.pending_under(parent)).unwrap_or_default()
    }

    /// Whether a post below `parent` is being sent.
    pub fn sending(&self, parent: Option<&CommentId>) -> bool {
        self.track_node(parent);
        self.with(|s| s.posts().sending_under(parent)).unwrap_or(false)
    }

    /// What a comment's view follows below its card, in one read: see [`Row`].
    pub fn row(&self, id: &CommentId) -> Row {
        self.track_node(Some(id));
        self.with(|s| Row { below: s.below(id), replies: s.reply_count(id), shown_below: s.has_shown_below(id) })
            .unwrap_or_default()
    }

    /// Replies below the comment that the server counts but did not send: what "Show N more
    /// replies" offers (0: nothing to fetch).
    pub fn missing_replies(&self, id: &CommentId) -> u64 {
        self.track_node(Some(id));
        self.with(|s| s.missing_replies(id)).unwrap_or(0)
    }

    /// The state of the comment's "Show N more replies".
    pub fn replies_load(&self, id: &CommentId) -> Load<()> {
        self.reply_loads.with(|loads| loads.get(id).cloned()).unwrap_or(Load::Ready(()))
    }

    /// Fetches the next page of the comment's replies (the ones a paging server did not send
    /// inline); they appear below it at once.
    pub fn more_replies(self, id: &CommentId) {
        let next = self.with(|s| {
            (s.phase() == &Phase::Ready).then(|| (s.replies_cursor(id).map(|c| c.map(str::to_owned)), s.generation()))
        });
        let Some(Some((Some(cursor), generation))) = next else { return };
        if matches!(self.reply_loads.with_untracked(|l| l.get(id).cloned()), Some(Load::Loading)) {
            return;
        }
        self.reply_loads.update(|l| {
            l.insert(id.clone(), Load::Loading);
        });
        let Some((api, article_id, page_size)) =
            self.services.try_with_value(|s| (s.api.clone(), s.article_id.clone(), s.page_size))
        else {
            return;
        };
        let id = id.clone();
        spawn_local(async move {
            let result = api.list_replies(&article_id, &id, page_size, cursor.as_deref()).await;
            let state = match result {
                Ok(page) => {
                    self.update(|s| s.replies_loaded(generation, &id, page));
                    Load::Ready(())
                }
                Err(e) => {
                    let strings = self.strings();
                    Load::Failed(strings.fmt(Msg::CommentMoreRepliesError, &[("reason", &strings.reason(&e))]))
                }
            };
            self.reply_loads.try_update(|l| {
                l.insert(id, state);
            });
        });
    }

    /// Whether the comment's reply form is open.
    pub fn is_replying(&self, id: &CommentId) -> bool {
        self.track_node(Some(id));
        self.with(|s| s.is_replying(id)).unwrap_or(false)
    }

    /// The comment and its depth (untracked: a shown comment's content does not change).
    pub fn comment(&self, id: &CommentId) -> Option<(Arc<Comment>, usize)> {
        self.with(|s| s.comment(id).map(|c| (c.clone(), s.depth(id)))).flatten()
    }

    /// The API, article and strings of this thread, for the parts inside it.
    pub(crate) fn api(&self) -> Option<(ApiClient, ArticleId)> {
        self.services.try_with_value(|s| (s.api.clone(), s.article_id.clone()))
    }

    pub(crate) fn drafts(&self) -> Option<Drafts> {
        self.services.try_with_value(|s| s.drafts.clone())
    }

    fn grants(&self) -> Option<Grants> {
        self.services.try_with_value(|s| s.grants.clone())
    }

    pub(crate) fn strings(&self) -> Strings {
        self.services.try_with_value(|s| s.strings.clone()).unwrap_or_default()
    }

    // ---- changing -------------------------------------------------------------------------------

    /// Changes the store, then wakes exactly the views of the parts it touched.
    fn update<R>(&self, f: impl FnOnce(&mut ThreadStore) -> R) -> Option<R> {
        let (result, touched) = self.store.try_update_value(|s| {
            let result = f(s);
            (result, s.take_touched())
        })?;
        self.notify(touched);
        Some(result)
    }

    /// Wakes the views of the parts touched. Not generic, and kept out of line: `update` is called
    /// with a different closure from every action, and each would carry its own copy.
    #[inline(never)]
    fn notify(&self, touched: Vec<Touched>) {
        for part in touched {
            match part {
                Touched::Meta => self.meta.notify(),
                Touched::Node(id) => {
                    if let Some(Some(trigger)) = self.nodes.try_with_value(|n| n.get(&id).cloned()) {
                        trigger.notify();
                    }
                }
            }
        }
    }

    /// Loads the first page in `sort` order. Posts on their way stay; an older load's answer, if it
    /// arrives later, is dropped.
    pub fn reload(self, sort: Sort) {
        let Some(generation) = self.update(|s| s.begin_load(sort)) else { return };
        // The lists' triggers stay: a list shown again after the reload (or one a host page renders
        // itself) follows the same trigger.
        self.more.try_set(Load::Ready(()));
        self.unseen.try_set(0);
        self.reply_loads.try_set(HashMap::default());
        let Some((api, article_id, page_size)) =
            self.services.try_with_value(|s| (s.api.clone(), s.article_id.clone(), s.page_size))
        else {
            return;
        };
        spawn_local(async move {
            match api.list_comments(&article_id, sort, page_size, None).await {
                Ok(page) => {
                    if self.update(|s| s.loaded(generation, page)) == Some(true) {
                        self.reveal(generation).await;
                    }
                }
                Err(e) => {
                    let message = self.strings().fmt(Msg::CommentsError, &[("reason", &self.strings().reason(&e))]);
                    self.update(|s| s.load_failed(generation, message));
                }
            }
        });
    }

    /// Shows `page`, the first page in `sort` order as a server rendered it into the page, at once
    /// and whole (the markup it replaces had every comment of it), then asks for the first page
    /// again in the background, for what a page rendered for everyone cannot know, without moving
    /// anything: this reader's reactions reach the comments' bars as the article's do ([`sync`]),
    /// and comments posted since are announced ("2 new comments — Show"), as the check for new
    /// comments announces them.
    fn take_over(self, sort: Sort, page: CommentPage) {
        let Some((api, article_id, page_size)) =
            self.services.try_with_value(|s| (s.api.clone(), s.article_id.clone(), s.page_size))
        else {
            return;
        };
        // Numbered now: a reaction the reader makes before the answer arrives wins over it. (Only
        // comments with a bar.)
        let mut asked = Vec::new();
        each_comment(&page.comments, |c| {
            if !c.reactions.is_empty() {
                let key = sync::key(api.base(), &article_id, Some(&c.id));
                let number = sync::request_sent(&key);
                asked.push((c.id.clone(), key, number));
            }
        });
        // At least as many as the page holds (a fragment may have been made with a larger limit).
        // (max, then min: `clamp` panics when a Rust caller's `page_size` is above the cap.)
        let limit = (page.comments.len() as u32).max(page_size).min(MAX_PAGE_SIZE);
        let Some(generation) = self.update(|s| s.begin_load(sort)) else { return };
        if self.update(|s| s.loaded(generation, page) && s.reveal(usize::MAX)).is_none() {
            return;
        }
        spawn_local(async move {
            let Ok(fresh) = api.list_comments(&article_id, sort, limit, None).await else { return };
            if self.with(ThreadStore::generation) != Some(generation) {
                return;
            }
            let mut reactions = HashMap::default();
            each_comment(&fresh.comments, |c| {
                reactions.insert(c.id.clone(), c.reactions.clone());
            });
            for (id, key, number) in asked {
                if let Some(reactions) = reactions.get(&id) {
                    if sync::answered(&key, number, reactions).is_none() {
                        sync::publish(&key, None, reactions);
                    }
                }
            }
            if let Some(n) = self.with(|s| s.unseen(fresh.total)) {
                self.unseen.try_set(n);
            }
        });
    }

    /// Loads the current load again (after a failure).
    pub fn retry_load(self) {
        if let Some(sort) = self.with(ThreadStore::sort) {
            self.reload(sort);
        }
    }

    /// Puts the loaded comments on screen a slice per task, so that no task runs long. Each slice is
    /// sized from the time the one before took to render (the views run in the same task, on the
    /// executor's queue), so a fast device takes few tasks and a slow one many short ones.
    async fn reveal(self, generation: u64) {
        let mut budget = FIRST_SLICE;
        if self.with(ThreadStore::unrevealed).unwrap_or(0) > READ_IN_A_TASK_OF_ITS_OWN {
            platform::yield_now().await;
        }
        loop {
            let started = platform::now_ms();
            if self.update(|s| s.generation() == generation && s.reveal(budget)) != Some(true) {
                break;
            }
            // Let the views of this slice (and the lists they open) render, then time them.
            leptos::task::tick().await;
            leptos::task::tick().await;
            let per_comment = (platform::now_ms() - started).max(1.0) / budget as f64;
            let rest = self.with(ThreadStore::unrevealed).unwrap_or(0);
            budget = if rest <= SLICE_BOUNDS.1 && rest as f64 * per_comment <= LAST_SLICE_MS {
                rest.max(1)
            } else {
                ((SLICE_MS / per_comment) as usize).clamp(SLICE_BOUNDS.0, SLICE_BOUNDS.1)
            };
            platform::yield_now().await;
        }
    }

    /// Loads the next page of top-level comments.
    pub fn load_more(self) {
        let next = self
            .with(|s| {
                (s.phase() == &Phase::Ready).then(|| s.next_cursor().map(|c| (c.to_owned(), s.sort(), s.generation())))
            })
            .flatten()
            .flatten();
        let Some((cursor, sort, generation)) = next else { return };
        // One page at a time (and none once the thread is gone).
        if self.more.try_with_untracked(|m| matches!(m, Load::Loading)).unwrap_or(true) {
            return;
        }
        self.more.try_set(Load::Loading);
        let Some((api, article_id, page_size)) =
            self.services.try_with_value(|s| (s.api.clone(), s.article_id.clone(), s.page_size))
        else {
            return;
        };
        spawn_local(async move {
            let result = api.list_comments(&article_id, sort, page_size, Some(&cursor)).await;
            // The answer of an older load (the reader changed the order meanwhile) is dropped, and so
            // is its state: the new load has its own "Load more".
            if self.with(ThreadStore::generation) != Some(generation) {
                return;
            }
            match result {
                Ok(page) => {
                    self.more.try_set(Load::Ready(()));
                    if self.update(|s| s.more_loaded(generation, page)) == Some(true) {
                        self.reveal(generation).await;
                    }
                }
                Err(e) => {
                    let strings = self.strings();
                    self.more
                        .try_set(Load::Failed(strings.fmt(Msg::CommentsMoreError, &[("reason", &strings.reason(&e))])));
                }
            }
        });
    }

    /// Asks the server how many comments there are, to announce new ones.
    fn check_for_new(self) {
        if platform::page_hidden() || self.with(|s| s.phase() != &Phase::Ready).unwrap_or(true) {
            return;
        }
        if !self.poll.try_update_value(|(backoff, _)| backoff.tick()).unwrap_or(false) {
            return;
        }
        let Some((api, article_id)) = self.api() else { return };
        spawn_local(async move {
            match api.get_article(&article_id).await {
                Ok(article) => {
                    self.poll.try_update_value(|(backoff, _)| backoff.succeeded());
                    if let Some(n) = self.with(|s| s.unseen(article.comment_count)) {
                        self.unseen.try_set(n);
                    }
                }
                // Ask less often while the server fails, and no sooner than it asks.
                Err(e) => {
                    self.poll.try_update_value(|(backoff, period)| match e {
                        ApiError::Http { status: 429 | 503, retry_after: Some(_), .. } => {
                            backoff.wait(e.retry_after_seconds().div_ceil((*period).max(1)))
                        }
                        _ => backoff.failed(),
                    });
                }
            }
        });
    }

    /// "Show" on the new-comments banner: a fresh first page long enough to hold what is shown and
    /// the new comments, merged in without moving anything.
    pub fn show_new(self) {
        let Some((shown, sort, generation, everything_loaded)) =
            self.with(|s| (s.top_level_count() as u64, s.sort(), s.generation(), s.next_cursor().is_none()))
        else {
            return;
        };
        let Some((api, article_id, page_size)) =
            self.services.try_with_value(|s| (s.api.clone(), s.article_id.clone(), s.page_size))
        else {
            return;
        };
        // New top-level comments come first when newest first, else after everything.
        let wanted = if sort == Sort::Newest || everything_loaded {
            shown + self.unseen.try_get_untracked().unwrap_or(0)
        } else {
            shown
        };
        let limit = wanted.max(u64::from(page_size)).min(u64::from(MAX_PAGE_SIZE)) as u32;
        spawn_local(async move {
            if let Ok(page) = api.list_comments(&article_id, sort, limit, None).await {
                // An answer for an older load (the order changed meanwhile) changes nothing.
                if self.update(|s| s.fresh_loaded(generation, page)) == Some(true) {
                    self.unseen.try_set(0);
                }
            }
        });
    }

    // ---- posting --------------------------------------------------------------------------------

    /// A composer submits `comment` with `key`; sent unless the same key is on its way already or
    /// the server asked to wait.
    pub fn post(self, key: IdempotencyKey, comment: NewComment) {
        if self.cooldown_untracked() > 0 {
            return;
        }
        if let Some(Some(request)) = self.update(|s| s.post(key, comment)) {
            self.send(request);
        }
    }

    /// Sends a failed post again: the same comment, the same key.
    pub fn retry(self, key: &IdempotencyKey) {
        if self.cooldown_untracked() > 0 {
            return;
        }
        if let Some(Some(request)) = self.update(|s| s.retry(key)) {
            self.send(request);
        }
    }

    /// The reader edited a failed post's text: that post is given up.
    pub fn withdraw(self, key: &IdempotencyKey) {
        self.update(|s| s.withdraw(key));
    }

    fn send(self, request: PostRequest) {
        let Some((api, article_id)) = self.api() else { return };
        spawn_local(async move {
            let PostRequest { key, comment } = request;
            let parent = comment.parent_id.clone();
            match api.post_comment(&article_id, &comment, &key).await {
                Ok(created) => {
                    let grant = created.grant.and_then(|g| Grant::from_wire(&g.edit_token, &g.editable_until));
                    let id = created.comment.id.clone();
                    self.update(|s| s.post_confirmed(&key, created.comment, grant.clone()));
                    if let Some(grant) = &grant {
                        self.keep_grant(&id, grant);
                    }
                    let posted = if parent.is_some() { Msg::PostPostedReply } else { Msg::PostPosted };
                    self.announce(self.strings().get(posted));
                    if let Some(drafts) = self.drafts() {
                        drafts.clear_if_posted(parent.as_ref(), &key);
                    }
                    if let Some(Some(composer)) = self.composers.try_with_value(|c| c.get(&parent).copied()) {
                        composer.posted(&key);
                    }
                    if let Some(parent) = &parent {
                        self.set_replying(parent, false);
                    }
                }
                Err(e) => self.failed(&key, parent, e),
            }
        });
    }

    fn failed(self, key: &IdempotencyKey, parent: Option<CommentId>, e: ApiError) {
        let strings = self.strings();
        let reason = strings.post_reason(&e);
        let failure = match &e {
            ApiError::Http { status: 429, .. } => {
                self.start_cooldown(e.retry_after_seconds());
                PostFailure::Retryable { message: reason }
            }
            // Refused as it is (422, 400…): no point sending the same request again. The draft keeps
            // its text but not its key, so the corrected comment is a new request; the form says why
            // (opened again if the reader had closed it). Anything else (the network, 5xx, or a 201
            // whose body did not decode, after which the comment is stored) keeps its key: a retry is
            // recognised by the server.
            ApiError::Http { status, .. } if (400..500).contains(status) && *status != 408 => {
                // A reply whose parent is not on screen (another order) has no form to say it in: it
                // stays in the list, with the reason.
                if parent.as_ref().is_some_and(|p| self.with(|s| !s.contains(p)).unwrap_or(true)) {
                    self.update(|s| s.post_failed(key, PostFailure::Retryable { message: reason }));
                    return;
                }
                let field = e.field().and_then(|f| ["author_name", "body"].into_iter().find(|known| *known == f));
                let error = FormError { field, message: strings.fmt(Msg::ComposerNotSent, &[("reason", &reason)]) };
                if let Some(drafts) = self.drafts() {
                    drafts.forget_key(parent.as_ref(), key);
                }
                match self.composers.try_with_value(|c| c.get(&parent).copied()).flatten() {
                    Some(composer) => composer.refused(key, error),
                    None => {
                        self.refusals.try_update_value(|r| r.insert(parent.clone(), error));
                        // A form kept behind a delete or report form says it when it is back.
                        if let Some(parent) = parent.as_ref().filter(|p| !self.is_replying_untracked(p)) {
                            self.set_replying(parent, true);
                        }
                    }
                }
                PostFailure::Refused { message: reason }
            }
            _ => PostFailure::Retryable { message: reason },
        };
        self.update(|s| s.post_failed(key, failure));
    }

    /// Counts [`ThreadHandle::cooldown`] down from `seconds` (at most [`MAX_COOLDOWN_SECONDS`]).
    fn start_cooldown(self, seconds: u32) {
        let already_counting = self.cooldown_untracked() > 0;
        self.cooldown.try_set(seconds.clamp(1, MAX_COOLDOWN_SECONDS));
        if already_counting {
            return;
        }
        spawn_local(async move {
            while self.cooldown.try_get_untracked().is_some_and(|w| w > 0) {
                platform::sleep(Duration::from_secs(1)).await;
                self.cooldown.try_update(|w| *w = w.saturating_sub(1));
            }
        });
    }

    // ---- reply forms ----------------------------------------------------------------------------

    /// Opens or closes the reply form below a comment.
    pub fn set_replying(self, id: &CommentId, open: bool) {
        self.update(|s| s.set_replying(id, open));
    }

    /// Opens the reply form of a comment that has a reply draft from before a reload (once).
    pub(crate) fn restore_reply_form(self, id: &CommentId) {
        if self.reply_drafts.try_update_value(|d| d.remove(id)) == Some(true) {
            self.set_replying(id, true);
        }
    }

    /// The refusal a form missed while it was closed, once.
    pub(crate) fn take_refusal(self, parent: &Option<CommentId>) -> Option<FormError> {
        self.refusals.try_update_value(|r| r.remove(parent)).flatten()
    }

    pub(crate) fn register_composer(self, parent: Option<CommentId>, composer: ComposerHandle) {
        self.composers.try_update_value(|c| c.insert(parent, composer));
    }

    pub(crate) fn unregister_composer(self, parent: &Option<CommentId>, composer: ComposerHandle) {
        self.composers.try_update_value(|c| {
            if c.get(parent).is_some_and(|known| *known == composer) {
                c.remove(parent);
            }
        });
        // A form put behind another (a report opened over a reply), still open, says it again when
        // it is back. (One closed, or sent, does not.)
        let hidden = parent.as_ref().is_some_and(|p| self.is_replying_untracked(p));
        if let (true, Some(Some(error))) = (hidden, composer.error.try_get_untracked()) {
            self.refusals.try_update_value(|r| r.insert(parent.clone(), error));
        }
    }

    fn is_replying_untracked(&self, id: &CommentId) -> bool {
        self.with(|s| s.is_replying(id)).unwrap_or(false)
    }
}
