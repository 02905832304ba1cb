//! The parts of a comment for edit, delete and report: the author's Edit and Delete buttons (while
//! their grant lasts), the edit form in place of the body, "Delete this comment?" in place, and the
//! report form. They render what [`ThreadHandle`] holds (see [`crate::thread::OwnWords`]) and call
//! its actions; focus comes back to the button that opened each form when it closes.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::dom::{add, element, flag, paragraph, set, show_message};
use super::kept::Kept;
use super::{unique_id, use_strings};
use crate::api::{CommentId, ReportReason};
use crate::i18n::Msg;
use crate::platform;
use crate::state::{use_thread, Clock};
use crate::thread::Grant;

/// Ties a form to the comment's button of class `opened_by` that opened it: the button says
/// `aria-expanded="true"` while the form is open. When the form goes away while the focus was
/// inside it (or nowhere), the focus goes back to that button; when the button went away too (the
/// comment was deleted), to what took the comment's place (its tombstone), or else to the thread's
/// heading. (Buttons are found in the page, not held: a comment holds no reference, no listener and
/// no effect that it would need only while a form is open. Report's clicks reach the thread's one
/// listener.)
fn tie_to_button(within: NodeRef<leptos::html::Div>, opened_by: &'static str) {
    // Where the comment is (its list item, and the thread), noted while it is on the page.
    let place = StoredValue::new_local(None::<(web_sys::Element, Option<web_sys::Element>)>);
    Effect::new(move |_| {
        if let Some(el) = within.get() {
            let found = platform::comment_item(&el);
            if let Some(button) = found.as_ref().and_then(|(item, _)| platform::comment_part(item, opened_by)) {
                let _ = button.set_attribute("aria-expanded", "true");
            }
            place.set_value(found);
        }
    });
    on_cleanup(move || {
        let el = within.try_get_untracked().flatten().map(|el| el.unchecked_into::<web_sys::Element>());
        let Some((item, thread_el)) = place.try_get_value().flatten() else { return };
        let button = platform::comment_part(&item, opened_by);
        if let Some(button) = &button {
            let _ = button.set_attribute("aria-expanded", "false");
        }
        if el.is_none() || !platform::focus_is_free_or_within(el.as_ref()) {
            return;
        }
        if let Some(button) = button {
            let _ = button.focus();
        }
        // Once the page shows what follows (the next task): nothing focused means the button went.
        platform::after(std::time::Duration::ZERO, move || {
            if platform::focus_is_free_or_within(None) {
                platform::focus_comment_or_heading(&item, thread_el.as_ref());
            }
        });
    });
}

/// A text field of a [`PanelForm`].
struct Field {
    label: String,
    /// The label is for screen readers only (the field stands in place of the comment's text).
    label_hidden: bool,
    initial: String,
    rows: &'static str,
    max_chars: Option<usize>,
    on_input: Callback<String>,
}

/// The radio buttons of a [`PanelForm`], under their legend.
struct Choices {
    legend: String,
    options: Vec<(ReportReason, String)>,
    chosen: Option<ReportReason>,
    on_choose: Callback<ReportReason>,
}

