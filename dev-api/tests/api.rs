//! dev-api over real HTTP with a temporary SQLite file. Every response body is validated strictly
//! against `openapi.yaml`, so the server cannot drift from the contract.

#[path = "../../tests/support/openapi.rs"]
mod openapi;

use std::path::PathBuf;

use dev_api::{Config, Running};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const ARTICLE: &str = "openai-microsoft-aws";

struct Server {
    running: Running,
    client: reqwest::Client,
    db: PathBuf,
    _dir: tempfile::TempDir,
}

fn config(db: PathBuf) -> Config {
    Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        db,
        cors_origins: vec!["http://widget.test".into()],
        posts_per_minute: 100,
        ..Config::default()
    }
}

impl Server {
    async fn start() -> Server {
        Server::start_with(|_| {}).await
    }

    async fn start_with(tweak: impl FnOnce(&mut Config)) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("nested/dev-api.sqlite3");
        let mut config = config(db.clone());
        tweak(&mut config);
        let running = dev_api::start(config).await.unwrap();
        Server { running, client: reqwest::Client::new(), db, _dir: dir }
    }

    async fn restart(self) -> Server {
        let Server { running, client, db, _dir } = self;
        running.stop().await;
        let running = dev_api::start(config(db.clone())).await.unwrap();
        Server { running, client, db, _dir }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}/api{path}", self.running.addr)
    }

    /// Sends a request and validates the answer against the contract: `schema` for a success,
    /// `Error` otherwise.
    async fn call(
        &self,
        method: Method,
        path: &str,
        viewer: Option<&str>,
        body: Option<(Value, &str)>,
        schema: &str,
    ) -> (StatusCode, Value) {
        let mut request = self.client.request(method, self.url(path));
        if let Some(viewer) = viewer {
            request = request.header("X-Viewer-Id", viewer);
        }
        if let Some((body, key)) = body {
            request = request.header("Idempotency-Key", key).json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let value: Value = response.json().await.unwrap_or(Value::Null);
        openapi::assert_valid(if status.is_success() { schema } else { "Error" }, &value);
        (status, value)
    }

    async fn article(&self, viewer: Option<&str>) -> Value {
        let (status, body) = self.call(Method::GET, &format!("/articles/{ARTICLE}"), viewer, None, "Article").await;
        assert_eq!(status, 200);
        body
    }

    async fn react(&self, viewer: &str, kind: &str, on: bool) -> (StatusCode, Value) {
        let method = if on { Method::PUT } else { Method::DELETE };
        self.call(method, &format!("/articles/{ARTICLE}/reactions/{kind}"), Some(viewer), None, "ReactionList").await
    }

    async fn post(&self, viewer: &str, key: &str, body: Value) -> (StatusCode, Value) {
        self.call(
            Method::POST,
            &format!("/articles/{ARTICLE}/comments"),
            Some(viewer),
            Some((body, key)),
            "PostedComment",
        )
        .await
    }

    /// `PATCH` (with a body) or `DELETE` (without) comment `id`, with `token` as `X-Edit-Token`.
    async fn change(&self, id: &Value, token: Option<&Value>, body: Option<Value>) -> (StatusCode, Value) {
        let id = id.as_str().unwrap();
        let method = if body.is_some() { Method::PATCH } else { Method::DELETE };
        let mut request = self.client.request(method, self.url(&format!("/articles/{ARTICLE}/comments/{id}")));
        if let Some(token) = token {
            request = request.header("X-Edit-Token", token.as_str().unwrap());
        }
        if let Some(body) = &body {
            request = request.json(body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let value: Value = response.json().await.unwrap_or(Value::Null);
        if status != StatusCode::NO_CONTENT {
            openapi::assert_valid(if status.is_success() { "Comment" } else { "Error" }, &value);
        }
        (status, value)
    }

    async fn report(&self, viewer: Option<&str>, id: &Value, body: Value) -> (StatusCode, Value) {
        let path = format!("/articles/{ARTICLE}/comments/{}/reports", id.as_str().unwrap());
        let mut request = self.client.post(self.url(&path)).json(&body);
        if let Some(viewer) = viewer {
            request = request.header("X-Viewer-Id", viewer);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let value: Value = response.json().await.unwrap_or(Value::Null);
        openapi::assert_valid(if status.is_success() { "ReportReceipt" } else { "Error" }, &value);
        (status, value)
    }

    async fn page(&self, query: &str) -> (StatusCode, Value) {
        self.call(Method::GET, &format!("/articles/{ARTICLE}/comments?{query}"), Some("reader-1"), None, "CommentPage")
            .await
    }
}

fn counts(reactions: &Value) -> Vec<(String, u64, bool)> {
    reactions
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (r["kind"].as_str().unwrap().to_owned(), r["count"].as_u64().unwrap(), r["reacted"].as_bool().unwrap())
        })
        .collect()
}

fn c(kind: &str, count: u64, reacted: bool) -> (String, u64, bool) {
    (kind.into(), count, reacted)
}

#[tokio::test]
async fn the_seed_article_is_served() {
    let s = Server::start().await;
    let a = s.article(None).await;
    assert_eq!(a["id"], ARTICLE);
    assert!(a["title"].as_str().unwrap().starts_with("OpenAI cuts a deal with Microsoft to sell on AWS"));
    assert!(a["body"].as_str().unwrap().contains("Instead, they settled."));
    assert_eq!(counts(&a["reactions"]), [c("like", 8, false), c("dislike", 0, false)]);
    assert_eq!(a["reactions_exclusive"], true);
    assert_eq!(a["comment_count"], 0);
    assert!(s.db.exists(), "the database file and its folder are created");

    let (status, page) = s.page("").await;
    assert_eq!(status, 200);
    assert_eq!(page, json!({ "comments": [], "next_cursor": null, "total": 0 }));
}

#[tokio::test]
async fn unknown_things_are_404_with_an_error_body() {
    let s = Server::start().await;
    let (status, body) = s.call(Method::GET, "/articles/nope", None, None, "Article").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
    assert_eq!(s.call(Method::GET, "/articles/nope/comments", None, None, "CommentPage").await.0, 404);
    assert_eq!(s.react("v1", "heart", true).await.0, 404);
    let (status, _) = s
        .call(
            Method::PUT,
            &format!("/articles/{ARTICLE}/comments/999/reactions/like"),
            Some("v1"),
            None,
            "ReactionList",
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = s
        .call(
            Method::PUT,
            &format!("/articles/{ARTICLE}/comments/abc/reactions/like"),
            Some("v1"),
            None,
            "ReactionList",
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = s.call(Method::GET, "/nowhere", None, None, "Article").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn reactions_are_deduped_per_viewer_and_exclusive() {
    let s = Server::start().await;
    let (status, r) = s.react("viewer-a", "like", true).await;
    assert_eq!(status, 200);
    assert_eq!(counts(&r["reactions"]), [c("like", 9, true), c("dislike", 0, false)]);
    // Idempotent PUT.
    let (_, r) = s.react("viewer-a", "like", true).await;
    assert_eq!(counts(&r["reactions"]), [c("like", 9, true), c("dislike", 0, false)]);
    // Another viewer sees the count but not as their own.
    assert_eq!(counts(&s.article(Some("viewer-b")).await["reactions"]), [c("like", 9, false), c("dislike", 0, false)]);
    assert_eq!(counts(&s.article(Some("viewer-a")).await["reactions"]), [c("like", 9, true), c("dislike", 0, false)]);
    // Exclusive: a dislike moves the reaction in one request.
    let (_, r) = s.react("viewer-a", "dislike", true).await;
    assert_eq!(counts(&r["reactions"]), [c("like", 8, false), c("dislike", 1, true)]);
    // Idempotent DELETE.
    let (_, r) = s.react("viewer-a", "dislike", false).await;
    assert_eq!(counts(&r["reactions"]), [c("like", 8, false), c("dislike", 0, false)]);
    let (_, r) = s.react("viewer-a", "dislike", false).await;
    assert_eq!(counts(&r["reactions"]), [c("like", 8, false), c("dislike", 0, false)]);
}

#[tokio::test]
async fn writes_need_a_well_formed_viewer_id() {
    let s = Server::start().await;
    let (status, body) =
        s.call(Method::PUT, &format!("/articles/{ARTICLE}/reactions/like"), None, None, "ReactionList").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "malformed");
    assert_eq!(s.react("has space", "like", true).await.0, 400);
    assert_eq!(s.react(&"x".repeat(129), "like", true).await.0, 400);
    let (status, _) = s
        .call(
            Method::POST,
            &format!("/articles/{ARTICLE}/comments"),
            None,
            Some((json!({"author_name": "A", "body": "B"}), "k")),
            "Comment",
        )
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn concurrent_reactions_from_many_viewers_leave_exact_counts() {
    let s = std::sync::Arc::new(Server::start().await);
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let s = s.clone();
            tokio::spawn(async move {
                // Every viewer likes; odd viewers then switch to dislike; every fifth removes it.
                assert_eq!(s.react(&format!("v{i}"), "like", true).await.0, 200);
                if i % 2 == 1 {
                    assert_eq!(s.react(&format!("v{i}"), "dislike", true).await.0, 200);
                }
                if i % 5 == 0 {
                    let kind = if i % 2 == 1 { "dislike" } else { "like" };
                    assert_eq!(s.react(&format!("v{i}"), kind, false).await.0, 200);
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    // 25 even viewers like, 5 of them (0,10,20,30,40) removed; 25 odd dislike, 5 (5,15,25,35,45) removed.
    let a = s.article(None).await;
    let got = counts(&a["reactions"]);
    println!("server counts after 50 concurrent viewers: {got:?}");
    assert_eq!(got, [c("like", 8 + 20, false), c("dislike", 20, false)]);
}

#[tokio::test]
async fn posting_validates_like_the_contract() {
    let s = Server::start().await;
    for (body, field) in [
        (json!({"author_name": "   ", "body": "hi"}), "author_name"),
        (json!({"author_name": "n".repeat(81), "body": "hi"}), "author_name"),
        (json!({"author_name": "Ada", "body": " \n\t "}), "body"),
        (json!({"author_name": "Ada", "body": "x".repeat(5001)}), "body"),
        (json!({"author_name": "Ada", "body": "hi", "parent_id": "999"}), "parent_id"),
    ] {
        let (status, err) = s.post("v1", "k", body).await;
        assert_eq!(status, 422);
        assert_eq!(err["error"]["code"], "validation");
        assert_eq!(err["error"]["field"], field);
    }
    // 80 and 5000 characters (not bytes) are fine.
    assert_eq!(s.post("v1", "k1", json!({"author_name": "ü".repeat(80), "body": "é".repeat(5000)})).await.0, 201);
    // Malformed bodies are 400s, a huge one 413.
    for bad in [json!({"author_name": "Ada"}), json!("just text"), json!({"author_name": 5, "body": "x"})] {
        assert_eq!(s.post("v1", "k2", bad).await.0, 400);
    }
    let huge = json!({"author_name": "Ada", "body": "x".repeat(70_000)});
    let (status, err) = s.post("v1", "k3", huge).await;
    assert_eq!(status, 413);
    assert_eq!(err["error"]["code"], "too_large");
    let response = s
        .client
        .post(s.url(&format!("/articles/{ARTICLE}/comments")))
        .header("X-Viewer-Id", "v1")
        .json(&json!({"author_name": "Ada", "body": "no key"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400, "Idempotency-Key is required");
    assert_eq!(s.page("").await.1["total"], 1);
}

#[tokio::test]
async fn an_idempotent_replay_returns_the_same_comment() {
    let s = Server::start().await;
    let body = json!({"author_name": "Ada", "body": "Only once, please."});
    let (status, first) = s.post("v1", "key-1", body.clone()).await;
    assert_eq!(status, 201);
    let (status, again) = s.post("v1", "key-1", body.clone()).await;
    assert_eq!(status, 201);
    assert_eq!(first["id"], again["id"]);
    let (_, page) = s.page("").await;
    assert_eq!(page["total"], 1);
    assert_eq!(s.article(None).await["comment_count"], 1);
    // The same key for another comment is refused; another viewer's same key is theirs.
    let (status, err) = s.post("v1", "key-1", json!({"author_name": "Ada", "body": "Different"})).await;
    assert_eq!(status, 422);
    assert_eq!(err["error"]["code"], "idempotency_key_reused");
    assert_eq!(s.post("v2", "key-1", body).await.0, 201);
    assert_eq!(s.page("").await.1["total"], 2);
}

#[tokio::test]
async fn posting_is_rate_limited_per_viewer_but_replays_are_not() {
    let s = Server::start_with(|c| c.posts_per_minute = 2).await;
    let body = |i: u32| json!({"author_name": "Ada", "body": format!("comment {i}")});
    assert_eq!(s.post("v1", "a", body(1)).await.0, 201);
    assert_eq!(s.post("v1", "b", body(2)).await.0, 201);
    let response = s
        .client
        .post(s.url(&format!("/articles/{ARTICLE}/comments")))
        .header("X-Viewer-Id", "v1")
        .header("Idempotency-Key", "c")
        .json(&body(3))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "Retry-After {retry_after}");
    let err: Value = response.json().await.unwrap();
    openapi::assert_valid("Error", &err);
    assert_eq!(err["error"]["code"], "rate_limited");
    // A replay of an accepted post is not a new post.
    assert_eq!(s.post("v1", "a", body(1)).await.0, 201);
    // Other viewers are not affected.
    assert_eq!(s.post("v2", "a", body(1)).await.0, 201);
}

#[tokio::test]
async fn replies_nest_with_counts_and_comment_reactions() {
    let s = Server::start().await;
    let (_, top) = s.post("v1", "1", json!({"author_name": "Ada", "body": "top"})).await;
    let top_id = top["id"].as_str().unwrap().to_owned();
    let (_, reply) = s.post("v2", "2", json!({"author_name": "Bob", "body": "reply", "parent_id": top_id})).await;
    assert_eq!(reply["parent_id"], top_id.as_str());
    let reply_id = reply["id"].as_str().unwrap().to_owned();
    let (_, deep) = s.post("v1", "3", json!({"author_name": "Ada", "body": "deeper", "parent_id": reply_id})).await;

    let path = |id: &str| format!("/articles/{ARTICLE}/comments/{id}/reactions/like");
    let (status, r) = s.call(Method::PUT, &path(&reply_id), Some("v1"), None, "ReactionList").await;
    assert_eq!(status, 200);
    assert_eq!(counts(&r["reactions"]), [c("like", 1, true)]);
    s.call(Method::PUT, &path(&reply_id), Some("v1"), None, "ReactionList").await;
    let (_, r) = s.call(Method::PUT, &path(&reply_id), Some("v3"), None, "ReactionList").await;
    assert_eq!(counts(&r["reactions"]), [c("like", 2, true)]);
    let (_, r) = s.call(Method::DELETE, &path(&reply_id), Some("v3"), None, "ReactionList").await;
    assert_eq!(counts(&r["reactions"]), [c("like", 1, false)]);
    assert_eq!(
        s.call(
            Method::PUT,
            &format!("/articles/{ARTICLE}/comments/{reply_id}/reactions/heart"),
            Some("v1"),
            None,
            "ReactionList"
        )
        .await
        .0,
        404
    );

    let (_, page) = s.page("").await;
    assert_eq!(page["total"], 3);
    let t = &page["comments"][0];
    assert_eq!(t["reply_count"], 2);
    assert_eq!(t["replies"][0]["id"], reply_id.as_str());
    assert_eq!(t["replies"][0]["reply_count"], 1);
    assert_eq!(t["replies"][0]["replies"][0]["id"], deep["id"]);
    // reader-1 (the page's viewer) did not react; the count is there.
    assert_eq!(counts(&t["replies"][0]["reactions"]), [c("like", 1, false)]);
    assert_eq!(s.article(None).await["comment_count"], 3);
}

#[tokio::test]
async fn pages_follow_cursors_in_every_order_without_gaps_or_repeats() {
    let s = Server::start().await;
    let mut ids = Vec::new();
    for i in 0..7 {
        let (_, c) = s.post(&format!("v{i}"), "k", json!({"author_name": "A", "body": format!("c{i}")})).await;
        ids.push(c["id"].as_str().unwrap().to_owned());
    }
    // Likes for `top`: c3 gets 2, c5 gets 1.
    for (id, viewers) in [(&ids[3], 2), (&ids[5], 1)] {
        for v in 0..viewers {
            s.call(
                Method::PUT,
                &format!("/articles/{ARTICLE}/comments/{id}/reactions/like"),
                Some(&format!("liker{v}")),
                None,
                "ReactionList",
            )
            .await;
        }
    }
    // A reply does not count as a top-level comment.
    s.post("v9", "r", json!({"author_name": "A", "body": "reply", "parent_id": ids[0]})).await;

    async fn walk(s: &Server, sort: &str) -> Vec<String> {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let q = match &cursor {
                Some(c) => format!("sort={sort}&limit=3&cursor={c}"),
                None => format!("sort={sort}&limit=3"),
            };
            let (status, page) = s.page(&q).await;
            assert_eq!(status, 200);
            assert_eq!(page["total"], 8);
            assert!(page["comments"].as_array().unwrap().len() <= 3);
            seen.extend(page["comments"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()));
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => return seen,
            }
        }
    }
    assert_eq!(walk(&s, "oldest").await, ids);
    let mut newest = ids.clone();
    newest.reverse();
    assert_eq!(walk(&s, "newest").await, newest);
    let top = walk(&s, "top").await;
    assert_eq!(top[..2], [ids[3].clone(), ids[5].clone()]);
    assert_eq!(top.len(), 7);

    // A comment added between pages is neither skipped nor repeated.
    let (_, first) = s.page("sort=oldest&limit=3").await;
    s.post("late", "k", json!({"author_name": "A", "body": "late"})).await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let (_, second) = s.page(&format!("sort=oldest&limit=10&cursor={cursor}")).await;
    assert_eq!(second["comments"].as_array().unwrap().len(), 5);

    for bad in ["sort=best", "limit=0", "limit=101", "limit=x", "cursor=zzz", "sort=top&cursor=bzox"] {
        let (status, _) = s.page(bad).await;
        assert_eq!(status, 400, "{bad}");
    }
    // An empty cursor is the same as none: the first page (openapi.yaml says so).
    let (status, empty) = s.page("sort=oldest&limit=3&cursor=").await;
    assert_eq!(status, 200);
    assert_eq!(empty["comments"], first["comments"]);
}

#[tokio::test]
async fn everything_survives_a_restart_and_the_seed_is_not_applied_again() {
    let s = Server::start().await;
    s.react("viewer-a", "like", true).await;
    let (_, posted) = s.post("viewer-a", "k", json!({"author_name": "Ada", "body": "Still here?"})).await;
    let s = s.restart().await;
    let a = s.article(Some("viewer-a")).await;
    assert_eq!(counts(&a["reactions"]), [c("like", 9, true), c("dislike", 0, false)]);
    assert_eq!(a["comment_count"], 1);
    let (_, page) = s.page("").await;
    assert_eq!(page["comments"][0]["id"], posted["id"]);
    assert_eq!(page["comments"][0]["body"], "Still here?");
    // The idempotency record survives too.
    let (_, replay) = s.post("viewer-a", "k", json!({"author_name": "Ada", "body": "Still here?"})).await;
    assert_eq!(replay["id"], posted["id"]);
}

#[tokio::test]
async fn cors_preflights_answer_configured_origins_only() {
    let s = Server::start().await;
    let preflight = |origin: &'static str| {
        s.client
            .request(Method::OPTIONS, s.url(&format!("/articles/{ARTICLE}/comments")))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type,x-viewer-id,idempotency-key")
            .send()
    };
    let edit = s
        .client
        .request(Method::OPTIONS, s.url(&format!("/articles/{ARTICLE}/comments/1")))
        .header("Origin", "http://widget.test")
        .header("Access-Control-Request-Method", "PATCH")
        .header("Access-Control-Request-Headers", "content-type,x-edit-token")
        .send()
        .await
        .unwrap();
    assert!(edit.status().is_success());
    let methods = edit.headers()["access-control-allow-methods"].to_str().unwrap().to_uppercase();
    let headers = edit.headers()["access-control-allow-headers"].to_str().unwrap().to_lowercase();
    assert!(methods.contains("PATCH") && methods.contains("DELETE") && headers.contains("x-edit-token"));
    let ok = preflight("http://widget.test").await.unwrap();
    assert!(ok.status().is_success());
    assert_eq!(ok.headers()["access-control-allow-origin"], "http://widget.test");
    assert_eq!(ok.headers()["access-control-allow-credentials"], "true");
    let allowed = ok.headers()["access-control-allow-headers"].to_str().unwrap().to_lowercase();
    assert!(allowed.contains("idempotency-key") && allowed.contains("x-viewer-id"), "{allowed}");
    let other = preflight("http://evil.test").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn names_are_stored_in_nfc_without_hidden_characters() {
    let s = Server::start().await;
    let (status, c) = s.post("viewer-n", "k-nfc", json!({ "author_name": "Zoe\u{301}\u{200B}", "body": "Hi" })).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(c["author"]["name"], "Zo\u{e9}");
    // A hidden character between the letter and its accent: out first, then composed.
    let (_, c) = s.post("viewer-n", "k-between", json!({ "author_name": "Ze\u{200B}\u{301}", "body": "Hi" })).await;
    assert_eq!(c["author"]["name"], "Z\u{e9}");
    let (status, e) = s.post("viewer-n", "k-empty", json!({ "author_name": "\u{202E}\u{200D}", "body": "Hi" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["field"], "author_name");
}

#[tokio::test]
async fn rotating_viewer_ids_from_one_address_are_held_by_the_address_limit() {
    // 2 posts per viewer, so 8 per address.
    let s = Server::start_with(|c| c.posts_per_minute = 2).await;
    let mut statuses = Vec::new();
    for i in 0..60 {
        let (status, _) =
            s.post(&format!("rotating-{i}"), &format!("k{i}"), json!({ "author_name": "R", "body": "Hi" })).await;
        statuses.push(status);
    }
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CREATED).count(), 8, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count(), 52);
}

#[tokio::test]
async fn refused_posts_and_replays_use_no_quota() {
    let s = Server::start_with(|c| c.posts_per_minute = 2).await;
    for i in 0..10 {
        let (status, _) = s.post("quota", &format!("bad{i}"), json!({ "author_name": " ", "body": "Hi" })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _) = s
            .post("quota", &format!("orphan{i}"), json!({ "author_name": "R", "body": "Hi", "parent_id": "999999" }))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let body = json!({ "author_name": "R", "body": "Hi" });
    assert_eq!(s.post("quota", "one", body.clone()).await.0, StatusCode::CREATED);
    for _ in 0..5 {
        assert_eq!(s.post("quota", "one", body.clone()).await.0, StatusCode::CREATED, "a replay is free");
    }
    assert_eq!(s.post("quota", "two", body.clone()).await.0, StatusCode::CREATED);
    assert_eq!(s.post("quota", "three", body).await.0, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn reaction_toggles_are_limited_per_viewer() {
    let s = Server::start_with(|c| c.reactions_per_minute = 10).await;
    let mut ok = 0;
    for i in 0..30 {
        let (status, _) = s.react("toggler", "like", i % 2 == 0).await;
        if status == StatusCode::OK {
            ok += 1;
        } else {
            assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        }
    }
    assert_eq!(ok, 10);
    assert_eq!(s.react("someone-else", "like", true).await.0, StatusCode::OK);
}

#[tokio::test]
async fn top_pages_keep_their_order_while_likes_change_between_them() {
    let s = Server::start_with(|c| c.reactions_per_minute = 10_000).await;
    let mut ids = Vec::new();
    for i in 0..9 {
        let (_, c) = s.post(&format!("t{i}"), "k", json!({"author_name": "A", "body": format!("c{i}")})).await;
        ids.push(c["id"].as_str().unwrap().to_owned());
    }
    let like = |id: String, viewer: String, on: bool| {
        let s = &s;
        async move {
            let method = if on { Method::PUT } else { Method::DELETE };
            let path = format!("/articles/{ARTICLE}/comments/{id}/reactions/like");
            assert_eq!(s.call(method, &path, Some(&viewer), None, "ReactionList").await.0, 200);
        }
    };
    // c0 has 3 likes, c1 2, c2 1; the rest none.
    for (i, n) in [(0, 3), (1, 2), (2, 1)] {
        for v in 0..n {
            like(ids[i].clone(), format!("fan{v}"), true).await;
        }
    }
    let page_ids = |page: &Value| -> Vec<String> {
        page["comments"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect()
    };
    let (_, first) = s.page("sort=top&limit=3").await;
    assert_eq!(page_ids(&first), ids[..3]);
    // Between pages: a comment of a later page overtakes everything, and one of the first page
    // loses its likes. Ranked live, the next pages would repeat c0 and skip c5.
    for v in 0..5 {
        like(ids[5].clone(), format!("late{v}"), true).await;
    }
    for v in 0..3 {
        like(ids[0].clone(), format!("fan{v}"), false).await;
    }
    let mut seen = page_ids(&first);
    let mut cursor = first["next_cursor"].as_str().unwrap().to_owned();
    loop {
        let (status, page) = s.page(&format!("sort=top&limit=3&cursor={cursor}")).await;
        assert_eq!(status, 200);
        seen.extend(page_ids(&page));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = c.to_owned(),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), seen.len(), "no comment twice: {seen:?}");
    assert_eq!(seen.len(), 9, "none skipped: {seen:?}");
    // The counts shown are today's; a new first page ranks by them.
    let (_, fresh) = s.page("sort=top&limit=3").await;
    assert_eq!(page_ids(&fresh)[0], ids[5]);
}

#[tokio::test]
async fn replies_come_three_inline_and_the_rest_page_by_page() {
    let s = Server::start_with(|c| c.posts_per_minute = 1000).await;
    let (_, top) = s.post("p", "top", json!({ "author_name": "A", "body": "top" })).await;
    let top_id = top["id"].as_str().unwrap().to_owned();
    let mut reply_ids = Vec::new();
    for i in 0..10 {
        let (_, r) = s
            .post("p", &format!("r{i}"), json!({ "author_name": "B", "body": format!("r{i}"), "parent_id": top_id }))
            .await;
        reply_ids.push(r["id"].as_str().unwrap().to_owned());
    }
    // A reply of a reply, to see the inline rule at every level.
    for i in 0..5 {
        s.post("p", &format!("rr{i}"), json!({ "author_name": "C", "body": "rr", "parent_id": reply_ids[0] })).await;
    }
    let (_, page) = s.page("sort=oldest").await;
    let first = &page["comments"][0];
    assert_eq!(first["reply_count"], 15);
    let inline: Vec<&str> = first["replies"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(inline, reply_ids[..3]);
    assert_eq!(first["replies"][0]["replies"].as_array().unwrap().len(), 3);
    assert_eq!(first["replies"][0]["reply_count"], 5);
    let (_, none) = s.page("sort=oldest&replies=0").await;
    assert!(none["comments"][0]["replies"].as_array().unwrap().is_empty());

    let mut seen = Vec::new();
    let mut cursor = String::new();
    for _ in 0..10 {
        let path = format!("/articles/{ARTICLE}/comments/{top_id}/replies?limit=4&cursor={cursor}");
        let (status, page) = s.call(Method::GET, &path, Some("p"), None, "CommentPage").await;
        assert_eq!(status, 200);
        assert_eq!(page["total"], 15);
        seen.extend(page["comments"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = c.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen, reply_ids, "every reply once, in order");
    for bad in ["replies=101", "replies=-1", "limit=0", "cursor=zzz"] {
        let path = format!("/articles/{ARTICLE}/comments/{top_id}/replies?{bad}");
        assert_eq!(s.call(Method::GET, &path, None, None, "CommentPage").await.0, 400, "{bad}");
    }
    let path = format!("/articles/{ARTICLE}/comments/999999/replies");
    assert_eq!(s.call(Method::GET, &path, None, None, "CommentPage").await.0, 404);
}

#[tokio::test]
async fn authors_edit_with_their_token_until_the_window_closes() {
    let clock = dev_api::edit::Clock::default();
    let s = Server::start_with(|c| c.clock = clock.clone()).await;
    assert_eq!(s.article(None).await["edit_window_seconds"], 900);
    let (status, posted) = s.post("v1", "k1", json!({"author_name": "Ada", "body": "Teh typo"})).await;
    assert_eq!(status, 201);
    let (id, token) = (posted["id"].clone(), posted["edit_token"].clone());
    let created = time::OffsetDateTime::parse(
        posted["created_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let until = time::OffsetDateTime::parse(
        posted["editable_until"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(until - created, time::Duration::seconds(900));
    // A replay of the post carries the same grant; lists never carry one.
    let (_, replayed) = s.post("v1", "k1", json!({"author_name": "Ada", "body": "Teh typo"})).await;
    assert_eq!((&replayed["edit_token"], &replayed["editable_until"]), (&token, &posted["editable_until"]));
    let (_, page) = s.page("").await;
    assert!(page["comments"][0].get("edit_token").is_none());

    let (status, edited) = s.change(&id, Some(&token), Some(json!({"body": "  The typo, fixed  "}))).await;
    assert_eq!(status, 200);
    assert_eq!(edited["body"], "The typo, fixed");
    assert!(edited["edited_at"].is_string());
    assert_eq!(s.page("").await.1["comments"][0]["body"], "The typo, fixed");

    // Without the token, with another comment's, or a forged one: forbidden.
    let (_, other) = s.post("v2", "k2", json!({"author_name": "Grace", "body": "Mine"})).await;
    for token in [None, Some(&other["edit_token"]), Some(&json!("99999999999.AAAA"))] {
        let (status, err) = s.change(&id, token, Some(json!({"body": "hijacked"}))).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")), "{token:?}");
        assert_eq!(s.change(&id, token, None).await.0, StatusCode::FORBIDDEN);
    }
    // The body follows the rules of a new comment's.
    let (status, err) = s.change(&id, Some(&token), Some(json!({"body": "   "}))).await;
    assert_eq!((status, err["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("body")));
    let (status, _) = s.change(&id, Some(&token), Some(json!({"body": "x".repeat(5001)}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(s.change(&id, Some(&token), Some(json!({"text": "x"}))).await.0, StatusCode::BAD_REQUEST);

    // Past the window: closed, for editing and deleting alike, and nothing changed.
    clock.advance(901);
    for body in [Some(json!({"body": "too late"})), None] {
        let (status, err) = s.change(&id, Some(&token), body).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("edit_window_closed")));
    }
    assert_eq!(s.page("").await.1["comments"][0]["body"], "The typo, fixed");
}

#[tokio::test]
async fn deleting_keeps_a_tombstone_for_replies_and_counts_drop() {
    let s = Server::start().await;
    let (_, a) = s.post("v1", "a", json!({"author_name": "Ada", "body": "A"})).await;
    let (_, b) = s.post("v2", "b", json!({"author_name": "Bo", "body": "B", "parent_id": a["id"]})).await;
    let (_, c) = s.post("v1", "c", json!({"author_name": "Ada", "body": "C"})).await;
    let (_, d) = s.post("v1", "d", json!({"author_name": "Ada", "body": "D", "parent_id": b["id"]})).await;
    assert_eq!(s.page("").await.1["total"], 4);

    // With replies: a tombstone, its replies below it.
    assert_eq!(s.change(&a["id"], Some(&a["edit_token"]), None).await.0, StatusCode::NO_CONTENT);
    let (_, page) = s.page("").await;
    let tomb = &page["comments"][0];
    assert_eq!(
        (&tomb["id"], &tomb["deleted"], &tomb["body"], &tomb["author"]["name"]),
        (&a["id"], &json!(true), &json!(""), &json!(""))
    );
    assert_eq!(tomb["created_at"], a["created_at"]);
    assert_eq!(tomb["replies"][0]["id"], b["id"]);
    assert_eq!(tomb["replies"][0]["deleted"], false);
    assert_eq!(page["total"], 3);
    assert_eq!(s.article(None).await["comment_count"], 3);
    // Deleting again changes nothing; a tombstone takes no edit and no new reply.
    assert_eq!(s.change(&a["id"], Some(&a["edit_token"]), None).await.0, StatusCode::NO_CONTENT);
    let (status, err) = s.change(&a["id"], Some(&a["edit_token"]), Some(json!({"body": "back"}))).await;
    assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("comment_deleted")));
    let (status, err) = s.report(Some("r1"), &a["id"], json!({"reason": "spam"})).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("comment_deleted")),
        "no report on a tombstone"
    );
    let (status, err) = s.post("v3", "e", json!({"author_name": "Cy", "body": "E", "parent_id": a["id"]})).await;
    assert_eq!((status, err["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("parent_id")));
    // A replay of a deleted comment's post does not bring it back.
    let (status, err) = s.post("v1", "a", json!({"author_name": "Ada", "body": "A"})).await;
    assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("comment_deleted")));

    // Without replies: gone from the lists.
    assert_eq!(s.change(&c["id"], Some(&c["edit_token"]), None).await.0, StatusCode::NO_CONTENT);
    let (_, page) = s.page("").await;
    assert_eq!(page["comments"].as_array().unwrap().len(), 1);
    assert_eq!(page["total"], 2);
    // B deleted: a tombstone for D. D deleted: B has nothing to show, nor has A: all gone.
    assert_eq!(s.change(&b["id"], Some(&b["edit_token"]), None).await.0, StatusCode::NO_CONTENT);
    assert_eq!(s.page("").await.1["comments"][0]["replies"][0]["deleted"], true);
    assert_eq!(s.change(&d["id"], Some(&d["edit_token"]), None).await.0, StatusCode::NO_CONTENT);
    let (_, page) = s.page("").await;
    assert_eq!((page["comments"].as_array().unwrap().len(), &page["total"]), (0, &json!(0)));
    for sort in ["top", "newest"] {
        assert_eq!(s.page(&format!("sort={sort}")).await.1["comments"], json!([]));
    }
    let (status, _) = s
        .call(
            Method::GET,
            &format!("/articles/{ARTICLE}/comments/{}/replies", a["id"].as_str().unwrap()),
            None,
            None,
            "CommentPage",
        )
        .await;
    assert_eq!(status, 404, "a comment gone from the lists has no replies endpoint either");
}

#[tokio::test]
async fn reports_are_received_and_stored_once_per_viewer() {
    let s = Server::start().await;
    let (_, a) = s.post("v1", "a", json!({"author_name": "Ada", "body": "Buy pills"})).await;
    for _ in 0..2 {
        let (status, receipt) = s.report(Some("r1"), &a["id"], json!({"reason": "spam"})).await;
        assert_eq!((status, receipt), (StatusCode::ACCEPTED, json!({"status": "received"})));
    }
    let note = "é".repeat(500);
    assert_eq!(
        s.report(Some("r2"), &a["id"], json!({"reason": "off_topic", "note": note})).await.0,
        StatusCode::ACCEPTED
    );
    let (status, err) = s.report(Some("r3"), &a["id"], json!({"reason": "abuse", "note": "é".repeat(501)})).await;
    assert_eq!((status, err["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("note")));
    assert_eq!(s.report(Some("r3"), &a["id"], json!({"reason": "rude"})).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(s.report(None, &a["id"], json!({"reason": "spam"})).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(s.report(Some("r3"), &json!("999"), json!({"reason": "spam"})).await.0, StatusCode::NOT_FOUND);
    let db = rusqlite::Connection::open(&s.db).unwrap();
    let stored: Vec<(String, String, Option<String>)> = db
        .prepare("SELECT viewer, reason, note FROM reports ORDER BY viewer")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(stored, vec![("r1".into(), "spam".into(), None), ("r2".into(), "off_topic".into(), Some(note))]);
}

#[tokio::test]
async fn tokens_outlive_a_restart_and_a_zero_window_gives_none() {
    let s = Server::start().await;
    let (_, a) = s.post("v1", "a", json!({"author_name": "Ada", "body": "A"})).await;
    let s = s.restart().await;
    assert_eq!(s.change(&a["id"], Some(&a["edit_token"]), Some(json!({"body": "A2"}))).await.0, StatusCode::OK);

    // Editing turned off: the tokens given before close too.
    let Server { running, db, _dir: dir, .. } = s;
    running.stop().await;
    let running = dev_api::start(Config { edit_window_seconds: 0, ..config(db.clone()) }).await.unwrap();
    let s = Server { running, client: reqwest::Client::new(), db, _dir: dir };
    let (status, err) = s.change(&a["id"], Some(&a["edit_token"]), None).await;
    assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("edit_window_closed")));
    assert_eq!(s.article(None).await["edit_window_seconds"], 0);
    let (status, posted) = s.post("v1", "a", json!({"author_name": "Ada", "body": "A"})).await;
    assert_eq!(status, 201);
    assert!(posted.get("edit_token").is_none() && posted.get("editable_until").is_none());
}

/// The server-rendered fragment: the parts asked for, the data they show (the same as the JSON
/// endpoints give an anonymous viewer), and JSON-LD; bad options are 400s under this endpoint's names.
#[tokio::test]
async fn the_article_is_served_as_html_with_its_data() {
    let s = Server::start().await;
    assert_eq!(s.post("v1", "k1", json!({ "author_name": "Ada", "body": "First <b>post</b>" })).await.0, 201);
    let get = |query: &'static str| {
        let url = s.url(&format!("/articles/{ARTICLE}/html{query}"));
        let client = s.client.clone();
        async move {
            let r = client.get(url).send().await.unwrap();
            let kind = r.headers()["content-type"].to_str().unwrap().to_owned();
            (r.status(), kind, r.text().await.unwrap())
        }
    };
    let (status, kind, html) = get("?locale=de&limit=5").await;
    assert_eq!((status.as_u16(), kind.as_str()), (200, "text/html; charset=utf-8"));
    assert!(html.starts_with(r#"<div class="aw-widget" lang="de" dir="ltr"><article class="aw-article">"#), "{html}");
    assert!(html.contains(r#"<h1 class="aw-title">OpenAI cuts a deal with Microsoft"#));
    assert!(html.contains("Kommentare (1)") && html.contains("First &lt;b&gt;post&lt;/b&gt;"), "{html}");
    let script = |attributes: &str| -> Value {
        let start = html.find(&format!("<script {attributes}>")).unwrap() + attributes.len() + 9;
        serde_json::from_str(&html[start..start + html[start..].find("</script>").unwrap()]).unwrap()
    };
    let (embedded, comments) = (
        script(r#"type="application/json" data-aw-article"#),
        script(r#"type="application/json" data-aw-comments="oldest""#),
    );
    let (article, page) = (s.article(None).await, s.page("").await.1);
    assert_eq!(embedded, article, "the article as an anonymous viewer gets it");
    assert_eq!(comments, page, "the first page as an anonymous viewer gets it");
    openapi::assert_valid("Article", &embedded);
    openapi::assert_valid("CommentPage", &comments);
    assert!(html.contains(r#"<script type="application/ld+json">{"#));

    let (_, _, html) = get("?parts=reactions").await;
    assert!(html.contains("aw-reactions") && !html.contains("aw-title") && !html.contains("aw-thread"));
    assert!(html.contains("data-aw-article") && !html.contains("data-aw-comments"));

    for (query, message) in [
        ("?parts=sidebar", "parts may only list article, reactions and comments, not “sidebar”."),
        ("?limit=0", "limit must be a whole number from 1 to 100, not “0”."),
        ("?sort=best", "sort "),
        ("?locale=%3Cx%3E", "locale must be a language tag"),
    ] {
        let (status, _, body) = get(query).await;
        assert_eq!(status, 400, "{query}");
        let body: Value = serde_json::from_str(&body).unwrap();
        openapi::assert_valid("Error", &body);
        assert!(body["error"]["message"].as_str().unwrap().starts_with(message), "{query}: {body}");
    }
    let (status, _, _) = s.client.get(s.url("/articles/nope/html")).send().await.map(|r| (r.status(), (), ())).unwrap();
    assert_eq!(status, 404);
}

/// The static folder's pages get server-side includes of that fragment, as nginx's `ssi on` does.
#[tokio::test]
async fn static_pages_include_the_fragment() {
    let pages = tempfile::tempdir().unwrap();
    std::fs::write(
        pages.path().join("index.html"),
        format!(
            r#"<main><div data-article-widget><!--#include virtual="/api/articles/{ARTICLE}/html?parts=article" --></div><!--#include virtual="/etc/passwd" --><!--#include virtual="/api/articles/nope/html" --></main>"#
        ),
    )
    .unwrap();
    let dir = pages.path().to_owned();
    let s = Server::start_with(move |c| c.static_dir = Some(dir)).await;
    let r = s.client.get(format!("http://{}/", s.running.addr)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-cache");
    assert!(r.headers().get("last-modified").is_none());
    let page = r.text().await.unwrap();
    assert!(page.starts_with(r#"<main><div data-article-widget><div class="aw-widget" lang="en" dir="ltr"><article class="aw-article"><header class="aw-article-header"><h1 class="aw-title">OpenAI cuts"#), "{page}");
    assert!(!page.contains("aw-thread"), "the parts asked for");
    assert!(page.contains("<!-- include failed: only /api/articles/{article}/html can be included -->"), "{page}");
    assert!(page.contains(r#"<!-- include failed: No article with id "nope". -->"#), "{page}");
    assert!(!page.contains("<!--#include"));
}
