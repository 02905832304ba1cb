//! `Composer`: the form that posts a comment or a reply. Its state is a [`ComposerHandle`]: what is
//! typed is kept as a draft as it is typed, and every attempt of the same text carries the same
//! `Idempotency-Key`, so a retry never posts twice. This file only renders it: as plain DOM
//! ([`FormDom`]) kept in step by one effect ([`Kept`]), as the reaction bar is. (Written as a `view!`, the form
//! was 14 KB of the wasm's code: a reactive closure per changing attribute and text.)

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::dom::{add, element, flag, paragraph, set, show_message};
use super::kept::Kept;
use super::{unique_id, use_strings};
use crate::api::limits::MAX_NAME_CHARS;
use crate::api::CommentId;
use crate::i18n::{Msg, Strings};
use crate::platform;
use crate::state::{chars_left, use_composer, ComposerHandle, FormError};

/// The comment form of the [`CommentThread`](super::CommentThread) around it: a top-level comment,
/// or a reply to `parent_id` (with Cancel and Escape closing it). Outside a thread it renders
/// nothing.
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use article_widget::components::Composer;
/// // Inside a CommentThread (which provides the thread it posts to):
/// let view = view! { <Composer /> };
/// ```
#[component]
pub fn Composer(
    /// Reply to this comment. Default: a top-level comment.
    #[prop(optional, into)]
    parent_id: Option<CommentId>,
    /// Focus the comment field when the form appears. Default: false.
    #[prop(optional)]
    autofocus: bool,
) -> impl IntoView {
    let is_reply = parent_id.is_some();
    match use_composer(parent_id) {
        Some(composer) => form(composer, is_reply, autofocus).into_any(),
        None => ().into_any(),
    }
}

/// The `<form>`: its events are heard here, its content is a [`FormDom`].
fn form(c: ComposerHandle, is_reply: bool, autofocus: bool) -> impl IntoView {
    let strings = use_strings();
    let dom = Kept::new(move || Shown::of(c), |dom: &mut FormDom, was, now| dom.update(was, now));
    let fill = move |el: leptos::tachys::renderer::types::Element| {
        let el: web_sys::Element = el.unchecked_into();
        dom.make(|now| {
            el.set_text_content(None);
            let mut form = FormDom::build(el.clone(), strings.clone(), is_reply)?;
            form.update(&Shown::default(), now);
            Some(form)
        });
    };
    let field = move || dom.with(|dom| Some(dom.body.clone()));
    // A form opened again by the thread to show a refusal does not take the focus from the reader.
    if autofocus && c.error.with_untracked(Option::is_none) {
        // Once the form is in the document (an effect runs after the view is mounted).
        Effect::new(move |_| {
            if let Some(body) = field() {
                let _ = body.focus();
            }
        });
    }
    // The top-level form: after a post is answered (stored or not), the focus, if the disabled button
    // or a re-rendered Retry let it drop to the page, comes back to the comment field.
    if !is_reply {
        Effect::new(move |was_busy: Option<bool>| {
            let busy = c.sending();
            if was_busy == Some(true) && !busy && platform::focus_is_free_or_within(None) {
                if let Some(body) = field() {
                    platform::focus_without_scrolling(&body);
                }
            }
            busy
        });
    }
    let is_body = move |ev: &web_sys::Event| {
        let target = ev.target();
        field().is_some_and(|body| target.as_ref() == Some(AsRef::<web_sys::EventTarget>::as_ref(&body)))
    };
    let is_name = move |ev: &web_sys::Event| {
        let target = ev.target();
        let name = dom.with(|dom| Some(dom.name.clone()));
        name.is_some_and(|name| target.as_ref() == Some(AsRef::<web_sys::EventTarget>::as_ref(&name)))
    };
    let is_cancel = move |ev: &web_sys::MouseEvent| {
        platform::clicked_button(ev).is_some_and(|b| dom.with(|d| d.cancel.clone()) == Some(b))
    };
    view! {
        <form
            class="aw-composer"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                c.submit();
            }
            on:keydown=move |ev| {
                if ev.key() == "Escape" && is_reply {
                    ev.prevent_default();
                    c.close();
                } else if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) && is_body(&ev) {
                    ev.prevent_default();
                    c.submit();
                }
            }
            on:input=move |ev| {
                if is_body(&ev) {
                    c.input_body(event_target_value(&ev));
                } else if is_name(&ev) {
                    c.input_name(event_target_value(&ev));
                }
            }
            on:click=move |ev| {
                if is_cancel(&ev) {
                    c.close();
                }
            }
            use:fill
        ></form>
    }
}

