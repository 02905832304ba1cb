//! Component tests in headless Chromium (wasm-bindgen-test). The real API client runs against a
//! stubbed `fetch`, so every state — slow, failing, malformed, hostile — is reachable on demand.
//! Run with `make test-browser`.

#![cfg(target_arch = "wasm32")]

#[path = "support/browser.rs"]
mod support;

use article_widget::api::{ApiClient, Article, Reaction, Sort};
use article_widget::components::{ArticleView, ArticleWidget, CommentThread, ReactionBar};
use article_widget::config::WidgetConfig;
use leptos::prelude::*;
use serde_json::{json, Value};
use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ID: &str = "openai-microsoft-aws";

fn article(id: &str, likes: u64, liked: bool) -> Value {
    json!({
        "id": id,
        "title": format!("Title of {id}"),
        "subtitle": "A subtitle",
        "author": { "name": "Newsroom", "url": "javascript:alert(1)", "avatar_url": null },
        "published_at": "2026-11-20T09:30:00Z",
        "updated_at": null,
        "body": "First *paragraph*.\n\nSecond with [a link](https://example.com) and [bad](javascript:alert(1)).",
        "tags": ["AI", "Cloud"],
        "reactions": [
            { "kind": "like", "count": likes, "reacted": liked },
            { "kind": "dislike", "count": 0, "reacted": false }
        ],
        "reactions_exclusive": true,
        "comment_count": 0
    })
}

fn comment(id: &str, body: &str) -> Value {
    json!({
        "id": id, "parent_id": null, "author": { "name": format!("Author {id}") }, "body": body,
        "created_at": "2026-11-20T10:00:00Z", "edited_at": null,
        "reactions": [{ "kind": "like", "count": 0, "reacted": false }], "replies": [], "reply_count": 0
    })
}

fn page(comments: Vec<Value>, next: Option<&str>, total: u64) -> Value {
    json!({ "comments": comments, "next_cursor": next, "total": total })
}

fn reactions(likes: u64, liked: bool, dislikes: u64, disliked: bool) -> Value {
    json!({ "reactions": [
        { "kind": "like", "count": likes, "reacted": liked },
        { "kind": "dislike", "count": dislikes, "reacted": disliked }
    ]})
}

/// A well-behaved API for the seed article with no comments.
fn happy(call: &Call) -> Reply {
    let path = call.path();
    if path.ends_with("/comments") && call.method == "GET" {
        json(200, page(vec![], None, 0))
    } else if call.method == "GET" {
        json(200, article(ID, 8, false))
    } else {
        json(500, json!({ "error": { "code": "x", "message": "unexpected" } }))
    }
}

fn widget(stub: &FetchStub) -> Mounted {
    let config = WidgetConfig::new(stub.base(), ID);
    mount(move || view! { <ArticleWidget config /> })
}

#[wasm_bindgen_test]
async fn renders_the_article_reactions_and_an_empty_thread() {
    let stub = FetchStub::install(happy);
    let w = widget(&stub);
    let h1 = w.wait_for("h1.aw-title").await;
    assert_eq!(h1.text_content().unwrap(), format!("Title of {ID}"));
    assert_eq!(w.get(".aw-subtitle").text_content().unwrap(), "A subtitle");
    let time = w.get(".aw-byline time");
    assert_eq!(time.get_attribute("datetime").unwrap(), "2026-11-20T09:30:00Z");
    assert!(time.text_content().unwrap().contains("2026"));
    // The author's javascript: URL is not a link.
    assert!(w.find(".aw-byline a").is_none());
    assert_eq!(w.all(".aw-tag").len(), 2);
    assert_eq!(w.get(".aw-article-body em").text_content().unwrap(), "paragraph");
    let links = w.all(".aw-article-body a");
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].get_attribute("href").unwrap(), "https://example.com");

    let like = w.get(".aw-reaction[data-kind=like]");
    assert_eq!(like.tag_name(), "BUTTON");
    assert_eq!(like.get_attribute("aria-pressed").unwrap(), "false");
    assert_eq!(like.get_attribute("aria-label").unwrap(), "Like, 8 reactions");
    assert_eq!(like.text_content().unwrap(), "👍8");
    assert_eq!(w.get(".aw-reaction[data-kind=dislike]").get_attribute("aria-label").unwrap(), "Dislike, 0 reactions");

    w.wait_for_text("Comments (0)").await;
    w.wait_for_text("Be the first to comment!").await;
    assert!(w.find("label[for]").is_some());
    assert_eq!(w.get("button[type=submit]").text_content().unwrap(), "Post comment");
    // Every request names this browser's viewer.
    assert!(stub.calls().iter().all(|c| c.header("x-viewer-id").is_some_and(|v| v.len() >= 8)));
}

#[wasm_bindgen_test]
async fn an_article_error_is_shown_with_a_retry_that_works() {
    let stub = FetchStub::install(|call| {
        if call.path().ends_with("/comments") {
            json(200, page(vec![], None, 0))
        } else {
            json(502, json!({"error": {"code": "bad_gateway", "message": "upstream died"}}))
        }
    });
    let w = widget(&stub);
    let alert = w.wait_for(".aw-article [role=alert]").await;
    assert!(
        alert.text_content().unwrap().contains("Could not load the article: the server answered 502"),
        "{}",
        alert.text_content().unwrap()
    );
    stub.answer(happy);
    w.click(".aw-article [role=alert] button");
    w.wait_for("h1.aw-title").await;
    assert!(w.find(".aw-article [role=alert]").is_none());
}

#[wasm_bindgen_test]
async fn malformed_and_unreachable_answers_say_what_went_wrong() {
    let stub = FetchStub::install(|call| {
        if call.path().ends_with("/comments") {
            Reply::NetworkError
        } else {
            json(200, json!({ "id": ID, "title": 42 }))
        }
    });
    let w = widget(&stub);
    w.wait_for_text("Could not load the article: the server's answer was not in the expected format").await;
    w.wait_for_text("Could not load comments: the server could not be reached").await;
    assert_eq!(w.all("[role=alert] button").len(), 2, "both errors offer a Retry");
    // The composer is still there: the reader can write while the thread is down.
    assert!(w.find("textarea").is_some());
}

#[wasm_bindgen_test]
async fn a_slow_server_times_out_with_a_message() {
    let stub = FetchStub::install(|_| late(2_000, json(200, page(vec![], None, 0))));
    let api = ApiClient::new(stub.base()).with_timeout_ms(50);
    let w = mount(move || view! { <CommentThread api article_id=ID /> });
    w.wait_for_text("Could not load comments: the server did not answer in time").await;
}

#[wasm_bindgen_test]
async fn a_reaction_shows_at_once_then_the_server_answer() {
    let stub = FetchStub::install(|call| match call.method.as_str() {
        "PUT" => late(300, json(200, reactions(12, true, 0, false))),
        _ => happy(call),
    });
    let w = widget(&stub);
    let like = w.wait_for(".aw-reaction[data-kind=like]").await;
    like.click();
    settle().await;
    // Before any answer (the stub answers after 300 ms).
    assert_eq!(like.get_attribute("aria-pressed").unwrap(), "true");
    assert_eq!(like.get_attribute("aria-label").unwrap(), "Like, 9 reactions");
    assert_eq!(stub.calls_to("PUT", "/reactions/like").len(), 1);
    // The server's count (someone else liked meanwhile) replaces the guess.
    w.wait_for_text("👍12").await;
    assert_eq!(like.get_attribute("aria-pressed").unwrap(), "true");
}

#[wasm_bindgen_test]
async fn a_failed_reaction_rolls_back_and_alerts() {
    let stub = FetchStub::install(|call| match call.method.as_str() {
        "PUT" => late(50, json(500, json!({"error": {"code": "internal", "message": "db down"}}))),
        _ => happy(call),
    });
    let w = widget(&stub);
    let like = w.wait_for(".aw-reaction[data-kind=like]").await;
    like.click();
    settle().await;
    assert_eq!(like.get_attribute("aria-pressed").unwrap(), "true");
    let alert = w.wait_for(".aw-reactions [role=alert]").await;
    assert_eq!(alert.text_content().unwrap(), "Could not save your reaction: the server answered 500.");
    assert_eq!(like.get_attribute("aria-pressed").unwrap(), "false");
    assert_eq!(like.get_attribute("aria-label").unwrap(), "Like, 8 reactions");
}

#[wasm_bindgen_test]
async fn rapid_clicks_end_on_the_last_wish_and_an_exclusive_switch_moves_the_reaction() {
    // A tiny server: applies each request, answers late.
    let state = std::rc::Rc::new(std::cell::RefCell::new((8u64, false, 0u64, false)));
    let s = state.clone();
    let stub = FetchStub::install(move |call| {
        let path = call.path();
        let mut st = s.borrow_mut();
        let on = call.method == "PUT";
        if path.ends_with("/reactions/like") && call.method != "GET" {
            if on && !st.1 {
                st.0 += 1;
                st.1 = true;
                if st.3 {
                    st.2 -= 1;
                    st.3 = false;
                }
            }
            if !on && st.1 {
                st.0 -= 1;
                st.1 = false;
            }
        } else if path.ends_with("/reactions/dislike") && call.method != "GET" {
            if on && !st.3 {
                st.2 += 1;
                st.3 = true;
                if st.1 {
                    st.0 -= 1;
                    st.1 = false;
                }
            }
            if !on && st.3 {
                st.2 -= 1;
                st.3 = false;
            }
        } else {
            return happy(call);
        }
        late(30, json(200, reactions(st.0, st.1, st.2, st.3)))
    });
    let w = widget(&stub);
    let like = w.wait_for(".aw-reaction[data-kind=like]").await;
    for _ in 0..7 {
        like.click();
    }
    settle().await;
    assert_eq!(like.get_attribute("aria-pressed").unwrap(), "true");
    for _ in 0..100 {
        if !stub.calls().is_empty() && state.borrow().1 && w.text().contains("👍9") {
            break;
        }
        sleep(20).await;
    }
    sleep(200).await;
    assert_eq!(*state.borrow(), (9, true, 0, false), "the server ends on the last click");
    assert!(
        stub.calls_to("PUT", "/reactions/like").len() + stub.calls_to("DELETE", "/reactions/like").len() < 7,
        "clicks are coalesced"
    );
    assert_eq!(like.get_attribute("aria-label").unwrap(), "Like, 9 reactions");

    // Dislike while liked: both counts move at once.
    let dislike = w.get(".aw-reaction[data-kind=dislike]");
    dislike.click();
    settle().await;
    assert_eq!(like.get_attribute("aria-pressed").unwrap(), "false");
    assert_eq!(dislike.get_attribute("aria-pressed").unwrap(), "true");
    assert_eq!(like.get_attribute("aria-label").unwrap(), "Like, 8 reactions");
    assert_eq!(dislike.get_attribute("aria-label").unwrap(), "Dislike, 1 reaction");
    sleep(150).await;
    assert_eq!(*state.borrow(), (8, false, 1, true));
}

#[wasm_bindgen_test]
async fn comment_reactions_use_the_comment_endpoint() {
    let stub = FetchStub::install(|call| match call.method.as_str() {
        "PUT" => json(200, json!({ "reactions": [{ "kind": "like", "count": 1, "reacted": true }] })),
        _ => json(200, page(vec![comment("7", "hello")], None, 1)),
    });
    let api = ApiClient::new(stub.base());
    let w = mount(move || view! { <CommentThread api article_id=ID /> });
    let like = w.wait_for(".aw-comment .aw-reaction").await;
    assert_eq!(like.get_attribute("aria-label").unwrap(), "Like, 0 reactions");
    like.click();
    w.wait_for(".aw-comment .aw-reaction[aria-pressed=true]").await;
    assert_eq!(stub.calls_to("PUT", &format!("/articles/{ID}/comments/7/reactions/like")).len(), 1);
}

#[wasm_bindgen_test]
async fn posting_a_comment_shows_it_and_counts_it() {
    let stub = FetchStub::install(|call| match call.method.as_str() {
        "POST" => {
            let sent: Value = serde_json::from_str(&call.body).unwrap();
            let mut c = comment("41", sent["body"].as_str().unwrap());
            c["author"]["name"] = sent["author_name"].clone();
            late(50, json(201, c))
        }
        _ => happy(call),
    });
    let w = widget(&stub);
    w.wait_for_text("Be the first to comment!").await;
    w.post("  Ada  ", "Hello **there**");
    settle().await;
    assert_eq!(
        w.get("button[type=submit]").get_attribute("aria-disabled").as_deref(),
        Some("true"),
        "disabled while sending (aria-disabled: it keeps the focus)"
    );
    w.wait_for(".aw-comment[data-comment-id='41']").await;
    w.wait_for_text("Comments (1)").await;
    assert!(!w.text().contains("Be the first to comment!"));
    assert_eq!(w.get(".aw-comment strong").text_content().unwrap(), "there");
    assert!(w.get(".aw-comment time").has_attribute("datetime"));
    let post = &stub.calls_to("POST", "/comments")[0];
    let sent: Value = serde_json::from_str(&post.body).unwrap();
    assert_eq!(sent, json!({ "author_name": "Ada", "body": "Hello **there**", "parent_id": null }));
    assert!(post.header("idempotency-key").is_some_and(|k| k.len() >= 16));
    assert_eq!(w.value("textarea[name=body]"), "", "cleared once confirmed");
    assert_eq!(w.value("input[name=author_name]"), "  Ada  ", "the name stays for the next comment");
}

