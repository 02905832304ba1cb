//! Reading what a server sends without letting one bad number spoil the rest: a count that is
//! negative, fractional or beyond `u64` is read as the nearest count, so that the item shows (with a
//! sensible figure) instead of the whole answer failing to decode.

use crate::json::{Error, Json};

/// A count: any JSON number, a negative one read as 0, a
/// fraction cut, one beyond `u64` saturated. Computed from the digits, so exact where an `f64` would
/// round (and `1e999`, which serde_json refused, saturates too).
pub(crate) fn count(json: Json<'_>) -> Result<u64, Error> {
    let text = match json {
        Json::Number(text) => text,
        other => return Err(Error::expected("a count", &other)),
    };
    if text.starts_with('-') {
        return Ok(0);
    }
    let (mantissa, exponent) = text.split_once(['e', 'E']).unwrap_or((text, "0"));
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // The exponent moves the point; the digits before it are the count. An exponent too large to
    // read saturates either way.
    let exponent: i64 =
        exponent.trim_start_matches('+').parse().unwrap_or(if exponent.starts_with('-') { i64::MIN } else { i64::MAX });
    let Ok(kept) = usize::try_from((whole.len() as i64).saturating_add(exponent)) else { return Ok(0) };
    let mut value: u64 = 0;
    for b in whole.bytes().chain(fraction.bytes()).take(kept) {
        match value.checked_mul(10).and_then(|v| v.checked_add(u64::from(b - b'0'))) {
            Some(v) => value = v,
            None => return Ok(u64::MAX),
        }
    }
    // Zeros past the last digit: 20 of them take any non-zero count beyond u64.
    let zeros = kept.saturating_sub(whole.len() + fraction.len());
    if value == 0 {
        return Ok(0);
    }
    if zeros >= 20 {
        return Ok(u64::MAX);
    }
    Ok((0..zeros).try_fold(value, |v, _| v.checked_mul(10)).unwrap_or(u64::MAX))
}

/// A flag that may be `null` (read as `false`); anything but a boolean or `null` is still an error.
pub(crate) fn flag(json: Json<'_>) -> Result<bool, Error> {
    match json {
        Json::Null => Ok(false),
        Json::Bool(b) => Ok(b),
        other => Err(Error::expected("a boolean", &other)),
    }
}

#[cfg(test)]
mod tests {
    use crate::json::from_str;
    use crate::Reaction;

    #[test]
    fn odd_counts_degrade_to_the_nearest_count() {
        let read = |count: &str| -> u64 {
            let json = format!(r#"{{"kind": "like", "count": {count}, "reacted": false}}"#);
            from_str::<Reaction>(&json).map(|r| r.count).unwrap_or(999)
        };
        assert_eq!(read("8"), 8);
        assert_eq!(read("-3"), 0);
        assert_eq!(read("2.7"), 2);
        assert_eq!(read("1e30"), u64::MAX);
        assert_eq!(read("18446744073709551615"), u64::MAX);
        assert_eq!(read(r#""8""#), 999, "a string is still refused");
        // Exact where an f64 would round, and no limit on the exponent.
        assert_eq!(read("18446744073709551614.9"), u64::MAX - 1);
        assert_eq!(read("18446744073709551616"), u64::MAX);
        assert_eq!(read("9007199254740993"), 9_007_199_254_740_993);
        assert_eq!(read("1.5e1"), 15);
        assert_eq!(read("150e-1"), 15);
        assert_eq!(read("15E+0"), 15);
        assert_eq!(read("0.99"), 0);
        assert_eq!(read("1e-999999999999999999999"), 0);
        assert_eq!(read("1e999999999999999999999"), u64::MAX);
        assert_eq!(read("0e999999999999999999999"), 0);
        assert_eq!(read("0.0001e4"), 1);
        assert_eq!(read("-0"), 0);
        assert_eq!(read("-1e999"), 0);
        assert_eq!(read("1844674407370955161e1"), 18_446_744_073_709_551_610);
        assert_eq!(read("1844674407370955162e1"), u64::MAX);
        assert_eq!(read("2e19"), u64::MAX);
        assert_eq!(read("1e19"), 10_000_000_000_000_000_000);
        assert_eq!(read("null"), 999, "null is no count");
    }
}
