//! The card of another reader's comment, built once as plain DOM. Its author, time, text and buttons
//! never change while it is shown, but for a few values ([`Live`]: the relative time, the reaction
//! counts, whether Reply's form is open, the replies toggle), which one effect per card keeps in
//! step, touching only what changed. A thread is mostly such cards: as reactive view trees they took
//! about twice the time and three times the memory (see `make bench`). The reader's own comments,
//! which change while shown (edited, deleted), stay reactive views in `comment_view.rs`, with the same
//! markup.
//!
//! A card is made in one call into `build.js` (the thread's template `<article>` cloned and filled
//! from one JSON string), not in the dozens of calls from wasm it took element by element, and
//! placed in the list as it is ([`Built`](super::built::Built)); the parts that later change are
//! found when first needed. Its clicks reach it through the thread's one listener
//! ([`Templates::click`]), not one listener per card.

use std::rc::{Rc, Weak};
use std::sync::Arc;

use leptos::html::Button;
use leptos::prelude::*;
use leptos::tachys::html::node_ref::NodeRefContainer;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::build::{add_toggle, fill_card, JsonObject};
use super::dom::{add, element, flag, set};
use super::reaction_bar::{append_buttons, bar_kinds, bar_texts, BarDom, BarKind, BarLive};
use crate::api::{Comment, ReactionKind};
use crate::format::ReactionLabels;
use crate::i18n::{Msg, Strings};
use crate::markdown;
use crate::platform;
use crate::state::ReactionsHandle;

/// What a card shows that can change.
#[derive(Clone, PartialEq, Debug)]
pub(super) struct Live {
    /// "3 minutes ago".
    pub time: String,
    /// The reaction bar (nothing without one).
    pub bar: BarLive,
    /// Whether Reply's form is the one shown below.
    pub replying: bool,
    /// The replies toggle: all replies below, and whether they are hidden; `None` while there are none.
    pub toggle: Option<(u64, bool)>,
}

/// What a card shows that never changes.
pub(super) struct CardContent {
    pub comment: Arc<Comment>,
    /// "in reply to Ada", for a reply indented no further than its parent.
    pub reply_to: Option<String>,
    /// When it was written, in milliseconds since the epoch (`None`: not a date the widget reads).
    pub when: Option<f64>,
    /// The reaction kinds, labelled (none: no bar).
    pub kinds: Arc<[BarKind]>,
    /// The `id` of the replies' list, for the toggle's `aria-controls`.
    pub replies_id: String,
    pub strings: Strings,
}

/// A button of a card that was clicked.
pub(super) enum CardAction {
    React(ReactionKind),
    Reply,
    ToggleReplies,
}

/// The card's elements that change, found when first needed.
pub(super) struct CardDom {
    /// How the card hears its clicks; kept as long as the card.
    _listener: Option<Listener>,
    /// The effect that keeps the card in step; kept as long as the card.
    _effect: Option<RenderEffect<Live>>,
    article: web_sys::Element,
    reply: Option<web_sys::Element>,
    reply_button: NodeRef<Button>,
    time: Option<web_sys::Element>,
    bar: Option<Bar>,
    toggle: Option<web_sys::Element>,
    /// Where the toggle is connected once made (the focus goes back to it from "Show more").
    toggle_button: NodeRef<Button>,
}

/// A card's click handler where the thread's listener finds it (held here, weakly there; its
/// number given back with the card), or the card's own listener, removed with the card.
enum Listener {
    Delegated { templates: Templates, number: usize, _handler: OnClick },
    Own { article: web_sys::Element, closure: Closure<dyn Fn(web_sys::Event)> },
}

impl Drop for Listener {
    fn drop(&mut self) {
        match self {
            Listener::Delegated { templates, number, .. } => {
                // try_: the thread (and its templates) may be gone first.
                templates.0.try_update_value(|shared| shared.clicks.as_mut().map(|clicks| clicks.remove(*number)));
            }
            Listener::Own { article, closure } => {
                let _ = article.remove_event_listener_with_callback("click", closure.as_ref().unchecked_ref());
            }
        }
    }
}

