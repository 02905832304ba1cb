//! `Composer`: the form that posts a comment or a reply. What the reader typed stays until the server
//! confirms the post; a failure shows the server's reason next to the field it names.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::status::unique_id;
use crate::api::{ApiClient, Comment, NewComment};
use crate::viewer::random_id;

/// Contract limits of `NewComment`, in characters after trimming.
pub const MAX_NAME_CHARS: usize = 80;
pub const MAX_BODY_CHARS: usize = 5000;

/// A problem with what was typed, found before sending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// `author_name` or `body`, as the contract names them.
    pub field: &'static str,
    pub message: String,
}

/// Checks a comment against the contract's rules, as the server will.
pub fn validate(author_name: &str, body: &str) -> Result<NewComment, FieldError> {
    let name = author_name.trim();
    let text = body.trim();
    let error = |field, message: &str| Err(FieldError { field, message: message.into() });
    if name.is_empty() {
        return error("author_name", "Please enter your name.");
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return error("author_name", "Your name is too long (at most 80 characters).");
    }
    if text.is_empty() {
        return error("body", "Please write a comment.");
    }
    if text.chars().count() > MAX_BODY_CHARS {
        return error("body", "Your comment is too long (at most 5000 characters).");
    }
    Ok(NewComment { author_name: name.into(), body: text.into(), parent_id: None })
}

/// The comment form. `on_posted` receives the comment the server created.
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use article_widget::api::{ApiClient, Comment};
/// use article_widget::components::Composer;
/// let view = view! {
///     <Composer api=ApiClient::new("/api") article_id="my-post"
///         on_posted=|c: Comment| leptos::logging::log!("posted {}", c.id) />
/// };
/// ```
#[component]
pub fn Composer(
    api: ApiClient,
    #[prop(into)] article_id: String,
    /// Reply to this comment. Default: a top-level comment.
    #[prop(optional, into)]
    parent_id: Option<String>,
    /// Called with the created comment once the server confirms it.
    #[prop(into)]
    on_posted: Callback<Comment>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let sending = RwSignal::new(false);
    // (field or None for the whole form, message)
    let error = RwSignal::new(None::<(Option<String>, String)>);
    // Made when a draft is first submitted and kept for every retry of that same text, so a retry
    // whose first attempt reached the server returns that comment instead of a second one.
    let idempotency_key = StoredValue::new(None::<(NewComment, String)>);

    let name_id = unique_id("aw-name");
    let body_id = unique_id("aw-body");
    let error_id = unique_id("aw-composer-error");
    let field_error = move |field: &'static str| {
        move || error.with(|e| matches!(e, Some((Some(f), _)) if f == field))
    };

    let submit = {
        let article_id = article_id.clone();
        move || {
            if sending.get_untracked() {
                return;
            }
            let mut comment = match validate(&name.get_untracked(), &body.get_untracked()) {
                Ok(comment) => comment,
                Err(e) => {
                    error.set(Some((Some(e.field.into()), e.message)));
                    return;
                }
            };
            comment.parent_id = parent_id.clone();
            let key = idempotency_key.with_value(|k| match k {
                Some((same, key)) if *same == comment => key.clone(),
                _ => random_id(),
            });
            idempotency_key.set_value(Some((comment.clone(), key.clone())));
            error.set(None);
            sending.set(true);
            let (api, article_id) = (api.clone(), article_id.clone());
            spawn_local(async move {
                let result = api.post_comment(&article_id, &comment, &key).await;
                sending.try_set(false);
                match result {
                    Ok(created) => {
                        body.try_set(String::new());
                        idempotency_key.try_set_value(None);
                        on_posted.run(created);
                    }
                    Err(e) => {
                        let field = e.field().filter(|f| *f == "author_name" || *f == "body").map(Into::into);
                        error.try_set(Some((field, format!("Could not post your comment: {e}"))));
                    }
                }
            });
        }
    };
    let submit = StoredValue::new(submit);

    view! {
        <form
            class="aw-composer"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                submit.with_value(|f| f());
            }
        >
            <div class="aw-field">
                <label for=name_id.clone()>"Name"</label>
                <input
                    id=name_id
                    name="author_name"
                    type="text"
                    autocomplete="name"
                    maxlength=MAX_NAME_CHARS.to_string()
                    aria-invalid=move || field_error("author_name")().to_string()
                    aria-describedby={
                        let error_id = error_id.clone();
                        move || field_error("author_name")().then(|| error_id.clone())
                    }
                    prop:value=name
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
            </div>
            <div class="aw-field">
                <label for=body_id.clone()>"Comment"</label>
                <textarea
                    id=body_id
                    name="body"
                    rows="4"
                    aria-invalid=move || field_error("body")().to_string()
                    aria-describedby={
                        let error_id = error_id.clone();
                        move || field_error("body")().then(|| error_id.clone())
                    }
                    prop:value=body
                    on:input=move |ev| body.set(event_target_value(&ev))
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                            ev.prevent_default();
                            submit.with_value(|f| f());
                        }
                    }
                ></textarea>
            </div>
            {
                let error_id = error_id.clone();
                move || error.get().map(|(_, message)| {
                    view! { <p id=error_id.clone() class="aw-error-message" role="alert">{message}</p> }
                })
            }
            <button type="submit" class="aw-button aw-button-primary" disabled=sending>
                {move || if sending.get() { "Posting…" } else { "Post comment" }}
            </button>
        </form>
    }
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
}
