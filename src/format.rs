//! How values read on screen: reaction labels and names, counts and dates.

use wasm_bindgen::JsValue;

/// The visible label of a reaction kind: 👍 for `like`, 👎 for `dislike`, the kind itself otherwise.
pub fn reaction_label(kind: &str) -> String {
    match kind {
        "like" => "👍".into(),
        "dislike" => "👎".into(),
        other => other.into(),
    }
}

/// The spoken name of a reaction kind: "Like", "Dislike", or the kind with a capital letter.
pub fn reaction_name(kind: &str) -> String {
    let mut chars = kind.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars.map(|c| if c == '_' { ' ' } else { c })).collect(),
        None => String::new(),
    }
}

/// The accessible name of a reaction button, e.g. "Like, 8 reactions".
pub fn reaction_button_name(kind: &str, count: u64) -> String {
    let noun = if count == 1 { "reaction" } else { "reactions" };
    format!("{}, {count} {noun}", reaction_name(kind))
}

/// "Comments (3)".
pub fn comments_heading(total: u64) -> String {
    format!("Comments ({total})")
}

/// A date as the page's locale writes it ("November 20, 2026"); the input itself when it is not a
/// date the browser understands. Browser only.
pub fn long_date(iso: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(iso));
    if date.get_time().is_nan() {
        return iso.to_owned();
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"long".into());
    // An empty locale list means the browser's own locale, and cannot throw.
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &options);
    format
        .format()
        .call1(&JsValue::UNDEFINED, &date)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| iso.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_names() {
        assert_eq!(reaction_label("like"), "👍");
        assert_eq!(reaction_label("dislike"), "👎");
        assert_eq!(reaction_label("heart"), "heart");
        assert_eq!(reaction_name("like"), "Like");
        assert_eq!(reaction_name("thumbs_up"), "Thumbs up");
        assert_eq!(reaction_name(""), "");
        assert_eq!(reaction_button_name("like", 8), "Like, 8 reactions");
        assert_eq!(reaction_button_name("dislike", 1), "Dislike, 1 reaction");
        assert_eq!(reaction_button_name("dislike", 0), "Dislike, 0 reactions");
        assert_eq!(comments_heading(0), "Comments (0)");
    }
}
