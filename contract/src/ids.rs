//! Typed ids: an article id, a comment id, a reaction kind and an idempotency key are all strings on
//! the wire, but never interchangeable in code. Each is a cheap-to-clone `Arc<str>` (a thread keys
//! maps and view lists by them), serialized as a plain JSON string.
//!
//! ## Usage
//! ```
//! use contract::CommentId;
//! let id = CommentId::from("42");
//! assert_eq!(id.as_str(), "42");
//! assert_eq!(serde_json::to_string(&id).unwrap(), r#""42""#);
//! ```

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Arc<str>);

        impl $name {
            /// The id as it is on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl crate::json::Decode for $name {
            fn decode(json: crate::json::Json<'_>) -> Result<$name, crate::json::Error> {
                <String as crate::json::Decode>::decode(json).map($name::from)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(Arc::from(s))
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name(Arc::from(s))
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), &*self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                &*self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                &*self.0 == *other
            }
        }
    };
}

string_id!(
    /// The id of an article (`{article}` in the paths), 1–200 characters.
    ArticleId
);
string_id!(
    /// The id of a comment (`{comment}` in the paths), as the server made it.
    CommentId
);
string_id!(
    /// A reaction kind such as `like` (`{kind}` in the paths).
    ReactionKind
);
string_id!(
    /// The `Idempotency-Key` of a post: the same for every attempt of the same draft.
    IdempotencyKey
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain_json_strings_and_compare_by_value() {
        let id: CommentId = serde_json::from_str(r#""c-1""#).unwrap();
        assert_eq!(crate::json::from_str::<CommentId>(r#""c-1""#), Ok(id.clone()));
        assert_eq!(id, CommentId::from("c-1"));
        assert_eq!(id, "c-1");
        assert_eq!(format!("{id}"), "c-1");
        assert_eq!(format!("{id:?}"), r#"CommentId("c-1")"#);
    }
}