#[wasm_bindgen_test]
async fn a_failed_post_keeps_the_text_shows_why_and_retries_with_the_same_key() {
    let stub = FetchStub::install(|call| match call.method.as_str() {
        "POST" => json(503, json!({"error": {"code": "unavailable", "message": "maintenance"}})),
        _ => happy(call),
    });
    let w = widget(&stub);
    w.wait_for_text("Be the first to comment!").await;
    w.post("Ada", "Please keep me");
    // Said once, on the post in the thread (with its Retry), not again in the form: a screen reader
    // hears one alert per event.
    w.wait_for_text("Not sent — the server answered 503.").await;
    assert_eq!(w.value("textarea[name=body]"), "Please keep me");
    assert_eq!(w.all("[role=alert]").len(), 1);
    assert!(w.find(".aw-composer [role=alert]").is_none());

    stub.answer(|call| match call.method.as_str() {
        "POST" => json(422, json!({"error": {"code": "validation", "message": "Please be nicer.", "field": "body"}})),
        _ => happy(call),
    });
    w.click("button[type=submit]");
    w.wait_for_text("Not sent: Please be nicer.").await;
    let textarea = w.get("textarea[name=body]");
    assert_eq!(textarea.get_attribute("aria-invalid").unwrap(), "true");
    let described = textarea.get_attribute("aria-describedby").unwrap();
    assert_eq!(w.get(&format!("#{described}")).text_content().unwrap(), "Not sent: Please be nicer.");
    assert_eq!(w.value("textarea[name=body]"), "Please keep me");

    let posts = stub.calls_to("POST", "/comments");
    assert_eq!(posts.len(), 2);
    assert_eq!(
        posts[0].header("idempotency-key"),
        posts[1].header("idempotency-key"),
        "a retry of the same draft reuses its key"
    );
    // An edited draft is a new comment with a new key.
    w.type_into("textarea[name=body]", "Please keep me, edited");
    w.click("button[type=submit]");
    w.wait_for_text("Please be nicer.").await;
    sleep(50).await;
    let posts = stub.calls_to("POST", "/comments");
    assert_eq!(posts.len(), 3);
    assert_ne!(posts[1].header("idempotency-key"), posts[2].header("idempotency-key"));
}

#[wasm_bindgen_test]
async fn empty_fields_are_caught_before_sending() {
    let stub = FetchStub::install(happy);
    let w = widget(&stub);
    w.wait_for_text("Be the first to comment!").await;
    // The name field starts with the name remembered from other tests' posts: empty it.
    w.post("", "No name given");
    w.wait_for_text("Please enter your name.").await;
    assert_eq!(w.get("input[name=author_name]").get_attribute("aria-invalid").unwrap(), "true");
    w.post("Ada", "   ");
    w.wait_for_text("Please write a comment.").await;
    assert!(stub.calls_to("POST", "/comments").is_empty());
}

#[wasm_bindgen_test]
async fn a_hostile_article_renders_as_text() {
    let stub = FetchStub::install(|_| {
        let mut a = article(ID, 1, false);
        a["title"] = json!("<img src=x onerror=alert(1)>");
        a["subtitle"] = json!("<script>alert(2)</script>");
        a["author"] = json!({ "name": "<b>Ada</b>", "url": "https://ada.example/?a=\"><i>" });
        a["tags"] = json!(["<i>t</i>"]);
        a["updated_at"] = json!("<u>then</u>");
        json(200, a)
    });
    let mut config = WidgetConfig::new(stub.base(), ID);
    config.parts.comments = false;
    let w = mount(move || view! { <ArticleWidget config /> });
    let h1 = w.wait_for("h1.aw-title").await;
    assert_eq!(h1.text_content().unwrap(), "<img src=x onerror=alert(1)>");
    assert!(w.all("img, script, b, i, u").is_empty(), "{}", w.root.inner_html());
    assert_eq!(w.get(".aw-subtitle").text_content().unwrap(), "<script>alert(2)</script>");
    let author = w.get(".aw-byline a.aw-author");
    assert_eq!(
        (author.text_content().unwrap(), author.get_attribute("href").unwrap()),
        ("<b>Ada</b>".into(), "https://ada.example/?a=\"><i>".into())
    );
    assert_eq!(w.get(".aw-tag").text_content().unwrap(), "<i>t</i>");
    assert_eq!(w.all(".aw-byline time")[1].get_attribute("datetime").unwrap(), "<u>then</u>");
}

#[wasm_bindgen_test]
async fn hostile_comments_render_as_text() {
    let stub = FetchStub::install(|_| {
        json(
            200,
            page(
                vec![
                    comment("1", "<img src=x onerror=alert(1)>"),
                    comment(
                        "2",
                        "[click](javascript:alert(1)) <script>alert(2)</script> ![i](https://x.example/i.png)",
                    ),
                ],
                None,
                2,
            ),
        )
    });
    let api = ApiClient::new(stub.base());
    let w = mount(move || view! { <CommentThread api article_id=ID /> });
    w.wait_for(".aw-comment[data-comment-id='2']").await;
    assert!(w.all("img, script, iframe").is_empty(), "{}", w.root.inner_html());
    assert!(w.text().contains("<img src=x onerror=alert(1)>"));
    assert!(w.text().contains("<script>alert(2)</script>"));
    let links = w.all(".aw-comment a");
    assert_eq!(links.len(), 1, "only the image, as a link");
    assert_eq!(links[0].get_attribute("href").unwrap(), "https://x.example/i.png");
    assert_eq!(links[0].get_attribute("rel").unwrap(), "nofollow ugc noopener noreferrer");
}

#[wasm_bindgen_test]
async fn load_more_appends_and_drops_duplicates() {
    let stub = FetchStub::install(|call| {
        if call.url.contains("cursor=c1") {
            json(200, page(vec![comment("2", "two"), comment("3", "three")], None, 3))
        } else {
            json(200, page(vec![comment("1", "one"), comment("2", "two")], Some("c1"), 3))
        }
    });
    let api = ApiClient::new(stub.base());
    let w = mount(move || view! { <CommentThread api article_id=ID page_size=2 /> });
    let more = w.wait_for(".aw-load-more").await;
    assert_eq!(more.text_content().unwrap(), "Load more comments");
    assert!(stub.calls()[0].url.contains("limit=2"));
    more.click();
    w.wait_for(".aw-comment[data-comment-id='3']").await;
    let ids: Vec<String> = w.all(".aw-comment").iter().map(|e| e.get_attribute("data-comment-id").unwrap()).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    sleep(20).await;
    assert!(w.find(".aw-load-more").is_none(), "no more pages");
    assert_eq!(w.get(".aw-comments-heading").text_content().unwrap(), "Comments (3)");
}

#[wasm_bindgen_test]
async fn two_widgets_keep_their_own_errors() {
    // The Leptos pitfall: an async error must land in its own widget, not the other one.
    let stub = FetchStub::install(|call| {
        if call.path().contains("/articles/broken") {
            json(500, json!({"error": {"code": "x", "message": "x"}}))
        } else {
            happy(call)
        }
    });
    let (good_config, bad_config) = (WidgetConfig::new(stub.base(), ID), WidgetConfig::new(stub.base(), "broken"));
    let good = mount(move || view! { <ArticleWidget config=good_config /> });
    let bad = mount(move || view! { <ArticleWidget config=bad_config /> });
    bad.wait_for_text("Could not load the article: the server answered 500").await;
    bad.wait_for_text("Could not load comments: the server answered 500").await;
    good.wait_for("h1.aw-title").await;
    good.wait_for_text("Be the first to comment!").await;
    assert!(good.find("[role=alert]").is_none(), "{}", good.root.inner_html());
}

#[wasm_bindgen_test]
async fn misconfigured_elements_show_which_attribute_is_wrong() {
    let stub = FetchStub::install(happy);
    let el = container();
    el.set_attribute("data-article-widget", "").unwrap();
    el.set_attribute("data-api-base", &stub.base()).unwrap();
    el.set_attribute("data-page-size", "9999").unwrap();
    article_widget::mount::mount_on(el.clone());
    let text = el.text_content().unwrap();
    assert!(text.contains("data-article-id is required"), "{text}");
    assert!(el.query_selector("[role=alert]").unwrap().is_some());

    el.set_attribute("data-article-id", ID).unwrap();
    let el2 = container();
    for (k, v) in [("data-api-base", stub.base().as_str()), ("data-article-id", ID), ("data-page-size", "9999")] {
        el2.set_attribute(k, v).unwrap();
    }
    article_widget::mount::mount_on(el2.clone());
    assert!(el2.text_content().unwrap().contains("data-page-size must be a whole number from 1 to 100"));
    el.remove();
    el2.remove();
}

#[wasm_bindgen_test]
async fn a_reaction_bar_alone_needs_no_article() {
    let stub =
        FetchStub::install(|_| json(200, json!({ "reactions": [{ "kind": "heart", "count": 3, "reacted": true }] })));
    let api = ApiClient::new(stub.base_at("https://comments.example.com", "/v1/"));
    let reactions = vec![Reaction { kind: "heart".into(), count: 2, reacted: false }];
    let w = mount(move || view! { <ReactionBar api article_id="a b" reactions /> });
    let heart = w.get(".aw-reaction");
    assert_eq!(heart.get_attribute("aria-label").unwrap(), "Heart, 2 reactions");
    assert_eq!(heart.text_content().unwrap(), "heart2");
    heart.click();
    w.wait_for_text("heart3").await;
    assert_eq!(stub.calls()[0].url, stub.base_at("https://comments.example.com", "/v1/articles/a%20b/reactions/heart"));
}

/// A reused `ReactionBar` inside a closure that runs again (new counts from the host app) is built
/// again on the same element: one set of buttons, each named and counted, the new counts shown.
#[wasm_bindgen_test]
async fn a_reaction_bar_rendered_again_in_place_has_one_set_of_buttons() {
    let stub = FetchStub::install(happy);
    let api = ApiClient::new(stub.base());
    let likes = RwSignal::new(3u64);
    let w = mount(move || {
        move || {
            let reactions = vec![
                Reaction { kind: "like".into(), count: likes.get(), reacted: true },
                Reaction { kind: "dislike".into(), count: 0, reacted: false },
            ];
            view! { <ReactionBar api=api.clone() article_id=ID reactions /> }
        }
    });
    assert_eq!(w.get(".aw-reaction[data-kind=like]").get_attribute("aria-label").unwrap(), "Like, 3 reactions");
    likes.set(5);
    settle().await;
    let buttons = w.all(".aw-reaction");
    assert_eq!(buttons.len(), 2, "one button per kind");
    let like = w.get(".aw-reaction[data-kind=like]");
    assert_eq!(like.get_attribute("aria-label").unwrap(), "Like, 5 reactions");
    assert_eq!(like.get_attribute("aria-pressed").unwrap(), "true");
    assert_eq!(w.get(".aw-reaction[data-kind=dislike]").get_attribute("aria-pressed").unwrap(), "false");
}

