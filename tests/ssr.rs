//! Every public component rendered to HTML natively, as a server would, as first shown: before any
//! data arrives (requests and timers run only in the browser), and without what the browser builds
//! as plain DOM (the article, its reaction bar, the thread: their boxes render empty; the widget
//! given its data is shown at once in the browser: e2e/ssr.test.mjs). A page rendered on a server shows
//! `article_widget::ssr::render`'s HTML instead, which writes them whole (tested in `src/ssr.rs`).
//! A browser-only call made while rendering (js_sys, web_sys, storage, timers) fails here, not in a
//! server. `cargo test --no-default-features --features ssr --test ssr` (in `scripts/test.sh native`).
#![cfg(feature = "ssr")]
#![recursion_limit = "256"]

use article_widget::api::{ApiClient, Article, Reaction};
use article_widget::components::{
    ArticleView, ArticleWidget, CommentList, CommentThread, CommentView, Composer, DateTime, ErrorNotice, Markdown,
    Placeholder, ReactionBar, RelativeTime,
};
use article_widget::config::WidgetConfig;
use leptos::prelude::*;

fn article() -> Article {
    contract::json::from_str(&serde_json::json!({
        "id": "a1", "title": "Headline <b>not bold</b>", "subtitle": "Sub", "author": {"name": "Ada", "url": "https://ada.example"},
        "published_at": "2026-11-20T10:00:00Z", "updated_at": null, "body": "Hello *world*",
        "tags": ["news"], "reactions": [{"kind": "like", "count": 8, "reacted": false}], "reactions_exclusive": true,
        "comment_count": 0
    }).to_string())
    .expect("an article")
}

/// `view` as HTML, rendered under an owner of its own.
fn html<V: IntoView + 'static>(view: impl FnOnce() -> V) -> String {
    let owner = Owner::new();
    owner.with(|| view().into_view().to_html())
}

#[test]
fn an_article_renders_nothing_on_a_server() {
    let a = article();
    // Plain DOM, made in the browser (text there: tests/browser.rs, a_hostile_article_renders_as_text).
    let out = html(move || view! { <ArticleView article=a /> });
    assert!(!out.contains("Headline") && !out.contains("<header"), "{out}");
}

#[test]
fn a_reaction_bar_renders_its_group() {
    let likes = vec![Reaction { kind: "like".into(), count: 8, reacted: false }];
    let out = html(move || view! { <ReactionBar api=ApiClient::new("/api") article_id="a1" reactions=likes /> });
    // Its buttons are plain DOM, made in the browser.
    assert!(out.contains("class=\"aw-reactions\"") && out.contains("role=\"group\""), "{out}");
}

#[test]
fn the_small_parts_render() {
    let out = html(|| view! { <Markdown source="*x*" class="aw-prose" /> });
    assert!(out.contains("class=\"aw-prose\""), "{out}");
    // Plain DOM: an empty box here.
    let out = html(|| view! { <Placeholder label="Loading" /> });
    assert!(out.starts_with("<div") && !out.contains("Loading"), "{out}");
    let out = html(|| view! { <ErrorNotice message="Nope" on_retry=|_| {} /> });
    assert!(out.starts_with("<div") && !out.contains("Nope"), "{out}");
    let out = html(|| view! { <DateTime iso="2026-11-20T10:00:00Z" /> });
    assert!(out.contains("<time datetime=\"2026-11-20T10:00:00Z\""), "{out}");
    let out = html(|| view! { <RelativeTime iso="2026-11-20T10:00:00Z" /> });
    assert!(out.contains("<time datetime=\"2026-11-20T10:00:00Z\""), "{out}");
}

#[test]
fn a_thread_renders_its_section() {
    let out = html(|| view! { <CommentThread api=ApiClient::new("/api") article_id="a1" /> });
    // Its frame, list and form are plain DOM, made in the browser.
    assert!(out.starts_with("<section") && !out.contains("Sort by"), "{out}");
}

#[test]
fn the_thread_parts_render_nothing_outside_a_thread() {
    for out in [
        html(|| view! { <Composer /> }),
        html(|| view! { <CommentList parent=None /> }),
        html(|| view! { <CommentView id="1" /> }),
    ] {
        assert!(!out.contains('<') || out.starts_with("<!"), "{out}");
    }
}

#[test]
fn a_widget_renders_its_parts() {
    let out = html(|| view! { <ArticleWidget config=WidgetConfig::new("/api", "a1") /> });
    assert!(out.contains("class=\"aw-widget\"") && out.contains("<article class=\"aw-article\"></article>"), "{out}");
    assert!(out.contains("class=\"aw-thread\"") && out.contains("<section></section>"), "{out}");
}

#[test]
fn without_its_catalogues_a_language_is_english_until_its_file_is_added() {
    // This layer builds without the `catalogues` feature, as the embed bundle does.
    use article_widget::i18n::{add_catalogue, missing_catalogue, Msg, Strings};
    let built_in = cfg!(feature = "catalogues");
    assert_eq!(Strings::new(Some("fr-CA"), Default::default()).language(), if built_in { "fr" } else { "en" });
    assert_eq!(missing_catalogue(Some("fr-CA")).is_some(), !built_in);
    assert!(add_catalogue("fr", include_str!("../src/i18n/fr.json")));
    let french = Strings::new(Some("fr-CA"), Default::default());
    assert_eq!((french.language(), french.get(Msg::Retry).as_str()), ("fr", "Réessayer"));
    assert_eq!(missing_catalogue(Some("fr")), None);
}
