//! `CommentThread`: the heading with the count, the sort control, the new-comments banner, the
//! comments, paging and the composer. All state and requests are the [`ThreadHandle`]'s; this file
//! only renders them: the frame as plain DOM ([`FrameDom`]) kept in step by one effect ([`Kept`]), its events
//! heard on the section; the comments and the form are placed in it as views ([`Placed`]).

use leptos::prelude::*;
use leptos::reactive::owner::WeakOwner;
use wasm_bindgen::JsCast;

use super::built::Placed;
use super::comment_card::Templates;
use super::dom::{add, element, set};
use super::kept::Kept;
use super::status::{fill_error_notice, fill_placeholder};
use super::{unique_id, use_strings, CommentList, Composer};
use crate::api::limits::DEFAULT_PAGE_SIZE;
use crate::api::{ApiClient, ArticleId, CommentPage, Sort};
use crate::config::DEFAULT_POLL_SECONDS;
use crate::format::{self, ReactionLabels};
use crate::i18n::{Msg, Strings};
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
    // The thread's owner: the comments and the form placed in the frame live under it. Held weakly:
    // the frame is the owner's own, and a strong hold would keep it (and its timers) from being
    // disposed with the widget.
    let owner = Owner::current().map(|owner| owner.downgrade());
    let dom = Kept::new(move || FrameShown::of(thread), |dom: &mut FrameDom, was, now| dom.update(Some(was), now));
    let fill = move |el: leptos::tachys::renderer::types::Element| {
        let el: web_sys::Element = el.unchecked_into();
        dom.make(|now| {
            el.set_text_content(None);
            let mut frame = FrameDom::build(el.clone(), strings.clone(), owner.clone()?)?;
            frame.update(None, now);
            Some(frame)
        });
    };
    view! {
        <section
            // Every comment's buttons, one listener (a thread of 10,000 comments makes no 10,000
            // closures): Report here, the others in each card's handler; and the frame's own.
            on:click=move |ev| {
                if let Some(id) = platform::comment_of_click(&ev, "aw-report-button") {
                    thread.open_report(&id.into());
                }
                templates.click(&ev);
                let Some(button) = platform::clicked_button(&ev) else { return };
                match dom.with(|d| d.action(&button)) {
                    Some(Action::ShowNew) => thread.show_new(),
                    Some(Action::RetryLoad) => thread.retry_load(),
                    Some(Action::LoadMore) => thread.load_more(),
                    None => {}
                }
            }
            on:change=move |ev| {
                let target = ev.target();
                let Some(sort) = dom.with(|d| d.sort_of(target.as_ref())) else { return };
                if thread.with(|s| s.sort()) != Some(sort) {
                    thread.reload(sort);
                }
            }
            use:fill
        ></section>
    }
}

/// What the frame's buttons do.
#[derive(Clone, Copy)]
enum Action {
    ShowNew,
    RetryLoad,
    /// "Load more", or Retry after it failed.
    LoadMore,
}

/// What the list's place shows.
#[derive(Clone, PartialEq, Debug)]
enum ListShown {
    Loading,
    Failed(String),
    Empty,
    Comments,
}

/// What the frame shows that changes.
#[derive(Clone, PartialEq)]
struct FrameShown {
    total: Option<u64>,
    sort: Sort,
    /// Without reports on the server, no comment offers Report (one class, not one per comment).
    takes_reports: bool,
    unseen: u64,
    announcement: String,
    list: ListShown,
    has_more: bool,
    more: Load<()>,
}

impl FrameShown {
    /// What `thread` shows now (tracked: read in an effect, it runs again on a change).
    fn of(thread: ThreadHandle) -> FrameShown {
        FrameShown {
            total: thread.total(),
            sort: thread.sort(),
            takes_reports: thread.takes_reports(),
            unseen: thread.unseen(),
            announcement: thread.announcement(),
            // Only a change of kind (loading, failed, empty, not empty) re-renders the list; within
            // it, each list follows its own part of the thread.
            list: match thread.phase() {
                Phase::Loading => ListShown::Loading,
                Phase::Failed(message) => ListShown::Failed(message),
                Phase::Ready if thread.is_empty() => ListShown::Empty,
                Phase::Ready => ListShown::Comments,
            },
            has_more: thread.has_more(),
            more: thread.more(),
        }
    }
}

