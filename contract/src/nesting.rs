//! Decoding reply trees of any depth without recursing deeper than [`MAX_REPLY_DEPTH`]: a hostile or
//! buggy server can nest replies thousands deep, which would overflow the decoder's recursion limit
//! (serde_json stops at 128 levels of JSON, two per reply level) or, without one, the stack. Replies
//! below the cap are decoded one at a time, from their raw JSON (which serde_json skips over without
//! recursing), and flattened in thread order into their ancestor at the cap, each keeping its own
//! `parent_id`.
//!
//! Each flattened reply's raw JSON holds everything below it, so a long chain costs its length
//! squared to skip over: past [`FLATTEN_BUDGET`] bytes scanned in one page (or one lone comment), the
//! rest of what is flattened is left out (its ancestors' `reply_count` still count it).

use std::cell::{Cell, RefCell};

use serde::de::{Deserialize, Deserializer, Error};
use serde_json::value::RawValue;

use crate::Comment;

/// How deep a decoded [`Comment`]'s replies nest: a top-level comment is at depth 0, and no reply
/// is deeper than this. Replies deeper in the answer come back flattened at this depth.
pub const MAX_REPLY_DEPTH: usize = 32;

/// How many bytes of raw replies the flattening of one answer may scan (tens of milliseconds of
/// work): thousands of flattened replies, unless they form a chain (a chain of 200 takes 3 MB, of 600
/// 30 MB).
const FLATTEN_BUDGET: usize = 32 << 20;

thread_local! {
    /// The depth of the replies being decoded.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    /// While flattening: the raw replies of the comment being decoded, left for the flattening loop.
    static SPILLED: RefCell<Option<Vec<Box<RawValue>>>> = const { RefCell::new(None) };
    /// Bytes the flattening has scanned in the answer being decoded (see [`comments`]).
    static SCANNED: Cell<usize> = const { Cell::new(0) };
    /// Whether a page is being decoded (its comments share one budget).
    static IN_PAGE: Cell<bool> = const { Cell::new(false) };
}

/// `CommentPage::comments`: the page's comments, flattening within one [`FLATTEN_BUDGET`] for the
/// whole page.
pub(crate) fn comments<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Comment>, D::Error> {
    SCANNED.set(0);
    IN_PAGE.set(true);
    let comments = Vec::<Comment>::deserialize(deserializer);
    IN_PAGE.set(false);
    SCANNED.set(0);
    comments
}

/// `Comment::replies`: decoded as nested comments down to [`MAX_REPLY_DEPTH`], flattened below.
pub(crate) fn replies<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Comment>, D::Error> {
    // A comment being flattened: its replies go to the loop below, undecoded.
    if SPILLED.with(|s| s.borrow().is_some()) {
        let raw = Vec::<Box<RawValue>>::deserialize(deserializer)?;
        SPILLED.with(|s| s.borrow_mut().as_mut().map(|spilled| spilled.extend(raw)));
        return Ok(Vec::new());
    }
    let depth = DEPTH.get();
    // A lone comment (a post's answer) gets a budget of its own.
    if depth == 0 && !IN_PAGE.get() {
        SCANNED.set(0);
    }
    if depth + 1 < MAX_REPLY_DEPTH {
        DEPTH.set(depth + 1);
        let replies = Vec::<Comment>::deserialize(deserializer);
        DEPTH.set(depth);
        return replies;
    }
    // At the cap: every reply below, at any depth, one at a time, in thread order (depth first).
    let mut todo = Vec::<Box<RawValue>>::deserialize(deserializer)?;
    todo.reverse();
    let mut flat = Vec::new();
    while let Some(raw) = todo.pop() {
        let scanned = SCANNED.get() + raw.get().len();
        SCANNED.set(scanned);
        if scanned > FLATTEN_BUDGET {
            break;
        }
        SPILLED.set(Some(Vec::new()));
        let comment = serde_json::from_str::<Comment>(raw.get());
        let below = SPILLED.take().unwrap_or_default();
        flat.push(comment.map_err(D::Error::custom)?);
        todo.extend(below.into_iter().rev());
    }
    Ok(flat)
}

#[cfg(test)]
mod tests {
    use super::*;
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
            let page: CommentPage = serde_json::from_str(&chain(n)).unwrap_or_else(|e| panic!("{n}: {e}"));
            let (deepest, ids) = depth_and_ids(&page);
            assert_eq!(deepest, (n - 1).min(MAX_REPLY_DEPTH), "{n} comments");
            // Every comment, once, in thread order.
            assert_eq!(ids, (0..n).map(|i| format!("c{i}")).collect::<Vec<_>>(), "{n}");
        }
    }

    #[test]
    fn a_chain_too_long_to_flatten_in_budget_keeps_its_head() {
        // 20,000 deep (3 MB): skipping over it all would scan 30 GB. (A chain of 2,000 keeps about
        // 600.)
        let n = 20_000;
        let page: CommentPage = serde_json::from_str(&chain(n)).unwrap();
        let (deepest, ids) = depth_and_ids(&page);
        assert_eq!(deepest, MAX_REPLY_DEPTH);
        assert!(ids.len() > 32 && ids.len() < n, "{} kept", ids.len());
        assert_eq!(ids, (0..ids.len()).map(|i| format!("c{i}")).collect::<Vec<_>>(), "the head of the chain, in order");
    }

    #[test]
    fn flattened_replies_keep_their_own_parent() {
        let page: CommentPage = serde_json::from_str(&chain(40)).unwrap();
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
        assert!(serde_json::from_str::<CommentPage>(&bad).is_err());
        let bad = chain(20).replacen(r#""id":"c15""#, r#""id":15"#, 1);
        assert!(serde_json::from_str::<CommentPage>(&bad).is_err());
        // The next decode starts clean.
        let page: CommentPage = serde_json::from_str(&chain(40)).unwrap();
        assert_eq!(depth_and_ids(&page).0, MAX_REPLY_DEPTH);
    }

    #[test]
    fn the_budget_is_for_the_whole_page_not_each_subtree() {
        // Ten top-level chains of 700: flattening each in full would scan about 10 × 45 MB.
        let one = chain(700);
        let inner = &one[one.find('[').unwrap() + 1..one.rfind(']').unwrap()];
        let page = format!(r#"{{"comments":[{}],"next_cursor":null,"total":1}}"#, [inner; 10].join(","));
        let page: CommentPage = serde_json::from_str(&page).unwrap();
        let kept: Vec<usize> = page
            .comments
            .iter()
            .map(|c| depth_and_ids(&CommentPage { comments: vec![c.clone()], next_cursor: None, total: 0 }).1.len())
            .collect();
        assert!(kept[0] > 100, "the first chain gets the budget: {kept:?}");
        assert!(kept.iter().sum::<usize>() < 700 * 2, "the budget is shared: {kept:?}");
        assert!(kept.iter().all(|&k| k >= MAX_REPLY_DEPTH), "every chain keeps its nested head: {kept:?}");
    }
}
