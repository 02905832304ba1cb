//! Every HTTP call of the widget. Views never touch gloo-net; they call [`ApiClient`].

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use contract::json::{self, Decode, ToJson};
use futures::future::{select, Either};
use gloo_net::http::{Request, RequestBuilder};
use rustc_hash::FxHashMap as HashMap;
use web_sys::RequestCredentials;

use super::{
    ApiError, Article, ArticleId, Comment, CommentEdit, CommentId, CommentPage, IdempotencyKey, NewComment, NewReport,
    PostedComment, ReactionKind, ReactionList, Sort,
};

/// How cross-origin requests carry cookies (`data-credentials`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Credentials {
    Omit,
    /// The default: cookies only to the page's own origin.
    #[default]
    SameOrigin,
    Include,
}

impl Credentials {
    pub fn parse(s: &str) -> Option<Credentials> {
        match s {
            "omit" => Some(Credentials::Omit),
            "same-origin" => Some(Credentials::SameOrigin),
            "include" => Some(Credentials::Include),
            _ => None,
        }
    }

    fn to_web(self) -> RequestCredentials {
        match self {
            Credentials::Omit => RequestCredentials::Omit,
            Credentials::SameOrigin => RequestCredentials::SameOrigin,
            Credentials::Include => RequestCredentials::Include,
        }
    }
}

/// A client of one API base URL. Cheap to clone; every clone shares the same settings.
///
/// ## Usage
/// ```no_run
/// # async fn demo() -> Result<(), article_widget::api::ApiError> {
/// use article_widget::api::ApiClient;
/// let api = ApiClient::new("/api").with_header("X-Viewer-Id", "viewer-123");
/// let article = api.get_article(&"openai-microsoft-aws".into()).await?;
/// println!("{} has {} comments", article.title, article.comment_count);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct ApiClient {
    inner: Arc<Settings>,
}

/// Path templates of the endpoints, below the base URL, so the widget can talk to a backend whose
/// paths differ. `{article}`, `{comment}` and `{kind}` are replaced by the percent-encoded values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoints {
    /// Default `/articles/{article}`.
    pub article: String,
    /// Default `/articles/{article}/reactions/{kind}`.
    pub article_reaction: String,
    /// Default `/articles/{article}/comments`.
    pub comments: String,
    /// Default `/articles/{article}/comments/{comment}/reactions/{kind}`.
    pub comment_reaction: String,
    /// Default `/articles/{article}/comments/{comment}/replies`.
    pub replies: String,
    /// One comment, to edit (`PATCH`) or delete. Default `/articles/{article}/comments/{comment}`.
    pub comment: String,
    /// Default `/articles/{article}/comments/{comment}/reports`.
    pub reports: String,
}

impl Default for Endpoints {
    fn default() -> Endpoints {
        Endpoints {
            article: "/articles/{article}".into(),
            article_reaction: "/articles/{article}/reactions/{kind}".into(),
            comments: "/articles/{article}/comments".into(),
            comment_reaction: "/articles/{article}/comments/{comment}/reactions/{kind}".into(),
            replies: "/articles/{article}/comments/{comment}/replies".into(),
            comment: "/articles/{article}/comments/{comment}".into(),
            reports: "/articles/{article}/comments/{comment}/reports".into(),
        }
    }
}

