//! Safe CommonMark: the body of an article or comment becomes a tree of a few known elements, which
//! [`crate::components::Markdown`] renders as Leptos views. Nothing here produces HTML text, so there
//! is no HTML string anywhere: raw HTML in the source is kept as text, and links and images only ever
//! point at `http`, `https` or `mailto` URLs (others become plain text).

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// A node of rendered Markdown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    Text(String),
    Element(Element, Vec<Node>),
}

/// The only elements Markdown can produce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Element {
    Paragraph,
    /// `h2`–`h6`: a body's `#` becomes `h2`, since the page already has its `h1`.
    Heading(u8),
    BlockQuote,
    /// `<pre><code>`.
    CodeBlock,
    InlineCode,
    Emphasis,
    Strong,
    Strikethrough,
    /// An unordered list.
    List,
    /// An ordered list and its first number.
    OrderedList(u64),
    ListItem,
    /// A link to a safe URL (see [`safe_href`]). Images become links too, never `<img>`.
    Link(String),
    LineBreak,
    Rule,
    /// Children without a wrapping element (e.g. the text of a link whose URL was refused).
    Fragment,
}

/// How deep the tree may nest. A comment can nest thousands of block quotes or list items in its
/// 5,000 characters; beyond this depth the elements are flattened and their text kept, so that
/// building, rendering and freeing the tree never recurse deeper than this.
pub const MAX_DEPTH: usize = 16;

/// Parses CommonMark into safe nodes, at most [`MAX_DEPTH`] elements deep.
pub fn parse(source: &str) -> Vec<Node> {
    // (element, children) of every open element; the bottom entry collects the top level.
    let mut stack: Vec<(Element, Vec<Node>)> = vec![(Element::Fragment, Vec::new())];
    // Elements opened beyond MAX_DEPTH: not made, their text goes into the deepest one made.
    let mut flattened = 0usize;
    // The wasm carries no table of HTML entity names (vendor/pulldown-cmark/PATCHES.md): the browser
    // decodes them.
    #[cfg(target_arch = "wasm32")]
    pulldown_cmark::set_entity_decoder(crate::platform::decode_entity);
    for event in Parser::new(source) {
        match event {
            Event::Start(_) if stack.len() > MAX_DEPTH => flattened += 1,
            Event::Start(tag) => stack.push((open(tag), Vec::new())),
            Event::End(end) if flattened > 0 => {
                flattened -= 1;
                // Flattened blocks stay apart.
                if matches!(
                    end,
                    TagEnd::Paragraph | TagEnd::BlockQuote(_) | TagEnd::Item | TagEnd::Heading(_) | TagEnd::CodeBlock
                ) {
                    push(&mut stack, Node::Text("\n".into()));
                }
            }
            Event::End(end) => {
                if stack.len() > 1 {
                    if let Some((element, children)) = stack.pop() {
                        let node = close(element, children, end);
                        push(&mut stack, node);
                    }
                }
            }
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => {
                push(&mut stack, Node::Text(text.into_string()))
            }
            Event::Code(code) => {
                push(&mut stack, Node::Element(Element::InlineCode, vec![Node::Text(code.into_string())]))
            }
            Event::SoftBreak => push(&mut stack, Node::Text("\n".into())),
            Event::HardBreak => push(&mut stack, Node::Element(Element::LineBreak, vec![])),
            Event::Rule => push(&mut stack, Node::Element(Element::Rule, vec![])),
            // Not enabled in the parser options; kept as text should they ever appear.
            Event::FootnoteReference(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                push(&mut stack, Node::Text(text.into_string()))
            }
            Event::TaskListMarker(_) => {}
        }
    }
    // Unbalanced input cannot happen with pulldown-cmark, but fold anything left open anyway.
    while stack.len() > 1 {
        if let Some((element, children)) = stack.pop() {
            push(&mut stack, Node::Element(element, children));
        }
    }
    stack.pop().map(|(_, nodes)| nodes).unwrap_or_default()
}

fn push(stack: &mut [(Element, Vec<Node>)], node: Node) {
    if let Some((_, children)) = stack.last_mut() {
        // Merge neighbouring text so the tree (and the DOM) stays small.
        if let (Node::Text(new), Some(Node::Text(last))) = (&node, children.last_mut()) {
            last.push_str(new);
            return;
        }
        children.push(node);
    }
}

