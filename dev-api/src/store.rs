//! The SQLite store: schema, seed, and every query. Writes run in transactions; the database is in
//! WAL mode with `synchronous=FULL`, so an acknowledged comment is on disk.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use base64::Engine;
use rusqlite::{params, Connection, OptionalExtension};

use contract::{limits, MAX_REPLY_DEPTH};

use crate::error::ApiError;
use crate::model::*;
use crate::seed;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    subtitle TEXT,
    author_name TEXT NOT NULL,
    author_url TEXT,
    author_avatar_url TEXT,
    published_at TEXT NOT NULL,
    updated_at TEXT,
    body TEXT NOT NULL,
    tags TEXT NOT NULL,            -- JSON array of strings
    reaction_kinds TEXT NOT NULL,  -- JSON array of kinds, in display order
    reactions_exclusive INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS article_reactions (
    article_id TEXT NOT NULL REFERENCES articles(id),
    viewer TEXT NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (article_id, viewer, kind)
);
CREATE TABLE IF NOT EXISTS comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL REFERENCES articles(id),
    parent_id INTEGER REFERENCES comments(id),
    root_id INTEGER NOT NULL,      -- the top-level ancestor (itself for top-level comments)
    author_name TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    edited_at TEXT,
    viewer TEXT NOT NULL,
    -- Deleted by its author: name and body emptied; shown as a tombstone while it has replies.
    deleted INTEGER NOT NULL DEFAULT 0,
    -- Left out of every list: deleted, with no reply left to show (its replies all hidden too).
    hidden INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS comments_by_article ON comments(article_id, parent_id, id);
CREATE INDEX IF NOT EXISTS comments_by_root ON comments(root_id, id);
-- Replies of a comment (reply trees are read downwards from the comments asked for).
CREATE INDEX IF NOT EXISTS comments_by_parent ON comments(parent_id, id);
-- Every reaction a comment had, with the change that added it and (once withdrawn) the one that
-- removed it, numbered in commit order (meta 'reaction_seq'), so that `top` can rank by the likes
-- as they were when a reader's first page was made.
CREATE TABLE IF NOT EXISTS comment_reactions_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id INTEGER NOT NULL REFERENCES comments(id),
    viewer TEXT NOT NULL,
    kind TEXT NOT NULL,
    added_seq INTEGER NOT NULL,
    removed_seq INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS comment_reactions_held
    ON comment_reactions_log(comment_id, viewer, kind) WHERE removed_seq IS NULL;
CREATE INDEX IF NOT EXISTS comment_reactions_by_comment ON comment_reactions_log(comment_id, kind);
-- Reports of comments: one per comment and viewer (a repeat is stored once).
CREATE TABLE IF NOT EXISTS reports (
    comment_id INTEGER NOT NULL REFERENCES comments(id),
    viewer TEXT NOT NULL,
    reason TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (comment_id, viewer)
);
CREATE TABLE IF NOT EXISTS idempotency_keys (
    viewer TEXT NOT NULL,
    key TEXT NOT NULL,
    request TEXT NOT NULL,         -- what was asked, to refuse the same key for another comment
    comment_id INTEGER NOT NULL REFERENCES comments(id),
    PRIMARY KEY (viewer, key)
);
";

/// How many connections serve reads. In WAL mode they read while the writer writes, so reads
/// never wait behind a post's fsync.
pub const READERS: usize = 4;

/// The database: one connection that writes, and [`READERS`] that only read.
pub struct Store {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
    /// The key of edit tokens (see `edit.rs`), made on first start.
    edit_secret: [u8; 32],
}