impl Endpoints {
    /// The names `data-endpoints` accepts, with the template each sets.
    pub const NAMES: [&'static str; 7] =
        ["article", "articleReaction", "comments", "commentReaction", "replies", "comment", "reports"];

    /// Sets the template called `name` (one of [`Endpoints::NAMES`]); false for an unknown name or a
    /// template that does not start with `/`.
    pub fn set(&mut self, name: &str, template: &str) -> bool {
        if !template.starts_with('/') {
            return false;
        }
        let slot = match name {
            "article" => &mut self.article,
            "articleReaction" => &mut self.article_reaction,
            "comments" => &mut self.comments,
            "commentReaction" => &mut self.comment_reaction,
            "replies" => &mut self.replies,
            "comment" => &mut self.comment,
            "reports" => &mut self.reports,
            _ => return false,
        };
        *slot = template.to_owned();
        true
    }
}

#[derive(Clone, Debug)]
struct Settings {
    /// Identifies this client (and its clones) in [`IN_FLIGHT`], for [`ApiClient::abort_all`].
    id: u64,
    base: String,
    headers: Vec<(String, String)>,
    credentials: Credentials,
    timeout_ms: u32,
    endpoints: Endpoints,
}

/// Requests that have not been answered after this long are aborted and reported as
/// [`ApiError::Timeout`].
pub const DEFAULT_TIMEOUT_MS: u32 = 15_000;

impl ApiClient {
    /// A client of `base` (e.g. `/api` or `https://comments.example.com/v1`), with no extra headers,
    /// `same-origin` credentials and a 15 s time limit.
    pub fn new(base: impl Into<String>) -> ApiClient {
        let mut base = base.into();
        while base.ends_with('/') {
            base.pop();
        }
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        ApiClient {
            inner: Arc::new(Settings {
                id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
                base,
                headers: Vec::new(),
                credentials: Credentials::default(),
                timeout_ms: DEFAULT_TIMEOUT_MS,
                endpoints: Endpoints::default(),
            }),
        }
    }

    /// The base URL, without a trailing slash.
    pub fn base(&self) -> &str {
        &self.inner.base
    }

    /// Adds a header sent with every request (`X-Viewer-Id`, `Authorization`, …).
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> ApiClient {
        Arc::make_mut(&mut self.inner).headers.push((name.into(), value.into()));
        self
    }

    /// Sets the credentials mode of every request (default `same-origin`).
    pub fn with_credentials(mut self, credentials: Credentials) -> ApiClient {
        Arc::make_mut(&mut self.inner).credentials = credentials;
        self
    }

    /// Sets the endpoint path templates (default: the contract's paths).
    pub fn with_endpoints(mut self, endpoints: Endpoints) -> ApiClient {
        Arc::make_mut(&mut self.inner).endpoints = endpoints;
        self
    }

    /// Sets the time limit of every request in milliseconds (default 15 000).
    pub fn with_timeout_ms(mut self, timeout_ms: u32) -> ApiClient {
        Arc::make_mut(&mut self.inner).timeout_ms = timeout_ms;
        self
    }

    /// `GET /articles/{article}`.
    pub async fn get_article(&self, article: &ArticleId) -> Result<Article, ApiError> {
        let url = self.url(|e| &e.article, &[("article", article.as_str())], &[]);
        self.send(Request::get(&url), None).await
    }

    /// `PUT` (when `on`) or `DELETE` `/articles/{article}/reactions/{kind}`.
    pub async fn set_article_reaction(
        &self,
        article: &ArticleId,
        kind: &ReactionKind,
        on: bool,
    ) -> Result<ReactionList, ApiError> {
        let url = self.url(|e| &e.article_reaction, &[("article", article.as_str()), ("kind", kind.as_str())], &[]);
        self.send(put_or_delete(&url, on), None).await
    }

    /// `GET /articles/{article}/comments?sort=…&limit=…&cursor=…`.
    pub async fn list_comments(
        &self,
        article: &ArticleId,
        sort: Sort,
        limit: u32,
        cursor: Option<&str>,
    ) -> Result<CommentPage, ApiError> {
        let limit = limit.to_string();
        let mut query = vec![("sort", sort.as_str()), ("limit", limit.as_str())];
        if let Some(cursor) = cursor {
            query.push(("cursor", cursor));
        }
        let url = self.url(|e| &e.comments, &[("article", article.as_str())], &query);
        self.send(Request::get(&url), None).await
    }

    /// `GET /articles/{article}/comments/{comment}/replies?limit=…&cursor=…`: the replies a paging
    /// server did not send inline.
    pub async fn list_replies(
        &self,
        article: &ArticleId,
        comment: &CommentId,
        limit: u32,
        cursor: Option<&str>,
    ) -> Result<CommentPage, ApiError> {
        let limit = limit.to_string();
        let mut query = vec![("limit", limit.as_str())];
        if let Some(cursor) = cursor {
            query.push(("cursor", cursor));
        }
        let url = self.url(|e| &e.replies, &[("article", article.as_str()), ("comment", comment.as_str())], &query);
        self.send(Request::get(&url), None).await
    }

