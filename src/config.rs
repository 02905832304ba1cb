//! The widget's configuration, read from the data attributes of the element it is mounted on.
//!
//! | attribute | type | default |
//! |---|---|---|
//! | `data-api-base` | URL or absolute path (`/api`, `https://comments.example.com/v1`) | required |
//! | `data-article-id` | string, 1–200 characters | required |
//! | `data-parts` | space-separated subset of `article reactions comments` | all three |
//! | `data-sort` | `oldest`, `newest` or `top` | `oldest` |
//! | `data-page-size` | top-level comments per page, 1–100 | 20 |
//! | `data-poll-seconds` | seconds between checks for new comments while the tab is visible; 0 = off (0–3600) | 30 |
//! | `data-reaction-labels` | JSON object, kind → label (`{"like": "❤️"}`) | 👍 `like`, 👎 `dislike` |
//! | `data-credentials` | `omit`, `same-origin` or `include` (cookies on API requests) | `same-origin` |
//! | `data-headers` | JSON object of extra request headers (`{"Authorization": "Bearer …"}`): token names the browser allows, Latin-1 values | none |
//! | `data-endpoints` | JSON object overriding path templates (`{"comments": "/posts/{article}/replies"}`) | the contract's |
//! | `data-locale` | language of the strings (`en`, `de`, `fr`, `ar`), of numbers and dates, and the writing direction | the page's `<html lang>` |
//! | `data-strings` | JSON object overriding single strings by key (see [`crate::i18n`]) | none |
//! | `data-theme` | `auto` (the OS, or the host's `dark`/`light` class or `data-theme` on `<html>`), `light`, `dark` | `auto` |
//!
//! Parsing is a plain function of an attribute getter, so it is tested without a browser.

use std::fmt;

use crate::api::{Credentials, Endpoints, Sort};
use crate::format::ReactionLabels;

/// Which parts of the article page a widget renders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts {
    pub article: bool,
    pub reactions: bool,
    pub comments: bool,
}

impl Default for Parts {
    /// All three parts.
    fn default() -> Parts {
        Parts { article: true, reactions: true, comments: true }
    }
}

/// A complete, checked widget configuration.
///
/// ## Usage
/// ```
/// use article_widget::config::WidgetConfig;
/// let attrs = [("data-api-base", "/api"), ("data-article-id", "my-post"), ("data-sort", "top")];
/// let config = WidgetConfig::from_attributes(|name| {
///     attrs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
/// })
/// .expect("valid");
/// assert_eq!(config.page_size, 20);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WidgetConfig {
    /// Base URL of the JSON API, without a trailing slash.
    pub api_base: String,
    /// The article whose page is shown.
    pub article_id: String,
    /// Default: all parts.
    pub parts: Parts,
    /// Initial order of comments. Default: [`Sort::Oldest`].
    pub sort: Sort,
    /// Top-level comments per page. Default: [`DEFAULT_PAGE_SIZE`].
    pub page_size: u32,
    /// Seconds between checks for new comments; 0 turns them off. Default: 30.
    pub poll_seconds: u32,
    /// Labels of reaction kinds. Default: none beyond 👍 `like` and 👎 `dislike`.
    pub reaction_labels: ReactionLabels,
    /// Whether API requests carry cookies. Default: `same-origin`.
    pub credentials: Credentials,
    /// Extra headers on every API request. Default: none.
    pub headers: Vec<(String, String)>,
    /// Endpoint path templates. Default: the contract's paths.
    pub endpoints: Endpoints,
    /// Colour theme. Default: [`Theme::Auto`].
    pub theme: Theme,
    /// Language of strings, numbers and dates. Default: the page's `<html lang>`, else English.
    pub locale: Option<String>,
    /// Strings overriding the catalogue's, by key. Default: none.
    pub strings: std::collections::BTreeMap<String, String>,
    /// Where the article's reaction bar sits when the article is shown. Default:
    /// [`ReactionsPosition::Top`], under the headline, as on the seed page.
    pub reactions_position: ReactionsPosition,
}

/// `data-reactions-position`: the reaction bar under the headline (with the comment count), or
/// after the article's body.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReactionsPosition {
    #[default]
    Top,
    Bottom,
}

/// `data-theme`. The stylesheet does the work; the value is checked here so a typo is reported.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// The OS preference, overridden by a host that marks `<html>` `dark`/`light` (class or
    /// `data-theme`), live.
    #[default]
    Auto,
    Light,
    Dark,
}

