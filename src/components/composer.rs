//! `Composer`: the form that posts a comment or a reply. What the reader types is saved as a draft as
//! they type (see [`crate::drafts`]) and stays until the server confirms the post; every attempt of the
//! same text carries the same `Idempotency-Key`, so a retry never posts twice.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::status::{unique_id, use_strings};
use crate::api::{ApiClient, ApiError, Comment, NewComment};
use crate::drafts::Drafts;
use crate::viewer::random_id;

/// Contract limits of `NewComment`, in characters after trimming.
pub const MAX_NAME_CHARS: usize = 80;
pub const MAX_BODY_CHARS: usize = 5000;
/// The character counter appears from this many characters on.
pub const COUNTER_FROM: usize = 4500;

/// A problem with what was typed, found before sending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// `author_name` or `body`, as the contract names them.
    pub field: &'static str,
    /// The key of the message in [`crate::i18n`], e.g. `invalid.name.empty`.
    pub message_key: &'static str,
}

/// Checks a comment against the contract's rules, as the server will.
pub fn validate(author_name: &str, body: &str) -> Result<NewComment, FieldError> {
    let name = author_name.trim();
    let text = body.trim();
    let error = |field, message_key| Err(FieldError { field, message_key });
    if name.is_empty() {
        return error("author_name", "invalid.name.empty");
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return error("author_name", "invalid.name.long");
    }
    if text.is_empty() {
        return error("body", "invalid.body.empty");
    }
    if text.chars().count() > MAX_BODY_CHARS {
        return error("body", "invalid.body.long");
    }
    Ok(NewComment { author_name: name.into(), body: text.into(), parent_id: None })
}

/// What happens to a post, for whoever shows it (the thread shows it at once, marked).
#[derive(Clone)]
pub enum PostEvent {
    /// An attempt is on its way. `retry` sends the same draft again with the same key.
    Sending { key: String, comment: NewComment, retry: Callback<()> },
    /// The attempt failed; a retry may work. `message` says why.
    Failed { key: String, message: String },
    /// The post will not go as it is (the server refused it, or the reader edited the draft).
    Withdrawn { key: String },
    /// The server confirmed it.
    Posted { key: String, comment: Comment },
}

