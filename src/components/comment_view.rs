//! One comment and the lists below it. Each list follows only its own part of the thread (see
//! [`ThreadHandle`]), so a new reply, a confirmed post or a like re-renders that list alone, never
//! the comments around it.

use std::rc::Rc;
use std::sync::Arc;

use leptos::either::{Either, EitherOf3};
use leptos::html::Button;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::built::Built;
use super::comment_card::{self, CardAction, CardContent, CardDom, Live, Templates};
use super::kept::Kept;
use super::markdown_view::markdown_dom;
use super::own_words::{DeleteConfirm, EditForm, OwnControls, ReportPanel};
use super::reaction_bar::BarLive;
use super::rows::Rows;
use super::{unique_id, use_strings, Composer, ReactionBar};
use crate::api::{CommentId, IdempotencyKey, Sort};
use crate::format::{self, ReactionLabels};
use crate::i18n::Msg;
use crate::platform;
use crate::state::{use_reactions, use_thread, Clock, Load, Row, ThreadHandle};
use crate::thread::{Panel, PendingPost, PostStatus};

/// Replies indent up to this depth; deeper ones line up with it and name their parent.
pub const MAX_INDENT: usize = 5;

/// The comments below `parent` (`None`: the top-level list), with this reader's posts on their way
/// there: an `<ol>` keyed by comment id. Renders nothing outside a
/// [`CommentThread`](super::CommentThread).
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use article_widget::components::CommentList;
/// // Inside a CommentThread: the top-level comments again, e.g. in a sidebar.
/// let view = view! { <CommentList parent=None /> };
/// ```
#[component]
pub fn CommentList(
    parent: Option<CommentId>,
    /// Hide the list (its comment is collapsed). Default: shown.
    #[prop(optional, into)]
    hidden: Signal<bool>,
    /// The list's `id` (for `aria-controls`). Default: none.
    #[prop(optional)]
    list_id: Option<String>,
) -> impl IntoView {
    let Some(thread) = use_thread() else { return ().into_any() };
    // Outside a CommentThread, the lists below this one share its card templates.
    if use_context::<Templates>().is_none() {
        provide_context(Templates::new(use_strings(), use_context::<ReactionLabels>().unwrap_or_default()));
    }
    let depth = parent.as_ref().map_or(0, |p| thread.with(|s| s.depth(p) + 1).unwrap_or(0));
    // Newest first: this reader's new top-level posts go above the others.
    let pending_first = parent.is_none() && thread.with(|s| s.sort()) == Some(Sort::Newest);
    let class = match (&parent, depth >= MAX_INDENT) {
        (None, _) => "aw-comment-list",
        (Some(_), false) => "aw-replies",
        (Some(_), true) => "aw-replies aw-replies-flat",
    };
    // The list's owner: its rows live under it (see `Rows`).
    let owner = Owner::current().map(|owner| owner.downgrade());
    let rows = Kept::new(
        move || row_keys(thread, parent.as_ref(), pending_first),
        |rows: &mut Rows<RowKey>, _, (keys, posts)| rows.show(keys, &|key| row_view(key, posts)),
    );
    let fill = move |el: leptos::tachys::renderer::types::Element| {
        let el: web_sys::Element = el.unchecked_into();
        rows.make(|(keys, posts)| {
            el.set_text_content(None);
            let mut shown = Rows::new(el.clone(), owner.clone()?);
            shown.show(keys, &|key| row_view(key, posts));
            Some(shown)
        });
    };
    view! { <ol id=list_id class=class hidden=move || hidden.get() use:fill></ol> }.into_any()
}

/// What keys a row of a [`CommentList`]: a comment, by its id; this reader's post on its way, by
/// its key and status (a new status is a new row).
#[derive(Clone, PartialEq, Eq, Hash)]
enum RowKey {
    Comment(CommentId),
    Pending(IdempotencyKey, PostStatus),
}

/// The rows below `parent`, in order (tracked: read in an effect, it runs again when that list
/// changes), and the posts on their way among them.
fn row_keys(thread: ThreadHandle, parent: Option<&CommentId>, pending_first: bool) -> (Vec<RowKey>, Vec<PendingPost>) {
    let posts = thread.pending(parent);
    let pending = posts.iter().map(|p| RowKey::Pending(p.key.clone(), p.status.clone()));
    let comments = thread.children(parent).into_iter().map(RowKey::Comment);
    let keys = match pending_first {
        true => pending.chain(comments).collect(),
        false => comments.chain(pending).collect(),
    };
    (keys, posts)
}