/// The form of each panel (edit, delete, report), in place below or instead of a comment's text:
/// a question, radio buttons and a text field (each if given), why it failed (an alert), the
/// button that sends it (its label changing while on its way) and Cancel; Escape cancels too. It
/// takes the focus when it opens (its first field, or Cancel for a question) and gives it back to
/// `back_to` when it closes. One component for the three forms, so that they are one piece of
/// code in the bundle; its content is plain DOM ([`PanelDom`]) kept in step by one effect, as the
/// composer's is, its events heard on its box.
#[component]
fn PanelForm(
    id: CommentId,
    class: &'static str,
    #[prop(optional)] question: Option<String>,
    #[prop(optional)] choices: Option<Choices>,
    #[prop(optional)] field: Option<Field>,
    #[prop(into)] busy: Signal<bool>,
    /// The send button does nothing (and says so): its grant is gone.
    #[prop(optional, into)]
    blocked: Signal<bool>,
    #[prop(into)] error: Signal<Option<String>>,
    send: String,
    sending: String,
    #[prop(optional)] danger: bool,
    on_send: Callback<()>,
    cancel: String,
    /// The class of the comment's button that opened the form.
    back_to: &'static str,
) -> impl IntoView {
    let Some(thread) = use_thread() else { return ().into_any() };
    let box_ref = NodeRef::<leptos::html::Div>::new();
    tie_to_button(box_ref, back_to);
    // A question is answered by its buttons: the safe one (Cancel) takes the focus.
    let first = if question.is_some() { ".aw-cancel" } else { "input, textarea" };
    // Shown again (another form closed over it) while the reader is elsewhere: it leaves the focus.
    Effect::new(move |_| {
        let Some(form) = box_ref.get() else { return };
        let item = platform::comment_item(&form).map(|(item, _)| item);
        if !platform::focus_is_free_or_within(item.as_ref()) {
            return;
        }
        let el = form.query_selector(first).ok().flatten();
        if let Some(el) = el.and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
    let (on_choose, on_input) = (choices.as_ref().map(|c| c.on_choose), field.as_ref().map(|f| f.on_input));
    let spec = PanelSpec { question, choices, field, send, sending, cancel, danger };
    let dom = Kept::new(
        move || PanelShown { busy: busy.get(), blocked: blocked.get(), error: error.get() },
        |dom: &mut PanelDom, was, now| dom.update(was, now),
    );
    let spec = StoredValue::new_local(Some(spec));
    let fill = move |el: leptos::tachys::renderer::types::Element| {
        let el: web_sys::Element = el.unchecked_into();
        dom.make(|now| {
            let spec = spec.try_update_value(Option::take).flatten()?;
            el.set_text_content(None);
            let mut panel = PanelDom::build(&el, spec)?;
            panel.update(&PanelShown::default(), now);
            Some(panel)
        });
    };
    let is_cancel = move |ev: &web_sys::MouseEvent| {
        let cancel = dom.with(|d| Some(d.cancel.clone()));
        cancel.is_some_and(|cancel| platform::clicked_button(ev) == Some(cancel))
    };
    let (close_of, cancel_of) = (id.clone(), id);
    view! {
        <div class=class node_ref=box_ref
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    thread.close_panel(&close_of);
                }
            }
            on:submit=move |ev| {
                ev.prevent_default();
                on_send.run(());
            }
            on:change=move |ev| {
                let target = ev.target();
                let reason = dom.with(|d| d.reason_of(target.as_ref()));
                if let (Some(on_choose), Some(reason)) = (on_choose, reason) {
                    on_choose.run(reason);
                }
            }
            on:input=move |ev| {
                let target = ev.target();
                let from_field = dom.with(|d| Some(d.is_field(target.as_ref())));
                if let Some(on_input) = on_input.filter(|_| from_field == Some(true)) {
                    on_input.run(event_target_value(&ev));
                }
            }
            on:click=move |ev| {
                if is_cancel(&ev) {
                    thread.close_panel(&cancel_of);
                }
            }
            use:fill></div>
    }
    .into_any()
}

/// What a [`PanelForm`] is made of, once.
struct PanelSpec {
    question: Option<String>,
    choices: Option<Choices>,
    field: Option<Field>,
    send: String,
    sending: String,
    cancel: String,
    danger: bool,
}

/// What a [`PanelForm`] shows that changes.
#[derive(Clone, PartialEq, Default)]
struct PanelShown {
    busy: bool,
    blocked: bool,
    error: Option<String>,
}

/// A panel's elements that change.
struct PanelDom {
    form: web_sys::Element,
    field: Option<web_sys::Element>,
    /// The radio buttons, with the reason each was made for.
    radios: Vec<(web_sys::Element, ReportReason)>,
    error: Option<web_sys::Element>,
    actions: web_sys::Element,
    submit: web_sys::Element,
    cancel: web_sys::Element,
    send: String,
    sending: String,
}

