//! The card of another reader's comment, built once as plain DOM. Its author, time, text and buttons
//! never change while it is shown, but for a few values ([`Live`]: the relative time, the reaction
//! counts, whether Reply's form is open, the replies toggle), which one effect per card keeps in
//! step, touching only what changed. A thread is mostly such cards: as reactive view trees they took
//! about twice the time and three times the memory (see `make bench`). The reader's own comments,
//! which change while shown (edited, deleted), stay reactive views in `comment_view.rs`, with the same
//! markup.

use std::sync::Arc;

use leptos::html::Button;
use leptos::prelude::*;
use leptos::tachys::html::node_ref::NodeRefContainer;
use wasm_bindgen::JsCast;

use super::markdown_view::append_markdown;
use crate::api::{Comment, ReactionKind};
use crate::i18n::{Msg, Strings};

/// What a card shows that can change.
#[derive(Clone, PartialEq, Debug)]
pub(super) struct Live {
    /// "3 minutes ago".
    pub time: String,
    /// Per kind, in the bar's order: the count and whether this reader holds it.
    pub reactions: Vec<(u64, bool)>,
    /// The reaction bar's last failure.
    pub error: Option<String>,
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
    /// The exact date and time, for the `<time>`'s title.
    pub title: String,
    /// The reaction kinds, with the label shown and the name spoken.
    pub kinds: Vec<(ReactionKind, String, String)>,
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

/// The card's elements that change.
pub(super) struct CardDom {
    time: web_sys::Element,
    bar: Option<web_sys::Element>,
    /// Per kind: its button and its count.
    buttons: Vec<(web_sys::Element, web_sys::Element)>,
    error: Option<web_sys::Element>,
    reply: web_sys::Element,
    toggle: Option<web_sys::Element>,
    /// Where the toggle is connected once made (the focus goes back to it from "Show more").
    toggle_button: NodeRef<Button>,
    report: web_sys::Element,
}

/// `document.createElement(tag)` with a class; `None` only where there is no document.
fn element(document: &web_sys::Document, tag: &str, class: &str) -> Option<web_sys::Element> {
    let el = document.create_element(tag).ok()?;
    if !class.is_empty() {
        el.set_class_name(class);
    }
    Some(el)
}

fn set(el: &web_sys::Element, name: &str, value: &str) {
    let _ = el.set_attribute(name, value);
}

fn add(parent: &web_sys::Element, child: &web_sys::Node) {
    let _ = parent.append_child(child);
}

/// The parts a thread's cards share, made once and cloned for each card: one call into the browser
/// instead of dozens. Provided by a [`CommentThread`](super::CommentThread) ([`provide_templates`]).
#[derive(Clone, Copy)]
pub(super) struct Templates(StoredValue<Shared, LocalStorage>);

struct Shared {
    strings: Strings,
    /// Header, body and actions (Reply, Report) of a card, to be filled in.
    card: Option<web_sys::DocumentFragment>,
    /// Reaction bars, by the kinds and labels they show.
    bars: Vec<(Vec<(ReactionKind, String)>, web_sys::Element)>,
}

impl Templates {
    /// The templates of cards whose texts are `strings`. A [`CommentThread`](super::CommentThread)
    /// provides its own to the cards inside it.
    pub(super) fn new(strings: Strings) -> Templates {
        Templates(StoredValue::new_local(Shared { strings, card: None, bars: Vec::new() }))
    }
}

impl Templates {
    /// A copy of the card's skeleton: `<header>` (author, time), the body's `<div>`, the actions
    /// (Reply, Report).
    fn card(&self, document: &web_sys::Document) -> Option<web_sys::DocumentFragment> {
        self.0
            .try_update_value(|shared| {
                if shared.card.is_none() {
                    shared.card = skeleton(document, &shared.strings);
                }
                shared.card.as_ref()?.clone_node_with_deep(true).ok()?.dyn_into().ok()
            })
            .flatten()
    }