/// The frame's elements, and those that come and go. Each part that comes and goes is put before
/// its end (an empty text), so that the parts keep their order.
struct FrameDom {
    strings: Strings,
    owner: WeakOwner,
    section: web_sys::Element,
    heading: web_sys::Element,
    options: Vec<(web_sys::Element, Sort)>,
    live: web_sys::Element,
    /// "2 new comments" and its Show button.
    banner: Option<(web_sys::Element, web_sys::Text, web_sys::Element)>,
    status: web_sys::Element,
    list: Option<ListDom>,
    list_end: web_sys::Node,
    /// "Load more comments".
    more: Option<web_sys::Element>,
    more_end: web_sys::Node,
    /// Why loading more failed, and its Retry.
    more_error: Option<(web_sys::Element, web_sys::Element)>,
    more_error_end: web_sys::Node,
    _composer: Option<Placed>,
    /// The order shown (where Show puts the new comments).
    sort: Sort,
    /// How many rows the list had when Load more was last pressed (the next page's first follows).
    rows_at_more: std::cell::Cell<Option<u32>>,
}

/// Whether the focus is in `el`.
fn has_focus(el: &web_sys::Element) -> bool {
    el.owner_document().and_then(|d| d.active_element()).is_some_and(|active| el.contains(Some(&active)))
}

/// The list's place: a placeholder, an error (with its Retry), "Be the first…", or the comments.
enum ListDom {
    Shown(web_sys::Element, Option<web_sys::Element>),
    Comments { _list: Placed },
}

impl Drop for ListDom {
    fn drop(&mut self) {
        if let ListDom::Shown(el, _) = self {
            el.remove();
        }
    }
}

impl FrameDom {
    /// Fills `section` with the frame, its parts that come and go not shown yet.
    fn build(section: web_sys::Element, strings: Strings, owner: WeakOwner) -> Option<FrameDom> {
        let document = section.owner_document()?;
        let heading_id = unique_id("aw-comments-heading");
        set(&section, "aria-labelledby", &heading_id);
        let bar = element(&document, "div", "aw-comments-bar")?;
        let heading = element(&document, "h2", "aw-comments-heading")?;
        set(&heading, "id", &heading_id);
        add(&bar, &heading);
        // "Sort by" and its `<select>`; a change reloads the thread in that order.
        let (sort, label, select) = (
            element(&document, "div", "aw-sort")?,
            element(&document, "label", "")?,
            element(&document, "select", "aw-select")?,
        );
        let select_id = unique_id("aw-sort");
        set(&label, "for", &select_id);
        label.set_text_content(Some(&strings.get(Msg::CommentsSort)));
        set(&select, "id", &select_id);
        let mut options = Vec::with_capacity(Sort::ALL.len());
        for value in Sort::ALL {
            let option = element(&document, "option", "")?;
            set(&option, "value", value.as_str());
            option.set_text_content(Some(&strings.get(Msg::sort(value))));
            add(&select, &option);
            options.push((option, value));
        }
        add(&sort, &label);
        add(&sort, &select);
        add(&bar, &sort);
        add(&section, &bar);
        let live = element(&document, "div", "aw-live")?;
        set(&live, "aria-live", "polite");
        add(&section, &live);
        // Events worth hearing ("Comment posted."), said once, politely; errors have their own alerts.
        let status = element(&document, "p", "aw-visually-hidden")?;
        set(&status, "role", "status");
        add(&section, &status);
        let end = || -> web_sys::Node { document.create_text_node("").into() };
        let (list_end, more_end, more_error_end) = (end(), end(), end());
        for end in [&list_end, &more_end, &more_error_end] {
            let _ = section.append_child(end);
        }
        let composer = Placed::new(&owner.upgrade()?, &section, None, || view! { <Composer /> }.into_any());
        Some(FrameDom {
            strings,
            owner,
            section,
            heading,
            options,
            live,
            banner: None,
            status,
            list: None,
            list_end,
            more: None,
            more_end,
            more_error: None,
            more_error_end,
            _composer: Some(composer),
            sort: Sort::default(),
            rows_at_more: Default::default(),
        })
    }

    /// Brings the frame from showing `was` (nothing: `None`) to showing `now`, touching only what
    /// changed.
    fn update(&mut self, was: Option<&FrameShown>, now: &FrameShown) {
        // Whether `part` of what is shown changed (all has, from nothing).
        let changed = |part: &dyn Fn(&FrameShown) -> bool| was.is_none_or(|was| !part(was));
        if changed(&|w| w.takes_reports == now.takes_reports) {
            let class = if now.takes_reports { "aw-comments" } else { "aw-comments aw-no-reports" };
            self.section.set_class_name(class);
        }
        if changed(&|w| w.total == now.total) {
            let heading = match now.total {
                Some(n) => {
                    let count = format::full_count(n, self.strings.locale());
                    self.strings.fmt(Msg::CommentsHeading, &[("count", &count)])
                }
                None => self.strings.get(Msg::CommentsTitle),
            };
            self.heading.set_text_content(Some(&heading));
        }
        if changed(&|w| w.sort == now.sort) {
            self.sort = now.sort;
            for (option, value) in &self.options {
                let _ = match *value == now.sort {
                    true => option.set_attribute("selected", ""),
                    false => option.remove_attribute("selected"),
                };
            }
        }
        if changed(&|w| w.unseen == now.unseen) {
            self.show_banner(now.unseen);
        }
        if changed(&|w| w.announcement == now.announcement) {
            self.status.set_text_content(Some(&now.announcement));
        }
        if changed(&|w| w.list == now.list) {
            self.show_list(&now.list);
        }
        if changed(&|w| (w.has_more, w.more == Load::Loading) == (now.has_more, now.more == Load::Loading)) {
            self.show_more(now.has_more, now.more == Load::Loading);
        }
        if changed(&|w| w.more == now.more) {
            if let Some((notice, _)) = self.more_error.take() {
                let focused = has_focus(&notice);
                notice.remove();
                // Its Retry was pressed: "Load more" says "Loading…".
                if focused {
                    self.refocus(self.more.clone(), false);
                }
            }
            if let Load::Failed(message) = &now.more {
                self.more_error = self.notice(message, &self.more_error_end.clone());
            }
        }
    }

