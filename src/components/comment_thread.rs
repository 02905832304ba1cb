//! `CommentThread`: the heading with the count, the sort control, the comments with their replies,
//! paging, live updates and the composer. The thread's logic lives in [`crate::thread::Thread`]; this
//! file renders it and runs the requests.

use std::collections::HashMap;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{use_strings, Composer, ErrorNotice, Load, Markdown, Placeholder, PostEvent, ReactionBar};
use crate::api::{ApiClient, Comment, Sort};
use crate::config::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use crate::drafts::Drafts;
use crate::format;
use crate::thread::{PendingPost, PostStatus, Thread};

/// Replies indent up to this depth; deeper ones line up with it and name their parent.
pub const MAX_INDENT: usize = 5;

/// Seconds between checks for new comments when `poll_seconds` is not given.
pub const DEFAULT_POLL_SECONDS: u32 = 30;

/// What every part of one thread shares.
#[derive(Clone)]
pub struct ThreadContext {
    api: ApiClient,
    article_id: String,
    thread: RwSignal<Load<Thread>>,
    /// Milliseconds since the epoch, refreshed every minute for "3 minutes ago".
    now: RwSignal<f64>,
    /// How to send each pending post again, by key.
    retries: StoredValue<HashMap<String, Callback<()>>>,
    on_post: Callback<PostEvent>,
}

