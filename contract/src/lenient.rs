//! Reading what a server sends without letting one bad number spoil the rest: a count that is
//! negative, fractional or beyond `u64` is read as the nearest count, so that the item shows (with a
//! sensible figure) instead of the whole answer failing to decode.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

/// A count: a whole number as sent; a negative one reads as 0, a fraction is cut, one beyond `u64`
/// saturates. Anything but a number is still an error.
pub(crate) fn count<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    struct Count;
    impl Visitor<'_> for Count {
        type Value = u64;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a count")
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
            Ok(v)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
            Ok(u64::try_from(v).unwrap_or(0))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
            // `as` saturates: NaN and negatives give 0, huge values u64::MAX.
            Ok(v as u64)
        }
    }
    deserializer.deserialize_any(Count)
}

/// A flag that may be `null` (read as `false`); anything but a boolean or `null` is still an error.
pub(crate) fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(Option::<bool>::deserialize(deserializer)?.unwrap_or(false))
}

#[cfg(test)]
mod tests {
    use crate::Reaction;

    #[test]
    fn odd_counts_degrade_to_the_nearest_count() {
        let read = |count: &str| -> u64 {
            let json = format!(r#"{{"kind": "like", "count": {count}, "reacted": false}}"#);
            serde_json::from_str::<Reaction>(&json).map(|r| r.count).unwrap_or(999)
        };
        assert_eq!(read("8"), 8);
        assert_eq!(read("-3"), 0);
        assert_eq!(read("2.7"), 2);
        assert_eq!(read("1e30"), u64::MAX);
        assert_eq!(read("18446744073709551615"), u64::MAX);
        assert_eq!(read(r#""8""#), 999, "a string is still refused");
    }
}