    /// Gives the focus, which was on something that went away, to `to`, or else to the thread's
    /// heading (scrolled to, when `scroll`): never to the page.
    fn refocus(&self, to: Option<web_sys::Element>, scroll: bool) {
        let focus = |el: &web_sys::HtmlElement| match scroll {
            true => drop(el.focus()),
            false => platform::focus_without_scrolling(el),
        };
        if let Some(to) = to.and_then(|to| to.dyn_into::<web_sys::HtmlElement>().ok()) {
            focus(&to);
            if has_focus(&to) {
                return;
            }
        }
        if !self.heading.has_attribute("tabindex") {
            set(&self.heading, "tabindex", "-1");
        }
        if let Some(heading) = self.heading.dyn_ref::<web_sys::HtmlElement>() {
            focus(heading);
        }
    }

    /// The last top-level comment that takes the focus (a post on its way does not).
    fn last_comment(&self) -> Option<web_sys::Element> {
        let all = self.section.query_selector_all(":scope > ol > li > article[tabindex]").ok()?;
        all.get(all.length().checked_sub(1)?)?.dyn_into().ok()
    }

    /// The button `button` does in the frame, if it is one of its own.
    fn action(&self, button: &web_sys::Element) -> Option<Action> {
        let is = |el: Option<&web_sys::Element>| el == Some(button);
        if is(self.banner.as_ref().map(|(_, _, show)| show)) {
            Some(Action::ShowNew)
        } else if is(match &self.list {
            Some(ListDom::Shown(_, retry)) => retry.as_ref(),
            _ => None,
        }) {
            Some(Action::RetryLoad)
        } else if is(self.more.as_ref()) || is(self.more_error.as_ref().map(|(_, retry)| retry)) {
            let rows = self.section.query_selector_all(":scope > ol > li").map(|rows| rows.length());
            self.rows_at_more.set(rows.ok());
            Some(Action::LoadMore)
        } else {
            None
        }
    }

    /// The order of the sort control, when `target` is it: the option chosen, as it was made.
    fn sort_of(&self, target: Option<&web_sys::EventTarget>) -> Option<Sort> {
        let select = self.options.first()?.0.parent_element()?;
        if target != Some(AsRef::<web_sys::EventTarget>::as_ref(&select)) {
            return None;
        }
        let chosen = select.dyn_ref::<web_sys::HtmlSelectElement>()?.selected_index();
        self.options.get(usize::try_from(chosen).ok()?).map(|(_, sort)| *sort)
    }

    /// "2 new comments" with its Show button, in the polite live region; gone at 0.
    fn show_banner(&mut self, unseen: u64) {
        if unseen == 0 {
            if let Some((banner, ..)) = self.banner.take() {
                let focused = has_focus(&banner);
                banner.remove();
                // Show was pressed: to where the new comments are, in view: under the heading newest
                // first, else after the last comment.
                if focused {
                    let to = if self.sort == Sort::Newest { None } else { self.last_comment() };
                    self.refocus(to, true);
                }
            }
            return;
        }
        if self.banner.is_none() {
            self.banner = self.made_banner();
        }
        if let Some((_, text, _)) = &self.banner {
            text.set_data(&self.strings.plural(Msg::CommentsNew, unseen, &[]));
        }
    }

    fn made_banner(&self) -> Option<(web_sys::Element, web_sys::Text, web_sys::Element)> {
        let document = self.section.owner_document()?;
        let banner = element(&document, "p", "aw-new-comments")?;
        let text = document.create_text_node("");
        let show = element(&document, "button", "aw-button aw-button-primary")?;
        set(&show, "type", "button");
        show.set_text_content(Some(&self.strings.get(Msg::CommentsNewShow)));
        add(&banner, &text);
        add(&banner, &show);
        add(&self.live, &banner);
        Some((banner, text, show))
    }

