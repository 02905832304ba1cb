//! Safe CommonMark with GitHub's everyday extensions (strikethrough, bare links, tables, task lists):
//! the body of an article or comment becomes a tree of a few known elements, which
//! [`crate::components::Markdown`] builds as DOM. Raw HTML in the source is kept as text, and links
//! and images only ever point at `http`, `https` or `mailto` URLs (others become plain text).
//! [`to_html`] writes the tree out, escaped, for the spec tests (`tests/commonmark.rs`) and servers.
//! The README's "Markdown" section lists where this differs from the spec, and why.

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

/// The CommonMark extensions the widget reads: GFM tables, ~~strikethrough~~ and task lists. The
/// vendored parser compiles no others (vendor/pulldown-cmark/PATCHES.md), which this checks.
const OPTIONS: Options = Options::ENABLE_STRIKETHROUGH.union(Options::ENABLE_TABLES).union(Options::ENABLE_TASKLISTS);
const _: () =
    assert!(OPTIONS.bits() == pulldown_cmark::COMPILED.bits(), "enable an extension in vendor/pulldown-cmark too");

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
    /// `<pre><code>`, with the fence's language (letters, digits, `_`, `+` and `-` only), shown as
    /// `class="language-…"`.
    CodeBlock {
        language: Option<String>,
    },
    InlineCode,
    Emphasis,
    Strong,
    Strikethrough,
    /// An unordered list.
    List,
    /// An ordered list and its first number.
    OrderedList(u64),
    ListItem,
    /// A link to a safe URL (see [`safe_href`]), with its title. Images become links too, never
    /// `<img>`; never a link inside a link.
    Link {
        href: String,
        title: Option<String>,
    },
    LineBreak,
    Rule,
    /// A GFM table: a [`Element::TableHead`] with one row, then a [`Element::TableBody`].
    Table,
    TableHead,
    TableBody,
    TableRow,
    /// A cell: `<th>` in the head, `<td>` in the body, aligned as its column's delimiter says.
    TableCell {
        header: bool,
        align: Option<Align>,
    },
    /// A task list item's box (`- [x] done`): `☑` or `☐` in a `<span class="aw-task">` (text, not a
    /// form field: nothing to label or tab to).
    TaskMarker {
        checked: bool,
    },
    /// Children without a wrapping element (e.g. the text of a link whose URL was refused).
    Fragment,
}

/// A table column's alignment, shown through a class (`aw-align-…`: a strict CSP refuses style
/// attributes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// What links in comments carry: no referrer, no opener and no ranking credit.
pub const LINK_REL: &str = "nofollow ugc noopener noreferrer";

