//! What the reader typed, kept in `localStorage` as they type, so that a reload, a crash or a closed
//! tab loses nothing: one draft per article and parent (the top-level composer and each reply
//! composer), with the `Idempotency-Key` of its first submission, and the reader's name across
//! articles. A draft is cleared only when the server confirms its post.
//!
//! The storage is behind [`KeyValue`] (see [`crate::platform`]), so the rules are tested natively
//! with [`MemoryStore`].

use rustc_hash::FxHashSet as HashSet;

use contract::json::{self, Decode, Fields, Json, ToJson};

use crate::api::{CommentId, IdempotencyKey};
pub use crate::platform::{KeyValue, LocalStorage, MemoryStore};

/// One composer's draft.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    /// The text as typed.
    pub text: String,
    /// The key made when this text was first submitted; kept for every retry of the same text.
    pub idempotency_key: Option<IdempotencyKey>,
    /// The name this text was first submitted with: a retry sends it again, whatever the name
    /// field says by then, so the server recognises the request by its key.
    pub sent_as: Option<String>,
}

/// Stored as `{"text": …, "idempotency_key": …, "sent_as": …}`, the last two `null` when unset.
impl ToJson for Draft {
    fn to_json(&self) -> String {
        json::object(&[
            ("text", Some(self.text.as_str())),
            ("idempotency_key", self.idempotency_key.as_ref().map(IdempotencyKey::as_str)),
            ("sent_as", self.sent_as.as_deref()),
        ])
    }
}

impl Decode for Draft {
    fn decode(json: Json<'_>) -> Result<Draft, json::Error> {
        let mut f = Fields::of(json, "a draft")?;
        Ok(Draft {
            text: f.required("text")?,
            idempotency_key: f.optional("idempotency_key")?,
            sent_as: f.optional("sent_as")?,
        })
    }
}

impl Draft {
    /// The text changed: an edited draft is a new comment, so it will get a new key.
    pub fn edit(&mut self, text: String) {
        if text != self.text {
            self.text = text;
            self.idempotency_key = None;
            self.sent_as = None;
        }
    }

    /// The key to submit this text with: the one it already has, or a new one from `make_key`.
    pub fn key_for_submit(&mut self, make_key: impl FnOnce() -> IdempotencyKey) -> IdempotencyKey {
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
    pub fn key(&self, parent_id: Option<&CommentId>) -> String {
        format!("{}{}", self.prefix(), parent_id.map_or("-", CommentId::as_str))
    }

    /// What every draft key of this article starts with.
    fn prefix(&self) -> String {
        format!("{PREFIX}draft:{}|", self.scope)
    }

    /// The comments with a reply draft (whose reply forms open again after a reload): one scan of
    /// the storage for the whole thread.
    pub fn reply_drafts(&self) -> HashSet<CommentId> {
        let prefix = self.prefix();
        self.store
            .keys_with_prefix(&prefix)
            .into_iter()
            .filter_map(|key| key.strip_prefix(&prefix).map(str::to_owned))
            .filter(|parent| parent != "-")
            .map(CommentId::from)
            .filter(|parent| !self.load(Some(parent)).text.trim().is_empty())
            .collect()
    }

    pub fn load(&self, parent_id: Option<&CommentId>) -> Draft {
        self.store.get(&self.key(parent_id)).and_then(|text| json::from_str(&text).ok()).unwrap_or_default()
    }

    /// Saves the draft; an empty one without a pending key is removed instead. Returns false when
    /// the storage dropped it (full, disabled).
    pub fn save(&self, parent_id: Option<&CommentId>, draft: &Draft) -> bool {
        if draft.text.is_empty() && draft.idempotency_key.is_none() {
            self.clear(parent_id);
            true
        } else {
            self.store.set(&self.key(parent_id), &draft.to_json())
        }
    }

    /// Forgets the draft.
    pub fn clear(&self, parent_id: Option<&CommentId>) {
        self.store.remove(&self.key(parent_id));
    }

    /// Keeps the draft's text but forgets that it was sent with `key` (the server refused that
    /// request: the corrected text will be a new one).
    pub fn forget_key(&self, parent_id: Option<&CommentId>, key: &IdempotencyKey) {
        let mut draft = self.load(parent_id);
        if draft.idempotency_key.as_ref() == Some(key) {
            draft.idempotency_key = None;
            draft.sent_as = None;
            self.save(parent_id, &draft);
        }
    }

    /// Forgets the draft if it is still the one posted with `key` (its post was confirmed); a draft
    /// typed since stays.
    pub fn clear_if_posted(&self, parent_id: Option<&CommentId>, key: &IdempotencyKey) {
        if self.load(parent_id).idempotency_key.as_ref() == Some(key) {
            self.clear(parent_id);
        }
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
        a.save(None, &Draft { text: "top".into(), idempotency_key: None, sent_as: None });
        a.save(Some(&"7".into()), &Draft { text: "reply to 7".into(), idempotency_key: None, sent_as: None });
        let b = Drafts::new(&store, "/api", "b");
        assert_eq!(b.load(None), Draft::default(), "another article has its own");
        assert_eq!(a.load(None).text, "top");
        assert_eq!(a.load(Some(&"7".into())).text, "reply to 7");
        assert_eq!(a.reply_drafts(), ["7".into()].into_iter().collect::<HashSet<CommentId>>());
        a.clear(Some(&"7".into()));
        assert_eq!(a.load(Some(&"7".into())), Draft::default());
        assert!(a.reply_drafts().is_empty());
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
        let store = MemoryStore::default();
        let drafts = Drafts::new(&store, "/api", "a");
        drafts.save(None, &d);
        drafts.clear_if_posted(None, &"k1".into());
        assert_eq!(drafts.load(None), d, "a draft typed since the post stays");
        drafts.clear_if_posted(None, &"k4".into());
        assert_eq!(drafts.load(None), Draft::default());
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

    /// A storage that keeps nothing, as a full or disabled `localStorage`.
    struct Full;
    impl KeyValue for Full {
        fn get(&self, _: &str) -> Option<String> {
            None
        }
        fn set(&self, _: &str, _: &str) -> bool {
            false
        }
        fn remove(&self, _: &str) {}
        fn keys_with_prefix(&self, _: &str) -> Vec<String> {
            Vec::new()
        }
    }

    #[test]
    fn a_storage_that_keeps_nothing_is_reported() {
        let drafts = Drafts::new(Full, "/api", "a");
        let draft = Draft { text: "typed".into(), idempotency_key: None, sent_as: None };
        assert!(!drafts.save(None, &draft), "the composer tells the reader");
        assert!(drafts.save(None, &Draft::default()), "nothing to keep is not a failure");
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

    #[test]
    fn drafts_are_stored_as_the_previous_release_stored_them() {
        // The form serde wrote (before contract::json), so a reader's drafts survive the upgrade both
        // ways: a page still on the old release reads what this one writes.
        let store = MemoryStore::default();
        let drafts = Drafts::new(&store, "/api", "a");
        let draft = Draft { text: "Line\n\"quoted\" \u{1}".into(), idempotency_key: Some("k1".into()), sent_as: None };
        drafts.save(None, &draft);
        let stored = store.get(&drafts.key(None)).unwrap();
        assert_eq!(stored, r#"{"text":"Line\n\"quoted\" \u0001","idempotency_key":"k1","sent_as":null}"#);
        assert_eq!(drafts.load(None), draft);
        // Older drafts had no key or name (serde's `default`).
        store.set(&drafts.key(None), r#"{"text":"old"}"#);
        assert_eq!(drafts.load(None), Draft { text: "old".into(), ..Draft::default() });
    }
}
