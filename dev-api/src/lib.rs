//! `dev-api`: the reference implementation of the article-widget JSON API (`openapi.yaml`), on an
//! embedded SQLite database. Used by the dev stack (`make dev`) and by the end-to-end tests.

pub mod edit;
mod error;
mod limit;
mod model;
pub mod seed;
mod store;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;

use contract::limits::{self, Invalid};
use edit::{Clock, EditKeys, Refusal};
pub use error::ApiError;
use model::{CommentEdit, EditGrant, NewComment, NewReport, PostedComment, ReportReceipt, Sort};
pub use store::Store;

/// Largest request body accepted (a 5000-character comment in UTF-8 fits with room to spare).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The edit window when `--edit-window-seconds` is not given.
pub const DEFAULT_EDIT_WINDOW_SECONDS: u64 = 900;

/// How the server runs. Every field has a flag and an environment variable (see `main.rs`).
#[derive(Clone, Debug)]
pub struct Config {
    /// Default `127.0.0.1:8787`.
    pub addr: SocketAddr,
    /// Default `data/dev-api.sqlite3`; created with its folder on first start.
    pub db: PathBuf,
    /// Origins allowed by CORS (with credentials). `*` allows any origin without credentials.
    /// Default: the Trunk dev server's `http://127.0.0.1:8080` and `http://localhost:8080`.
    pub cors_origins: Vec<String>,
    /// Also serve this folder's files at `/` (e.g. a built `dist/`). Default: none.
    pub static_dir: Option<PathBuf>,
    /// New comments per viewer per minute before 429. Default 5.
    pub posts_per_minute: usize,
    /// New comments per client address per minute before 429 (an IPv6 address counts by its /64).
    /// Default: `None`, four times `posts_per_minute`.
    pub posts_per_minute_per_address: Option<usize>,
    /// Reaction changes per viewer per minute before 429; per address, four times as many.
    /// Default 120.
    pub reactions_per_minute: usize,
    /// The reverse proxy in front, if any: only requests from this address have their client taken
    /// from `X-Forwarded-For` (its last entry). Default: none, the peer address counts.
    pub trust_proxy: Option<IpAddr>,
    /// Articles to create (empty) besides the seed article, if missing. Default: none.
    pub extra_articles: Vec<String>,
    /// Delay added to every API answer after the request was handled (so a write is already done
    /// when the answer leaves), to try slow networks and lost answers. Default 0.
    pub delay_ms: u64,
    /// How long after posting the author may edit or delete a comment (`edit_window_seconds` of
    /// every article); 0 turns editing off. Default 900 (15 minutes).
    pub edit_window_seconds: u64,
    /// The clock of edit windows and comment times. Default: the system's; tests move it.
    pub clock: Clock,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8787)),
            db: PathBuf::from("data/dev-api.sqlite3"),
            cors_origins: vec!["http://127.0.0.1:8080".into(), "http://localhost:8080".into()],
            static_dir: None,
            posts_per_minute: 5,
            posts_per_minute_per_address: None,
            reactions_per_minute: 120,
            trust_proxy: None,
            extra_articles: Vec::new(),
            delay_ms: 0,
            edit_window_seconds: DEFAULT_EDIT_WINDOW_SECONDS,
            clock: Clock::default(),
        }
    }
}

/// What the handlers share: the database and the rate limits.
struct App {
    store: Arc<Store>,
    /// Posts, by viewer and by address (the address limit is this one's times four).
    posts_by_viewer: limit::RateLimit,
    posts_by_address: limit::RateLimit,
    reactions_by_viewer: limit::RateLimit,
    reactions_by_address: limit::RateLimit,
    trust_proxy: Option<IpAddr>,
    /// Requests waiting for the database wait here, not as blocked threads: one permit per
    /// reading connection, one for the writer.
    reads: Arc<tokio::sync::Semaphore>,
    writes: Arc<tokio::sync::Semaphore>,
    edit_keys: EditKeys,
    edit_window_seconds: u64,
    clock: Clock,
}

type AppState = Arc<App>;

/// Who sent a request, for the rate limits: the connection's peer (or, behind the trusted proxy,
/// the client it names).
struct Client(IpAddr);

impl App {
    fn client(&self, peer: SocketAddr, headers: &HeaderMap) -> Client {
        // The last header line: the one the proxy added (earlier ones are the client's to forge).
        let forwarded = headers.get_all("x-forwarded-for").iter().next_back().and_then(|v| v.to_str().ok());
        Client(limit::client_address(peer.ip(), self.trust_proxy, forwarded))
    }

