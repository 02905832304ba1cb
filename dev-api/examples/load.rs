//! `make load`: the reference API under load, faults and abuse, against a release dev-api on
//! 127.0.0.1 (target/release/dev-api; `make load` builds it). Every phase is bounded in time.
//!
//! 1. First-page reads per second and their p50/p99, with 2 writers posting at the same time; and
//!    the writers' posts per second.
//! 2. SIGKILL during writes (8 writers), restart: acknowledged posts lost (must be 0); duplicates
//!    after re-sending the unacknowledged ones with their keys (must be 0).
//! 3. Rotating viewer ids from one address, with the default limits: how many posts got in.
//! 4. A comment with 10,000 replies: the size of the first page.
//!
//! LOAD_SECONDS (default 5) sets the length of phase 1, READERS (default 16) its concurrent readers.

#[path = "../tests/support/drive.rs"]
mod drive;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use drive::{Post, Server, ARTICLE};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let bin = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/release/dev-api");
    assert!(bin.exists(), "build it first: cargo build --release -p dev-api");
    let dir = tempfile::tempdir().expect("temp dir");
    let seconds = env("LOAD_SECONDS", 5);
    let readers = env("READERS", 16) as usize;

    // ---- 1. reads while 2 writers post ---------------------------------------------------------
    let mut server = Server::start(&bin, &dir.path().join("load.sqlite3"), &["--posts-per-minute", "100000000"]).await;
    let client = reqwest::Client::new();
    // A first page worth reading: 20 comments with 5 replies each (3 of them inline).
    drive::seed_first_page(&client, &server, |i| format!("Comment {i} on the deal.")).await;
    let page_bytes = client
        .get(server.url(&format!("/articles/{ARTICLE}/comments?sort=oldest&limit=20")))
        .send()
        .await
        .expect("page")
        .bytes()
        .await
        .map(|b| b.len())
        .unwrap_or(0);
    let stop = Arc::new(AtomicBool::new(false));
    let posts = Arc::new(AtomicUsize::new(0));
    let latencies = Arc::new(Mutex::new(Vec::<Duration>::new()));
    let mut tasks = Vec::new();
    for w in 0..2 {
        let (client, url, stop, posts) = (client.clone(), server.url(""), stop.clone(), posts.clone());
        tasks.push(tokio::spawn(async move {
            for i in 0..10_000_000u64 {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let post = Post { viewer: format!("w{w}"), key: format!("w{w}-{i}"), body: format!("load {w} {i}") };
                if drive::send(&client, &url, &post).await.is_some() {
                    posts.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    // The oldest page: the seeded comments and their replies (the writers add top-level comments).
    let first_page = server.url(&format!("/articles/{ARTICLE}/comments?sort=oldest&limit=20"));
    for _ in 0..readers {
        let (client, url, stop, latencies) = (client.clone(), first_page.clone(), stop.clone(), latencies.clone());
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            for _ in 0..10_000_000u64 {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let t = Instant::now();
                let ok = match client.get(&url).send().await {
                    Ok(r) => r.status() == 200 && r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                if ok {
                    mine.push(t.elapsed());
                }
            }
            latencies.lock().map(|mut l| l.extend(mine)).ok();
        }));
    }
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        let _ = task.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut l = latencies.lock().map(|l| l.clone()).unwrap_or_default();
    l.sort();
    let pct =
        |p: f64| l.get(((l.len() as f64 * p) as usize).min(l.len().saturating_sub(1))).copied().unwrap_or_default();
    println!(
        "1. {seconds} s of first-page reads ({readers} readers; 20 comments with 3 of their 5 replies inline, {page_bytes} bytes) while 2 writers post:"
    );
    println!(
        "   reads: {:.0}/s, p50 {:.2} ms, p99 {:.2} ms ({} reads)",
        l.len() as f64 / elapsed,
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
        l.len()
    );
    println!("   posts: {:.0}/s", posts.load(Ordering::Relaxed) as f64 / elapsed);

    // ---- 2. SIGKILL during writes --------------------------------------------------------------
    let report = drive::kill_during_writes(&mut server, 8, Duration::from_secs(2)).await;
    println!("2. SIGKILL after 2 s of 8 writers, then a restart:");
    println!(
        "   {} acknowledged, {} unacknowledged; lost {} (must be 0); duplicates after re-sending with their keys: {} (must be 0)",
        report.acknowledged, report.unacknowledged, report.lost, report.duplicates
    );
    drop(server);

    // ---- 3. rotating viewer ids ----------------------------------------------------------------
    let server = Server::start(&bin, &dir.path().join("rotate.sqlite3"), &[]).await;
    let admitted = drive::rotating_viewers(&server, 60).await;
    println!("3. 60 posts from one address, each with a new viewer id (defaults: 5 per viewer, 20 per address a minute): {admitted} got in");
    drop(server);

    // ---- 4. a comment with 10,000 replies ------------------------------------------------------
    let server = Server::start(&bin, &dir.path().join("wide.sqlite3"), &["--posts-per-minute", "100000000"]).await;
    let top = Post { viewer: "wide".into(), key: "top".into(), body: "A popular comment".into() };
    let top_id = drive::send(&client, &server.url(""), &top).await.expect("top");
    let t = Instant::now();
    let sent = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for w in 0..8 {
        let (client, url, top_id, sent) = (client.clone(), server.url(""), top_id.clone(), sent.clone());
        tasks.push(tokio::spawn(async move {
            for i in (w..10_000).step_by(8) {
                let r = client
                    .post(format!("{url}/articles/{ARTICLE}/comments"))
                    .header("X-Viewer-Id", format!("r{w}"))
                    .header("Idempotency-Key", format!("r{i}"))
                    .json(&serde_json::json!({ "author_name": "Reader", "body": format!("reply {i}"), "parent_id": top_id }))
                    .send()
                    .await;
                if r.is_ok_and(|r| r.status() == 201) {
                    sent.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let posted_in = t.elapsed().as_secs_f64();
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..50 {
        let t = Instant::now();
        let page =
            client.get(server.url(&format!("/articles/{ARTICLE}/comments?limit=20"))).send().await.expect("page");
        bytes = page.bytes().await.map(|b| b.len()).unwrap_or(0);
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "4. a comment with {} replies (posted in {posted_in:.1} s): first page {bytes} bytes, read in {:.2} ms (median of 50)",
        sent.load(Ordering::Relaxed),
        times[times.len() / 2].as_secs_f64() * 1000.0
    );
}
