//! What the reader typed, kept in `localStorage` as they type, so that a reload, a crash or a closed
//! tab loses nothing: one draft per article and parent (the top-level composer and each reply
//! composer), with the `Idempotency-Key` of its first submission, and the reader's name across
//! articles. A draft is cleared only when the server confirms its post.
//!
//! The storage is behind [`KeyValue`], so the rules are tested natively with [`MemoryStore`].

use std::cell::RefCell;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// A place to keep strings by key.
pub trait KeyValue {
    fn get(&self, key: &str) -> Option<String>;
    fn set(&self, key: &str, value: &str);
    fn remove(&self, key: &str);
}

/// The browser's `localStorage`; where it is unavailable (sandboxed iframes, privacy modes, a full
/// quota) reads find nothing and writes are dropped, so the widget still works, forgetfully.
#[derive(Clone, Copy, Debug, Default)]
pub struct LocalStorage;

impl LocalStorage {
    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }
}

impl KeyValue for LocalStorage {
    fn get(&self, key: &str) -> Option<String> {
        Self::storage()?.get_item(key).ok().flatten()
    }
    fn set(&self, key: &str, value: &str) {
        if let Some(s) = Self::storage() {
            let _ = s.set_item(key, value);
        }
    }
    fn remove(&self, key: &str) {
        if let Some(s) = Self::storage() {
            let _ = s.remove_item(key);
        }
    }
}

/// An in-memory [`KeyValue`], for tests.
#[derive(Debug, Default)]
pub struct MemoryStore(RefCell<HashMap<String, String>>);

impl KeyValue for MemoryStore {
    fn get(&self, key: &str) -> Option<String> {
        self.0.borrow().get(key).cloned()
    }
    fn set(&self, key: &str, value: &str) {
        self.0.borrow_mut().insert(key.into(), value.into());
    }
    fn remove(&self, key: &str) {
        self.0.borrow_mut().remove(key);
    }
}

/// One composer's draft.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// The text as typed.
    pub text: String,
    /// The key made when this text was first submitted; kept for every retry of the same text.
    #[serde(default)]
    pub idempotency_key: Option<String>,
}

impl Draft {
    /// The text changed: an edited draft is a new comment, so it will get a new key.
    pub fn edit(&mut self, text: String) {
        if text != self.text {
            self.text = text;
            self.idempotency_key = None;
        }
    }

    /// The key to submit this text with: the one it already has, or a new one from `make_key`.
    pub fn key_for_submit(&mut self, make_key: impl FnOnce() -> String) -> String {
        self.idempotency_key.get_or_insert_with(make_key).clone()
    }
}

const PREFIX: &str = "article-widget:";

/// The drafts of one article below one API.
#[derive(Clone, Debug)]
pub struct Drafts<S: KeyValue = LocalStorage> {
    store: S,
    scope: String,
}

impl Drafts<LocalStorage> {
    /// The drafts of `article_id` at `api_base`, in `localStorage`.
    pub fn local(api_base: &str, article_id: &str) -> Self {
        Drafts::new(LocalStorage, api_base, article_id)
    }
}

impl<S: KeyValue> Drafts<S> {
    pub fn new(store: S, api_base: &str, article_id: &str) -> Self {
        Drafts { store, scope: format!("{api_base}|{article_id}") }
    }

    /// The storage key of the draft replying to `parent_id` (`None`: the top-level composer).
    pub fn key(&self, parent_id: Option<&str>) -> String {
        format!("{PREFIX}draft:{}|{}", self.scope, parent_id.unwrap_or("-"))
    }

    pub fn load(&self, parent_id: Option<&str>) -> Draft {
        self.store
            .get(&self.key(parent_id))
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }

    /// Saves the draft; an empty one without a pending key is removed instead.
    pub fn save(&self, parent_id: Option<&str>, draft: &Draft) {
        if draft.text.is_empty() && draft.idempotency_key.is_none() {
            self.clear(parent_id);
        } else if let Ok(json) = serde_json::to_string(draft) {
            self.store.set(&self.key(parent_id), &json);
        }
    }

    /// Forgets the draft (its post was confirmed).
    pub fn clear(&self, parent_id: Option<&str>) {
        self.store.remove(&self.key(parent_id));
    }

    /// Whether a reply to `parent_id` has a draft (so its composer opens by itself after a reload).
    pub fn has_reply_draft(&self, parent_id: &str) -> bool {
        !self.load(Some(parent_id)).text.trim().is_empty()
    }

    /// The reader's name, the same for every article.
    pub fn name(&self) -> String {
        self.store.get(&format!("{PREFIX}author-name")).unwrap_or_default()
    }

    pub fn save_name(&self, name: &str) {
        self.store.set(&format!("{PREFIX}author-name"), name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_are_kept_per_article_and_parent() {
        let store = MemoryStore::default();
        let a = Drafts::new(&store, "/api", "a");
        a.save(None, &Draft { text: "top".into(), idempotency_key: None });
        a.save(Some("7"), &Draft { text: "reply to 7".into(), idempotency_key: None });
        let b = Drafts::new(&store, "/api", "b");
        assert_eq!(b.load(None), Draft::default(), "another article has its own");
        assert_eq!(a.load(None).text, "top");
        assert_eq!(a.load(Some("7")).text, "reply to 7");
        assert!(a.has_reply_draft("7"));
        assert!(!a.has_reply_draft("8"));
        a.clear(Some("7"));
        assert_eq!(a.load(Some("7")), Draft::default());
        assert_eq!(a.load(None).text, "top", "clearing one leaves the others");
        let other_api = Drafts::new(&store, "https://x.example", "a");
        assert_eq!(other_api.load(None), Draft::default());
    }

    #[test]
    fn the_key_is_made_once_and_kept_until_the_text_changes() {
        let mut d = Draft::default();
        d.edit("hello".into());
        let k1 = d.key_for_submit(|| "k1".into());
        assert_eq!(d.key_for_submit(|| "k2".into()), k1, "a retry reuses the key");
        d.edit("hello".into());
        assert_eq!(d.key_for_submit(|| "k3".into()), k1, "the same text is the same draft");
        d.edit("hello, edited".into());
        assert_eq!(d.key_for_submit(|| "k4".into()), "k4", "an edited draft is a new comment");
    }

    #[test]
    fn the_key_survives_a_reload_with_the_text() {
        let store = MemoryStore::default();
        let drafts = Drafts::new(&store, "/api", "a");
        let mut d = drafts.load(None);
        d.edit("sent, answer lost".into());
        let key = d.key_for_submit(|| "k1".into());
        drafts.save(None, &d);
        let mut again = drafts.load(None);
        assert_eq!(again.key_for_submit(|| "k2".into()), key);
    }

    #[test]
    fn empty_drafts_are_not_stored_and_the_name_is_shared() {
        let store = MemoryStore::default();
        let drafts = Drafts::new(&store, "/api", "a");
        drafts.save(None, &Draft::default());
        assert!(store.0.borrow().is_empty());
        drafts.save_name("Ada");
        assert_eq!(Drafts::new(&store, "/api", "other").name(), "Ada");
        store.set(&drafts.key(None), "{not json");
        assert_eq!(drafts.load(None), Draft::default(), "a corrupt draft is ignored, not a panic");
    }
}

impl<S: KeyValue + ?Sized> KeyValue for &S {
    fn get(&self, key: &str) -> Option<String> {
        (**self).get(key)
    }
    fn set(&self, key: &str, value: &str) {
        (**self).set(key, value)
    }
    fn remove(&self, key: &str) {
        (**self).remove(key)
    }
}