    /// Counts a post by `viewer` from `client`, or the 429 to answer.
    fn admit_post(&self, client: &Client, viewer: &str) -> Result<(), ApiError> {
        admit(&self.posts_by_address, &self.posts_by_viewer, client, viewer)
    }

    fn admit_reaction(&self, client: &Client, viewer: &str) -> Result<(), ApiError> {
        admit(&self.reactions_by_address, &self.reactions_by_viewer, client, viewer)
    }
}

/// Both limits or neither: a refused request counts for no key.
fn admit(
    by_address: &limit::RateLimit,
    by_viewer: &limit::RateLimit,
    client: &Client,
    viewer: &str,
) -> Result<(), ApiError> {
    let (address, viewer) = ([limit::address_key(client.0)], [format!("viewer:{viewer}")]);
    limit::admit_all(&[(by_address, &address[..]), (by_viewer, &viewer[..])], std::time::Instant::now())
        .map_err(ApiError::rate_limited)
}

/// The whole application: the API under `/api`, and the static folder (if any) at `/`. Serve it
/// with `into_make_service_with_connect_info::<SocketAddr>()` (the rate limits need the peer).
pub fn router(store: Arc<Store>, config: &Config) -> Router {
    let per_address = config.posts_per_minute_per_address.unwrap_or(config.posts_per_minute.saturating_mul(4));
    let app = Arc::new(App {
        store: store.clone(),
        posts_by_viewer: limit::RateLimit::new(config.posts_per_minute),
        posts_by_address: limit::RateLimit::new(per_address),
        reactions_by_viewer: limit::RateLimit::new(config.reactions_per_minute),
        reactions_by_address: limit::RateLimit::new(config.reactions_per_minute.saturating_mul(4)),
        trust_proxy: config.trust_proxy,
        reads: Arc::new(tokio::sync::Semaphore::new(store::READERS)),
        writes: Arc::new(tokio::sync::Semaphore::new(1)),
        edit_keys: EditKeys::new(store.edit_secret()),
        edit_window_seconds: config.edit_window_seconds,
        clock: config.clock.clone(),
    });
    let api = Router::new()
        .route("/articles/{article}", get(get_article))
        .route("/articles/{article}/html", get(article_html))
        .route("/articles/{article}/reactions/{kind}", put(article_reaction).delete(article_reaction))
        .route("/articles/{article}/comments", get(list_comments).post(post_comment))
        .route("/articles/{article}/comments/{comment}", axum::routing::patch(edit_comment).delete(delete_comment))
        .route("/articles/{article}/comments/{comment}/replies", get(list_replies))
        .route("/articles/{article}/comments/{comment}/reports", post(report_comment))
        .route(
            "/articles/{article}/comments/{comment}/reactions/{kind}",
            put(comment_reaction).delete(comment_reaction),
        )
        .fallback(|| async { ApiError::not_found("No such endpoint.") })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(config.delay_ms, delay))
        .layer(cors(&config.cors_origins))
        .with_state(app.clone());
    let router = Router::new().nest("/api", api);
    match &config.static_dir {
        Some(dir) => router.fallback_service(ServeDir::new(dir)).layer(middleware::from_fn_with_state(app, includes)),
        None => router,
    }
}

