//! `CommentThread`: the heading with the count, the sort control, the new-comments banner, the
//! comments, paging and the composer. All state and requests are the [`ThreadHandle`]'s; this file
//! only renders them.

use leptos::prelude::*;

use super::comment_card::Templates;
use super::{unique_id, use_strings, CommentList, Composer, ErrorNotice, Placeholder};
use crate::api::limits::DEFAULT_PAGE_SIZE;
use crate::api::{ApiClient, ArticleId, CommentPage, Sort};
use crate::config::DEFAULT_POLL_SECONDS;
use crate::format::{self, ReactionLabels};
use crate::i18n::Msg;
use crate::platform;
use crate::state::{Clock, Load, ThreadHandle};
use crate::thread::Phase;

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
    #[prop(into)] article_id: ArticleId,
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
    /// The first page in `sort` order as a server rendered it into the page ([`crate::ssr`]): shown
    /// at once, with no loading state and no request before it. Default: none (loaded).
    #[prop(optional_no_strip)]
    first_page: Option<CommentPage>,
) -> impl IntoView {
    let strings = use_strings();
    let thread = ThreadHandle::new(api, article_id, sort, page_size, poll_seconds, strings.clone(), first_page);
    provide_context(thread);
    provide_context(Clock::start());
    // One listener for every card's clicks: the section's (below).
    let templates = Templates::for_thread(strings.clone(), use_context::<ReactionLabels>().unwrap_or_default());
    provide_context(templates);
    let heading_id = unique_id("aw-comments-heading");

    let heading = {
        let strings = strings.clone();
        move || match thread.total() {
            Some(n) => strings.fmt(Msg::CommentsHeading, &[("count", &format::full_count(n, strings.locale()))]),
            None => strings.get(Msg::CommentsTitle),
        }
    };
    // Only a change of kind (loading, failed, empty, not empty) re-renders the list; within it, each
    // list follows its own part of the thread.
    let kind = Memo::new(move |_| match thread.phase() {
        Phase::Loading => Load::Loading,
        Phase::Failed(message) => Load::Failed(message),
        Phase::Ready => Load::Ready(thread.is_empty()),
    });
    let list = {
        let (loading, empty) = (strings.get(Msg::CommentsLoading), strings.get(Msg::CommentsEmpty));
        move || match kind.get() {
            Load::Loading => view! { <Placeholder label=loading.clone() /> }.into_any(),
            Load::Failed(message) => {
                view! { <ErrorNotice message on_retry=Callback::new(move |()| thread.retry_load()) /> }.into_any()
            }
            Load::Ready(true) => view! { <p class="aw-empty">{empty.clone()}</p> }.into_any(),
            Load::Ready(false) => view! { <CommentList parent=None /> }.into_any(),
        }
    };
    let (more_label, more_loading) = (strings.get(Msg::CommentsMore), strings.get(Msg::CommentsMoreLoading));
    let more_busy = move || thread.more() == Load::Loading;

    view! {
        // Without reports on the server, no comment offers Report (one class, not one per comment).
        <section class=move || if thread.takes_reports() { "aw-comments" } else { "aw-comments aw-no-reports" }
            aria-labelledby=heading_id.clone()
            // Every comment's buttons, one listener (a thread of 10,000 comments makes no 10,000
            // closures): Report here, the others in each card's handler.
            on:click=move |ev| {
                if let Some(id) = platform::comment_of_click(&ev, "aw-report-button") {
                    thread.open_report(&id.into());
                }
                templates.click(&ev);
            }>
            <div class="aw-comments-bar">
                <h2 id=heading_id.clone() class="aw-comments-heading">{heading}</h2>
                <SortControl thread />
            </div>
            <NewCommentsBanner thread />
            // Events worth hearing ("Comment posted."), said once, politely; errors have their own alerts.
            <p class="aw-visually-hidden" role="status">{move || thread.announcement()}</p>
            {list}
            <Show when=move || thread.has_more()>
                <button type="button" class="aw-button aw-load-more" disabled=more_busy on:click=move |_| thread.load_more()>
                    {
                        let (more_label, more_loading) = (more_label.clone(), more_loading.clone());
                        move || if more_busy() { more_loading.clone() } else { more_label.clone() }
                    }
                </button>
            </Show>
            {move || match thread.more() {
                Load::Failed(message) => Some(view! { <ErrorNotice message on_retry=Callback::new(move |()| thread.load_more()) /> }),
                _ => None,
            }}
            <Composer />
        </section>
    }
}

/// "Sort by" and its `<select>`; a change reloads the thread in that order.
#[component]
fn SortControl(thread: ThreadHandle) -> impl IntoView {
    let strings = use_strings();
    let id = unique_id("aw-sort");
    let options = Sort::ALL
        .into_iter()
        .map(|sort| {
            let label = strings.get(Msg::sort(sort));
            view! { <option value=sort.as_str() selected=move || thread.sort() == sort>{label}</option> }
        })
        .collect_view();
    view! {
        <div class="aw-sort">
            <label for=id.clone()>{strings.get(Msg::CommentsSort)}</label>
            <select
                id=id
                class="aw-select"
                on:change=move |ev| {
                    if let Some(sort) = Sort::parse(&event_target_value(&ev)) {
                        if thread.with(|s| s.sort()) != Some(sort) {
                            thread.reload(sort);
                        }
                    }
                }
            >
                {options}
            </select>
        </div>
    }
}

/// "N new comments — Show". Takes no room: appearing, it moves nothing the reader is looking at.
#[component]
fn NewCommentsBanner(thread: ThreadHandle) -> impl IntoView {
    let strings = use_strings();
    let show = strings.get(Msg::CommentsNewShow);
    view! {
        <div class="aw-live" aria-live="polite">
            {move || {
                let n = thread.unseen();
                (n > 0).then(|| view! {
                    <p class="aw-new-comments">
                        {strings.plural(Msg::CommentsNew, n, &[])}
                        <button type="button" class="aw-button aw-button-primary" on:click=move |_| thread.show_new()>{show.clone()}</button>
                    </p>
                })
            }}
        </div>
    }
}
