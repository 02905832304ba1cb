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

use super::dom::{add, element, flag, set};
use super::markdown_view::append_markdown;
use super::reaction_bar::{append_buttons, BarDom, BarKind, BarLive};
use crate::api::{Comment, ReactionKind};
use crate::i18n::{Msg, Strings};

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
    /// The exact date and time, for the `<time>`'s title.
    pub title: String,
    /// The reaction kinds, labelled (none: no bar).
    pub kinds: Vec<BarKind>,
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
    bar: Option<BarDom>,
    reply: web_sys::Element,
    toggle: Option<web_sys::Element>,
    /// Where the toggle is connected once made (the focus goes back to it from "Show more").
    toggle_button: NodeRef<Button>,
    report: web_sys::Element,
}

/// The parts a thread's cards share, made once and cloned for each card: one call into the browser
/// instead of dozens. A [`CommentThread`](super::CommentThread) provides its own ([`Templates::new`]).
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
    fn bar(&self, document: &web_sys::Document, kinds: &[BarKind]) -> Option<web_sys::Element> {
        let same = |made: &[(ReactionKind, String)]| {
            made.len() == kinds.len()
                && made.iter().zip(kinds).all(|((kind, label), k)| *kind == k.kind && *label == k.label)
        };
        self.0
            .try_update_value(|shared| {
                if let Some((_, bar)) = shared.bars.iter().find(|(made, _)| same(made)) {
                    return bar.clone_node_with_deep(true).ok()?.dyn_into().ok();
                }
                let bar = element(document, "div", "aw-reactions")?;
                set(&bar, "role", "group");
                set(&bar, "aria-label", &shared.strings.get(Msg::ReactionsGroup));
                append_buttons(document, &bar, kinds);
                // A thread shows one or two sets of kinds; this bounds a server that varies them.
                if shared.bars.len() >= 8 {
                    shared.bars.remove(0);
                }
                shared.bars.push((kinds.iter().map(|k| (k.kind.clone(), k.label.clone())).collect(), bar.clone()));
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

    let bar = (!content.kinds.is_empty()).then(|| templates.bar(&document, &content.kinds)).flatten().map(|bar| {
        let _ = actions.insert_before(&bar, Some(&reply));
        BarDom::connect(bar, &content.kinds, strings, &live.bar)
    });
    if live.replying {
        set(&reply, "aria-expanded", flag(true));
    }
    article.set_text_content(None);
    let _ = article.append_child(&card);
    reply_button.load(&reply);

    let mut dom = CardDom { time, bar, reply, toggle: None, toggle_button, report };
    dom.show_toggle(content, live.toggle);
    Some(dom)
}

impl CardDom {
    /// Brings the card from showing `was` to showing `now`, touching only what changed.
    pub(super) fn update(&mut self, content: &CardContent, was: &Live, now: &Live) {
        if was.time != now.time {
            self.time.set_text_content(Some(&now.time));
        }
        if let Some(bar) = &mut self.bar {
            if was.bar != now.bar {
                bar.update(&content.kinds, &content.strings, &was.bar, &now.bar);
            }
        }
        if was.replying != now.replying {
            set(&self.reply, "aria-expanded", flag(now.replying));
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
        self.bar.as_ref()?.clicked(&content.kinds, button).map(CardAction::React)
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
        set(button, "aria-expanded", flag(!collapsed));
        let msg = if collapsed { Msg::CommentShow } else { Msg::CommentHide };
        button.set_text_content(Some(&content.strings.plural(msg, count, &[])));
    }
}
