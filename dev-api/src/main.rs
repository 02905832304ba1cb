//! `cargo run -p dev-api -- [--addr A] [--db PATH] [--cors ORIGINS] [--static DIR]
//!                          [--posts-per-minute N] [--posts-per-minute-per-address N]
//!                          [--reactions-per-minute N] [--trust-proxy IP] [--delay-ms N]
//!                          [--edit-window-seconds N] [--extra-article ID]…`
//!
//! Each flag also reads an environment variable: DEV_API_ADDR, DEV_API_DB, DEV_API_CORS (comma-separated
//! origins, `*` for any), DEV_API_STATIC, DEV_API_POSTS_PER_MINUTE, DEV_API_POSTS_PER_MINUTE_PER_ADDRESS,
//! DEV_API_REACTIONS_PER_MINUTE, DEV_API_TRUST_PROXY, DEV_API_DELAY_MS, DEV_API_EDIT_WINDOW_SECONDS.
//! Flags win.

use std::process::ExitCode;

use dev_api::Config;

fn usage() -> ExitCode {
    eprintln!(
        "usage: dev-api [--addr 127.0.0.1:8787] [--db data/dev-api.sqlite3] [--cors ORIGIN,ORIGIN|*] \
         [--static DIR] [--posts-per-minute 5] [--posts-per-minute-per-address 20] \
         [--reactions-per-minute 120] [--trust-proxy IP] [--delay-ms 0] [--edit-window-seconds 900] \
         [--extra-article ID]..."
    );
    ExitCode::from(2)
}

fn parse() -> Result<Config, String> {
    let mut config = Config::default();
    let set = |name: &str, value: String, config: &mut Config| -> Result<(), String> {
        let bad = |what: &str| format!("{name}: {what}, not {value:?}");
        match name {
            "addr" => config.addr = value.parse().map_err(|_| bad("expected HOST:PORT"))?,
            "db" => config.db = value.into(),
            "cors" => {
                config.cors_origins = value.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect()
            }
            "static" => config.static_dir = Some(value.into()),
            "posts-per-minute" => config.posts_per_minute = value.parse().map_err(|_| bad("expected a number"))?,
            "posts-per-minute-per-address" => {
                config.posts_per_minute_per_address = Some(value.parse().map_err(|_| bad("expected a number"))?)
            }
            "reactions-per-minute" => {
                config.reactions_per_minute = value.parse().map_err(|_| bad("expected a number"))?
            }
            "trust-proxy" => config.trust_proxy = Some(value.parse().map_err(|_| bad("expected an IP address"))?),
            "delay-ms" => config.delay_ms = value.parse().map_err(|_| bad("expected a number"))?,
            "edit-window-seconds" => {
                config.edit_window_seconds = value.parse().map_err(|_| bad("expected a number of seconds"))?
            }
            "extra-article" => config.extra_articles.push(value),
            _ => return Err(format!("unknown option --{name}")),
        }
        Ok(())
    };
    for name in [
        "addr",
        "db",
        "cors",
        "static",
        "posts-per-minute",
        "posts-per-minute-per-address",
        "reactions-per-minute",
        "trust-proxy",
        "delay-ms",
        "edit-window-seconds",
        "extra-article",
    ] {
        let var = format!("DEV_API_{}", name.to_uppercase().replace('-', "_"));
        if let Ok(value) = std::env::var(&var) {
            set(name, value, &mut config)?;
        }
    }
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let name = arg.strip_prefix("--").ok_or_else(|| format!("unexpected argument {arg:?}"))?;
        let (name, value) = match name.split_once('=') {
            Some((n, v)) => (n.to_owned(), v.to_owned()),
            None => (name.to_owned(), args.next().ok_or_else(|| format!("--{name} needs a value"))?),
        };
        set(&name, value, &mut config)?;
    }
    Ok(config)
}

#[tokio::main]
async fn main() -> ExitCode {
    if std::env::args().any(|a| a == "--help" || a == "-h") {
        usage();
        return ExitCode::SUCCESS;
    }
    let config = match parse() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("dev-api: {e}");
            return usage();
        }
    };
    let db = config.db.display().to_string();
    let running = match dev_api::start(config).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("dev-api: could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("dev-api listening on http://{}/api (database {db})", running.addr);
    shutdown_signal().await;
    running.stop().await;
    ExitCode::SUCCESS
}

/// Ctrl-C or SIGTERM (what `make dev` and the test harness send).
async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    let term = async move {
        match term.as_mut() {
            Some(t) => {
                t.recv().await;
            }
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term => {}
    }
}