#[wasm_bindgen_test]
async fn configured_labels_and_compact_counts() {
    let stub = FetchStub::install(|call| {
        if call.path().ends_with("/comments") {
            json(200, page(vec![], None, 0))
        } else {
            json(200, article(ID, 12_345, false))
        }
    });
    let w = mount_element(&[
        ("data-api-base", stub.base().as_str()),
        ("data-article-id", ID),
        ("data-parts", "reactions"),
        ("data-reaction-labels", r#"{"like": "❤️", "dislike": "Meh"}"#),
    ]);
    let like = w.wait_for(".aw-reaction[data-kind=like]").await;
    assert_eq!(like.text_content().unwrap(), "❤️12K");
    assert_eq!(like.get_attribute("aria-label").unwrap(), "Like, 12,345 reactions");
    assert_eq!(w.get(".aw-reaction[data-kind=dislike]").get_attribute("aria-label").unwrap(), "Meh, 0 reactions");
    assert!(w.find("h1").is_none() && w.find(".aw-comments").is_none(), "only the reactions part");
}

#[wasm_bindgen_test]
async fn two_bars_for_the_same_article_stay_in_step() {
    let stub = FetchStub::install(|_| late(30, json(200, reactions(9, true, 0, false))));
    let seed = || {
        vec![
            Reaction { kind: "like".into(), count: 8, reacted: false },
            Reaction { kind: "dislike".into(), count: 0, reacted: false },
        ]
    };
    let (api_a, api_b, api_other) =
        (ApiClient::new(stub.base()), ApiClient::new(stub.base()), ApiClient::new(stub.base()));
    let (ra, rb, rc) = (seed(), seed(), seed());
    let a = mount(move || view! { <ReactionBar api=api_a article_id=ID reactions=ra exclusive=true /> });
    let b = mount(move || view! { <ReactionBar api=api_b article_id=ID reactions=rb exclusive=true /> });
    let other =
        mount(move || view! { <ReactionBar api=api_other article_id="another-article" reactions=rc exclusive=true /> });
    a.click(".aw-reaction[data-kind=like]");
    b.wait_for(".aw-reaction[data-kind=like][aria-pressed=true]").await;
    assert_eq!(b.get(".aw-reaction[data-kind=like]").get_attribute("aria-label").unwrap(), "Like, 9 reactions");
    assert_eq!(stub.calls().len(), 1, "b learnt it from a, without a request of its own");
    sleep(50).await;
    assert_eq!(
        other.get(".aw-reaction[data-kind=like]").get_attribute("aria-pressed").unwrap(),
        "false",
        "another article is not touched"
    );
}

#[wasm_bindgen_test]
async fn the_viewer_id_survives_without_local_storage() {
    use article_widget::viewer::viewer_id;
    let stored = viewer_id();
    assert_eq!(viewer_id(), stored, "stable across calls");
    assert!(stored.len() == 32 && stored.bytes().all(|b| b.is_ascii_hexdigit()), "{stored}");
    // A sandboxed iframe or strict privacy settings: reading localStorage throws.
    let window = web_sys::window().unwrap();
    // Chromium keeps `localStorage` as an own property of `window`: put the very same one back after.
    let original = js_sys::Object::get_own_property_descriptor(&window, &"localStorage".into());
    let desc = js_sys::Object::new();
    let getter = js_sys::Function::new_no_args("throw new DOMException('denied', 'SecurityError')");
    js_sys::Reflect::set(&desc, &"get".into(), &getter).unwrap();
    js_sys::Reflect::set(&desc, &"configurable".into(), &true.into()).unwrap();
    js_sys::Object::define_property(&window, &"localStorage".into(), &desc);
    let without = viewer_id();
    assert_eq!(viewer_id(), without, "kept in memory for the page's lifetime");
    assert_eq!(without.len(), 32);
    if original.is_undefined() {
        js_sys::Reflect::delete_property(&window, &"localStorage".into()).unwrap();
    } else {
        js_sys::Object::define_property(&window, &"localStorage".into(), &original.unchecked_into());
    }
    assert_eq!(viewer_id(), stored, "storage is back");
}

fn iso_minutes_ago(minutes: f64) -> String {
    js_sys::Date::new(&(js_sys::Date::now() - minutes * 60_000.0).into()).to_iso_string().into()
}

fn thread_of(stub: &FetchStub, poll_seconds: u32) -> Mounted {
    let api = ApiClient::new(stub.base());
    mount(move || view! { <CommentThread api article_id=ID poll_seconds /> })
}

#[wasm_bindgen_test]
async fn a_failed_post_shows_in_the_thread_and_its_retry_posts_exactly_once() {
    let stub = FetchStub::install(|call| match call.method.as_str() {
        "POST" => late(30, Reply::NetworkError),
        _ => json(200, page(vec![comment("1", "first")], None, 1)),
    });
    let w = thread_of(&stub, 0);
    w.wait_for(".aw-comment[data-comment-id='1']").await;
    w.post("Ada", "Lost on the way");
    settle().await;
    // Shown at once, marked.
    let pending = w.wait_for(".aw-pending").await;
    assert!(pending.text_content().unwrap().contains("Sending…"));
    assert!(pending.text_content().unwrap().contains("Lost on the way"));
    w.wait_for_text("Not sent — the server could not be reached.").await;
    assert_eq!(w.value("textarea[name=body]"), "Lost on the way", "the text stays");

    // The first attempt did reach the server; only the answer was lost. Retry from the thread entry.
    stub.answer(|call| match call.method.as_str() {
        "POST" => json(201, comment("2", "Lost on the way")),
        _ => json(200, page(vec![comment("1", "first")], None, 1)),
    });
    w.click(".aw-pending button");
    w.wait_for(".aw-comment[data-comment-id='2']").await;
    sleep(30).await;
    assert!(w.find(".aw-pending").is_none());
    assert_eq!(w.all(".aw-comment[data-comment-id='2']").len(), 1, "exactly once");
    assert_eq!(w.get(".aw-comments-heading").text_content().unwrap(), "Comments (2)");
    let posts = stub.calls_to("POST", "/comments");
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0].header("idempotency-key"), posts[1].header("idempotency-key"));
    assert_eq!(w.value("textarea[name=body]"), "", "cleared once confirmed");
}

#[wasm_bindgen_test]
async fn too_many_posts_count_down_before_the_button_works_again() {
    let stub = FetchStub::install(|call| match call.method.as_str() {
        "POST" => Reply::WithHeaders(
            429,
            json!({"error": {"code": "rate_limited", "message": "slow down"}}).to_string(),
            vec![("retry-after", "2".into())],
        ),
        _ => json(200, page(vec![], None, 0)),
    });
    let w = thread_of(&stub, 0);
    w.wait_for_text("Be the first to comment!").await;
    w.post("Ada", "Quick one");
    w.wait_for_text("You can post again in 2 seconds.").await;
    let button = w.get("button[type=submit]");
    w.wait_for_text("Wait 2 s").await;
    assert!(button.has_attribute("disabled"));
    w.click("button[type=submit]");
    settle().await;
    assert_eq!(stub.calls_to("POST", "/comments").len(), 1, "no post while waiting");
    for _ in 0..40 {
        if !button.has_attribute("disabled") {
            break;
        }
        sleep(100).await;
    }
    assert!(!button.has_attribute("disabled"), "re-enabled when the wait is over");
    assert_eq!(button.text_content().unwrap(), "Post comment");
    assert_eq!(w.value("textarea[name=body]"), "Quick one");
}

#[wasm_bindgen_test]
async fn a_server_refusal_names_the_field_and_leaves_nothing_pending() {
    let stub = FetchStub::install(|call| match call.method.as_str() {
        "POST" => json(
            422,
            json!({"error": {"code": "validation", "message": "That name is taken.", "field": "author_name"}}),
        ),
        _ => json(200, page(vec![], None, 0)),
    });
    let w = thread_of(&stub, 0);
    w.wait_for_text("Be the first to comment!").await;
    w.post("Admin", "Hi");
    w.wait_for_text("Not sent: That name is taken.").await;
    let name = w.get("input[name=author_name]");
    assert_eq!(name.get_attribute("aria-invalid").unwrap(), "true");
    let error_id = name.get_attribute("aria-describedby").unwrap();
    assert_eq!(w.get(&format!("#{error_id}")).get_attribute("role").unwrap(), "alert");
    assert_eq!(w.get("textarea[name=body]").get_attribute("aria-invalid").unwrap(), "false");
    sleep(20).await;
    assert!(w.find(".aw-pending").is_none(), "a refused post is not shown as pending");
    w.wait_for_text("Be the first to comment!").await;

    // Corrected, it is a new request: a new key, the new name (the refused one is not replayed).
    stub.answer(|call| match call.method.as_str() {
        "POST" => json(201, comment("5", "Hi")),
        _ => json(200, page(vec![], None, 0)),
    });
    w.type_into("input[name=author_name]", "Ada");
    w.click("button[type=submit]");
    w.wait_for(".aw-comment[data-comment-id='5']").await;
    let posts = stub.calls_to("POST", "/comments");
    assert_eq!(posts.len(), 2);
    assert_ne!(posts[0].header("idempotency-key"), posts[1].header("idempotency-key"), "a new request");
    let sent: Value = serde_json::from_str(&posts[1].body).unwrap();
    assert_eq!(sent["author_name"], "Ada", "with the corrected name");
}

#[wasm_bindgen_test]
async fn drafts_come_back_after_a_remount_in_the_right_composer() {
    let stub = FetchStub::install(|_| json(200, page(vec![comment("5", "five"), comment("6", "six")], None, 2)));
    {
        let w = thread_of(&stub, 0);
        w.wait_for(".aw-comment[data-comment-id='6']").await;
        w.type_into(".aw-comments > .aw-composer textarea", "top-level draft");
        // Open the reply composer under comment 6 and type there.
        let reply = w.get(".aw-comment[data-comment-id='6'] .aw-comment-actions button:not(.aw-reaction)");
        reply.click();
        let textarea = w.wait_for(".aw-reply-composer textarea").await;
        assert_eq!(
            w.root.owner_document().unwrap().active_element().unwrap().get_attribute("id"),
            textarea.get_attribute("id"),
            "the reply field has focus"
        );
        w.type_into(".aw-reply-composer textarea", "reply draft for six");
    } // unmounted: as good as a closed tab
    let w = thread_of(&stub, 0);
    w.wait_for(".aw-comment[data-comment-id='6']").await;
    assert_eq!(w.value(".aw-comments > .aw-composer textarea"), "top-level draft");
    let reply = w.wait_for(".aw-reply-composer textarea").await;
    assert_eq!(reply.get_attribute("name").unwrap(), "body");
    assert_eq!(w.value(".aw-reply-composer textarea"), "reply draft for six");
    assert_eq!(w.all(".aw-reply-composer").len(), 1, "only under comment 6");
    let parent = w.get(".aw-reply-composer").previous_element_sibling().unwrap();
    assert_eq!(parent.get_attribute("data-comment-id").unwrap(), "6");
    // Escape closes it and gives focus back to its Reply button (the draft stays saved).
    w.type_into(".aw-reply-composer textarea", "reply draft for six!");
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    init.set_bubbles(true);
    let escape = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    reply.dispatch_event(&escape).unwrap();
    settle().await;
    assert!(w.find(".aw-reply-composer").is_none());
    let focused = w.root.owner_document().unwrap().active_element().unwrap();
    assert_eq!(focused.text_content().unwrap(), "Reply");
    assert_eq!(focused.get_attribute("aria-expanded").unwrap(), "false");
}

#[wasm_bindgen_test]
async fn replies_nest_collapse_and_name_their_parent_past_the_indent() {
    // A chain of 8 nested replies under comment "c0".
    let mut node = comment("c7", "deepest");
    for i in (0..7).rev() {
        let mut parent = comment(&format!("c{i}"), &format!("level {i}"));
        node["parent_id"] = json!(format!("c{i}"));
        parent["replies"] = json!([node]);
        parent["reply_count"] = json!(7 - i);
        node = parent;
    }
    let stub = FetchStub::install(move |call| match call.method.as_str() {
        "POST" => late(
            100,
            json(201, {
                let mut c = comment("r1", "my reply");
                c["parent_id"] = json!("c0");
                c
            }),
        ),
        _ => json(200, page(vec![node.clone()], None, 8)),
    });
    let w = thread_of(&stub, 0);
    w.wait_for(".aw-comment[data-comment-id='c7']").await;
    let nested_lists =
        w.all("ol.aw-replies:not(.aw-replies-flat)").iter().filter(|e| e.child_element_count() > 0).count();
    assert_eq!(nested_lists, 4, "indentation stops after 5 levels");
    assert!(w.get(".aw-comment[data-comment-id='c6']").text_content().unwrap().contains("in reply to Author c5"));
    assert!(!w.get(".aw-comment[data-comment-id='c2']").text_content().unwrap().contains("in reply to"));

    let toggle = w.get(".aw-comment[data-comment-id='c5'] .aw-toggle-replies");
    assert_eq!(toggle.text_content().unwrap(), "Hide 2 replies");
    assert!(
        toggle.next_element_sibling().is_some_and(|e| e.class_list().contains("aw-report-button")),
        "the toggle comes right before Report"
    );
    toggle.click();
    settle().await;
    assert_eq!(toggle.text_content().unwrap(), "Show 2 replies");
    assert_eq!(toggle.get_attribute("aria-expanded").unwrap(), "false");
    let list = w.get(&format!("#{}", toggle.get_attribute("aria-controls").unwrap()));
    assert!(list.has_attribute("hidden"));
    toggle.click();
    settle().await;
    assert!(!list.has_attribute("hidden"));

    // A reply shows at once under its parent, then in place.
    w.get(".aw-comment[data-comment-id='c0'] .aw-comment-actions button:not(.aw-reaction)").click();
    w.wait_for(".aw-reply-composer textarea").await;
    w.type_into(".aw-reply-composer input[name=author_name]", "Ada");
    w.type_into(".aw-reply-composer textarea", "my reply");
    w.click(".aw-reply-composer button[type=submit]");
    let pending = w.wait_for(".aw-pending").await;
    let c0_replies =
        w.get(".aw-comment[data-comment-id='c0'] .aw-toggle-replies").get_attribute("aria-controls").unwrap();
    assert_eq!(pending.closest("ol").unwrap().unwrap().id(), c0_replies, "pending under its parent");
    w.wait_for(".aw-comment[data-comment-id='r1']").await;
    assert!(w.find(".aw-reply-composer").is_none(), "the reply composer closes when posted");
    assert_eq!(w.get(".aw-comment[data-comment-id='c0'] .aw-toggle-replies").text_content().unwrap(), "Hide 8 replies");
    assert_eq!(stub.calls_to("POST", "/comments").len(), 1);
    let sent: Value = serde_json::from_str(&stub.calls_to("POST", "/comments")[0].body).unwrap();
    assert_eq!(sent["parent_id"], "c0");
}

#[wasm_bindgen_test]
async fn changing_the_sort_reloads_and_keeps_the_draft() {
    let stub = FetchStub::install(|call| {
        if call.url.contains("sort=newest") {
            json(200, page(vec![comment("2", "two"), comment("1", "one")], None, 2))
        } else {
            json(200, page(vec![comment("1", "one"), comment("2", "two")], None, 2))
        }
    });
    let w = thread_of(&stub, 0);
    w.wait_for(".aw-comment[data-comment-id='2']").await;
    w.type_into(".aw-comments > .aw-composer textarea", "half-written");
    let select = w.get("select");
    js_sys::Reflect::set(&select, &"value".into(), &"newest".into()).unwrap();
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    select.dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap()).unwrap();
    for _ in 0..100 {
        let ids: Vec<_> = w.all(".aw-comment").iter().map(|e| e.get_attribute("data-comment-id").unwrap()).collect();
        if ids == ["2", "1"] {
            break;
        }
        sleep(10).await;
    }
    let ids: Vec<_> = w.all(".aw-comment").iter().map(|e| e.get_attribute("data-comment-id").unwrap()).collect();
    assert_eq!(ids, ["2", "1"]);
    assert!(stub.calls().last().unwrap().url.contains("sort=newest"));
    assert_eq!(w.value(".aw-comments > .aw-composer textarea"), "half-written");
}