/// Server-side includes in the static folder's pages, as nginx's `ssi on` does them:
/// `<!--#include virtual="/api/articles/{article}/html?…" -->` becomes that fragment (and an include
/// of anything else, or one that fails, a comment saying why). The dev page uses it to show the
/// server-rendered path; any stack that can include a URL's answer in a page can do the same.
async fn includes(State(app): State<AppState>, request: Request, next: Next) -> Response {
    const OPEN: &str = "<!--#include virtual=\"";
    const CLOSE: &str = "\" -->";
    if request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    const MAX_PAGE: u64 = 8 << 20;
    let response = next.run(request).await;
    // Whole pages only (not a range's part, not a 304), and no larger than a page can sensibly be.
    let wanted = {
        let header = |name| response.headers().get(name).and_then(|v: &HeaderValue| v.to_str().ok());
        header(header::CONTENT_TYPE).is_some_and(|v| v.starts_with("text/html"))
            && header(header::CONTENT_LENGTH).and_then(|v| v.parse::<u64>().ok()).is_some_and(|n| n <= MAX_PAGE)
            && response.status() == StatusCode::OK
    };
    if !wanted {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let page = match axum::body::to_bytes(body, MAX_PAGE as usize).await {
        Ok(bytes) => match String::from_utf8(bytes.to_vec()) {
            Ok(page) => page,
            // Not UTF-8: served as it is.
            Err(_) => return Response::from_parts(parts, axum::body::Body::from(bytes)),
        },
        Err(e) => return ApiError::internal(e).into_response(),
    };
    let mut out = String::with_capacity(page.len());
    let mut rest = page.as_str();
    while let Some((before, after)) = rest.split_once(OPEN) {
        out.push_str(before);
        let Some((target, after)) = after.split_once(CLOSE) else {
            out.push_str(OPEN);
            rest = after;
            continue;
        };
        match include(&app, target).await {
            Ok(fragment) => out.push_str(&fragment),
            // Nothing of the message can end the comment.
            Err(e) => out.push_str(&format!("<!-- include failed: {} -->", e.message.replace(['-', '<', '>'], ""))),
        }
        rest = after;
    }
    out.push_str(rest);
    // What is included changes with every comment: no validator, no caching.
    for name in [header::CONTENT_LENGTH, header::LAST_MODIFIED, header::ETAG, header::ACCEPT_RANGES] {
        parts.headers.remove(name);
    }
    parts.headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Response::from_parts(parts, axum::body::Body::from(out))
}

/// The fragment an include names: only `/api/articles/{article}/html`, with its query.
async fn include(app: &AppState, target: &str) -> Result<String, ApiError> {
    let uri: axum::http::Uri = target.parse().map_err(|_| ApiError::malformed("not a URL"))?;
    let article = uri
        .path()
        .strip_prefix("/api/articles/")
        .and_then(|p| p.strip_suffix("/html"))
        .filter(|a| !a.is_empty() && !a.contains(['/', '%']))
        .ok_or_else(|| ApiError::malformed("only /api/articles/{article}/html can be included"))?;
    let Query(query) = Query::try_from_uri(&uri).map_err(|e| ApiError::malformed(e.body_text()))?;
    fragment(app, article.to_owned(), &query).await
}

/// A running server; [`Running::stop`] shuts it down and closes the database.
pub struct Running {
    pub addr: SocketAddr,
    shutdown: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    pub async fn stop(self) {
        let _ = self.shutdown.send(());
        let _ = self.task.await;
    }
}

/// Opens the database and starts serving in the background.
pub async fn start(config: Config) -> Result<Running, Box<dyn std::error::Error + Send + Sync>> {
    let store = Arc::new(Store::open(&config.db, &config.extra_articles)?);
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    let app = router(store, &config);
    let (shutdown, signal) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async move {
                let _ = signal.await;
            })
            .await
    });
    Ok(Running { addr, shutdown, task })
}

fn cors(origins: &[String]) -> CorsLayer {
    let layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::PUT, Method::DELETE, Method::POST, Method::PATCH])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            HeaderName::from_static("x-viewer-id"),
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static("x-edit-token"),
        ])
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(600));
    if origins.iter().any(|o| o == "*") {
        layer.allow_origin(AllowOrigin::any())
    } else {
        let list: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
        layer.allow_origin(AllowOrigin::list(list)).allow_credentials(true)
    }
}

/// Holds every answer back by `delay_ms`, after the handler ran.
async fn delay(State(delay_ms): State<u64>, request: Request, next: Next) -> Response {
    let preflight = request.method() == Method::OPTIONS;
    let response = next.run(request).await;
    if delay_ms > 0 && !preflight {
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
    }
    response
}

/// Runs a reading store call off the async threads, once a reading connection is free.
async fn reading<T: Send + 'static>(
    app: &AppState,
    f: impl FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let permit = app.reads.clone().acquire_owned().await.map_err(ApiError::internal)?;
    blocking(app, permit, f).await
}

/// Runs a writing store call off the async threads, once the writer is free.
async fn writing<T: Send + 'static>(
    app: &AppState,
    f: impl FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let permit = app.writes.clone().acquire_owned().await.map_err(ApiError::internal)?;
    blocking(app, permit, f).await
}