/// What the form shows that changes.
#[derive(Clone, PartialEq, Default)]
struct Shown {
    name: String,
    body: String,
    error: Option<FormError>,
    /// The counter's characters left, when shown.
    left: Option<i64>,
    unsaved: bool,
    sending: bool,
    cooldown: u32,
}

impl Shown {
    /// What `c` shows now (tracked: read in an effect, it runs again on a change).
    fn of(c: ComposerHandle) -> Shown {
        // try_: nothing to show of a form whose signals are gone.
        Shown {
            name: c.name.try_get().unwrap_or_default(),
            body: c.body.try_get().unwrap_or_default(),
            error: c.error.try_get().flatten(),
            left: chars_left(c.char_count()),
            unsaved: c.unsaved.try_get().unwrap_or_default(),
            sending: c.sending(),
            cooldown: c.cooldown(),
        }
    }

    fn field_error(&self, field: &str) -> bool {
        self.error.as_ref().is_some_and(|e| e.field == Some(field))
    }
}

/// The form's elements, and those that come and go.
struct FormDom {
    strings: Strings,
    is_reply: bool,
    form: web_sys::Element,
    name: web_sys::HtmlInputElement,
    body: web_sys::HtmlTextAreaElement,
    /// The comment field's box, where the counter goes.
    body_box: web_sys::Element,
    submit: web_sys::Element,
    cancel: Option<web_sys::Element>,
    /// The buttons' box: the error and the note go before it.
    actions: web_sys::Element,
    counter: Option<web_sys::Element>,
    error: Option<web_sys::Element>,
    note: Option<web_sys::Element>,
    error_id: String,
    counter_id: String,
}

impl FormDom {
    /// Fills `form` as [`Shown::default`] shows it: empty fields, no error, no counter.
    fn build(form: web_sys::Element, strings: Strings, is_reply: bool) -> Option<FormDom> {
        let document = form.owner_document()?;
        let (name_id, body_id) = (unique_id("aw-name"), unique_id("aw-body"));
        let name_box = element(&document, "div", "aw-field")?;
        let name_label = element(&document, "label", "")?;
        set(&name_label, "for", &name_id);
        name_label.set_text_content(Some(&strings.get(Msg::ComposerName)));
        let name = element(&document, "input", "")?;
        for (attr, value) in [
            ("id", name_id.as_str()),
            ("name", "author_name"),
            ("type", "text"),
            ("autocomplete", "name"),
            ("maxlength", &MAX_NAME_CHARS.to_string()),
            ("aria-invalid", "false"),
        ] {
            set(&name, attr, value);
        }
        add(&name_box, &name_label);
        add(&name_box, &name);

        let body_box = element(&document, "div", "aw-field")?;
        let body_label = element(&document, "label", "")?;
        set(&body_label, "for", &body_id);
        let label = if is_reply { Msg::ComposerReply } else { Msg::ComposerComment };
        body_label.set_text_content(Some(&strings.get(label)));
        let body = element(&document, "textarea", "")?;
        for (attr, value) in [("id", body_id.as_str()), ("name", "body"), ("rows", "4"), ("aria-invalid", "false")] {
            set(&body, attr, value);
        }
        add(&body_box, &body_label);
        add(&body_box, &body);

        let actions = element(&document, "div", "aw-composer-actions")?;
        // While sending, the button is aria-disabled rather than disabled: a disabled button drops
        // the keyboard focus to the page. (Submitting while sending does nothing.)
        let submit = element(&document, "button", "aw-button aw-button-primary")?;
        set(&submit, "type", "submit");
        set(&submit, "aria-disabled", "false");
        submit.set_text_content(Some(&strings.get(if is_reply { Msg::ComposerPostReply } else { Msg::ComposerPost })));
        add(&actions, &submit);
        let cancel = match is_reply {
            true => {
                let cancel = element(&document, "button", "aw-button")?;
                set(&cancel, "type", "button");
                cancel.set_text_content(Some(&strings.get(Msg::ComposerCancel)));
                add(&actions, &cancel);
                Some(cancel)
            }
            false => None,
        };
        add(&form, &name_box);
        add(&form, &body_box);
        add(&form, &actions);
        Some(FormDom {
            strings,
            is_reply,
            form,
            name: name.unchecked_into(),
            body: body.unchecked_into(),
            body_box,
            submit,
            cancel,
            actions,
            counter: None,
            error: None,
            note: None,
            error_id: unique_id("aw-composer-error"),
            counter_id: unique_id("aw-counter"),
        })
    }