fn open(tag: Tag<'_>) -> Element {
    match tag {
        Tag::Paragraph | Tag::HtmlBlock => Element::Paragraph,
        Tag::Heading { level, .. } => Element::Heading(match level {
            HeadingLevel::H1 => 2,
            HeadingLevel::H2 => 3,
            HeadingLevel::H3 => 4,
            HeadingLevel::H4 => 5,
            HeadingLevel::H5 | HeadingLevel::H6 => 6,
        }),
        Tag::BlockQuote(_) => Element::BlockQuote,
        Tag::CodeBlock(_) => Element::CodeBlock,
        Tag::List(None) => Element::List,
        Tag::List(Some(start)) => Element::OrderedList(start),
        Tag::Item => Element::ListItem,
        Tag::Emphasis => Element::Emphasis,
        Tag::Strong => Element::Strong,
        Tag::Strikethrough => Element::Strikethrough,
        Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
            safe_href(&dest_url).map(Element::Link).unwrap_or(Element::Fragment)
        }
        _ => Element::Fragment,
    }
}

fn close(element: Element, mut children: Vec<Node>, end: TagEnd) -> Node {
    // An image is a link whose text is its alt text (or its URL when there is none).
    if let (TagEnd::Image, Element::Link(href)) = (end, &element) {
        if children.is_empty() {
            children.push(Node::Text(href.clone()));
        }
    }
    Node::Element(element, children)
}

/// The URL itself when it is an absolute `http`, `https` or `mailto` URL; `None` otherwise
/// (`javascript:`, `data:`, relative and protocol-relative URLs).
pub fn safe_href(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let allowed = ["http://", "https://", "mailto:"];
    if allowed.iter().any(|scheme| lower.starts_with(scheme)) && !url.chars().any(char::is_control) {
        Some(url.to_owned())
    } else {
        None
    }
}

