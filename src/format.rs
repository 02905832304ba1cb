//! How values read on screen: reaction labels and names, counts and dates. The browser's `Intl`
//! formats numbers and dates in the page's locale (`<html lang>`, else the browser's).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

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
        Some(first) => first.to_uppercase().chain(chars.map(|c| if c == '_' { ' ' } else { c })).collect(),
        None => String::new(),
    }
}

/// A count as the page's locale writes it: "8", "1,234", and compact above 9,999 ("12K", "1.2M").
/// Browser only.
pub fn count(n: u64, locale: Option<&str>) -> String {
    memo("count", n, locale, || count_uncached(n, locale))
}

fn count_uncached(n: u64, locale: Option<&str>) -> String {
    let value = JsValue::from_f64(n as f64);
    let formatted = if n > 9_999 {
        format_with(locale, "NumberFormat", "compact", || options(&[("notation", "compact")]), &[&value])
    } else {
        format_with(locale, "NumberFormat", "", Object::new, &[&value])
    };
    formatted.unwrap_or_else(|| n.to_string())
}

/// A count in full, as the page's locale writes it ("12,345"), for accessible names. Browser only.
pub fn full_count(n: u64, locale: Option<&str>) -> String {
    memo("full", n, locale, || full_count_uncached(n, locale))
}

fn full_count_uncached(n: u64, locale: Option<&str>) -> String {
    format_with(locale, "NumberFormat", "", Object::new, &[&JsValue::from_f64(n as f64)])
        .unwrap_or_else(|| n.to_string())
}

/// The CLDR plural category of `n` ("one", "other", …) in the locale (`Intl.PluralRules`); "one" for
/// 1 and "other" otherwise where `Intl` is missing. Browser only.
pub fn plural_category(n: u64, locale: Option<&str>) -> String {
    memo("plural", n, locale, || plural_category_uncached(n, locale))
}

fn plural_category_uncached(n: u64, locale: Option<&str>) -> String {
    let fallback = if n == 1 { "one" } else { "other" };
    let Some((formatter, _)) = formatter(locale, "PluralRules", "", Object::new) else {
        return fallback.to_owned();
    };
    Reflect::get(&formatter, &"select".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|select| select.call1(&formatter, &JsValue::from_f64(n as f64)).ok())
        .and_then(|c| c.as_string())
        .unwrap_or_else(|| fallback.to_owned())
}

/// A date as the page's locale writes it ("November 20, 2026"); the input itself when it is not a
/// date the browser understands. Browser only.
pub fn long_date(iso: &str, locale: Option<&str>) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(iso));
    if date.get_time().is_nan() {
        return iso.to_owned();
    }
    format_with(locale, "DateTimeFormat", "long", || options(&[("dateStyle", "long")]), &[&date])
        .unwrap_or_else(|| iso.to_owned())
}

/// A date and time in full, for a `<time>`'s title ("November 20, 2026 at 10:00 AM"). Browser only.
pub fn exact_date_time(iso: &str, locale: Option<&str>) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(iso));
    if date.get_time().is_nan() {
        return iso.to_owned();
    }
    let make = || options(&[("dateStyle", "long"), ("timeStyle", "short")]);
    format_with(locale, "DateTimeFormat", "long-short", make, &[&date]).unwrap_or_else(|| iso.to_owned())
}

/// "3 minutes ago", "yesterday", "now": how long before `now_ms` the date `iso` was, in the page's
/// locale. Browser only.
pub fn relative_time(iso: &str, now_ms: f64, locale: Option<&str>) -> String {
    match parse_time(iso) {
        Some(then) => relative_time_ms(then, now_ms, locale),
        None => iso.to_owned(),
    }
}

/// [`relative_time`] of a time in milliseconds since the epoch. Browser only.
pub fn relative_time_ms(then_ms: f64, now_ms: f64, locale: Option<&str>) -> String {
    let (value, unit) = relative_parts((now_ms - then_ms) / 1000.0);
    let make = || options(&[("numeric", "auto")]);
    format_with(locale, "RelativeTimeFormat", "auto", make, &[&JsValue::from_f64(-value), &JsValue::from_str(unit)])
        .unwrap_or_else(|| {
            let date = js_sys::Date::new(&JsValue::from_f64(then_ms));
            format_with(locale, "DateTimeFormat", "long", || options(&[("dateStyle", "long")]), &[&date])
                .unwrap_or_default()
        })
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
        let fraction: f64 = std::str::from_utf8(b.get(start..i)?).ok()?.parse::<f64>().ok()?;
        millis = fraction / 10f64.powi((i - start) as i32) * 1000.0;
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

fn options(pairs: &[(&str, &str)]) -> Object {
    let options = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&options, &(*key).into(), &(*value).into());
    }
    options
}