/// Runs a store call off the async threads (SQLite waits for the disk). The permit goes with the
/// call: a request given up by its client still holds it until the call is done.
async fn blocking<T: Send + 'static>(
    app: &AppState,
    permit: tokio::sync::OwnedSemaphorePermit,
    f: impl FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let store = app.store.clone();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        f(&store)
    })
    .await
    .map_err(ApiError::internal)?
}

/// The `X-Viewer-Id` header, when present and well-formed.
fn viewer(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("x-viewer-id") else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ApiError::malformed("X-Viewer-Id must be ASCII."))?;
    let ok = (1..=128).contains(&value.len())
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    if !ok {
        return Err(ApiError::malformed("X-Viewer-Id must be 1 to 128 letters, digits, '-', '_', '.' or ':'."));
    }
    Ok(Some(value.to_owned()))
}

fn required_viewer(headers: &HeaderMap) -> Result<String, ApiError> {
    viewer(headers)?.ok_or_else(|| ApiError::malformed("The X-Viewer-Id header is required to react or post."))
}

async fn get_article(
    State(app): State<AppState>,
    Path(article): Path<String>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    let viewer = viewer(&headers)?;
    let mut article = reading(&app, move |s| s.article(&article, viewer.as_deref())).await?;
    article.edit_window_seconds = app.edit_window_seconds;
    Ok(Json(article))
}

/// The widget's parts as HTML ([`article_widget::ssr`]): the fragment a page places inside the
/// widget's element, so that the article and its first comments are there before any wasm runs.
/// The same for every reader (no viewer's reactions), so any cache may keep it.
async fn article_html(
    State(app): State<AppState>,
    Path(article): Path<String>,
    query: Result<Query<std::collections::HashMap<String, String>>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::malformed(e.body_text()))?;
    let html = fragment(&app, article, &query).await?;
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}

/// The fragment of `article` for the widget options in `query` that change what is rendered:
/// `parts`, `locale`, `sort`, `limit` and `reactions-position` (labels and strings of one's own are
/// for `article_widget::ssr::render`).
async fn fragment(
    app: &AppState,
    article: String,
    query: &std::collections::HashMap<String, String>,
) -> Result<String, ApiError> {
    // The widget's own checks of its options, under this endpoint's names.
    const OPTIONS: [(&str, &str); 5] = [
        ("data-parts", "parts"),
        ("data-locale", "locale"),
        ("data-sort", "sort"),
        ("data-page-size", "limit"),
        ("data-reactions-position", "reactions-position"),
    ];
    let config = article_widget::config::WidgetConfig::from_attributes(|attribute| match attribute {
        "data-api-base" => Some("/api".to_owned()),
        "data-article-id" => Some(article.clone()),
        _ => OPTIONS.iter().find(|(a, _)| *a == attribute).and_then(|(_, name)| query.get(*name).cloned()),
    })
    .map_err(|e| {
        let name = OPTIONS.iter().find(|(a, _)| *a == e.option).map_or(e.option, |(_, name)| name);
        ApiError::malformed(format!("{name} {}.", e.problem))
    })?;
    let (sort, limit, comments) = (config.sort, config.page_size, config.parts.comments);
    let (mut article, page) = reading(app, move |s| {
        let page = match comments {
            true => Some(s.comments(&article, None, sort, limit, None, limits::DEFAULT_INLINE_REPLIES)?),
            false => None,
        };
        Ok((s.article(&article, None)?, page))
    })
    .await?;
    article.edit_window_seconds = app.edit_window_seconds;
    // The renderer has no panic path the tests know of; should one appear, it ends this request
    // with a 500, not the server (where panics unwind: the debug build `make dev` and the tests use).
    let render = std::panic::AssertUnwindSafe(|| article_widget::ssr::render(&config, &article, page.as_ref()));
    std::panic::catch_unwind(render).map_err(|_| ApiError::internal("the fragment could not be rendered"))
}

