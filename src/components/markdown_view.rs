//! Renders [`crate::markdown`] nodes as plain DOM, built once: a body never changes after it is
//! shown, so it needs no reactive view tree. Only the elements of [`Element`] are made, text goes
//! in as text nodes, and links only carry URLs that [`crate::markdown::safe_href`] accepted: the
//! parsed tree stays the security boundary, and no HTML string is ever parsed.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::markdown::{self, Element, Node};

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
    let Some(document) = el.owner_document() else { return };
    append(&document, el, &markdown::parse(source));
}

fn append(document: &web_sys::Document, parent: &web_sys::Node, nodes: &[Node]) {
    for node in nodes {
        match node {
            Node::Text(text) => {
                let _ = parent.append_child(&document.create_text_node(text));
            }
            Node::Element(Element::Fragment, children) => append(document, parent, children),
            Node::Element(element, children) => {
                let Some((outer, inner)) = make(document, element) else { continue };
                append(document, &inner, children);
                let _ = parent.append_child(&outer);
            }
        }
    }
}

/// The element for `element`, and the node its children go into (they differ for `<pre><code>`).
fn make(document: &web_sys::Document, element: &Element) -> Option<(web_sys::Node, web_sys::Node)> {
    let el = document.create_element(element.tag()?).ok()?;
    for (name, value) in element.attributes() {
        let _ = el.set_attribute(name, &value);
    }
    if let Element::CodeBlock { .. } = element {
        let code = document.create_element("code").ok()?;
        if let Some(class) = element.code_class() {
            let _ = code.set_attribute("class", &class);
        }
        let _ = el.append_child(&code);
        return Some((el.into(), code.into()));
    }
    let node: web_sys::Node = el.into();
    Some((node.clone(), node))
}