#[wasm_bindgen_test]
async fn new_comments_are_announced_and_shown_on_request() {
    let count = std::rc::Rc::new(std::cell::Cell::new(1u64));
    let c = count.clone();
    let stub = FetchStub::install(move |call| {
        let path = call.path();
        if path.ends_with("/comments") && call.method == "GET" {
            let mut comments = vec![comment("1", "one")];
            for i in 2..=c.get() {
                comments.push(comment(&i.to_string(), "new"));
            }
            json(200, page(comments, None, c.get()))
        } else if call.method == "POST" {
            c.set(c.get() + 1);
            json(201, comment(&c.get().to_string(), "mine"))
        } else {
            let mut a = article(ID, 8, false);
            a["comment_count"] = json!(c.get());
            json(200, a)
        }
    });
    let w = thread_of(&stub, 1);
    w.wait_for(".aw-comment[data-comment-id='1']").await;
    // This reader posts: not "new" to them.
    w.post("Ada", "mine");
    w.wait_for(".aw-comment[data-comment-id='2']").await;
    sleep(1300).await;
    assert!(w.find(".aw-new-comments").is_none(), "own posts are not announced");
    // Two comments arrive from elsewhere.
    count.set(4);
    // The rows shown stay the same elements while new ones join them.
    let (first, mine) = (w.get(".aw-comment[data-comment-id='1']"), w.get(".aw-comment[data-comment-id='2']"));
    let banner = w.wait_for(".aw-new-comments").await;
    assert!(banner.text_content().unwrap().starts_with("2 new comments — "));
    assert_eq!(banner.parent_element().unwrap().get_attribute("aria-live").unwrap(), "polite");
    w.click(".aw-new-comments button");
    w.wait_for(".aw-comment[data-comment-id='4']").await;
    sleep(20).await;
    assert!(w.find(".aw-new-comments").is_none());
    let ids: Vec<_> = w.all(".aw-comment").iter().map(|e| e.get_attribute("data-comment-id").unwrap()).collect();
    assert_eq!(ids, ["1", "2", "3", "4"]);
    assert!(w.get(".aw-comment[data-comment-id='1']") == first && w.get(".aw-comment[data-comment-id='2']") == mine);
}

#[wasm_bindgen_test]
async fn newest_first_new_comments_go_above_the_rows_kept_as_they_are() {
    let count = std::rc::Rc::new(std::cell::Cell::new(2u64));
    let c = count.clone();
    let stub = FetchStub::install(move |call| {
        if call.path().ends_with("/comments") {
            let comments = (1..=c.get()).rev().map(|i| comment(&i.to_string(), "text")).collect();
            json(200, page(comments, None, c.get()))
        } else {
            let mut a = article(ID, 0, false);
            a["comment_count"] = json!(c.get());
            json(200, a)
        }
    });
    let api = ApiClient::new(stub.base());
    let w = mount(move || view! { <CommentThread api article_id=ID sort=Sort::Newest poll_seconds=1 /> });
    w.wait_for(".aw-comment[data-comment-id='1']").await;
    let kept: Vec<_> = ["2", "1"].iter().map(|id| w.get(&format!(".aw-comment[data-comment-id='{id}']"))).collect();
    count.set(4);
    w.wait_for(".aw-new-comments").await;
    w.click(".aw-new-comments button");
    w.wait_for(".aw-comment[data-comment-id='4']").await;
    let ids: Vec<_> = w.all(".aw-comment").iter().map(|e| e.get_attribute("data-comment-id").unwrap()).collect();
    assert_eq!(ids, ["4", "3", "2", "1"]);
    for (id, el) in ["2", "1"].iter().zip(&kept) {
        assert!(w.get(&format!(".aw-comment[data-comment-id='{id}']")) == *el, "comment {id} kept its element");
    }
}

