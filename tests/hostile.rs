//! What a hostile server or commenter can send, as property tests (native; bounded: a few seconds).
//! Each property runs twice: from a fixed seed (the same cases every run, so CI is reproducible)
//! and from a random one (new cases each run; a failure is kept in proptest-regressions/).
//!
//! - The decoder: comment pages of any shape and depth, with bad counts, missing or mistyped fields,
//!   duplicate ids and odd strings, never panic; a well-formed page decodes whole, nested at most
//!   `MAX_REPLY_DEPTH` deep.
//! - Markdown: any text, nesting bombs and 100 KB bodies never panic, stay within `MAX_DEPTH`, never
//!   put a link in a link, and only link to safe URLs.
#![cfg(not(target_arch = "wasm32"))]

use article_widget::api::{CommentPage, MAX_REPLY_DEPTH};
use article_widget::markdown::{parse, safe_href, to_html, Element, Node, MAX_DEPTH};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use serde_json::{json, Value};

fn fixed(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(20_261_127),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn random(cases: u32) -> ProptestConfig {
    ProptestConfig::with_cases(cases)
}

// ---- the decoder -----------------------------------------------------------------------------------

/// A page of one comment tree: a chain `chain` deep whose every level has `fan - 1` more replies,
/// with `mutate`'s faults applied to the comments they pick (in thread order).
fn page_json(chain: usize, fan: usize, mutate: &[(usize, u8)]) -> Value {
    let mut next = 0usize;
    fn comment(id: String, parent: Option<&str>, replies: Vec<Value>) -> Value {
        json!({
            "id": id, "parent_id": parent, "author": { "name": format!("R {id}") }, "body": format!("b {id}"),
            "created_at": "2026-11-20T10:00:00Z", "edited_at": null,
            "reactions": [{ "kind": "like", "count": 1, "reacted": false }],
            "replies": replies, "reply_count": 0
        })
    }
    // Built bottom-up without recursion: a chain whose every level also has `fan - 1` leaves.
    let mut below: Option<Value> = None;
    let mut levels = Vec::new();
    for _ in 0..chain {
        levels.push(next);
        next += fan.max(1);
    }
    for (depth, &first) in levels.iter().enumerate().rev() {
        let parent = if depth == 0 { None } else { Some(format!("c{}", levels[depth - 1])) };
        let mut replies: Vec<Value> = below.take().into_iter().collect();
        for k in 1..fan.max(1) {
            replies.push(comment(format!("c{}", first + k), Some(&format!("c{first}")), vec![]));
        }
        below = Some(comment(format!("c{first}"), parent.as_deref(), replies));
    }
    let mut page = json!({ "comments": below.into_iter().collect::<Vec<_>>(), "next_cursor": null, "total": next });
    // Mutations: (which comment in pre-order, what) applied through a walk.
    for &(target, what) in mutate {
        let mut seen = 0;
        let mut stack: Vec<&mut Value> =
            page["comments"].as_array_mut().map(|a| a.iter_mut().collect()).unwrap_or_default();
        while let Some(c) = stack.pop() {
            if seen == target {
                match what % 8 {
                    0 => c["reactions"][0]["count"] = json!(-5),
                    1 => c["reactions"][0]["count"] = json!(1e300),
                    2 => c["reply_count"] = json!(18_446_744_073_709_551_615u64),
                    3 => c["edited_at"] = Value::Null,
                    4 => c["author"] = json!({ "name": "\u{202e}\u{200b}x", "avatar_url": 5 }),
                    5 => c["id"] = json!(7),
                    6 => c["body"] = json!("> ".repeat(3000)),
                    _ => c["reactions"] = json!([{ "kind": "", "count": "many", "reacted": "yes" }]),
                }
                break;
            }
            seen += 1;
            if let Some(replies) = c.get_mut("replies").and_then(Value::as_array_mut) {
                stack.extend(replies.iter_mut().rev());
            }
        }
    }
    page
}

/// How deep the page's replies nest, and how many comments it holds.
fn depth_and_count(page: &CommentPage) -> (usize, usize) {
    let (mut deepest, mut count) = (0, 0);
    let mut todo: Vec<(&article_widget::api::Comment, usize)> = page.comments.iter().map(|c| (c, 0)).collect();
    while let Some((c, d)) = todo.pop() {
        deepest = deepest.max(d);
        count += 1;
        todo.extend(c.replies.iter().map(|r| (r, d + 1)));
    }
    (deepest, count)
}

fn decodes(chain: usize, fan: usize, mutate: Vec<(usize, u8)>) -> Result<(), TestCaseError> {
    let page = page_json(chain, fan, &mutate);
    let text = page.to_string();
    // Never a panic; a well-formed page (or one with only degradable fields) decodes.
    match contract::json::from_str::<CommentPage>(&text) {
        Ok(decoded) => {
            let (depth, count) = depth_and_count(&decoded);
            prop_assert!(depth <= MAX_REPLY_DEPTH);
            prop_assert_eq!(count, chain * fan.max(1), "every comment sent is kept");
        }
        Err(_) => {
            // Only a wrong type where the contract has no leniency may refuse the page.
            let refusable = mutate.iter().any(|(_, w)| matches!(w % 8, 4 | 5 | 7));
            prop_assert!(refusable, "a page with only lenient faults was refused: {mutate:?}");
        }
    }
    // Cut anywhere, the text is refused or decoded, never a panic.
    for cut in [1, text.len() / 3, text.len() / 2, text.len() - 1] {
        let _ = contract::json::from_str::<CommentPage>(text.get(..cut).unwrap_or(""));
    }
    Ok(())
}

proptest! {
    #![proptest_config(fixed(40))]
    #[test]
    fn the_decoder_survives_any_page_from_a_fixed_seed(
        chain in 1usize..200, fan in 1usize..4, mutate in prop::collection::vec((0usize..400, any::<u8>()), 0..4)
    ) {
        decodes(chain, fan, mutate)?;
    }
}

proptest! {
    #![proptest_config(random(20))]
    #[test]
    fn the_decoder_survives_any_page(
        chain in 1usize..200, fan in 1usize..4, mutate in prop::collection::vec((0usize..400, any::<u8>()), 0..4)
    ) {
        decodes(chain, fan, mutate)?;
    }
}

#[test]
fn arbitrary_json_never_panics_the_decoder() {
    // Deep arrays and objects where comments should be, numbers at the edges, strings with escapes.
    let samples = [
        format!(r#"{{"comments":{}{}, "next_cursor":null,"total":1}}"#, "[".repeat(100_000), "]".repeat(100_000)),
        format!(r#"{{"comments":[],"x":{}{}, "next_cursor":null,"total":1}}"#, "[".repeat(99_999), "]".repeat(99_999)),
        "[".repeat(1_000_000),
        format!(r#"{{"comments":[{}],"next_cursor":null,"total":1}}"#, "{\"a\":".repeat(5_000)),
        r#"{"comments":[],"next_cursor":"\ud800","total":-1e999}"#.to_owned(),
        r#"{"comments":[],"next_cursor":null,"total":18446744073709551616}"#.to_owned(),
        "\u{feff}{}".to_owned(),
        String::new(),
    ];
    for sample in samples {
        let _ = contract::json::from_str::<CommentPage>(&sample);
    }
}

// ---- Markdown ------------------------------------------------------------------------------------

fn markdown_holds(source: &str) -> Result<(), TestCaseError> {
    let nodes = parse(source);
    // Walk without recursion: depth, links in links, unsafe hrefs.
    let mut todo: Vec<(&Node, usize, bool)> = nodes.iter().map(|n| (n, 1, false)).collect();
    while let Some((node, depth, in_link)) = todo.pop() {
        if let Node::Element(element, children) = node {
            prop_assert!(depth <= MAX_DEPTH, "depth {depth}");
            let is_link = matches!(element, Element::Link { .. });
            prop_assert!(!(is_link && in_link), "a link in a link: {source:?}");
            if let Element::Link { href, .. } = element {
                let safe = safe_href(href);
                prop_assert_eq!(safe.as_deref(), Some(href.as_str()));
            }
            todo.extend(children.iter().map(|c| (c, depth + 1, in_link || is_link)));
        }
    }
    let html = to_html(&nodes);
    prop_assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("href=\"javascript"), "{html}");
    Ok(())
}

/// Text made of Markdown's special characters, words and URLs, so that the parser's paths are hit.
fn markdownish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("> ".to_owned()),
        Just("- ".to_owned()),
        Just("1. ".to_owned()),
        Just("* ".to_owned()),
        Just("**".to_owned()),
        Just("_".to_owned()),
        Just("~~".to_owned()),
        Just("`".to_owned()),
        Just("```\n".to_owned()),
        Just("\n".to_owned()),
        Just("\n\n".to_owned()),
        Just("    ".to_owned()),
        Just("[".to_owned()),
        Just("](".to_owned()),
        Just(")".to_owned()),
        Just("![".to_owned()),
        Just("<".to_owned()),
        Just(">".to_owned()),
        Just("&amp;".to_owned()),
        Just("&#x0;".to_owned()),
        Just("| a |".to_owned()),
        Just("|---|".to_owned()),
        Just("[x] ".to_owned()),
        Just("# ".to_owned()),
        Just("https://e.com/".to_owned()),
        Just("www.x.io".to_owned()),
        Just("javascript:alert(1)".to_owned()),
        Just("<script>".to_owned()),
        Just("<me@x.io>".to_owned()),
        Just(" \"t\"".to_owned()),
        "[a-zA-Z0-9 .,:;!?()]{1,8}",
    ];
    prop::collection::vec(piece, 0..300).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(fixed(300))]
    #[test]
    fn markdown_holds_from_a_fixed_seed(source in markdownish()) {
        markdown_holds(&source)?;
    }
}

