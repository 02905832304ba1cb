//! Decoding reply trees of any depth without recursing deeper than [`MAX_REPLY_DEPTH`]: a hostile or
//! buggy server can nest replies thousands deep, which would overflow the stack. [`json::parse`]
//! reads any depth (up to [`json::MAX_DEPTH`]) without recursion; here replies are decoded nested
//! down to the cap, and every reply below it is flattened, in thread order, into its ancestor at the
//! cap, each keeping its own `parent_id`. The work is linear in the answer's size, however the
//! replies nest.

use crate::json::{self, Fields, Json};
use crate::lenient::{count, flag};
use crate::Comment;

/// How deep a decoded [`Comment`]'s replies nest: a top-level comment is at depth 0, and no reply
/// is deeper than this. Replies deeper in the answer come back flattened at this depth.
pub const MAX_REPLY_DEPTH: usize = 32;

/// `CommentPage::comments`.
pub(crate) fn comments(json: Json<'_>) -> Result<Vec<Comment>, json::Error> {
    json.into_array("an array of comments")?.into_iter().map(|c| nested(c, 0)).collect()
}

/// A comment (a top-level one, or a post's answer) from its fields, with its replies.
pub(crate) fn comment(fields: Fields<'_>) -> Result<Comment, json::Error> {
    with_replies(fields, 0)
}

/// The comment at `depth` in `json`.
fn nested(json: Json<'_>, depth: usize) -> Result<Comment, json::Error> {
    with_replies(Fields::of(json, "a comment")?, depth)
}

/// The comment at `depth`, its replies nested below it (at most [`MAX_REPLY_DEPTH`] deep, so the
/// recursion is bounded) and flattened past the cap.
fn with_replies(fields: Fields<'_>, depth: usize) -> Result<Comment, json::Error> {
    let (mut comment, replies) = alone(fields)?;
    comment.replies = if depth + 1 < MAX_REPLY_DEPTH {
        replies.into_iter().map(|r| nested(r, depth + 1)).collect::<Result<_, _>>()
    } else {
        // At the cap: every reply below, at any depth, in thread order (depth first).
        let mut todo: Vec<Json<'_>> = replies.into_iter().rev().collect();
        let mut flat = Vec::new();
        while let Some(json) = todo.pop() {
            let (reply, below) = alone(Fields::of(json, "a comment")?)?;
            flat.push(reply);
            todo.extend(below.into_iter().rev());
        }
        Ok(flat)
    }?;
    Ok(comment)
}

