//! Every string a reader sees, by key, in English and German. The language is `data-locale`, else the
//! page's `<html lang>`, else English; `data-strings` overrides single strings. Plural forms are keys
//! ending in `.one`/`.other` (and any other CLDR category), chosen by `Intl.PluralRules`.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::api::ApiError;

const EN: &[(&str, &str)] = &[
    ("article.loading", "Loading the article…"),
    ("article.error", "Could not load the article: {reason}"),
    ("article.by", "By"),
    ("article.updated", "Updated"),
    ("article.tags", "Tags"),
    ("reactions.group", "Reactions"),
    ("reactions.button.one", "{name}, {count} reaction"),
    ("reactions.button.other", "{name}, {count} reactions"),
    ("reactions.error", "Could not save your reaction: {reason}"),
    ("reaction.like", "Like"),
    ("reaction.dislike", "Dislike"),
    ("comments.title", "Comments"),
    ("comments.heading", "Comments ({count})"),
    ("comments.loading", "Loading comments…"),
    ("comments.error", "Could not load comments: {reason}"),
    ("comments.more.error", "Could not load more comments: {reason}"),
    ("comments.empty", "Be the first to comment!"),
    ("comments.more", "Load more comments"),
    ("comments.more.loading", "Loading…"),
    ("comments.sort", "Sort by"),
    ("sort.oldest", "Oldest"),
    ("sort.newest", "Newest"),
    ("sort.top", "Top"),
    ("comments.new.one", "{count} new comment — "),
    ("comments.new.other", "{count} new comments — "),
    ("comments.new.show", "Show"),
    ("comment.reply", "Reply"),
    ("comment.edited", "(edited)"),
    ("comment.in_reply_to", "in reply to {name}"),
    ("comment.hide.one", "Hide {count} reply"),
    ("comment.hide.other", "Hide {count} replies"),
    ("comment.show.one", "Show {count} reply"),
    ("comment.show.other", "Show {count} replies"),
    ("post.sending", "Sending…"),
    ("post.failed", "Not sent — {reason}"),
    ("retry", "Retry"),
    ("composer.name", "Name"),
    ("composer.comment", "Comment"),
    ("composer.reply", "Reply"),
    ("composer.post", "Post comment"),
    ("composer.post_reply", "Post reply"),
    ("composer.posting", "Posting…"),
    ("composer.wait", "Wait {seconds} s"),
    ("composer.cancel", "Cancel"),
    ("composer.left.one", "{count} character left"),
    ("composer.left.other", "{count} characters left"),
    ("composer.over.one", "{count} character too many"),
    ("composer.over.other", "{count} characters too many"),
    ("composer.not_sent", "Not sent: {reason}"),
    ("invalid.name.empty", "Please enter your name."),
    ("invalid.name.long", "Your name is too long (at most 80 characters)."),
    ("invalid.body.empty", "Please write a comment."),
    ("invalid.body.long", "Your comment is too long (at most 5000 characters)."),
    ("error.network", "the server could not be reached."),
    ("error.timeout", "the server did not answer in time."),
    ("error.status", "the server answered {status}."),
    ("error.format", "the server's answer was not in the expected format ({detail})."),
    ("error.rate", "you are posting too fast. You can post again in {seconds} seconds."),
];