impl PanelDom {
    /// Fills the panel's box `panel` as `spec` says, showing [`PanelShown::default`].
    fn build(panel: &web_sys::Element, spec: PanelSpec) -> Option<PanelDom> {
        let document = panel.owner_document()?;
        let form = element(&document, "form", "")?;
        // A box made for another panel (tachys rebuilds a panel in place: Delete's, then Report's)
        // keeps no name of the question it had.
        let _ = panel.remove_attribute("role");
        let _ = panel.remove_attribute("aria-labelledby");
        if let Some(question) = spec.question {
            let question_id = unique_id("aw-question");
            let p = element(&document, "p", "")?;
            set(&p, "id", &question_id);
            p.set_text_content(Some(&question));
            add(&form, &p);
            set(panel, "role", "group");
            set(panel, "aria-labelledby", &question_id);
        }
        let mut radios = Vec::new();
        if let Some(choices) = spec.choices {
            let group = unique_id("aw-choice");
            let fieldset = element(&document, "fieldset", "aw-choices")?;
            let legend = element(&document, "legend", "")?;
            legend.set_text_content(Some(&choices.legend));
            add(&fieldset, &legend);
            for (value, label) in choices.options {
                let (option, input) = (element(&document, "label", "aw-radio")?, element(&document, "input", "")?);
                set(&input, "type", "radio");
                set(&input, "name", &group);
                set(&input, "value", value.as_str());
                if let Some(input) = input.dyn_ref::<web_sys::HtmlInputElement>() {
                    input.set_checked(choices.chosen == Some(value));
                }
                add(&option, &input);
                add(&option, &document.create_text_node(&format!(" {label}")));
                add(&fieldset, &option);
                radios.push((input, value));
            }
            add(&form, &fieldset);
        }
        let field = match spec.field {
            Some(f) => {
                let field_id = unique_id("aw-field");
                let (field_box, label) = (element(&document, "div", "aw-field")?, element(&document, "label", "")?);
                set(&label, "for", &field_id);
                if f.label_hidden {
                    label.set_class_name("aw-visually-hidden");
                }
                label.set_text_content(Some(&f.label));
                let textarea = element(&document, "textarea", "")?;
                set(&textarea, "id", &field_id);
                set(&textarea, "rows", f.rows);
                if let Some(max) = f.max_chars {
                    set(&textarea, "maxlength", &max.to_string());
                }
                set(&textarea, "aria-invalid", "false");
                if let Some(textarea) = textarea.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                    textarea.set_value(&f.initial);
                }
                add(&field_box, &label);
                add(&field_box, &textarea);
                add(&form, &field_box);
                Some(textarea)
            }
            None => None,
        };
        let actions = element(&document, "div", "aw-composer-actions")?;
        let class = if spec.danger { "aw-button aw-button-danger" } else { "aw-button aw-button-primary" };
        let (submit, cancel) =
            (element(&document, "button", class)?, element(&document, "button", "aw-button aw-cancel")?);
        set(&submit, "type", "submit");
        set(&submit, "aria-disabled", "false");
        set(&submit, "aria-busy", "false");
        submit.set_text_content(Some(&spec.send));
        set(&cancel, "type", "button");
        cancel.set_text_content(Some(&spec.cancel));
        add(&actions, &submit);
        add(&actions, &cancel);
        add(&form, &actions);
        add(panel, &form);
        Some(PanelDom {
            form,
            field,
            radios,
            error: None,
            actions,
            submit,
            cancel,
            send: spec.send,
            sending: spec.sending,
        })
    }

    /// Whether `target` is the panel's text field.
    fn is_field(&self, target: Option<&web_sys::EventTarget>) -> bool {
        self.field.as_ref().is_some_and(|f| Some(AsRef::<web_sys::EventTarget>::as_ref(f)) == target)
    }

    /// The reason of the radio button `target`, when it is one of this panel's: the reason it was
    /// made with, not its value read back.
    fn reason_of(&self, target: Option<&web_sys::EventTarget>) -> Option<ReportReason> {
        let target = target?;
        self.radios.iter().find(|(radio, _)| AsRef::<web_sys::EventTarget>::as_ref(radio) == target).map(|(_, r)| *r)
    }

    /// Brings the panel from showing `was` to showing `now`, touching only what changed.
    fn update(&mut self, was: &PanelShown, now: &PanelShown) {
        if now.error != was.error {
            if let Some(field) = &self.field {
                set(field, "aria-invalid", flag(now.error.is_some()));
            }
            let (form, actions) = (&self.form, &self.actions);
            show_message(&mut self.error, now.error.as_deref(), || {
                let shown = paragraph(form, "aw-error-message", "alert")?;
                let _ = form.insert_before(&shown, Some(actions));
                Some(shown)
            });
        }
        if (now.busy, now.blocked) != (was.busy, was.blocked) {
            set(&self.submit, "aria-disabled", flag(now.busy || now.blocked));
        }
        if now.busy != was.busy {
            set(&self.submit, "aria-busy", flag(now.busy));
            self.submit.set_text_content(Some(if now.busy { &self.sending } else { &self.send }));
        }
    }
}