/// A comment without its replies, and its replies, undecoded.
fn alone<'a>(mut f: Fields<'a>) -> Result<(Comment, Vec<Json<'a>>), json::Error> {
    let comment = Comment {
        id: f.required("id")?,
        parent_id: f.optional("parent_id")?,
        author: f.required("author")?,
        body: f.required("body")?,
        created_at: f.required("created_at")?,
        edited_at: f.optional("edited_at")?,
        reactions: f.required("reactions")?,
        replies: Vec::new(),
        reply_count: f.required_with("reply_count", count)?,
        deleted: f.or_with("deleted", false, flag)?,
    };
    let replies = f.required_with("replies", |json| json.into_array("an array of comments"))?;
    Ok((comment, replies))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::from_str;
    use crate::CommentPage;

    /// A page with one chain of `n` comments, each replying to the one before.
    fn chain(n: usize) -> String {
        let comment = |i: usize| {
            let parent = if i == 0 { "null".to_owned() } else { format!("\"c{}\"", i - 1) };
            format!(
                r#"{{"id":"c{i}","parent_id":{parent},"author":{{"name":"R","avatar_url":null}},"body":"b{i}","created_at":"2026-11-20T10:00:00Z","edited_at":null,"reactions":[],"reply_count":0,"replies":["#
            )
        };
        let mut json = String::from(r#"{"comments":["#);
        for i in 0..n {
            json.push_str(&comment(i));
        }
        json.push_str(&"]}".repeat(n));
        json.push_str(r#"],"next_cursor":null,"total":1}"#);
        json
    }

    fn depth_and_ids(page: &CommentPage) -> (usize, Vec<String>) {
        let mut ids = Vec::new();
        let mut deepest = 0;
        let mut todo: Vec<(&Comment, usize)> = page.comments.iter().map(|c| (c, 0)).collect();
        while let Some((c, d)) = todo.pop() {
            ids.push(c.id.to_string());
            deepest = deepest.max(d);
            todo.extend(c.replies.iter().rev().map(|r| (r, d + 1)));
        }
        (deepest, ids)
    }

    #[test]
    fn a_chain_of_any_length_decodes_flattened_at_the_cap() {
        for n in [1, 31, 32, 33, 34, 64, 200, 500] {
            let page: CommentPage = from_str(&chain(n)).unwrap_or_else(|e| panic!("{n}: {e}"));
            let (deepest, ids) = depth_and_ids(&page);
            assert_eq!(deepest, (n - 1).min(MAX_REPLY_DEPTH), "{n} comments");
            // Every comment, once, in thread order.
            assert_eq!(ids, (0..n).map(|i| format!("c{i}")).collect::<Vec<_>>(), "{n}");
        }
    }

    #[test]
    fn a_chain_20_000_deep_decodes_whole() {
        // 3 MB, 40,000 levels of JSON. (serde_json, skipping raw replies, scanned its length squared
        // and had to give up past a budget.)
        let n = 20_000;
        let page: CommentPage = from_str(&chain(n)).unwrap();
        let (deepest, ids) = depth_and_ids(&page);
        assert_eq!(deepest, MAX_REPLY_DEPTH);
        assert_eq!(ids, (0..n).map(|i| format!("c{i}")).collect::<Vec<_>>(), "the whole chain, in order");
    }

    #[test]
    fn text_nested_past_the_parser_limit_is_refused_not_overflowed() {
        let n = crate::json::MAX_DEPTH / 2 + 1;
        let error = from_str::<CommentPage>(&chain(n)).unwrap_err();
        assert!(error.to_string().contains("nested too deep"), "{error}");
    }

    #[test]
    fn flattened_replies_keep_their_own_parent() {
        let page: CommentPage = from_str(&chain(40)).unwrap();
        let mut at_cap = &page.comments[0];
        while let Some(first) = at_cap.replies.first().filter(|_| at_cap.replies.len() == 1) {
            at_cap = first;
        }
        assert_eq!(at_cap.id.to_string(), "c31");
        let parents: Vec<String> =
            at_cap.replies.iter().map(|r| r.parent_id.as_ref().map(|p| p.to_string()).unwrap_or_default()).collect();
        assert_eq!(parents, (31..39).map(|i| format!("c{i}")).collect::<Vec<_>>());
    }

    #[test]
    fn a_bad_comment_deep_down_is_an_error_and_leaves_no_state_behind() {
        let bad = chain(50).replacen(r#""id":"c45""#, r#""id":45"#, 1);
        assert!(from_str::<CommentPage>(&bad).is_err());
        let bad = chain(20).replacen(r#""id":"c15""#, r#""id":15"#, 1);
        assert!(from_str::<CommentPage>(&bad).is_err());
        // The next decode starts clean.
        let page: CommentPage = from_str(&chain(40)).unwrap();
        assert_eq!(depth_and_ids(&page).0, MAX_REPLY_DEPTH);
    }

    #[test]
    fn many_long_chains_in_one_page_all_decode() {
        let one = chain(700);
        let inner = &one[one.find('[').unwrap() + 1..one.rfind(']').unwrap()];
        let page = format!(r#"{{"comments":[{}],"next_cursor":null,"total":1}}"#, [inner; 10].join(","));
        let page: CommentPage = from_str(&page).unwrap();
        assert_eq!(page.comments.len(), 10);
        for c in page.comments {
            let (deepest, ids) = depth_and_ids(&CommentPage { comments: vec![c], next_cursor: None, total: 0 });
            assert_eq!((deepest, ids.len()), (MAX_REPLY_DEPTH, 700));
        }
    }
}