/// The view of the row `key`.
fn row_view(key: &RowKey, posts: &[PendingPost]) -> AnyView {
    match key {
        RowKey::Comment(id) => view! { <CommentView id=id.clone() /> }.into_any(),
        RowKey::Pending(key, _) => match posts.iter().find(|p| &p.key == key) {
            Some(post) => view! { <PendingView post=post.clone() /> }.into_any(),
            None => ().into_any(),
        },
    }
}

/// One comment as an `<article>`: author, time, body, reactions, Reply, the replies toggle, and
/// Report (and, on the reader's own comment while they may, Edit and Delete); then its open form
/// (reply, delete, report) and its replies. A deleted comment with replies reads "Comment deleted",
/// its replies kept below. Renders nothing outside a [`CommentThread`](super::CommentThread) or for
/// a comment it has not loaded. Another reader's comment is a card made as plain DOM: attributes
/// given to the view (`attr:`, `on:`) reach the reader's own comments only; style cards with CSS
/// (`.aw-comment`) instead. In the rare case a card cannot be made, its place stays empty.
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use article_widget::components::CommentView;
/// let view = view! { <CommentView id="42" /> };
/// ```
#[component]
pub fn CommentView(#[prop(into)] id: CommentId) -> impl IntoView {
    let Some(thread) = use_thread() else { return ().into_any() };
    let Some((comment, depth)) = thread.comment(&id) else { return ().into_any() };
    // A reply draft left from before a reload opens its form again.
    thread.restore_reply_form(&id);
    let strings = use_strings();
    let parent_author = comment
        .parent_id
        .as_ref()
        .filter(|_| depth >= MAX_INDENT)
        .and_then(|p| thread.comment(p))
        .map(|(parent, _)| parent.author.name.clone());
    let collapsed = RwSignal::new(false);
    let reply_button = NodeRef::<Button>::new();
    let toggle_button = NodeRef::<Button>::new();
    let (row_of, toggle_of, more_of, panel_of) = (id.clone(), id.clone(), id.clone(), id.clone());
    let replies_id = unique_id("aw-replies");
    // Memos: this comment's part of the thread changes with every reply, post and answer below it;
    // the reply form must not be rebuilt for each (it would lose its error and its focus). What the
    // view follows of it is one memo, read by the card and by the one that tells whether anything
    // is below (two per comment, not four); the ones below are made only once something is below.
    let row = Memo::new(move |_| thread.row(&row_of));
    // What is open below it (one of: the reply form, the delete or report form, the thanks for a
    // report): one place, so that a comment pays for none of them until one opens.
    let below_box = {
        let (id, strings) = (id.clone(), strings.clone());
        move || {
            let (id, strings) = (id.clone(), strings.clone());
            let below = Memo::new(move |_| row.with(|r| r.below));
            move || match below.get() {
                Panel::Replying => {
                    // Closing the form (Cancel, Escape, posted) gives focus back to its Reply button, when
                    // the focus was in the form (or nowhere): the form going away with the whole list
                    // (another order, the widget removed), or while the reader is typing elsewhere, does
                    // not move it.
                    let closing_of = id.clone();
                    let form_box = NodeRef::<leptos::html::Div>::new();
                    on_cleanup(move || {
                        let closed = thread.with(|s| s.is_replying(&closing_of)) == Some(false);
                        let form =
                            form_box.try_get_untracked().flatten().map(|el| el.unchecked_into::<web_sys::Element>());
                        if closed && platform::focus_is_free_or_within(form.as_ref()) {
                            if let Some(button) = reply_button.try_get_untracked().flatten() {
                                let _ = button.focus();
                            }
                        }
                    });
                    Some(view! { <div class="aw-reply-composer" node_ref=form_box><Composer parent_id=id.clone() autofocus=true /></div> }.into_any())
                }
                Panel::Deleting => Some(view! { <DeleteConfirm id=id.clone() /> }.into_any()),
                Panel::Reporting => Some(view! { <ReportPanel id=id.clone() /> }.into_any()),
                Panel::Reported => {
                    Some(view! { <p class="aw-report-thanks">{strings.get(Msg::ReportThanks)}</p> }.into_any())
                }
                Panel::Closed | Panel::Editing => None,
            }
        }
    };
    // Most comments have no replies: their list is only made once something is to go in it (or the
    // server counts replies, so that the toggle's aria-controls names a list that exists).
    let below_anything = Memo::new(move |_| row.with(|r| r.has_list() || r.below != Panel::Closed));
    // Made once there is something below: the list's own memo, then.
    let replies = {
        let (id, replies_id) = (id.clone(), replies_id.clone());
        move || {
            let has_list = Memo::new(move |_| row.with(Row::has_list));
            let (id, replies_id) = (id.clone(), replies_id.clone());
            move || {
                has_list.get().then(
                    || view! { <CommentList parent=Some(id.clone()) hidden=collapsed list_id=replies_id.clone() /> },
                )
            }
        }
    };
    // The replies toggle of an own comment or a tombstone (a card makes its own): made once there
    // are replies.
    let toggle = {
        let (strings, replies_id) = (strings.clone(), replies_id.clone());
        move || {
            let has_replies = Memo::new(move |_| row.with(|r| r.replies > 0));
            let (strings, replies_id) = (strings.clone(), replies_id.clone());
            move || {
                has_replies.get().then(|| {
                let strings = strings.clone();
                let reply_count = move || row.with(|r| r.replies);
                view! {
                    <button type="button" class="aw-button aw-button-quiet aw-toggle-replies" node_ref=toggle_button
                        aria-expanded=move || (!collapsed.get()).to_string()
                        aria-controls=replies_id.clone()
                        on:click=move |_| collapsed.update(|c| *c = !*c)>
                        {move || strings.plural(if collapsed.get() { Msg::CommentShow } else { Msg::CommentHide }, reply_count(), &[])}
                    </button>
                }
            })
            }
        }
    };
    let tombstone = {
        let (id, deleted, toggle) = (id.clone(), strings.get(Msg::CommentDeleted), toggle.clone());
        move || {
            view! {
                <article class="aw-comment aw-tombstone" data-comment-id=id.to_string() tabindex="-1">
                    <p class="aw-comment-deleted">{deleted.clone()}</p>
                    <div class="aw-comment-actions">{toggle()}</div>
                </article>
            }
        }
    };
    // Only the reader's own comments change while shown (edited, deleted): only theirs are views that
    // follow it. Anyone else's is a card built once (comment_card.rs), with the same markup.
    let own = thread.with(|s| s.own().grant(&id).is_some()).unwrap_or(false);
    let own_card = || {
        let reactions = (!comment.reactions.is_empty()).then(|| {
            thread.api().map(|(api, article_id)| {
                view! { <ReactionBar api article_id comment_id=id.clone() reactions=comment.reactions.clone() /> }
            })
        });
        let reply_to = parent_author.clone().map(|name| {
            view! { <span class="aw-reply-to">" · " {strings.fmt(Msg::CommentInReplyTo, &[("name", &name)])}</span> }
        });
        let content_of = id.clone();
        let content = Memo::new(move |_| thread.content(&content_of));
        let editing = Memo::new(move |_| thread.panel(&panel_of) == Panel::Editing);
        let edit_id = id.clone();
        let body = move || {
            if editing.get() {
                view! { <EditForm id=edit_id.clone() /> }.into_any()
            } else {
                let text = content.get().map(|c| c.body.clone()).unwrap_or_default();
                view! { <div class="aw-comment-body aw-prose" use:markdown_dom=text dir="auto"></div> }.into_any()
            }
        };
        let edited = {
            let edited = strings.get(Msg::CommentEdited);
            move || {
                content
                    .get()
                    .and_then(|c| c.edited_at.clone())
                    .map(|_| view! { <span class="aw-edited">" " {edited.clone()}</span> })
            }
        };
        view! {
            <article class="aw-comment" data-comment-id=id.to_string() tabindex="-1">
                <header class="aw-comment-header">
                    // dir=auto: a Hebrew name or an Arabic comment in an English thread reads in its own direction.
                    <span class="aw-comment-author" dir="auto">{comment.author.name.clone()}</span>
                    " · "
                    <RelativeTime iso=comment.created_at.clone() />
                    {edited}
                    {reply_to}
                </header>
                {body}
                <div class="aw-comment-actions">
                    {reactions}
                    <button type="button" class="aw-button aw-button-quiet" node_ref=reply_button
                        aria-expanded=move || row.with(|r| r.below == Panel::Replying).to_string()
                        // Open (or in front of a delete or report form) unless it is what is shown.
                        on:click=move |_| thread.set_replying(&toggle_of, row.with_untracked(|r| r.below) != Panel::Replying)>
                        {strings.get(Msg::CommentReply)}
                    </button>
                    {toggle()}
                    <OwnControls id=id.clone() />
                    // Hidden by the thread's class when the server takes no reports. Its clicks reach
                    // the thread's one listener; its form sets its aria-expanded (see own_words.rs).
                    <button type="button" class="aw-button aw-button-quiet aw-report-button" aria-expanded="false">
                        {strings.get(Msg::CommentReport)}
                    </button>
                </div>
            </article>
        }
    };
    let others_card = || {
        let bar = match (comment.reactions.is_empty(), thread.api()) {
            (false, Some((api, article_id))) => {
                let reactions = comment.reactions.clone();
                Some(use_reactions(api, article_id, Some(id.clone()), reactions, false, strings.clone()))
            }
            _ => None,
        };
        let templates = use_context::<Templates>()
            .unwrap_or_else(|| Templates::new(strings.clone(), use_context::<ReactionLabels>().unwrap_or_default()));
        let kinds = bar.map(|bar| templates.kinds(bar)).unwrap_or_else(|| Vec::new().into());
        let clock = use_context::<Clock>();
        let then = format::parse_time(&comment.created_at);
        let content = Arc::new(CardContent {
            comment: comment.clone(),
            reply_to: parent_author.clone(),
            when: then,
            kinds,
            replies_id: replies_id.clone(),
            strings: strings.clone(),
        });
        let live = {
            let (iso, live_content) = (comment.created_at.clone(), content.clone());
            move || Live {
                time: relative_time_text(&iso, then, clock, live_content.strings.locale()),
                bar: bar.map(|bar| BarLive::of(bar, &live_content.kinds)).unwrap_or_default(),
                replying: row.with(|r| r.below == Panel::Replying),
                toggle: row.with(|r| (r.replies > 0).then_some(r.replies)).map(|n| (n, collapsed.get())),
            }
        };
        // The card's one effect: from what it showed to what it shows now. Kept as long as the card.
        let dom = StoredValue::new_local(None::<CardDom>);
        let effect = RenderEffect::new({
            let content = content.clone();
            move |was: Option<Live>| {
                let now = live();
                if let Some(was) = was {
                    dom.update_value(|dom| {
                        if let Some(dom) = dom {
                            dom.update(&content, &was, &now);
                        }
                    });
                }
                now
            }
        });
        let click_content = content.clone();
        let on_click = {
            let id = id.clone();
            move |button: &web_sys::Element| {
                match dom
                    .try_update_value(|dom| dom.as_mut().and_then(|dom| dom.action(&click_content, button)))
                    .flatten()
                {
                    Some(CardAction::React(kind)) => {
                        if let Some(bar) = bar {
                            bar.click(&kind);
                        }
                    }
                    // Open (or in front of a delete or report form) unless it is what is shown.
                    Some(CardAction::Reply) => {
                        if let Some(row) = row.try_get_untracked() {
                            thread.set_replying(&id, row.below != Panel::Replying);
                        }
                    }
                    Some(CardAction::ToggleReplies) => drop(collapsed.try_update(|c| *c = !*c)),
                    None => {}
                }
            }
        };
        // Built now, once, with what the effect first computed; the effect keeps it in step after.
        let live = effect.with_value_mut(|live| live.clone());
        let built = live.and_then(|live| comment_card::build(templates, &content, &live, reply_button, toggle_button));
        built.map(|(article, mut card)| {
            card.listen(templates, Rc::new(on_click));
            card.keep(effect);
            dom.set_value(Some(card));
            Built::new(article)
        })
    };
    let article = if own {
        // Deleted while shown: the card gives way to its tombstone (or the comment leaves its list).
        let deleted_of = id.clone();
        let deleted = Memo::new(move |_| thread.content(&deleted_of).is_none_or(|c| c.deleted));
        let mut card = Some(own_card());
        EitherOf3::A(move || match card.take() {
            Some(card) if !deleted.get() => Either::Left(card),
            _ => Either::Right(tombstone()),
        })
    } else if comment.deleted {
        EitherOf3::B(tombstone())
    } else {
        EitherOf3::C(others_card())
    };

    view! {
        {article}
        // Most comments have nothing below them: one closure (not one per part) until they do.
        {move || below_anything.get().then(|| {
            let more_of = more_of.clone();
            let has_replies = Memo::new(move |_| row.with(|r| r.replies > 0));
            view! {
                {below_box()}
                {replies()}
                {move || has_replies.get().then(|| view! { <MoreReplies id=more_of.clone() hidden=collapsed after=toggle_button /> })}
            }
        })}
    }
    .into_any()
}