    /// `POST /articles/{article}/comments`. Sending the same `idempotency_key` again returns the
    /// comment the first request created instead of a second one, so a retry is always safe. The
    /// answer carries the author's edit grant when the server gives one.
    pub async fn post_comment(
        &self,
        article: &ArticleId,
        comment: &NewComment,
        idempotency_key: &IdempotencyKey,
    ) -> Result<PostedComment, ApiError> {
        let url = self.url(|e| &e.comments, &[("article", article.as_str())], &[]);
        let builder = Request::post(&url).header("Idempotency-Key", idempotency_key.as_str());
        self.send(builder, Some(comment.to_json())).await
    }

    /// `PATCH /articles/{article}/comments/{comment}` with the author's `X-Edit-Token`: the
    /// comment with its new body. `edit_token` must be visible ASCII (see
    /// [`Grant::from_wire`](crate::thread::Grant::from_wire)).
    pub async fn edit_comment(
        &self,
        article: &ArticleId,
        comment: &CommentId,
        edit_token: &str,
        body: &str,
    ) -> Result<Comment, ApiError> {
        let url = self.url(|e| &e.comment, &[("article", article.as_str()), ("comment", comment.as_str())], &[]);
        let builder = Request::patch(&url).header("X-Edit-Token", edit_token);
        self.send(builder, Some(CommentEdit { body: body.to_owned() }.to_json())).await
    }

    /// `DELETE /articles/{article}/comments/{comment}` with the author's `X-Edit-Token`.
    pub async fn delete_comment(
        &self,
        article: &ArticleId,
        comment: &CommentId,
        edit_token: &str,
    ) -> Result<(), ApiError> {
        let url = self.url(|e| &e.comment, &[("article", article.as_str()), ("comment", comment.as_str())], &[]);
        let builder = Request::delete(&url).header("X-Edit-Token", edit_token);
        self.send_text(builder, None).await.map(drop)
    }

    /// `POST /articles/{article}/comments/{comment}/reports`. Any 2xx is received: the body
    /// ([`ReportReceipt`](super::ReportReceipt)) says nothing more, and is not read.
    pub async fn report_comment(
        &self,
        article: &ArticleId,
        comment: &CommentId,
        report: &NewReport,
    ) -> Result<(), ApiError> {
        let url = self.url(|e| &e.reports, &[("article", article.as_str()), ("comment", comment.as_str())], &[]);
        self.send_text(Request::post(&url), Some(report.to_json())).await.map(drop)
    }

    /// `PUT` (when `on`) or `DELETE` `/articles/{article}/comments/{comment}/reactions/{kind}`.
    pub async fn set_comment_reaction(
        &self,
        article: &ArticleId,
        comment: &CommentId,
        kind: &ReactionKind,
        on: bool,
    ) -> Result<ReactionList, ApiError> {
        let vars = [("article", article.as_str()), ("comment", comment.as_str()), ("kind", kind.as_str())];
        let url = self.url(|e| &e.comment_reaction, &vars, &[]);
        self.send(put_or_delete(&url, on), None).await
    }

    /// Aborts every request of this client (and its clones) still on its way; each then fails with
    /// [`ApiError::Network`]. A removed widget calls it, so it leaves nothing running behind.
    pub fn abort_all(&self) {
        let controllers = IN_FLIGHT.with(|f| f.borrow_mut().remove(&self.inner.id)).unwrap_or_default();
        for (_, controller) in controllers {
            controller.abort();
        }
    }

    /// How many requests of this client are on their way.
    pub fn in_flight(&self) -> usize {
        IN_FLIGHT.with(|f| f.borrow().get(&self.inner.id).map_or(0, Vec::len))
    }