/// `PUT` adds the viewer's reaction, `DELETE` removes it.
async fn article_reaction(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: Method,
    Path((article, kind)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let viewer = required_viewer(&headers)?;
    app.admit_reaction(&app.client(peer, &headers), &viewer)?;
    let on = method == Method::PUT;
    let list = writing(&app, move |s| s.set_article_reaction(&article, &viewer, &kind, on)).await?;
    Ok(Json(list).into_response())
}

/// `PUT` adds the viewer's reaction to a comment, `DELETE` removes it.
async fn comment_reaction(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: Method,
    Path((article, comment, kind)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let viewer = required_viewer(&headers)?;
    app.admit_reaction(&app.client(peer, &headers), &viewer)?;
    let on = method == Method::PUT;
    let list = writing(&app, move |s| s.set_comment_reaction(&article, &comment, &viewer, &kind, on)).await?;
    Ok(Json(list).into_response())
}

async fn list_comments(
    State(app): State<AppState>,
    Path(article): Path<String>,
    query: Result<Query<std::collections::HashMap<String, String>>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::malformed(e.body_text()))?;
    let viewer = viewer(&headers)?;
    let sort = match query.get("sort") {
        None => Sort::default(),
        Some(s) => s.parse::<Sort>().map_err(|e| ApiError::malformed(format!("sort {e}.")))?,
    };
    let (limit, cursor, inline) = paging(&query)?;
    let page =
        reading(&app, move |s| s.comments(&article, viewer.as_deref(), sort, limit, cursor.as_deref(), inline)).await?;
    Ok(Json(page))
}

/// `limit`, `cursor` and `replies` of a list request, checked.
fn paging(query: &std::collections::HashMap<String, String>) -> Result<(u32, Option<String>, u32), ApiError> {
    let number = |name: &str, default: u32, range: std::ops::RangeInclusive<u32>| match query.get(name) {
        None => Ok(default),
        Some(v) => v.parse::<u32>().ok().filter(|v| range.contains(v)).ok_or_else(|| {
            ApiError::malformed(format!("{name} must be a whole number from {} to {}.", range.start(), range.end()))
        }),
    };
    let limit = number("limit", limits::DEFAULT_PAGE_SIZE, 1..=limits::MAX_PAGE_SIZE)?;
    let inline = number("replies", limits::DEFAULT_INLINE_REPLIES, 0..=limits::MAX_INLINE_REPLIES)?;
    // An empty cursor is the same as none (openapi.yaml says so).
    let cursor = query.get("cursor").filter(|c| !c.is_empty()).cloned();
    Ok((limit, cursor, inline))
}

async fn list_replies(
    State(app): State<AppState>,
    Path((article, comment)): Path<(String, String)>,
    query: Result<Query<std::collections::HashMap<String, String>>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::malformed(e.body_text()))?;
    let viewer = viewer(&headers)?;
    let (limit, cursor, inline) = paging(&query)?;
    let page =
        reading(&app, move |s| s.replies(&article, &comment, viewer.as_deref(), limit, cursor.as_deref(), inline))
            .await?;
    Ok(Json(page))
}

/// Checks a new comment as the contract says ([`limits::validate`]), in the server's words, and
/// stores its name in Unicode NFC (the length rule still in characters).
fn validate(new: NewComment) -> Result<NewComment, ApiError> {
    use unicode_normalization::UnicodeNormalization;
    // Hidden characters out first (one between two others would keep them from composing), then
    // NFC, then the rules once more on what is stored.
    let new = limits::validate(new)
        .map(|new| NewComment { author_name: new.author_name.nfc().collect(), ..new })
        .and_then(limits::validate);
    new.map_err(invalid)
}

/// The 422 of a refused name or body, in the server's words.
fn invalid(invalid: Invalid) -> ApiError {
    let message = match invalid {
        Invalid::NameEmpty => "Please enter your name.".to_owned(),
        Invalid::NameTooLong => format!("Your name is too long (at most {} characters).", limits::MAX_NAME_CHARS),
        Invalid::BodyEmpty => "Please write a comment.".to_owned(),
        Invalid::BodyTooLong => format!("Your comment is too long (at most {} characters).", limits::MAX_BODY_CHARS),
    };
    ApiError::validation(invalid.field(), message)
}

async fn post_comment(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(article): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let viewer = required_viewer(&headers)?;
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| limits::IDEMPOTENCY_KEY_BYTES.contains(&k.len()))
        .ok_or_else(|| ApiError::malformed("An Idempotency-Key header of 1 to 128 characters is required."))?
        .to_owned();
    let new: NewComment = json_body(body, "NewComment")?;
    let new = validate(new)?;
    // Counted once the post is valid, is no replay and its parent exists (the store asks).
    let client = app.client(peer, &headers);
    let limits = app.clone();
    let now = app.clock.now();
    let (comment, _replayed) = writing(&app, move |s| {
        s.post_comment(&article, &viewer, &key, &new, now, || limits.admit_post(&client, &viewer))
    })
    .await?;
    // A replay gets the same grant: its time comes from the comment's.
    let grant = app.edit_grant(&comment);
    Ok((StatusCode::CREATED, Json(PostedComment { comment, grant })).into_response())
}