/// "Show N more replies" below a comment whose server sent only its first replies inline: fetches
/// the next page of them (see [`ThreadHandle::more_replies`]). Nothing when nothing is missing.
#[component]
fn MoreReplies(
    id: CommentId,
    #[prop(into)] hidden: Signal<bool>,
    /// Where the focus goes when the last page came and the button, focused, went away: the
    /// comment's replies toggle.
    after: NodeRef<Button>,
) -> impl IntoView {
    let Some(thread) = use_thread() else { return ().into_any() };
    let strings = use_strings();
    let (missing_of, load_of) = (id.clone(), id.clone());
    let missing = Memo::new(move |_| thread.missing_replies(&missing_of));
    let load = Memo::new(move |_| thread.replies_load(&load_of));
    let shown = move || missing.get() > 0 && !hidden.get();
    let button = move || {
        let (strings, id) = (strings.clone(), id.clone());
        shown().then(|| {
            let more_button = NodeRef::<Button>::new();
            on_cleanup(move || {
                let was = more_button.try_get_untracked().flatten().map(|b| b.unchecked_into::<web_sys::Element>());
                if was.is_some() && platform::focus_is_free_or_within(was.as_ref()) {
                    if let Some(toggle) = after.try_get_untracked().flatten() {
                        let _ = toggle.focus();
                    }
                }
            });
            let failed = move || match load.get() {
                Load::Failed(message) => Some(view! { <p class="aw-error-message" role="alert">{message}</p> }),
                _ => None,
            };
            view! {
                <div class="aw-more-replies">
                    <button type="button" class="aw-button aw-button-quiet" node_ref=more_button
                        aria-disabled=move || matches!(load.get(), Load::Loading).to_string()
                        aria-busy=move || matches!(load.get(), Load::Loading).to_string()
                        on:click=move |_| thread.more_replies(&id)>
                        {move || match load.get() {
                            Load::Loading => strings.get(Msg::CommentsMoreLoading),
                            _ => strings.plural(Msg::CommentMoreReplies, missing.get(), &[]),
                        }}
                    </button>
                    {failed}
                </div>
            }
        })
    };
    button.into_any()
}

