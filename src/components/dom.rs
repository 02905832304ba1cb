//! Small helpers for the parts built as plain DOM (comment cards and reaction bars; Markdown bodies
//! have their own, in `markdown_view.rs`): what hardly changes once shown is made once, without a
//! reactive view per element.

/// The page's document; `None` off a browser (a server renders no plain DOM).
pub(super) fn document() -> Option<web_sys::Document> {
    if cfg!(not(target_arch = "wasm32")) {
        return None;
    }
    web_sys::window()?.document()
}

/// `document.createElement(tag)` with a class (none when `class` is empty); `None` only where there
/// is no document to make it in.
pub(super) fn element(document: &web_sys::Document, tag: &str, class: &str) -> Option<web_sys::Element> {
    let el = document.create_element(tag).ok()?;
    if !class.is_empty() {
        el.set_class_name(class);
    }
    Some(el)
}

/// Sets an attribute (a failure, for a name no element can have, is ignored: the names are ours).
pub(super) fn set(el: &web_sys::Element, name: &str, value: &str) {
    let _ = el.set_attribute(name, value);
}

/// `"true"` or `"false"`, for `aria-pressed` and `aria-expanded`.
pub(super) fn flag(on: bool) -> &'static str {
    if on {
        "true"
    } else {
        "false"
    }
}

/// A message that comes and goes (an alert, a note) held in `slot`: with `text`, shown (made by
/// `make`, which puts it in place, the first time; its text changed in place after); without,
/// taken out.
pub(super) fn show_message(
    slot: &mut Option<web_sys::Element>,
    text: Option<&str>,
    make: impl FnOnce() -> Option<web_sys::Element>,
) {
    match (text, slot.as_ref()) {
        (Some(text), Some(shown)) => shown.set_text_content(Some(text)),
        (Some(text), None) => {
            *slot = make();
            if let Some(shown) = slot {
                shown.set_text_content(Some(text));
            }
        }
        (None, _) => {
            if let Some(shown) = slot.take() {
                shown.remove();
            }
        }
    }
}

/// A `<p>` of `class` with `role` (an alert, a status), in `parent`'s document.
pub(super) fn paragraph(parent: &web_sys::Element, class: &str, role: &str) -> Option<web_sys::Element> {
    let p = element(&parent.owner_document()?, "p", class)?;
    set(&p, "role", role);
    Some(p)
}

/// Appends `child` to `parent`.
pub(super) fn add(parent: &web_sys::Element, child: &web_sys::Node) {
    let _ = parent.append_child(child);
}