/// The thread's cards' click handlers, by card number: a card's number is written on its
/// `<article>` (see [`platform::set_card_number`]), where a click finds it, and is free again
/// once the card is gone. A number per card, not an entry per comment: a comment shown twice has
/// two cards, and making a card hashes and copies nothing.
#[derive(Default)]
struct Clicks {
    cards: Vec<Option<WeakOnClick>>,
    free: Vec<usize>,
}

impl Clicks {
    /// Keeps `handler` (weakly) under a free number, and returns it.
    fn add(&mut self, handler: &OnClick) -> usize {
        let handler = Some(Rc::downgrade(handler));
        match self.free.pop() {
            Some(number) => {
                self.cards[number] = handler;
                number
            }
            None => {
                self.cards.push(handler);
                self.cards.len() - 1
            }
        }
    }

    fn remove(&mut self, number: usize) {
        if let Some(card) = self.cards.get_mut(number).filter(|card| card.is_some()) {
            *card = None;
            self.free.push(number);
        }
    }

    fn handler(&self, number: usize) -> Option<OnClick> {
        self.cards.get(number)?.as_ref()?.upgrade()
    }
}

/// A card's reaction bar: as built, or connected (see [`CardDom::bar`]).
enum Bar {
    Unconnected,
    Connected(BarDom),
}

/// What a thread's cards share: the card templates (made once per set of reaction kinds, cloned for
/// each card), the labelled reaction kinds, and, in a [`CommentThread`](super::CommentThread), the
/// cards' click handlers for its one listener ([`Templates::for_thread`]).
#[derive(Clone, Copy)]
pub(super) struct Templates(StoredValue<Shared, LocalStorage>);

/// A card's click handler, given the button clicked.
pub(super) type OnClick = Rc<dyn Fn(&web_sys::Element)>;
type WeakOnClick = Weak<dyn Fn(&web_sys::Element)>;

struct Shared {
    /// The thread's cards' click handlers, when the thread has one listener for them all (see
    /// [`Templates::for_thread`]); else each card listens itself.
    clicks: Option<Clicks>,
    strings: Strings,
    labels: ReactionLabels,
    /// How a card's title writes its date (`Intl.DateTimeFormat`; null without it), once made.
    date_format: Option<JsValue>,
    /// Cards to be copied and filled in, by the kinds and labels their reaction bars show (none: no
    /// bar).
    cards: Vec<(Vec<(ReactionKind, String)>, web_sys::Element)>,
    /// The kinds of the cards' bars, labelled, by the kinds the server lists.
    kinds: Vec<(Vec<ReactionKind>, Arc<[BarKind]>)>,
}

impl Templates {
    /// The templates of cards whose texts are `strings` and whose reactions are labelled `labels`. A
    /// [`CommentThread`](super::CommentThread) provides its own to the cards inside it.
    pub(super) fn new(strings: Strings, labels: ReactionLabels) -> Templates {
        Templates(StoredValue::new_local(Shared {
            clicks: None,
            strings,
            labels,
            date_format: None,
            cards: Vec::new(),
            kinds: Vec::new(),
        }))
    }

    /// As [`Templates::new`], for a thread that hands every click in it to [`Templates::click`]:
    /// its cards add no listener of their own (10,000 comments make no 10,000 closures).
    pub(super) fn for_thread(strings: Strings, labels: ReactionLabels) -> Templates {
        let templates = Templates::new(strings, labels);
        templates.0.update_value(|shared| shared.clicks = Some(Clicks::default()));
        templates
    }

    /// A click in the thread: to the handler of the card it landed in, if any.
    pub(super) fn click(&self, event: &web_sys::Event) {
        let Some(button) = platform::clicked_button(event) else { return };
        let Some((article, _)) = platform::comment_around(&button) else { return };
        let Some(number) = platform::card_number(&article) else { return };
        // Called once the templates are let go of: a handler may re-render.
        let handler =
            self.0.try_with_value(|shared| shared.clicks.as_ref().and_then(|clicks| clicks.handler(number))).flatten();
        if let Some(handler) = handler {
            handler(&button);
        }
    }