    /// A copy of the reaction bar for `kinds` (counts and names left to fill in).
    fn bar(&self, document: &web_sys::Document, kinds: &[(ReactionKind, String, String)]) -> Option<web_sys::Element> {
        let same = |made: &[(ReactionKind, String)]| {
            made.len() == kinds.len()
                && made.iter().zip(kinds).all(|((k, l), (kind, label, _))| k == kind && l == label)
        };
        self.0
            .try_update_value(|shared| {
                if let Some((_, bar)) = shared.bars.iter().find(|(made, _)| same(made)) {
                    return bar.clone_node_with_deep(true).ok()?.dyn_into().ok();
                }
                let bar = bar_template(document, &shared.strings, kinds)?;
                // A thread shows one or two sets of kinds; this bounds a server that varies them.
                if shared.bars.len() >= 8 {
                    shared.bars.remove(0);
                }
                let key = kinds.iter().map(|(kind, label, _)| (kind.clone(), label.clone())).collect();
                shared.bars.push((key, bar.clone()));
                bar.clone_node_with_deep(true).ok()?.dyn_into().ok()
            })
            .flatten()
    }
}

fn skeleton(document: &web_sys::Document, strings: &Strings) -> Option<web_sys::DocumentFragment> {
    let card = document.create_document_fragment();
    let header = element(document, "header", "aw-comment-header")?;
    // dir=auto: a Hebrew name or an Arabic comment in an English thread reads in its own direction.
    let author = element(document, "span", "aw-comment-author")?;
    set(&author, "dir", "auto");
    add(&header, &author);
    add(&header, &document.create_text_node(" · "));
    add(&header, &element(document, "time", "")?.into());
    let body = element(document, "div", "aw-comment-body aw-prose")?;
    set(&body, "dir", "auto");
    let actions = element(document, "div", "aw-comment-actions")?;
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
        let _ = card.append_child(part);
    }
    Some(card)
}

fn bar_template(
    document: &web_sys::Document,
    strings: &Strings,
    kinds: &[(ReactionKind, String, String)],
) -> Option<web_sys::Element> {
    let bar = element(document, "div", "aw-reactions")?;
    set(&bar, "role", "group");
    set(&bar, "aria-label", &strings.get(Msg::ReactionsGroup));
    for (kind, label, _) in kinds {
        // The button's name is its aria-label (a button's content is presentational).
        let button = element(document, "button", "aw-reaction")?;
        set(&button, "type", "button");
        set(&button, "data-kind", kind.as_str());
        set(&button, "aria-pressed", "false");
        let shown = element(document, "span", "aw-reaction-label")?;
        shown.set_text_content(Some(label));
        add(&button, &shown);
        add(&button, &element(document, "span", "aw-reaction-count")?.into());
        add(&bar, &button);
    }
    Some(bar)
}

/// Fills `article` (an empty `<article class="aw-comment">`) with the card of `content` showing
/// `live`, and connects `reply_button` to its Reply (and `toggle_button` to its replies toggle, once
/// there is one). The same markup as `comment_view.rs` makes for the reader's own comments.
pub(super) fn build(
    article: &web_sys::Element,
    templates: Templates,
    content: &CardContent,
    live: &Live,
    reply_button: NodeRef<Button>,
    toggle_button: NodeRef<Button>,
) -> Option<CardDom> {
    let document = article.owner_document()?;
    let strings = &content.strings;
    let comment = &content.comment;
    // Filled in before it goes into the article: a card is whole or not there.
    let card = templates.card(&document)?;
    let header = card.first_element_child()?;
    let body = header.next_element_sibling()?;
    let actions = body.next_element_sibling()?;
    let author = header.first_element_child()?;
    let time = author.next_element_sibling()?;
    let reply = actions.first_element_child()?;
    let report = reply.next_element_sibling()?;
    author.set_text_content(Some(&comment.author.name));
    set(&time, "datetime", &comment.created_at);
    set(&time, "title", &content.title);
    time.set_text_content(Some(&live.time));
    if comment.edited_at.is_some() {
        if let Some(edited) = element(&document, "span", "aw-edited") {
            edited.set_text_content(Some(&format!(" {}", strings.get(Msg::CommentEdited))));
            add(&header, &edited);
        }
    }
    if let Some(name) = &content.reply_to {
        if let Some(reply_to) = element(&document, "span", "aw-reply-to") {
            reply_to.set_text_content(Some(&format!(" · {}", strings.fmt(Msg::CommentInReplyTo, &[("name", name)]))));
            add(&header, &reply_to);
        }
    }
    append_markdown(&body, &comment.body);

    let mut buttons = Vec::new();
    let bar = (!content.kinds.is_empty()).then(|| templates.bar(&document, &content.kinds)).flatten();
    if let Some(bar) = &bar {
        let mut button = bar.first_element_child();
        for i in 0..content.kinds.len() {
            let Some((b, count)) = button.and_then(|b| b.last_element_child().map(|count| (b, count))) else { break };
            button = b.next_element_sibling();
            buttons.push((b, count));
            show_reaction(content, &buttons, i, None, live.reactions.get(i).copied().unwrap_or_default());
        }
        let _ = actions.insert_before(bar, Some(&reply));
    }
    if live.replying {
        set(&reply, "aria-expanded", "true");
    }
    let _ = article.append_child(&card);
    reply_button.load(&reply);

    let mut dom = CardDom { time, bar, buttons, error: None, reply, toggle: None, toggle_button, report };
    dom.show_error(live.error.as_deref());
    dom.show_toggle(content, live.toggle);
    Some(dom)
}