    /// Brings the form from showing `was` to showing `now`, touching only what changed.
    fn update(&mut self, was: &Shown, now: &Shown) {
        // Only when the field does not already say it (the reader's typing came back as the
        // signal's change): setting a field's value moves the caret to its end.
        if now.name != was.name && self.name.value() != now.name {
            self.name.set_value(&now.name);
        }
        if now.body != was.body && self.body.value() != now.body {
            self.body.set_value(&now.body);
        }
        if now.left != was.left {
            self.show_counter(now.left);
        }
        if now.error != was.error {
            self.show_error(now.error.as_ref());
        }
        if now.unsaved != was.unsaved {
            self.show_note(now.unsaved);
        }
        let (name_error, body_error) = (now.field_error("author_name"), now.field_error("body"));
        if name_error != was.field_error("author_name") {
            set(&self.name, "aria-invalid", flag(name_error));
            self.describe(&self.name, &[name_error.then_some(self.error_id.as_str())]);
        }
        if body_error != was.field_error("body") || now.left.is_some() != was.left.is_some() {
            set(&self.body, "aria-invalid", flag(body_error));
            let counter = now.left.map(|_| self.counter_id.as_str());
            self.describe(&self.body, &[body_error.then_some(self.error_id.as_str()), counter]);
        }
        if now.sending != was.sending {
            self.body.set_read_only(now.sending);
            set(&self.submit, "aria-disabled", flag(now.sending));
        }
        if now.cooldown != was.cooldown {
            let _ = if now.cooldown > 0 {
                self.submit.set_attribute("disabled", "")
            } else {
                self.submit.remove_attribute("disabled")
            };
        }
        if (now.sending, now.cooldown) != (was.sending, was.cooldown) {
            self.submit.set_text_content(Some(&self.button_text(now)));
        }
    }

    fn button_text(&self, now: &Shown) -> String {
        if now.sending {
            self.strings.get(Msg::ComposerPosting)
        } else if now.cooldown > 0 {
            self.strings.fmt(Msg::ComposerWait, &[("seconds", &now.cooldown.to_string())])
        } else {
            self.strings.get(if self.is_reply { Msg::ComposerPostReply } else { Msg::ComposerPost })
        }
    }

    /// `aria-describedby` of `field`: the ids given, none when there are none.
    fn describe(&self, field: &web_sys::Element, ids: &[Option<&str>]) {
        let ids: Vec<&str> = ids.iter().flatten().copied().collect();
        let _ = match ids.is_empty() {
            true => field.remove_attribute("aria-describedby"),
            false => field.set_attribute("aria-describedby", &ids.join(" ")),
        };
    }

    /// The counter under the comment field: the characters `left`, or gone.
    fn show_counter(&mut self, left: Option<i64>) {
        let Some(left) = left else {
            if let Some(counter) = self.counter.take() {
                counter.remove();
            }
            return;
        };
        if self.counter.is_none() {
            self.counter = self.made("p", "aw-counter", &[("id", &self.counter_id), ("aria-live", "polite")]);
            if let Some(counter) = &self.counter {
                add(&self.body_box, counter);
            }
        }
        let Some(counter) = &self.counter else { return };
        let text = match left >= 0 {
            true => self.strings.plural(Msg::ComposerLeft, left as u64, &[]),
            false => self.strings.plural(Msg::ComposerOver, left.unsigned_abs(), &[]),
        };
        let _ = counter.class_list().toggle_with_force("aw-over", left < 0);
        counter.set_text_content(Some(&text));
    }

    /// The form's alert, before the note and the buttons: shown with `error`'s sentence, or gone.
    fn show_error(&mut self, error: Option<&FormError>) {
        let (form, before, id) = (&self.form, self.note.as_ref().unwrap_or(&self.actions), &self.error_id);
        show_message(&mut self.error, error.map(|e| e.message.as_str()), || {
            let shown = paragraph(form, "aw-error-message", "alert")?;
            set(&shown, "id", id);
            let _ = form.insert_before(&shown, Some(before));
            Some(shown)
        });
    }

    /// "Not saved in this browser…", said once, politely (nothing is wrong with what the reader does),
    /// before the buttons.
    fn show_note(&mut self, unsaved: bool) {
        let (form, actions) = (&self.form, &self.actions);
        let text = unsaved.then(|| self.strings.get(Msg::ComposerUnsaved));
        show_message(&mut self.note, text.as_deref(), || {
            let note = paragraph(form, "aw-note", "status")?;
            let _ = form.insert_before(&note, Some(actions));
            Some(note)
        });
    }

    /// A new `tag` with `class` and `attributes`, in the form's document.
    fn made(&self, tag: &str, class: &str, attributes: &[(&str, &str)]) -> Option<web_sys::Element> {
        let el = element(&self.form.owner_document()?, tag, class)?;
        for (name, value) in attributes {
            set(&el, name, value);
        }
        Some(el)
    }
}
