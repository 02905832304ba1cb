//! The JSON shapes of the contract (`openapi.yaml`), as the server writes and reads them.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize)]
pub struct Article {
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub author: Author,
    pub published_at: String,
    pub updated_at: Option<String>,
    pub body: String,
    pub tags: Vec<String>,
    pub reactions: Vec<Reaction>,
    pub reactions_exclusive: bool,
    pub comment_count: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Author {
    pub name: String,
    pub url: Option<String>,
    pub avatar_url: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CommentAuthor {
    pub name: String,
    pub avatar_url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reaction {
    pub kind: String,
    pub count: u64,
    pub reacted: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReactionList {
    pub reactions: Vec<Reaction>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Comment {
    pub id: String,
    pub parent_id: Option<String>,
    pub author: CommentAuthor,
    pub body: String,
    pub created_at: String,
    pub edited_at: Option<String>,
    pub reactions: Vec<Reaction>,
    pub replies: Vec<Comment>,
    pub reply_count: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct CommentPage {
    pub comments: Vec<Comment>,
    pub next_cursor: Option<String>,
    pub total: u64,
}

#[derive(Clone, Debug, Deserialize)]
pub struct NewComment {
    pub author_name: String,
    pub body: String,
    #[serde(default)]
    pub parent_id: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    #[default]
    Oldest,
    Newest,
    Top,
}

/// The one reaction kind comments have.
pub const COMMENT_REACTION_KINDS: &[&str] = &["like"];