#[wasm_bindgen_test]
async fn what_goes_under_an_article_headline_sits_right_after_it() {
    let a: Article = article_widget::api::json::from_str(&article(ID, 0, false).to_string()).unwrap();
    let w = mount(move || {
        let line = view! { <p class="under">"under"</p> }.into_any();
        view! { <ArticleView article=a under_headline=Some(line) /> }
    });
    let h1 = w.wait_for("h1.aw-title").await;
    assert_eq!(h1.next_element_sibling().unwrap().class_name(), "under");
    assert_eq!(w.all(".aw-article-header, .aw-article-body").len(), 2);
    let root = w.root.clone();
    drop(w);
    assert!(root.query_selector(".under").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn times_read_relative_and_edits_are_marked() {
    let mut c = comment("1", "edited one");
    c["created_at"] = json!(iso_minutes_ago(3.2));
    c["edited_at"] = json!(iso_minutes_ago(1.0));
    let stub = FetchStub::install(move |_| json(200, page(vec![c.clone()], None, 1)));
    let w = thread_of(&stub, 0);
    let time = w.wait_for(".aw-comment time").await;
    assert_eq!(time.text_content().unwrap(), "3 minutes ago");
    assert!(time.get_attribute("datetime").unwrap().ends_with('Z'));
    // A card's title is written by build.js when the browser is idle: the same text as the
    // widget's own exact date.
    let title = title_of(&time).await.expect("the time gets its title");
    assert!(title.contains(&js_sys::Date::new_0().get_full_year().to_string()));
    let iso = time.get_attribute("datetime").unwrap();
    assert_eq!(title, article_widget::format::exact_date_time(&iso, None));
    assert!(w.get(".aw-comment-header").text_content().unwrap().contains("(edited)"));
}

/// The title of a card's time, once build.js has written it (in idle time), within 2 s.
async fn title_of(time: &web_sys::Element) -> Option<String> {
    for _ in 0..100 {
        if let Some(title) = time.get_attribute("title") {
            return Some(title);
        }
        sleep(20).await;
    }
    None
}

#[wasm_bindgen_test]
async fn a_page_whose_idle_callback_throws_still_gets_its_titles() {
    // Titles left to write by earlier tests are written first (idle callbacks run in order), so
    // that the cards below start a queue of their own.
    for _ in 0..2 {
        let idle = js_sys::Promise::new(&mut |done, _| {
            let _ = js_sys::Reflect::get(&js_sys::global(), &"requestIdleCallback".into())
                .map(|f| f.unchecked_into::<js_sys::Function>().call1(&wasm_bindgen::JsValue::NULL, &done));
        });
        wasm_bindgen_futures::JsFuture::from(idle).await.unwrap();
    }
    // A host page's broken requestIdleCallback, counting its calls: the titles are written some
    // other way, and the cards are all made.
    let window = js_sys::global();
    let key = wasm_bindgen::JsValue::from_str("requestIdleCallback");
    let original = js_sys::Reflect::get(&window, &key).unwrap();
    let broken = js_sys::Function::new_no_args(
        "globalThis.__awIdleCalls = (globalThis.__awIdleCalls ?? 0) + 1; throw new Error('no idling here')",
    );
    js_sys::Reflect::set(&window, &key, &broken).unwrap();
    let stub = FetchStub::install(|_| json(200, page(vec![comment("1", "one"), comment("2", "two")], None, 2)));
    let w = thread_of(&stub, 0);
    w.wait_for(".aw-comment[data-comment-id='2']").await;
    let times = [w.find(".aw-comment[data-comment-id='1'] time"), w.find(".aw-comment[data-comment-id='2'] time")];
    let mut titles = Vec::new();
    for time in times.iter().flatten() {
        titles.push(title_of(time).await);
    }
    js_sys::Reflect::set(&window, &key, &original).unwrap();
    let calls = js_sys::Reflect::get(&window, &"__awIdleCalls".into()).unwrap().as_f64().unwrap_or(0.0);
    assert!(calls > 0.0, "the broken requestIdleCallback was tried");
    assert_eq!(titles.len(), 2);
    assert!(titles.iter().all(|t| t.as_deref().is_some_and(|t| !t.is_empty())), "{titles:?}");
}

#[wasm_bindgen_test]
async fn the_counter_appears_near_the_limit() {
    let stub = FetchStub::install(|_| json(200, page(vec![], None, 0)));
    let w = thread_of(&stub, 0);
    w.wait_for_text("Be the first to comment!").await;
    w.type_into("textarea[name=body]", &"x".repeat(100));
    settle().await;
    assert!(w.find(".aw-counter").is_none());
    w.type_into("textarea[name=body]", &"x".repeat(4990));
    let counter = w.wait_for(".aw-counter").await;
    assert_eq!(counter.text_content().unwrap(), "10 characters left");
    assert!(w.get("textarea[name=body]").get_attribute("aria-describedby").unwrap().contains(&counter.id()));
    w.type_into("textarea[name=body]", &"x".repeat(5003));
    w.wait_for_text("3 characters too many").await;
}

#[wasm_bindgen_test]
async fn german_strings_with_data_locale_and_single_overrides() {
    let stub = FetchStub::install(happy);
    let w = mount_element(&[
        ("data-api-base", stub.base().as_str()),
        ("data-article-id", ID),
        ("data-locale", "de"),
        ("data-strings", r#"{"composer.post": "Abschicken"}"#),
    ]);
    w.wait_for_text("Schreib den ersten Kommentar!").await;
    assert_eq!(w.get(".aw-comments-heading").text_content().unwrap(), "Kommentare (0)");
    assert_eq!(w.get(".aw-reaction[data-kind=like]").get_attribute("aria-label").unwrap(), "Gefällt mir, 8 Reaktionen");
    assert_eq!(w.get("button[type=submit]").text_content().unwrap(), "Abschicken", "data-strings wins");
    assert!(w.get(".aw-byline").text_content().unwrap().starts_with("Von Newsroom"));
    assert!(w.get(".aw-byline time").text_content().unwrap().contains("November"), "German date");
    w.type_into("input[name=author_name]", "");
    w.click("button[type=submit]");
    w.wait_for_text("Bitte gib deinen Namen ein.").await;
}

/// The browser's `Intl` and `toUpperCase` behind `format` and `platform`: relative times are asked of
/// `Intl` once per value, unit and locale (a remembered German answer never shows in English), and
/// letters beyond ASCII are capitalised by the browser (Rust's case table is not in the wasm).
#[wasm_bindgen_test]
fn relative_times_are_remembered_per_locale_and_capitals_go_beyond_ascii() {
    use article_widget::{format, platform};
    let now = 1_795_168_800_000.0;
    let days = |n: f64| now - n * 86_400_000.0;
    assert_eq!(format::relative_time_ms(days(3.0), now, Some("en")), "3 days ago");
    assert_eq!(format::relative_time_ms(days(3.0), now, Some("de")), "vor 3 Tagen");
    assert_eq!(format::relative_time_ms(days(3.0), now, Some("en")), "3 days ago");
    assert_eq!(format::relative_time_ms(days(1.0), now, Some("en")), "yesterday");
    assert_eq!(format::relative_time_ms(now - 3.0 * 60_000.0, now, Some("en")), "3 minutes ago");
    assert_eq!(platform::upper('a'), "A");
    assert_eq!(platform::upper('ä'), "Ä");
    assert_eq!(platform::upper('ß'), "SS");
    assert_eq!(format::reaction_name("ärger_x"), "Ärger x");
}

// ---- the thread core: one store, one post state machine, lists that follow only their part --------

/// A comment with `n` replies below it, ids `{id}.0`…
fn with_replies(id: &str, n: usize) -> Value {
    let mut c = comment(id, &format!("comment {id}"));
    c["replies"] = json!((0..n)
        .map(|i| {
            let mut r = comment(&format!("{id}.{i}"), &format!("reply {i} to {id}"));
            r["parent_id"] = json!(id);
            r
        })
        .collect::<Vec<_>>());
    c["reply_count"] = json!(n);
    c
}

#[wasm_bindgen_test]
async fn a_reply_and_a_like_touch_only_their_own_comment() {
    let stub = FetchStub::install(|call| match call.method.as_str() {
        "POST" => json(201, {
            let mut c = comment("new", "fresh reply");
            c["parent_id"] = json!("a");
            c
        }),
        "PUT" => json(200, json!({ "reactions": [{ "kind": "like", "count": 1, "reacted": true }] })),
        _ => json(200, page(vec![with_replies("a", 2), with_replies("b", 2)], None, 6)),
    });
    let w = thread_of(&stub, 0);
    w.wait_for(".aw-comment[data-comment-id='b.1']").await;
    // Hold on to elements around the change: the very same nodes must still be in the document after it.
    let others: Vec<_> = ["a", "a.0", "b", "b.0", "b.1"]
        .iter()
        .map(|id| w.get(&format!(".aw-comment[data-comment-id='{id}']")))
        .collect();
    w.get(".aw-comment[data-comment-id='a'] .aw-comment-actions button:not(.aw-reaction)").click();
    w.wait_for(".aw-reply-composer textarea").await;
    w.type_into(".aw-reply-composer input[name=author_name]", "Ada");
    w.type_into(".aw-reply-composer textarea", "fresh reply");
    w.click(".aw-reply-composer button[type=submit]");
    w.wait_for(".aw-comment[data-comment-id='new']").await;
    w.click(".aw-comment[data-comment-id='b.0'] .aw-reaction");
    w.wait_for(".aw-comment[data-comment-id='b.0'] .aw-reaction[aria-pressed=true]").await;
    for el in &others {
        assert!(el.is_connected(), "{:?} was not re-rendered", el.get_attribute("data-comment-id"));
    }
    assert_eq!(w.all(".aw-comment[data-comment-id='new']").len(), 1);
    assert_eq!(w.get(".aw-comment[data-comment-id='a'] .aw-toggle-replies").text_content().unwrap(), "Hide 3 replies");
}

/// Another reader's comment is a card built once as plain DOM (comment_card.rs), kept in step by one
/// effect: a failed reaction alerts inside it and rolls back, and its first reply gives it a replies
/// toggle, before Report, that names the new list and hides it.
#[wasm_bindgen_test]
async fn a_cards_failed_reaction_alerts_in_it_and_its_first_reply_makes_its_toggle() {
    let stub = FetchStub::install(|call| match call.method.as_str() {
        "PUT" => late(50, json(500, json!({"error": {"code": "internal", "message": "db down"}}))),
        "POST" => json(201, {
            let mut c = comment("new", "the first reply");
            c["parent_id"] = json!("leaf");
            c
        }),
        _ => json(200, page(vec![comment("leaf", "no replies yet")], None, 1)),
    });
    let w = thread_of(&stub, 0);
    let card = w.wait_for(".aw-comment[data-comment-id='leaf']").await;
    assert!(w.all(".aw-comment[data-comment-id='leaf'] .aw-toggle-replies").is_empty(), "no toggle without replies");
    let like = w.get(".aw-comment[data-comment-id='leaf'] .aw-reaction[data-kind=like]");
    assert_eq!(like.get_attribute("aria-label").unwrap(), "Like, 0 reactions");
    like.click();
    settle().await;
    assert_eq!(like.get_attribute("aria-pressed").unwrap(), "true");
    assert_eq!(like.get_attribute("aria-label").unwrap(), "Like, 1 reaction");
    let alert = w.wait_for(".aw-comment[data-comment-id='leaf'] .aw-reactions [role=alert]").await;
    assert_eq!(alert.text_content().unwrap(), "Could not save your reaction: the server answered 500.");
    assert_eq!(like.get_attribute("aria-pressed").unwrap(), "false");
    assert_eq!(like.get_attribute("aria-label").unwrap(), "Like, 0 reactions");

    press(&w, ".aw-comment[data-comment-id='leaf'] .aw-comment-actions button:not(.aw-reaction)");
    w.wait_for(".aw-reply-composer textarea").await;
    w.type_into(".aw-reply-composer input[name=author_name]", "Ada");
    w.type_into(".aw-reply-composer textarea", "the first reply");
    w.click(".aw-reply-composer button[type=submit]");
    w.wait_for(".aw-comment[data-comment-id='new']").await;
    let toggle = w.wait_for(".aw-comment[data-comment-id='leaf'] .aw-toggle-replies").await;
    assert!(card.is_connected(), "the card was kept, not rebuilt");
    let next = toggle.next_element_sibling().unwrap();
    assert!(next.class_list().contains("aw-report-button"), "the toggle goes before Report");
    assert_eq!(toggle.get_attribute("aria-expanded").unwrap(), "true");
    assert_eq!(toggle.text_content().unwrap(), "Hide 1 reply");
    let list_id = toggle.get_attribute("aria-controls").unwrap();
    let list = web_sys::window().unwrap().document().unwrap().get_element_by_id(&list_id).unwrap();
    assert!(list.query_selector(".aw-comment[data-comment-id='new']").unwrap().is_some(), "it controls the new list");
    toggle.click();
    settle().await;
    assert_eq!(toggle.get_attribute("aria-expanded").unwrap(), "false");
    assert_eq!(toggle.text_content().unwrap(), "Show 1 reply");
    assert!(list.has_attribute("hidden"));
}

/// A thread of one page: `roots` comments `t0`, `t1`… with `replies` replies each (`t0.0`…), once
/// its first comment is shown.
async fn big_thread(roots: usize, replies: usize) -> (FetchStub, Mounted) {
    let comments: Vec<Value> = (0..roots).map(|i| with_replies(&format!("t{i}"), replies)).collect();
    let total = (roots * (replies + 1)) as u64;
    let stub = FetchStub::install(move |_| json(200, page(comments.clone(), None, total)));
    let w = thread_of(&stub, 0);
    w.wait_for(".aw-comment").await;
    (stub, w)
}

/// Waits (at most `tries` × 20 ms) until `n` comments are in the DOM; the caller asserts.
async fn until_comments(w: &Mounted, n: usize, tries: u32) {
    for _ in 0..tries {
        if w.all(".aw-comment").len() == n {
            return;
        }
        sleep(20).await;
    }
}

#[wasm_bindgen_test]
async fn a_big_page_is_put_on_screen_in_slices_and_ends_whole() {
    let (_stub, w) = big_thread(50, 19).await;
    let first = w.all(".aw-comment").len();
    assert!(first < 1000, "the first task shows a slice, not all ({first})");
    until_comments(&w, 1000, 200).await;
    assert_eq!(w.all(".aw-comment").len(), 1000, "every comment ends up in the DOM");
    // In reading order: the last reply of the last comment is the last comment in the document.
    let all = w.all(".aw-comment");
    assert_eq!(all[999].get_attribute("data-comment-id").unwrap(), "t49.18");
    assert!(w.text().contains("Comments (1,000)"));
}

#[wasm_bindgen_test]
async fn a_page_of_over_2000_comments_is_read_in_a_task_of_its_own_and_ends_whole() {
    // 2,100 comments: reading the page takes a task, its first slice comes in the next one.
    let (_stub, w) = big_thread(70, 29).await;
    until_comments(&w, 2100, 500).await;
    let all = w.all(".aw-comment");
    assert_eq!(all.len(), 2100, "every comment ends up in the DOM");
    assert_eq!(all[2099].get_attribute("data-comment-id").unwrap(), "t69.28", "in reading order");
    assert!(w.text().contains("Comments (2,100)"));
}

#[wasm_bindgen_test]
async fn a_comment_listed_twice_by_the_server_is_shown_once() {
    let stub = FetchStub::install(|_| {
        let mut a = with_replies("a", 1);
        // The same reply listed again at the top level, and the same top-level comment twice.
        a["replies"][0]["id"] = json!("dup");
        json(200, page(vec![a.clone(), comment("dup", "again"), a], None, 2))
    });
    let w = thread_of(&stub, 0);
    w.wait_for(".aw-comment[data-comment-id='dup']").await;
    sleep(30).await;
    assert_eq!(w.all(".aw-comment[data-comment-id='dup']").len(), 1);
    assert_eq!(w.all(".aw-comment[data-comment-id='a']").len(), 1);
}

#[wasm_bindgen_test]
async fn retry_sends_the_post_as_first_sent_even_after_the_name_changed() {
    let stub = FetchStub::install(|call| match call.method.as_str() {
        "POST" => Reply::NetworkError,
        _ => json(200, page(vec![], None, 0)),
    });
    let w = thread_of(&stub, 0);
    w.wait_for_text("Be the first to comment!").await;
    w.post("Ada", "Lost on the way?");
    w.wait_for_text("Not sent").await;
    // The reader renames themself before retrying: the server may have stored the first attempt, so
    // the retry must be the same request, or the key would no longer match it.
    w.type_into("input[name=author_name]", "Ada Lovelace");
    stub.answer(|call| match call.method.as_str() {
        "POST" => json(201, comment("9", "Lost on the way?")),
        _ => json(200, page(vec![], None, 0)),
    });
    w.click(".aw-pending button");
    w.wait_for(".aw-comment[data-comment-id='9']").await;
    let posts = stub.calls_to("POST", "/comments");
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0].header("idempotency-key"), posts[1].header("idempotency-key"));
    assert_eq!(posts[0].body, posts[1].body, "byte for byte the first request");
    assert!(w.find(".aw-pending").is_none());
    // Pressing "Post" instead of Retry is the same: the draft's key resends what it was first sent with.
    assert_eq!(w.value("textarea[name=body]"), "", "the confirmed draft is cleared");
}

#[wasm_bindgen_test]
async fn a_post_answered_while_the_sort_reloads_ends_confirmed_once() {
    let stub = FetchStub::install(|call| {
        if call.method == "POST" {
            return late(150, json(201, comment("mine", "posted during a reload")));
        }
        if call.url.contains("sort=newest") {
            // Read before the post was stored: without it.
            late(300, json(200, page(vec![comment("1", "one")], None, 1)))
        } else {
            json(200, page(vec![comment("1", "one")], None, 1))
        }
    });
    let w = thread_of(&stub, 0);
    w.wait_for(".aw-comment[data-comment-id='1']").await;
    w.post("Ada", "posted during a reload");
    w.wait_for(".aw-pending").await;
    let select = w.get(".aw-sort select").dyn_into::<web_sys::HtmlSelectElement>().unwrap();
    select.set_value("newest");
    select
        .dispatch_event(
            &web_sys::Event::new_with_event_init_dict("change", &{
                let init = web_sys::EventInit::new();
                init.set_bubbles(true);
                init
            })
            .unwrap(),
        )
        .unwrap();
    // The post is answered (150 ms) before the reload lands (300 ms).
    w.wait_for(".aw-comment[data-comment-id='mine']").await;
    sleep(30).await;
    assert!(w.find(".aw-pending").is_none(), "never left 'Sending…'");
    assert_eq!(w.all(".aw-comment[data-comment-id='mine']").len(), 1);
    assert_eq!(stub.calls_to("POST", "/comments").len(), 1);
    let order: Vec<_> = w.all(".aw-comment").iter().filter_map(|e| e.get_attribute("data-comment-id")).collect();
    assert_eq!(order, ["mine", "1"], "newest first");
}

#[wasm_bindgen_test]
async fn two_quick_sort_changes_end_on_the_last_one() {
    let stub = FetchStub::install(|call| {
        if call.url.contains("sort=newest") {
            late(200, json(200, page(vec![comment("n", "newest page")], None, 1)))
        } else if call.url.contains("sort=top") {
            late(20, json(200, page(vec![comment("t", "top page")], None, 1)))
        } else {
            json(200, page(vec![comment("o", "oldest page")], None, 1))
        }
    });
    let w = thread_of(&stub, 0);
    w.wait_for(".aw-comment[data-comment-id='o']").await;
    let select = w.get(".aw-sort select").dyn_into::<web_sys::HtmlSelectElement>().unwrap();
    for sort in ["newest", "top"] {
        select.set_value(sort);
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        select.dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap()).unwrap();
    }
    w.wait_for(".aw-comment[data-comment-id='t']").await;
    sleep(300).await;
    assert!(w.find(".aw-comment[data-comment-id='n']").is_none(), "the slower, older answer is dropped");
    assert_eq!(select.value(), "top");
}

#[wasm_bindgen_test]
async fn a_refusal_for_a_closed_reply_form_opens_it_again_with_the_reason() {
    let stub = FetchStub::install(|call| match call.method.as_str() {
        "POST" => late(
            80,
            json(422, json!({"error": {"code": "validation", "message": "Please be nicer.", "field": "body"}})),
        ),
        _ => json(200, page(vec![comment("1", "one")], None, 1)),
    });
    let w = thread_of(&stub, 0);
    w.wait_for(".aw-comment[data-comment-id='1']").await;
    w.get(".aw-comment[data-comment-id='1'] .aw-comment-actions button:not(.aw-reaction)").click();
    w.wait_for(".aw-reply-composer textarea").await;
    w.type_into(".aw-reply-composer input[name=author_name]", "Ada");
    w.type_into(".aw-reply-composer textarea", "rude words");
    w.click(".aw-reply-composer button[type=submit]");
    // The reader closes the form while the post is on its way.
    w.click(".aw-reply-composer button[type=button]");
    settle().await;
    assert!(w.find(".aw-reply-composer").is_none());
    let alert = w.wait_for(".aw-reply-composer [role=alert]").await;
    assert_eq!(alert.text_content().unwrap(), "Not sent: Please be nicer.");
    assert_eq!(w.value(".aw-reply-composer textarea"), "rude words", "the text is kept");
    assert_eq!(w.all("[role=alert]").len(), 1, "said once");
}

#[wasm_bindgen_test]
async fn a_stored_comment_whose_answer_cannot_be_read_is_retried_with_the_same_key() {
    // The server stored it (201) but its answer is not a Comment: "Not sent" would be wrong, and a new
    // key would store it twice.
    let stub = FetchStub::install(|call| match call.method.as_str() {
        "POST" => json(201, json!({ "id": 5 })),
        _ => json(200, page(vec![], None, 0)),
    });
    let w = thread_of(&stub, 0);
    w.wait_for_text("Be the first to comment!").await;
    w.post("Ada", "Stored, answer garbled");
    w.wait_for(".aw-pending .aw-post-failed").await;
    stub.answer(|call| match call.method.as_str() {
        "POST" => json(201, comment("5", "Stored, answer garbled")),
        _ => json(200, page(vec![], None, 0)),
    });
    w.click("button[type=submit]");
    w.wait_for(".aw-comment[data-comment-id='5']").await;
    let posts = stub.calls_to("POST", "/comments");
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0].header("idempotency-key"), posts[1].header("idempotency-key"));
    assert_eq!(w.all(".aw-comment:not(.aw-pending)").len(), 1);
}

#[wasm_bindgen_test]
async fn a_bad_count_degrades_that_count_not_the_article() {
    let stub = FetchStub::install(|call| {
        if call.path().ends_with("/comments") {
            json(200, page(vec![], None, 0))
        } else {
            let mut a = article(ID, 8, false);
            a["reactions"][0]["count"] = json!(-5);
            a["comment_count"] = json!(1.5);
            json(200, a)
        }
    });
    let w = widget(&stub);
    w.wait_for("h1").await;
    let like = w.wait_for(".aw-reaction[data-kind=like]").await;
    assert_eq!(like.get_attribute("aria-label").unwrap(), "Like, 0 reactions");
}

