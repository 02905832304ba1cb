//! The request and response bodies of the contract (v1.1), mirroring `openapi.yaml`.
//!
//! The widget's `tests/contract.rs` decodes every example of the OpenAPI document with these types and
//! checks that each type writes exactly the properties the document names, so the two cannot drift
//! apart; dev-api's tests validate what it writes with them against the schemas.
//! Unknown fields from the server are tolerated (a newer server may add some); missing required ones are
//! not, and such a response is reported as `ApiError::Contract` in the widget.
//!
//! The answers are read with [`Decode`] (`json.rs`), written out by hand below, field by field as
//! serde's derive would; dev-api writes them with serde. The request bodies are the other way round:
//! the widget writes them with [`ToJson`], dev-api reads them with serde. `tests/contract.rs` holds
//! each side to `openapi.yaml` and to the other.

use serde::{Deserialize, Serialize};

use crate::json::{self, Decode, Fields, Json, ToJson};
use crate::lenient::count;
use crate::{nesting, ArticleId, CommentId, ReactionKind};

/// `GET /articles/{article}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Article {
    pub id: ArticleId,
    pub title: String,
    pub subtitle: Option<String>,
    pub author: Author,
    /// RFC 3339.
    pub published_at: String,
    /// RFC 3339, `None` when never updated.
    pub updated_at: Option<String>,
    /// CommonMark; raw HTML in it is shown as text.
    pub body: String,
    pub tags: Vec<String>,
    pub reactions: Vec<Reaction>,
    /// A viewer holds at most one reaction kind (like *or* dislike).
    pub reactions_exclusive: bool,
    /// All comments, replies included.
    pub comment_count: u64,
    /// How long after posting a reader may edit or delete their comment; 0 (and a v1 server, which
    /// does not send it): not at all.
    pub edit_window_seconds: u64,
}

/// The author of an article.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Author {
    pub name: String,
    pub url: Option<String>,
    pub avatar_url: Option<String>,
}

/// The author of a comment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CommentAuthor {
    pub name: String,
    pub avatar_url: Option<String>,
}

/// One reaction kind with its count and whether this viewer holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reaction {
    /// Stable key such as `like`.
    pub kind: ReactionKind,
    pub count: u64,
    pub reacted: bool,
}

/// The answer of every reaction `PUT`/`DELETE`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReactionList {
    pub reactions: Vec<Reaction>,
}

/// A comment with its whole reply subtree.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comment {
    pub id: CommentId,
    pub parent_id: Option<CommentId>,
    pub author: CommentAuthor,
    /// CommonMark; raw HTML in it is shown as text.
    pub body: String,
    pub created_at: String,
    pub edited_at: Option<String>,
    pub reactions: Vec<Reaction>,
    /// Nested at most [`crate::MAX_REPLY_DEPTH`] deep once decoded: deeper replies are flattened
    /// into their ancestor at that depth, each keeping its own `parent_id` (see `nesting.rs`).
    pub replies: Vec<Comment>,
    /// All replies below this comment, at any depth.
    pub reply_count: u64,
    /// Deleted by its author, kept as a tombstone for its replies: `body` and `author.name` are
    /// empty. A v1 server does not send it (nor does a sloppy one, with `null`).
    pub deleted: bool,
}

/// The answer of `POST /articles/{article}/comments`: the comment, and (while the article lets
/// readers edit) what its author needs to edit or delete it. Both come only in this answer and in a
/// replay of it with the same `Idempotency-Key`.
///
/// One object holds both parts: the comment as any [`Comment`]; the grant when both its fields are
/// there and well-formed (a v1 server sends neither; a broken one costs only the grant).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PostedComment {
    #[serde(flatten)]
    pub comment: Comment,
    #[serde(flatten)]
    pub grant: Option<EditGrant>,
}

/// The author's means to edit or delete their comment: an opaque token for `X-Edit-Token`, good
/// until `editable_until`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EditGrant {
    pub edit_token: String,
    /// RFC 3339.
    pub editable_until: String,
}

/// The body of `PATCH /articles/{article}/comments/{comment}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentEdit {
    pub body: String,
}

/// Why a reader reports a comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportReason {
    Spam,
    Abuse,
    OffTopic,
    Other,
}

impl ReportReason {
    /// Every reason, in the order a form offers them.
    pub const ALL: [ReportReason; 4] =
        [ReportReason::Spam, ReportReason::Abuse, ReportReason::OffTopic, ReportReason::Other];

    /// The reason as it is on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportReason::Spam => "spam",
            ReportReason::Abuse => "abuse",
            ReportReason::OffTopic => "off_topic",
            ReportReason::Other => "other",
        }
    }
}

/// The body of `POST /articles/{article}/comments/{comment}/reports`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewReport {
    pub reason: ReportReason,
    /// At most [`crate::limits::MAX_REPORT_NOTE_CHARS`] characters.
    #[serde(default)]
    pub note: Option<String>,
}

/// The answer of a report (202): `{"status": "received"}`, for a first report and a repeat alike.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReportReceipt {
    pub status: String,
}

/// `GET /articles/{article}/comments`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CommentPage {
    /// Top-level comments, each with its whole reply subtree (nested at most
    /// [`crate::MAX_REPLY_DEPTH`] deep once decoded).
    pub comments: Vec<Comment>,
    /// Opaque; `None` on the last page.
    pub next_cursor: Option<String>,
    /// All comments of the article, replies included.
    pub total: u64,
}