/// Moves the reaction button `i` from showing `was` (`None`: as the template made it) to showing
/// `now` (count, held).
fn show_reaction(
    content: &CardContent,
    buttons: &[(web_sys::Element, web_sys::Element)],
    i: usize,
    was: Option<(u64, bool)>,
    (n, on): (u64, bool),
) {
    let (Some((button, count)), Some((_, _, name))) = (buttons.get(i), content.kinds.get(i)) else { return };
    // The template's buttons are not pressed and have no count.
    if was.map_or(on, |w| w.1 != on) {
        set(button, "aria-pressed", if on { "true" } else { "false" });
    }
    if was.is_none_or(|w| w.0 != n) {
        let strings = &content.strings;
        set(button, "aria-label", &strings.plural(Msg::ReactionsButton, n, &[("name", name)]));
        count.set_text_content(Some(&crate::format::count(n, strings.locale())));
    }
}

impl CardDom {
    /// Brings the card from showing `was` to showing `now`, touching only what changed.
    pub(super) fn update(&mut self, content: &CardContent, was: &Live, now: &Live) {
        if was.time != now.time {
            self.time.set_text_content(Some(&now.time));
        }
        for (i, shown) in now.reactions.iter().enumerate() {
            let before = was.reactions.get(i).copied();
            if before != Some(*shown) {
                show_reaction(content, &self.buttons, i, before, *shown);
            }
        }
        if was.error != now.error {
            self.show_error(now.error.as_deref());
        }
        if was.replying != now.replying {
            set(&self.reply, "aria-expanded", if now.replying { "true" } else { "false" });
        }
        if was.toggle != now.toggle {
            self.show_toggle(content, now.toggle);
        }
    }

    /// What a click on `button` (one of this card's) asks for.
    pub(super) fn action(&self, content: &CardContent, button: &web_sys::Element) -> Option<CardAction> {
        if *button == self.reply {
            return Some(CardAction::Reply);
        }
        if self.toggle.as_ref() == Some(button) {
            return Some(CardAction::ToggleReplies);
        }
        // The kind this card was made with, not the button's attribute read back.
        let i = self.buttons.iter().position(|(b, _)| b == button)?;
        content.kinds.get(i).map(|(kind, _, _)| CardAction::React(kind.clone()))
    }

    /// The bar's alert: shown with `message`, gone without.
    fn show_error(&mut self, message: Option<&str>) {
        match (message, &self.error, &self.bar) {
            (Some(message), Some(error), _) => error.set_text_content(Some(message)),
            (Some(message), None, Some(bar)) => {
                let Some(document) = bar.owner_document() else { return };
                let Some(error) = element(&document, "p", "aw-error-message") else { return };
                set(&error, "role", "alert");
                error.set_text_content(Some(message));
                add(bar, &error);
                self.error = Some(error);
            }
            (None, Some(error), _) => {
                error.remove();
                self.error = None;
            }
            _ => {}
        }
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
            let Some(document) = self.report.owner_document() else { return };
            let Some(button) = element(&document, "button", "aw-button aw-button-quiet aw-toggle-replies") else {
                return;
            };
            set(&button, "type", "button");
            set(&button, "aria-controls", &content.replies_id);
            if let Some(parent) = self.report.parent_node() {
                let _ = parent.insert_before(&button, Some(&self.report));
            }
            self.toggle_button.load(&button);
            self.toggle = Some(button);
        }
        let Some(button) = &self.toggle else { return };
        set(button, "aria-expanded", if collapsed { "false" } else { "true" });
        let msg = if collapsed { Msg::CommentShow } else { Msg::CommentHide };
        button.set_text_content(Some(&content.strings.plural(msg, count, &[])));
    }
}