    /// The labelled kinds of `bar` (made once per set of kinds a thread shows).
    pub(super) fn kinds(&self, bar: ReactionsHandle) -> Arc<[BarKind]> {
        self.0
            .try_update_value(|shared| {
                if let Some((_, kinds)) = shared.kinds.iter().find(|(k, _)| bar.has_kinds(k)) {
                    return kinds.clone();
                }
                let kinds: Arc<[BarKind]> = bar_kinds(bar, &shared.labels, &shared.strings).into();
                remember(&mut shared.kinds, bar.kinds(), kinds.clone());
                kinds
            })
            .unwrap_or_else(|| Vec::new().into())
    }

    /// The card to be copied (`fillCard` does) for a comment whose bar shows `kinds`: its
    /// `<article>`, with the header (author, time), the body's `<div>` and the actions (the bar,
    /// Reply, Report), their texts left to fill in.
    fn card(&self, document: &web_sys::Document, kinds: &[BarKind]) -> Option<web_sys::Element> {
        let same = |made: &[(ReactionKind, String)]| {
            made.len() == kinds.len()
                && made.iter().zip(kinds).all(|((kind, label), k)| *kind == k.kind && *label == k.label)
        };
        self.0
            .try_update_value(|shared| {
                if let Some((_, card)) = shared.cards.iter().find(|(made, _)| same(made)) {
                    return Some(card.clone());
                }
                let card = skeleton(document, &shared.strings, kinds)?;
                let key = kinds.iter().map(|k| (k.kind.clone(), k.label.clone())).collect();
                remember(&mut shared.cards, key, card.clone());
                Some(card)
            })
            .flatten()
    }
}

/// Adds `value` under `key` to a per-thread cache of made things, keeping the 8 latest: a thread
/// shows one or two sets of reaction kinds; this bounds a server that varies them.
fn remember<K, V>(cache: &mut Vec<(K, V)>, key: K, value: V) {
    if cache.len() >= 8 {
        cache.remove(0);
    }
    cache.push((key, value));
}

/// The parts of a card that `fillCard` writes into hold an empty text, which it writes (`data`):
/// no text node is made per card (a thread makes thousands).
fn skeleton(document: &web_sys::Document, strings: &Strings, kinds: &[BarKind]) -> Option<web_sys::Element> {
    let card = element(document, "article", "aw-comment")?;
    set(&card, "tabindex", "-1");
    let header = element(document, "header", "aw-comment-header")?;
    // dir=auto: a Hebrew name or an Arabic comment in an English thread reads in its own direction.
    let author = element(document, "span", "aw-comment-author")?;
    set(&author, "dir", "auto");
    add(&author, &document.create_text_node(""));
    add(&header, &author);
    add(&header, &document.create_text_node(" · "));
    let time = element(document, "time", "")?;
    add(&time, &document.create_text_node(""));
    add(&header, &time);
    let body = element(document, "div", "aw-comment-body aw-prose")?;
    set(&body, "dir", "auto");
    let actions = element(document, "div", "aw-comment-actions")?;
    if !kinds.is_empty() {
        let bar = element(document, "div", "aw-reactions")?;
        set(&bar, "role", "group");
        set(&bar, "aria-label", &strings.get(Msg::ReactionsGroup));
        append_buttons(document, &bar, kinds);
        add(&actions, &bar);
    }
    let reply = element(document, "button", "aw-button aw-button-quiet")?;
    set(&reply, "type", "button");
    set(&reply, "aria-expanded", "false");
    reply.set_text_content(Some(&strings.get(Msg::CommentReply)));
    add(&actions, &reply);
    // Hidden by the thread's class when the server takes no reports. Its clicks reach the thread's
    // one listener; its form sets its aria-expanded (see own_words.rs).
    let report = element(document, "button", "aw-button aw-button-quiet aw-report-button")?;
    set(&report, "type", "button");
    set(&report, "aria-expanded", "false");
    report.set_text_content(Some(&strings.get(Msg::CommentReport)));
    add(&actions, &report);
    for part in [&header, &body, &actions] {
        add(&card, part);
    }
    Some(card)
}

