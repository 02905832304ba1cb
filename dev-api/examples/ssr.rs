//! `make bench` (the server-rendered first paint): against a release dev-api on 127.0.0.1
//! (target/release/dev-api), with the seed article and 20 comments (3 of their 5 replies inline):
//!
//! 1. `article_widget::ssr::render` in this process, per render (median of BATCHES batches); the
//!    baseline, measured in the same run, is writing the same data as JSON (what the JSON endpoints
//!    do for the same two answers).
//! 2. `GET /articles/{article}/html` per second with READERS (default 16) concurrent readers for
//!    LOAD_SECONDS (default 5); the baseline, the same run, is the two JSON answers it replaces
//!    (`GET /articles/{article}`, then the first page), as a widget without it asks for them.

#[path = "../tests/support/drive.rs"]
mod drive;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use article_widget::api::{Article, CommentPage};
use article_widget::config::WidgetConfig;
use drive::{Server, ARTICLE};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The median time per call of `f`, over `batches` batches of `n` calls.
fn per_call(batches: usize, n: usize, mut f: impl FnMut() -> usize) -> (Duration, usize) {
    let mut times = Vec::with_capacity(batches);
    let mut bytes = 0;
    for _ in 0..batches {
        let t = Instant::now();
        for _ in 0..n {
            bytes = std::hint::black_box(f());
        }
        times.push(t.elapsed() / n as u32);
    }
    times.sort();
    (times[times.len() / 2], bytes)
}

/// Requests per second of `urls` (one "read" fetches them all, in turn) with `readers` readers.
async fn reads_per_second(client: &reqwest::Client, urls: Vec<String>, readers: usize, seconds: u64) -> f64 {
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..readers {
        let (client, urls, stop, done) = (client.clone(), urls.clone(), stop.clone(), done.clone());
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                for url in &urls {
                    let ok = match client.get(url).send().await {
                        Ok(r) => r.status() == 200 && r.bytes().await.is_ok(),
                        Err(_) => false,
                    };
                    assert!(ok, "{url} answers");
                }
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        let _ = task.await;
    }
    done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let bin = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/release/dev-api");
    assert!(bin.exists(), "build it first: cargo build --release -p dev-api");
    let dir = tempfile::tempdir().expect("temp dir");
    let (seconds, readers, batches) =
        (env("LOAD_SECONDS", 5), env("READERS", 16) as usize, env("BATCHES", 21) as usize);
    let server = Server::start(&bin, &dir.path().join("ssr.sqlite3"), &["--posts-per-minute", "100000000"]).await;
    let client = reqwest::Client::new();
    drive::seed_first_page(&client, &server, |i| {
        format!("Comment {i} on the deal, with *some* **Markdown** and [a link](https://example.com/{i}).")
    })
    .await;
    let (article_url, page_url, html_url) = (
        server.url(&format!("/articles/{ARTICLE}")),
        server.url(&format!("/articles/{ARTICLE}/comments?sort=oldest&limit=20")),
        server.url(&format!("/articles/{ARTICLE}/html")),
    );
    let text = |url: String| async { client.get(url).send().await.expect("an answer").text().await.expect("a body") };
    let article: Article = contract::json::from_str(&text(article_url.clone()).await).expect("an article");
    let page: CommentPage = contract::json::from_str(&text(page_url.clone()).await).expect("a page");
    let config = WidgetConfig::new("/api", ARTICLE);

    let (render, html_bytes) =
        per_call(batches, 200, || article_widget::ssr::render(&config, &article, Some(&page)).len());
    let (json, json_bytes) = per_call(batches, 200, || {
        serde_json::to_string(&article).map_or(0, |s| s.len()) + serde_json::to_string(&page).map_or(0, |s| s.len())
    });
    println!("SSR: the seed article and 20 comments (3 of their 5 replies inline)");
    println!(
        "  render: {:.1} µs per fragment ({html_bytes} bytes); baseline, the same data as JSON: {:.1} µs ({json_bytes} bytes) → {:.2}×",
        render.as_secs_f64() * 1e6,
        json.as_secs_f64() * 1e6,
        render.as_secs_f64() / json.as_secs_f64()
    );
    let html = reads_per_second(&client, vec![html_url], readers, seconds).await;
    let both = reads_per_second(&client, vec![article_url, page_url], readers, seconds).await;
    println!(
        "  GET …/html: {html:.0}/s ({readers} readers, {seconds} s); baseline, GET the article then the first page: {both:.0} pairs/s → {:.2}×",
        html / both
    );
    drop(server);
}
