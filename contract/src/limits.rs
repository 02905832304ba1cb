//! The contract's numbers, and the check of a new comment that both sides run: the widget before
//! sending (so the reader sees the problem at once), the server before storing.
//!
//! ## Usage
//! ```
//! use contract::{limits, NewComment};
//! let new = NewComment { author_name: " Ada ".into(), body: "Hi".into(), parent_id: None };
//! assert_eq!(limits::validate(new).unwrap().author_name, "Ada");
//! ```

use crate::NewComment;

/// Longest author name, in characters after trimming.
pub const MAX_NAME_CHARS: usize = 80;
/// Longest comment body, in characters after trimming.
pub const MAX_BODY_CHARS: usize = 5000;
/// Top-level comments per page when `limit` is not given.
pub const DEFAULT_PAGE_SIZE: u32 = 20;
/// The largest `limit` the contract allows.
pub const MAX_PAGE_SIZE: u32 = 100;
/// Replies a comment carries inline in a list when the request does not say (`replies=`); the
/// rest come from its replies endpoint.
pub const DEFAULT_INLINE_REPLIES: u32 = 3;
/// The most replies a request may ask to have inline.
pub const MAX_INLINE_REPLIES: u32 = 100;
/// Longest note of a report, in characters.
pub const MAX_REPORT_NOTE_CHARS: usize = 500;
/// Longest article id, in characters.
pub const MAX_ARTICLE_ID_CHARS: usize = 200;
/// Shortest and longest `Idempotency-Key`, in bytes.
pub const IDEMPOTENCY_KEY_BYTES: std::ops::RangeInclusive<usize> = 1..=128;

/// What is wrong with a new comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalid {
    NameEmpty,
    NameTooLong,
    BodyEmpty,
    BodyTooLong,
}

impl Invalid {
    /// The field at fault, as the contract names it (`author_name` or `body`).
    pub fn field(self) -> &'static str {
        match self {
            Invalid::NameEmpty | Invalid::NameTooLong => "author_name",
            Invalid::BodyEmpty | Invalid::BodyTooLong => "body",
        }
    }
}

/// Characters a name may not hold, because they hide or disguise it: controls (line breaks
/// included), zero-width characters and joiners, and the bidirectional marks, embeddings,
/// overrides and isolates that can make one name read as another.
pub fn is_hidden_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}' // soft hyphen
                | '\u{034F}' // combining grapheme joiner
                | '\u{061C}' // Arabic letter mark
                | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' // Hangul fillers
                | '\u{180E}' // Mongolian vowel separator
                | '\u{200B}'..='\u{200F}' // zero-width spaces and joiners, LRM, RLM
                | '\u{2028}' | '\u{2029}' // line and paragraph separators
                | '\u{202A}'..='\u{202E}' // embeddings and overrides
                | '\u{2060}'..='\u{206F}' // word joiner, invisible operators, isolates, old formats
                | '\u{FE00}'..='\u{FE0F}' // variation selectors
                | '\u{FEFF}' // zero-width no-break space
                | '\u{E0000}'..='\u{E007F}' // tags
        )
}

/// The comment with its name and body trimmed (and the name without [`is_hidden_char`]
/// characters), or what is wrong with it: a name of 1 to [`MAX_NAME_CHARS`] characters and a
/// trimmed body of 1 to [`MAX_BODY_CHARS`].
pub fn validate(new: NewComment) -> Result<NewComment, Invalid> {
    let visible: String = new.author_name.chars().filter(|&c| !is_hidden_char(c)).collect();
    let author_name = visible.trim();
    if author_name.is_empty() {
        return Err(Invalid::NameEmpty);
    }
    if author_name.chars().count() > MAX_NAME_CHARS {
        return Err(Invalid::NameTooLong);
    }
    let body = validate_body(&new.body)?;
    Ok(NewComment { author_name: author_name.into(), body: body.into(), parent_id: new.parent_id })
}

/// A comment's body trimmed, or what is wrong with it: 1 to [`MAX_BODY_CHARS`] characters. The
/// rule of a new comment's body and of an edit alike.
pub fn validate_body(body: &str) -> Result<&str, Invalid> {
    let body = body.trim();
    if body.is_empty() {
        return Err(Invalid::BodyEmpty);
    }
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(Invalid::BodyTooLong);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, body: &str) -> Result<NewComment, Invalid> {
        validate(NewComment { author_name: name.into(), body: body.into(), parent_id: None })
    }

    #[test]
    fn limits_count_characters_after_trimming() {
        assert_eq!(
            check(" Ada ", " Hi ").unwrap(),
            NewComment { author_name: "Ada".into(), body: "Hi".into(), parent_id: None }
        );
        assert_eq!(check("  ", "Hi"), Err(Invalid::NameEmpty));
        assert_eq!(check(&"n".repeat(81), "Hi"), Err(Invalid::NameTooLong));
        assert!(check(&"ü".repeat(80), "Hi").is_ok());
        assert_eq!(check("Ada", " \n "), Err(Invalid::BodyEmpty));
        assert_eq!(check("Ada", &"x".repeat(5001)), Err(Invalid::BodyTooLong));
        assert!(check("Ada", &"x".repeat(5000)).is_ok());
        assert_eq!(Invalid::BodyTooLong.field(), "body");
    }

    #[test]
    fn names_lose_what_would_hide_or_disguise_them() {
        assert_eq!(check("A\u{200B}da", "x").unwrap().author_name, "Ada");
        assert_eq!(check("\u{202E}nimda", "x").unwrap().author_name, "nimda");
        assert_eq!(check("Ada\nLovelace\u{2066}", "x").unwrap().author_name, "AdaLovelace");
        assert_eq!(check("\u{200B}\u{200D}\u{FEFF}", "x"), Err(Invalid::NameEmpty));
        // (A ZWJ emoji sequence falls apart into its emoji: a small price against invisible names.)
        assert_eq!(check("Zoë 🙂", "x").unwrap().author_name, "Zoë 🙂");
    }
}