/// Edit (with the time left) and Delete, on the reader's own comment while they may change it.
#[component]
pub(super) fn OwnControls(id: CommentId) -> impl IntoView {
    let Some(thread) = use_thread() else { return ().into_any() };
    let strings = use_strings();
    let clock = use_context::<Clock>();
    // Whole minutes left (0: the reader may not change it). The clock ticks each minute; the
    // grant's end closes the controls on time (see the thread).
    let minutes = {
        let id = id.clone();
        Memo::new(move |_| {
            thread.editable_until(&id).map_or(0, |until_ms| {
                // Re-read each minute (the clock's tick); counted from the time now.
                let now = platform::now_ms();
                if let Some(clock) = clock {
                    clock.now_for(now);
                }
                Grant { token: String::new(), until_ms }.minutes_left(now).max(1)
            })
        })
    };
    // The buttons are made once per grant, not at each tick (a rebuilt button would lose the focus).
    let open = Memo::new(move |_| minutes.get() > 0);
    let (edit_of, delete_of) = (id.clone(), id);
    let buttons = move || {
        let (strings, edit_of, delete_of) = (strings.clone(), edit_of.clone(), delete_of.clone());
        open.get().then(|| {
            let delete_label = strings.get(Msg::CommentDelete);
            view! {
                <button type="button" class="aw-button aw-button-quiet aw-edit-button" aria-expanded="false"
                    on:click=move |_| thread.start_edit(&edit_of)>
                    {move || strings.plural(Msg::CommentEdit, minutes.get(), &[])}
                </button>
                <button type="button" class="aw-button aw-button-quiet aw-delete-button" aria-expanded="false"
                    on:click=move |_| thread.ask_delete(&delete_of)>
                    {delete_label}
                </button>
            }
        })
    };
    buttons.into_any()
}

/// The comment's text in a form, in place of its body: Save, Cancel (and Escape). A refused or
/// failed save keeps the text and says why.
#[component]
pub(super) fn EditForm(id: CommentId) -> impl IntoView {
    let Some(thread) = use_thread() else { return ().into_any() };
    let strings = use_strings();
    let initial = thread.with(|s| s.own().edit(&id).map(|e| e.text.clone())).flatten().unwrap_or_default();
    let (busy_of, error_of, blocked_of, input_of, save_of) =
        (id.clone(), id.clone(), id.clone(), id.clone(), id.clone());
    let field = Field {
        label: strings.get(Msg::EditLabel),
        label_hidden: true,
        initial,
        rows: "4",
        max_chars: None,
        on_input: Callback::new(move |text| thread.edit_text(&input_of, text)),
    };
    view! {
        <PanelForm id class="aw-edit" field
            busy=Memo::new(move |_| thread.edit(&busy_of).is_some_and(|e| e.saving))
            blocked=Memo::new(move |_| !thread.can_send_change(&blocked_of))
            error=Memo::new(move |_| thread.edit(&error_of).and_then(|e| e.error))
            send=strings.get(Msg::EditSave) sending=strings.get(Msg::EditSaving)
            on_send=Callback::new(move |()| thread.save_edit(&save_of))
            cancel=strings.get(Msg::ComposerCancel) back_to="aw-edit-button" />
    }
    .into_any()
}