impl Element {
    /// The HTML element it renders as; `None` for a [`Element::Fragment`]. A code block is a `<pre>`
    /// whose children go into a `<code>` with [`Element::code_class`].
    pub fn tag(&self) -> Option<&'static str> {
        Some(match self {
            Element::Paragraph => "p",
            Element::Heading(2) => "h2",
            Element::Heading(3) => "h3",
            Element::Heading(4) => "h4",
            Element::Heading(5) => "h5",
            Element::Heading(_) => "h6",
            Element::BlockQuote => "blockquote",
            Element::CodeBlock { .. } => "pre",
            Element::InlineCode => "code",
            Element::Emphasis => "em",
            Element::Strong => "strong",
            Element::Strikethrough => "del",
            Element::List => "ul",
            Element::OrderedList(_) => "ol",
            Element::ListItem => "li",
            Element::Link { .. } => "a",
            Element::LineBreak => "br",
            Element::Rule => "hr",
            Element::Table => "table",
            Element::TableHead => "thead",
            Element::TableBody => "tbody",
            Element::TableRow => "tr",
            Element::TableCell { header: true, .. } => "th",
            Element::TableCell { header: false, .. } => "td",
            Element::TaskMarker { .. } => "span",
            Element::Fragment => return None,
        })
    }

    /// Its attributes, in order (a link's `href` is safe: see [`safe_href`]).
    pub fn attributes(&self) -> Vec<(&'static str, String)> {
        match self {
            Element::OrderedList(start) if *start != 1 => vec![("start", start.to_string())],
            Element::Link { href, title } => {
                let mut attributes = vec![("href", href.clone())];
                if let Some(title) = title {
                    attributes.push(("title", title.clone()));
                }
                attributes.push(("rel", LINK_REL.to_owned()));
                attributes
            }
            Element::TableCell { align: Some(align), .. } => {
                let class = match align {
                    Align::Left => "aw-align-left",
                    Align::Center => "aw-align-center",
                    Align::Right => "aw-align-right",
                };
                vec![("class", class.to_owned())]
            }
            Element::TaskMarker { .. } => vec![("class", "aw-task".to_owned())],
            _ => Vec::new(),
        }
    }

    /// A code block's `<code>` class: `language-…` when the fence names one.
    pub fn code_class(&self) -> Option<String> {
        match self {
            Element::CodeBlock { language: Some(language) } => Some(format!("language-{language}")),
            _ => None,
        }
    }
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
    // The wasm carries no table of HTML entity names and no Unicode case table
    // (vendor/pulldown-cmark/PATCHES.md): the browser decodes the names and folds link labels.
    #[cfg(target_arch = "wasm32")]
    {
        pulldown_cmark::set_entity_decoder(crate::platform::decode_entity);
        pulldown_cmark::set_case_folder(crate::platform::fold_case);
    }
    // Of those, code blocks: their text is kept apart from bare-link finding.
    let mut flattened_code = 0usize;
    // The table being read: its columns' alignments, the next cell's column, and whether in its head.
    let (mut aligns, mut column, mut in_head) = (Vec::new(), 0, false);
    // Levels a table adds after the fact (its head's row, its body), to count in the depth.
    let mut wrapped = 0usize;
    for event in Parser::new_ext(source, OPTIONS) {
        // The depth an element made now would have. Elements that hold others stop one level short
        // of MAX_DEPTH, leaving that level to leaves (code, breaks, task boxes) and to the fragments
        // that keep flattened code apart.
        let depth = stack.len() + wrapped;
        match event {
            // A table needs three levels below it (head or body, row, cell).
            Event::Start(tag)
                if flattened > 0 || depth >= MAX_DEPTH || (matches!(tag, Tag::Table(_)) && depth + 3 >= MAX_DEPTH) =>
            {
                flattened += 1;
                flattened_code += usize::from(matches!(tag, Tag::CodeBlock(_)));
            }
            Event::Start(tag) => {
                if matches!(tag, Tag::TableHead | Tag::TableRow) {
                    wrapped = 1;
                }
                let element = match tag {
                    Tag::Table(columns) => {
                        aligns = columns;
                        Element::Table
                    }
                    Tag::TableHead | Tag::TableRow => {
                        in_head = matches!(tag, Tag::TableHead);
                        column = 0;
                        if in_head {
                            Element::TableHead
                        } else {
                            Element::TableRow
                        }
                    }
                    Tag::TableCell => {
                        column += 1;
                        let align = match aligns.get(column - 1) {
                            Some(pulldown_cmark::Alignment::Left) => Some(Align::Left),
                            Some(pulldown_cmark::Alignment::Center) => Some(Align::Center),
                            Some(pulldown_cmark::Alignment::Right) => Some(Align::Right),
                            _ => None,
                        };
                        Element::TableCell { header: in_head, align }
                    }
                    tag => open(tag, stack.iter().any(|(e, _)| matches!(e, Element::Link { .. }))),
                };
                stack.push((element, Vec::new()))
            }
            Event::End(end) if flattened > 0 => {
                flattened -= 1;
                if matches!(end, TagEnd::CodeBlock) {
                    flattened_code = flattened_code.saturating_sub(1);
                }
                // Flattened blocks stay apart.
                if matches!(
                    end,
                    TagEnd::Paragraph | TagEnd::BlockQuote(_) | TagEnd::Item | TagEnd::Heading(_) | TagEnd::CodeBlock
                ) {
                    push(&mut stack, Node::Text("\n".into()));
                }
            }
            Event::End(end) => {
                if matches!(end, TagEnd::TableHead | TagEnd::TableRow) {
                    wrapped = 0;
                }
                if stack.len() > 1 {
                    if let Some((element, mut children)) = stack.pop() {
                        // Bare URLs in text become links, but not in code or inside a link.
                        let in_link = stack.iter().any(|(e, _)| matches!(e, Element::Link { .. }));
                        if !in_link
                            && !matches!(
                                element,
                                Element::Link { .. } | Element::CodeBlock { .. } | Element::InlineCode
                            )
                        {
                            children = autolink_children(children);
                        }
                        let node = close(element, children, end);
                        push(&mut stack, node);
                    }
                }
            }
            // Code flattened away is still code: kept apart (a fragment), so no bare link is found in it.
            Event::Text(text) if flattened_code > 0 => {
                push(&mut stack, Node::Element(Element::Fragment, vec![Node::Text(text.into_string())]))
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
            Event::TaskListMarker(checked) => {
                let mark = Node::Text(if checked { "☑" } else { "☐" }.into());
                push(&mut stack, Node::Element(Element::TaskMarker { checked }, vec![mark]));
                push(&mut stack, Node::Text(" ".into()));
            }
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

/// The element `tag` opens; `in_link` when inside a link, where no other link may open.
fn open(tag: Tag<'_>, in_link: bool) -> Element {
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
        Tag::CodeBlock(kind) => Element::CodeBlock { language: code_language(&kind) },
        Tag::List(None) => Element::List,
        Tag::List(Some(start)) => Element::OrderedList(start),
        Tag::Item => Element::ListItem,
        Tag::Emphasis => Element::Emphasis,
        Tag::Strong => Element::Strong,
        Tag::Strikethrough => Element::Strikethrough,
        // A link (or an image, which becomes one) inside a link is its text only.
        Tag::Link { .. } | Tag::Image { .. } if in_link => Element::Fragment,
        // `<foo@bar.example>`: pulldown-cmark gives the address without its scheme.
        Tag::Link { link_type: LinkType::Email, dest_url, title, .. } => link(&format!("mailto:{dest_url}"), &title),
        Tag::Link { dest_url, title, .. } | Tag::Image { dest_url, title, .. } => link(&dest_url, &title),
        _ => Element::Fragment,
    }
}

fn link(url: &str, title: &str) -> Element {
    match safe_href(url) {
        Some(href) => Element::Link { href, title: (!title.is_empty()).then(|| title.to_owned()) },
        None => Element::Fragment,
    }
}

/// A fenced block's language: the info string's first word, if it is made of letters, digits, `_`,
/// `+` and `-` only (it becomes a class name).
fn code_language(kind: &pulldown_cmark::CodeBlockKind<'_>) -> Option<String> {
    let pulldown_cmark::CodeBlockKind::Fenced(info) = kind else { return None };
    let word = info.split_whitespace().next()?;
    let safe = word.len() <= 40 && word.bytes().all(|b| b.is_ascii_alphanumeric() || b"_+-".contains(&b));
    safe.then(|| word.to_owned())
}

fn close(element: Element, mut children: Vec<Node>, end: TagEnd) -> Node {
    // A link must say something: one whose text is empty (an image without alt text, alone or in a
    // link) shows its URL.
    if let Element::Link { href, .. } = &element {
        if plain_text(&children).trim().is_empty() {
            children = vec![Node::Text(href.clone())];
        }
    }
    match end {
        // The head's cells come without a row.
        TagEnd::TableHead => {
            return Node::Element(Element::TableHead, vec![Node::Element(Element::TableRow, children)])
        }
        // The rows after the head go into a body.
        TagEnd::Table => {
            let (head, rows): (Vec<Node>, Vec<Node>) =
                children.into_iter().partition(|n| matches!(n, Node::Element(Element::TableHead, _)));
            let mut table = head;
            if !rows.is_empty() {
                table.push(Node::Element(Element::TableBody, rows));
            }
            return Node::Element(Element::Table, table);
        }
        _ => {}
    }
    Node::Element(element, children)
}

/// `nodes` with bare `http://`, `https://` and `www.` links in their text made links. Text right
/// after a code span or a link does not start at a boundary (its source ends in a backtick or `)`).
fn autolink_children(nodes: Vec<Node>) -> Vec<Node> {
    let mut out: Vec<Node> = Vec::with_capacity(nodes.len());
    for node in nodes {
        match node {
            Node::Text(text) => {
                let after_code_or_link = matches!(
                    out.last(),
                    Some(Node::Element(Element::InlineCode | Element::Link { .. } | Element::Fragment, _))
                );
                out.extend(autolink_from(&text, !after_code_or_link));
            }
            other => out.push(other),
        }
    }
    out
}

/// Text with GFM's extended autolinks (`https://…`, `http://…`, `www.…`) made links: at the start
/// of the text or after white space, `*`, `_`, `~` or `(`; a domain of at least two labels (`www.`
/// counting as one); the rest up to white space, `<` or a control character, less trailing
/// punctuation (`?!.,:*_~'"`), unbalanced `)` and a trailing `&entity;`-like run. One pass over the
/// text, however hostile.
///
/// ## Usage
/// ```
/// use article_widget::markdown::{autolink, Node, Element};
/// let nodes = autolink("see www.example.com/a.");
/// assert_eq!(nodes[0], Node::Text("see ".into()));
/// assert!(matches!(&nodes[1], Node::Element(Element::Link { href, .. }, _) if href == "http://www.example.com/a"));
/// assert_eq!(nodes[2], Node::Text(".".into()));
/// ```
pub fn autolink(text: &str) -> Vec<Node> {
    autolink_from(text, true)
}

/// [`autolink`], where `at_boundary` tells whether the text's start is a boundary.
fn autolink_from(text: &str, at_boundary: bool) -> Vec<Node> {
    const SCHEMES: [&str; 3] = ["https://", "http://", "www."];
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let (mut plain_from, mut i) = (0, 0);
    while i < bytes.len() {
        // Every scheme starts with an ASCII letter, so `i` is a char boundary when it matches.
        let scheme =
            SCHEMES.iter().find(|s| bytes.get(i..i + s.len()).is_some_and(|b| b.eq_ignore_ascii_case(s.as_bytes())));
        let boundary = || match text[..i].chars().next_back() {
            None => at_boundary,
            Some(c) => c.is_whitespace() || "*_~(".contains(c),
        };
        match scheme.filter(|_| boundary()).and_then(|scheme| link_at(text, i, scheme)) {
            Some((end, href)) => {
                if i > plain_from {
                    out.push(Node::Text(text[plain_from..i].to_owned()));
                }
                out.push(Node::Element(Element::Link { href, title: None }, vec![Node::Text(text[i..end].to_owned())]));
                plain_from = end;
                i = end;
            }
            None => i += 1,
        }
    }
    if plain_from < text.len() || out.is_empty() {
        out.push(Node::Text(text[plain_from..].to_owned()));
    }
    out
}

/// The link starting at `text[start..]` with `scheme`: its end and its href.
fn link_at(text: &str, start: usize, scheme: &str) -> Option<(usize, String)> {
    let after_scheme = start + scheme.len();
    let rest = &text[after_scheme..];
    // A domain: labels of letters, digits, `-` and `_` joined by `.`, at most 253 bytes.
    let domain_len = rest
        .char_indices()
        .take_while(|&(i, c)| i < 253 && (c.is_alphanumeric() || "-_.".contains(c)))
        .last()
        .map_or(0, |(i, c)| i + c.len_utf8());
    let domain = rest[..domain_len].trim_end_matches('.');
    let labels: Vec<&str> = domain.split('.').collect();
    let www = scheme.eq_ignore_ascii_case("www.");
    if domain.is_empty()
        || labels.iter().any(|l| l.is_empty())
        || labels.len() + usize::from(www) < 2
        || labels.iter().rev().take(2).any(|l| l.contains('_'))
    {
        return None;
    }
    // The path: up to white space, `<` or a control character.
    let tail = &rest[domain.len()..];
    let path_len = tail.find(|c: char| c.is_whitespace() || c == '<' || c.is_control()).unwrap_or(tail.len());
    let end = start + trim_trailing(&text[start..after_scheme + domain.len() + path_len]);
    if end <= after_scheme {
        return None;
    }
    let shown = &text[start..end];
    let href = if www { format!("http://{shown}") } else { shown.to_owned() };
    safe_href(&href).map(|href| (end, href))
}

/// The length of `link` without GFM's trailing punctuation, unbalanced `)` and `&entity;`; linear.
fn trim_trailing(link: &str) -> usize {
    let (opens, mut closes) = (link.matches('(').count(), link.matches(')').count());
    let mut end = link.len();
    while let Some(last) = link[..end].chars().next_back() {
        if "?!.,:*_~'\"".contains(last) {
            end -= last.len_utf8();
        } else if last == ')' && closes > opens {
            closes -= 1;
            end -= 1;
        } else if last == ';' {
            // `&hl;` at the end is not part of the link.
            let s = &link[..end - 1];
            let name_start = s.trim_end_matches(|c: char| c.is_ascii_alphanumeric()).len();
            if name_start < s.len() && s[..name_start].ends_with('&') {
                end = name_start - 1;
            } else {
                return end;
            }
        } else {
            return end;
        }
    }
    end
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

/// The nodes as HTML, every text and attribute escaped, laid out as CommonMark's reference renderers
/// do (a block element starts on a line of its own). For server rendering and the spec tests; the
/// widget builds the same elements as DOM ([`crate::components::markdown_dom`]).
///
/// ## Usage
/// ```
/// use article_widget::markdown::{parse, to_html};
/// assert_eq!(to_html(&parse("*Hi* <b>")), "<p><em>Hi</em> &lt;b&gt;</p>\n");
/// ```
pub fn to_html(nodes: &[Node]) -> String {
    let mut out = String::new();
    write_html(nodes, &mut out);
    out
}

fn write_html(nodes: &[Node], out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(text) => escape_into(text, out),
            Node::Element(Element::Fragment, children) => write_html(children, out),
            Node::Element(element, children) => {
                let Some(tag) = element.tag() else { continue };
                let block = matches!(
                    tag,
                    "p" | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "blockquote"
                        | "pre"
                        | "ul"
                        | "ol"
                        | "li"
                        | "hr"
                        | "table"
                        | "thead"
                        | "tbody"
                        | "tr"
                );
                if block && !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                out.push('<');
                out.push_str(tag);
                for (name, value) in element.attributes() {
                    out.push_str(&format!(" {name}=\""));
                    if name == "href" {
                        escape_href_into(&value, out);
                    } else {
                        escape_into(&value, out);
                    }
                    out.push('"');
                }
                if matches!(tag, "br" | "hr") {
                    out.push_str(" />\n");
                    continue;
                }
                out.push('>');
                if let Some(class) = element.code_class() {
                    out.push_str(&format!("<code class=\"{class}\">"));
                } else if tag == "pre" {
                    out.push_str("<code>");
                }
                let holds_blocks = matches!(tag, "ul" | "ol" | "blockquote" | "table" | "thead" | "tbody");
                if holds_blocks {
                    out.push('\n');
                }
                write_html(children, out);
                if holds_blocks && !out.ends_with('\n') {
                    out.push('\n');
                }
                if tag == "pre" {
                    out.push_str("</code>");
                }
                out.push_str(&format!("</{tag}>"));
                if block {
                    out.push('\n');
                }
            }
        }
    }
}

/// Text for an element's content or a double-quoted attribute value.
pub(crate) fn escape_into(text: &str, out: &mut String) {
    // The runs between the characters to escape are copied whole.
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"']) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => "&quot;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

/// A URL in an attribute: characters outside URLs' safe set percent-encoded, `&` and `'` escaped.
fn escape_href_into(url: &str, out: &mut String) {
    for b in url.bytes() {
        match b {
            b'&' => out.push_str("&amp;"),
            b'\'' => out.push_str("&#x27;"),
            b if b.is_ascii_alphanumeric() || b"!#$%()*+,-./:;=?@_~".contains(&b) => out.push(char::from(b)),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
}

/// Named character references and what they read as, for the tests of both decoders (the
/// parser's table natively, the browser's in the wasm): they must agree.
#[doc(hidden)]
pub const ENTITY_EXAMPLES: &[(&str, &str)] = &[
    ("&ouml; &copy; &AElig; &amp; &CounterClockwiseContourIntegral;", "ö © Æ & ∳"),
    ("a&Tab;b&NewLine;c", "a\tb\nc"),
    ("&semi; &nbsp;", "; \u{a0}"),
    // Not references: kept as written (`&notit;` is no name, though `&not` is a legacy prefix).
    ("&notit; &nosuch; &amp &ampx;", "&notit; &nosuch; &amp &ampx;"),
    ("&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"),
    ("\\&ouml; `&ouml;`", "&ouml; &ouml;"),
];

/// Reference links whose label matches its definition only across case, as HTML, for the tests of
/// both label folds (unicase natively, the browser's in the wasm): they must agree. From the
/// CommonMark spec (examples 206, 540, 541) and beyond ASCII.
#[doc(hidden)]
pub const LABEL_EXAMPLES: &[(&str, &str)] = &[
    ("[ΑΓΩ]: https://g.example\n\n[αγω]", "<p><a href=\"https://g.example\">αγω</a></p>"),
    ("[ẞ]\n\n[SS]: https://a.example", "<p><a href=\"https://a.example\">ẞ</a></p>"),
    ("[Foo\n  bar]: https://a.example\n\n[Baz][Foo bar]", "<p><a href=\"https://a.example\">Baz</a></p>"),
    ("[ÄÖÜ straße]: https://b.example\n\n[äöü STRASSE]", "<p><a href=\"https://b.example\">äöü STRASSE</a></p>"),
    (
        "[Зима]: https://c.example\n\n[ЗИМА] [зима]",
        "<p><a href=\"https://c.example\">ЗИМА</a> <a href=\"https://c.example\">зима</a></p>",
    ),
    // The Kelvin sign is a capital k; the long s a small s.
    ("[\u{212A}elvin]: https://k.example\n\n[kelvin]", "<p><a href=\"https://k.example\">kelvin</a></p>"),
    ("[ſ]: https://s.example\n\n[S]", "<p><a href=\"https://s.example\">S</a></p>"),
    // No match: different letters, not cases of one.
    ("[ä]: https://d.example\n\n[a]", "<p>[a]</p>"),
];

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
    fn link(href: &str) -> Element {
        Link { href: href.into(), title: None }
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
                Node::Element(Link { .. }, _) => false,
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
                    el(link("https://example.com/x"), vec![text("a")]),
                    text(" "),
                    el(link("mailto:a@b.c"), vec![text("b")]),
                    text(" "),
                    el(link("HTTP://EXAMPLE.COM"), vec![text("c")]),
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
            assert!(!format!("{nodes:?}").contains("Link {"), "{hostile} produced a link: {nodes:?}");
        }
    }

    #[test]
    fn images_become_links_never_img() {
        assert_eq!(
            parse("![a cat](https://example.com/cat.png) ![](https://example.com/d.png) ![x](javascript:1)"),
            vec![el(
                Paragraph,
                vec![
                    el(link("https://example.com/cat.png"), vec![text("a cat")]),
                    text(" "),
                    el(link("https://example.com/d.png"), vec![text("https://example.com/d.png")]),
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
                el(CodeBlock { language: None }, vec![text("let x = 1;\n")]),
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
        // Natively the parser's table decodes; in the wasm the browser does (the browser test
        // `entities_decode_in_the_browser_exactly_as_commonmark_says` runs the same examples).
        for (source, shown) in ENTITY_EXAMPLES {
            assert_eq!(plain_text(&parse(source)), *shown, "{source}");
        }
    }

    #[test]
    fn labels_match_across_case_natively_as_in_the_browser() {
        // Natively unicase folds; in the wasm the browser does (the browser test
        // `link_labels_match_across_case_in_the_browser` runs the same examples).
        for (source, shown) in LABEL_EXAMPLES {
            assert_eq!(html(source).trim_end(), *shown, "{source}");
        }
    }

    fn html(source: &str) -> String {
        to_html(&parse(source)).replace(&format!(" rel=\"{LINK_REL}\""), "")
    }

    #[test]
    fn what_readers_paste_renders_as_on_github() {
        // The issue's comment: a bare link, a mail address, a titled link, a badge, struck text.
        assert_eq!(
            html("See https://example.com/a, <me@example.com>, [t](https://e.com \"Title\"), [![badge](https://x.io/b.png)](https://x.io/badge) and ~~struck~~."),
            "<p>See <a href=\"https://example.com/a\">https://example.com/a</a>, \
             <a href=\"mailto:me@example.com\">me@example.com</a>, \
             <a href=\"https://e.com\" title=\"Title\">t</a>, \
             <a href=\"https://x.io/badge\">badge</a> and <del>struck</del>.</p>\n"
        );
        // Never a link in a link, however it is nested.
        for source in [
            "[a ![b](https://b.io) c](https://a.io)",
            "[![x ![y](https://y.io)](https://x.io)](https://z.io)",
            "[www.x.com](https://a.io)",
        ] {
            assert_eq!(html(source).matches("<a ").count(), 1, "{source}: {}", html(source));
        }
        assert_eq!(html("```rust ignore\nx\n```"), "<pre><code class=\"language-rust\">x\n</code></pre>\n");
        assert_eq!(
            html("```a\"onclick=x\nx\n```"),
            "<pre><code>x\n</code></pre>\n",
            "no class from an unsafe info string"
        );
    }

    #[test]
    fn bare_links_follow_gfm_autolinks() {
        // GitHub's autolink extension examples, and a few edges.
        for (source, linked) in [
            ("www.commonmark.org", Some("www.commonmark.org")),
            ("Visit www.commonmark.org/help for more information.", Some("www.commonmark.org/help")),
            ("Visit www.commonmark.org.", Some("www.commonmark.org")),
            ("Visit www.commonmark.org/a.b.", Some("www.commonmark.org/a.b")),
            ("www.google.com/search?q=Markup+(business)", Some("www.google.com/search?q=Markup+(business)")),
            ("www.google.com/search?q=Markup+(business)))", Some("www.google.com/search?q=Markup+(business)")),
            ("(www.google.com/search?q=Markup+(business))", Some("www.google.com/search?q=Markup+(business)")),
            ("www.google.com/search?q=(business))+ok", Some("www.google.com/search?q=(business))+ok")),
            ("www.google.com/search?q=commonmark&hl=en", Some("www.google.com/search?q=commonmark&hl=en")),
            ("www.google.com/search?q=commonmark&hl;", Some("www.google.com/search?q=commonmark")),
            ("www.commonmark.org/he<lp", Some("www.commonmark.org/he")),
            ("http://commonmark.org", Some("http://commonmark.org")),
            ("HTTPS://Example.COM/x!", Some("HTTPS://Example.COM/x")),
            ("*https://a.io/x*", Some("https://a.io/x")),
            ("foohttps://a.io", None),
            ("https://a_b.io", None),
            ("https://localhost", None),
            ("www.", None),
            ("www.example", Some("www.example")),
            ("`x`www.a.io", None),
            ("*a*www.a.io", Some("www.a.io")),
            ("https://a.io/x\u{1}y", Some("https://a.io/x")),
            ("`https://a.io`", None),
            ("```\nhttps://a.io\n```", None),
        ] {
            let nodes = parse(source);
            let mut links = Vec::new();
            fn collect(nodes: &[Node], out: &mut Vec<(String, String)>) {
                for n in nodes {
                    match n {
                        Node::Element(Link { href, .. }, c) => out.push((href.clone(), plain_text(c))),
                        Node::Element(_, c) => collect(c, out),
                        Node::Text(_) => {}
                    }
                }
            }
            collect(&nodes, &mut links);
            match linked {
                Some(shown) => {
                    assert_eq!(links.len(), 1, "{source}: {nodes:?}");
                    assert_eq!(links[0].1, shown, "{source}");
                    let href = if shown.starts_with("www.") { format!("http://{shown}") } else { shown.to_owned() };
                    assert_eq!(links[0].0, href, "{source}");
                }
                None => assert!(links.is_empty(), "{source}: {links:?}"),
            }
            assert_eq!(
                plain_text(&nodes).replace('\n', ""),
                source.replace(['`', '*', '\n'], ""),
                "{source}: the text is kept"
            );
        }
    }

    #[test]
    fn a_20000_deep_tree_parses_and_drops_on_a_small_stack() {
        // Building, rendering and freeing the tree recurse at most MAX_DEPTH deep; 256 KiB of stack
        // (a quarter of wasm's) is plenty.
        let handle = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(|| {
                for bomb in
                    [format!("{}x", "> ".repeat(20_000)), format!("{}x", "- ".repeat(20_000)), "[".repeat(50_000)]
                {
                    let nodes = parse(&bomb);
                    assert!(depth(&nodes) <= MAX_DEPTH);
                    let _ = to_html(&nodes);
                    drop(nodes);
                }
                // A 100 KB body of everything at once.
                let body = "*a* **b** [c](https://c.io) `d` > e\n- f\n~~g~~ www.h.io &amp; <i>\n\n".repeat(2_000);
                assert!(body.len() > 100_000);
                let _ = to_html(&parse(&body));
            })
            .unwrap();
        handle.join().unwrap();
    }

    #[test]
    fn tables_and_task_lists() {
        assert_eq!(
            html("| a | b |\n|:-|-:|\n| 1 | 2 |\n| 3 | 4 |"),
            "<table>\n<thead>\n<tr><th class=\"aw-align-left\">a</th><th class=\"aw-align-right\">b</th></tr>\n</thead>\n\
             <tbody>\n<tr><td class=\"aw-align-left\">1</td><td class=\"aw-align-right\">2</td></tr>\n\
             <tr><td class=\"aw-align-left\">3</td><td class=\"aw-align-right\">4</td></tr>\n</tbody>\n</table>\n"
        );
        assert_eq!(
            html("- [x] done\n- [ ] to do"),
            "<ul>\n<li><span class=\"aw-task\">☑</span> done</li>\n<li><span class=\"aw-task\">☐</span> to do</li>\n</ul>\n"
        );
        // A table of 20 columns deep in quotes still keeps its text.
        let deep = format!("{}| a |\n{}|---|\n{}| www.x.io |", "> ".repeat(20), "> ".repeat(20), "> ".repeat(20));
        assert!(plain_text(&parse(&deep)).contains("www.x.io"));
    }

    #[test]
    fn leaves_tables_and_code_stay_within_the_depth_bound() {
        for source in [
            format!("{}`x` and a  \nbreak", "> ".repeat(15)),
            format!("{}---", "> ".repeat(16)),
            format!("{}- [x] task", "> ".repeat(15)),
            format!("{}| a |\n{}|---|\n{}| *b* |", "> ".repeat(13), "> ".repeat(13), "> ".repeat(13)),
        ] {
            let nodes = parse(&source);
            assert!(depth(&nodes) <= MAX_DEPTH, "{} deep: {source:?}", depth(&nodes));
        }
        // Code flattened past the bound is still code: no bare link in it.
        let nodes = parse(&format!("{}    https://x.io", "> ".repeat(17)));
        assert!(plain_text(&nodes).contains("https://x.io"));
        assert!(!to_html(&nodes).contains("<a "), "{}", to_html(&nodes));
    }

    #[test]
    fn a_badge_without_alt_text_is_a_link_that_says_where_it_goes() {
        assert_eq!(
            html("[![](https://ci.io/b.svg)](https://ci.io)"),
            "<p><a href=\"https://ci.io\">https://ci.io</a></p>\n"
        );
        assert_eq!(html("![](https://x.io/p.png)"), "<p><a href=\"https://x.io/p.png\">https://x.io/p.png</a></p>\n");
    }
}
