//! How values read on screen: reaction labels and names, counts and dates. The browser's `Intl`
//! (through [`crate::platform::intl`]) formats numbers and dates in the page's locale (`<html lang>`,
//! else the browser's); without a browser, plain fallbacks stand in.

use std::cell::RefCell;
use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use crate::platform::intl::{self, Arg};

/// Labels of reaction kinds (`data-reaction-labels`), over the defaults 👍 `like` and 👎 `dislike`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReactionLabels(pub BTreeMap<String, String>);

impl ReactionLabels {
    /// The visible label of `kind`: the configured one, else 👍 for `like`, 👎 for `dislike`, the kind
    /// itself otherwise.
    pub fn label(&self, kind: &str) -> String {
        match self.0.get(kind) {
            Some(label) => label.clone(),
            None => reaction_label(kind),
        }
    }

    /// The spoken name of `kind`: a configured label that has letters ("Insightful"), else the kind
    /// with a capital letter ("Like"), since an emoji alone reads badly.
    pub fn name(&self, kind: &str) -> String {
        match self.0.get(kind) {
            Some(label) if label.chars().any(char::is_alphanumeric) => label.clone(),
            _ => reaction_name(kind),
        }
    }
}

/// The default label of a reaction kind: 👍 for `like`, 👎 for `dislike`, the kind itself otherwise.
pub fn reaction_label(kind: &str) -> String {
    match kind {
        "like" => "👍".into(),
        "dislike" => "👎".into(),
        other => other.into(),
    }
}

/// The default spoken name of a reaction kind: "Like", "Dislike", or the kind with a capital letter.
pub fn reaction_name(kind: &str) -> String {
    let mut chars = kind.chars();
    match chars.next() {
        Some(first) => {
            crate::platform::upper(first) + &chars.map(|c| if c == '_' { ' ' } else { c }).collect::<String>()
        }
        None => String::new(),
    }
}

/// A count as the page's locale writes it: "8", "1,234", and compact above 9,999 ("12K", "1.2M").
/// Browser only.
pub fn count(n: u64, locale: Option<&str>) -> String {
    memo("count", n, locale, || count_uncached(n, locale))
}

fn count_uncached(n: u64, locale: Option<&str>) -> String {
    if cfg!(not(target_arch = "wasm32")) {
        return server_count(n, locale, true);
    }
    let options: &[(&str, &str)] = if n > 9_999 { &[("notation", "compact")] } else { &[] };
    intl::format(locale, "NumberFormat", options, &[Arg::Number(n as f64)]).unwrap_or_else(|| n.to_string())
}

