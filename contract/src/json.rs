//! A small JSON reader and writer for the widget: the answers it decodes and the bodies it sends,
//! without serde's generic machinery. Measured with `make size`: replacing serde_json and the
//! derived decoders with this module and the decoders written on it (`dto.rs`, `nesting.rs`) took
//! 15 KB off the widget's gzipped wasm, at the same speed: 10,000 comments load in the same time as
//! with serde_json, within `bench/thread.mjs`'s noise (A/B runs from 0.90× to 1.04×). dev-api keeps
//! serde for what it reads (the request bodies) and writes (everything).
//!
//! - [`parse`] reads a text into a [`Json`] tree, without recursion: a hostile answer nested
//!   thousands deep neither overflows the stack nor (past [`MAX_DEPTH`]) the memory. Strings without
//!   escapes borrow from the text. The tree holds at most about 8 bytes per byte of text (a value,
//!   16 bytes in the wasm, for each `0,`), transiently; a page of comments about twice its text. It is strict where serde_json is: no trailing commas, no comments,
//!   no leading zeros, no lone surrogate escapes, no raw control characters in strings.
//! - [`Decode`] turns a tree into a type; [`Fields`] reads an object's fields as serde's derive does
//!   (unknown ones ignored, a repeated known one refused, a missing `Option` is `None`).
//! - [`ToJson`], [`object`] and [`push_string`] write the widget's request bodies (flat objects of
//!   strings), byte for byte as serde_json would.
//!
//! ## Usage
//! ```
//! use contract::json::{self, Decode, Fields, Json};
//!
//! struct Point { x: String, label: Option<String> }
//! impl Decode for Point {
//!     fn decode(json: Json<'_>) -> Result<Point, json::Error> {
//!         let mut f = Fields::of(json, "a point")?;
//!         Ok(Point { x: f.required("x")?, label: f.optional("label")? })
//!     }
//! }
//! let p: Point = json::from_str(r#"{"x": "1", "extra": [true]}"#).unwrap();
//! assert_eq!((p.x.as_str(), p.label), ("1", None));
//! assert!(json::from_str::<Point>(r#"{"x": 1}"#).is_err());
//! assert_eq!(json::object(&[("x", Some("a\"b")), ("label", None)]), r#"{"x":"a\"b","label":null}"#);
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// How deeply arrays and objects may nest. A reply chain of 20,000 comments is about 40,000 levels;
/// deeper text is refused rather than held (each open level costs about 64 bytes while parsing).
pub const MAX_DEPTH: usize = 100_000;

/// A parsed JSON value. Strings without escapes borrow from the parsed text; numbers are kept as
/// their (valid) text, read by whoever knows what they mean (the contract's counts: `lenient.rs`).
/// Dropping a tree never recurses; `Debug` and `==` do (for tests: not on an untrusted deep tree).
/// Being `Drop`, a value is taken apart with [`Decode`] (`String::decode`…), [`Json::into_array`]
/// and [`Json::into_object`], not by moving out of it in a `match`. [`Json::Number`] holds what
/// [`parse`] checked; one made by hand is checked again by whoever reads it.
#[derive(Debug, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    Number(&'a str),
    String(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    /// In the text's order, repeated keys included.
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

/// Dropped without recursion: a tree thousands deep would otherwise overflow the stack as it goes.
impl Drop for Json<'_> {
    fn drop(&mut self) {
        let mut todo = match self {
            Json::Array(items) if items.iter().any(Json::is_nested) => std::mem::take(items),
            Json::Object(entries) if entries.iter().any(|(_, v)| v.is_nested()) => {
                std::mem::take(entries).into_iter().map(|(_, v)| v).collect()
            }
            _ => return,
        };
        while let Some(mut json) = todo.pop() {
            match &mut json {
                Json::Array(items) => todo.append(items),
                Json::Object(entries) => todo.extend(std::mem::take(entries).into_iter().map(|(_, v)| v)),
                _ => {}
            }
        }
    }
}

impl<'a> Json<'a> {
    fn is_nested(&self) -> bool {
        matches!(self, Json::Array(items) if !items.is_empty())
            || matches!(self, Json::Object(entries) if !entries.is_empty())
    }