/// "Delete this comment?" in place (no `window.confirm`): Delete or Keep it (and Escape).
#[component]
pub(super) fn DeleteConfirm(id: CommentId) -> impl IntoView {
    let Some(thread) = use_thread() else { return ().into_any() };
    let strings = use_strings();
    let (busy_of, error_of, blocked_of, confirm_of) = (id.clone(), id.clone(), id.clone(), id.clone());
    view! {
        <PanelForm id class="aw-confirm" question=strings.get(Msg::DeleteConfirm) danger=true
            busy=Memo::new(move |_| thread.deleting(&busy_of).is_some_and(|(busy, _)| busy))
            blocked=Memo::new(move |_| !thread.can_send_change(&blocked_of))
            error=Memo::new(move |_| thread.deleting(&error_of).and_then(|(_, error)| error))
            send=strings.get(Msg::CommentDelete) sending=strings.get(Msg::DeleteDeleting)
            on_send=Callback::new(move |()| thread.confirm_delete(&confirm_of))
            cancel=strings.get(Msg::DeleteKeep) back_to="aw-delete-button" />
    }
    .into_any()
}

/// The report form: a reason (radio buttons) and an optional note; Send report, Cancel (and
/// Escape).
#[component]
pub(super) fn ReportPanel(id: CommentId) -> impl IntoView {
    let Some(thread) = use_thread() else { return ().into_any() };
    let strings = use_strings();
    // A form rebuilt (another order, say) shows what it holds.
    let (chosen, note) =
        thread.with(|s| s.own().report(&id).map(|f| (f.reason, f.note.clone()))).flatten().unwrap_or_default();
    let options = ReportReason::ALL
        .into_iter()
        .map(|reason| {
            let label = strings.get(match reason {
                ReportReason::Spam => Msg::ReportSpam,
                ReportReason::Abuse => Msg::ReportAbuse,
                ReportReason::OffTopic => Msg::ReportOffTopic,
                ReportReason::Other => Msg::ReportOther,
            });
            (reason, label)
        })
        .collect();
    let (busy_of, error_of, choose_of, note_of, send_of) = (id.clone(), id.clone(), id.clone(), id.clone(), id.clone());
    let choices = Choices {
        legend: strings.get(Msg::ReportLegend),
        options,
        chosen,
        on_choose: Callback::new(move |reason| thread.choose_reason(&choose_of, reason)),
    };
    let field = Field {
        label: strings.get(Msg::ReportNote),
        label_hidden: false,
        initial: note,
        rows: "2",
        max_chars: Some(crate::api::limits::MAX_REPORT_NOTE_CHARS),
        on_input: Callback::new(move |note| thread.report_note(&note_of, note)),
    };
    view! {
        <PanelForm id class="aw-report" choices field
            busy=Memo::new(move |_| thread.report_form(&busy_of).is_some_and(|f| f.sending))
            error=Memo::new(move |_| thread.report_form(&error_of).and_then(|f| f.error))
            send=strings.get(Msg::ReportSend) sending=strings.get(Msg::PostSending)
            on_send=Callback::new(move |()| thread.send_report(&send_of))
            cancel=strings.get(Msg::ComposerCancel) back_to="aw-report-button" />
    }
    .into_any()
}