use crate::api::limits::MAX_ARTICLE_ID_CHARS;
pub use crate::api::limits::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

/// Seconds between checks for new comments when `data-poll-seconds` is absent.
pub const DEFAULT_POLL_SECONDS: u32 = 30;

/// An invalid or missing option, naming the attribute at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The attribute, e.g. `data-article-id`.
    pub option: &'static str,
    /// What is wrong with it, as a sentence fragment.
    pub problem: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "article-widget is misconfigured: {} {}", self.option, self.problem)
    }
}

impl std::error::Error for ConfigError {}

fn err(option: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError { option, problem: problem.into() }
}

impl WidgetConfig {
    /// A configuration with the defaults for everything but the two required values.
    pub fn new(api_base: impl Into<String>, article_id: impl Into<String>) -> WidgetConfig {
        let mut api_base = api_base.into();
        while api_base.ends_with('/') {
            api_base.pop();
        }
        WidgetConfig {
            api_base,
            article_id: article_id.into(),
            parts: Parts::default(),
            sort: Sort::default(),
            page_size: DEFAULT_PAGE_SIZE,
            poll_seconds: DEFAULT_POLL_SECONDS,
            reaction_labels: ReactionLabels::default(),
            credentials: Credentials::default(),
            headers: Vec::new(),
            endpoints: Endpoints::default(),
            theme: Theme::default(),
            locale: None,
            strings: Default::default(),
            reactions_position: ReactionsPosition::default(),
        }
    }

    /// Reads and checks the configuration; `attr` returns an attribute's value (e.g.
    /// `|name| element.get_attribute(name)`).
    pub fn from_attributes(attr: impl Fn(&str) -> Option<String>) -> Result<WidgetConfig, ConfigError> {
        let required = |name: &'static str| {
            let value = attr(name).map(|v| v.trim().to_owned()).unwrap_or_default();
            if value.is_empty() {
                Err(err(name, "is required"))
            } else {
                Ok(value)
            }
        };
        let api_base = required("data-api-base")?;
        let is_url = api_base.starts_with("https://") || api_base.starts_with("http://");
        if !(is_url || api_base.starts_with('/')) || api_base.contains(char::is_whitespace) {
            return Err(err(
                "data-api-base",
                format!("must be an http(s) URL or a path starting with '/', not “{api_base}”"),
            ));
        }
        let article_id = required("data-article-id")?;
        if article_id.chars().count() > MAX_ARTICLE_ID_CHARS {
            return Err(err("data-article-id", format!("must be at most {MAX_ARTICLE_ID_CHARS} characters")));
        }