impl App {
    /// The author's grant to edit a new comment, while articles let readers edit.
    fn edit_grant(&self, comment: &model::Comment) -> Option<EditGrant> {
        let window = i64::try_from(self.edit_window_seconds).ok().filter(|w| *w > 0)?;
        let id: i64 = comment.id.as_str().parse().ok()?;
        let created =
            time::OffsetDateTime::parse(&comment.created_at, &time::format_description::well_known::Rfc3339).ok()?;
        let until = created.checked_add(time::Duration::seconds(window))?;
        Some(EditGrant {
            edit_token: self.edit_keys.token(id, until.unix_timestamp()),
            editable_until: store::rfc3339(until),
        })
    }

    /// Comment `comment` as a number, once its `X-Edit-Token` is checked: 403 `forbidden` for a
    /// missing or wrong token, 403 `edit_window_closed` after its time.
    fn authorize_edit(&self, comment: &str, headers: &HeaderMap) -> Result<i64, ApiError> {
        let forbidden = || {
            ApiError::forbidden(
                model::error_code::FORBIDDEN,
                "Only the author of this comment can change it, with the X-Edit-Token of its post.",
            )
        };
        let id: i64 = comment.parse().map_err(|_| forbidden())?;
        let token = headers.get("x-edit-token").and_then(|v| v.to_str().ok()).ok_or_else(forbidden)?;
        let checked = self.edit_keys.check(id, token.trim(), self.clock.now().unix_timestamp());
        // With editing turned off, tokens given before are closed too.
        let checked = if self.edit_window_seconds == 0 { checked.and(Err(Refusal::WindowClosed)) } else { checked };
        match checked {
            Ok(()) => Ok(id),
            Err(Refusal::Forbidden) => Err(forbidden()),
            Err(Refusal::WindowClosed) => Err(ApiError::forbidden(
                model::error_code::EDIT_WINDOW_CLOSED,
                "The time to edit or delete this comment is over.",
            )),
        }
    }
}

/// A JSON request body, or the 413/400 to answer.
fn json_body<T: serde::de::DeserializeOwned>(body: Result<Bytes, BytesRejection>, what: &str) -> Result<T, ApiError> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::too_large(MAX_BODY_BYTES)
        } else {
            ApiError::malformed(e.body_text())
        }
    })?;
    serde_json::from_slice(&body).map_err(|e| ApiError::malformed(format!("The body is not a valid {what}: {e}.")))
}

/// `PATCH`: the author edits their comment, with its token, within the window.
async fn edit_comment(
    State(app): State<AppState>,
    Path((article, comment)): Path<(String, String)>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let id = app.authorize_edit(&comment, &headers)?;
    let edit: CommentEdit = json_body(body, "CommentEdit")?;
    let body = limits::validate_body(&edit.body).map_err(invalid)?.to_owned();
    let viewer = viewer(&headers)?;
    let now = app.clock.now();
    let comment = writing(&app, move |s| s.edit_comment(&article, id, &body, viewer.as_deref(), now)).await?;
    Ok(Json(comment).into_response())
}

/// `DELETE`: the author deletes their comment, with its token, within the window.
async fn delete_comment(
    State(app): State<AppState>,
    Path((article, comment)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = app.authorize_edit(&comment, &headers)?;
    writing(&app, move |s| s.delete_comment(&article, id)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A reader reports a comment; a repeat is answered the same and stored once.
async fn report_comment(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((article, comment)): Path<(String, String)>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let viewer = required_viewer(&headers)?;
    let mut report: NewReport = json_body(body, "NewReport")?;
    report.note = report.note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    if report.note.as_ref().is_some_and(|n| n.chars().count() > limits::MAX_REPORT_NOTE_CHARS) {
        return Err(ApiError::validation(
            "note",
            format!("The note is too long (at most {} characters).", limits::MAX_REPORT_NOTE_CHARS),
        ));
    }
    app.admit_reaction(&app.client(peer, &headers), &viewer)?;
    let now = app.clock.now();
    writing(&app, move |s| s.report_comment(&article, &comment, &viewer, &report, now)).await?;
    Ok((StatusCode::ACCEPTED, Json(ReportReceipt { status: "received".into() })).into_response())
}