/// The comments of an article, with a form to post one.
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use article_widget::api::{ApiClient, Sort};
/// use article_widget::components::CommentThread;
/// let view = view! { <CommentThread api=ApiClient::new("/api") article_id="my-post" sort=Sort::Newest /> };
/// ```
#[component]
pub fn CommentThread(
    api: ApiClient,
    #[prop(into)] article_id: String,
    /// Initial order of top-level comments; the reader can change it. Default: oldest first.
    #[prop(optional)]
    sort: Sort,
    /// Top-level comments per page. Default: 20.
    #[prop(default = DEFAULT_PAGE_SIZE)]
    page_size: u32,
    /// Seconds between checks for new comments while the tab is visible; 0 turns them off.
    /// Default: 30.
    #[prop(default = DEFAULT_POLL_SECONDS)]
    poll_seconds: u32,
) -> impl IntoView {
    let thread = RwSignal::new(Load::<Thread>::Loading);
    let sort = RwSignal::new(sort);
    let more = RwSignal::new(Load::<()>::Ready(()));
    let unseen = RwSignal::new(0u64);
    let now = RwSignal::new(js_sys::Date::now());
    let retries = StoredValue::new(HashMap::<String, Callback<()>>::new());
    let heading_id = super::unique_id("aw-comments-heading");
    let sort_id = super::unique_id("aw-sort");
    let strings = use_strings();

    let on_post = Callback::new(move |event: PostEvent| {
        thread.update(|t| {
            let Load::Ready(t) = t else { return };
            match event {
                PostEvent::Sending { key, comment, retry } => {
                    retries.update_value(|r| {
                        r.insert(key.clone(), retry);
                    });
                    t.post_sending(key, comment);
                }
                PostEvent::Failed { key, message } => t.post_failed(&key, message),
                PostEvent::Withdrawn { key } => {
                    retries.update_value(|r| {
                        r.remove(&key);
                    });
                    t.post_discarded(&key);
                }
                PostEvent::Posted { key, comment } => {
                    retries.update_value(|r| {
                        r.remove(&key);
                    });
                    t.post_confirmed(&key, comment);
                }
            }
        })
    });
    let ctx = ThreadContext { api: api.clone(), article_id: article_id.clone(), thread, now, retries, on_post };

    // Loads the first page in the current order, keeping posts on their way.
    let load_first = {
        let (api, article_id, strings) = (api.clone(), article_id.clone(), strings.clone());
        move || {
            let pending = thread.try_update(|t| match t {
                Load::Ready(t) => t.take_pending(),
                _ => Vec::new(),
            });
            thread.set(Load::Loading);
            more.set(Load::Ready(()));
            unseen.set(0);
            let (api, article_id, sort, strings) = (api.clone(), article_id.clone(), sort.get_untracked(), strings.clone());
            spawn_local(async move {
                let loaded = match api.list_comments(&article_id, sort, page_size, None).await {
                    Ok(page) => {
                        let mut t = Thread::new(page, sort);
                        t.adopt_pending(pending.unwrap_or_default());
                        Load::Ready(t)
                    }
                    Err(e) => Load::Failed(strings.fmt("comments.error", &[("reason", &strings.reason(&e))])),
                };
                thread.try_set(loaded);
            });
        }
    };
    load_first();
    let load_first = Callback::new(move |()| load_first());

    let load_more = {
        let (api, article_id, strings) = (api.clone(), article_id.clone(), strings.clone());
        move || {
            let Some((cursor, sort)) = thread.with_untracked(|t| match t {
                Load::Ready(t) => t.next_cursor().map(|c| (c.to_owned(), t.sort())),
                _ => None,
            }) else {
                return;
            };
            more.set(Load::Loading);
            let (api, article_id, strings) = (api.clone(), article_id.clone(), strings.clone());
            spawn_local(async move {
                match api.list_comments(&article_id, sort, page_size, Some(&cursor)).await {
                    Ok(page) => {
                        thread.try_update(|t| {
                            if let Load::Ready(t) = t {
                                // A page of another order (the reader switched meanwhile) is dropped.
                                if t.sort() == sort {
                                    t.append_page(page)
                                }
                            }
                        });
                        more.try_set(Load::Ready(()));
                    }
                    Err(e) => {
                        more.try_set(Load::Failed(strings.fmt("comments.more.error", &[("reason", &strings.reason(&e))])));
                    }
                }
            });
        }
    };
    let load_more = Callback::new(move |()| load_more());

    // "N new comments — Show": fetch a fresh first page as long as what is shown plus the new ones,
    // and merge it in without moving anything.
    let show_new = {
        let (api, article_id) = (api.clone(), article_id.clone());
        move || {
            let Some((shown, sort)) = thread.with_untracked(|t| match t {
                Load::Ready(t) => Some((t.top_level_count() as u64, t.sort())),
                _ => None,
            }) else {
                return;
            };
            let limit = (shown + unseen.get_untracked()).clamp(u64::from(page_size), u64::from(MAX_PAGE_SIZE)) as u32;
            let (api, article_id) = (api.clone(), article_id.clone());
            spawn_local(async move {
                if let Ok(page) = api.list_comments(&article_id, sort, limit, None).await {
                    thread.try_update(|t| {
                        if let Load::Ready(t) = t {
                            t.merge_fresh(page);
                        }
                    });
                    unseen.try_set(0);
                }
            });
        }
    };

    // Timers: the clock for relative times, and the check for new comments. Both end with the thread.
    if let Ok(clock) = set_interval_with_handle(move || {
        now.try_set(js_sys::Date::now());
    }, Duration::from_secs(60))
    {
        on_cleanup(move || clock.clear());
    }
    if poll_seconds > 0 {
        let (api, article_id) = (api.clone(), article_id.clone());
        let poll = move || {
            let hidden = web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden());
            if hidden || !thread.try_with_untracked(|t| matches!(t, Load::Ready(_))).unwrap_or(false) {
                return;
            }
            let (api, article_id) = (api.clone(), article_id.clone());
            spawn_local(async move {
                if let Ok(article) = api.get_article(&article_id).await {
                    if let Some(Some(n)) = thread.try_with_untracked(|t| match t {
                        Load::Ready(t) => Some(t.unseen(article.comment_count)),
                        _ => None,
                    }) {
                        unseen.try_set(n);
                    }
                }
            });
        };
        if let Ok(timer) = set_interval_with_handle(poll, Duration::from_secs(u64::from(poll_seconds))) {
            on_cleanup(move || timer.clear());
        }
    }

    let heading = {
        let strings = strings.clone();
        move || {
            thread.with(|t| match t {
                Load::Ready(t) => strings.fmt("comments.heading", &[("count", &format::full_count(t.total(), strings.locale()))]),
                _ => strings.get("comments.title"),
            })
        }
    };
    let has_more = move || thread.with(|t| matches!(t, Load::Ready(t) if t.next_cursor().is_some()));
    let pending_top = move || {
        thread.with(|t| match t {
            Load::Ready(t) => t.pending_under(None),
            _ => Vec::new(),
        })
    };
    let comment_list = {
        let (ctx, loading_label, empty_label) = (ctx.clone(), strings.get("comments.loading"), strings.get("comments.empty"));
        // Only the kind of state (loading, failed, empty, not empty) re-renders the list; within
        // it, each comment follows the thread on its own.
        let state = Memo::new(move |_| {
            thread.with(|t| match t {
                Load::Loading => Load::Loading,
                Load::Failed(e) => Load::Failed(e.clone()),
                Load::Ready(t) => Load::Ready(t.comments().is_empty() && t.pending().is_empty()),
            })
        });
        move || {
            let ctx = ctx.clone();
            match state.get() {
                Load::Loading => view! { <Placeholder label=loading_label.clone() /> }.into_any(),
                Load::Failed(message) => view! { <ErrorNotice message on_retry=load_first /> }.into_any(),
                Load::Ready(true) => view! { <p class="aw-empty">{empty_label.clone()}</p> }.into_any(),
                Load::Ready(false) => {
                    let pending_ctx = ctx.clone();
                    let pending = move || {
                        let ctx = pending_ctx.clone();
                        view! {
                            <For each=pending_top key=|p| (p.key.clone(), p.status.clone()) let:post>
                                <li><PendingView ctx=ctx.clone() post /></li>
                            </For>
                        }
                    };
                    let newest_first = sort.get_untracked() == Sort::Newest;
                    view! {
                        <ol class="aw-comment-list">
                            {newest_first.then(pending.clone())}
                            <For
                                each=move || thread.with(|t| match t {
                                    Load::Ready(t) => t.comments().to_vec(),
                                    _ => Vec::new(),
                                })
                                // Shown comments are never re-rendered; each follows its own replies.
                                key=|c| c.id.clone()
                                let:comment
                            >
                                <li><CommentView ctx=ctx.clone() comment depth=0 /></li>
                            </For>
                            {(!newest_first).then(pending)}
                        </ol>
                    }
                    .into_any()
                }
            }
        }
    };

    let labelled_by = heading_id.clone();
    let sort_for = sort_id.clone();
    let t = |key: &str| strings.get(key);
    let (sort_label, oldest, newest, top) = (t("comments.sort"), t("sort.oldest"), t("sort.newest"), t("sort.top"));
    let (more_label, more_loading, show_label) = (t("comments.more"), t("comments.more.loading"), t("comments.new.show"));
    let more_text = move || if more.with(|m| matches!(m, Load::Loading)) { more_loading.clone() } else { more_label.clone() };
    let new_comments = {
        let strings = strings.clone();
        move |n: u64| strings.plural("comments.new", n, &[])
    };
    view! {
        <section class="aw-comments" aria-labelledby=labelled_by>
            <div class="aw-comments-bar">
                <h2 id=heading_id class="aw-comments-heading">{heading}</h2>
                <div class="aw-sort">
                    <label for=sort_for>{sort_label}</label>
                    <select
                        id=sort_id
                        class="aw-select"
                        on:change=move |ev| {
                            if let Some(s) = Sort::parse(&event_target_value(&ev)) {
                                if s != sort.get_untracked() {
                                    sort.set(s);
                                    load_first.run(());
                                }
                            }
                        }
                    >
                        <option value="oldest" selected=move || sort.get() == Sort::Oldest>{oldest}</option>
                        <option value="newest" selected=move || sort.get() == Sort::Newest>{newest}</option>
                        <option value="top" selected=move || sort.get() == Sort::Top>{top}</option>
                    </select>
                </div>
            </div>
            // Takes no room: appearing, it moves nothing the reader is looking at.
            <div class="aw-live" aria-live="polite">
                {move || (unseen.get() > 0).then(|| {
                    let n = unseen.get();
                    let show_new = show_new.clone();
                    view! {
                        <p class="aw-new-comments">
                            {new_comments(n)}
                            <button type="button" class="aw-button aw-button-primary" on:click=move |_| show_new()>{show_label.clone()}</button>
                        </p>
                    }
                })}
            </div>
            {comment_list}
            <Show when=has_more>
                <button type="button" class="aw-button aw-load-more" disabled=move || more.with(|m| matches!(m, Load::Loading))
                    on:click=move |_| load_more.run(())>
                    {more_text.clone()}
                </button>
            </Show>
            {move || match more.get() {
                Load::Failed(message) => Some(view! { <ErrorNotice message on_retry=load_more /> }),
                _ => None,
            }}
            <Composer api article_id on_event=on_post />
        </section>
    }
}