const DE: &[(&str, &str)] = &[
    ("article.loading", "Artikel wird geladen …"),
    ("article.error", "Der Artikel konnte nicht geladen werden: {reason}"),
    ("article.by", "Von"),
    ("article.updated", "Aktualisiert"),
    ("article.tags", "Schlagwörter"),
    ("reactions.group", "Reaktionen"),
    ("reactions.button.one", "{name}, {count} Reaktion"),
    ("reactions.button.other", "{name}, {count} Reaktionen"),
    ("reactions.error", "Deine Reaktion konnte nicht gespeichert werden: {reason}"),
    ("reaction.like", "Gefällt mir"),
    ("reaction.dislike", "Gefällt mir nicht"),
    ("comments.title", "Kommentare"),
    ("comments.heading", "Kommentare ({count})"),
    ("comments.loading", "Kommentare werden geladen …"),
    ("comments.error", "Die Kommentare konnten nicht geladen werden: {reason}"),
    ("comments.more.error", "Weitere Kommentare konnten nicht geladen werden: {reason}"),
    ("comments.empty", "Schreib den ersten Kommentar!"),
    ("comments.more", "Weitere Kommentare laden"),
    ("comments.more.loading", "Wird geladen …"),
    ("comments.sort", "Sortieren nach"),
    ("sort.oldest", "Älteste"),
    ("sort.newest", "Neueste"),
    ("sort.top", "Beliebteste"),
    ("comments.new.one", "{count} neuer Kommentar – "),
    ("comments.new.other", "{count} neue Kommentare – "),
    ("comments.new.show", "Anzeigen"),
    ("comment.reply", "Antworten"),
    ("comment.edited", "(bearbeitet)"),
    ("comment.in_reply_to", "Antwort an {name}"),
    ("comment.hide.one", "{count} Antwort ausblenden"),
    ("comment.hide.other", "{count} Antworten ausblenden"),
    ("comment.show.one", "{count} Antwort einblenden"),
    ("comment.show.other", "{count} Antworten einblenden"),
    ("post.sending", "Wird gesendet …"),
    ("post.failed", "Nicht gesendet – {reason}"),
    ("retry", "Erneut versuchen"),
    ("composer.name", "Name"),
    ("composer.comment", "Kommentar"),
    ("composer.reply", "Antwort"),
    ("composer.post", "Kommentar senden"),
    ("composer.post_reply", "Antwort senden"),
    ("composer.posting", "Wird gesendet …"),
    ("composer.wait", "Noch {seconds} s"),
    ("composer.cancel", "Abbrechen"),
    ("composer.left.one", "Noch {count} Zeichen"),
    ("composer.left.other", "Noch {count} Zeichen"),
    ("composer.over.one", "{count} Zeichen zu viel"),
    ("composer.over.other", "{count} Zeichen zu viel"),
    ("composer.not_sent", "Nicht gesendet: {reason}"),
    ("invalid.name.empty", "Bitte gib deinen Namen ein."),
    ("invalid.name.long", "Dein Name ist zu lang (höchstens 80 Zeichen)."),
    ("invalid.body.empty", "Bitte schreib einen Kommentar."),
    ("invalid.body.long", "Dein Kommentar ist zu lang (höchstens 5000 Zeichen)."),
    ("error.network", "der Server ist nicht erreichbar."),
    ("error.timeout", "der Server hat nicht rechtzeitig geantwortet."),
    ("error.status", "der Server antwortete mit {status}."),
    ("error.format", "die Antwort des Servers hatte nicht das erwartete Format ({detail})."),
    ("error.rate", "du schreibst zu schnell. In {seconds} Sekunden kannst du wieder senden."),
];

/// The strings of one widget: a catalogue, the locale for `Intl`, and overrides. Cheap to clone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Strings {
    catalogue: &'static [(&'static str, &'static str)],
    locale: Option<Arc<str>>,
    overrides: Arc<BTreeMap<String, String>>,
}

impl Default for Strings {
    /// English, in the page's locale, no overrides.
    fn default() -> Strings {
        Strings { catalogue: EN, locale: None, overrides: Arc::default() }
    }
}

impl Strings {
    /// The catalogue for `locale` (`de`, `de-AT`… German; anything else English), with `overrides`.
    pub fn new(locale: Option<&str>, overrides: BTreeMap<String, String>) -> Strings {
        let catalogue = match locale.map(|l| l.to_ascii_lowercase()) {
            Some(l) if l == "de" || l.starts_with("de-") || l.starts_with("de_") => DE,
            _ => EN,
        };
        Strings { catalogue, locale: locale.map(Arc::from), overrides: Arc::new(overrides) }
    }