    /// The URL of an endpoint: its template with `vars` (each percent-encoded) below the base,
    /// with `query`.
    fn url(&self, template: impl Fn(&Endpoints) -> &String, vars: &[(&str, &str)], query: &[(&str, &str)]) -> String {
        build_url(&self.inner.base, template(&self.inner.endpoints), vars, query)
    }

    /// [`ApiClient::send_text`], the body decoded as `T`.
    async fn send<T: Decode>(&self, builder: RequestBuilder, body: Option<String>) -> Result<T, ApiError> {
        let text = self.send_text(builder, body).await?;
        json::from_str(&text).map_err(|e| ApiError::Contract(e.to_string()))
    }

    /// Sends with the shared headers, credentials and time limit, and `body` as JSON; the body of a
    /// 2xx answer, and anything else as [`ApiError`]. Not generic: every request shares one copy.
    async fn send_text(&self, mut builder: RequestBuilder, body: Option<String>) -> Result<String, ApiError> {
        for (name, value) in &self.inner.headers {
            builder = builder.header(name, value);
        }
        let controller = web_sys::AbortController::new().ok();
        let signal = controller.as_ref().map(|c| c.signal());
        let _in_flight = controller.clone().map(|c| InFlight::register(self.inner.id, c));
        builder = builder.credentials(self.inner.credentials.to_web()).abort_signal(signal.as_ref());
        let request = match body {
            Some(body) => builder.header("Content-Type", "application/json").body(body),
            None => builder.build(),
        }
        .map_err(|e| ApiError::Network(e.to_string()))?;

        let exchange = Box::pin(async move {
            let response = request.send().await.map_err(|e| ApiError::Network(e.to_string()))?;
            let text = response.text().await.map_err(|e| ApiError::Network(e.to_string()))?;
            let retry_after = response.headers().get("retry-after");
            Ok::<_, ApiError>((response.status(), text, retry_after))
        });
        let timeout = gloo_timers::future::TimeoutFuture::new(self.inner.timeout_ms);
        let (status, text, retry_after) = match select(exchange, timeout).await {
            Either::Left((answer, _)) => answer?,
            Either::Right(((), _)) => {
                if let Some(controller) = controller {
                    controller.abort();
                }
                return Err(ApiError::Timeout);
            }
        };
        answer(status, &text, retry_after.as_deref())?;
        Ok(text)
    }
}

thread_local! {
    /// The abort controllers of requests on their way, by client id.
    static IN_FLIGHT: RefCell<HashMap<u64, Vec<(u64, web_sys::AbortController)>>> = RefCell::new(HashMap::default());
}

/// A request's place in [`IN_FLIGHT`], removed when the request ends (dropped).
struct InFlight {
    client: u64,
    request: u64,
}

impl InFlight {
    fn register(client: u64, controller: web_sys::AbortController) -> InFlight {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let request = NEXT.fetch_add(1, Ordering::Relaxed);
        IN_FLIGHT.with(|f| f.borrow_mut().entry(client).or_default().push((request, controller)));
        InFlight { client, request }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let _ = IN_FLIGHT.try_with(|f| {
            let mut f = f.borrow_mut();
            if let Some(list) = f.get_mut(&self.client) {
                list.retain(|(r, _)| *r != self.request);
                if list.is_empty() {
                    f.remove(&self.client);
                }
            }
        });
    }
}

fn put_or_delete(url: &str, on: bool) -> RequestBuilder {
    if on {
        Request::put(url)
    } else {
        Request::delete(url)
    }
}

/// A 2xx answer's body, or the [`ApiError`] of any other. Pure, so it is tested natively.
fn answer<'a>(status: u16, body: &'a str, retry_after: Option<&str>) -> Result<&'a str, ApiError> {
    if (200..300).contains(&status) {
        Ok(body)
    } else {
        Err(ApiError::from_response(status, body, retry_after))
    }
}

/// What [`ApiClient::send`] makes of an answer.
#[cfg(test)]
fn decode<T: Decode>(status: u16, body: &str, retry_after: Option<&str>) -> Result<T, ApiError> {
    answer(status, body, retry_after).and_then(|t| json::from_str(t).map_err(|e| ApiError::Contract(e.to_string())))
}

