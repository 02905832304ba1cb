//! # contract
//!
//! The JSON API of article-widget (v1.1) as Rust types, shared by the widget (`article-widget`) and
//! the reference server (`dev-api`), so that a limit, an enum or a field is written once.
//! `openapi.yaml` at the repository root stays the source of truth: the widget's
//! `tests/contract.rs` decodes every example of it with these types and checks the key sets, and
//! dev-api's tests validate every answer against its schemas.
//!
//! - [`ids`]: typed ids and keys ([`ArticleId`], [`CommentId`], [`ReactionKind`], [`IdempotencyKey`]);
//! - [`dto`]: the request and response bodies;
//! - [`json`]: reading the answers and writing the requests;
//! - [`Sort`]: the order of top-level comments;
//! - [`limits`]: the contract's numbers, and [`limits::validate`] for a new comment.
//!
//! ## Usage
//! ```
//! use contract::{json, CommentPage, Sort};
//! let page: CommentPage = json::from_str(r#"{"comments": [], "next_cursor": null, "total": 0}"#).unwrap();
//! assert_eq!(page.total, 0);
//! assert_eq!("top".parse::<Sort>(), Ok(Sort::Top));
//! ```

pub mod dto;
pub mod ids;
pub mod json;
mod lenient;
pub mod limits;
mod nesting;
mod sort;

pub use dto::*;
pub use ids::{ArticleId, CommentId, IdempotencyKey, ReactionKind};
pub use nesting::MAX_REPLY_DEPTH;
pub use sort::Sort;
