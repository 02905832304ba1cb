//! The CommonMark 0.31.2 spec suite (tests/commonmark/spec.txt, CC-BY-SA 4.0, from npm
//! `commonmark-spec`), run through `markdown::parse` and written out with `markdown::to_html`.
//!
//! The widget differs from the spec on purpose in a few ways (README, "Markdown"); every example that
//! differs is listed in tests/commonmark/differences.txt with its reason, and what the widget renders
//! for it is kept in tests/commonmark/ours.json. This test fails on any other difference, on a listed
//! example that now passes or whose reason no longer fits, and on any change to the listed outputs,
//! so the list stays true and the differences stay the intended ones.
//! `BLESS=1 cargo test --test commonmark` rewrites both files (then read the diff).

use std::collections::BTreeMap;

use article_widget::markdown::{parse, to_html, LINK_REL};

const SPEC: &str = include_str!("commonmark/spec.txt");
const DIFFERENCES: &str = "tests/commonmark/differences.txt";
const OURS: &str = "tests/commonmark/ours.json";

struct Example {
    number: usize,
    markdown: String,
    html: String,
}

/// The examples, as commonmark.js's `extractSpecTests` reads them (`→` stands for a tab).
fn examples() -> Vec<Example> {
    let fence = "`".repeat(32);
    let mut out = Vec::new();
    let mut lines = SPEC.lines();
    while let Some(line) = lines.next() {
        if line == "<!-- END TESTS -->" {
            break;
        }
        if line != format!("{fence} example") {
            continue;
        }
        let (mut markdown, mut html, mut in_html) = (String::new(), String::new(), false);
        for line in lines.by_ref() {
            if line == fence {
                break;
            }
            if line == "." && !in_html {
                in_html = true;
                continue;
            }
            let target = if in_html { &mut html } else { &mut markdown };
            target.push_str(&line.replace('→', "\t"));
            target.push('\n');
        }
        out.push(Example { number: out.len() + 1, markdown, html });
    }
    out
}

/// Why an example differs, from what the spec's HTML holds (used to write the list).
fn reason(example: &Example) -> &'static str {
    let html = &example.html;
    let ours = [
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "code",
        "em",
        "strong",
        "ul",
        "ol",
        "li",
        "a",
        "br",
        "hr",
    ];
    let foreign_tag = html.match_indices('<').any(|(i, _)| {
        let name: String =
            html[i + 1..].trim_start_matches('/').chars().take_while(char::is_ascii_alphanumeric).collect();
        !ours.contains(&name.as_str())
    });
    let relative = html.match_indices("href=\"").any(|(i, m)| {
        let url = &html[i + m.len()..];
        !["http:", "https:", "mailto:"].iter().any(|s| url.to_ascii_lowercase().starts_with(s))
    });
    let md = &example.markdown;
    let raw_tag = md.match_indices('<').any(|(i, _)| {
        let rest = &md[i + 1..];
        let name: String =
            rest.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        rest.starts_with(['!', '?'])
            || (name.starts_with(|c: char| c.is_ascii_alphabetic())
                && rest.trim_start_matches('/')[name.len()..].starts_with([' ', '\n', '\t', '/', '>']))
    });
    let info = md.lines().next().map(|l| l.trim_start_matches(['`', '~']).trim()).unwrap_or("");
    if html.contains("<img") {
        "image"
    } else if foreign_tag || raw_tag {
        "raw-html"
    } else if relative {
        "relative-link"
    } else if ["<h1", "<h2", "<h3", "<h4", "<h5", "<h6"].iter().any(|h| html.contains(h)) {
        "heading-level"
    } else if html.contains("<code class=\"language-")
        && !info.bytes().all(|b| b.is_ascii_alphanumeric() || b"_+-".contains(&b))
    {
        "code-language"
    } else if !html.contains("<a ") && (md.contains("http://") || md.contains("https://") || md.contains("www.")) {
        "gfm-autolink"
    } else {
        "unexplained"
    }
}

#[test]
fn the_commonmark_spec_passes_but_for_the_listed_differences() {
    let examples = examples();
    assert_eq!(examples.len(), 652, "the spec's examples");
    let rel = format!(" rel=\"{LINK_REL}\"");
    let differing: BTreeMap<usize, &Example> = examples
        .iter()
        .filter(|e| to_html(&parse(&e.markdown)).replace(&rel, "") != e.html)
        .map(|e| (e.number, e))
        .collect();
    println!("{} of {} spec examples pass", examples.len() - differing.len(), examples.len());

    let ours = |e: &Example| to_html(&parse(&e.markdown)).replace(&rel, "");
    if std::env::var_os("BLESS").is_some() {
        let mut list = String::from(include_str!("commonmark/differences-header.txt"));
        for (number, example) in &differing {
            list.push_str(&format!("{number} {}\n", reason(example)));
        }
        std::fs::write(DIFFERENCES, list).expect("write the list");
        let outputs: BTreeMap<String, String> = differing.iter().map(|(n, e)| (n.to_string(), ours(e))).collect();
        std::fs::write(OURS, serde_json::to_string_pretty(&outputs).expect("json") + "\n").expect("write ours.json");
    }
    let kept: BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(OURS).expect("ours.json")).expect("ours.json is JSON");

    let listed: BTreeMap<usize, String> = std::fs::read_to_string(DIFFERENCES)
        .expect("the list of differences")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let (number, reason) = l.split_once(' ')?;
            Some((number.parse().ok()?, reason.trim().to_owned()))
        })
        .collect();
    let mut problems = Vec::new();
    for (number, example) in &differing {
        if !listed.contains_key(number) {
            let ours = to_html(&parse(&example.markdown)).replace(&rel, "");
            problems.push(format!(
                "example {number} differs and is not listed:\n{}--- spec\n{}--- ours\n{ours}",
                example.markdown, example.html
            ));
        }
    }
    for (number, reason) in &listed {
        if reason == "unexplained" {
            problems.push(format!("example {number} is listed without a reason"));
        }
        if let Some(example) = differing.get(number) {
            let now = self::reason(example);
            if now != reason {
                problems.push(format!("example {number} is listed as {reason} but now reads as {now}"));
            }
            let output = ours(example);
            if kept.get(&number.to_string()) != Some(&output) {
                problems.push(format!(
                    "example {number} ({reason}) renders differently from ours.json:\n{}--- kept\n{}--- now\n{output}",
                    example.markdown,
                    kept.get(&number.to_string()).map_or("(none)", String::as_str)
                ));
            }
        }
        if !differing.contains_key(number) {
            problems.push(format!("example {number} is listed ({reason}) but passes now: take it off the list"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