        let mut config = WidgetConfig::new(api_base, article_id);
        if let Some(parts) = attr("data-parts") {
            config.parts = parse_parts(&parts)?;
        }
        if let Some(sort) = attr("data-sort") {
            config.sort = sort.trim().parse::<Sort>().map_err(|e| err("data-sort", e.to_string()))?;
        }
        if let Some(size) = attr("data-page-size") {
            config.page_size =
                size.trim().parse::<u32>().ok().filter(|n| (1..=MAX_PAGE_SIZE).contains(n)).ok_or_else(|| {
                    err("data-page-size", format!("must be a whole number from 1 to {MAX_PAGE_SIZE}, not “{size}”"))
                })?;
        }
        if let Some(secs) = attr("data-poll-seconds") {
            config.poll_seconds = secs.trim().parse::<u32>().ok().filter(|n| *n <= 3600).ok_or_else(|| {
                err("data-poll-seconds", format!("must be a whole number from 0 to 3600, not “{secs}”"))
            })?;
        }
        if let Some(labels) = attr("data-reaction-labels") {
            config.reaction_labels = parse_labels(&labels)?;
        }
        if let Some(c) = attr("data-credentials") {
            config.credentials = Credentials::parse(c.trim())
                .ok_or_else(|| err("data-credentials", format!("must be omit, same-origin or include, not “{c}”")))?;
        }
        if let Some(headers) = attr("data-headers") {
            config.headers = parse_headers(&headers)?;
        }
        if let Some(endpoints) = attr("data-endpoints") {
            config.endpoints = parse_endpoints(&endpoints)?;
        }
        if let Some(locale) = attr("data-locale") {
            let locale = locale.trim().to_owned();
            let ok = (2..=35).contains(&locale.len())
                && locale.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && locale.as_bytes()[0].is_ascii_alphabetic();
            if !ok {
                return Err(err("data-locale", format!("must be a language tag such as en or de-AT, not “{locale}”")));
            }
            config.locale = Some(locale);
        }
        if let Some(strings) = attr("data-strings") {
            let strings = json_object("data-strings", &strings, r#"{"comments.empty": "Say something!"}"#)?;
            if let Some(unknown) = strings.keys().find(|k| !crate::i18n::Strings::is_key(k)) {
                return Err(err("data-strings", format!("has an unknown key “{unknown}”")));
            }
            config.strings = strings;
        }
        if let Some(theme) = attr("data-theme") {
            config.theme = match theme.trim() {
                "auto" | "" => Theme::Auto,
                "light" => Theme::Light,
                "dark" => Theme::Dark,
                other => return Err(err("data-theme", format!("must be auto, light or dark, not “{other}”"))),
            };
        }
        if let Some(position) = attr("data-reactions-position") {
            config.reactions_position = match position.trim() {
                "top" | "" => ReactionsPosition::Top,
                "bottom" => ReactionsPosition::Bottom,
                other => return Err(err("data-reactions-position", format!("must be top or bottom, not “{other}”"))),
            };
        }
        // Read by the loader (embed/article-widget.js), which mounts the widget; checked here so
        // that a wrong value is named like any other.
        if let Some(loading) = attr("data-loading") {
            if !matches!(loading.trim(), "lazy" | "eager" | "") {
                return Err(err("data-loading", format!("must be lazy or eager, not “{loading}”")));
            }
        }
        if let Some(margin) = attr("data-lazy-margin") {
            if !is_margin(&margin) {
                return Err(err("data-lazy-margin", format!("must be one to four lengths in px or %, not “{margin}”")));
            }
        }
        Ok(config)
    }
}

