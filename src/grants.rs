//! The reader's edit grants (see [`Grant`]), kept in `localStorage` per API base and article, so
//! that a reload keeps the Edit and Delete of comments posted a minute ago. A grant is the only key
//! to its comment (no cookie, no account): it never leaves this browser except as the
//! `X-Edit-Token` of an edit or delete. Grants past their time are dropped whenever the list is
//! read or written.
//!
//! Each change reads the stored list again before writing it, so that two tabs of the same article
//! keep each other's grants. Stored as one line per grant, `<until, Unix seconds> <token> <comment
//! id>`: a token is visible ASCII, and the id comes last, so it may hold spaces (one with a line
//! break is not kept). Plain text, not JSON: a map of tuples through serde cost 9 KB of wasm.
//!
//! ## Usage
//! ```
//! use article_widget::grants::Grants;
//! use article_widget::platform::MemoryStore;
//! use article_widget::thread::Grant;
//! let store = MemoryStore::default();
//! let grants = Grants::new(&store, "/api", "my-post");
//! grants.add(&"7".into(), &Grant { token: "t".into(), until_ms: 2_000_000.0 }, 1_000_000.0);
//! assert_eq!(grants.load(1_000_000.0).len(), 1);
//! assert!(grants.load(2_000_000.0).is_empty(), "past its time");
//! ```

use crate::api::CommentId;
use crate::platform::{KeyValue, LocalStorage};
use crate::thread::Grant;

/// The grants of one article below one API.
#[derive(Clone, Debug)]
pub struct Grants<S: KeyValue = LocalStorage> {
    store: S,
    key: String,
}

impl Grants<LocalStorage> {
    /// The grants of `article_id` at `api_base`, in `localStorage`.
    pub fn local(api_base: &str, article_id: &str) -> Self {
        Grants::new(LocalStorage, api_base, article_id)
    }
}

impl<S: KeyValue> Grants<S> {
    pub fn new(store: S, api_base: &str, article_id: &str) -> Self {
        Grants { store, key: format!("article-widget:grants:{api_base}|{article_id}") }
    }

    /// The grants still open at `now_ms`; what does not read as grants is ignored.
    pub fn load(&self, now_ms: f64) -> Vec<(CommentId, Grant)> {
        self.read(now_ms).into_iter().map(|(id, g)| (CommentId::from(id), g)).collect()
    }

    /// Keeps a new grant.
    pub fn add(&self, id: &CommentId, grant: &Grant, now_ms: f64) {
        let mut all = self.read(now_ms);
        all.retain(|(known, _)| known != id.as_str());
        all.push((id.to_string(), grant.clone()));
        self.write(&all);
    }

    /// Forgets a grant (its comment is deleted, or the server refused it).
    pub fn remove(&self, id: &CommentId, now_ms: f64) {
        let mut all = self.read(now_ms);
        all.retain(|(known, _)| known != id.as_str());
        self.write(&all);
    }

    /// Drops the grants past their time from storage.
    pub fn prune(&self, now_ms: f64) {
        let all = self.read(now_ms);
        self.write(&all);
    }

    /// The stored grants, open at `now_ms`, in the order stored (each id once: a later line wins).
    fn read(&self, now_ms: f64) -> Vec<(String, Grant)> {
        let text = self.store.get(&self.key).unwrap_or_default();
        text.lines()
            .filter_map(|line| {
                let mut parts = line.splitn(3, ' ');
                let until_s: u64 = parts.next()?.parse().ok()?;
                let (token, id) = (parts.next()?, parts.next()?);
                let grant = Grant { token: token.to_owned(), until_ms: until_s as f64 * 1000.0 };
                // A token that a header cannot carry (the storage is the host page's too) is dropped.
                let sendable = Grant::from_wire(token, "1970-01-01T00:00:00Z").is_some();
                (sendable && !id.is_empty() && grant.is_open(now_ms)).then(|| (id.to_owned(), grant))
            })
            .fold(Vec::new(), |mut all, (id, grant)| {
                all.retain(|(known, _)| *known != id);
                all.push((id, grant));
                all
            })
    }

    fn write(&self, all: &[(String, Grant)]) {
        let mut text = String::new();
        for (id, g) in all.iter().filter(|(id, _)| !id.contains(['\n', '\r'])) {
            let until_s = (g.until_ms / 1000.0).ceil() as u64;
            text.push_str(&format!("{until_s} {} {id}\n", g.token));
        }
        if text.is_empty() {
            self.store.remove(&self.key);
        } else {
            self.store.set(&self.key, &text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::MemoryStore;

    #[test]
    fn grants_are_kept_per_api_and_article_and_dropped_when_due() {
        let store = MemoryStore::default();
        let a = Grants::new(&store, "/api", "a");
        let b = Grants::new(&store, "https://other.example/api", "a");
        a.add(&"1".into(), &Grant { token: "t1".into(), until_ms: 100_000.0 }, 0.0);
        a.add(&"2".into(), &Grant { token: "t2".into(), until_ms: 300_000.0 }, 0.0);
        assert!(b.load(0.0).is_empty());
        assert_eq!(a.load(0.0).len(), 2);
        assert_eq!(a.load(100_000.0), [(CommentId::from("2"), Grant { token: "t2".into(), until_ms: 300_000.0 })]);
        assert_eq!(store.get(&a.key).as_deref(), Some("100 t1 1\n300 t2 2\n"));
        a.add(&"with space".into(), &Grant { token: "t3".into(), until_ms: 300_000.0 }, 0.0);
        a.add(&"line\nbreak".into(), &Grant { token: "t4".into(), until_ms: 300_000.0 }, 0.0);
        assert_eq!(a.load(0.0).len(), 3, "an id with spaces is kept, one with a line break is not");
        a.remove(&"with space".into(), 0.0);
        a.remove(&"2".into(), 0.0);
        assert_eq!(a.load(0.0).len(), 1);
        a.remove(&"1".into(), 200_000.0);
        assert!(store.keys_with_prefix("article-widget:grants:").is_empty(), "nothing left, nothing stored");
    }

    #[test]
    fn what_does_not_read_as_a_grant_is_ignored() {
        let store = MemoryStore::default();
        let grants = Grants::new(&store, "/api", "a");
        store.set(&grants.key, "not a grant\n{}\n-1 t 1\n");
        assert!(grants.load(0.0).is_empty());
        store.set(&grants.key, "9999999999 bad\ttoken 1\n9999999999 ok 2\n9999999999 ok\n");
        assert_eq!(grants.load(0.0).len(), 1);
        grants.add(&"3".into(), &Grant { token: "t3".into(), until_ms: 9e15 }, 0.0);
        assert_eq!(grants.load(0.0).len(), 2, "the bad one dropped on write too");
    }
}