/// The comment form.
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use article_widget::api::ApiClient;
/// use article_widget::components::{Composer, PostEvent};
/// let view = view! {
///     <Composer api=ApiClient::new("/api") article_id="my-post"
///         on_event=Callback::new(|e| if let PostEvent::Posted { comment, .. } = e {
///             leptos::logging::log!("posted {}", comment.id)
///         }) />
/// };
/// ```
#[component]
pub fn Composer(
    api: ApiClient,
    #[prop(into)] article_id: String,
    /// Reply to this comment. Default: a top-level comment.
    #[prop(optional, into)]
    parent_id: Option<String>,
    /// Told of every attempt and its outcome. Default: nobody.
    #[prop(optional)]
    on_event: Option<Callback<PostEvent>>,
    /// Shows a "Cancel" button (and closes on Escape) when given. Default: none.
    #[prop(optional)]
    on_cancel: Option<Callback<()>>,
    /// Focus the comment field when the form appears. Default: false.
    #[prop(optional)]
    autofocus: bool,
) -> impl IntoView {
    let drafts = Drafts::local(api.base(), &article_id);
    let strings = use_strings();
    let draft = StoredValue::new(drafts.load(parent_id.as_deref()));
    let name = RwSignal::new(drafts.name());
    let body = RwSignal::new(draft.with_value(|d| d.text.clone()));
    let sending = RwSignal::new(false);
    // (field or None for the whole form, message)
    let error = RwSignal::new(None::<(Option<String>, String)>);
    // Seconds until a 429 lets us post again.
    let wait = RwSignal::new(0u32);
    // try_run: an answer may arrive after whoever listens (a closed reply form, a removed widget) is
    // gone, and running a disposed callback would panic.
    let emit = move |e: PostEvent| {
        if let Some(cb) = on_event {
            cb.try_run(e);
        }
    };

    let name_id = unique_id("aw-name");
    let body_id = unique_id("aw-body");
    let error_id = unique_id("aw-composer-error");
    let counter_id = unique_id("aw-counter");
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    let field_error = move |field: &'static str| move || error.with(|e| matches!(e, Some((Some(f), _)) if f == field));

    let on_body_input = {
        let (drafts, parent_id) = (drafts.clone(), parent_id.clone());
        move |text: String| {
            body.set(text.clone());
            let withdrawn = draft.try_update_value(|d| {
                let old_key = d.idempotency_key.clone();
                d.edit(text);
                drafts.save(parent_id.as_deref(), d);
                old_key.filter(|_| d.idempotency_key.is_none())
            });
            // An edited draft is a new comment: the failed attempt of the old text leaves the thread.
            if let Some(Some(key)) = withdrawn {
                if !sending.get_untracked() {
                    emit(PostEvent::Withdrawn { key });
                }
            }
        }
    };

    let submit = StoredValue::new_local(None::<Callback<()>>);
    let do_submit = {
        let (drafts, parent_id, article_id, strings) = (drafts.clone(), parent_id.clone(), article_id.clone(), strings.clone());
        move || {
            if sending.get_untracked() || wait.get_untracked() > 0 {
                return;
            }
            let mut comment = match validate(&name.get_untracked(), &body.get_untracked()) {
                Ok(comment) => comment,
                Err(e) => {
                    error.set(Some((Some(e.field.into()), strings.get(e.message_key))));
                    return;
                }
            };
            comment.parent_id = parent_id.clone();
            drafts.save_name(&comment.author_name);
            let key = draft
                .try_update_value(|d| {
                    let key = d.key_for_submit(random_id);
                    drafts.save(parent_id.as_deref(), d);
                    key
                })
                .unwrap_or_else(random_id);
            error.set(None);
            sending.set(true);
            let retry = submit.try_get_value().flatten().unwrap_or_else(|| Callback::new(|()| {}));
            emit(PostEvent::Sending { key: key.clone(), comment: comment.clone(), retry });
            let (api, article_id, drafts, parent_id, strings) =
                (api.clone(), article_id.clone(), drafts.clone(), parent_id.clone(), strings.clone());
            spawn_local(async move {
                let result = api.post_comment(&article_id, &comment, &key).await;
                sending.try_set(false);
                match result {
                    Ok(created) => {
                        drafts.clear(parent_id.as_deref());
                        draft.try_set_value(Default::default());
                        body.try_set(String::new());
                        emit(PostEvent::Posted { key, comment: created });
                    }
                    Err(e) => {
                        let reason = strings.reason(&e);
                        match &e {
                            ApiError::Http { status: 429, retry_after, .. } => {
                                start_countdown(wait, retry_after.unwrap_or(30));
                                emit(PostEvent::Failed { key, message: reason.clone() });
                            }
                            e if e.is_transient() => emit(PostEvent::Failed { key, message: reason.clone() }),
                            // Refused as it is (422, 400…): no point retrying the same text.
                            _ => emit(PostEvent::Withdrawn { key }),
                        }
                        let field = e.field().filter(|f| *f == "author_name" || *f == "body").map(Into::into);
                        error.try_set(Some((field, strings.fmt("composer.not_sent", &[("reason", &reason)]))));
                    }
                }
            });
        }
    };
    let do_submit = Callback::new(move |()| do_submit());
    submit.set_value(Some(do_submit));

    let char_count = move || body.with(|b| b.trim().chars().count());
    let cancel = move || {
        if let Some(cancel) = on_cancel {
            cancel.try_run(());
        }
    };
    if autofocus {
        Effect::new(move |_| {
            if let Some(el) = textarea.get() {
                let _ = el.focus();
            }
        });
    }

    let describe_body = {
        let (error_id, counter_id) = (error_id.clone(), counter_id.clone());
        move || {
            let mut ids = Vec::new();
            if field_error("body")() {
                ids.push(error_id.clone());
            }
            if char_count() >= COUNTER_FROM {
                ids.push(counter_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let describe_name = {
        let error_id = error_id.clone();
        move || field_error("author_name")().then(|| error_id.clone())
    };
    let (name_for, body_for) = (name_id.clone(), body_id.clone());
    let t = |key: &str| strings.get(key);
    let (name_label, body_label) = (t("composer.name"), t(if parent_id.is_some() { "composer.reply" } else { "composer.comment" }));
    let (posting, post, post_reply, cancel_label) = (t("composer.posting"), t("composer.post"), t("composer.post_reply"), t("composer.cancel"));
    let counter_text = {
        let strings = strings.clone();
        move |left: i64| {
            if left >= 0 {
                strings.plural("composer.left", left as u64, &[])
            } else {
                strings.plural("composer.over", left.unsigned_abs(), &[])
            }
        }
    };
    let wait_text = {
        let strings = strings.clone();
        move |secs: u32| strings.fmt("composer.wait", &[("seconds", &secs.to_string())])
    };

    view! {
        <form
            class="aw-composer"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                do_submit.run(());
            }
            on:keydown=move |ev| {
                if ev.key() == "Escape" && on_cancel.is_some() {
                    ev.prevent_default();
                    cancel();
                }
            }
        >
            <div class="aw-field">
                <label for=name_for>{name_label}</label>
                <input
                    id=name_id
                    name="author_name"
                    type="text"
                    autocomplete="name"
                    maxlength=MAX_NAME_CHARS.to_string()
                    aria-invalid=move || field_error("author_name")().to_string()
                    aria-describedby=describe_name
                    prop:value=name
                    on:input={
                        let drafts = drafts.clone();
                        move |ev| {
                            let value = event_target_value(&ev);
                            drafts.save_name(value.trim());
                            name.set(value);
                        }
                    }
                />
            </div>
            <div class="aw-field">
                <label for=body_for>{body_label}</label>
                <textarea
                    id=body_id
                    name="body"
                    rows="4"
                    node_ref=textarea
                    readonly=sending
                    aria-invalid=move || field_error("body")().to_string()
                    aria-describedby=describe_body
                    prop:value=body
                    on:input=move |ev| on_body_input(event_target_value(&ev))
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                            ev.prevent_default();
                            do_submit.run(());
                        }
                    }
                ></textarea>
                {move || (char_count() >= COUNTER_FROM).then(|| {
                    let left = MAX_BODY_CHARS as i64 - char_count() as i64;
                    view! {
                        <p id=counter_id.clone() class="aw-counter" class:aw-over={move || left < 0} aria-live="polite">
                            {counter_text(left)}
                        </p>
                    }
                })}
            </div>
            {
                let error_id = error_id.clone();
                move || error.get().map(|(_, message)| {
                    view! { <p id=error_id.clone() class="aw-error-message" role="alert">{message}</p> }
                })
            }
            <div class="aw-composer-actions">
                <button type="submit" class="aw-button aw-button-primary" disabled={move || sending.get() || wait.get() > 0}>
                    {move || {
                        if sending.get() {
                            posting.clone()
                        } else if wait.get() > 0 {
                            wait_text(wait.get())
                        } else if parent_id.is_some() {
                            post_reply.clone()
                        } else {
                            post.clone()
                        }
                    }}
                </button>
                {on_cancel.map(|_| view! {
                    <button type="button" class="aw-button" on:click=move |_| cancel()>{cancel_label.clone()}</button>
                })}
            </div>
        </form>
    }
}

/// Counts `wait` down from `seconds` to 0, once a second.
fn start_countdown(wait: RwSignal<u32>, seconds: u32) {
    wait.try_set(seconds);
    spawn_local(async move {
        while wait.try_get_untracked().is_some_and(|w| w > 0) {
            gloo_timers::future::sleep(Duration::from_secs(1)).await;
            wait.try_update(|w| *w = w.saturating_sub(1));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_matches_the_contract() {
        assert_eq!(validate(" Ada ", " Hi ").unwrap(), NewComment { author_name: "Ada".into(), body: "Hi".into(), parent_id: None });
        assert_eq!(validate("  ", "Hi").unwrap_err().field, "author_name");
        assert_eq!(validate(&"n".repeat(81), "Hi").unwrap_err().field, "author_name");
        assert!(validate(&"ü".repeat(80), "Hi").is_ok());
        assert_eq!(validate("Ada", " \n ").unwrap_err().field, "body");
        assert_eq!(validate("Ada", &"x".repeat(5001)).unwrap_err().field, "body");
        assert!(validate("Ada", &"x".repeat(5000)).is_ok());
    }

    #[test]
    fn validation_messages_exist_in_the_catalogue() {
        let strings = crate::i18n::Strings::default();
        for (name, body) in [("", "x"), (&"n".repeat(81)[..], "x"), ("Ada", ""), ("Ada", &"x".repeat(5001)[..])] {
            let key = validate(name, body).unwrap_err().message_key;
            assert_ne!(strings.get(key), key, "{key} is in the catalogue");
        }
    }
}
