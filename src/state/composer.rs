//! [`ComposerHandle`]: the state of one comment form: the name and text as typed (kept as a draft in
//! storage as they are typed, with the `Idempotency-Key` of their first submission), the error to
//! show, and submitting through the thread, which owns the post from then on.

use leptos::prelude::*;

use super::ThreadHandle;
use crate::api::limits;
use crate::api::{CommentId, IdempotencyKey, NewComment};
use crate::drafts::Draft;
use crate::platform::random_id;

/// The character counter appears from this many characters on.
pub const COUNTER_FROM: usize = 4500;

/// A problem with the form: the field at fault (`author_name` or `body`; `None`: the whole form)
/// and the sentence to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormError {
    pub field: Option<&'static str>,
    pub message: String,
}

/// The controller of one comment form; `Copy`. Made by [`use_composer`].
#[derive(Clone, Copy)]
pub struct ComposerHandle {
    thread: ThreadHandle,
    parent: StoredValue<Option<CommentId>>,
    draft: StoredValue<Draft>,
    /// The name as typed.
    pub name: RwSignal<String>,
    /// The comment as typed.
    pub body: RwSignal<String>,
    pub error: RwSignal<Option<FormError>>,
    /// Whether the browser refused to keep the draft (storage full, disabled or sandboxed): the
    /// reader is told once; posting still works.
    pub unsaved: RwSignal<bool>,
}

impl PartialEq for ComposerHandle {
    fn eq(&self, other: &Self) -> bool {
        self.body == other.body
    }
}
impl Eq for ComposerHandle {}

/// The form replying to `parent` (`None`: a top-level comment) in the thread around the caller, its
/// draft restored. `None` outside a [`CommentThread`](crate::components::CommentThread).
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use article_widget::state::use_composer;
/// // Inside a component below a CommentThread: a one-field form of your own.
/// if let Some(form) = use_composer(None) {
///     let view = view! {
///         <textarea prop:value=form.body on:input=move |ev| form.input_body(event_target_value(&ev))></textarea>
///         <button on:click=move |_| form.submit() disabled=move || form.sending()>"Post"</button>
///     };
/// }
/// ```
pub fn use_composer(parent: Option<CommentId>) -> Option<ComposerHandle> {
    let thread = super::use_thread()?;
    let drafts = thread.drafts()?;
    let draft = drafts.load(parent.as_ref());
    let composer = ComposerHandle {
        thread,
        parent: StoredValue::new(parent.clone()),
        body: RwSignal::new(draft.text.clone()),
        draft: StoredValue::new(draft),
        name: RwSignal::new(drafts.name()),
        // A refusal that came while this form was closed.
        error: RwSignal::new(thread.take_refusal(&parent)),
        unsaved: RwSignal::new(false),
    };
    thread.register_composer(parent.clone(), composer);
    on_cleanup(move || thread.unregister_composer(&parent, composer));
    Some(composer)
}

impl ComposerHandle {
    /// The comment this form replies to.
    pub fn parent(&self) -> Option<CommentId> {
        self.parent.try_get_value().flatten()
    }

    /// Whether this form's post is on its way.
    pub fn sending(&self) -> bool {
        self.thread.sending(self.parent().as_ref())
    }

    /// Seconds until the server lets this reader post again.
    pub fn cooldown(&self) -> u32 {
        self.thread.cooldown()
    }

    /// Characters typed, after trimming, as the contract counts them.
    pub fn char_count(&self) -> usize {
        self.body.try_with(|b| b.trim().chars().count()).unwrap_or(0)
    }

    /// The reader typed in the name field: remembered for every article.
    pub fn input_name(&self, value: String) {
        if let Some(drafts) = self.thread.drafts() {
            drafts.save_name(value.trim());
        }
        self.name.try_set(value);
    }

    /// The reader typed in the comment field: saved as the draft. An edited text is a new comment:
    /// the failed attempt of the old text leaves the thread.
    pub fn input_body(&self, text: String) {
        self.body.try_set(text.clone());
        let parent = self.parent();
        let Some(drafts) = self.thread.drafts() else { return };
        let result = self.draft.try_update_value(|d| {
            let old_key = d.idempotency_key.clone();
            d.edit(text);
            let kept = drafts.save(parent.as_ref(), d);
            (kept, old_key.filter(|_| d.idempotency_key.is_none()))
        });
        if let Some((kept, withdrawn)) = result {
            if !kept && !self.unsaved.get_untracked() {
                self.unsaved.try_set(true);
            }
            if let Some(key) = withdrawn {
                self.thread.withdraw(&key);
            }
        }
    }

    /// Checks the form and hands the comment to the thread. The draft keeps its key (made on the
    /// first submission of this text) and the name it was first sent with, so that a retry, even
    /// after a reload, is the same request.
    pub fn submit(&self) {
        if untrack(|| self.sending()) || self.thread.cooldown_untracked() > 0 {
            return;
        }
        let new = NewComment {
            author_name: self.name.try_get_untracked().unwrap_or_default(),
            body: self.body.try_get_untracked().unwrap_or_default(),
            parent_id: self.parent(),
        };
        let comment = match limits::validate(new) {
            Ok(comment) => comment,
            Err(invalid) => {
                let message = self.thread.strings().invalid(invalid);
                self.error.try_set(Some(FormError { field: Some(invalid.field()), message }));
                return;
            }
        };
        let Some(drafts) = self.thread.drafts() else { return };
        let parent = self.parent();
        let submitted = self.draft.try_update_value(|d| {
            let key = d.key_for_submit(|| IdempotencyKey::from(random_id()));
            let name = d.sent_as.get_or_insert_with(|| comment.author_name.clone()).clone();
            drafts.save(parent.as_ref(), d);
            (key, NewComment { author_name: name, ..comment })
        });
        if let Some(name) = submitted.as_ref().map(|(_, c)| c.author_name.clone()) {
            drafts.save_name(&name);
        }
        let Some((key, comment)) = submitted else { return };
        self.error.try_set(None);
        self.thread.post(key, comment);
    }

    /// The thread: the post of `key` was stored. The form empties, unless the reader has typed a new
    /// text since.
    pub(crate) fn posted(&self, key: &IdempotencyKey) {
        let ours = self.draft.try_with_value(|d| d.idempotency_key.as_ref() == Some(key)) == Some(true);
        if ours {
            self.draft.try_set_value(Draft::default());
            self.body.try_set(String::new());
            self.error.try_set(None);
        }
    }

    /// The thread: the server refused the post of `key` as it is; say why, on the field when it
    /// names one. The text stays, without the key: once corrected it is a new request.
    pub(crate) fn refused(&self, key: &IdempotencyKey, error: FormError) {
        self.draft.try_update_value(|d| {
            if d.idempotency_key.as_ref() == Some(key) {
                d.idempotency_key = None;
                d.sent_as = None;
            }
        });
        self.error.try_set(Some(error));
    }

    /// Closes this reply form (no-op for the top-level form).
    pub fn close(&self) {
        if let Some(parent) = self.parent() {
            self.thread.set_replying(&parent, false);
        }
    }
}

/// What the counter under the comment field says: `None` below [`COUNTER_FROM`] characters, else
/// the characters left (negative: over the limit).
pub fn chars_left(count: usize) -> Option<i64> {
    (count >= COUNTER_FROM).then(|| limits::MAX_BODY_CHARS as i64 - count as i64)
}
