//! Driving a real dev-api process: start it, load it, kill it, and check what it kept. Shared by
//! `examples/load.rs` (`make load`, figures) and `tests/durability.rs` (`make test`, the correctness
//! parts). Every loop is bounded in count and time.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub const ARTICLE: &str = "openai-microsoft-aws";

/// A dev-api process on 127.0.0.1.
pub struct Server {
    pub bin: PathBuf,
    pub db: PathBuf,
    pub port: u16,
    pub args: Vec<String>,
    child: Option<Child>,
}

impl Server {
    /// Starts `bin` on a free port with the database `db`, and waits until it answers.
    pub async fn start(bin: &Path, db: &Path, args: &[&str]) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap();
        let mut server = Server {
            bin: bin.to_owned(),
            db: db.to_owned(),
            port,
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            child: None,
        };
        server.spawn().await;
        server
    }

    async fn spawn(&mut self) {
        let child = Command::new(&self.bin)
            .args(["--addr", &format!("127.0.0.1:{}", self.port), "--db"])
            .arg(&self.db)
            .args(&self.args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dev-api");
        self.child = Some(child);
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if client.get(self.url(&format!("/articles/{ARTICLE}"))).send().await.is_ok_and(|r| r.status() == 200) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("dev-api did not start");
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/api{path}", self.port)
    }

    /// SIGKILL: no graceful shutdown, answers in flight are lost.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub async fn restart(&mut self) {
        self.kill();
        self.spawn().await;
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// One post: its viewer, key and body (the body is unique, to find duplicates).
#[derive(Clone, Debug)]
pub struct Post {
    pub viewer: String,
    pub key: String,
    pub body: String,
}

/// Sends `post`; `Some(id)` when the server acknowledged it (201).
pub async fn send(client: &reqwest::Client, server_url: &str, post: &Post) -> Option<String> {
    let response = client
        .post(format!("{server_url}/articles/{ARTICLE}/comments"))
        .header("X-Viewer-Id", &post.viewer)
        .header("Idempotency-Key", &post.key)
        .json(&json!({ "author_name": "Load", "body": post.body }))
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .ok()?;
    if response.status() != 201 {
        return None;
    }
    let comment: Value = response.json().await.ok()?;
    comment["id"].as_str().map(str::to_owned)
}

/// A first page worth reading: 20 top-level comments (`body(i)`) with 5 replies each (3 of them
/// inline in a page).
pub async fn seed_first_page(client: &reqwest::Client, server: &Server, body: impl Fn(usize) -> String) {
    for i in 0..20 {
        let post = Post { viewer: "seed".into(), key: format!("seed-{i}"), body: body(i) };
        let id = send(client, &server.url(""), &post).await.expect("seed post");
        for k in 0..5 {
            let r = client
                .post(server.url(&format!("/articles/{ARTICLE}/comments")))
                .header("X-Viewer-Id", "seed")
                .header("Idempotency-Key", format!("seed-{i}-{k}"))
                .json(&json!({ "author_name": "Reader", "body": format!("Reply {k}"), "parent_id": id }))
                .send()
                .await;
            assert!(r.is_ok_and(|r| r.status() == 201), "seed reply");
        }
    }
}

/// Every comment body of the article (all pages, oldest first), with how often each occurs.
pub async fn bodies(client: &reqwest::Client, server: &Server) -> std::collections::HashMap<String, usize> {
    let mut out = std::collections::HashMap::new();
    let mut cursor = String::new();
    for _ in 0..100_000 {
        let page: Value = client
            .get(server.url(&format!("/articles/{ARTICLE}/comments?sort=oldest&limit=100&cursor={cursor}")))
            .send()
            .await
            .expect("list")
            .json()
            .await
            .expect("json");
        for c in page["comments"].as_array().into_iter().flatten() {
            *out.entry(c["body"].as_str().unwrap_or_default().to_owned()).or_insert(0) += 1;
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break,
        }
    }
    out
}

/// What a SIGKILL in the middle of writing cost.
#[derive(Debug)]
pub struct KillReport {
    pub acknowledged: usize,
    pub unacknowledged: usize,
    /// Acknowledged posts missing after the restart (must be 0).
    pub lost: usize,
    /// Comments stored more than once after re-sending the unacknowledged posts with their keys
    /// (must be 0).
    pub duplicates: usize,
}

/// `writers` tasks post as fast as they can; after `kill_after` the server is killed with SIGKILL,
/// then restarted on the same database; every acknowledged post must be there, and re-sending the
/// others with their keys must add none twice.
pub async fn kill_during_writes(server: &mut Server, writers: usize, kill_after: Duration) -> KillReport {
    let client = reqwest::Client::new();
    let url = Arc::new(server.url(""));
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let run = format!("run{:x}", nanos ^ u128::from(std::process::id()));
    let mut tasks = Vec::new();
    for w in 0..writers {
        let (client, url, run) = (client.clone(), url.clone(), run.clone());
        tasks.push(tokio::spawn(async move {
            let (mut acked, mut unacked) = (Vec::new(), Vec::new());
            for i in 0..100_000 {
                let post = Post {
                    viewer: format!("writer-{w}"),
                    key: format!("{run}-{w}-{i}"),
                    body: format!("{run} {w} {i}"),
                };
                match send(&client, &url, &post).await {
                    Some(_) => acked.push(post),
                    None => {
                        unacked.push(post);
                        break;
                    }
                }
            }
            (acked, unacked)
        }));
    }
    tokio::time::sleep(kill_after).await;
    server.kill();
    let (mut acked, mut unacked) = (Vec::new(), Vec::new());
    for task in tasks {
        let (a, u) = task.await.expect("writer");
        acked.extend(a);
        unacked.extend(u);
    }
    server.restart().await;
    let stored = bodies(&client, server).await;
    let lost = acked.iter().filter(|p| !stored.contains_key(&p.body)).count();
    for post in &unacked {
        let _ = send(&client, &server.url(""), post).await;
    }
    let stored = bodies(&client, server).await;
    let duplicates = stored.iter().filter(|(body, n)| body.starts_with(&run) && **n > 1).count();
    KillReport { acknowledged: acked.len(), unacknowledged: unacked.len(), lost, duplicates }
}

/// Posts from one address with a new viewer id each time: how many of `attempts` got in.
pub async fn rotating_viewers(server: &Server, attempts: usize) -> usize {
    let client = reqwest::Client::new();
    let mut admitted = 0;
    for i in 0..attempts {
        let post = Post { viewer: format!("rotating-{i}"), key: format!("rot-{i}"), body: format!("rotating {i}") };
        admitted += usize::from(send(&client, &server.url(""), &post).await.is_some());
    }
    admitted
}