/// One comment as an `<article>`: author, time, body, reactions, Reply, and its replies. The replies
/// and their count follow the thread, so a new reply is added without re-rendering this comment (and
/// its open composer or focus).
#[component]
pub fn CommentView(
    ctx: ThreadContext,
    comment: Comment,
    depth: usize,
    /// The author of the comment this replies to, named when the reply is deeper than the indent.
    #[prop(optional)]
    parent_author: Option<String>,
) -> impl IntoView {
    let Comment { id, author, body, created_at, edited_at, reactions, .. } = comment;
    let drafts = Drafts::local(ctx.api.base(), &ctx.article_id);
    // A reply draft left from before a reload opens its composer again.
    let replying = RwSignal::new(drafts.has_reply_draft(&id));
    let collapsed = RwSignal::new(false);
    let reply_button = NodeRef::<leptos::html::Button>::new();
    let replies_id = super::unique_id("aw-replies");
    let thread = ctx.thread;
    let strings = use_strings();

    let replies = {
        let id = id.clone();
        Memo::new(move |_| {
            thread.with(|t| match t {
                Load::Ready(t) => t.find(&id).map(|c| (c.replies.clone(), c.reply_count)).unwrap_or_default(),
                _ => Default::default(),
            })
        })
    };
    let reply_count = move || replies.with(|(_, n)| *n);

    let close_reply = Callback::new(move |()| {
        replying.try_set(false);
        if let Some(button) = reply_button.try_get_untracked().flatten() {
            let _ = button.focus();
        }
    });
    let reply_events = {
        let on_post = ctx.on_post;
        Callback::new(move |event: PostEvent| {
            let posted = matches!(event, PostEvent::Posted { .. });
            on_post.try_run(event);
            if posted {
                close_reply.try_run(());
            }
        })
    };

    let pending = {
        let id = id.clone();
        move || {
            thread.with(|t| match t {
                Load::Ready(t) => t.pending_under(Some(&id)),
                _ => Vec::new(),
            })
        }
    };
    let author_name = author.name.clone();
    let (child_ctx, pending_ctx) = (ctx.clone(), ctx.clone());
    let indent = depth + 1 < MAX_INDENT;
    let toggle_label = {
        let strings = strings.clone();
        move || strings.plural(if collapsed.get() { "comment.show" } else { "comment.hide" }, reply_count(), &[])
    };
    let (reply_label, edited_label) = (strings.get("comment.reply"), strings.get("comment.edited"));
    let comment_id = id.clone();
    let composer = {
        let (ctx, id) = (ctx.clone(), id.clone());
        move || {
            replying.get().then(|| {
                view! {
                    <div class="aw-reply-composer">
                        <Composer api=ctx.api.clone() article_id=ctx.article_id.clone() parent_id=id.clone()
                            on_event=reply_events on_cancel=close_reply autofocus=true />
                    </div>
                }
            })
        }
    };
    let replies_for = replies_id.clone();

    view! {
        <article class="aw-comment" data-comment-id=comment_id>
            <header class="aw-comment-header">
                <span class="aw-comment-author">{author.name}</span>
                " · "
                <RelativeTime iso=created_at now=ctx.now />
                {edited_at.map(|_| view! { <span class="aw-edited">" " {edited_label}</span> })}
                {(depth >= MAX_INDENT).then(|| parent_author.map(|p| view! {
                    <span class="aw-reply-to">" · " {strings.fmt("comment.in_reply_to", &[("name", &p)])}</span>
                })).flatten()}
            </header>
            <div class="aw-comment-body aw-prose"><Markdown source=body /></div>
            <div class="aw-comment-actions">
                {(!reactions.is_empty()).then(|| view! {
                    <ReactionBar api=ctx.api.clone() article_id=ctx.article_id.clone() comment_id=id.clone() reactions />
                })}
                <button type="button" class="aw-button aw-button-quiet" node_ref=reply_button
                    aria-expanded=move || replying.get().to_string()
                    on:click=move |_| replying.update(|r| *r = !*r)>
                    {reply_label}
                </button>
                <Show when=move || { reply_count() > 0 }>
                    <button type="button" class="aw-button aw-button-quiet aw-toggle-replies"
                        aria-expanded=move || (!collapsed.get()).to_string()
                        aria-controls=replies_for.clone()
                        on:click=move |_| collapsed.update(|c| *c = !*c)>
                        {toggle_label.clone()}
                    </button>
                </Show>
            </div>
        </article>
        {composer}
        <ol id=replies_id class="aw-replies" class:aw-replies-flat=!indent hidden=move || collapsed.get()>
            <For each=move || replies.with(|(r, _)| r.clone()) key=|c| c.id.clone() let:reply>
                <li><CommentView ctx=child_ctx.clone() comment=reply depth=depth + 1 parent_author=author_name.clone() /></li>
            </For>
            <For each=pending key=|p| (p.key.clone(), p.status.clone()) let:post>
                <li><PendingView ctx=pending_ctx.clone() post /></li>
            </For>
        </ol>
    }
    .into_any()
}