/// This reader's post on its way: shown at once, marked "Sending…" or "Not sent — Retry".
#[component]
fn PendingView(post: PendingPost) -> impl IntoView {
    let PendingPost { key, comment, status } = post;
    let strings = use_strings();
    let status_view = match status {
        PostStatus::Sending => {
            view! { <p class="aw-post-status" role="status">{strings.get(Msg::PostSending)}</p> }.into_any()
        }
        PostStatus::Failed { message } => {
            let thread = use_thread();
            let key = key.clone();
            view! {
                <div class="aw-post-status aw-post-failed">
                    <p class="aw-error-message" role="alert">{strings.fmt(Msg::PostFailed, &[("reason", &message)])}</p>
                    {thread.map(|thread: ThreadHandle| view! {
                        <button type="button" class="aw-button" on:click=move |_| thread.retry(&key)
                            disabled=move || { thread.cooldown() > 0 }>
                            // After a 429 the server has said when: until then, the button says so.
                            {move || match thread.cooldown() {
                                0 => strings.get(Msg::Retry),
                                n => strings.fmt(Msg::ComposerWait, &[("seconds", &n.to_string())]),
                            }}
                        </button>
                    })}
                </div>
            }
            .into_any()
        }
    };
    view! {
        <article class="aw-comment aw-pending" data-pending-key=key.to_string()>
            <header class="aw-comment-header">
                <span class="aw-comment-author" dir="auto">{comment.author_name}</span>
            </header>
            <div class="aw-comment-body aw-prose" use:markdown_dom=comment.body dir="auto"></div>
            {status_view}
        </article>
    }
}

/// `<time>` reading "3 minutes ago", with the exact date in `datetime` and `title`. Follows the
/// thread's [`Clock`] (re-reading only as often as its text can change); outside a thread it reads
/// the time once.
#[component]
pub fn RelativeTime(#[prop(into)] iso: String) -> impl IntoView {
    let locale = use_strings().locale().map(str::to_owned);
    let clock = use_context::<Clock>();
    let title = format::exact_date_time(&iso, locale.as_deref());
    let then = format::parse_time(&iso);
    let text = {
        let iso = iso.clone();
        move || relative_time_text(&iso, then, clock, locale.as_deref())
    };
    view! { <time datetime=iso title=title>{text}</time> }
}

/// "3 minutes ago" for `iso` (`then` parsed), re-read as often as the thread's [`Clock`] says it can
/// change; outside a thread, read once. `iso` itself when it is not a date.
fn relative_time_text(iso: &str, then: Option<f64>, clock: Option<Clock>, locale: Option<&str>) -> String {
    match then {
        Some(then) => {
            let now = clock.map_or_else(platform::now_ms, |c| c.now_for(then));
            format::relative_time_ms(then, now, locale)
        }
        None => iso.to_owned(),
    }
}