/// `base` + `template` with each `{name}` replaced by its percent-encoded value + `?k=v&…`.
pub(crate) fn build_url(base: &str, template: &str, vars: &[(&str, &str)], query: &[(&str, &str)]) -> String {
    let mut url = String::from(base);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        url.push_str(&rest[..open]);
        match rest[open..].find('}') {
            Some(close) => {
                let name = &rest[open + 1..open + close];
                match vars.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => url.push_str(&percent_encode(value)),
                    None => url.push_str(&rest[open..=open + close]),
                }
                rest = &rest[open + close + 1..];
            }
            None => {
                url.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    url.push_str(rest);
    for (i, (key, value)) in query.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        url.push_str(&percent_encode(key));
        url.push('=');
        url.push_str(&percent_encode(value));
    }
    url
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so an id can never change the
/// path (`../`, `?`, `#`).
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for byte in s.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    // A bare "." or ".." segment would still be resolved by the browser.
    match out.as_str() {
        "." => "%2E".into(),
        ".." => "%2E%2E".into(),
        _ => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_encode_every_value_and_query() {
        let e = Endpoints::default();
        assert_eq!(
            build_url("/api", &e.comments, &[("article", "a b/../c?d#e")], &[("sort", "top"), ("cursor", "x=1&y")]),
            "/api/articles/a%20b%2F..%2Fc%3Fd%23e/comments?sort=top&cursor=x%3D1%26y"
        );
        assert_eq!(
            build_url("https://x.example/v1", &e.article, &[("article", "..")], &[]),
            "https://x.example/v1/articles/%2E%2E"
        );
        assert_eq!(build_url("/api", &e.article, &[("article", "ü")], &[]), "/api/articles/%C3%BC");
        assert_eq!(
            build_url("/api", &e.comment_reaction, &[("article", "a"), ("comment", "7"), ("kind", "like")], &[]),
            "/api/articles/a/comments/7/reactions/like"
        );
    }

    #[test]
    fn endpoint_templates_can_be_replaced() {
        let mut e = Endpoints::default();
        assert!(e.set("comments", "/posts/{article}/replies"));
        assert!(!e.set("comments", "posts/{article}"), "must start with /");
        assert!(!e.set("nonsense", "/x"));
        let api = ApiClient::new("/v2").with_endpoints(e);
        assert_eq!(api.url(|e| &e.comments, &[("article", "my post")], &[]), "/v2/posts/my%20post/replies");
        assert_eq!(build_url("", "/a/{unknown}/{article", &[("article", "x")], &[]), "/a/{unknown}/{article");
    }

    #[test]
    fn base_keeps_no_trailing_slash() {
        let api = ApiClient::new("https://x.example/v1//");
        assert_eq!(api.url(|e| &e.article, &[("article", "a")], &[]), "https://x.example/v1/articles/a");
    }

    #[test]
    fn decode_maps_statuses_and_shapes() {
        let ok: Result<ReactionList, _> = decode(200, r#"{"reactions":[]}"#, None);
        assert_eq!(ok, Ok(ReactionList { reactions: vec![] }));
        let wrong: Result<ReactionList, _> = decode(200, r#"{"reactions":{}}"#, None);
        assert!(matches!(wrong, Err(ApiError::Contract(_))));
        let not_json: Result<ReactionList, _> = decode(200, "<html>", None);
        assert!(matches!(not_json, Err(ApiError::Contract(_))));
        let err: Result<ReactionList, _> = decode(503, "", None);
        assert_eq!(err.unwrap_err().to_string(), "the server answered 503");
    }

    #[test]
    fn credentials_parse() {
        assert_eq!(Credentials::parse("include"), Some(Credentials::Include));
        assert_eq!(Credentials::parse("omit"), Some(Credentials::Omit));
        assert_eq!(Credentials::parse("same-origin"), Some(Credentials::SameOrigin));
        assert_eq!(Credentials::parse("all"), None);
    }
}
