//! [`Rows`]: a list's `<li>`s in the order of their keys, each holding a view placed in it, kept
//! across changes: a row whose key stays keeps its view (and its focus, its open form), a new key
//! gets a new row, a key gone takes its row with it. What Leptos's `<For>` does for a list, as one
//! piece of code for every list of the thread (a `<For>` was 9 KB of the wasm per kind of row).

use std::hash::Hash;

use leptos::prelude::AnyView;
use leptos::reactive::owner::WeakOwner;
use rustc_hash::FxHashMap as HashMap;

use wasm_bindgen::JsCast;

use super::built::Placed;
use crate::platform;

/// The rows of `list`, by key.
pub(super) struct Rows<K> {
    list: web_sys::Element,
    /// The rows' views live under this owner (held weakly: it is the list's own, see `Placed`).
    owner: WeakOwner,
    rows: Vec<(K, Row)>,
}

/// An `<li>` and the view in it. Dropped, it leaves the list and its view is disposed.
struct Row {
    li: web_sys::Element,
    _view: Placed,
}

impl Drop for Row {
    fn drop(&mut self) {
        self.li.remove();
    }
}

impl<K: Clone + Eq + Hash> Rows<K> {
    /// No rows yet in `list` (which holds nothing else).
    pub(super) fn new(list: web_sys::Element, owner: WeakOwner) -> Rows<K> {
        Rows { list, owner, rows: Vec::new() }
    }

    /// Shows one row per key of `keys`, in that order: the rows of keys already shown stay as they
    /// are (moved only when their order changed), a new key's row shows `make(key)`.
    pub(super) fn show(&mut self, keys: &[K], make: &dyn Fn(&K) -> AnyView) {
        let (Some(owner), Some(document)) = (self.owner.upgrade(), self.list.owner_document()) else { return };
        let old_len = self.rows.len();
        let mut old: HashMap<K, (usize, Row)> =
            self.rows.drain(..).enumerate().map(|(i, (key, row))| (key, (i, row))).collect();
        let mut rows = Vec::with_capacity(keys.len());
        // The rows made now (by index in `rows`), and whether the rows kept are still in order.
        let (mut fresh, mut in_order, mut last) = (Vec::new(), true, None);
        for key in keys {
            match old.remove(key) {
                Some((i, row)) => {
                    in_order &= last.is_none_or(|last| last < i);
                    last = Some(i);
                    rows.push((key.clone(), row));
                }
                None => {
                    let Ok(li) = document.create_element("li") else { continue };
                    let view = Placed::new(&owner, &li, None, || make(key));
                    fresh.push(rows.len());
                    rows.push((key.clone(), Row { li, _view: view }));
                }
            }
        }
        // The rows of keys gone leave the list, the last first (see below: nothing after a row is
        // restyled by its leaving then).
        // (By place, not sorted: a sort is kilobytes of the wasm.)
        let mut gone: Vec<Option<Row>> = Vec::new();
        gone.resize_with(old_len, || None);
        for (i, row) in old.into_values() {
            if let Some(place) = gone.get_mut(i) {
                *place = Some(row);
            }
        }
        while let Some(row) = gone.pop() {
            drop(row);
        }
        if in_order {
            // Each run of new rows goes in, in order, before the kept row after it (at the end when
            // none). In order and at once: a row put before others restyles every one after it
            // (the stylesheet spaces rows with `:nth-child` and `li + li`); new rows put in from the
            // last made loading a thread of 100 lists of 99 replies a third slower.
            let mut runs: Vec<(usize, usize)> = Vec::new();
            for &i in &fresh {
                match runs.last_mut() {
                    Some((_, last)) if *last + 1 == i => *last = i,
                    _ => runs.push((i, i)),
                }
            }
            for (first, last) in runs {
                let before = rows.get(last + 1).map(|(_, row)| row.li.as_ref());
                self.put(&document, rows.get(first..=last).unwrap_or_default(), before);
            }
        } else {
            self.reorder(&document, &rows);
        }
        self.rows = rows;
    }

    /// Puts `rows` in the list in their order, moving only those out of place, and gives the focus
    /// back if a moved row held it (a node taken out of the page, even for a moment, loses it).
    fn reorder(&self, document: &web_sys::Document, rows: &[(K, Row)]) {
        let focused = document.active_element().filter(|el| self.list.contains(Some(el)));
        let mut cursor = self.list.first_child();
        for (_, row) in rows {
            let li: &web_sys::Node = row.li.as_ref();
            if cursor.as_ref() == Some(li) {
                cursor = li.next_sibling();
            } else {
                let _ = self.list.insert_before(li, cursor.as_ref());
            }
        }
        if let Some(el) = focused.and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
            if el.is_connected() && document.active_element().as_ref() != Some(el.as_ref()) {
                platform::focus_without_scrolling(&el);
            }
        }
    }

    /// Puts `rows` in the list, in order, before `before` (at the end: `None`), in one insertion.
    fn put(&self, document: &web_sys::Document, rows: &[(K, Row)], before: Option<&web_sys::Node>) {
        let fragment = document.create_document_fragment();
        for (_, row) in rows {
            let _ = fragment.append_child(&row.li);
        }
        let _ = self.list.insert_before(&fragment, before);
    }
}
