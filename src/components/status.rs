//! Views shared by every part: loading placeholders, error notices, dates.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::dom::{add, element, set};

use crate::format;
use crate::i18n::Msg;
use crate::i18n::Strings;
use crate::platform;

/// The strings of the widget this component is in (an `ArticleWidget` provides its configuration's),
/// else English.
pub fn use_strings() -> Strings {
    use_context::<Strings>().unwrap_or_default()
}

/// A placeholder of fixed height that keeps the layout from jumping while something loads.
#[component]
pub fn Placeholder(#[prop(into)] label: String, #[prop(default = 3)] lines: usize) -> impl IntoView {
    let fill =
        move |el: leptos::tachys::renderer::types::Element| fill_placeholder(&el.unchecked_into(), &label, lines);
    view! { <div use:fill></div> }
}

/// An error with a "Retry" button, announced to screen readers.
#[component]
pub fn ErrorNotice(#[prop(into)] message: String, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    let retry = use_strings().get(Msg::Retry);
    let fill = move |el: leptos::tachys::renderer::types::Element| {
        fill_error_notice(&el.unchecked_into(), &message, &retry);
    };
    // Its one button is Retry.
    view! { <div on:click=move |ev| if platform::clicked_button(&ev).is_some() { on_retry.run(()) } use:fill></div> }
}

/// Makes `el` a [`Placeholder`]: `label` for screen readers, `lines` grey lines.
pub(super) fn fill_placeholder(el: &web_sys::Element, label: &str, lines: usize) {
    let Some(document) = el.owner_document() else { return };
    // A box rebuilt in place (the component given new props) starts empty.
    el.set_text_content(None);
    el.set_class_name("aw-placeholder");
    set(el, "role", "status");
    set(el, "aria-live", "polite");
    let Some(hidden) = element(&document, "span", "aw-visually-hidden") else { return };
    hidden.set_text_content(Some(label));
    add(el, &hidden);
    for _ in 0..lines {
        let Some(line) = element(&document, "span", "aw-placeholder-line") else { return };
        set(&line, "aria-hidden", "true");
        add(el, &line);
    }
}

/// Makes `el` an [`ErrorNotice`] saying `message`, and returns its button (labelled `retry`).
pub(super) fn fill_error_notice(el: &web_sys::Element, message: &str, retry: &str) -> Option<web_sys::Element> {
    let document = el.owner_document()?;
    el.set_text_content(None);
    el.set_class_name("aw-error");
    set(el, "role", "alert");
    let (p, button) = (element(&document, "p", "aw-error-message")?, element(&document, "button", "aw-button")?);
    p.set_text_content(Some(message));
    set(&button, "type", "button");
    button.set_text_content(Some(retry));
    add(el, &p);
    add(el, &button);
    Some(button)
}

/// `<time datetime>` showing the date in the reader's locale, with the exact value as its title.
#[component]
pub fn DateTime(#[prop(into)] iso: String) -> impl IntoView {
    let text = format::long_date(&iso, use_strings().locale());
    view! { <time datetime=iso.clone() title=iso>{text}</time> }
}

/// A document-unique id for `for`/`id`/`aria-*` pairs, e.g. `aw-name-7`.
pub fn unique_id(prefix: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}
