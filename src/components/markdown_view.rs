//! Renders [`crate::markdown`] nodes as plain DOM, built once: a body never changes after it is
//! shown, so it needs no reactive view tree. Only the elements of [`markdown::Element`] are made
//! (by `build.js`, in one call), text goes in as text nodes, and links only carry URLs that
//! [`crate::markdown::safe_href`] accepted: the parsed tree stays the security boundary, and no HTML
//! string is ever parsed.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::markdown;

/// CommonMark `source` rendered safely (raw HTML as text; links only to http, https and mailto), in
/// a `<div>` with the given class.
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use article_widget::components::Markdown;
/// let view = view! { <Markdown source="Hello *world*" class="aw-prose" /> };
/// ```
#[component]
pub fn Markdown(
    #[prop(into)] source: String,
    /// The class of the wrapping `<div>`. Default: none.
    #[prop(optional, into)]
    class: String,
) -> impl IntoView {
    view! { <div class=class use:markdown_dom=source></div> }
}

/// The `use:markdown_dom=source` directive: fills the element with `source` rendered as Markdown,
/// replacing what it held.
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use article_widget::components::markdown_dom;
/// let body = "Some *Markdown*".to_string();
/// let view = view! { <div class="aw-prose" use:markdown_dom=body></div> };
/// ```
pub fn markdown_dom(el: leptos::tachys::renderer::types::Element, source: String) {
    let el: web_sys::Element = el.unchecked_into();
    el.set_text_content(None);
    append_markdown(&el, &source);
}

/// Appends `source` rendered as Markdown to `el`.
pub(super) fn append_markdown(el: &web_sys::Element, source: &str) {
    super::build::append_markdown_nodes(el, &markdown::parse(source));
}