/// Counts below this are formatted once per locale and remembered: a thread shows the same small
/// numbers (reply and like counts) thousands of times.
const MEMO_BELOW: u64 = 1000;

/// What was formatted, the number, the locale.
type MemoKey = (&'static str, u64, Option<String>);
/// A cached `Intl` formatter and its `format` (PluralRules has none).
type Formatter = (Object, Option<js_sys::Function>);

thread_local! {
    static MEMO: RefCell<HashMap<MemoKey, String>> = RefCell::new(HashMap::new());
    static PAGE_LOCALE: std::cell::OnceCell<Option<String>> = const { std::cell::OnceCell::new() };
}

/// `make()`, remembered by (`what`, `n`, `locale`) for small `n`.
fn memo(what: &'static str, n: u64, locale: Option<&str>, make: impl FnOnce() -> String) -> String {
    if n >= MEMO_BELOW {
        return make();
    }
    let key = (what, n, locale.map(str::to_owned));
    if let Some(hit) = MEMO.with(|m| m.borrow().get(&key).cloned()) {
        return hit;
    }
    let made = make();
    MEMO.with(|m| m.borrow_mut().insert(key, made.clone()));
    made
}

thread_local! {
    /// `Intl` formatters by constructor, options and locale: making one costs far more than using
    /// it, and a thread of 1,000 comments needs thousands of formatted values.
    static FORMATTERS: RefCell<HashMap<String, Option<Formatter>>> = RefCell::new(HashMap::new());
}

/// `new Intl[constructor](locale, options()).format(...args)`; `locale` defaults to the page's.
fn format_with(
    locale: Option<&str>,
    constructor: &str,
    options_key: &str,
    options: impl FnOnce() -> Object,
    args: &[&JsValue],
) -> Option<String> {
    let (formatter, format) = formatter(locale, constructor, options_key, options)?;
    let format = format?;
    let result = match args {
        [a] => format.call1(&formatter, a),
        [a, b] => format.call2(&formatter, a, b),
        _ => return None,
    };
    result.ok()?.as_string()
}

/// The formatter `new Intl[constructor](locale, options())` and its `format`, cached under
/// `options_key`. Constructed through `Reflect`, so that an invalid locale (which makes `Intl` throw)
/// falls back to the browser's instead of trapping the wasm.
fn formatter(
    locale: Option<&str>,
    constructor: &str,
    options_key: &str,
    options: impl FnOnce() -> Object,
) -> Option<Formatter> {
    // The page's language, read once: reading the DOM for every formatted value would cost more
    // than the formatting.
    let locale = locale.map(str::to_owned).or_else(|| PAGE_LOCALE.with(|l| l.get_or_init(page_locale).clone()));
    let key = format!("{constructor}|{options_key}|{}", locale.as_deref().unwrap_or(""));
    if let Some(cached) = FORMATTERS.with(|f| f.borrow().get(&key).cloned()) {
        return cached;
    }
    let made = make_formatter(constructor, &options(), locale);
    FORMATTERS.with(|f| f.borrow_mut().insert(key, made.clone()));
    made
}

fn make_formatter(constructor: &str, options: &Object, locale: Option<String>) -> Option<Formatter> {
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let constructor: js_sys::Function = Reflect::get(&intl, &constructor.into()).ok()?.dyn_into().ok()?;
    let make = |locales: Array| Reflect::construct(&constructor, &Array::of2(&locales, options)).ok();
    let formatter: Object =
        locale.map(|l| Array::of1(&l.into())).and_then(make).or_else(|| make(Array::new()))?.dyn_into().ok()?;
    // PluralRules has `select`, not `format`.
    let format = Reflect::get(&formatter, &"format".into()).ok().and_then(|f| f.dyn_into().ok());
    Some((formatter, format))
}

/// `<html lang>`, when the host page sets one.
pub fn page_locale() -> Option<String> {
    let lang = web_sys::window()?.document()?.document_element()?.get_attribute("lang")?;
    let lang = lang.trim();
    (!lang.is_empty()).then(|| lang.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

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
