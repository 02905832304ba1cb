//! The widget's side of the DOM builder (`build.js`): what it shows a great many of, written as one
//! JSON string and built in one call. Bodies come from the safe Markdown tree ([`crate::markdown`]),
//! which stays the security boundary; `build.js` only has allowlists of its own as a second lock.

use std::fmt::Write;

use wasm_bindgen::prelude::*;

use crate::markdown::{Element, Node};
use contract::json::push_string;

// `catch`: were build.js to throw, the exception becomes an `Err` here instead of unwinding through
// the wasm (which would skip Rust's cleanup and leave its state half-changed).
#[wasm_bindgen(module = "/src/components/build.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = appendNodes)]
    fn append_nodes(el: &web_sys::Element, json: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = addToggle)]
    fn add_toggle_js(actions: &web_sys::Element, controls: &str) -> Result<web_sys::Element, JsValue>;
    #[wasm_bindgen(catch, js_name = fillCard)]
    fn fill_card_js(card: &web_sys::Element, json: &str, date_format: &JsValue) -> Result<web_sys::Element, JsValue>;
}

/// Appends `nodes` to `el`.
pub(super) fn append_markdown_nodes(el: &web_sys::Element, nodes: &[Node]) {
    let mut json = String::with_capacity(256);
    write_nodes(&mut json, nodes);
    let _ = append_nodes(el, &json);
}

/// A comment card's `<article>`: a copy of `card` filled in as `spec` (a JSON object, see
/// `fillCard` in `build.js`) says, its time's title written with `date_format` (an
/// `Intl.DateTimeFormat`, or `null`); `None` when it could not be made.
pub(super) fn fill_card(card: &web_sys::Element, spec: &str, date_format: &JsValue) -> Option<web_sys::Element> {
    fill_card_js(card, spec, date_format).ok()
}

/// Adds a card's replies toggle, controlling the list `controls`, to its `actions` (before Report),
/// and returns it; its text and `aria-expanded` are the caller's.
pub(super) fn add_toggle(actions: &web_sys::Element, controls: &str) -> Option<web_sys::Element> {
    add_toggle_js(actions, controls).ok()
}

/// A JSON object written field by field: `{"name":value,…}`.
pub(super) struct JsonObject(String);

impl JsonObject {
    pub(super) fn new() -> JsonObject {
        let mut out = String::with_capacity(512);
        out.push('{');
        JsonObject(out)
    }

    fn key(&mut self, name: &str) -> &mut String {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        push_string(&mut self.0, name);
        self.0.push(':');
        &mut self.0
    }

    pub(super) fn str(&mut self, name: &str, value: Option<&str>) {
        let out = self.key(name);
        match value {
            Some(value) => push_string(out, value),
            None => out.push_str("null"),
        }
    }

    pub(super) fn int(&mut self, name: &str, value: Option<i64>) {
        let out = self.key(name);
        match value {
            Some(value) => {
                let _ = write!(out, "{value}");
            }
            None => out.push_str("null"),
        }
    }

    pub(super) fn bool(&mut self, name: &str, value: bool) {
        self.key(name).push_str(if value { "true" } else { "false" });
    }

    pub(super) fn nodes(&mut self, name: &str, nodes: &[Node]) {
        write_nodes(self.key(name), nodes);
    }

    /// An array of `[string, string, bool]` rows.
    pub(super) fn rows(&mut self, name: &str, rows: impl Iterator<Item = (String, String, bool)>) {
        let out = self.key(name);
        out.push('[');
        for (i, (a, b, flag)) in rows.enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('[');
            push_string(out, &a);
            out.push(',');
            push_string(out, &b);
            out.push_str(if flag { ",true]" } else { ",false]" });
        }
        out.push(']');
    }

    pub(super) fn finish(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

/// `nodes` as the JSON `build.js` reads: a text is a string, an element `[tag, [[name, value]…],
/// …children]`; a fragment's children stand in its place.
pub(crate) fn write_nodes(out: &mut String, nodes: &[Node]) {
    out.push('[');
    let mut first = true;
    write_children(out, nodes, &mut first);
    out.push(']');
}

fn write_children(out: &mut String, nodes: &[Node], first: &mut bool) {
    for node in nodes {
        if let Node::Element(Element::Fragment, children) = node {
            write_children(out, children, first);
            continue;
        }
        if !std::mem::take(first) {
            out.push(',');
        }
        match node {
            Node::Text(text) => push_string(out, text),
            Node::Element(element, children) => write_element(out, element, children),
        }
    }
}

fn write_element(out: &mut String, element: &Element, children: &[Node]) {
    let Some(tag) = element.tag() else { return out.push_str("[]") };
    out.push('[');
    push_string(out, tag);
    out.push_str(",[");
    for (i, (name, value)) in element.attributes().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        push_string(out, name);
        out.push(',');
        push_string(out, value);
        out.push(']');
    }
    out.push(']');
    if let Element::CodeBlock { .. } = element {
        // <pre><code class="language-…">…</code></pre>
        out.push_str(",[\"code\",[");
        if let Some(class) = element.code_class() {
            out.push_str("[\"class\",");
            push_string(out, &class);
            out.push(']');
        }
        out.push(']');
        write_tail(out, children);
        out.push(']');
    } else {
        write_tail(out, children);
    }
    out.push(']');
}

/// `,child,child…`: an element's children after its tag and attributes.
fn write_tail(out: &mut String, children: &[Node]) {
    let mut first = false;
    write_children(out, children, &mut first);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::parse;

    fn json(source: &str) -> String {
        let mut out = String::new();
        write_nodes(&mut out, &parse(source));
        out
    }

    #[test]
    fn bodies_become_the_json_build_js_reads() {
        assert_eq!(json("Hi *there*"), r#"[["p",[],"Hi ",["em",[],"there"]]]"#);
        assert_eq!(
            json("[a](https://x.org \"t\")"),
            r#"[["p",[],["a",[["href","https://x.org"],["title","t"],["rel","nofollow ugc noopener noreferrer"]],"a"]]]"#
        );
        assert_eq!(json("```rust\nfn\n```"), r#"[["pre",[],["code",[["class","language-rust"]],"fn\n"]]]"#);
        assert_eq!(json("```\nx\n```"), r#"[["pre",[],["code",[],"x\n"]]]"#);
        assert_eq!(json(""), "[]");
    }

    #[test]
    fn a_card_spec_is_one_json_object() {
        let mut spec = JsonObject::new();
        spec.str("author", Some("Ada \"A\""));
        spec.str("edited", None);
        spec.bool("replying", true);
        spec.nodes("body", &parse("*x*"));
        spec.rows("bar", [("3".to_owned(), "Like, 3".to_owned(), false)].into_iter());
        let spec = spec.finish();
        let back: serde_json::Value = serde_json::from_str(&spec).expect("valid JSON");
        assert_eq!(
            back,
            serde_json::json!({"author": "Ada \"A\"", "edited": null, "replying": true,
                "body": [["p", [], ["em", [], "x"]]], "bar": [["3", "Like, 3", false]]})
        );
    }

    // (Strings are written by `contract::json::push_string`, tested there against serde_json.)
}