/// The card of `content` showing `live`: its `<article class="aw-comment">`, made in one call by
/// `build.js` (whole or not at all: `None` when it could not be made, and always off the browser),
/// and what keeps it in step. `reply_button` is connected to its Reply the first time Reply is
/// needed (before any reply form can close), and `toggle_button` to its replies toggle once there is
/// one. The same markup as `comment_view.rs` makes for the reader's own comments.
pub(super) fn build(
    templates: Templates,
    content: &CardContent,
    live: &Live,
    reply_button: NodeRef<Button>,
    toggle_button: NodeRef<Button>,
) -> Option<(web_sys::Element, CardDom)> {
    // Browser only (build.js); a server renders no card.
    if cfg!(not(target_arch = "wasm32")) {
        return None;
    }
    let document = web_sys::window()?.document()?;
    let strings = &content.strings;
    let comment = &content.comment;
    let card = templates.card(&document, &content.kinds)?;
    let mut spec = JsonObject::new();
    spec.str("id", Some(comment.id.as_str()));
    spec.str("author", Some(&comment.author.name));
    spec.str("datetime", Some(&comment.created_at));
    spec.int("when", content.when.map(|ms| ms as i64));
    spec.str("time", Some(&live.time));
    let edited = comment.edited_at.as_ref().map(|_| format!(" {}", strings.get(Msg::CommentEdited)));
    spec.str("edited", edited.as_deref());
    let reply_to =
        content.reply_to.as_ref().map(|name| format!(" · {}", strings.fmt(Msg::CommentInReplyTo, &[("name", name)])));
    spec.str("replyTo", reply_to.as_deref());
    spec.nodes("body", &markdown::parse(&comment.body));
    spec.rows(
        "bar",
        content.kinds.iter().zip(&live.bar.shown).map(|(kind, &(n, on))| {
            let (label, count) = bar_texts(kind, strings, n);
            (count, label, on)
        }),
    );
    spec.bool("replying", live.replying);
    // Written even when absent (null), as every key: build.js never reads one from a prototype.
    let toggle = live.toggle.map(|(count, collapsed)| toggle_text(content, count, collapsed));
    spec.str("toggle", toggle.as_deref());
    spec.str("toggleControls", Some(&content.replies_id));
    spec.bool("toggleExpanded", !matches!(live.toggle, Some((_, true))));
    let spec = spec.finish();
    templates.0.try_update_value(|shared| {
        if shared.date_format.is_none() {
            let format = crate::format::exact_date_time_format(shared.strings.locale());
            shared.date_format = Some(format.map_or(JsValue::NULL, Into::into));
        }
    });
    // Under a read lock only: were fillCard ever to call back into the widget, it could still read.
    let article = templates
        .0
        .try_with_value(|shared| fill_card(&card, &spec, shared.date_format.as_ref().unwrap_or(&JsValue::NULL)))
        .flatten()?;
    let mut dom = CardDom {
        _listener: None,
        _effect: None,
        article: article.clone(),
        reply: None,
        reply_button,
        time: None,
        bar: (!content.kinds.is_empty()).then_some(Bar::Unconnected),
        toggle: None,
        toggle_button,
    };
    if live.toggle.is_some() {
        dom.toggle = article.query_selector(":scope > .aw-comment-actions > .aw-toggle-replies").ok().flatten();
        if let Some(toggle) = &dom.toggle {
            dom.toggle_button.load(toggle);
        }
    }
    if live.replying {
        dom.reply();
    }
    if live.bar.error.is_some() {
        if let Some(bar) = dom.bar(&content.kinds) {
            bar.update(&content.kinds, strings, &BarLive { shown: live.bar.shown.clone(), error: None }, &live.bar);
        }
    }
    Some((article, dom))
}

