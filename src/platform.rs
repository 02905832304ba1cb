//! Every browser API the widget's logic needs, in one small place: storage, page visibility, the
//! clock, randomness and yielding to the browser. Views never call these; the controllers in
//! [`crate::state`] do. Each has a native stand-in, so the logic around them runs in native tests.
//! (`Intl` formatting lives in [`crate::format`], DOM building in [`crate::components`].)

use std::time::Duration;

/// A place to keep strings by key.
///
/// ## Usage
/// ```
/// use article_widget::platform::{KeyValue, MemoryStore};
/// let store = MemoryStore::default();
/// assert!(store.set("draft:a", "hello"));
/// assert_eq!(store.get("draft:a").as_deref(), Some("hello"));
/// assert_eq!(store.keys_with_prefix("draft:"), ["draft:a"]);
/// ```
pub trait KeyValue {
    fn get(&self, key: &str) -> Option<String>;
    /// Returns whether the value was stored (a full or disabled storage drops it).
    fn set(&self, key: &str, value: &str) -> bool;
    fn remove(&self, key: &str);
    /// Every key that starts with `prefix`.
    fn keys_with_prefix(&self, prefix: &str) -> Vec<String>;
}

impl<S: KeyValue + ?Sized> KeyValue for &S {
    fn get(&self, key: &str) -> Option<String> {
        (**self).get(key)
    }
    fn set(&self, key: &str, value: &str) -> bool {
        (**self).set(key, value)
    }
    fn remove(&self, key: &str) {
        (**self).remove(key)
    }
    fn keys_with_prefix(&self, prefix: &str) -> Vec<String> {
        (**self).keys_with_prefix(prefix)
    }
}

/// The browser's `localStorage`; where it is unavailable (sandboxed iframes, privacy modes, a full
/// quota, or no browser at all) reads find nothing and writes are dropped, so the widget still works,
/// forgetfully.
#[derive(Clone, Copy, Debug, Default)]
pub struct LocalStorage;

impl LocalStorage {
    fn storage() -> Option<web_sys::Storage> {
        if !cfg!(target_arch = "wasm32") {
            return None;
        }
        web_sys::window()?.local_storage().ok().flatten()
    }
}

impl KeyValue for LocalStorage {
    fn get(&self, key: &str) -> Option<String> {
        Self::storage()?.get_item(key).ok().flatten()
    }
    fn set(&self, key: &str, value: &str) -> bool {
        Self::storage().is_some_and(|s| s.set_item(key, value).is_ok())
    }
    fn remove(&self, key: &str) {
        if let Some(s) = Self::storage() {
            let _ = s.remove_item(key);
        }
    }
    fn keys_with_prefix(&self, prefix: &str) -> Vec<String> {
        let Some(s) = Self::storage() else { return Vec::new() };
        let n = s.length().unwrap_or(0);
        (0..n).filter_map(|i| s.key(i).ok().flatten()).filter(|k| k.starts_with(prefix)).collect()
    }
}

/// An in-memory [`KeyValue`], for tests.
#[derive(Debug, Default)]
pub struct MemoryStore(pub std::cell::RefCell<std::collections::BTreeMap<String, String>>);

impl KeyValue for MemoryStore {
    fn get(&self, key: &str) -> Option<String> {
        self.0.borrow().get(key).cloned()
    }
    fn set(&self, key: &str, value: &str) -> bool {
        self.0.borrow_mut().insert(key.into(), value.into());
        true
    }
    fn remove(&self, key: &str) {
        self.0.borrow_mut().remove(key);
    }
    fn keys_with_prefix(&self, prefix: &str) -> Vec<String> {
        self.0.borrow().keys().filter(|k| k.starts_with(prefix)).cloned().collect()
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    if cfg!(target_arch = "wasm32") {
        js_sys::Date::now()
    } else {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    }
}

/// Whether the page is in a background tab (nothing to refresh for nobody).
pub fn page_hidden() -> bool {
    cfg!(target_arch = "wasm32") && web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden())
}

/// 128 random bits as 32 hex digits, from the browser's CSPRNG. `crypto.getRandomValues` works in
/// insecure contexts too (unlike `crypto.randomUUID`, which would throw on a plain-http host page);
/// where even that is missing, `Math.random` fills in (natively: the clock and a counter, for tests).
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    let filled = cfg!(target_arch = "wasm32")
        && web_sys::window()
            .and_then(|w| w.crypto().ok())
            .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let seed = now_ms().to_bits() ^ COUNTER.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
        for (i, b) in bytes.iter_mut().enumerate() {
            let random = if cfg!(target_arch = "wasm32") { js_sys::Math::random() * 256.0 } else { 0.0 };
            *b = (random as u8) ^ (seed.rotate_left(i as u32 * 8) as u8);
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lets the browser paint and handle input before the caller goes on (a new task).
pub async fn yield_now() {
    gloo_timers::future::sleep(Duration::ZERO).await;
}

/// Waits `duration` (a timer task).
pub async fn sleep(duration: Duration) {
    gloo_timers::future::sleep(duration).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_stand_ins_work_without_a_browser() {
        assert!(now_ms() > 1.7e12);
        assert!(!page_hidden());
        let (a, b) = (random_id(), random_id());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert_eq!(LocalStorage.get("x"), None);
        assert!(!LocalStorage.set("x", "y"), "no storage natively: the write is reported dropped");
        let store = MemoryStore::default();
        store.set("a:1", "x");
        store.set("b:1", "y");
        assert_eq!(store.keys_with_prefix("a:"), ["a:1"]);
    }
}