/// The body of `POST /articles/{article}/comments`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewComment {
    pub author_name: String,
    pub body: String,
    /// The comment this replies to; absent or `null` for a top-level comment.
    #[serde(default)]
    pub parent_id: Option<CommentId>,
}

/// The body of every error response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// The `code`s of error answers that a client tells apart.
pub mod error_code {
    /// 403: the `X-Edit-Token` is missing, wrong, or for another comment.
    pub const FORBIDDEN: &str = "forbidden";
    /// 403: the token is right, but the time to edit or delete is over (or the article no longer
    /// lets readers edit).
    pub const EDIT_WINDOW_CLOSED: &str = "edit_window_closed";
    /// 404: the comment was deleted by its author (for an edit, a delete, a report, a replay of its
    /// post). A client tells it from a server without the endpoint, which answers 404 too.
    pub const COMMENT_DELETED: &str = "comment_deleted";
}

/// `{ code, message, field? }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

// ---- Reading answers, writing requests (see the module's documentation) -------------------------

impl Decode for Article {
    fn decode(json: Json<'_>) -> Result<Article, json::Error> {
        let mut f = Fields::of(json, "an article")?;
        Ok(Article {
            id: f.required("id")?,
            title: f.required("title")?,
            subtitle: f.optional("subtitle")?,
            author: f.required("author")?,
            published_at: f.required("published_at")?,
            updated_at: f.optional("updated_at")?,
            body: f.required("body")?,
            tags: f.required("tags")?,
            reactions: f.required("reactions")?,
            reactions_exclusive: f.required("reactions_exclusive")?,
            comment_count: f.required_with("comment_count", count)?,
            edit_window_seconds: f.or_with("edit_window_seconds", 0, count)?,
        })
    }
}

impl Decode for Author {
    fn decode(json: Json<'_>) -> Result<Author, json::Error> {
        let mut f = Fields::of(json, "an author")?;
        Ok(Author { name: f.required("name")?, url: f.optional("url")?, avatar_url: f.optional("avatar_url")? })
    }
}

impl Decode for CommentAuthor {
    fn decode(json: Json<'_>) -> Result<CommentAuthor, json::Error> {
        let mut f = Fields::of(json, "an author")?;
        Ok(CommentAuthor { name: f.required("name")?, avatar_url: f.optional("avatar_url")? })
    }
}

impl Decode for Reaction {
    fn decode(json: Json<'_>) -> Result<Reaction, json::Error> {
        let mut f = Fields::of(json, "a reaction")?;
        Ok(Reaction {
            kind: f.required("kind")?,
            count: f.required_with("count", count)?,
            reacted: f.required("reacted")?,
        })
    }
}

impl Decode for ReactionList {
    fn decode(json: Json<'_>) -> Result<ReactionList, json::Error> {
        Ok(ReactionList { reactions: Fields::of(json, "a reaction list")?.required("reactions")? })
    }
}

impl Decode for Comment {
    fn decode(json: Json<'_>) -> Result<Comment, json::Error> {
        nesting::comment(Fields::of(json, "a comment")?)
    }
}

impl Decode for PostedComment {
    fn decode(json: Json<'_>) -> Result<PostedComment, json::Error> {
        let mut fields = Fields::of(json, "a comment")?;
        // Either part missing, repeated or not a string: no grant, the comment still stands.
        let mut part = |key| fields.take(key).ok().flatten().and_then(|t| String::decode(t).ok());
        let grant = part("edit_token")
            .zip(part("editable_until"))
            .map(|(edit_token, editable_until)| EditGrant { edit_token, editable_until });
        Ok(PostedComment { comment: nesting::comment(fields)?, grant })
    }
}

impl Decode for CommentPage {
    fn decode(json: Json<'_>) -> Result<CommentPage, json::Error> {
        let mut f = Fields::of(json, "a page of comments")?;
        Ok(CommentPage {
            comments: f.required_with("comments", nesting::comments)?,
            next_cursor: f.optional("next_cursor")?,
            total: f.required_with("total", count)?,
        })
    }
}

impl Decode for ReportReceipt {
    fn decode(json: Json<'_>) -> Result<ReportReceipt, json::Error> {
        Ok(ReportReceipt { status: Fields::of(json, "a receipt")?.required("status")? })
    }
}

impl Decode for ErrorBody {
    fn decode(json: Json<'_>) -> Result<ErrorBody, json::Error> {
        Ok(ErrorBody { error: Fields::of(json, "an error")?.required("error")? })
    }
}

impl Decode for ErrorDetail {
    fn decode(json: Json<'_>) -> Result<ErrorDetail, json::Error> {
        let mut f = Fields::of(json, "an error")?;
        Ok(ErrorDetail { code: f.required("code")?, message: f.required("message")?, field: f.optional("field")? })
    }
}

impl ToJson for NewComment {
    fn to_json(&self) -> String {
        json::object(&[
            ("author_name", Some(self.author_name.as_str())),
            ("body", Some(self.body.as_str())),
            ("parent_id", self.parent_id.as_ref().map(CommentId::as_str)),
        ])
    }
}

impl ToJson for CommentEdit {
    fn to_json(&self) -> String {
        json::object(&[("body", Some(self.body.as_str()))])
    }
}

impl ToJson for NewReport {
    fn to_json(&self) -> String {
        json::object(&[("reason", Some(self.reason.as_str())), ("note", self.note.as_deref())])
    }
}