impl Store {
    /// Opens (creating if needed) the database at `path`, and seeds it on first start only.
    pub fn open(path: &Path, extra_articles: &[String]) -> Result<Store, rusqlite::Error> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::create_dir_all(dir);
        }
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(Duration::from_secs(5))?;
        migrate_before(&conn)?;
        conn.execute_batch(SCHEMA)?;
        migrate(&conn)?;
        let edit_secret = edit_secret(&conn)?;
        let tx = conn.transaction()?;
        let seeded: Option<String> =
            tx.query_row("SELECT value FROM meta WHERE key = 'seeded'", [], |r| r.get(0)).optional()?;
        if seeded.is_none() {
            seed::insert(&tx)?;
            tx.execute("INSERT INTO meta (key, value) VALUES ('seeded', '1')", [])?;
        }
        for id in extra_articles {
            seed::ensure_article(&tx, id)?;
        }
        tx.commit()?;
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let reader = Connection::open(path)?;
            reader.pragma_update(None, "query_only", "ON")?;
            reader.busy_timeout(Duration::from_secs(5))?;
            readers.push(Mutex::new(reader));
        }
        Ok(Store { writer: Mutex::new(conn), readers, next_reader: AtomicUsize::new(0), edit_secret })
    }

    /// The key of edit tokens, the same across restarts.
    pub fn edit_secret(&self) -> [u8; 32] {
        self.edit_secret
    }

    /// The writing connection (one writer at a time: SQLite's own rule).
    fn writer(&self) -> Result<MutexGuard<'_, Connection>, ApiError> {
        self.writer.lock().map_err(|_| ApiError::internal("database lock poisoned"))
    }

    /// A reading connection: a free one if any, else the next in turn.
    fn reader(&self) -> Result<MutexGuard<'_, Connection>, ApiError> {
        for reader in &self.readers {
            if let Ok(conn) = reader.try_lock() {
                return Ok(conn);
            }
        }
        let i = self.next_reader.fetch_add(1, Ordering::Relaxed) % self.readers.len().max(1);
        match self.readers.get(i) {
            Some(reader) => reader.lock().map_err(|_| ApiError::internal("database lock poisoned")),
            None => self.writer(),
        }
    }

    pub fn article(&self, id: &str, viewer: Option<&str>) -> Result<Article, ApiError> {
        let conn = self.reader()?;
        let row = conn
            .query_row(
                "SELECT title, subtitle, author_name, author_url, author_avatar_url, published_at,
                        updated_at, body, tags, reactions_exclusive
                 FROM articles WHERE id = ?1",
                [id],
                |r| {
                    Ok(Article {
                        id: id.into(),
                        title: r.get(0)?,
                        subtitle: r.get(1)?,
                        author: Author { name: r.get(2)?, url: r.get(3)?, avatar_url: r.get(4)? },
                        published_at: r.get(5)?,
                        updated_at: r.get(6)?,
                        body: r.get(7)?,
                        tags: serde_json::from_str(&r.get::<_, String>(8)?).unwrap_or_default(),
                        reactions: Vec::new(),
                        reactions_exclusive: r.get(9)?,
                        comment_count: 0,
                        edit_window_seconds: 0,
                    })
                },
            )
            .optional()?;
        let mut article = row.ok_or_else(|| ApiError::not_found(format!("No article with id {id:?}.")))?;
        article.reactions = article_reactions(&conn, id, viewer)?;
        article.comment_count = comment_total(&conn, id)?;
        Ok(article)
    }

    /// Adds (`on`) or removes the viewer's reaction; for exclusive articles, adding removes the
    /// viewer's other kinds in the same transaction.
    pub fn set_article_reaction(
        &self,
        article: &str,
        viewer: &str,
        kind: &str,
        on: bool,
    ) -> Result<ReactionList, ApiError> {
        let mut conn = self.writer()?;
        let tx = conn.transaction()?;
        let (kinds, exclusive) = article_kinds(&tx, article)?;
        if !kinds.iter().any(|k| k == kind) {
            return Err(ApiError::not_found(format!("Article {article:?} has no reaction {kind:?}.")));
        }
        if on {
            if exclusive {
                tx.execute(
                    "DELETE FROM article_reactions WHERE article_id = ?1 AND viewer = ?2 AND kind <> ?3",
                    params![article, viewer, kind],
                )?;
            }
            tx.execute(
                "INSERT OR IGNORE INTO article_reactions (article_id, viewer, kind) VALUES (?1, ?2, ?3)",
                params![article, viewer, kind],
            )?;
        } else {
            tx.execute(
                "DELETE FROM article_reactions WHERE article_id = ?1 AND viewer = ?2 AND kind = ?3",
                params![article, viewer, kind],
            )?;
        }
        let reactions = article_reactions(&tx, article, Some(viewer))?;
        tx.commit()?;
        Ok(ReactionList { reactions })
    }

    pub fn set_comment_reaction(
        &self,
        article: &str,
        comment: &str,
        viewer: &str,
        kind: &str,
        on: bool,
    ) -> Result<ReactionList, ApiError> {
        let mut conn = self.writer()?;
        let tx = conn.transaction()?;
        let id = comment_id_in(&tx, article, comment)?;
        if !COMMENT_REACTION_KINDS.contains(&kind) {
            return Err(ApiError::not_found(format!("Comments have no reaction {kind:?}.")));
        }
        // Writes are one at a time (the writer's lock), so this numbers changes in commit order.
        let seq = reaction_seq(&tx)? + 1;
        tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('reaction_seq', ?1)", [seq.to_string()])?;
        if on {
            tx.execute(
                "INSERT OR IGNORE INTO comment_reactions_log (comment_id, viewer, kind, added_seq) VALUES (?1, ?2, ?3, ?4)",
                params![id, viewer, kind, seq],
            )?;
        } else {
            tx.execute(
                "UPDATE comment_reactions_log SET removed_seq = ?4
                 WHERE comment_id = ?1 AND viewer = ?2 AND kind = ?3 AND removed_seq IS NULL",
                params![id, viewer, kind, seq],
            )?;
        }
        let reactions = comment_reactions(&tx, &[id], Some(viewer))?.remove(&id).unwrap_or_default();
        tx.commit()?;
        Ok(ReactionList { reactions: with_all_comment_kinds(reactions) })
    }

    pub fn comments(
        &self,
        article: &str,
        viewer: Option<&str>,
        sort: Sort,
        limit: u32,
        cursor: Option<&str>,
        inline: u32,
    ) -> Result<CommentPage, ApiError> {
        let reader = self.reader()?;
        // One snapshot for the whole answer: the page, its trees and the total agree.
        let conn = reader.unchecked_transaction()?;
        article_kinds(&conn, article)?; // 404 for unknown articles
        let after = Cursor::given(cursor, sort, "this sort order")?;
        let limit = i64::from(limit);
        // For `top`: the moment whose likes rank the pages.
        let mut snapshot = 0;
        // One more than asked, to know whether there is a next page.
        let mut roots: Vec<(i64, i64)> = match (sort, after) {
            (Sort::Oldest, after) => query_pairs(
                &conn,
                "SELECT id, 0 FROM comments WHERE article_id = ?1 AND parent_id IS NULL AND hidden = 0 AND id > ?2
                 ORDER BY id ASC LIMIT ?3",
                params![article, after.map_or(0, |c| c.id), limit + 1],
            )?,
            (Sort::Newest, after) => query_pairs(
                &conn,
                "SELECT id, 0 FROM comments WHERE article_id = ?1 AND parent_id IS NULL AND hidden = 0 AND id < ?2
                 ORDER BY id DESC LIMIT ?3",
                params![article, after.map_or(i64::MAX, |c| c.id), limit + 1],
            )?,
            // Ranked by the likes as they were when the first page was made (the cursor carries that
            // moment), so that likes given meanwhile neither skip nor repeat a comment.
            (Sort::Top, after) => {
                // A first page ranks by every change committed when it is read (this transaction's
                // snapshot); later pages by the same ones.
                let (likes, id, at) = match after {
                    Some(c) => (c.likes, c.id, c.at),
                    None => (i64::MAX, 0, reaction_seq(&conn)?),
                };
                snapshot = at;
                query_pairs(
                    &conn,
                    "SELECT id, likes FROM (
                        SELECT c.id AS id, (SELECT COUNT(*) FROM comment_reactions_log r
                                            WHERE r.comment_id = c.id AND r.kind = 'like' AND r.added_seq <= ?5
                                              AND (r.removed_seq IS NULL OR r.removed_seq > ?5)) AS likes
                        FROM comments c WHERE c.article_id = ?1 AND c.parent_id IS NULL AND c.hidden = 0)
                     WHERE likes < ?2 OR (likes = ?2 AND id > ?3)
                     ORDER BY likes DESC, id ASC LIMIT ?4",
                    params![article, likes, id, limit + 1, at],
                )?
            }
        };
        let has_more = roots.len() as i64 > limit;
        roots.truncate(limit as usize);
        let next_cursor = if has_more {
            roots.last().map(|&(id, likes)| Cursor { id, likes, at: snapshot }.encode(sort))
        } else {
            None
        };
        let root_ids: Vec<i64> = roots.iter().map(|&(id, _)| id).collect();
        let comments = comment_trees(&conn, &root_ids, 0, inline as usize, viewer)?;
        Ok(CommentPage { comments, next_cursor, total: comment_total(&conn, article)? })
    }

    /// The replies of comment `comment`, oldest first, a page of `limit` at a time, each with its
    /// first `inline` replies; `total` counts every reply below the comment.
    pub fn replies(
        &self,
        article: &str,
        comment: &str,
        viewer: Option<&str>,
        limit: u32,
        cursor: Option<&str>,
        inline: u32,
    ) -> Result<CommentPage, ApiError> {
        let reader = self.reader()?;
        let conn = reader.unchecked_transaction()?;
        let parent = comment_id_in(&conn, article, comment)?;
        let after = Cursor::given(cursor, Sort::Oldest, "these replies")?;
        let limit = i64::from(limit);
        let mut children = query_pairs(
            &conn,
            "SELECT id, 0 FROM comments WHERE parent_id = ?1 AND hidden = 0 AND id > ?2 ORDER BY id ASC LIMIT ?3",
            params![parent, after.map_or(0, |c| c.id), limit + 1],
        )?;
        let has_more = children.len() as i64 > limit;
        children.truncate(limit as usize);
        let next_cursor = if has_more {
            children.last().map(|&(id, _)| Cursor { id, likes: 0, at: 0 }.encode(Sort::Oldest))
        } else {
            None
        };
        let ids: Vec<i64> = children.iter().map(|&(id, _)| id).collect();
        let depth = depth_of(&conn, parent)? + 1;
        let comments = comment_trees(&conn, &ids, depth.min(MAX_REPLY_DEPTH), inline as usize, viewer)?;
        let total: u64 = conn.query_row(
            "WITH RECURSIVE below(id) AS (
                 SELECT id FROM comments WHERE parent_id = ?1 AND hidden = 0
                 UNION ALL SELECT c.id FROM comments c JOIN below ON c.parent_id = below.id WHERE c.hidden = 0)
             SELECT COUNT(*) FROM below",
            [parent],
            |r| r.get(0),
        )?;
        Ok(CommentPage { comments, next_cursor, total })
    }

    /// Creates a comment, or returns the one an earlier request with the same idempotency key made.
    /// The second value tells whether it was a replay. `admit` (the rate limit) is asked only for a
    /// new comment whose parent exists, just before it is written.
    pub fn post_comment(
        &self,
        article: &str,
        viewer: &str,
        key: &str,
        new: &NewComment,
        now: time::OffsetDateTime,
        admit: impl FnOnce() -> Result<(), ApiError>,
    ) -> Result<(Comment, bool), ApiError> {
        let mut conn = self.writer()?;
        let tx = conn.transaction()?;
        article_kinds(&tx, article)?;
        let request = serde_json::json!([article, new.parent_id, new.author_name, new.body]).to_string();
        let earlier: Option<(String, i64)> = tx
            .query_row(
                "SELECT request, comment_id FROM idempotency_keys WHERE viewer = ?1 AND key = ?2",
                params![viewer, key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((earlier_request, id)) = earlier {
            if earlier_request != request {
                return Err(ApiError::conflict(
                    "idempotency_key_reused",
                    "This Idempotency-Key was already used for a different comment.",
                ));
            }
            if comment_state(&tx, id)?.is_some_and(|(deleted, _)| deleted) {
                return Err(ApiError::deleted());
            }
            let comment = comment_subtree(&tx, id, limits::DEFAULT_INLINE_REPLIES as usize, Some(viewer))?;
            return Ok((comment, true));
        }

        let (parent_id, root_id) = match &new.parent_id {
            None => (None, None),
            Some(parent) => {
                let parent_id = comment_id_in(&tx, article, parent.as_str())
                    .map_err(|_| ApiError::validation("parent_id", "The comment you reply to does not exist."))?;
                if comment_state(&tx, parent_id)?.is_some_and(|(deleted, _)| deleted) {
                    return Err(ApiError::validation("parent_id", "The comment you reply to was deleted."));
                }
                let root: i64 =
                    tx.query_row("SELECT root_id FROM comments WHERE id = ?1", [parent_id], |r| r.get(0))?;
                (Some(parent_id), Some(root))
            }
        };
        admit()?;
        tx.execute(
            "INSERT INTO comments (article_id, parent_id, root_id, author_name, body, created_at, viewer)
             VALUES (?1, ?2, COALESCE(?3, 0), ?4, ?5, ?6, ?7)",
            params![article, parent_id, root_id, new.author_name, new.body, rfc3339(now), viewer],
        )?;
        let id = tx.last_insert_rowid();
        if root_id.is_none() {
            tx.execute("UPDATE comments SET root_id = id WHERE id = ?1", [id])?;
        }
        tx.execute(
            "INSERT INTO idempotency_keys (viewer, key, request, comment_id) VALUES (?1, ?2, ?3, ?4)",
            params![viewer, key, request, id],
        )?;
        let comment = comment_subtree(&tx, id, limits::DEFAULT_INLINE_REPLIES as usize, Some(viewer))?;
        tx.commit()?;
        Ok((comment, false))
    }

    /// Replaces the body of comment `id` of `article` (already checked), marking it edited at
    /// `now`. 404 for a comment that is not there or deleted.
    pub fn edit_comment(
        &self,
        article: &str,
        id: i64,
        body: &str,
        viewer: Option<&str>,
        now: time::OffsetDateTime,
    ) -> Result<Comment, ApiError> {
        let mut conn = self.writer()?;
        let tx = conn.transaction()?;
        let id = live_comment_in(&tx, article, &id.to_string())?;
        tx.execute("UPDATE comments SET body = ?2, edited_at = ?3 WHERE id = ?1", params![id, body, rfc3339(now)])?;
        let comment = comment_subtree(&tx, id, limits::DEFAULT_INLINE_REPLIES as usize, viewer)?;
        tx.commit()?;
        Ok(comment)
    }

    /// Deletes comment `id` of `article` (already checked): with replies it stays as a tombstone
    /// (no name, no body, its id, time and replies kept); without, it leaves every list, and so
    /// does each deleted ancestor left with nothing to show. Deleting again changes nothing.
    pub fn delete_comment(&self, article: &str, id: i64) -> Result<(), ApiError> {
        let mut conn = self.writer()?;
        let tx = conn.transaction()?;
        let in_article: Option<i64> = tx
            .query_row("SELECT id FROM comments WHERE id = ?1 AND article_id = ?2", params![id, article], |r| r.get(0))
            .optional()?;
        if in_article.is_none() {
            return Err(ApiError::not_found(format!("No comment \"{id}\" on article {article:?}.")));
        }
        if comment_state(&tx, id)?.is_some_and(|(deleted, _)| deleted) {
            return Ok(());
        }
        tx.execute("UPDATE comments SET deleted = 1, body = '', author_name = '' WHERE id = ?1", [id])?;
        // Hide it, then each deleted ancestor that shows nothing any more.
        let mut next = Some(id);
        while let Some(id) = next.take() {
            let shows_replies: bool =
                tx.query_row("SELECT EXISTS(SELECT 1 FROM comments WHERE parent_id = ?1 AND hidden = 0)", [id], |r| {
                    r.get(0)
                })?;
            match comment_state(&tx, id)? {
                Some((true, parent)) if !shows_replies => {
                    tx.execute("UPDATE comments SET hidden = 1 WHERE id = ?1", [id])?;
                    next = parent;
                }
                _ => {}
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Stores a report of comment `comment` of `article` by `viewer`; a repeat by the same viewer
    /// changes nothing. Returns whether it was new.
    pub fn report_comment(
        &self,
        article: &str,
        comment: &str,
        viewer: &str,
        report: &NewReport,
        now: time::OffsetDateTime,
    ) -> Result<bool, ApiError> {
        let mut conn = self.writer()?;
        let tx = conn.transaction()?;
        let id = live_comment_in(&tx, article, comment)?;
        let added = tx.execute(
            "INSERT OR IGNORE INTO reports (comment_id, viewer, reason, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, viewer, report.reason.as_str(), report.note, rfc3339(now)],
        )?;
        tx.commit()?;
        Ok(added > 0)
    }
}

/// Whether comment `id` is deleted, and its parent; `None` when there is no such comment.
fn comment_state(conn: &Connection, id: i64) -> Result<Option<(bool, Option<i64>)>, ApiError> {
    Ok(conn
        .query_row("SELECT deleted, parent_id FROM comments WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// The key of edit tokens: read from `meta`, or made (from the OS's randomness) and kept there.
fn edit_secret(conn: &Connection) -> Result<[u8; 32], rusqlite::Error> {
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let kept: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = 'edit_secret'", [], |r| r.get(0)).optional()?;
    if let Some(kept) = kept {
        let bytes: Vec<u8> = (0..kept.len() / 2)
            .filter_map(|i| kept.get(2 * i..2 * i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
            .collect();
        if let Ok(secret) = <[u8; 32]>::try_from(bytes) {
            return Ok(secret);
        }
    }
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| {
        rusqlite::Error::ToSqlConversionFailure(format!("no randomness for the edit secret: {e}").into())
    })?;
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('edit_secret', ?1)", [hex(&secret)])?;
    Ok(secret)
}

/// Where a page ended: the last top-level comment's id (and for `top` its likes at `at`, the
/// reaction change whose state ranks every page of that reading).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cursor {
    id: i64,
    likes: i64,
    at: i64,
}

impl Cursor {
    /// The cursor a request gave, if any, or the 400 to answer ("not valid for `what`").
    fn given(cursor: Option<&str>, sort: Sort, what: &str) -> Result<Option<Cursor>, ApiError> {
        cursor
            .map(|c| {
                Cursor::decode(c, sort)
                    .ok_or_else(|| ApiError::malformed(format!("The cursor is not valid for {what}.")))
            })
            .transpose()
    }

    fn encode(self, sort: Sort) -> String {
        let raw = match sort {
            Sort::Oldest => format!("o:{}", self.id),
            Sort::Newest => format!("n:{}", self.id),
            Sort::Top => format!("t:{}:{}:{}", self.at, self.likes, self.id),
        };
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
    }

    fn decode(s: &str, sort: Sort) -> Option<Cursor> {
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s).ok()?;
        let raw = String::from_utf8(raw).ok()?;
        let mut parts = raw.split(':');
        let tag = parts.next()?;
        let cursor = match (sort, tag) {
            (Sort::Oldest, "o") | (Sort::Newest, "n") => Cursor { id: parts.next()?.parse().ok()?, likes: 0, at: 0 },
            (Sort::Top, "t") => {
                let at = parts.next()?.parse().ok()?;
                let likes = parts.next()?.parse().ok()?;
                Cursor { id: parts.next()?.parse().ok()?, likes, at }
            }
            _ => return None,
        };
        parts.next().is_none().then_some(cursor)
    }
}

/// The number of the last comment reaction change committed (0 before any).
fn reaction_seq(conn: &Connection) -> Result<i64, ApiError> {
    let seq: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = 'reaction_seq'", [], |r| r.get(0)).optional()?;
    Ok(seq.and_then(|s| s.parse().ok()).unwrap_or(0))
}

/// Brings the tables of a database made by an earlier dev-api up to this schema before its indexes
/// are made: `comments` gains `deleted` and `hidden`.
fn migrate_before(conn: &Connection) -> Result<(), rusqlite::Error> {
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('comments')")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    if !columns.is_empty() && !columns.iter().any(|c| c == "deleted") {
        conn.execute_batch(
            "ALTER TABLE comments ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
             ALTER TABLE comments ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;",
        )?;
    }
    Ok(())
}

/// Brings a database made by an earlier dev-api up to this schema: comment reactions move from
/// `comment_reactions` (no history) into `comment_reactions_log`, as given before any change.
fn migrate(conn: &Connection) -> Result<(), rusqlite::Error> {
    let old: Option<String> = conn
        .query_row("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'comment_reactions'", [], |r| {
            r.get(0)
        })
        .optional()?;
    if old.is_some() {
        conn.execute_batch(
            "BEGIN;
             INSERT OR IGNORE INTO comment_reactions_log (comment_id, viewer, kind, added_seq)
                 SELECT comment_id, viewer, kind, 0 FROM comment_reactions;
             DROP TABLE comment_reactions;
             COMMIT;",
        )?;
    }
    Ok(())
}

/// A time as the contract writes it (RFC 3339, whole seconds, UTC).
pub(crate) fn rfc3339(t: time::OffsetDateTime) -> String {
    let t = t.replace_nanosecond(0).unwrap_or(t);
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

fn query_pairs(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Vec<(i64, i64)>, ApiError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The article's reaction kinds and whether they are exclusive; 404 when there is no such article.
fn article_kinds(conn: &Connection, article: &str) -> Result<(Vec<String>, bool), ApiError> {
    conn.query_row("SELECT reaction_kinds, reactions_exclusive FROM articles WHERE id = ?1", [article], |r| {
        Ok((serde_json::from_str(&r.get::<_, String>(0)?).unwrap_or_default(), r.get(1)?))
    })
    .optional()?
    .ok_or_else(|| ApiError::not_found(format!("No article with id {article:?}.")))
}

fn article_reactions(conn: &Connection, article: &str, viewer: Option<&str>) -> Result<Vec<Reaction>, ApiError> {
    let (kinds, _) = article_kinds(conn, article)?;
    let mut stmt = conn.prepare(
        "SELECT kind, COUNT(*), COALESCE(SUM(viewer = ?2), 0) FROM article_reactions
         WHERE article_id = ?1 GROUP BY kind",
    )?;
    let counts: HashMap<String, (u64, bool)> = stmt
        .query_map(params![article, viewer], |r| Ok((r.get(0)?, (r.get(1)?, r.get::<_, i64>(2)? > 0))))?
        .collect::<Result<_, _>>()?;
    Ok(kinds
        .into_iter()
        .map(|kind| {
            let (count, reacted) = counts.get(&kind).copied().unwrap_or((0, false));
            Reaction { kind: kind.into(), count, reacted }
        })
        .collect())
}

/// All comments of the article, replies included; deleted ones (tombstones) do not count.
fn comment_total(conn: &Connection, article: &str) -> Result<u64, ApiError> {
    Ok(conn.query_row("SELECT COUNT(*) FROM comments WHERE article_id = ?1 AND deleted = 0", [article], |r| r.get(0))?)
}

/// The numeric id of comment `comment` of `article`; 404 otherwise.
fn comment_id_in(conn: &Connection, article: &str, comment: &str) -> Result<i64, ApiError> {
    let not_found = || ApiError::not_found(format!("No comment {comment:?} on article {article:?}."));
    let id: i64 = comment.parse().map_err(|_| not_found())?;
    let hidden: bool = conn
        .query_row("SELECT hidden FROM comments WHERE id = ?1 AND article_id = ?2", params![id, article], |r| r.get(0))
        .optional()?
        .ok_or_else(not_found)?;
    if hidden {
        return Err(ApiError::deleted());
    }
    Ok(id)
}

/// The comment `id` of `article`, unless its author deleted it (404 `comment_deleted`, as for
/// one gone from the lists).
fn live_comment_in(conn: &Connection, article: &str, comment: &str) -> Result<i64, ApiError> {
    let id = comment_id_in(conn, article, comment)?;
    if comment_state(conn, id)?.is_some_and(|(deleted, _)| deleted) {
        return Err(ApiError::deleted());
    }
    Ok(id)
}

/// Reactions of the given comments, by comment id.
fn comment_reactions(
    conn: &Connection,
    ids: &[i64],
    viewer: Option<&str>,
) -> Result<HashMap<i64, Vec<Reaction>>, ApiError> {
    let mut out: HashMap<i64, Vec<Reaction>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    // The ids go in as one JSON array, so that the statement is prepared once and reused.
    let mut stmt = conn.prepare_cached(
        "SELECT comment_id, kind, COUNT(*), COALESCE(SUM(viewer = ?1), 0) FROM comment_reactions_log
         WHERE comment_id IN (SELECT value FROM json_each(?2)) AND removed_seq IS NULL GROUP BY comment_id, kind",
    )?;
    let rows = stmt.query_map(params![viewer, id_list(ids)], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            Reaction { kind: r.get::<_, String>(1)?.into(), count: r.get(2)?, reacted: r.get::<_, i64>(3)? > 0 },
        ))
    })?;
    for row in rows {
        let (id, reaction) = row?;
        out.entry(id).or_default().push(reaction);
    }
    Ok(out)
}

/// Ids as a JSON array, for `json_each` (one statement for any number of ids).
fn id_list(ids: &[i64]) -> String {
    format!("[{}]", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","))
}

fn with_all_comment_kinds(mut reactions: Vec<Reaction>) -> Vec<Reaction> {
    COMMENT_REACTION_KINDS
        .iter()
        .map(|kind| match reactions.iter().position(|r| r.kind == *kind) {
            Some(i) => reactions.swap_remove(i),
            None => Reaction { kind: (*kind).into(), count: 0, reacted: false },
        })
        .collect()
}

/// The most comments one answer holds, replies included: past it, comments come without further
/// inline replies (their `reply_count` says how many; the replies endpoint pages them).
pub const MAX_COMMENTS_PER_ANSWER: usize = 1_000;

/// The given comments (all at `depth`) with their replies, in the given order: each comment carries
/// at most its first `inline` replies (at every level; `reply_count` stays the total), nested at
/// most [`MAX_REPLY_DEPTH`] deep, and the answer at most [`MAX_COMMENTS_PER_ANSWER`] comments.
/// The trees are read as ids first; only the comments shown are read whole.
fn comment_trees(
    conn: &Connection,
    ids: &[i64],
    depth: usize,
    inline: usize,
    viewer: Option<&str>,
) -> Result<Vec<Comment>, ApiError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // Top-level comments' trees are one range of the root index; deeper ones are walked down.
    let sql = if depth == 0 {
        "SELECT id, parent_id FROM comments WHERE root_id IN (SELECT value FROM json_each(?1)) AND hidden = 0
         ORDER BY id ASC"
    } else {
        "WITH RECURSIVE below(id) AS (
             SELECT id FROM comments WHERE id IN (SELECT value FROM json_each(?1)) AND hidden = 0
             UNION ALL SELECT c.id FROM comments c JOIN below ON c.parent_id = below.id WHERE c.hidden = 0)
         SELECT c.id, c.parent_id FROM comments c JOIN below ON c.id = below.id ORDER BY c.id ASC"
    };
    let rows: Vec<(i64, Option<i64>)> = conn
        .prepare_cached(sql)?
        .query_map([id_list(ids)], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;

    // Every reply count, without recursion: a reply's id is always above its parent's, so going
    // down the ids each comment's count is complete before it is added to its parent's.
    let mut counts: HashMap<i64, u64> = HashMap::new();
    for (id, parent) in rows.iter().rev() {
        if let Some(parent) = parent {
            let below = 1 + counts.get(id).copied().unwrap_or(0);
            *counts.entry(*parent).or_default() += below;
        }
    }
    let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
    for (id, parent) in &rows {
        if let Some(parent) = parent {
            children.entry(*parent).or_default().push(*id);
        }
    }
    // Which comments the answer shows, as a tree of ids.
    // The comments asked for always come (a page never loses one); their replies share the rest.
    let mut tree = Tree { children, inline, room: MAX_COMMENTS_PER_ANSWER.saturating_sub(ids.len()) };
    let shape: Vec<Shape> = ids.iter().map(|&id| tree.assemble(id, depth)).collect();

    // The comments shown, whole, with their reactions.
    let mut shown = Vec::new();
    let mut todo: Vec<&Shape> = shape.iter().collect();
    while let Some(s) = todo.pop() {
        shown.push(s.id);
        todo.extend(s.replies.iter());
    }
    let mut comments: HashMap<i64, Comment> = conn
        .prepare_cached(
            "SELECT id, parent_id, author_name, body, created_at, edited_at, deleted FROM comments
             WHERE id IN (SELECT value FROM json_each(?1))",
        )?
        .query_map([id_list(&shown)], |r| {
            let id: i64 = r.get(0)?;
            let parent: Option<i64> = r.get(1)?;
            Ok((
                id,
                Comment {
                    id: id.to_string().into(),
                    parent_id: parent.map(|p| p.to_string().into()),
                    author: CommentAuthor { name: r.get(2)?, avatar_url: None },
                    body: r.get(3)?,
                    created_at: r.get(4)?,
                    edited_at: r.get(5)?,
                    reactions: Vec::new(),
                    replies: Vec::new(),
                    reply_count: counts.get(&id).copied().unwrap_or(0),
                    deleted: r.get(6)?,
                },
            ))
        })?
        .collect::<Result<_, _>>()?;
    let mut reactions = comment_reactions(conn, &shown, viewer)?;
    let mut fill = |s: &Shape| {
        let mut c = comments.remove(&s.id)?;
        c.reactions = with_all_comment_kinds(reactions.remove(&s.id).unwrap_or_default());
        Some(c)
    };
    Ok(shape.iter().filter_map(|s| s.build(&mut fill)).collect())
}

/// What an answer shows of a tree: a comment's id and the replies it carries.
struct Shape {
    id: i64,
    replies: Vec<Shape>,
}

impl Shape {
    /// The comments of this shape, whole (`fill` gives each one). Recursion is bounded by the depth
    /// cap.
    fn build(&self, fill: &mut impl FnMut(&Shape) -> Option<Comment>) -> Option<Comment> {
        let mut comment = fill(self)?;
        comment.replies = self.replies.iter().filter_map(|r| r.build(fill)).collect();
        Some(comment)
    }
}

/// Replies' ids by parent, to choose what an answer shows.
struct Tree {
    children: HashMap<i64, Vec<i64>>,
    /// Replies carried inline per comment.
    inline: usize,
    /// Comments the answer may still hold.
    room: usize,
}

impl Tree {
    /// Comment `id` at `depth` (0: top level) with its first `inline` replies, while the answer has
    /// room: nested down to [`MAX_REPLY_DEPTH`]; below a comment at `MAX_REPLY_DEPTH - 1`, its
    /// replies at any depth come flattened in thread order, each keeping its own `parent_id`
    /// (openapi.yaml, "Depth"). Recursion stops at the cap.
    fn assemble(&mut self, id: i64, depth: usize) -> Shape {
        let mut shape = Shape { id, replies: Vec::new() };
        let children = self.children.remove(&id).unwrap_or_default();
        if depth + 1 < MAX_REPLY_DEPTH {
            for child in children.into_iter().take(self.inline) {
                if self.room == 0 {
                    break;
                }
                self.room -= 1;
                let reply = self.assemble(child, depth + 1);
                shape.replies.push(reply);
            }
            return shape;
        }
        // Depth first, without recursion.
        let mut todo = children;
        todo.reverse();
        while let Some(child) = todo.pop() {
            if shape.replies.len() >= self.inline || self.room == 0 {
                break;
            }
            self.room -= 1;
            let mut below = self.children.remove(&child).unwrap_or_default();
            below.reverse();
            todo.extend(below);
            shape.replies.push(Shape { id: child, replies: Vec::new() });
        }
        shape
    }
}

/// One comment with its first `inline` replies, wherever it is in its tree.
fn comment_subtree(conn: &Connection, id: i64, inline: usize, viewer: Option<&str>) -> Result<Comment, ApiError> {
    comment_trees(conn, &[id], depth_of(conn, id)?, inline, viewer)?
        .pop()
        .ok_or_else(|| ApiError::internal(format!("comment {id} missing")))
}

/// How deep comment `id` is (0: top level).
fn depth_of(conn: &Connection, id: i64) -> Result<usize, ApiError> {
    let ancestors: i64 = conn.query_row(
        "WITH RECURSIVE up(parent) AS (
             SELECT parent_id FROM comments WHERE id = ?1
             UNION ALL SELECT c.parent_id FROM comments c JOIN up ON c.id = up.parent)
         SELECT COUNT(*) FROM up WHERE parent IS NOT NULL",
        [id],
        |r| r.get(0),
    )?;
    Ok(usize::try_from(ancestors).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_other_sorts() {
        let c = Cursor { id: 42, likes: 7, at: 1_764_000_000_000 };
        assert_eq!(Cursor::decode(&c.encode(Sort::Top), Sort::Top), Some(c));
        assert_eq!(Cursor::decode(&c.encode(Sort::Oldest), Sort::Oldest), Some(Cursor { id: 42, likes: 0, at: 0 }));
        assert_eq!(Cursor::decode(&c.encode(Sort::Oldest), Sort::Newest), None);
        assert_eq!(Cursor::decode("not base64!", Sort::Oldest), None);
        assert_eq!(Cursor::decode("bzox", Sort::Oldest), Some(Cursor { id: 1, likes: 0, at: 0 }));
    }

    #[test]
    fn a_chain_3000_deep_answers_nested_32_deep_then_flattened_keeping_parents() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite3"), &[]).unwrap();
        let article = seed::ARTICLE_ID;
        {
            let mut conn = store.writer().unwrap();
            let tx = conn.transaction().unwrap();
            let mut parent: Option<i64> = None;
            let mut root = 0;
            for i in 0..3000 {
                tx.execute(
                    "INSERT INTO comments (article_id, parent_id, root_id, author_name, body, created_at, viewer)
                     VALUES (?1, ?2, ?3, 'R', ?4, '2026-11-20T10:00:00Z', 'v')",
                    params![article, parent, root, format!("reply {i}")],
                )
                .unwrap();
                let id = tx.last_insert_rowid();
                if parent.is_none() {
                    root = id;
                    tx.execute("UPDATE comments SET root_id = id WHERE id = ?1", [id]).unwrap();
                }
                parent = Some(id);
            }
            tx.commit().unwrap();
        }
        let page = store.comments(article, None, Sort::Oldest, 20, None, 5000).unwrap();
        // Walk it: depth, order and parents.
        let mut seen = Vec::new();
        let mut todo: Vec<(&Comment, usize)> = page.comments.iter().map(|c| (c, 0)).collect();
        let mut deepest = 0;
        while let Some((c, d)) = todo.pop() {
            deepest = deepest.max(d);
            seen.push((c.id.to_string(), c.parent_id.as_ref().map(|p| p.to_string()), c.reply_count));
            todo.extend(c.replies.iter().rev().map(|r| (r, d + 1)));
        }
        assert_eq!(deepest, MAX_REPLY_DEPTH);
        // The answer holds at most MAX_COMMENTS_PER_ANSWER; the rest are paged by the replies endpoint.
        assert_eq!(seen.len(), MAX_COMMENTS_PER_ANSWER, "the head of the chain, each once");
        for (i, (id, parent, reply_count)) in seen.iter().enumerate() {
            if i > 0 {
                assert_eq!(parent.as_ref(), Some(&seen[i - 1].0), "{id} keeps its own parent");
            }
            assert_eq!(*reply_count, 2999 - i as u64, "{id}");
        }
        // The JSON nests at most 32 reply levels (plus the page's own two).
        let json = serde_json::to_string(&page).unwrap();
        let (mut level, mut max) = (0i32, 0i32);
        for b in json.bytes() {
            match b {
                b'[' | b'{' => {
                    level += 1;
                    max = max.max(level);
                }
                b']' | b'}' => level -= 1,
                _ => {}
            }
        }
        assert!(max <= 2 * (MAX_REPLY_DEPTH as i32 + 1) + 4, "{max} levels of JSON");
    }

    #[test]
    fn a_database_from_before_the_reaction_log_keeps_its_likes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite3");
        {
            let store = Store::open(&path, &[]).unwrap();
            let mut conn = store.writer().unwrap();
            let tx = conn.transaction().unwrap();
            tx.execute(
                "INSERT INTO comments (article_id, parent_id, root_id, author_name, body, created_at, viewer)
                 VALUES (?1, NULL, 1, 'R', 'b', '2026-11-20T10:00:00Z', 'v')",
                [seed::ARTICLE_ID],
            )
            .unwrap();
            // The table as an earlier dev-api made it.
            tx.execute_batch(
                "CREATE TABLE comment_reactions (comment_id INTEGER NOT NULL, viewer TEXT NOT NULL, kind TEXT NOT NULL,
                    PRIMARY KEY (comment_id, viewer, kind));
                 INSERT INTO comment_reactions VALUES (1, 'a', 'like'), (1, 'b', 'like');",
            )
            .unwrap();
            tx.commit().unwrap();
        }
        let store = Store::open(&path, &[]).unwrap();
        let page = store.comments(seed::ARTICLE_ID, Some("a"), Sort::Top, 10, None, 3).unwrap();
        let like = &page.comments[0].reactions[0];
        assert_eq!((like.kind.as_str(), like.count, like.reacted), ("like", 2, true));
    }
}