/// This reader's post on its way: shown at once, marked "Sending…" or "Not sent — Retry".
#[component]
fn PendingView(ctx: ThreadContext, post: PendingPost) -> impl IntoView {
    let PendingPost { key, comment, status } = post;
    let strings = use_strings();
    let status_view = match status {
        PostStatus::Sending => view! { <p class="aw-post-status" role="status">{strings.get("post.sending")}</p> }.into_any(),
        PostStatus::Failed { message } => {
            let retry = ctx.retries.with_value(|r| r.get(&key).copied());
            view! {
                <div class="aw-post-status aw-post-failed">
                    <p class="aw-error-message" role="alert">{strings.fmt("post.failed", &[("reason", &message)])}</p>
                    {retry.map(|retry| view! {
                        // try_run: the composer that made this post may be gone (a closed reply form).
                        <button type="button" class="aw-button" on:click=move |_| { retry.try_run(()); }>{strings.get("retry")}</button>
                    })}
                </div>
            }
            .into_any()
        }
    };
    view! {
        <article class="aw-comment aw-pending" data-pending-key=key>
            <header class="aw-comment-header">
                <span class="aw-comment-author">{comment.author_name}</span>
            </header>
            <div class="aw-comment-body aw-prose"><Markdown source=comment.body /></div>
            {status_view}
        </article>
    }
}

/// `<time>` reading "3 minutes ago", with the exact date in `datetime` and `title`.
#[component]
pub fn RelativeTime(#[prop(into)] iso: String, now: RwSignal<f64>) -> impl IntoView {
    let locale = use_strings().locale().map(str::to_owned);
    let title = format::exact_date_time(&iso, locale.as_deref());
    let text = {
        let iso = iso.clone();
        move || format::relative_time(&iso, now.get(), locale.as_deref())
    };
    view! { <time datetime=iso title=title>{text}</time> }
}