#[wasm_bindgen_test]
async fn a_stopped_widget_says_so_with_a_way_to_reload() {
    // What the panic hook shows in every widget (called directly: a real panic would stop this test
    // page too).
    let stub = FetchStub::install(happy);
    let w = mount_element(&[("data-api-base", stub.base().as_str()), ("data-article-id", ID), ("data-locale", "de")]);
    w.wait_for("h1").await;
    article_widget::crash::show_stopped_in(&w.root);
    let alert = w.get("[role=alert]");
    assert!(alert.text_content().unwrap().contains("Kommentare funktionieren nicht mehr"));
    let link = w.get("[role=alert] a");
    assert_eq!(link.text_content().unwrap(), "Seite neu laden");
    assert_eq!(link.get_attribute("href"), web_sys::window().unwrap().location().href().ok());
    assert!(w.find(".aw-comments").is_none(), "the dead widget is gone");
}

#[wasm_bindgen_test]
async fn a_comment_nesting_thousands_of_quotes_renders_flattened_and_the_page_lives_on() {
    let bomb = format!("{}the words at the bottom", "> ".repeat(2_400));
    let stub =
        FetchStub::install(move |_| json(200, page(vec![comment("bomb", &bomb), comment("ok", "fine")], None, 2)));
    let w = thread_of(&stub, 0);
    let body = w.wait_for(".aw-comment[data-comment-id='bomb'] .aw-comment-body").await;
    assert!(body.text_content().unwrap().contains("the words at the bottom"), "the text is kept");
    let depth = w.all(".aw-comment[data-comment-id='bomb'] blockquote").len();
    assert!(depth <= article_widget::markdown::MAX_DEPTH, "{depth} nested quotes");
    // The rest of the thread renders too.
    w.wait_for(".aw-comment[data-comment-id='ok']").await;
}

#[wasm_bindgen_test]
async fn a_server_that_never_confirms_a_reaction_gets_two_requests_not_a_hundred() {
    // A lagging read replica: every answer says "not liked".
    let stub = FetchStub::install(|call| match call.method.as_str() {
        "PUT" => json(200, reactions(8, false, 0, false)),
        _ => happy(call),
    });
    let w =
        mount_element(&[("data-api-base", stub.base().as_str()), ("data-article-id", ID), ("data-parts", "reactions")]);
    w.wait_for(".aw-reaction[data-kind=like]").await;
    w.click(".aw-reaction[data-kind=like]");
    sleep(400).await;
    assert_eq!(stub.calls_to("PUT", "/reactions/like").len(), 2, "the request, and one more; then the server's word");
    assert_eq!(w.get(".aw-reaction[data-kind=like]").get_attribute("aria-pressed").unwrap(), "false");
}

#[wasm_bindgen_test]
fn entities_decode_in_the_browser_exactly_as_commonmark_says() {
    // The wasm has no entity table: the browser decodes each name (platform::decode_entity), and
    // must agree with the table the native test uses.
    use article_widget::markdown::{parse, plain_text, ENTITY_EXAMPLES};
    for (source, shown) in ENTITY_EXAMPLES {
        assert_eq!(plain_text(&parse(source)), *shown, "{source}");
    }
}

#[wasm_bindgen_test]
async fn the_vendored_wasm_streams_streams_both_ways() {
    // vendor/wasm-streams stands in for wasm-streams (server_fn's browser client): a Rust stream
    // becomes a JavaScript one and back, an error item errors it, and a locked stream says so.
    use futures::StreamExt;
    use wasm_bindgen::JsValue;
    use wasm_streams::ReadableStream;
    let items = vec![Ok(JsValue::from(1)), Ok(JsValue::from("two")), Ok(JsValue::from(3))];
    let raw = ReadableStream::from_stream(futures::stream::iter(items)).into_raw();
    let back: Vec<_> = ReadableStream::from_raw(raw).into_stream().collect().await;
    let back: Vec<_> = back.into_iter().map(|item| item.map(|v| format!("{v:?}"))).collect();
    assert_eq!(back, [Ok("JsValue(1)".to_owned()), Ok("JsValue(\"two\")".to_owned()), Ok("JsValue(3)".to_owned())]);

    let failing = vec![Ok(JsValue::from(1)), Err(JsValue::from("broken"))];
    let raw = ReadableStream::from_stream(futures::stream::iter(failing)).into_raw();
    let back: Vec<_> = ReadableStream::from_raw(raw).into_stream().collect().await;
    assert_eq!(back.len(), 2);
    assert_eq!(back[1].as_ref().err().and_then(JsValue::as_string).as_deref(), Some("broken"));

    let raw = ReadableStream::from_stream(futures::stream::iter(vec![Ok(JsValue::from(1))])).into_raw();
    let first = ReadableStream::from_raw(raw.clone()).into_stream();
    let second: Vec<_> = ReadableStream::from_raw(raw.clone()).into_stream().collect().await;
    assert!(second.len() == 1 && second[0].is_err(), "locked to the first reader");
    // Dropped before its end: cancelled and unlocked.
    drop(first);
    let third: Vec<_> = ReadableStream::from_raw(raw).into_stream().collect().await;
    assert!(third.is_empty(), "cancelled, so done: {third:?}");

    // A cancel while a pull waits drops the Rust stream.
    struct Dropped(std::rc::Rc<std::cell::Cell<bool>>);
    impl Drop for Dropped {
        fn drop(&mut self) {
            self.0.set(true);
        }
    }
    let dropped = std::rc::Rc::new(std::cell::Cell::new(false));
    let flag = Dropped(dropped.clone());
    let never = futures::stream::pending::<Result<JsValue, JsValue>>().map(move |item| {
        let _held = &flag;
        item
    });
    let raw = ReadableStream::from_stream(never).into_raw();
    let reader: web_sys::ReadableStreamDefaultReader = raw.get_reader().unchecked_into();
    let _waiting = reader.read();
    settle().await;
    assert!(!dropped.get());
    let _ = wasm_bindgen_futures::JsFuture::from(reader.cancel()).await;
    settle().await;
    assert!(dropped.get(), "the pull in progress was aborted");
}

#[wasm_bindgen_test]
fn link_labels_match_across_case_in_the_browser() {
    // The wasm has no Unicode case table: labels beyond ASCII fold in the browser
    // (platform::fold_case), and must match as unicase matches them natively.
    use article_widget::markdown::{parse, to_html, LABEL_EXAMPLES, LINK_REL};
    for (source, shown) in LABEL_EXAMPLES {
        let html = to_html(&parse(source)).replace(&format!(" rel=\"{LINK_REL}\""), "");
        assert_eq!(html.trim_end(), *shown, "{source}");
    }
}

