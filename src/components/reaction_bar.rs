//! `ReactionBar`: one toggle button per reaction kind, optimistic and race-free. The logic is
//! [`crate::reactions`], the requests are the [`ReactionsHandle`]'s; this file only renders them: as
//! plain DOM ([`BarDom`]) kept in step by one effect, the same for the article's bar and for every
//! comment card's (`comment_card.rs`).

use std::sync::{Arc, Mutex};

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::dom::{add, element, flag, paragraph, set, show_message};
use super::kept::Kept;
use super::use_strings;
use crate::api::{ApiClient, ArticleId, CommentId, Reaction, ReactionKind};
use crate::format::{self, ReactionLabels};
use crate::i18n::{Msg, Strings};
use crate::platform;
use crate::state::{use_reactions, ReactionsHandle};

/// The reaction buttons of an article, or of one comment when `comment_id` is given. The buttons
/// are plain DOM that the bar alone keeps in step: put nothing else inside its `<div>`.
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use article_widget::api::{ApiClient, Reaction};
/// use article_widget::components::ReactionBar;
/// let api = ApiClient::new("/api");
/// let reactions = vec![Reaction { kind: "like".into(), count: 8, reacted: false }];
/// let view = view! { <ReactionBar api article_id="my-post" reactions exclusive=true /> };
/// ```
#[component]
pub fn ReactionBar(
    /// The API to send reactions to.
    api: ApiClient,
    /// The article the reactions belong to.
    #[prop(into)]
    article_id: ArticleId,
    /// React to this comment instead of the article. Default: the article.
    #[prop(optional, into)]
    comment_id: Option<CommentId>,
    /// The reactions as the server last reported them.
    reactions: Vec<Reaction>,
    /// A viewer holds at most one kind (like *or* dislike). Default: false.
    #[prop(optional)]
    exclusive: bool,
    /// Labels of the kinds. Default: the [`ReactionLabels`] in context (an `ArticleWidget` provides
    /// its configuration's), else 👍 and 👎.
    #[prop(optional)]
    labels: Option<ReactionLabels>,
) -> impl IntoView {
    let labels = labels.or_else(use_context::<ReactionLabels>).unwrap_or_default();
    let strings = use_strings();
    let bar = use_reactions(api, article_id, comment_id, reactions, exclusive, strings.clone());
    // A bar's kinds are fixed when it is made: the buttons are built once, their counts follow.
    let kinds: Arc<[BarKind]> = bar_kinds(bar, &labels, &strings).into();
    let dom = {
        let (kinds, update_kinds, strings) = (kinds.clone(), kinds.clone(), strings.clone());
        Kept::new(
            move || BarLive::of(bar, &kinds),
            move |dom: &mut BarDom, was, now| dom.update(&update_kinds, &strings, was, now),
        )
    };
    let fill = {
        let (kinds, strings) = (kinds.clone(), strings.clone());
        move |el: leptos::tachys::renderer::types::Element| {
            // A bar rendered again in place (a parent's closure re-running) is a new bar on the same
            // <div>: it starts from an empty one, not beside the old buttons.
            let el: web_sys::Element = el.unchecked_into();
            dom.make(|live| {
                let document = el.owner_document()?;
                el.set_text_content(None);
                append_buttons(&document, &el, &kinds);
                Some(BarDom::connect(el.clone(), &kinds, &strings, live))
            });
        }
    };
    let on_click = move |ev: web_sys::MouseEvent| {
        let Some(button) = platform::clicked_button(&ev) else { return };
        if let Some(kind) = dom.with(|dom| dom.clicked(&kinds, &button)) {
            bar.click(&kind);
        }
    };
    view! { <div class="aw-reactions" role="group" aria-label=strings.get(Msg::ReactionsGroup) on:click=on_click use:fill></div> }
}

/// A reaction kind as a bar shows it.
pub(super) struct BarKind {
    pub kind: ReactionKind,
    /// What the button shows ("👍").
    pub label: String,
    /// What it is called ("Like"), in its accessible name.
    pub name: String,
    /// The texts made for a count so far ([`bar_texts`]): the counts of a thread's cards repeat.
    texts: Mutex<Vec<(u64, String, String)>>,
}

/// Counts whose texts a [`BarKind`] keeps: a bound against a thread of many different counts.
const TEXTS_KEPT: usize = 64;

/// The kinds of `bar`, in the server's order, labelled.
pub(super) fn bar_kinds(bar: ReactionsHandle, labels: &ReactionLabels, strings: &Strings) -> Vec<BarKind> {
    let kinds = bar.kinds();
    kinds
        .into_iter()
        .map(|kind| BarKind {
            label: labels.label(kind.as_str()),
            name: reaction_name(labels, strings, &kind),
            kind,
            texts: Mutex::default(),
        })
        .collect()
}

/// What a bar shows that changes.
#[derive(Clone, PartialEq, Debug, Default)]
pub(super) struct BarLive {
    /// Per kind, in the bar's order: the count and whether this reader holds it.
    pub shown: Vec<(u64, bool)>,
    /// The last failure's sentence.
    pub error: Option<String>,
}

