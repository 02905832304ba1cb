use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Order of top-level comments: the `sort` query parameter (and the widget's `data-sort`).
///
/// ## Usage
/// ```
/// use contract::Sort;
/// assert_eq!(Sort::parse("newest"), Some(Sort::Newest));
/// assert_eq!(Sort::Top.as_str(), "top");
/// assert_eq!(Sort::default(), Sort::Oldest);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    #[default]
    Oldest,
    Newest,
    /// Most liked first.
    Top,
}

impl Sort {
    /// Every order, in the order a sort control lists them.
    pub const ALL: [Sort; 3] = [Sort::Oldest, Sort::Newest, Sort::Top];

    /// The value on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Oldest => "oldest",
            Sort::Newest => "newest",
            Sort::Top => "top",
        }
    }

    /// Parses `oldest`, `newest` or `top` (exactly; callers trim).
    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|sort| sort.as_str() == s)
    }
}

/// The error of [`Sort::from_str`]: says what is accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownSort(pub String);

impl fmt::Display for UnknownSort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "must be oldest, newest or top, not {:?}", self.0)
    }
}

impl std::error::Error for UnknownSort {}

impl FromStr for Sort {
    type Err = UnknownSort;
    fn from_str(s: &str) -> Result<Sort, UnknownSort> {
        Sort::parse(s).ok_or_else(|| UnknownSort(s.to_owned()))
    }
}

impl fmt::Display for Sort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