#[wasm_bindgen_test]
fn answers_read_in_the_wasm_as_natively() {
    // 32-bit usize, 1 MB stack: counts still saturate, and the deepest text the parser takes is
    // read and dropped without recursion.
    use article_widget::api::{json, Reaction, MAX_REPLY_DEPTH};
    for (count, expected) in
        [("1e4294967296", u64::MAX), ("18446744073709551615", u64::MAX), ("2.7", 2), ("-1", 0), ("1e19", 10u64.pow(19))]
    {
        let reaction: Reaction =
            json::from_str(&format!(r#"{{"kind":"like","count":{count},"reacted":false}}"#)).unwrap();
        assert_eq!(reaction.count, expected, "{count}");
    }
    let deep = format!("{}{}", "[".repeat(json::MAX_DEPTH), "]".repeat(json::MAX_DEPTH));
    assert!(json::parse(&deep).is_ok());
    assert!(json::parse(&format!("[{deep}]")).is_err());
    assert_eq!(MAX_REPLY_DEPTH, 32);
}

#[wasm_bindgen_test]
async fn a_reply_chain_3000_deep_loads_nested_32_deep_then_flattened() {
    // Each reply answers the one before (6,000 levels of JSON).
    let n = 3_000;
    let mut body = String::from(r#"{"comments":["#);
    for i in 0..n {
        let parent = if i == 0 { "null".to_owned() } else { format!("\"c{}\"", i - 1) };
        body.push_str(&format!(
            r#"{{"id":"c{i}","parent_id":{parent},"author":{{"name":"R{i}"}},"body":"reply {i}","created_at":"2026-11-20T10:00:00Z","edited_at":null,"reactions":[],"reply_count":{},"replies":["#,
            n - 1 - i
        ));
    }
    body.push_str(&"]}".repeat(n));
    body.push_str(&format!(r#"],"next_cursor":null,"total":{n}}}"#));
    let stub = FetchStub::install(move |call| match call.method.as_str() {
        "GET" if call.path().ends_with("/comments") => Reply::Body(200, body.clone()),
        _ => happy(call),
    });
    let w = thread_of(&stub, 0);
    w.wait_for(".aw-comment[data-comment-id='c0']").await;
    // The head of the chain nests; below the cap its replies sit side by side, each "in reply to"
    // its parent: the whole chain.
    w.wait_for(&format!(".aw-comment[data-comment-id='c{}']", n - 1)).await;
    let below = w.all("li:has(> .aw-comment[data-comment-id='c31']) > ol > li > .aw-comment").len();
    assert_eq!(below, n - 32, "replies below the cap sit side by side under c31");
    // Each still says whom it answers.
    let reply_to = w.get(".aw-comment[data-comment-id='c40'] .aw-reply-to").text_content().unwrap();
    assert!(reply_to.contains("R39"), "{reply_to}");
    assert!(w.find("[role=alert]").is_none(), "{}", w.root.inner_html());
}

#[wasm_bindgen_test]
async fn the_check_for_new_comments_backs_off_while_the_server_fails() {
    // Polling every second against a server that answers 503 to every check: asked at 1 s, then
    // after skipping 1 tick (3 s), then 3 ticks (7 s) — not every second.
    let stub = FetchStub::install(|call| match call.method.as_str() {
        "GET" if call.path().ends_with("/comments") => json(200, page(vec![], None, 0)),
        _ => json(503, json!({ "error": { "code": "unavailable", "message": "down" } })),
    });
    let _w = thread_of(&stub, 1);
    sleep(7_500).await;
    let checks = stub.calls_to("GET", ID).len();
    assert!((2..=4).contains(&checks), "{checks} checks in 7.5 s (every second would be 7)");
}

#[wasm_bindgen_test]
async fn two_bars_answered_out_of_order_both_end_with_what_the_server_holds() {
    // Bar a likes, then bar b dislikes (exclusive: a PUT that moves the reaction). The server does
    // them in that order, so it ends with the dislike; but a's answer is slow and arrives last.
    let stub = FetchStub::install(|call| {
        if call.path().ends_with("/like") {
            late(300, json(200, reactions(9, true, 0, false)))
        } else {
            late(10, json(200, reactions(8, false, 1, true)))
        }
    });
    let seed = || {
        vec![
            Reaction { kind: "like".into(), count: 8, reacted: false },
            Reaction { kind: "dislike".into(), count: 0, reacted: false },
        ]
    };
    let (api_a, api_b) = (ApiClient::new(stub.base()), ApiClient::new(stub.base()));
    let (ra, rb) = (seed(), seed());
    let a = mount(move || view! { <ReactionBar api=api_a article_id=ID reactions=ra exclusive=true /> });
    let b = mount(move || view! { <ReactionBar api=api_b article_id=ID reactions=rb exclusive=true /> });
    a.click(".aw-reaction[data-kind=like]");
    sleep(20).await;
    b.click(".aw-reaction[data-kind=dislike]");
    sleep(600).await;
    assert_eq!(stub.calls().len(), 2, "no request beyond the two clicks");
    for (name, bar) in [("a", &a), ("b", &b)] {
        let pressed =
            |kind: &str| bar.get(&format!(".aw-reaction[data-kind={kind}]")).get_attribute("aria-pressed").unwrap();
        assert_eq!((pressed("like").as_str(), pressed("dislike").as_str()), ("false", "true"), "bar {name}");
    }
}

#[wasm_bindgen_test]
fn gfm_in_the_dom_one_link_per_link_and_a_table_without_style_attributes() {
    use article_widget::components::Markdown;
    let source = "See https://example.com/a, <me@example.com>, [t](https://e.com \"Title\"), \
                  [![badge](https://x.io/b.png)](https://x.io/badge) and ~~struck~~.\n\n\
                  | a | b |\n|:-:|--:|\n| 1 | 2 |\n\n- [x] done\n\n```rust\nfn main() {}\n```";
    let w = mount(move || view! { <Markdown source=source /> });
    let links = w.all("a");
    let hrefs: Vec<String> = links.iter().map(|a| a.get_attribute("href").unwrap()).collect();
    assert_eq!(hrefs, ["https://example.com/a", "mailto:me@example.com", "https://e.com", "https://x.io/badge"]);
    assert!(w.all("a a, a img, img").is_empty(), "no link in a link, no image");
    assert_eq!(links[2].get_attribute("title").as_deref(), Some("Title"));
    assert_eq!(links[3].text_content().unwrap(), "badge");
    assert!(links.iter().all(|a| a.get_attribute("rel").as_deref() == Some("nofollow ugc noopener noreferrer")));
    assert_eq!(w.get("del").text_content().unwrap(), "struck");
    assert_eq!(w.get("th").get_attribute("class").as_deref(), Some("aw-align-center"));
    assert_eq!(w.get("td:last-child").get_attribute("class").as_deref(), Some("aw-align-right"));
    assert!(w.all("[style]").is_empty());
    assert_eq!(w.get(".aw-task").text_content().unwrap(), "☑");
    assert_eq!(w.get("pre code").get_attribute("class").as_deref(), Some("language-rust"));
}

// ---- each case of the hostile-input issue, in the browser ------------------------------------------

#[wasm_bindgen_test]
async fn a_header_value_outside_latin1_is_named_instead_of_loading_for_ever() {
    let stub = FetchStub::install(happy);
    let w = mount_element(&[
        ("data-api-base", stub.base().as_str()),
        ("data-article-id", ID),
        ("data-headers", r#"{"X-Reader": "Zoë ☃"}"#),
    ]);
    w.wait_for_text("data-headers").await;
    assert!(w.find("[role=alert]").is_some());
    assert!(!w.text().contains("Loading"), "{}", w.text());
    assert!(stub.calls().is_empty(), "nothing sent with a header fetch would refuse");
}

#[wasm_bindgen_test]
async fn a_429_on_a_reaction_or_a_list_says_busy_not_posting_too_fast() {
    let busy = || {
        Reply::WithHeaders(
            429,
            json!({"error": {"code": "rate_limited", "message": "slow down"}}).to_string(),
            vec![("retry-after", "5".into())],
        )
    };
    let stub = FetchStub::install(move |call| match call.method.as_str() {
        "GET" if call.path().ends_with("/comments") => busy(),
        "PUT" => busy(),
        _ => happy(call),
    });
    let w =
        mount_element(&[("data-api-base", stub.base().as_str()), ("data-article-id", ID), ("data-poll-seconds", "0")]);
    w.wait_for_text("the server is busy. Try again in 5 seconds.").await;
    w.click(".aw-article .aw-reaction[data-kind=like]");
    for _ in 0..50 {
        if w.text().matches("the server is busy").count() >= 2 {
            break;
        }
        sleep(20).await;
    }
    assert!(w.text().matches("the server is busy").count() >= 2, "both say so: {}", w.text());
    assert!(!w.text().contains("posting too fast"), "{}", w.text());
}

#[wasm_bindgen_test]
async fn a_retry_after_of_days_waits_ten_minutes_at_most_and_is_said_once() {
    let stub = FetchStub::install(|call| match call.method.as_str() {
        "POST" => Reply::WithHeaders(
            429,
            json!({"error": {"code": "rate_limited", "message": "slow down"}}).to_string(),
            vec![("retry-after", "999999".into())],
        ),
        _ => json(200, page(vec![], None, 0)),
    });
    let w = thread_of(&stub, 0);
    w.wait_for_text("Be the first to comment!").await;
    w.post("Ada", "Patience");
    w.wait_for_text("Wait 600 s").await;
    assert_eq!(w.text().matches("You can post again in").count(), 1, "one message, not two: {}", w.text());
    assert!(w.text().contains("You can post again in 600 seconds."), "{}", w.text());
    assert_eq!(w.value("textarea[name=body]"), "Patience", "the text is kept");
}

#[wasm_bindgen_test]
async fn a_hostile_comment_in_one_widget_leaves_the_other_working() {
    let bomb = format!("{}deep", "> ".repeat(2_400));
    let stub = FetchStub::install(move |call| match call.method.as_str() {
        "GET" if call.path().ends_with("/comments") => json(200, page(vec![comment("bomb", &bomb)], None, 1)),
        "PUT" => json(200, reactions(9, true, 0, false)),
        _ => happy(call),
    });
    let thread = thread_of(&stub, 0);
    let other = mount_element(&[
        ("data-api-base", stub.base().as_str()),
        ("data-article-id", ID),
        ("data-parts", "reactions"),
        ("data-poll-seconds", "0"),
    ]);
    thread.wait_for(".aw-comment[data-comment-id='bomb']").await;
    other.wait_for(".aw-reaction[data-kind=like]").await;
    other.click(".aw-reaction[data-kind=like]");
    other.wait_for(".aw-reaction[data-kind=like][aria-pressed=true]").await;
    assert_eq!(other.get(".aw-reaction[data-kind=like]").get_attribute("aria-label").unwrap(), "Like, 9 reactions");
}

#[wasm_bindgen_test]
async fn replies_a_server_did_not_send_inline_come_with_show_more_in_place() {
    let reply = |i: usize| {
        let mut r = comment(&format!("r{i}"), &format!("reply {i}"));
        r["parent_id"] = json!("top");
        r
    };
    let mut top = comment("top", "A popular comment");
    top["replies"] = json!((0..3).map(reply).collect::<Vec<_>>());
    top["reply_count"] = json!(10);
    let fail_once = std::rc::Rc::new(std::cell::Cell::new(true));
    let stub = FetchStub::install(move |call| {
        let path = call.path();
        if path.ends_with("/comments/top/replies") {
            if fail_once.replace(false) {
                return json(500, json!({ "error": { "code": "x", "message": "down" } }));
            }
            // Four a page, the cursor being where the last one ended.
            let from = call
                .url
                .split("cursor=")
                .nth(1)
                .and_then(|c| c.split('&').next())
                .and_then(|c| c.parse().ok())
                .unwrap_or(0);
            let to = (from + 4).min(10);
            let next = (to < 10).then(|| to.to_string());
            json(200, page((from..to).map(reply).collect(), next.as_deref(), 10))
        } else if path.ends_with("/comments") {
            json(200, page(vec![top.clone()], None, 11))
        } else {
            happy(call)
        }
    });
    let w = thread_of(&stub, 0);
    let button = w.wait_for(".aw-more-replies button").await;
    assert_eq!(button.text_content().unwrap(), "Show 7 more replies");
    let first_reply = w.get(".aw-comment[data-comment-id='r0']");
    // The first try fails: the reason shows, the button stays.
    w.click(".aw-more-replies button");
    w.wait_for(".aw-more-replies [role=alert]").await;
    assert!(w.text().contains("Could not load the replies"));
    // Then page by page, in place.
    for _ in 0..10 {
        let Some(more) = w.find(".aw-more-replies button") else { break };
        more.focus().unwrap();
        more.click();
        sleep(50).await;
    }
    assert!(w.find(".aw-more-replies").is_none(), "nothing left to show: {}", w.text());
    // The focus, on the button that went away, moves to the comment's replies toggle.
    let active = web_sys::window().unwrap().document().unwrap().active_element().unwrap();
    assert!(active.class_list().contains("aw-toggle-replies"), "focus on {}", active.outer_html());
    let ids: Vec<String> =
        w.all(".aw-replies .aw-comment").iter().filter_map(|c| c.get_attribute("data-comment-id")).collect();
    assert_eq!(ids, (0..10).map(|i| format!("r{i}")).collect::<Vec<_>>());
    assert!(first_reply.is_connected(), "what was shown stays (not rebuilt)");
}

#[wasm_bindgen_test]
async fn the_reactions_and_the_comment_count_sit_under_the_headline_as_on_the_seed_page() {
    let stub = FetchStub::install(happy);
    let w =
        mount_element(&[("data-api-base", stub.base().as_str()), ("data-article-id", ID), ("data-poll-seconds", "0")]);
    let h1 = w.wait_for("h1.aw-title").await;
    let line = h1.next_element_sibling().expect("a line under the headline");
    assert_eq!(line.class_name(), "aw-headline-line");
    assert!(line.query_selector(".aw-reaction[data-kind=like]").unwrap().is_some(), "the reactions first");
    let count = w.get(".aw-headline-line .aw-comment-count");
    assert_eq!(count.get_attribute("aria-label").as_deref(), Some("Comments, 0"));
    assert_eq!(count.text_content().unwrap(), "💬 0");
    // It takes the reader, and the focus, to the thread.
    w.wait_for(".aw-comments-heading").await;
    count.click();
    let active = web_sys::window().unwrap().document().unwrap().active_element().unwrap();
    assert_eq!(active.class_name(), "aw-thread");
    // data-reactions-position="bottom": after the body, without the count.
    let w2 = mount_element(&[
        ("data-api-base", stub.base().as_str()),
        ("data-article-id", ID),
        ("data-poll-seconds", "0"),
        ("data-reactions-position", "bottom"),
    ]);
    w2.wait_for("h1.aw-title").await;
    assert!(w2.find(".aw-headline-line").is_none());
    let body = w2.get(".aw-article-body");
    assert!(
        body.next_element_sibling().is_some_and(|n| n.class_list().contains("aw-reactions")),
        "{}",
        w2.root.inner_html()
    );
}

/// The count under the headline follows the thread once it has loaded: a post moves it, as it moves
/// the thread's heading.
#[wasm_bindgen_test]
async fn the_comment_count_under_the_headline_follows_the_thread() {
    let stub = FetchStub::install(|call| match call.method.as_str() {
        "POST" => json(201, comment("new", "a first comment")),
        _ => happy(call),
    });
    let w =
        mount_element(&[("data-api-base", stub.base().as_str()), ("data-article-id", ID), ("data-poll-seconds", "0")]);
    w.wait_for(".aw-comments-heading").await;
    let count = w.wait_for(".aw-headline-line .aw-comment-count").await;
    assert_eq!(count.text_content().unwrap(), "💬 0");
    w.type_into("input[name=author_name]", "Ada");
    w.type_into("textarea[name=body]", "a first comment");
    w.click("button[type=submit]");
    w.wait_for(".aw-comment[data-comment-id='new']").await;
    w.wait_for_text("Comments (1)").await;
    settle().await;
    assert_eq!(count.text_content().unwrap(), "💬 1");
    assert_eq!(count.get_attribute("aria-label").as_deref(), Some("Comments, 1"));
}

// ---- edit, delete, report ----------------------------------------------------------------------

/// The answer to a post as a v1.1 server gives it: the comment, its edit token and its time.
fn posted(id: &str, body: &str, parent: Option<&str>, minutes_left: f64) -> Value {
    let mut c = comment(id, body);
    c["author"]["name"] = json!("Ada");
    c["parent_id"] = json!(parent);
    c["edit_token"] = json!(format!("tok-{id}"));
    c["editable_until"] = json!(iso_minutes_ago(-minutes_left));
    c
}

/// Clicks as a person does: the focus goes to what is clicked first.
fn press(w: &Mounted, selector: &str) {
    let el = w.get(selector);
    el.focus().unwrap();
    el.click();
}

fn press_escape(el: &web_sys::HtmlElement) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    init.set_bubbles(true);
    let escape = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    el.dispatch_event(&escape).unwrap();
}

fn focused_text() -> String {
    web_sys::window().unwrap().document().unwrap().active_element().and_then(|e| e.text_content()).unwrap_or_default()
}

#[wasm_bindgen_test]
async fn an_own_comment_is_edited_in_place_and_a_failed_save_keeps_the_text() {
    let stub = FetchStub::install(|call| match call.method.as_str() {
        "POST" => json(201, posted("51", "Frist", None, 10.0)),
        "PATCH" => json(503, json!({"error": {"code": "unavailable", "message": "maintenance"}})),
        _ => happy(call),
    });
    let w = thread_of(&stub, 0);
    w.wait_for_text("Be the first to comment!").await;
    w.post("Ada", "Frist");
    let edit = w.wait_for(".aw-edit-button").await;
    assert_eq!(edit.text_content().unwrap(), "Edit · 10 min left");
    assert!(w.find(".aw-delete-button").is_some());
    edit.focus().unwrap();
    edit.click();
    let field = w.wait_for(".aw-edit textarea").await;
    assert_eq!(w.value(".aw-edit textarea"), "Frist");
    settle().await;
    assert_eq!(web_sys::window().unwrap().document().unwrap().active_element(), Some(field.clone().into()));
    assert!(w.find(".aw-comment-body").is_none(), "the form stands in place of the text");

    // The composer's rule, before anything is sent.
    w.type_into(".aw-edit textarea", "   ");
    press(&w, ".aw-edit button[type=submit]");
    w.wait_for_text("Please write a comment.").await;
    assert!(stub.calls_to("PATCH", "/comments/51").is_empty());
    // A failed save keeps the text and says why.
    w.type_into(".aw-edit textarea", "First");
    press(&w, ".aw-edit button[type=submit]");
    w.wait_for_text("Not saved: the server answered 503.").await;
    assert_eq!(w.value(".aw-edit textarea"), "First");
    assert_eq!(w.all("[role=alert]").len(), 1);

    stub.answer(|call| match call.method.as_str() {
        "PATCH" => {
            let mut c = comment("51", "First");
            c["author"]["name"] = json!("Ada");
            c["edited_at"] = json!("2026-11-20T10:05:00Z");
            late(30, json(200, c))
        }
        _ => happy(call),
    });
    press(&w, ".aw-edit button[type=submit]");
    settle().await;
    assert_eq!(w.get(".aw-edit button[type=submit]").text_content().unwrap(), "Saving…");
    w.wait_for_text("(edited)").await;
    assert!(w.find(".aw-edit").is_none());
    assert_eq!(w.get(".aw-comment-body").text_content().unwrap(), "First");
    let patch = stub.calls_to("PATCH", "/comments/51").pop().unwrap();
    assert_eq!(patch.header("x-edit-token").as_deref(), Some("tok-51"));
    assert_eq!(serde_json::from_str::<Value>(&patch.body).unwrap(), json!({"body": "First"}));
    assert!(focused_text().starts_with("Edit ·"), "focus back on Edit");

    // Escape closes an edit without sending it.
    press(&w, ".aw-edit-button");
    let field = w.wait_for(".aw-edit textarea").await;
    w.type_into(".aw-edit textarea", "never sent");
    press_escape(&field);
    settle().await;
    assert!(w.find(".aw-edit").is_none());
    assert_eq!(stub.calls_to("PATCH", "/comments/51").len(), 2);
    assert!(focused_text().starts_with("Edit ·"));
}

#[wasm_bindgen_test]
async fn delete_asks_in_place_then_leaves_a_tombstone_over_replies_and_nothing_without() {
    let stub = FetchStub::install(|call| match call.method.as_str() {
        "POST" => {
            let sent: Value = serde_json::from_str(&call.body).unwrap();
            let parent = sent["parent_id"].as_str();
            let id = if parent.is_some() { "71" } else { "70" };
            json(201, posted(id, sent["body"].as_str().unwrap(), parent, 10.0))
        }
        "DELETE" => Reply::Body(204, String::new()),
        _ => happy(call),
    });
    let w = thread_of(&stub, 0);
    w.wait_for_text("Be the first to comment!").await;
    w.post("Ada", "Parent");
    w.wait_for(".aw-comment[data-comment-id='70'] .aw-delete-button").await;
    press(&w, ".aw-comment[data-comment-id='70'] button[aria-expanded]"); // Reply
    w.wait_for(".aw-reply-composer textarea").await;
    w.type_into(".aw-reply-composer textarea", "Child");
    press(&w, ".aw-reply-composer button[type=submit]");
    w.wait_for(".aw-comment[data-comment-id='71'] .aw-delete-button").await;
    w.wait_for_text("Comments (2)").await;

    // Asked in place; Keep it changes nothing and gives the focus back to Delete.
    press(&w, ".aw-comment[data-comment-id='70'] .aw-delete-button");
    w.wait_for_text("Delete this comment? This cannot be undone.").await;
    settle().await;
    assert_eq!(focused_text(), "Keep it");
    press(&w, ".aw-confirm .aw-cancel");
    settle().await;
    assert!(w.find(".aw-confirm").is_none());
    assert_eq!(focused_text(), "Delete");
    assert!(stub.calls_to("DELETE", "/comments/70").is_empty());

    press(&w, ".aw-comment[data-comment-id='70'] .aw-delete-button");
    w.wait_for(".aw-confirm").await;
    press(&w, ".aw-confirm button[type=submit]");
    w.wait_for(".aw-tombstone[data-comment-id='70']").await;
    assert_eq!(w.get(".aw-tombstone .aw-comment-deleted").text_content().unwrap(), "Comment deleted");
    assert!(w.find(".aw-tombstone .aw-toggle-replies").is_some(), "its replies can still be hidden");
    assert!(w.find(".aw-comment[data-comment-id='71']").is_some(), "the reply stays below");
    w.wait_for_text("Comments (1)").await;
    sleep(20).await;
    let active = || web_sys::window().unwrap().document().unwrap().active_element().unwrap();
    assert!(active().class_list().contains("aw-tombstone"), "the focus goes to what took its place");
    assert_eq!(stub.calls_to("DELETE", "/comments/70")[0].header("x-edit-token").as_deref(), Some("tok-70"));

    // The last reply goes, and the tombstone with it.
    press(&w, ".aw-comment[data-comment-id='71'] .aw-delete-button");
    w.wait_for(".aw-confirm").await;
    press(&w, ".aw-confirm button[type=submit]");
    w.wait_for_text("Comments (0)").await;
    sleep(20).await;
    assert!(w.find(".aw-comment").is_none() && w.find(".aw-tombstone").is_none());
    assert_eq!(active().tag_name(), "H2", "nothing left in its place: the thread's heading");
}

#[wasm_bindgen_test]
async fn a_refused_token_closes_the_controls_and_says_why() {
    let stub = FetchStub::install(|call| match call.method.as_str() {
        "POST" => json(201, posted("90", "Mine", None, 10.0)),
        "DELETE" => json(403, json!({"error": {"code": "edit_window_closed", "message": "Too late."}})),
        _ => happy(call),
    });
    let w = thread_of(&stub, 0);
    w.wait_for_text("Be the first to comment!").await;
    w.post("Ada", "Mine");
    w.wait_for(".aw-delete-button").await;
    press(&w, ".aw-delete-button");
    w.wait_for(".aw-confirm").await;
    press(&w, ".aw-confirm button[type=submit]");
    w.wait_for_text("Not deleted: the time to change this comment is over.").await;
    assert_eq!(w.get(".aw-confirm button[type=submit]").get_attribute("aria-disabled").as_deref(), Some("true"));
    assert!(w.find(".aw-edit-button").is_none(), "no more Edit");
    press(&w, ".aw-confirm button[type=submit]");
    sleep(20).await;
    assert_eq!(stub.calls_to("DELETE", "/comments/90").len(), 1, "not sent again");
}

#[wasm_bindgen_test]
async fn a_comment_deleted_elsewhere_says_so_and_keeps_the_edit() {
    let stub = FetchStub::install(|call| match call.method.as_str() {
        "POST" => json(201, posted("95", "Mine", None, 10.0)),
        "PATCH" => json(404, json!({"error": {"code": "comment_deleted", "message": "Deleted."}})),
        _ => happy(call),
    });
    let w = thread_of(&stub, 0);
    w.wait_for_text("Be the first to comment!").await;
    w.post("Ada", "Mine");
    let edit = w.wait_for(".aw-edit-button").await;
    edit.focus().unwrap();
    edit.click();
    w.wait_for(".aw-edit textarea").await;
    w.type_into(".aw-edit textarea", "Mine, better");
    // Another panel over a changed edit: the edit stays and says so.
    press(&w, ".aw-report-button");
    w.wait_for_text("Save or cancel your edit first.").await;
    assert!(w.find(".aw-report").is_none());
    press(&w, ".aw-edit button[type=submit]");
    w.wait_for_text("Not saved: this comment was deleted.").await;
    assert_eq!(w.value(".aw-edit textarea"), "Mine, better", "the text stays to be copied");
    assert!(w.find(".aw-no-reports").is_none() && w.find(".aw-edit-button").is_none());
}

#[wasm_bindgen_test]
async fn others_comments_offer_a_report_and_no_edit_and_a_v1_post_offers_no_edit() {
    let stub = FetchStub::install(|call| {
        let path = call.path();
        match call.method.as_str() {
            "GET" if path.ends_with("/comments") => json(200, page(vec![comment("80", "Buy pills")], None, 1)),
            "POST" if path.ends_with("/reports") => late(30, json(202, json!({"status": "received"}))),
            // A v1 server: no edit token in the answer.
            "POST" => json(201, comment("81", "Old server")),
            _ => happy(call),
        }
    });
    let w = thread_of(&stub, 0);
    w.wait_for(".aw-comment[data-comment-id='80']").await;
    assert!(w.find(".aw-edit-button").is_none() && w.find(".aw-delete-button").is_none());
    w.post("Ada", "Old server");
    w.wait_for(".aw-comment[data-comment-id='81']").await;
    assert!(w.find(".aw-edit-button").is_none(), "no grant, no Edit");

    let report = w.get(".aw-comment[data-comment-id='80'] .aw-report-button");
    assert_eq!(report.get_attribute("aria-expanded").as_deref(), Some("false"));
    report.focus().unwrap();
    report.click();
    w.wait_for(".aw-report input[type=radio]").await;
    assert_eq!(report.get_attribute("aria-expanded").as_deref(), Some("true"));
    assert_eq!(w.get(".aw-report legend").text_content().unwrap(), "Why are you reporting this comment?");
    assert_eq!(w.all(".aw-report input[type=radio]").len(), 4);
    press(&w, ".aw-report button[type=submit]");
    w.wait_for_text("Please choose a reason.").await;
    assert!(stub.calls_to("POST", "/reports").is_empty());
    press(&w, ".aw-report input[value=abuse]");
    w.type_into(".aw-report textarea", "  Insults.  ");
    press(&w, ".aw-report button[type=submit]");
    w.wait_for_text("Thanks — a moderator will look at it.").await;
    assert!(w.find(".aw-report").is_none());
    let sent = stub.calls_to("POST", "/comments/80/reports").pop().unwrap();
    assert_eq!(serde_json::from_str::<Value>(&sent.body).unwrap(), json!({"reason": "abuse", "note": "Insults."}));
    settle().await;
    assert_eq!(focused_text(), "Report");
}

#[wasm_bindgen_test]
async fn cards_outside_a_comment_thread_hear_their_own_clicks() {
    use article_widget::api::Sort;
    use article_widget::components::CommentList;
    use article_widget::i18n::Strings;
    use article_widget::state::ThreadHandle;
    let stub = FetchStub::install(|call| match call.method.as_str() {
        "PUT" | "POST" => json(200, json!({ "reactions": [{ "kind": "like", "count": 1, "reacted": true }] })),
        _ => json(200, page(vec![comment("1", "first")], None, 1)),
    });
    // A page of its own design: the thread's handle and a list, without CommentThread (whose one
    // listener hears the cards' clicks otherwise).
    let api = ApiClient::new(stub.base());
    let w = mount(move || {
        provide_context(ThreadHandle::new(api, ID.into(), Sort::Oldest, 20, 0, Strings::default(), None));
        view! { <CommentList parent=None /> }
    });
    let card = w.wait_for(".aw-comment[data-comment-id='1']").await;
    let reply = card.query_selector(".aw-comment-actions > button.aw-button").unwrap().unwrap();
    reply.unchecked_ref::<web_sys::HtmlElement>().click();
    w.wait_for(".aw-reply-composer textarea").await;
    assert_eq!(reply.get_attribute("aria-expanded").as_deref(), Some("true"));
    w.click(".aw-comment[data-comment-id='1'] .aw-reaction");
    w.wait_for(".aw-comment .aw-reaction[aria-pressed=true]").await;
    assert_eq!(stub.calls_to("PUT", &format!("/articles/{ID}/comments/1/reactions/like")).len(), 1);
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/components/build.js")]
extern "C" {
    #[wasm_bindgen(js_name = appendNodes)]
    fn append_nodes(el: &web_sys::Element, json: &str);
}

#[wasm_bindgen_test]
fn the_dom_builder_makes_only_what_its_allowlists_allow() {
    // The JSON comes from the safe Markdown tree; were it ever wrong, build.js still makes no script,
    // no image, no event attribute and no link to anything but http, https and mailto.
    let div = web_sys::window().unwrap().document().unwrap().create_element("div").unwrap();
    append_nodes(
        &div,
        r#"[["script",[],"alert(1)"],["img",[["src","x"]]],["p",[["onclick","alert(1)"],["class","aw-task"]],
            ["a",[["href","javascript:alert(1)"],["title","t"],["HREF","https://x.org"]],"js"],
            ["a",[["href","https://example.com/"],["class","aw-report-button"]],"ok"],
            ["a",[["href","MAILTO:a@example.com"],["rel","opener"]],"mail"],
            ["span",[["class","aw-report-button"]],"r"],["span",[["class","aw-task"],["href","https://x.org"]],"☐"],
            ["code",[["class","language-rust x"]],"c"],["ol",[["start","3"],["constructor","x"]]]],"<b>text</b>"]"#,
    );
    assert_eq!(
        div.inner_html(),
        concat!(
            r#"<p><a title="t">js</a><a href="https://example.com/">ok</a><a href="MAILTO:a@example.com">mail</a>"#,
            r#"<span>r</span><span class="aw-task">☐</span><code>c</code><ol start="3"></ol></p>&lt;b&gt;text&lt;/b&gt;"#
        )
    );
}

#[wasm_bindgen_test]
fn the_bundles_heap_allocates_frees_reallocates_and_grows() {
    use std::alloc::{GlobalAlloc, Layout};
    // A heap of its own (the tests run on the default allocator), used as the bundle uses it.
    let heap = article_widget::heap::new();
    let mut blocks = Vec::new();
    for i in 0..3000usize {
        let layout = Layout::from_size_align(1 + (i * 37) % 3000, 1 << (i % 6)).unwrap();
        let p = unsafe { heap.alloc(layout) };
        assert!(!p.is_null() && (p as usize).is_multiple_of(layout.align()));
        unsafe { p.write_bytes(i as u8, layout.size()) };
        blocks.push((p, layout, i as u8));
    }
    // More than half the memory at once: one growth, not many.
    let big = Layout::from_size_align(24 << 20, 16).unwrap();
    let p = unsafe { heap.alloc(big) };
    assert!(!p.is_null());
    unsafe { p.write_bytes(0xAB, big.size()) };
    for (i, (p, layout, value)) in blocks.iter_mut().enumerate() {
        let bytes = unsafe { std::slice::from_raw_parts(*p, layout.size()) };
        assert!(bytes.iter().all(|b| b == value), "block {i} kept its bytes");
        if i % 2 == 0 {
            unsafe { heap.dealloc(*p, *layout) };
        } else {
            let grown = unsafe { heap.realloc(*p, *layout, layout.size() * 3) };
            assert!(!grown.is_null());
            let bytes = unsafe { std::slice::from_raw_parts(grown, layout.size()) };
            assert!(bytes.iter().all(|b| b == value), "block {i} kept its bytes when moved");
            unsafe { heap.dealloc(grown, Layout::from_size_align(layout.size() * 3, layout.align()).unwrap()) };
        }
    }
    let bytes = unsafe { std::slice::from_raw_parts(p, big.size()) };
    assert!(bytes.iter().all(|&b| b == 0xAB));
    unsafe { heap.dealloc(p, big) };
}