/// The text of nodes, without any markup (for accessible names and tests).
pub fn plain_text(nodes: &[Node]) -> String {
    let mut out = String::new();
    fn walk(nodes: &[Node], out: &mut String) {
        for node in nodes {
            match node {
                Node::Text(t) => out.push_str(t),
                Node::Element(_, children) => walk(children, out),
            }
        }
    }
    walk(nodes, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Element::*;

    fn text(s: &str) -> Node {
        Node::Text(s.into())
    }
    fn el(e: Element, children: Vec<Node>) -> Node {
        Node::Element(e, children)
    }

    fn depth(nodes: &[Node]) -> usize {
        nodes
            .iter()
            .map(|n| match n {
                Node::Text(_) => 0,
                Node::Element(_, children) => 1 + depth(children),
            })
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn nesting_bombs_are_flattened_and_their_text_kept() {
        for bomb in [format!("{}deep", "> ".repeat(4_900)), format!("{}deep", "- ".repeat(2_400)), "*".repeat(5000)] {
            let nodes = parse(&bomb);
            assert!(depth(&nodes) <= MAX_DEPTH, "depth {}", depth(&nodes));
            if bomb.ends_with("deep") {
                assert!(plain_text(&nodes).contains("deep"), "the text is kept");
            }
        }
        // Ordinary nesting is untouched.
        let nodes = parse("> > > three quotes deep");
        assert_eq!(depth(&nodes), 4);
    }

    #[test]
    fn paragraphs_and_emphasis() {
        assert_eq!(
            parse("Hello *big* **world**\n\nSecond `code`"),
            vec![
                el(
                    Paragraph,
                    vec![text("Hello "), el(Emphasis, vec![text("big")]), text(" "), el(Strong, vec![text("world")])]
                ),
                el(Paragraph, vec![text("Second "), el(InlineCode, vec![text("code")])]),
            ]
        );
    }

    #[test]
    fn script_tags_and_raw_html_stay_text() {
        let nodes = parse("<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)> there");
        assert_eq!(plain_text(&nodes), "<script>alert(1)</script>\nHi <img src=x onerror=alert(1)> there");
        fn no_links(nodes: &[Node]) -> bool {
            nodes.iter().all(|n| match n {
                Node::Text(_) => true,
                Node::Element(Link(_), _) => false,
                Node::Element(_, c) => no_links(c),
            })
        }
        assert!(no_links(&nodes));
        // The comment body of the end-to-end test, alone: one paragraph of text.
        assert_eq!(
            parse("<img src=x onerror=alert(1)>"),
            vec![el(Paragraph, vec![text("<img src=x onerror=alert(1)>")])]
        );
    }

    #[test]
    fn only_http_https_and_mailto_links() {
        assert_eq!(
            parse("[a](https://example.com/x) [b](mailto:a@b.c) [c](HTTP://EXAMPLE.COM)"),
            vec![el(
                Paragraph,
                vec![
                    el(Link("https://example.com/x".into()), vec![text("a")]),
                    text(" "),
                    el(Link("mailto:a@b.c".into()), vec![text("b")]),
                    text(" "),
                    el(Link("HTTP://EXAMPLE.COM".into()), vec![text("c")]),
                ]
            )]
        );
        for hostile in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x]( javascript:alert(1))",
            "[x](data:text/html,<script>alert(1)</script>)",
            "[x](vbscript:msgbox)",
            "[x](//evil.example)",
            "[x](/relative)",
            "<javascript:alert(1)>",
            "[x](java&#09;script:alert(1))",
        ] {
            let nodes = parse(hostile);
            assert!(!format!("{nodes:?}").contains("Link("), "{hostile} produced a link: {nodes:?}");
        }
    }

    #[test]
    fn images_become_links_never_img() {
        assert_eq!(
            parse("![a cat](https://example.com/cat.png) ![](https://example.com/d.png) ![x](javascript:1)"),
            vec![el(
                Paragraph,
                vec![
                    el(Link("https://example.com/cat.png".into()), vec![text("a cat")]),
                    text(" "),
                    el(Link("https://example.com/d.png".into()), vec![text("https://example.com/d.png")]),
                    text(" "),
                    el(Fragment, vec![text("x")]),
                ]
            )]
        );
    }

    #[test]
    fn blocks() {
        let nodes = parse("# Title\n\n> quote\n\n- a\n- b\n\n3. c\n\n```\nlet x = 1;\n```\n\n---");
        assert_eq!(
            nodes,
            vec![
                el(Heading(2), vec![text("Title")]),
                el(BlockQuote, vec![el(Paragraph, vec![text("quote")])]),
                el(List, vec![el(ListItem, vec![text("a")]), el(ListItem, vec![text("b")])]),
                el(OrderedList(3), vec![el(ListItem, vec![text("c")])]),
                el(CodeBlock, vec![text("let x = 1;\n")]),
                el(Rule, vec![]),
            ]
        );
    }

    #[test]
    fn html_blocks_are_paragraphs_of_text() {
        let nodes = parse("<div onclick=\"x()\">\n<b>hi</b>\n</div>");
        assert_eq!(nodes.len(), 1);
        assert!(matches!(&nodes[0], Node::Element(Paragraph, _)));
        assert_eq!(plain_text(&nodes), "<div onclick=\"x()\">\n<b>hi</b>\n</div>");
    }

    #[test]
    fn hostile_input_never_panics() {
        let nasty =
            ["", "[", "](", "***", "> > > > > > > > > >", "`", "\u{0}", "- [ ] x", "1. \n2.", &"[".repeat(5000)];
        for s in nasty {
            let _ = parse(s);
        }
    }

    #[test]
    fn entities_natively_as_in_the_browser() {
        // The same cases as the browser test `entities_decode_in_the_browser_exactly_as_commonmark_says`:
        // natively the parser's table decodes, in the wasm the browser does; both must agree.
        fn flat(nodes: &[Node]) -> String {
            nodes
                .iter()
                .map(|n| match n {
                    Node::Text(t) => t.clone(),
                    Node::Element(_, children) => flat(children),
                })
                .collect()
        }
        for (source, shown) in [
            ("&ouml; &copy; &AElig; &amp; &CounterClockwiseContourIntegral;", "ö © Æ & ∳"),
            ("a&Tab;b&NewLine;c", "a\tb\nc"),
            ("&semi; &nbsp;", "; \u{a0}"),
            ("&notit; &nosuch; &amp &ampx;", "&notit; &nosuch; &amp &ampx;"),
            ("&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"),
            ("\\&ouml; `&ouml;`", "&ouml; &ouml;"),
        ] {
            assert_eq!(flat(&parse(source)), shown, "{source}");
        }
    }
}