proptest! {
    #![proptest_config(random(150))]
    #[test]
    fn markdown_holds_for_any_text(source in markdownish()) {
        markdown_holds(&source)?;
    }

    #[test]
    fn markdown_holds_for_any_string(source in "\\PC{0,400}") {
        markdown_holds(&source)?;
    }
}

#[test]
fn nesting_bombs_and_100_kb_bodies() {
    let bombs = [
        "> ".repeat(50_000),
        "- ".repeat(50_000),
        "1. ".repeat(30_000),
        "[".repeat(100_000),
        "*".repeat(100_000),
        "![".repeat(40_000) + &"](https://x.io)".repeat(40_000),
        "<".repeat(100_000),
        "| a ".repeat(20_000) + "|\n" + &"|---".repeat(20_000) + "|\n",
        "www.a.io/".repeat(12_000),
        "&amp;".repeat(20_000),
        // Each of these would take seconds with a scan that restarts at every candidate.
        "xwww.".repeat(40_000),
        "_www.".repeat(40_000),
        "www.a.io/".to_owned() + &")".repeat(200_000),
        "www.a.io/".to_owned() + &".)".repeat(100_000),
        "https://a.io/".to_owned() + &"&a;".repeat(60_000),
    ];
    for bomb in &bombs {
        markdown_holds(bomb).unwrap_or_else(|e| panic!("{}: {e}", &bomb[..20]));
    }
}
