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
    let Some(document) = el.owner_document() else { return };
    append(&document, &el, &markdown::parse(&source));
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
    let tag = match element {
        Element::Paragraph => "p",
        Element::Heading(2) => "h2",
        Element::Heading(3) => "h3",
        Element::Heading(4) => "h4",
        Element::Heading(5) => "h5",
        Element::Heading(_) => "h6",
        Element::BlockQuote => "blockquote",
        Element::CodeBlock => "pre",
        Element::InlineCode => "code",
        Element::Emphasis => "em",
        Element::Strong => "strong",
        Element::Strikethrough => "del",
        Element::List => "ul",
        Element::OrderedList(_) => "ol",
        Element::ListItem => "li",
        Element::Link(_) => "a",
        Element::LineBreak => "br",
        Element::Rule => "hr",
        Element::Fragment => return None,
    };
    let el = document.create_element(tag).ok()?;
    match element {
        Element::OrderedList(start) if *start != 1 => {
            let _ = el.set_attribute("start", &start.to_string());
        }
        // `markdown::parse` only makes links of safe URLs; user content gets no referrer, no
        // opener and no ranking credit.
        Element::Link(href) => {
            let _ = el.set_attribute("href", href);
            let _ = el.set_attribute("rel", "nofollow ugc noopener noreferrer");
        }
        Element::CodeBlock => {
            let code = document.create_element("code").ok()?;
            let _ = el.append_child(&code);
            return Some((el.into(), code.into()));
        }
        _ => {}
    }
    let node: web_sys::Node = el.into();
    Some((node.clone(), node))
}
