//! The parts of a comment for edit, delete and report: the author's Edit and Delete buttons (while
//! their grant lasts), the edit form in place of the body, "Delete this comment?" in place, and the
//! report form. They render what [`ThreadHandle`] holds (see [`crate::thread::OwnWords`]) and call
//! its actions; focus comes back to the button that opened each form when it closes.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

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
/// code in the bundle.
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
    let id_of_cancel = id.clone();
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
    let question_id = unique_id("aw-question");
    let labelled_by = question.is_some().then(|| question_id.clone());
    let question = question.map(|q| view! { <p id=question_id>{q}</p> });
    let choices = choices.map(|c| {
        let group = unique_id("aw-choice");
        let options = c
            .options
            .into_iter()
            .map(|(value, label)| {
                view! {
                    <label class="aw-radio">
                        <input type="radio" name=group.clone() value=value.as_str() prop:checked=c.chosen == Some(value)
                            on:change=move |_| c.on_choose.run(value) />
                        " " {label}
                    </label>
                }
            })
            .collect_view();
        view! { <fieldset class="aw-choices"><legend>{c.legend}</legend>{options}</fieldset> }
    });
    let field = field.map(|f| {
        let field_id = unique_id("aw-field");
        let label_class = if f.label_hidden { "aw-visually-hidden" } else { "" };
        view! {
            <div class="aw-field">
                <label for=field_id.clone() class=label_class>{f.label}</label>
                <textarea id=field_id rows=f.rows maxlength=f.max_chars.map(|m| m.to_string())
                    aria-invalid=move || error.get().is_some().to_string()
                    on:input=move |ev| f.on_input.run(event_target_value(&ev))
                    prop:value=f.initial></textarea>
            </div>
        }
    });
    let class_send = if danger { "aw-button aw-button-danger" } else { "aw-button aw-button-primary" };
    view! {
        <div class=class role=labelled_by.is_some().then_some("group") aria-labelledby=labelled_by node_ref=box_ref
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    thread.close_panel(&id);
                }
            }>
            <form on:submit=move |ev| {
                ev.prevent_default();
                on_send.run(());
            }>
                {question}
                {choices}
                {field}
                {move || error.get().map(|message| view! { <p class="aw-error-message" role="alert">{message}</p> })}
                <div class="aw-composer-actions">
                    <button type="submit" class=class_send
                        aria-disabled=move || (busy.get() || blocked.get()).to_string()
                        aria-busy=move || busy.get().to_string()>
                        {move || if busy.get() { sending.clone() } else { send.clone() }}
                    </button>
                    <button type="button" class="aw-button aw-cancel" on:click=move |_| thread.close_panel(&id_of_cancel)>{cancel}</button>
                </div>
            </form>
        </div>
    }
    .into_any()
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
