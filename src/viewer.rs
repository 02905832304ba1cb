//! The viewer id: an opaque random id made once per browser and kept in `localStorage`, sent as
//! `X-Viewer-Id` so the server can tell this reader's reactions apart. Where storage is unavailable
//! (a sandboxed iframe, privacy settings) the id lives in memory for the page's lifetime.

use std::cell::RefCell;

const STORAGE_KEY: &str = "article-widget:viewer-id";

thread_local! {
    static IN_MEMORY: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// This browser's viewer id, made on first use.
pub fn viewer_id() -> String {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    if let Some(id) = storage.as_ref().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()) {
        if is_valid(&id) {
            return id;
        }
    }
    IN_MEMORY.with(|cell| {
        let mut cell = cell.borrow_mut();
        let id = cell.get_or_insert_with(random_id).clone();
        if let Some(storage) = storage {
            // Failing to store (quota, private mode) only means a new id next visit.
            let _ = storage.set_item(STORAGE_KEY, &id);
        }
        id
    })
}

fn is_valid(id: &str) -> bool {
    (8..=128).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// 128 random bits as 32 hex digits, from the browser's CSPRNG. `crypto.getRandomValues` works in
/// insecure contexts too (unlike `crypto.randomUUID`, which would throw on a plain-http host page);
/// where even that is missing, `Math.random` fills in.
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
