//! The seed article, inserted on a database's first start only.

use rusqlite::{params, Transaction};

/// The id of the seed article.
pub const ARTICLE_ID: &str = "openai-microsoft-aws";
const TITLE: &str = "OpenAI cuts a deal with Microsoft to sell on AWS — and it’s a bigger win for OpenAI than it looks";
const BODY: &str = include_str!("seed-article.md");
/// The seed page shows 👍 8 / 👎 0.
const LIKES: usize = 8;

pub fn insert(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO articles (id, title, subtitle, author_name, author_url, author_avatar_url, published_at,
                               updated_at, body, tags, reaction_kinds, reactions_exclusive)
         VALUES (?1, ?2, NULL, ?3, NULL, NULL, ?4, NULL, ?5, ?6, ?7, 1)",
        params![
            ARTICLE_ID,
            TITLE,
            "Newsroom",
            "2026-11-20T09:30:00Z",
            BODY.trim_end(),
            r#"["AI","Cloud","Microsoft","AWS"]"#,
            r#"["like","dislike"]"#,
        ],
    )?;
    for i in 1..=LIKES {
        tx.execute(
            "INSERT INTO article_reactions (article_id, viewer, kind) VALUES (?1, ?2, 'like')",
            params![ARTICLE_ID, format!("seed-reader-{i}")],
        )?;
    }
    Ok(())
}

/// Makes sure an article `id` exists, creating an empty one (like/dislike, exclusive) if not: for
/// tests and demos that need more than the seed article (`--extra-article`).
pub fn ensure_article(tx: &Transaction<'_>, id: &str) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO articles (id, title, subtitle, author_name, author_url, author_avatar_url, published_at,
                                         updated_at, body, tags, reaction_kinds, reactions_exclusive)
         VALUES (?1, ?2, NULL, 'Newsroom', NULL, NULL, '2026-11-21T08:00:00Z', NULL, ?3, '[]', '[\"like\",\"dislike\"]', 1)",
        params![id, format!("Article {id}"), format!("The body of article {id}.")],
    )?;
    Ok(())
}
