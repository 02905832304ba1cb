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

/// A random UUID from the browser's CSPRNG (falling back to `Math.random` where `crypto` is missing).
pub fn random_id() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| {
            (0..4).map(|_| format!("{:08x}", (js_sys::Math::random() * 4_294_967_296.0) as u32)).collect()
        })
}