    /// What this value is, for error messages.
    fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    /// The items of an array.
    pub fn into_array(mut self, what: &str) -> Result<Vec<Json<'a>>, Error> {
        match &mut self {
            Json::Array(items) => Ok(std::mem::take(items)),
            other => Err(Error::expected(what, other)),
        }
    }

    /// The entries of an object, in the text's order.
    pub fn into_object(mut self, what: &str) -> Result<Vec<(Cow<'a, str>, Json<'a>)>, Error> {
        match &mut self {
            Json::Object(entries) => Ok(std::mem::take(entries)),
            other => Err(Error::expected(what, other)),
        }
    }
}

/// Why a text is not the JSON expected: a message such as "missing field `title`".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(String);

impl Error {
    pub fn new(message: impl Into<String>) -> Error {
        Error(message.into())
    }

    // The error paths are cold and out of line: each field's decoding inlines only its happy path
    // (measured: 0.7 KB of raw wasm less).
    /// "expected `what`, found" what `found` is.
    #[cold]
    #[inline(never)]
    pub fn expected(what: &str, found: &Json<'_>) -> Error {
        Error(format!("expected {what}, found {}", found.kind()))
    }

    /// The same error, said to be at `field`.
    #[cold]
    #[inline(never)]
    pub fn at(self, field: &str) -> Error {
        Error(format!("`{field}`: {}", self.0))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// A type read from a [`Json`] tree.
pub trait Decode: Sized {
    fn decode(json: Json<'_>) -> Result<Self, Error>;
}

/// Parses `text` and decodes it as `T`.
pub fn from_str<T: Decode>(text: &str) -> Result<T, Error> {
    T::decode(parse(text)?)
}

impl Decode for String {
    fn decode(mut json: Json<'_>) -> Result<String, Error> {
        match &mut json {
            Json::String(s) => Ok(std::mem::take(s).into_owned()),
            other => Err(Error::expected("a string", other)),
        }
    }
}

impl Decode for bool {
    fn decode(json: Json<'_>) -> Result<bool, Error> {
        match json {
            Json::Bool(b) => Ok(b),
            other => Err(Error::expected("a boolean", &other)),
        }
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(json: Json<'_>) -> Result<Vec<T>, Error> {
        json.into_array("an array")?.into_iter().map(T::decode).collect()
    }
}

/// `null` is `None`.
impl<T: Decode> Decode for Option<T> {
    fn decode(json: Json<'_>) -> Result<Option<T>, Error> {
        match json {
            Json::Null => Ok(None),
            json => T::decode(json).map(Some),
        }
    }
}

/// An object of strings; a repeated key keeps its last value (as serde's maps do). An error does
/// not quote the key: it is the text's, not a field name.
impl Decode for BTreeMap<String, String> {
    fn decode(json: Json<'_>) -> Result<BTreeMap<String, String>, Error> {
        let mut map = BTreeMap::new();
        for (key, value) in json.into_object("an object")? {
            map.insert(key.into_owned(), String::decode(value)?);
        }
        Ok(map)
    }
}

/// An object's fields, read as serde's derive reads a struct: unknown fields are ignored, a known
/// field given twice is refused, a missing or `null` optional field is `None`.
pub struct Fields<'a> {
    entries: Vec<(Cow<'a, str>, Json<'a>)>,
}

impl<'a> Fields<'a> {
    /// The fields of `json`, which must be an object (`what` names it in the error otherwise).
    pub fn of(json: Json<'a>, what: &str) -> Result<Fields<'a>, Error> {
        Ok(Fields { entries: json.into_object(what)? })
    }

    /// Takes `key`'s value out, if it is there once (refused when it is there twice); a second take
    /// of the same key finds `null`.
    #[inline(never)]
    pub fn take(&mut self, key: &str) -> Result<Option<Json<'a>>, Error> {
        let mut found = None;
        for (k, v) in &mut self.entries {
            if k == key {
                if found.is_some() {
                    return Err(Error(format!("duplicate field `{key}`")));
                }
                found = Some(std::mem::replace(v, Json::Null));
            }
        }
        Ok(found)
    }

    /// A field that must be there.
    pub fn required<T: Decode>(&mut self, key: &str) -> Result<T, Error> {
        self.required_with(key, T::decode)
    }

    /// A field that must be there, read with `decode` (such as the contract's counts).
    pub fn required_with<T>(
        &mut self,
        key: &str,
        decode: impl FnOnce(Json<'a>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        decode(self.must(key)?).map_err(|e| e.at(key))
    }

    #[inline(never)]
    fn must(&mut self, key: &str) -> Result<Json<'a>, Error> {
        self.take(key)?.ok_or_else(|| Error(format!("missing field `{key}`")))
    }

    /// A field that may be missing or `null`.
    pub fn optional<T: Decode>(&mut self, key: &str) -> Result<Option<T>, Error> {
        self.take(key)?.map_or(Ok(None), |json| Option::<T>::decode(json).map_err(|e| e.at(key)))
    }

    /// A field that may be missing (then `default`), read with `decode`.
    pub fn or_with<T>(
        &mut self,
        key: &str,
        default: T,
        decode: impl FnOnce(Json<'a>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.take(key)?.map_or(Ok(default), |json| decode(json).map_err(|e| e.at(key)))
    }
}

// ---- Writing ---------------------------------------------------------------------------------------

/// A type the widget sends as JSON.
pub trait ToJson {
    fn to_json(&self) -> String;
}

/// A flat object of string fields, `None` written as `null`: every body the widget sends has this
/// shape. The output is byte for byte serde_json's for the same struct.
pub fn object(fields: &[(&str, Option<&str>)]) -> String {
    let mut out = String::from("{");
    for (i, (key, value)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_string(&mut out, key);
        out.push(':');
        match value {
            Some(value) => push_string(&mut out, value),
            None => out.push_str("null"),
        }
    }
    out.push('}');
    out
}

/// Writes `s` as a JSON string, escaping as serde_json does: quotes, backslashes and control
/// characters; everything else as is.
pub fn push_string(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

// ---- Parsing ---------------------------------------------------------------------------------------

/// Parses a whole JSON text (whitespace around it allowed, nothing else).
pub fn parse(text: &str) -> Result<Json<'_>, Error> {
    let mut p = Parser { text, bytes: text.as_bytes(), at: 0 };
    let json = p.value()?;
    p.skip_whitespace();
    if p.at < p.bytes.len() {
        return Err(p.error("trailing characters"));
    }
    Ok(json)
}

/// A closed array's items or object's entries, without the room the vector grew when more than half
/// of it is empty: a text of many small arrays (`[[0],[0],…]`) would otherwise hold 4 slots for
/// each, while a comment's object (10 fields in 16 slots) is not copied again.
fn closed<T>(items: &mut Vec<T>) -> Vec<T> {
    let mut items = std::mem::take(items);
    if items.capacity() > 2 * items.len() {
        items.shrink_to_fit();
    }
    items
}

/// An array or object being read: its items so far (and, in an object, the key of the next value).
enum Open<'a> {
    Array(Vec<Json<'a>>),
    Object(Vec<(Cow<'a, str>, Json<'a>)>, Cow<'a, str>),
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, what: &str) -> Error {
        Error(format!("{what} at byte {}", self.at))
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.bytes.get(self.at), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.at += 1;
        }
    }

    /// The next significant byte, consumed.
    fn next(&mut self) -> Option<u8> {
        self.skip_whitespace();
        let b = self.bytes.get(self.at).copied();
        if b.is_some() {
            self.at += 1;
        }
        b
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.bytes.get(self.at).copied()
    }

    /// One value, its nested arrays and objects on an explicit stack.
    fn value(&mut self) -> Result<Json<'a>, Error> {
        let mut open: Vec<Open<'a>> = Vec::new();
        loop {
            // A value starts here (an item, an object's value, or the whole text).
            let mut value = match self.next() {
                Some(b'[' | b'{') if open.len() >= MAX_DEPTH => return Err(self.back("nested too deep")),
                Some(b'[') => {
                    if self.peek() == Some(b']') {
                        self.at += 1;
                        Json::Array(Vec::new())
                    } else {
                        open.push(Open::Array(Vec::new()));
                        continue;
                    }
                }
                Some(b'{') => {
                    if self.peek() == Some(b'}') {
                        self.at += 1;
                        Json::Object(Vec::new())
                    } else {
                        let key = self.key()?;
                        open.push(Open::Object(Vec::new(), key));
                        continue;
                    }
                }
                Some(b'"') => Json::String(self.string()?),
                Some(b't') => self.word("rue", Json::Bool(true))?,
                Some(b'f') => self.word("alse", Json::Bool(false))?,
                Some(b'n') => self.word("ull", Json::Null)?,
                Some(b'-' | b'0'..=b'9') => {
                    self.at -= 1;
                    Json::Number(self.number()?)
                }
                Some(_) => return Err(self.back("expected a value")),
                None => return Err(self.error("unexpected end")),
            };
            // The value is whole: add it to what is open, closing what it completes.
            loop {
                let Some(top) = open.last_mut() else { return Ok(value) };
                let closing = match top {
                    Open::Array(items) => {
                        items.push(value);
                        match self.next() {
                            Some(b',') => None,
                            Some(b']') => Some(Json::Array(closed(items))),
                            _ => return Err(self.back("expected `,` or `]`")),
                        }
                    }
                    Open::Object(entries, key) => {
                        entries.push((std::mem::take(key), value));
                        match self.next() {
                            Some(b',') => {
                                *key = self.key()?;
                                None
                            }
                            Some(b'}') => Some(Json::Object(closed(entries))),
                            _ => return Err(self.back("expected `,` or `}`")),
                        }
                    }
                };
                match closing {
                    Some(closed) => {
                        open.pop();
                        value = closed;
                    }
                    None => break,
                }
            }
        }
    }

    /// An error about the byte just consumed.
    fn back(&mut self, what: &str) -> Error {
        self.at = self.at.saturating_sub(1);
        self.error(what)
    }

    /// An object's key and its colon.
    fn key(&mut self) -> Result<Cow<'a, str>, Error> {
        if self.next() != Some(b'"') {
            return Err(self.back("expected a key"));
        }
        let key = self.string()?;
        if self.next() != Some(b':') {
            return Err(self.back("expected `:`"));
        }
        Ok(key)
    }

    fn word(&mut self, rest: &str, value: Json<'a>) -> Result<Json<'a>, Error> {
        if self.bytes.get(self.at..).is_some_and(|b| b.starts_with(rest.as_bytes())) {
            self.at += rest.len();
            Ok(value)
        } else {
            Err(self.back("expected a value"))
        }
    }

    /// A number's text, checked against JSON's grammar.
    fn number(&mut self) -> Result<&'a str, Error> {
        let start = self.at;
        let digits = |p: &mut Parser<'a>| {
            let from = p.at;
            while matches!(p.bytes.get(p.at), Some(b'0'..=b'9')) {
                p.at += 1;
            }
            p.at - from
        };
        if self.bytes.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        let whole = self.at;
        match digits(self) {
            0 => return Err(self.error("expected a digit")),
            n if n > 1 && self.bytes[whole] == b'0' => return Err(self.error("leading zero")),
            _ => {}
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if digits(self) == 0 {
                return Err(self.error("expected a digit"));
            }
        }
        if matches!(self.bytes.get(self.at), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.bytes.get(self.at), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if digits(self) == 0 {
                return Err(self.error("expected a digit"));
            }
        }
        Ok(&self.text[start..self.at])
    }

