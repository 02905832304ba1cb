//! The correctness half of `make load`, against a real dev-api process: a SIGKILL in the middle of
//! writes loses no acknowledged comment, re-sending the unacknowledged ones with their keys stores
//! none twice, and rotating viewer ids from one address do not get around the rate limit.

#[path = "support/drive.rs"]
mod drive;

use std::time::Duration;

use drive::Server;

fn bin() -> &'static std::path::Path {
    std::path::Path::new(env!("CARGO_BIN_EXE_dev-api"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_during_writes_loses_nothing_acknowledged_and_retries_add_no_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(bin(), &dir.path().join("kill.sqlite3"), &["--posts-per-minute", "1000000"]).await;
    for round in 0..2 {
        let report = drive::kill_during_writes(&mut server, 4, Duration::from_millis(700)).await;
        assert!(report.acknowledged > 0, "round {round}: {report:?}");
        assert_eq!(report.lost, 0, "round {round}: {report:?}");
        assert_eq!(report.duplicates, 0, "round {round}: {report:?}");
    }
}

#[tokio::test]
async fn rotating_viewer_ids_from_one_address_get_the_address_limit() {
    let dir = tempfile::tempdir().unwrap();
    // The defaults: 5 posts per viewer, 20 per address, a minute.
    let server = Server::start(bin(), &dir.path().join("rot.sqlite3"), &[]).await;
    assert_eq!(drive::rotating_viewers(&server, 60).await, 20);
}