impl BarLive {
    /// What `bar` shows now (tracked: read in an effect, it runs again on a change).
    pub(super) fn of(bar: ReactionsHandle, kinds: &[BarKind]) -> BarLive {
        BarLive { shown: kinds.iter().map(|k| bar.shown(&k.kind)).collect(), error: bar.error() }
    }
}

/// Appends one button per kind to `bar`: not pressed, no count yet ([`BarDom::connect`] fills them).
pub(super) fn append_buttons(document: &web_sys::Document, bar: &web_sys::Element, kinds: &[BarKind]) {
    for kind in kinds {
        // The button's name is its aria-label (a button's content is presentational).
        let (Some(button), Some(shown), Some(count)) = (
            element(document, "button", "aw-reaction"),
            element(document, "span", "aw-reaction-label"),
            element(document, "span", "aw-reaction-count"),
        ) else {
            return;
        };
        set(&button, "type", "button");
        set(&button, "data-kind", kind.kind.as_str());
        set(&button, "aria-pressed", "false");
        shown.set_text_content(Some(&kind.label));
        // An empty text to write the count into (cheaper than making one for each card).
        add(&count, &document.create_text_node(""));
        add(&button, &shown);
        add(&button, &count);
        add(bar, &button);
    }
}

/// A reaction bar's elements that change: each kind's button and count, and the alert.
pub(super) struct BarDom {
    bar: web_sys::Element,
    buttons: Vec<(web_sys::Element, web_sys::Element)>,
    error: Option<web_sys::Element>,
}

impl BarDom {
    /// Connects to the buttons [`append_buttons`] made in `bar`, and shows `live` on them.
    pub(super) fn connect(bar: web_sys::Element, kinds: &[BarKind], strings: &Strings, live: &BarLive) -> BarDom {
        let mut dom = BarDom::attach(bar, kinds.len());
        dom.update(kinds, strings, &BarLive::default(), live);
        dom
    }

    /// Connects to the first `n` buttons of `bar` as they are (see `update` for showing something).
    pub(super) fn attach(bar: web_sys::Element, n: usize) -> BarDom {
        let mut buttons = Vec::with_capacity(n);
        let mut next = bar.first_element_child();
        while let Some(button) = next.filter(|_| buttons.len() < n) {
            next = button.next_element_sibling();
            if let Some(count) = button.last_element_child() {
                buttons.push((button, count));
            }
        }
        BarDom { bar, buttons, error: None }
    }

    /// Brings the bar from showing `was` to showing `now`, touching only what changed (a kind
    /// missing from `was` is shown whole).
    pub(super) fn update(&mut self, kinds: &[BarKind], strings: &Strings, was: &BarLive, now: &BarLive) {
        for (i, &(n, on)) in now.shown.iter().enumerate() {
            let before = was.shown.get(i).copied();
            let (Some((button, count)), Some(kind)) = (self.buttons.get(i), kinds.get(i)) else { continue };
            // Made unpressed (see append_buttons).
            if before.map_or(on, |(_, was_on)| was_on != on) {
                set(button, "aria-pressed", flag(on));
            }
            if before.is_none_or(|(was_n, _)| was_n != n) {
                let (label, shown) = bar_texts(kind, strings, n);
                set(button, "aria-label", &label);
                count.set_text_content(Some(&shown));
            }
        }
        if was.error != now.error {
            self.show_error(now.error.as_deref());
        }
    }

    /// The kind of the button `button`, when it is one of this bar's: the kind the bar was made
    /// with, not the button's attribute read back.
    pub(super) fn clicked(&self, kinds: &[BarKind], button: &web_sys::Element) -> Option<ReactionKind> {
        let i = self.buttons.iter().position(|(b, _)| b == button)?;
        kinds.get(i).map(|k| k.kind.clone())
    }

    /// The alert after the buttons: shown with `message`, gone without.
    fn show_error(&mut self, message: Option<&str>) {
        let bar = &self.bar;
        show_message(&mut self.error, message, || {
            let error = paragraph(bar, "aw-error-message", "alert")?;
            add(bar, &error);
            Some(error)
        });
    }
}

/// A button's accessible name ("Like, 3 reactions") and the count it shows ("3") for `n`, in
/// `strings` (the ones `kind` was named with: the texts are kept by count).
pub(super) fn bar_texts(kind: &BarKind, strings: &Strings, n: u64) -> (String, String) {
    let kept = kind.texts.try_lock().ok().and_then(|texts| {
        texts.iter().find(|(made, ..)| *made == n).map(|(_, label, count)| (label.clone(), count.clone()))
    });
    if let Some(kept) = kept {
        return kept;
    }
    let label = strings.plural(Msg::ReactionsButton, n, &[("name", &kind.name)]);
    let count = format::count(n, strings.locale());
    if let Ok(mut texts) = kind.texts.try_lock() {
        if texts.len() < TEXTS_KEPT {
            texts.push((n, label.clone(), count.clone()));
        }
    }
    (label, count)
}

/// The spoken name of a kind: a configured label with letters, else the catalogue's name for like and
/// dislike, else the kind with a capital letter.
pub(crate) fn reaction_name(labels: &ReactionLabels, strings: &Strings, kind: &ReactionKind) -> String {
    let k = kind.as_str();
    match Msg::reaction(k).filter(|_| !labels.0.contains_key(k)) {
        Some(msg) => strings.get(msg),
        None => labels.name(k),
    }
}
