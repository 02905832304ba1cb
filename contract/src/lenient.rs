//! Reading what a server sends without letting one bad number spoil the rest: a count that is
//! negative, fractional or beyond `u64` is read as the nearest count, so that the item shows (with a
//! sensible figure) instead of the whole answer failing to decode.

use crate::json::{Error, Json};

/// A count: any JSON number, a negative one read as 0, a fraction cut, one beyond `u64` saturated.
/// Computed from the digits, so exact where an `f64` would round (and `1e999`, which serde_json
/// refused, saturates too). Whatever the number's text, never a panic: a text that is not a JSON
/// number (only a hand-made [`Json::Number`] can be one) is refused.
pub(crate) fn count(json: Json<'_>) -> Result<u64, Error> {
    let text = match json {
        Json::Number(text) => text,
        other => return Err(Error::expected("a count", &other)),
    };
    let not_a_number = || Error::new(format!("expected a count, found {text:?}"));
    // A negative number is checked like any other, then read as 0.
    let (negative, text) = text.strip_prefix('-').map_or((false, text), |rest| (true, rest));
    let (mantissa, exponent) = text.split_once(['e', 'E']).unwrap_or((text, "0"));
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() || (fraction.is_empty() && mantissa.contains('.')) {
        return Err(not_a_number());
    }
    let digits = whole.len() as i64 + fraction.len() as i64;
    // The exponent moves the point; the digits before it are the count. An exponent too large to
    // read saturates either way (64-bit arithmetic throughout: a usize is 32 bits in the wasm).
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let magnitude = exponent.strip_prefix('-').unwrap_or(exponent);
    if magnitude.is_empty() || !magnitude.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_a_number());
    }
    let exponent: i64 = exponent.parse().unwrap_or(if exponent.starts_with('-') { i64::MIN } else { i64::MAX });
    let point = (whole.len() as i64).saturating_add(exponent);
    let mut value: u64 = 0;
    for (i, b) in whole.bytes().chain(fraction.bytes()).enumerate() {
        let digit = char::from(b).to_digit(10).ok_or_else(not_a_number)?;
        if (i as i64) < point {
            // Saturated stays saturated: the digits are still checked to the end.
            value = value.checked_mul(10).and_then(|v| v.checked_add(u64::from(digit))).unwrap_or(u64::MAX);
        }
    }
    // Zeros past the last digit: 20 of them take any non-zero count beyond u64.
    let zeros = point.saturating_sub(digits).max(0);
    if negative {
        return Ok(0);
    }
    if value == 0 || value == u64::MAX {
        return Ok(value);
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
    use crate::json::{from_str, Json};
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
        // Past 2^32 digits before the point (a usize in the wasm): still saturated, not 0.
        assert_eq!(read("1e4294967296"), u64::MAX);
        assert_eq!(read("1e9223372036854775807"), u64::MAX);
        assert_eq!(read("123e-9223372036854775808"), 0);
    }

    #[test]
    fn a_hand_made_number_that_is_not_one_is_refused_not_a_panic() {
        for text in ["+1", "1e", "1e+", "1.2.3", "x", "1 ", "", "1e--2", "١", ".5", "1.", "-", "-x", "--1", "-1e"] {
            assert!(super::count(Json::Number(text)).is_err(), "{text:?}");
        }
    }

    /// The count of a number written `whole.fraction e exponent`, by exact integer arithmetic.
    fn exact(whole: &str, fraction: &str, exponent: i32) -> u64 {
        let digits = format!("{whole}{fraction}");
        let point = whole.len() as i64 + i64::from(exponent);
        let integer: String = if point <= 0 {
            "0".into()
        } else if point as usize <= digits.len() {
            digits[..point as usize].into()
        } else {
            format!("{digits}{}", "0".repeat(point as usize - digits.len()))
        };
        let integer = integer.trim_start_matches('0');
        if integer.is_empty() {
            0
        } else if integer.len() > 20 {
            u64::MAX
        } else {
            integer.parse::<u128>().map_or(u64::MAX, |v| u64::try_from(v).unwrap_or(u64::MAX))
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3_000))]
        #[test]
        fn counts_are_exact(
            whole in "0|[1-9][0-9]{0,25}", fraction in "([0-9]{1,25})?", exponent in -40i32..40, upper in proptest::bool::ANY
        ) {
            let text = format!(
                "{whole}{}{}{exponent}", if fraction.is_empty() { String::new() } else { format!(".{fraction}") },
                if upper { "E" } else { "e" }
            );
            proptest::prop_assert_eq!(super::count(Json::Number(&text)), Ok(exact(&whole, &fraction, exponent)), "{}", text);
        }
    }
}
