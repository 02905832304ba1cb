//! Renders [`crate::markdown`] nodes as Leptos views: only known elements, text as text.

use leptos::prelude::*;

use crate::markdown::{self, Element, Node};

/// CommonMark `source` rendered safely (raw HTML as text; links only to http, https and mailto).
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use article_widget::components::Markdown;
/// let view = view! { <Markdown source="Hello *world*".to_string() /> };
/// ```
#[component]
pub fn Markdown(#[prop(into)] source: String) -> impl IntoView {
    nodes_view(markdown::parse(&source))
}

fn nodes_view(nodes: Vec<Node>) -> AnyView {
    nodes.into_iter().map(node_view).collect_view().into_any()
}

fn node_view(node: Node) -> AnyView {
    let (element, children) = match node {
        Node::Text(text) => return text.into_any(),
        Node::Element(element, children) => (element, children),
    };
    let inner = nodes_view(children);
    match element {
        Element::Paragraph => view! { <p>{inner}</p> }.into_any(),
        Element::Heading(2) => view! { <h2>{inner}</h2> }.into_any(),
        Element::Heading(3) => view! { <h3>{inner}</h3> }.into_any(),
        Element::Heading(4) => view! { <h4>{inner}</h4> }.into_any(),
        Element::Heading(5) => view! { <h5>{inner}</h5> }.into_any(),
        Element::Heading(_) => view! { <h6>{inner}</h6> }.into_any(),
        Element::BlockQuote => view! { <blockquote>{inner}</blockquote> }.into_any(),
        Element::CodeBlock => view! { <pre><code>{inner}</code></pre> }.into_any(),
        Element::InlineCode => view! { <code>{inner}</code> }.into_any(),
        Element::Emphasis => view! { <em>{inner}</em> }.into_any(),
        Element::Strong => view! { <strong>{inner}</strong> }.into_any(),
        Element::Strikethrough => view! { <del>{inner}</del> }.into_any(),
        Element::List => view! { <ul>{inner}</ul> }.into_any(),
        Element::OrderedList(start) => {
            let start = i32::try_from(start).unwrap_or(1);
            view! { <ol start=start>{inner}</ol> }.into_any()
        }
        Element::ListItem => view! { <li>{inner}</li> }.into_any(),
        // `markdown::parse` only makes links of safe URLs; user content gets no referrer, no
        // opener and no ranking credit.
        Element::Link(href) => {
            view! { <a href=href rel="nofollow ugc noopener noreferrer">{inner}</a> }.into_any()
        }
        Element::LineBreak => view! { <br /> }.into_any(),
        Element::Rule => view! { <hr /> }.into_any(),
        Element::Fragment => inner,
    }
}
