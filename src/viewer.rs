//! The viewer id: an opaque random id made once per browser and kept in `localStorage`, sent as
//! `X-Viewer-Id` so the server can tell this reader's reactions apart. Where storage is unavailable
//! (a sandboxed iframe, privacy settings) the id lives in memory for the page's lifetime.

use std::cell::RefCell;

use crate::platform::{random_id, KeyValue, LocalStorage};

const STORAGE_KEY: &str = "article-widget:viewer-id";

thread_local! {
    static IN_MEMORY: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// This browser's viewer id, made on first use.
pub fn viewer_id() -> String {
    if let Some(id) = LocalStorage.get(STORAGE_KEY).filter(|id| is_valid(id)) {
        return id;
    }
    IN_MEMORY.with(|cell| {
        let mut cell = cell.borrow_mut();
        let id = cell.get_or_insert_with(random_id).clone();
        // Failing to store (quota, private mode) only means a new id next visit.
        LocalStorage.set(STORAGE_KEY, &id);
        id
    })
}

fn is_valid(id: &str) -> bool {
    (8..=128).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}