/// [`count`] and [`full_count`] off the browser (a server rendering the widget): as `Intl` writes
/// them in English ("1,234"; compact above 9,999: "12K", "1.2M"), plain digits in other languages.
fn server_count(n: u64, locale: Option<&str>, compact: bool) -> String {
    if !english(locale) {
        return n.to_string();
    }
    if compact && n > 9_999 {
        for (unit, suffix) in [(1_000_000_000_000, "T"), (1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")] {
            if n >= unit {
                // Two significant digits below 10 units ("1.2M"), whole units above ("12K"); halves up.
                let (n, unit) = (u128::from(n), u128::from(unit));
                let tenths = (n * 10 + unit / 2) / unit;
                return if tenths < 100 && tenths % 10 != 0 {
                    format!("{}.{}{suffix}", tenths / 10, tenths % 10)
                } else {
                    format!("{}{suffix}", (n + unit / 2) / unit)
                };
            }
        }
    }
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Whether `locale` is English, or unset (the catalogue's default).
fn english(locale: Option<&str>) -> bool {
    locale.is_none_or(|l| l == "en" || l.starts_with("en-"))
}

/// A count in full, as the page's locale writes it ("12,345"), for accessible names. Browser only.
pub fn full_count(n: u64, locale: Option<&str>) -> String {
    memo("full", n, locale, || full_count_uncached(n, locale))
}

fn full_count_uncached(n: u64, locale: Option<&str>) -> String {
    if cfg!(not(target_arch = "wasm32")) {
        return server_count(n, locale, false);
    }
    intl::format(locale, "NumberFormat", &[], &[Arg::Number(n as f64)]).unwrap_or_else(|| n.to_string())
}

/// The CLDR plural category of `n` ("one", "other", …) in the locale (`Intl.PluralRules`); "one" for
/// 1 and "other" otherwise where `Intl` is missing. Browser only.
pub fn plural_category(n: u64, locale: Option<&str>) -> String {
    memo("plural", n, locale, || plural_category_uncached(n, locale))
}

fn plural_category_uncached(n: u64, locale: Option<&str>) -> String {
    intl::plural_category(locale, n as f64).unwrap_or_else(|| (if n == 1 { "one" } else { "other" }).to_owned())
}

const LONG_DATE: &[(&str, &str)] = &[("dateStyle", "long")];

/// A date as the page's locale writes it ("November 20, 2026"); the input itself when it is not an
/// RFC 3339 date-time. Without a browser (a server rendering the widget), the UTC date in English for
/// an English or unset locale, else as `2026-11-20`.
pub fn long_date(iso: &str, locale: Option<&str>) -> String {
    let Some(ms) = parse_time(iso) else { return iso.to_owned() };
    if cfg!(not(target_arch = "wasm32")) {
        return server_date(ms, locale);
    }
    intl::format(locale, "DateTimeFormat", LONG_DATE, &[Arg::Date(ms)]).unwrap_or_else(|| iso.to_owned())
}

/// [`long_date`] off the browser, from the civil date of `ms` (Howard Hinnant's algorithm).
fn server_date(ms: f64, locale: Option<&str>) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let z = (ms / 86_400_000.0).floor() as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    match MONTHS.get((month - 1) as usize).filter(|_| english(locale)) {
        Some(name) => format!("{name} {day}, {year}"),
        None => format!("{year:04}-{month:02}-{day:02}"),
    }
}

const EXACT_DATE_TIME: &[(&str, &str)] = &[("dateStyle", "long"), ("timeStyle", "short")];

/// A date and time in full, for a `<time>`'s title ("November 20, 2026 at 10:00 AM"); the input
/// itself when it is not an RFC 3339 date-time, or without a browser.
pub fn exact_date_time(iso: &str, locale: Option<&str>) -> String {
    parse_time(iso)
        .and_then(|ms| intl::format(locale, "DateTimeFormat", EXACT_DATE_TIME, &[Arg::Date(ms)]))
        .unwrap_or_else(|| iso.to_owned())
}

/// The `Intl.DateTimeFormat` [`exact_date_time`] writes with, for JavaScript that writes thousands
/// of them (`build.js`, a card's title). Browser only.
pub fn exact_date_time_format(locale: Option<&str>) -> Option<js_sys::Object> {
    intl::formatter_object(locale, "DateTimeFormat", EXACT_DATE_TIME)
}

/// "3 minutes ago", "yesterday", "now": how long before `now_ms` the date `iso` was, in the page's
/// locale.
pub fn relative_time(iso: &str, now_ms: f64, locale: Option<&str>) -> String {
    match parse_time(iso) {
        Some(then) => relative_time_ms(then, now_ms, locale),
        None => iso.to_owned(),
    }
}

/// [`relative_time`] of a time in milliseconds since the epoch; without `Intl`, the date, and
/// without a browser, "{value} {unit}s ago".
pub fn relative_time_ms(then_ms: f64, now_ms: f64, locale: Option<&str>) -> String {
    let (value, unit) = relative_parts((now_ms - then_ms) / 1000.0);
    let relative =
        || intl::format(locale, "RelativeTimeFormat", &[("numeric", "auto")], &[Arg::Number(-value), Arg::Str(unit)]);
    // A thread says "3 days ago" hundreds of times: each (value, unit) is asked of `Intl` once. The
    // fallback (a date) differs per comment, so it is not remembered.
    let n = value as u64;
    Some(memo(unit, n, locale, || relative().unwrap_or_default()))
        .filter(|text| !text.is_empty())
        .or_else(|| intl::format(locale, "DateTimeFormat", LONG_DATE, &[Arg::Date(then_ms)]))
        // As a whole number: formatting an f64 would pull float printing into the wasm.
        .unwrap_or_else(|| format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" }))
}

/// An RFC 3339 date-time (`2026-11-20T10:00:00Z`, `2026-11-20T11:00:00.250+01:00`) in milliseconds
/// since the epoch; `None` for anything else. Plain Rust: parsed once per comment, without a browser.
pub fn parse_time(s: &str) -> Option<f64> {
    let b = s.trim().as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = b.get(range)?;
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(digits).ok()?.parse().ok()
    };
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut i = 19;
    let mut millis = 0.0;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        // Milliseconds from the first three digits, without float parsing (which would add its
        // tables to the wasm).
        if i == start {
            return None;
        }
        let digits = b.get(start..(start + 3).min(i))?;
        let scale = [100.0, 10.0, 1.0];
        millis = digits.iter().zip(scale).map(|(d, s)| f64::from(d - b'0') * s).sum();
    }
    let offset_minutes = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
            let minutes = num(i + 1..i + 3)? * 60 + num(i + 4..i + 6)?;
            if *sign == b'+' {
                minutes
            } else {
                -minutes
            }
        }
        _ => return None,
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds as f64 * 1000.0 + millis)
}