    /// Every key a catalogue has (all catalogues have the same keys).
    pub fn keys() -> impl Iterator<Item = &'static str> {
        EN.iter().map(|(k, _)| *k)
    }

    /// The locale to format numbers and dates in, when not the page's.
    pub fn locale(&self) -> Option<&str> {
        self.locale.as_deref()
    }

    /// The string `key`: an override, else this catalogue's, else English, else the key itself.
    pub fn get(&self, key: &str) -> String {
        if let Some(s) = self.overrides.get(key) {
            return s.clone();
        }
        let find = |table: &[(&str, &'static str)]| table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        find(self.catalogue).or_else(|| find(EN)).unwrap_or(key).to_owned()
    }

    /// The string `key` with each `{name}` replaced by its value.
    pub fn fmt(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(&self.get(key), args)
    }

    /// The plural form of `key` for the CLDR `category` (`one`, `other`, …), falling back to `other`.
    pub fn plural_with(&self, key: &str, category: &str, args: &[(&str, &str)]) -> String {
        let exact = format!("{key}.{category}");
        let known = self.overrides.contains_key(&exact) || self.catalogue.iter().any(|(k, _)| *k == exact);
        let chosen = if known { exact } else { format!("{key}.other") };
        self.fmt(&chosen, args)
    }

    /// The plural form of `key` for `n` in this locale (`Intl.PluralRules`), `{count}` being `n` as
    /// the locale writes it. Browser only.
    pub fn plural(&self, key: &str, n: u64, args: &[(&str, &str)]) -> String {
        let count = crate::format::full_count(n, self.locale());
        let category = crate::format::plural_category(n, self.locale());
        let mut all = vec![("count", count.as_str())];
        all.extend_from_slice(args);
        self.plural_with(key, &category, &all)
    }

    /// Why a request failed, as a sentence fragment in this language ("the server could not be
    /// reached."). The server's own message is kept for client errors (it is meant for readers).
    pub fn reason(&self, e: &ApiError) -> String {
        match e {
            ApiError::Network(_) => self.get("error.network"),
            ApiError::Timeout => self.get("error.timeout"),
            ApiError::Http { status: 429, retry_after, .. } => {
                self.fmt("error.rate", &[("seconds", &retry_after.unwrap_or(30).to_string())])
            }
            ApiError::Http { status, message: Some(m), .. } if *status < 500 => m.clone(),
            ApiError::Http { status, .. } => self.fmt("error.status", &[("status", &status.to_string())]),
            ApiError::Contract(detail) => self.fmt("error.format", &[("detail", detail)]),
        }
    }
}

fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_have_every_key_once() {
        let en: Vec<_> = EN.iter().map(|(k, _)| *k).collect();
        let de: Vec<_> = DE.iter().map(|(k, _)| *k).collect();
        assert_eq!(en, de, "same keys, same order");
        let mut unique = en.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), en.len());
        // Placeholders match between languages.
        for ((k, e), (_, d)) in EN.iter().zip(DE) {
            let holes = |s: &str| {
                s.match_indices('{').map(|(i, _)| s[i..].split('}').next().unwrap_or("").to_owned()).collect::<Vec<_>>()
            };
            assert_eq!(holes(e), holes(d), "{k}");
        }
    }

    #[test]
    fn language_overrides_and_plurals() {
        let de = Strings::new(Some("de-AT"), BTreeMap::new());
        assert_eq!(de.get("comments.empty"), "Schreib den ersten Kommentar!");
        assert_eq!(de.fmt("comments.heading", &[("count", "3")]), "Kommentare (3)");
        let en = Strings::new(Some("fr"), BTreeMap::new());
        assert_eq!(en.get("comments.empty"), "Be the first to comment!", "English is the fallback");
        let custom = Strings::new(None, [("comments.empty".to_string(), "Say something!".to_string())].into());
        assert_eq!(custom.get("comments.empty"), "Say something!");
        assert_eq!(custom.get("no.such.key"), "no.such.key");
        assert_eq!(en.plural_with("comment.hide", "one", &[("count", "1")]), "Hide 1 reply");
        assert_eq!(en.plural_with("comment.hide", "other", &[("count", "3")]), "Hide 3 replies");
        assert_eq!(
            en.plural_with("comment.hide", "few", &[("count", "3")]),
            "Hide 3 replies",
            "unknown categories use other"
        );
    }

    #[test]
    fn reasons_read_as_sentences() {
        let en = Strings::default();
        assert_eq!(en.reason(&ApiError::Network("x".into())), "the server could not be reached.");
        let e = ApiError::Http {
            status: 502,
            code: None,
            message: Some("internal".into()),
            field: None,
            retry_after: None,
        };
        assert_eq!(en.reason(&e), "the server answered 502.");
        let e = ApiError::Http {
            status: 422,
            code: None,
            message: Some("Please be nicer.".into()),
            field: None,
            retry_after: None,
        };
        assert_eq!(en.reason(&e), "Please be nicer.");
        let e = ApiError::Http { status: 429, code: None, message: None, field: None, retry_after: Some(42) };
        assert_eq!(
            Strings::new(Some("de"), BTreeMap::new()).reason(&e),
            "du schreibst zu schnell. In 42 Sekunden kannst du wieder senden."
        );
    }
}