impl CardDom {
    /// Has `on_click` hear the clicks on the card's buttons: through the thread's listener where
    /// `templates` has one, else through the card's own.
    pub(super) fn listen(&mut self, templates: Templates, on_click: OnClick) {
        let article = &self.article;
        let number = templates.0.try_update_value(|shared| shared.clicks.as_mut().map(|clicks| clicks.add(&on_click)));
        self._listener = Some(if let Some(Some(number)) = number {
            platform::set_card_number(article, number);
            Listener::Delegated { templates, number, _handler: on_click }
        } else {
            let closure = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
                if let Some(button) = platform::clicked_button(&event) {
                    on_click(&button);
                }
            });
            let _ = article.add_event_listener_with_callback("click", closure.as_ref().unchecked_ref());
            Listener::Own { article: article.clone(), closure }
        });
    }

    /// Keeps `effect` (the one that calls [`CardDom::update`]) as long as the card.
    pub(super) fn keep(&mut self, effect: RenderEffect<Live>) {
        self._effect = Some(effect);
    }

    /// Brings the card from showing `was` to showing `now`, touching only what changed.
    pub(super) fn update(&mut self, content: &CardContent, was: &Live, now: &Live) {
        if was.time != now.time {
            if let Some(time) = self.time() {
                time.set_text_content(Some(&now.time));
            }
        }
        if was.bar != now.bar {
            if let Some(bar) = self.bar(&content.kinds) {
                bar.update(&content.kinds, &content.strings, &was.bar, &now.bar);
            }
        }
        if was.replying != now.replying {
            if let Some(reply) = self.reply() {
                set(reply, "aria-expanded", flag(now.replying));
            }
        }
        if was.toggle != now.toggle {
            self.show_toggle(content, now.toggle);
        }
    }

    /// Reply, found when first needed (and then connected to the view's `reply_button`, where the
    /// focus goes back when the reply form closes).
    fn reply(&mut self) -> Option<&web_sys::Element> {
        if self.reply.is_none() {
            let reply = self
                .article
                .query_selector(
                    ":scope > .aw-comment-actions > .aw-button:not(.aw-toggle-replies):not(.aw-report-button)",
                )
                .ok()
                .flatten()?;
            self.reply_button.load(&reply);
            self.reply = Some(reply);
        }
        self.reply.as_ref()
    }

    /// The `<time>`, found when first needed (most cards never change their time's text).
    fn time(&mut self) -> Option<&web_sys::Element> {
        if self.time.is_none() {
            self.time = self.article.query_selector("time").ok().flatten();
        }
        self.time.as_ref()
    }

    /// The reaction bar (right before Reply), connected when first needed: most cards are never
    /// clicked, nor their counts changed.
    fn bar(&mut self, kinds: &[BarKind]) -> Option<&mut BarDom> {
        if let Some(Bar::Unconnected) = self.bar {
            let element = self.article.query_selector(":scope > .aw-comment-actions > .aw-reactions").ok().flatten()?;
            self.bar = Some(Bar::Connected(BarDom::attach(element, kinds.len())));
        }
        match &mut self.bar {
            Some(Bar::Connected(bar)) => Some(bar),
            _ => None,
        }
    }

    /// What a click on `button` (one of this card's) asks for.
    pub(super) fn action(&mut self, content: &CardContent, button: &web_sys::Element) -> Option<CardAction> {
        if self.reply() == Some(button) {
            return Some(CardAction::Reply);
        }
        if self.toggle.as_ref() == Some(button) {
            return Some(CardAction::ToggleReplies);
        }
        self.bar(&content.kinds)?.clicked(&content.kinds, button).map(CardAction::React)
    }

    /// The replies toggle ("Hide 3 replies" / "Show 3 replies"): made, before Report, once there are
    /// replies.
    fn show_toggle(&mut self, content: &CardContent, toggle: Option<(u64, bool)>) {
        let Some((count, collapsed)) = toggle else {
            if let Some(toggle) = self.toggle.take() {
                toggle.remove();
            }
            return;
        };
        if self.toggle.is_none() {
            let Some(actions) = self.reply().and_then(|reply| reply.parent_element()) else { return };
            let Some(button) = add_toggle(&actions, &content.replies_id) else { return };
            self.toggle_button.load(&button);
            self.toggle = Some(button);
        }
        let Some(button) = &self.toggle else { return };
        set(button, "aria-expanded", flag(!collapsed));
        button.set_text_content(Some(&toggle_text(content, count, collapsed)));
    }
}

/// The replies toggle's text: "Hide 3 replies" or, collapsed, "Show 3 replies".
fn toggle_text(content: &CardContent, count: u64, collapsed: bool) -> String {
    let msg = if collapsed { Msg::CommentShow } else { Msg::CommentHide };
    content.strings.plural(msg, count, &[])
}