    /// A string's contents, its opening quote consumed: borrowed when it has no escape.
    fn string(&mut self) -> Result<Cow<'a, str>, Error> {
        let start = self.at;
        let mut owned: Option<String> = None;
        let mut run = start;
        loop {
            match self.bytes.get(self.at) {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    let tail = &self.text[run..self.at];
                    self.at += 1;
                    return Ok(match owned {
                        None => Cow::Borrowed(tail),
                        Some(mut s) => {
                            s.push_str(tail);
                            Cow::Owned(s)
                        }
                    });
                }
                Some(b'\\') => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[run..self.at]);
                    self.at += 1;
                    let escaped = match self.bytes.get(self.at) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.at += 1;
                            // Leaves `at` past its digits.
                            s.push(self.unicode_escape()?);
                            run = self.at;
                            continue;
                        }
                        _ => return Err(self.error("invalid escape")),
                    };
                    s.push(escaped);
                    self.at += 1;
                    run = self.at;
                }
                Some(0..=0x1f) => return Err(self.error("control character in a string")),
                Some(_) => self.at += 1,
            }
        }
    }

    /// `XXXX` after `\u`, with the low half after a high surrogate.
    fn unicode_escape(&mut self) -> Result<char, Error> {
        let high = self.hex4()?;
        let code = match high {
            0xd800..=0xdbff => {
                if !self.bytes.get(self.at..).is_some_and(|b| b.starts_with(b"\\u")) {
                    return Err(self.error("lone leading surrogate"));
                }
                self.at += 2;
                let low = self.hex4()?;
                if !(0xdc00..=0xdfff).contains(&low) {
                    return Err(self.error("invalid low surrogate"));
                }
                0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00)
            }
            0xdc00..=0xdfff => return Err(self.error("lone trailing surrogate")),
            code => code,
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid escape"))
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = self.bytes.get(self.at).and_then(|&b| char::from(b).to_digit(16));
            code = code * 16 + digit.ok_or_else(|| self.error("invalid \\u escape"))?;
            self.at += 1;
        }
        Ok(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::RngSeed;
    use serde_json::Value;

    /// The tree as serde_json's `Value` (an object's repeated key keeps its last value, as there).
    fn to_value(json: &Json<'_>) -> Value {
        match json {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => serde_json::from_str(n).unwrap_or(Value::Null),
            Json::String(s) => Value::String(s.to_string()),
            Json::Array(items) => Value::Array(items.iter().map(to_value).collect()),
            Json::Object(entries) => Value::Object(entries.iter().map(|(k, v)| (k.to_string(), to_value(v))).collect()),
        }
    }

    /// Whether `parse` and serde_json agree on `text`: both refuse it, or both read the same value.
    /// serde_json also refuses what nests deeper than 128 levels (the generators below stay well
    /// within), and numbers beyond an f64.
    fn agrees(text: &str) -> Result<(), TestCaseError> {
        match (parse(text), serde_json::from_str::<Value>(text)) {
            (Ok(ours), Ok(theirs)) => prop_assert_eq!(to_value(&ours), theirs, "{:?}", text),
            (Err(_), Err(_)) => {}
            // A damaged exponent can take a number past an f64: we read its digits (`lenient.rs`).
            (Ok(_), Err(e)) if e.to_string().starts_with("number out of range") => {
                prop_assert!(exponents_past_f64(text), "{text:?}: {e}");
            }
            (ours, theirs) => prop_assert!(false, "{text:?}: ours {ours:?}, serde_json {theirs:?}"),
        }
        Ok(())
    }

    /// Whether `text` has a number with an exponent of three digits or more.
    fn exponents_past_f64(text: &str) -> bool {
        let b = text.as_bytes();
        (0..b.len()).filter(|&i| matches!(b[i], b'e' | b'E')).any(|i| {
            let start = i + 1 + usize::from(matches!(b.get(i + 1), Some(b'+' | b'-')));
            b.get(start..).is_some_and(|rest| rest.iter().take_while(|d| d.is_ascii_digit()).count() >= 3)
        })
    }

    #[test]
    fn reads_every_kind_of_value() {
        let text = r#" {"a": [1, -2.5e3, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", {}, []], "a": {"b": "c"}} "#;
        let json = parse(text).unwrap();
        assert_eq!(
            to_value(&json),
            serde_json::json!({"a": {"b": "c"}}),
            "a repeated key: the last one, as serde_json"
        );
        let Json::Object(entries) = &json else { panic!("an object") };
        let Json::Array(items) = &entries[0].1 else { panic!("an array") };
        assert_eq!(items[1], Json::Number("-2.5e3"));
        assert_eq!(items[5], Json::String("x\"\\/\u{8}\u{c}\n\r\té😀".into()));
        assert!(matches!(entries[1].1, Json::Object(ref o) if matches!(o[0].1, Json::String(Cow::Borrowed("c")))));
    }

    #[test]
    fn refuses_what_serde_json_refuses() {
        for text in [
            "",
            " ",
            "[",
            "]",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{a:1}",
            "01",
            "-",
            "1.",
            ".5",
            "+1",
            "1e",
            "1e+",
            "--1",
            "tru",
            "nul",
            "[1 2]",
            "\"abc",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud800\\u0041\"",
            "\"a\u{1}b\"",
            "\u{feff}{}",
            "{} {}",
            "[]]",
            "{\"a\":}",
            "NaN",
            "Infinity",
        ] {
            assert!(parse(text).is_err(), "{text:?} parsed");
            assert!(serde_json::from_str::<Value>(text).is_err(), "serde_json read {text:?}");
        }
    }

    #[test]
    fn any_depth_parses_and_drops_without_recursion() {
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        drop(parse(&deep).unwrap());
        let deeper = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(parse(&deeper).unwrap_err().to_string().contains("nested too deep"));
        let objects = format!("{}1{}", "{\"a\":".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
        drop(parse(&objects).unwrap());
        // Unclosed: refused, and what was read is dropped without recursion too.
        assert!(parse(&"[{\"a\":".repeat(MAX_DEPTH / 2)).is_err());
        let complete = format!("{}{}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        assert!(parse(&format!("[{complete},")).is_err(), "a deep tree read before the text breaks off");
    }

    #[test]
    fn fields_read_as_serde_derive_does() {
        let mut f = Fields::of(parse(r#"{"a": "1", "b": null, "a2": 2, "d": 1, "d": 2}"#).unwrap(), "x").unwrap();
        assert_eq!(f.required::<String>("a"), Ok("1".into()));
        assert_eq!(f.optional::<String>("b"), Ok(None));
        assert_eq!(f.optional::<String>("c"), Ok(None));
        assert_eq!(f.required::<String>("c"), Err(Error::new("missing field `c`")));
        assert_eq!(f.required::<String>("a2"), Err(Error::new("`a2`: expected a string, found a number")));
        assert_eq!(f.take("d").unwrap_err(), Error::new("duplicate field `d`"));
        assert!(Fields::of(parse("[]").unwrap(), "a point").is_err());
        let map: BTreeMap<String, String> = from_str(r#"{"k": "1", "k": "2", "j": "3"}"#).unwrap();
        assert_eq!(map, BTreeMap::from([("j".into(), "3".into()), ("k".into(), "2".into())]));
        assert!(from_str::<BTreeMap<String, String>>(r#"{"k": 1}"#).is_err());
    }

    /// From a fixed seed (the same cases every run), or a random one (a failure is kept in
    /// `proptest-regressions/`), as `tests/hostile.rs` runs its properties.
    fn config(seed: Option<u64>, cases: u32) -> ProptestConfig {
        match seed {
            Some(seed) => ProptestConfig {
                cases,
                rng_seed: RngSeed::Fixed(seed),
                failure_persistence: None,
                ..ProptestConfig::default()
            },
            None => ProptestConfig::with_cases(cases),
        }
    }

    /// Strings with what needs escaping: quotes, backslashes, every control character, DEL, and
    /// characters beyond ASCII (U+2028, an emoji).
    fn raw_strings() -> impl Strategy<Value = String> {
        prop_oneof![any::<String>(), "[\\x00-\\x20\"\\\\a-zé😀\u{7f}\u{2028}]*"]
    }

    /// JSON texts, valid ones mostly, with their numbers inside an f64's range.
    fn texts() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("null".to_owned()),
            any::<bool>().prop_map(|b| b.to_string()),
            "-?(0|[1-9][0-9]{0,18})(\\.[0-9]{1,8})?([eE][+-]?[0-9]{1,2})?",
            raw_strings().prop_map(|s| serde_json::to_string(&s).unwrap()),
            // Escapes, surrogate pairs among them (and, damaged below, lone halves).
            "\"([^\"\\\\\\x00-\\x1f]|\\\\[\"\\\\/bfnrt]|\\\\u[0-9a-fA-F]{4}|\\\\u[dD][89abAB][0-9a-f]{2}\\\\u[dD][c-fC-F][0-9a-f]{2})*\"",
        ];
        let value = leaf.prop_recursive(6, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(|v| format!("[{}]", v.join(","))),
                prop::collection::vec(("[a-c]{1,2}", inner), 0..6).prop_map(|v| {
                    let entries: Vec<String> = v.iter().map(|(k, v)| format!("\"{k}\" : {v}")).collect();
                    format!("{{ {} }}", entries.join(" ,\n"))
                }),
            ]
        });
        // Then maybe damaged: a byte cut out, or a stray one put in.
        (
            value,
            any::<prop::sample::Index>(),
            prop_oneof![Just(None), Just(Some(None)), "[\\[\\]{},:\"\\\\0-9a-z ]".prop_map(Some).prop_map(Some)],
        )
            .prop_map(|(text, at, damage)| {
                let mut at = at.index(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                match damage {
                    None => text,
                    Some(None) => {
                        let next = text[at..].chars().next().map_or(0, char::len_utf8);
                        format!("{}{}", &text[..at], &text[at + next..])
                    }
                    Some(Some(extra)) => format!("{}{extra}{}", &text[..at], &text[at..]),
                }
            })
    }

    fn writes_as_serde_json(s: &str) -> Result<(), TestCaseError> {
        let mut ours = String::new();
        push_string(&mut ours, s);
        prop_assert_eq!(ours, serde_json::to_string(s).unwrap());
        Ok(())
    }

    proptest! {
        #![proptest_config(config(Some(20_261_128), 2_000))]
        #[test]
        fn reads_as_serde_json_from_a_fixed_seed(text in texts()) { agrees(&text)?; }
        #[test]
        fn writes_strings_as_serde_json_from_a_fixed_seed(s in raw_strings()) { writes_as_serde_json(&s)?; }
    }

    proptest! {
        #![proptest_config(config(None, 500))]
        #[test]
        fn reads_as_serde_json(text in texts()) { agrees(&text)?; }
        #[test]
        fn writes_strings_as_serde_json(s in raw_strings()) { writes_as_serde_json(&s)?; }
    }
}
