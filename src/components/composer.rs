//! `Composer`: the form that posts a comment or a reply. Its state is a [`ComposerHandle`]: what is
//! typed is kept as a draft as it is typed, and every attempt of the same text carries the same
//! `Idempotency-Key`, so a retry never posts twice. This file only renders it.

use leptos::prelude::*;

use super::{unique_id, use_strings};
use crate::api::limits::MAX_NAME_CHARS;
use crate::api::CommentId;
use crate::i18n::Msg;
use crate::platform;
use crate::state::{chars_left, use_composer, ComposerHandle};

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
        Some(composer) => view! { <Form composer is_reply autofocus /> }.into_any(),
        None => ().into_any(),
    }
}

#[component]
fn Form(composer: ComposerHandle, is_reply: bool, autofocus: bool) -> impl IntoView {
    let strings = use_strings();
    let c = composer;
    let (name_id, body_id, error_id, counter_id) =
        (unique_id("aw-name"), unique_id("aw-body"), unique_id("aw-composer-error"), unique_id("aw-counter"));
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    // A form opened again by the thread to show a refusal does not take the focus from the reader.
    if autofocus && c.error.with_untracked(Option::is_none) {
        // Once the field is in the document (an effect runs after the view is mounted).
        Effect::new(move |_| {
            if let Some(el) = textarea.get() {
                let _ = el.focus();
            }
        });
    }
    // The top-level form: after a post is answered (stored or not), the focus, if the disabled button
    // or a re-rendered Retry let it drop to the page, comes back to the comment field.
    if !is_reply {
        Effect::new(move |was_busy: Option<bool>| {
            let busy = c.sending();
            if was_busy == Some(true) && !busy && platform::focus_is_free_or_within(None) {
                if let Some(el) = textarea.get_untracked() {
                    platform::focus_without_scrolling(&el);
                }
            }
            busy
        });
    }
    let field_error =
        move |field: &'static str| move || c.error.with(|e| e.as_ref().is_some_and(|e| e.field == Some(field)));
    let left = move || chars_left(c.char_count());
    let describe_body = {
        let (error_id, counter_id) = (error_id.clone(), counter_id.clone());
        move || {
            let ids: Vec<&str> =
                [field_error("body")().then_some(error_id.as_str()), left().map(|_| counter_id.as_str())]
                    .into_iter()
                    .flatten()
                    .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let describe_name = {
        let error_id = error_id.clone();
        move || field_error("author_name")().then(|| error_id.clone())
    };
    let counter = {
        let strings = strings.clone();
        move || {
            left().map(|left| {
                let text = if left >= 0 { strings.plural(Msg::ComposerLeft, left as u64, &[]) } else { strings.plural(Msg::ComposerOver, left.unsigned_abs(), &[]) };
                view! { <p id=counter_id.clone() class="aw-counter" class:aw-over=left < 0 aria-live="polite">{text}</p> }
            })
        }
    };
    let button_text = {
        let strings = strings.clone();
        move || {
            if c.sending() {
                strings.get(Msg::ComposerPosting)
            } else if c.cooldown() > 0 {
                strings.fmt(Msg::ComposerWait, &[("seconds", &c.cooldown().to_string())])
            } else {
                strings.get(if is_reply { Msg::ComposerPostReply } else { Msg::ComposerPost })
            }
        }
    };
    let cancel = is_reply.then(|| view! { <button type="button" class="aw-button" on:click=move |_| c.close()>{strings.get(Msg::ComposerCancel)}</button> });

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
                }
            }
        >
            <div class="aw-field">
                <label for=name_id.clone()>{strings.get(Msg::ComposerName)}</label>
                <input
                    id=name_id
                    name="author_name"
                    type="text"
                    autocomplete="name"
                    maxlength=MAX_NAME_CHARS.to_string()
                    aria-invalid=move || field_error("author_name")().to_string()
                    aria-describedby=describe_name
                    prop:value=c.name
                    on:input=move |ev| c.input_name(event_target_value(&ev))
                />
            </div>
            <div class="aw-field">
                <label for=body_id.clone()>{strings.get(if is_reply { Msg::ComposerReply } else { Msg::ComposerComment })}</label>
                <textarea
                    id=body_id
                    name="body"
                    rows="4"
                    node_ref=textarea
                    readonly=move || c.sending()
                    aria-invalid=move || field_error("body")().to_string()
                    aria-describedby=describe_body
                    prop:value=c.body
                    on:input=move |ev| c.input_body(event_target_value(&ev))
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                            ev.prevent_default();
                            c.submit();
                        }
                    }
                ></textarea>
                {counter}
            </div>
            {move || c.error.get().map(|e| view! { <p id=error_id.clone() class="aw-error-message" role="alert">{e.message}</p> })}
            // Said once, politely: nothing is wrong with what the reader does.
            {
                let unsaved = strings.get(Msg::ComposerUnsaved);
                move || c.unsaved.get().then(|| view! { <p class="aw-note" role="status">{unsaved.clone()}</p> })
            }
            <div class="aw-composer-actions">
                // While sending, the button is aria-disabled rather than disabled: a disabled button
                // drops the keyboard focus to the page. (Submitting while sending does nothing.)
                <button type="submit" class="aw-button aw-button-primary"
                    aria-disabled=move || c.sending().to_string()
                    disabled=move || { c.cooldown() > 0 }>
                    {button_text}
                </button>
                {cancel}
            </div>
        </form>
    }
}