/// The value and `Intl.RelativeTimeFormat` unit for a time `seconds` ago (future times, from clock
/// skew, read as now).
pub fn relative_parts(seconds: f64) -> (f64, &'static str) {
    let s = seconds.max(0.0);
    let (minute, hour, day) = (60.0, 3600.0, 86_400.0);
    if s < 45.0 {
        (0.0, "second")
    } else if s < 45.0 * minute {
        ((s / minute).round().max(1.0), "minute")
    } else if s < 22.0 * hour {
        ((s / hour).round().max(1.0), "hour")
    } else if s < 26.0 * day {
        ((s / day).round().max(1.0), "day")
    } else if s < 320.0 * day {
        ((s / (30.44 * day)).round().max(1.0), "month")
    } else {
        ((s / (365.25 * day)).round().max(1.0), "year")
    }
}

/// Counts below this are formatted once per locale and remembered: a thread shows the same small
/// numbers (reply and like counts) thousands of times.
const MEMO_BELOW: u64 = 1000;

/// What was formatted (or the unit of a relative time), and the number.
type MemoKey = (&'static str, u64);
/// The text in each locale asked for (almost always one: the page's).
type Texts = Vec<(Option<String>, String)>;

thread_local! {
    static MEMO: RefCell<HashMap<MemoKey, Texts>> = RefCell::new(HashMap::default());
}

/// `make()`, remembered by (`what`, `n`, `locale`) for small `n`. A hit allocates nothing but the
/// text returned.
fn memo(what: &'static str, n: u64, locale: Option<&str>, make: impl FnOnce() -> String) -> String {
    if n >= MEMO_BELOW {
        return make();
    }
    let hit = MEMO.with(|m| {
        m.borrow()
            .get(&(what, n))
            .and_then(|texts| texts.iter().find(|(l, _)| l.as_deref() == locale).map(|(_, t)| t.clone()))
    });
    if let Some(hit) = hit {
        return hit;
    }
    let made = make();
    MEMO.with(|m| m.borrow_mut().entry((what, n)).or_default().push((locale.map(str::to_owned), made.clone())));
    made
}

/// `<html lang>`, when the host page sets one.
pub fn page_locale() -> Option<String> {
    intl::page_locale()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_server_writes_counts_as_intl_does_in_english() {
        for (n, shown, full) in [
            (0, "0", "0"),
            (999, "999", "999"),
            (1_234, "1,234", "1,234"),
            (9_999, "9,999", "9,999"),
            (12_345, "12K", "12,345"),
            (99_999, "100K", "99,999"),
            (123_456, "123K", "123,456"),
            (1_234_567, "1.2M", "1,234,567"),
            (1_000_000, "1M", "1,000,000"),
            (12_500_000, "13M", "12,500,000"),
        ] {
            assert_eq!((count(n, None).as_str(), full_count(n, Some("en-GB")).as_str()), (shown, full), "{n}");
        }
        assert_eq!(count(12_345, Some("de")), "12345");
        assert_eq!(count(u64::MAX, None), "18446744T");
    }

    #[test]
    fn a_server_writes_dates_in_english_or_as_iso_dates() {
        assert_eq!(long_date("2026-11-20T09:30:00Z", None), "November 20, 2026");
        assert_eq!(long_date("2026-11-20T09:30:00Z", Some("en-GB")), "November 20, 2026");
        assert_eq!(long_date("2024-02-29T23:59:59Z", Some("de")), "2024-02-29");
        assert_eq!(long_date("2000-03-01T00:00:00+01:00", Some("fr")), "2000-02-29");
        assert_eq!(long_date("1969-12-31T23:59:59Z", None), "December 31, 1969");
        assert_eq!(long_date("not a date", None), "not a date");
    }

    use super::*;

    #[test]
    fn without_a_browser_every_format_falls_back_to_plain_text() {
        assert_eq!(count(12_345, None), "12K");
        assert_eq!(full_count(8, Some("de")), "8");
        assert_eq!(plural_category(1, None), "one");
        assert_eq!(plural_category(2, None), "other");
        assert_eq!(long_date("2026-11-20T10:00:00Z", None), "November 20, 2026");
        assert_eq!(relative_time("2026-11-20T10:00:00Z", 1_795_168_800_000.0 + 180_000.0, None), "3 minutes ago");
        assert_eq!(relative_time("not a date", 0.0, None), "not a date");
    }

    #[test]
    fn rfc3339_times_parse_natively() {
        assert_eq!(parse_time("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(parse_time("2026-11-20T10:00:00Z"), Some(1_795_168_800_000.0));
        assert_eq!(parse_time("2026-11-20T11:00:00.250+01:00"), Some(1_795_168_800_250.0));
        assert_eq!(parse_time("2024-02-29T23:59:59-00:30"), Some(1_709_252_999_000.0));
        for bad in [
            "",
            "yesterday",
            "2026-13-01T00:00:00Z",
            "2026-11-20T10:00:00",
            "2026-11-20T10:00:00Zjunk",
            "２０２６-11-20T10:00:00Z",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn labels_and_names() {
        assert_eq!(reaction_label("like"), "👍");
        assert_eq!(reaction_label("dislike"), "👎");
        assert_eq!(reaction_label("heart"), "heart");
        assert_eq!(reaction_name("like"), "Like");
        assert_eq!(reaction_name("thumbs_up"), "Thumbs up");
        assert_eq!(reaction_name(""), "");
    }

    #[test]
    fn configured_labels_win_and_name_the_button_when_they_are_words() {
        let labels = ReactionLabels(
            [("like".to_string(), "❤️".to_string()), ("insight".to_string(), "Insightful".to_string())].into(),
        );
        assert_eq!(labels.label("like"), "❤️");
        assert_eq!(labels.name("like"), "Like");
        assert_eq!(labels.label("insight"), "Insightful");
        assert_eq!(labels.name("insight"), "Insightful");
        assert_eq!(labels.label("dislike"), "👎");
        assert_eq!(labels.name("dislike"), "Dislike");
    }
}
