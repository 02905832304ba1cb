//! The request and response bodies of the contract (v1), mirroring `openapi.yaml`.
//!
//! The widget's `tests/contract.rs` decodes every example of the OpenAPI document with these types and
//! checks that each type writes exactly the properties the document names, so the two cannot drift
//! apart; dev-api's tests validate what it writes with them against the schemas.
//! Unknown fields from the server are tolerated (a newer server may add some); missing required ones are
//! not, and such a response is reported as `ApiError::Contract` in the widget.

use serde::{Deserialize, Serialize};

use crate::{lenient, ArticleId, CommentId, ReactionKind};

/// `GET /articles/{article}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    #[serde(deserialize_with = "lenient::count")]
    pub comment_count: u64,
}

/// The author of an article.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Author {
    pub name: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub avatar_url: Option<String>,
}

/// The author of a comment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentAuthor {
    pub name: String,
    #[serde(default)]
    pub avatar_url: Option<String>,
}

/// One reaction kind with its count and whether this viewer holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reaction {
    /// Stable key such as `like`.
    pub kind: ReactionKind,
    #[serde(deserialize_with = "lenient::count")]
    pub count: u64,
    pub reacted: bool,
}

/// The answer of every reaction `PUT`/`DELETE`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionList {
    pub reactions: Vec<Reaction>,
}

/// A comment with its whole reply subtree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    #[serde(deserialize_with = "crate::nesting::replies")]
    pub replies: Vec<Comment>,
    /// All replies below this comment, at any depth.
    #[serde(deserialize_with = "lenient::count")]
    pub reply_count: u64,
}

/// `GET /articles/{article}/comments`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentPage {
    /// Top-level comments, each with its whole reply subtree (nested at most
    /// [`crate::MAX_REPLY_DEPTH`] deep once decoded).
    #[serde(deserialize_with = "crate::nesting::comments")]
    pub comments: Vec<Comment>,
    /// Opaque; `None` on the last page.
    pub next_cursor: Option<String>,
    /// All comments of the article, replies included.
    #[serde(deserialize_with = "lenient::count")]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// `{ code, message, field? }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub field: Option<String>,
}
