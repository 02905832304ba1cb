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

/// Fills `article` (an empty `<article class="aw-comment">`) with the card of `content` showing
/// `live`, and connects `reply_button` to its Reply (and `toggle_button` to its replies toggle, once
/// there is one). The same markup as `comment_view.rs` makes for
/// the reader's own comments.
pub(super) fn build(
    article: &web_sys::Element,
    content: &CardContent,
    live: &Live,
    reply_button: NodeRef<Button>,
    toggle_button: NodeRef<Button>,
) -> Option<CardDom> {
    let document = article.owner_document()?;
    let strings = &content.strings;
    let comment = &content.comment;

    let header = element(&document, "header", "aw-comment-header")?;
    // dir=auto: a Hebrew name or an Arabic comment in an English thread reads in its own direction.
    let author = element(&document, "span", "aw-comment-author")?;
    set(&author, "dir", "auto");
    author.set_text_content(Some(&comment.author.name));
    add(&header, &author);
    add(&header, &document.create_text_node(" · "));
    let time = element(&document, "time", "")?;
    set(&time, "datetime", &comment.created_at);
    set(&time, "title", &content.title);
    time.set_text_content(Some(&live.time));
    add(&header, &time);
    if comment.edited_at.is_some() {
        let edited = element(&document, "span", "aw-edited")?;
        edited.set_text_content(Some(&format!(" {}", strings.get(Msg::CommentEdited))));
        add(&header, &edited);
    }
    if let Some(name) = &content.reply_to {
        let reply_to = element(&document, "span", "aw-reply-to")?;
        reply_to.set_text_content(Some(&format!(" · {}", strings.fmt(Msg::CommentInReplyTo, &[("name", name)]))));
        add(&header, &reply_to);
    }
    add(article, &header);

    let body = element(&document, "div", "aw-comment-body aw-prose")?;
    set(&body, "dir", "auto");
    append_markdown(&body, &comment.body);
    add(article, &body);

    let actions = element(&document, "div", "aw-comment-actions")?;
    let mut buttons = Vec::new();
    let bar = if content.kinds.is_empty() {
        None
    } else {
        let bar = element(&document, "div", "aw-reactions")?;
        set(&bar, "role", "group");
        set(&bar, "aria-label", &strings.get(Msg::ReactionsGroup));
        for (i, (kind, label, _)) in content.kinds.iter().enumerate() {
            // The button's name is its aria-label (a button's content is presentational).
            let button = element(&document, "button", "aw-reaction")?;
            set(&button, "type", "button");
            set(&button, "data-kind", kind.as_str());
            let shown = element(&document, "span", "aw-reaction-label")?;
            shown.set_text_content(Some(label));
            let count = element(&document, "span", "aw-reaction-count")?;
            add(&button, &shown);
            add(&button, &count);
            add(&bar, &button);
            buttons.push((button, count));
            let (n, on) = live.reactions.get(i).copied().unwrap_or_default();
            show_reaction(content, &buttons, i, n, on);
        }
        add(&actions, &bar);
        Some(bar)
    };
    let reply = element(&document, "button", "aw-button aw-button-quiet")?;
    set(&reply, "type", "button");
    set(&reply, "aria-expanded", if live.replying { "true" } else { "false" });
    reply.set_text_content(Some(&strings.get(Msg::CommentReply)));
    add(&actions, &reply);
    // Hidden by the thread's class when the server takes no reports. Its clicks reach the thread's
    // one listener; its form sets its aria-expanded (see own_words.rs).
    let report = element(&document, "button", "aw-button aw-button-quiet aw-report-button")?;
    set(&report, "type", "button");
    set(&report, "aria-expanded", "false");
    report.set_text_content(Some(&strings.get(Msg::CommentReport)));
    add(&actions, &report);
    add(article, &actions);
    reply_button.load(&reply);

    let mut dom = CardDom { time, bar, buttons, error: None, reply, toggle: None, toggle_button, report };
    dom.show_error(live.error.as_deref());
    dom.show_toggle(content, live.toggle);
    Some(dom)
}

/// Shows `n` and `on` on the reaction button `i`.
fn show_reaction(content: &CardContent, buttons: &[(web_sys::Element, web_sys::Element)], i: usize, n: u64, on: bool) {
    let (Some((button, count)), Some((_, _, name))) = (buttons.get(i), content.kinds.get(i)) else { return };
    let strings = &content.strings;
    set(button, "aria-pressed", if on { "true" } else { "false" });
    set(button, "aria-label", &strings.plural(Msg::ReactionsButton, n, &[("name", name)]));
    count.set_text_content(Some(&crate::format::count(n, strings.locale())));
}

impl CardDom {
    /// Brings the card from showing `was` to showing `now`, touching only what changed.
    pub(super) fn update(&mut self, content: &CardContent, was: &Live, now: &Live) {
        if was.time != now.time {
            self.time.set_text_content(Some(&now.time));
        }
        for (i, shown) in now.reactions.iter().enumerate() {
            if was.reactions.get(i) != Some(shown) {
                show_reaction(content, &self.buttons, i, shown.0, shown.1);
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
    pub(super) fn action(&self, button: &web_sys::Element) -> Option<CardAction> {
        if *button == self.reply {
            return Some(CardAction::Reply);
        }
        if self.toggle.as_ref() == Some(button) {
            return Some(CardAction::ToggleReplies);
        }
        let in_bar = self.buttons.iter().any(|(b, _)| b == button);
        in_bar.then(|| button.get_attribute("data-kind")).flatten().map(|kind| CardAction::React(kind.into()))
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