    /// The list's place as `list` says.
    fn show_list(&mut self, list: &ListShown) {
        // The one shown before goes first (a view's owner is disposed with it). Its Retry, pressed,
        // gives the focus to the heading.
        let focused = matches!(&self.list, Some(ListDom::Shown(el, _)) if has_focus(el));
        self.list = None;
        if focused {
            self.refocus(None, false);
        }
        let Some(document) = self.section.owner_document() else { return };
        self.list = match list {
            ListShown::Loading => element(&document, "div", "").map(|el| {
                fill_placeholder(&el, &self.strings.get(Msg::CommentsLoading), 3);
                let _ = self.section.insert_before(&el, Some(&self.list_end));
                ListDom::Shown(el, None)
            }),
            ListShown::Failed(message) => {
                self.notice(message, &self.list_end.clone()).map(|(el, retry)| ListDom::Shown(el, Some(retry)))
            }
            ListShown::Empty => element(&document, "p", "aw-empty").map(|el| {
                el.set_text_content(Some(&self.strings.get(Msg::CommentsEmpty)));
                let _ = self.section.insert_before(&el, Some(&self.list_end));
                ListDom::Shown(el, None)
            }),
            ListShown::Comments => self.owner.upgrade().map(|owner| {
                let list = || view! { <CommentList parent=None /> }.into_any();
                ListDom::Comments { _list: Placed::new(&owner, &self.section, Some(&self.list_end), list) }
            }),
        };
    }

    /// "Load more comments" while there are more ("Loading…" and disabled while they come).
    fn show_more(&mut self, has_more: bool, busy: bool) {
        if !has_more {
            if let Some(more) = self.more.take() {
                let focused = has_focus(&more);
                more.remove();
                // The last page came: the focus goes to its first comment, or, not shown yet (rows
                // are made over the next tasks), to the last comment, which it follows.
                if focused {
                    let first_new = self.rows_at_more.take().and_then(|n| {
                        let selector = format!(":scope > ol > li:nth-child({}) > article[tabindex]", n + 1);
                        self.section.query_selector(&selector).ok().flatten()
                    });
                    self.refocus(first_new.or_else(|| self.last_comment()), false);
                }
            }
            return;
        }
        if self.more.is_none() {
            let Some(document) = self.section.owner_document() else { return };
            self.more = element(&document, "button", "aw-button aw-load-more");
            if let Some(more) = &self.more {
                set(more, "type", "button");
                let _ = self.section.insert_before(more, Some(&self.more_end));
            }
        }
        let Some(more) = &self.more else { return };
        // aria-disabled, not disabled: a disabled button drops the focus to the page (a press while
        // loading does nothing: one page at a time).
        set(more, "aria-disabled", if busy { "true" } else { "false" });
        more.set_text_content(Some(&self.strings.get(if busy { Msg::CommentsMoreLoading } else { Msg::CommentsMore })));
    }

    /// An error notice saying `message`, put before `end`; with its Retry.
    fn notice(&self, message: &str, end: &web_sys::Node) -> Option<(web_sys::Element, web_sys::Element)> {
        let el = element(&self.section.owner_document()?, "div", "")?;
        let retry = fill_error_notice(&el, message, &self.strings.get(Msg::Retry))?;
        let _ = self.section.insert_before(&el, Some(end));
        Some((el, retry))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(first_page: Option<CommentPage>) -> FrameShown {
        let owner = Owner::new();
        owner.with(|| {
            let api = ApiClient::new("/api");
            let thread = ThreadHandle::new(api, "a1".into(), Sort::Oldest, 20, 0, Strings::default(), first_page);
            FrameShown::of(thread)
        })
    }

    #[test]
    fn a_first_page_given_is_shown_at_once_and_without_one_the_thread_loads() {
        let page = |json: &str| Some(contract::json::from_str::<CommentPage>(json).expect("a page"));
        let empty = shown(page(r#"{"comments": [], "next_cursor": null, "total": 0}"#));
        assert_eq!((empty.list, empty.total, empty.has_more), (ListShown::Empty, Some(0), false));
        let one = r#"{"comments": [{"id": "c1", "parent_id": null, "author": {"name": "Ada"}, "body": "Hi",
            "created_at": "2026-11-20T10:00:00Z", "edited_at": null, "reactions": [], "replies": [],
            "reply_count": 0}], "next_cursor": "2", "total": 3}"#;
        let one = shown(page(one));
        assert_eq!((one.list, one.total, one.has_more), (ListShown::Comments, Some(3), true));
        let loading = shown(None);
        assert_eq!((loading.list, loading.total), (ListShown::Loading, None));
    }
}