/// A CSS margin of one to four `px` or `%` lengths, as `IntersectionObserver`'s `rootMargin` takes.
fn is_margin(margin: &str) -> bool {
    let lengths: Vec<&str> = margin.split_whitespace().collect();
    (1..=4).contains(&lengths.len())
        && lengths.iter().all(|l| {
            // A number with a unit (browsers refuse a bare 0 here), decimals allowed.
            let number = l.strip_suffix("px").or_else(|| l.strip_suffix('%')).unwrap_or("");
            let digits = number.strip_prefix('-').unwrap_or(number);
            let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
            [whole, fraction].iter().all(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
        })
}

fn json_object(
    option: &'static str,
    value: &str,
    example: &str,
) -> Result<std::collections::BTreeMap<String, String>, ConfigError> {
    contract::json::from_str(value)
        .map_err(|_| err(option, format!("must be a JSON object of strings, e.g. {example}")))
}

/// Request headers a page may not set (the Fetch standard's forbidden request-header names, and its
/// `proxy-`/`sec-` prefixes): browsers drop them silently, so the option says so instead.
const FORBIDDEN_HEADERS: &[&str] = &[
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

/// Checks every header the way `fetch` will: a name that is an HTTP token and not forbidden, and a
/// value that is a byte string (no character above U+00FF, which would make `fetch` throw) without
/// control characters.
fn parse_headers(value: &str) -> Result<Vec<(String, String)>, ConfigError> {
    let headers = json_object("data-headers", value, r#"{"Authorization": "Bearer …"}"#)?;
    for (name, value) in &headers {
        let token =
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !token || value.chars().any(|c| c.is_control()) {
            return Err(err("data-headers", format!("has an invalid header “{name}”")));
        }
        if value.chars().any(|c| u32::from(c) > 0xFF) {
            return Err(err("data-headers", format!("has a value for “{name}” with characters a header cannot carry")));
        }
        let lower = name.to_ascii_lowercase();
        if FORBIDDEN_HEADERS.contains(&lower.as_str()) || lower.starts_with("proxy-") || lower.starts_with("sec-") {
            return Err(err("data-headers", format!("names “{name}”, a header browsers do not let a page set")));
        }
    }
    Ok(headers.into_iter().collect())
}

fn parse_endpoints(value: &str) -> Result<Endpoints, ConfigError> {
    let templates = json_object("data-endpoints", value, r#"{"comments": "/posts/{article}/replies"}"#)?;
    let mut endpoints = Endpoints::default();
    for (name, template) in &templates {
        if !endpoints.set(name, template) {
            return Err(err(
                "data-endpoints",
                format!(
                    "may set {} to paths starting with '/', not “{name}”: “{template}”",
                    Endpoints::NAMES.join(", ")
                ),
            ));
        }
    }
    Ok(endpoints)
}

fn parse_labels(value: &str) -> Result<ReactionLabels, ConfigError> {
    let labels: std::collections::BTreeMap<String, String> = contract::json::from_str(value)
        .map_err(|_| err("data-reaction-labels", r#"must be a JSON object of kind to label, e.g. {"like": "❤️"}"#))?;
    if let Some((kind, _)) = labels.iter().find(|(_, l)| l.trim().is_empty() || l.chars().count() > 32) {
        return Err(err(
            "data-reaction-labels",
            format!("has an empty or over-long (over 32 characters) label for “{kind}”"),
        ));
    }
    Ok(ReactionLabels(labels))
}

fn parse_parts(value: &str) -> Result<Parts, ConfigError> {
    let mut parts = Parts { article: false, reactions: false, comments: false };
    for token in value.split_whitespace() {
        match token {
            "article" => parts.article = true,
            "reactions" => parts.reactions = true,
            "comments" => parts.comments = true,
            other => {
                return Err(err("data-parts", format!("may only list article, reactions and comments, not “{other}”")))
            }
        }
    }
    if parts == (Parts { article: false, reactions: false, comments: false }) {
        return Err(err("data-parts", "must name at least one of article, reactions and comments"));
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<WidgetConfig, ConfigError> {
        WidgetConfig::from_attributes(|name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string()))
    }

    const BASE: (&str, &str) = ("data-api-base", "/api/");
    const ID: (&str, &str) = ("data-article-id", "openai-microsoft-aws");

    #[test]
    fn defaults() {
        let c = parse(&[BASE, ID]).unwrap();
        assert_eq!(c, WidgetConfig::new("/api", "openai-microsoft-aws"));
        assert_eq!(c.api_base, "/api");
        assert_eq!(c.parts, Parts::default());
        assert_eq!(c.sort, Sort::Oldest);
        assert_eq!(c.page_size, 20);
    }

    #[test]
    fn all_options() {
        let c = parse(&[
            ("data-api-base", "https://comments.example.com/v1"),
            ID,
            ("data-parts", " comments  reactions "),
            ("data-sort", "top"),
            ("data-page-size", "5"),
            ("data-poll-seconds", "0"),
            ("data-reaction-labels", r#"{"like": "❤️", "dislike": "Meh"}"#),
            ("data-credentials", "include"),
            ("data-headers", r#"{"Authorization": "Bearer abc"}"#),
            ("data-endpoints", r#"{"comments": "/posts/{article}/replies"}"#),
            ("data-theme", "dark"),
            ("data-locale", "de-AT"),
            ("data-strings", r#"{"comments.empty": "Say something!"}"#),
        ])
        .unwrap();
        assert_eq!(c.locale.as_deref(), Some("de-AT"));
        assert_eq!(c.strings.get("comments.empty").map(String::as_str), Some("Say something!"));
        assert_eq!(c.credentials, Credentials::Include);
        assert_eq!(c.headers, vec![("Authorization".to_string(), "Bearer abc".to_string())]);
        assert_eq!(c.endpoints.comments, "/posts/{article}/replies");
        assert_eq!(c.endpoints.article, "/articles/{article}");
        assert_eq!(c.theme, Theme::Dark);
        assert_eq!(c.reaction_labels.label("like"), "❤️");
        assert_eq!(c.reaction_labels.name("dislike"), "Meh");
        assert_eq!(c.parts, Parts { article: false, reactions: true, comments: true });
        assert_eq!(c.sort, Sort::Top);
        assert_eq!(c.page_size, 5);
        assert_eq!(c.poll_seconds, 0);
    }

    #[test]
    fn missing_required_values_name_the_attribute() {
        assert_eq!(parse(&[ID]).unwrap_err().option, "data-api-base");
        assert_eq!(parse(&[BASE]).unwrap_err().option, "data-article-id");
        let e = parse(&[BASE, ("data-article-id", "   ")]).unwrap_err();
        assert_eq!(e.to_string(), "article-widget is misconfigured: data-article-id is required");
    }

    #[test]
    fn invalid_values_are_rejected() {
        for (pairs, option) in [
            (vec![("data-api-base", "javascript:alert(1)"), ID], "data-api-base"),
            (vec![("data-api-base", "api"), ID], "data-api-base"),
            (vec![("data-api-base", "/a pi"), ID], "data-api-base"),
            (vec![BASE, ID, ("data-parts", "article sidebar")], "data-parts"),
            (vec![BASE, ID, ("data-parts", "  ")], "data-parts"),
            (vec![BASE, ID, ("data-sort", "best")], "data-sort"),
            (vec![BASE, ID, ("data-page-size", "0")], "data-page-size"),
            (vec![BASE, ID, ("data-page-size", "101")], "data-page-size"),
            (vec![BASE, ID, ("data-page-size", "ten")], "data-page-size"),
            (vec![BASE, ID, ("data-page-size", "-3")], "data-page-size"),
            (vec![BASE, ID, ("data-poll-seconds", "3601")], "data-poll-seconds"),
            (vec![BASE, ID, ("data-poll-seconds", "1.5")], "data-poll-seconds"),
            (vec![BASE, ID, ("data-reaction-labels", "like=❤️")], "data-reaction-labels"),
            (vec![BASE, ID, ("data-credentials", "always")], "data-credentials"),
            (vec![BASE, ID, ("data-headers", r#"{"Bad Header": "x"}"#)], "data-headers"),
            (vec![BASE, ID, ("data-headers", r#"{"X-A": "line\nbreak"}"#)], "data-headers"),
            (vec![BASE, ID, ("data-headers", r#"{"Authorization": "Bearer ключ"}"#)], "data-headers"),
            (vec![BASE, ID, ("data-headers", r#"{"Cookie": "a=b"}"#)], "data-headers"),
            (vec![BASE, ID, ("data-headers", r#"{"Sec-Fetch-Mode": "cors"}"#)], "data-headers"),
            (vec![BASE, ID, ("data-headers", "[1]")], "data-headers"),
            (vec![BASE, ID, ("data-endpoints", r#"{"comment": "x"}"#)], "data-endpoints"),
            (vec![BASE, ID, ("data-endpoints", r#"{"thread": "/x"}"#)], "data-endpoints"),
            (vec![BASE, ID, ("data-endpoints", r#"{"comments": "x"}"#)], "data-endpoints"),
            (vec![BASE, ID, ("data-theme", "blue")], "data-theme"),
            (vec![BASE, ID, ("data-locale", "de_DE!")], "data-locale"),
            (vec![BASE, ID, ("data-locale", "1a")], "data-locale"),
            (vec![BASE, ID, ("data-strings", r#"{"no.such": "x"}"#)], "data-strings"),
            (vec![BASE, ID, ("data-reaction-labels", r#"{"like": 1}"#)], "data-reaction-labels"),
            (vec![BASE, ID, ("data-reaction-labels", r#"{"like": " "}"#)], "data-reaction-labels"),
        ] {
            assert_eq!(parse(&pairs).unwrap_err().option, option, "{pairs:?}");
        }
        let long = "x".repeat(201);
        assert_eq!(parse(&[BASE, ("data-article-id", &long)]).unwrap_err().option, "data-article-id");
    }

    #[test]
    fn the_loaders_options_are_checked_too() {
        let base = [("data-api-base", "/api"), ("data-article-id", "a")];
        for (option, value, ok) in [
            ("data-loading", "lazy", true),
            ("data-loading", "eager", true),
            ("data-loading", "soon", false),
            ("data-lazy-margin", "600px", true),
            ("data-lazy-margin", "100% 0px", true),
            ("data-lazy-margin", "0", false),
            ("data-lazy-margin", "12.5% 0.5px", true),
            ("data-lazy-margin", "1.px", false),
            ("data-lazy-margin", "-10px 5% 0px 1px", true),
            ("data-lazy-margin", "1em", false),
            ("data-lazy-margin", "1 2 3 4 5", false),
            ("data-lazy-margin", "px", false),
        ] {
            let mut pairs = base.to_vec();
            pairs.push((option, value));
            assert_eq!(parse(&pairs).is_ok(), ok, "{option}={value}");
        }
    }
}
