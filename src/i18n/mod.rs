//! Every string a reader sees, by key, in English, German, French and Arabic (a file each). The
//! language is `data-locale`, else the page's `<html lang>`, else English; `data-strings` overrides
//! single strings. Plural forms are keys ending in `.one`/`.other` (and any other CLDR category),
//! chosen by `Intl.PluralRules`.
//!
//! English (`en.rs`) is compiled in: every message has its text there. The other languages are JSON
//! files (`de.json`, `fr.json`, `ar.json`, a key → text object each), so that the embed bundle need
//! not carry them: `scripts/bundle.sh` builds the wasm without the `catalogues` feature and ships
//! each file beside it (`article-widget.de.json`), and the loader fetches the one a widget's language
//! needs, alongside the wasm, and hands it over with [`add_catalogue`] (unless a server-rendered
//! fragment brings the texts: [`crate::ssr::TEXTS_DATA`]). With the feature (the default: Rust
//! pages, the server render, Trunk), they are compiled in.
//!
//! Notes on the catalogues:
//! - French: a narrow no-break space (U+202F) stands before `:`, `!` and `?`, so that they never
//!   wrap onto a line of their own. `Intl.PluralRules` for French says `one` for 0 and 1.
//! - Arabic is written right to left. Plural messages have all six CLDR forms that
//!   `Intl.PluralRules` gives for Arabic: `zero`, `one`, `two`, `few` (3–10), `many` (11–99) and
//!   `other` (100 and up). Forms whose wording says the number (one, two) leave `{count}` out, except
//!   in a reaction's name: it must contain the count the button shows (WCAG 2.5.3, label in name).

use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError, RwLock};

use crate::api::ApiError;

/// Declares [`Msg`]: one variant per message, with its catalogue key.
macro_rules! messages {
    ($($variant:ident = $key:literal,)*) => {
        /// A message of the catalogue, by name: a key that does not exist does not compile. Plural
        /// messages (used with [`Strings::plural`]) have `.one`/`.other` (and other CLDR) forms in
        /// the catalogues. `every_message_is_in_every_catalogue` checks both catalogues hold them all.
        ///
        /// ## Usage
        /// ```
        /// use article_widget::i18n::{Msg, Strings};
        /// let strings = Strings::default();
        /// assert_eq!(strings.get(Msg::CommentsEmpty), "Be the first to comment!");
        /// assert_eq!(strings.plural_with(Msg::CommentHide, "one", &[("count", "1")]), "Hide 1 reply");
        /// assert_eq!(Msg::CommentsEmpty.key(), "comments.empty");
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Msg {
            $($variant,)*
        }

        impl Msg {
            /// Every message.
            pub const ALL: &'static [Msg] = &[$(Msg::$variant,)*];

            /// Its key in the catalogues and in `data-strings` (without a plural suffix).
            pub fn key(self) -> &'static str {
                match self {
                    $(Msg::$variant => $key,)*
                }
            }
        }
    };
}

messages! {
    ArticleLoading = "article.loading",
    ArticleError = "article.error",
    ArticleBy = "article.by",
    ArticleUpdated = "article.updated",
    ArticleTags = "article.tags",
    ReactionsGroup = "reactions.group",
    ReactionsButton = "reactions.button",
    ReactionsError = "reactions.error",
    ReactionLike = "reaction.like",
    ReactionDislike = "reaction.dislike",
    CommentsTitle = "comments.title",
    CommentsHeading = "comments.heading",
    CommentsCount = "comments.count",
    CommentsLoading = "comments.loading",
    CommentsError = "comments.error",
    CommentsMoreError = "comments.more.error",
    CommentsEmpty = "comments.empty",
    CommentsMore = "comments.more",
    CommentsMoreLoading = "comments.more.loading",
    CommentsSort = "comments.sort",
    SortOldest = "sort.oldest",
    SortNewest = "sort.newest",
    SortTop = "sort.top",
    CommentsNew = "comments.new",
    CommentsNewShow = "comments.new.show",
    CommentReply = "comment.reply",
    CommentEdited = "comment.edited",
    CommentInReplyTo = "comment.in_reply_to",
    CommentHide = "comment.hide",
    CommentShow = "comment.show",
    CommentMoreReplies = "comment.more_replies",
    CommentMoreRepliesError = "comment.more_replies.error",
    CommentEdit = "comment.edit",
    CommentDelete = "comment.delete",
    CommentDeleted = "comment.deleted",
    CommentReport = "comment.report",
    CommentReported = "comment.reported",
    EditLabel = "edit.label",
    EditSave = "edit.save",
    EditSaving = "edit.saving",
    EditFailed = "edit.failed",
    EditSaved = "edit.saved",
    EditClosed = "edit.closed",
    EditForbidden = "edit.forbidden",
    EditUnsupported = "edit.unsupported",
    EditOpen = "edit.open",
    CommentGone = "comment.gone",
    DeleteConfirm = "delete.confirm",
    DeleteKeep = "delete.keep",
    DeleteDeleting = "delete.deleting",
    DeleteFailed = "delete.failed",
    DeleteDone = "delete.done",
    ReportLegend = "report.legend",
    ReportSpam = "report.spam",
    ReportAbuse = "report.abuse",
    ReportOffTopic = "report.off_topic",
    ReportOther = "report.something_else",
    ReportNote = "report.note",
    ReportSend = "report.send",
    ReportThanks = "report.thanks",
    ReportChoose = "report.choose",
    ReportNoteLong = "report.note_long",
    ReportUnsupported = "report.unsupported",
    PostSending = "post.sending",
    PostFailed = "post.failed",
    PostPosted = "post.posted",
    PostPostedReply = "post.posted_reply",
    Retry = "retry",
    ComposerName = "composer.name",
    ComposerComment = "composer.comment",
    ComposerReply = "composer.reply",
    ComposerPost = "composer.post",
    ComposerPostReply = "composer.post_reply",
    ComposerPosting = "composer.posting",
    ComposerWait = "composer.wait",
    ComposerCancel = "composer.cancel",
    ComposerLeft = "composer.left",
    ComposerOver = "composer.over",
    ComposerUnsaved = "composer.unsaved",
    WidgetStopped = "widget.stopped",
    WidgetReload = "widget.reload",
    ComposerNotSent = "composer.not_sent",
    InvalidNameEmpty = "invalid.name.empty",
    InvalidNameLong = "invalid.name.long",
    InvalidBodyEmpty = "invalid.body.empty",
    InvalidBodyLong = "invalid.body.long",
    ErrorNetwork = "error.network",
    ErrorTimeout = "error.timeout",
    ErrorStatus = "error.status",
    ErrorFormat = "error.format",
    ErrorBusy = "error.busy",
    ErrorRate = "error.rate",
}

/// The CLDR plural categories a plural message may have a form for.
const CATEGORIES: &[&str] = &["zero", "one", "two", "few", "many", "other"];

/// The language subtag of a locale, lower case (`de` of `de-AT`).
pub(crate) fn language(locale: &str) -> String {
    locale.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase()
}

/// The writing direction of a locale's language: `rtl` for the right-to-left scripts (Arabic,
/// Hebrew, Persian, Urdu, Pashto, Sindhi, Yiddish, Dhivehi, Kurdish in Arabic script), else `ltr`.
pub fn direction(locale: Option<&str>) -> &'static str {
    let rtl = ["ar", "he", "iw", "fa", "ur", "ps", "sd", "yi", "dv", "ckb"];
    match locale {
        Some(l) if rtl.contains(&language(l).as_str()) => "rtl",
        _ => "ltr",
    }
}

/// Messages with plural forms (`.one`, `.other`, …) rather than one text.
const PLURAL: &[Msg] = &[
    Msg::ErrorBusy,
    Msg::ErrorRate,
    Msg::ReactionsButton,
    Msg::CommentsNew,
    Msg::CommentHide,
    Msg::CommentShow,
    Msg::CommentMoreReplies,
    Msg::ComposerLeft,
    Msg::ComposerOver,
    Msg::CommentEdit,
];

impl Msg {
    /// The label of a sort order.
    pub fn sort(sort: crate::api::Sort) -> Msg {
        match sort {
            crate::api::Sort::Oldest => Msg::SortOldest,
            crate::api::Sort::Newest => Msg::SortNewest,
            crate::api::Sort::Top => Msg::SortTop,
        }
    }

    /// The spoken name of a reaction kind the catalogue knows (`like`, `dislike`).
    pub fn reaction(kind: &str) -> Option<Msg> {
        match kind {
            "like" => Some(Msg::ReactionLike),
            "dislike" => Some(Msg::ReactionDislike),
            _ => None,
        }
    }

    /// What is wrong with a new comment, in the reader's words.
    pub fn invalid(invalid: crate::api::limits::Invalid) -> Msg {
        use crate::api::limits::Invalid;
        match invalid {
            Invalid::NameEmpty => Msg::InvalidNameEmpty,
            Invalid::NameTooLong => Msg::InvalidNameLong,
            Invalid::BodyEmpty => Msg::InvalidBodyEmpty,
            Invalid::BodyTooLong => Msg::InvalidBodyLong,
        }
    }
}

mod en;

use en::EN;

/// A language's texts by full key (a plural form's with its suffix), as in a catalogue file.
type Catalogue = BTreeMap<String, String>;

/// Declares the languages whose catalogue file (`{language}.json`) ships beside `en.rs`, and the
/// files compiled in with the `catalogues` feature.
macro_rules! shipped {
    ($($language:literal),*) => {
        /// The languages whose catalogue file ships (a test checks the folder holds just these).
        const SHIPPED: &[&str] = &[$($language),*];

        /// The catalogue files compiled in, by language.
        #[cfg(feature = "catalogues")]
        const BUILT_IN: &[(&str, &str)] = &[$(($language, include_str!(concat!($language, ".json")))),*];
    };
}

shipped!("de", "fr", "ar");

#[cfg(not(feature = "catalogues"))]
const BUILT_IN: &[(&str, &str)] = &[];

/// The catalogues known so far, with their language: added by [`add_catalogue`], or read from
/// [`BUILT_IN`] on first use. (A few entries: a list costs the wasm less code than a map.)
static CATALOGUES: RwLock<Vec<(String, Arc<Catalogue>)>> = RwLock::new(Vec::new());

/// Reads a catalogue file: a JSON object of texts by key, at least one of them a key
/// [`Strings::is_key`] accepts (so that an error page that happens to be a JSON object of strings is
/// not taken for one). Other keys are never looked up: a file cached from another release, with a
/// message renamed, still serves the others.
fn parse_catalogue(json: &str) -> Option<Catalogue> {
    let texts: Catalogue = contract::json::from_str(json).ok()?;
    texts.keys().any(|key| Strings::is_key(key)).then_some(texts)
}

/// Adds (or replaces) the texts of `language` (`de`, or the language subtag of any locale), from a
/// catalogue file: a JSON object of texts by key, as `src/i18n/de.json`. Widgets made afterwards
/// whose locale is in that language use it; a text it lacks is English. Returns `false`, and adds
/// nothing, when `json` is not such an object (not JSON, or no key that names a text). The
/// embed's loader calls it (as `addCatalogue`, see `mount`) with the file it fetched for a widget's
/// language, or the texts a server-rendered fragment brought ([`crate::ssr::TEXTS_DATA`]).
///
/// ## Usage
/// ```
/// use article_widget::i18n::{add_catalogue, Msg, Strings};
/// assert!(add_catalogue("nl", r#"{"comments.empty": "Schrijf de eerste reactie!"}"#));
/// let strings = Strings::new(Some("nl-BE"), Default::default());
/// assert_eq!(strings.language(), "nl");
/// assert_eq!(strings.get(Msg::CommentsEmpty), "Schrijf de eerste reactie!");
/// assert_eq!(strings.get(Msg::Retry), "Retry", "what the file lacks is English");
/// assert_eq!(strings.plural_with(Msg::CommentHide, "one", &[("count", "1")]), "Hide 1 reply");
/// assert!(!add_catalogue("nl", "not json"));
/// assert!(!add_catalogue("nl", r#"{"message": "Not Found"}"#));
/// ```
pub fn add_catalogue(language: &str, json: &str) -> bool {
    let Some(texts) = parse_catalogue(json) else { return false };
    let language = self::language(language);
    let mut known = CATALOGUES.write().unwrap_or_else(PoisonError::into_inner);
    known.retain(|(l, _)| *l != language);
    known.push((language, Arc::new(texts)));
    true
}

/// The language of `locale` when a catalogue file ships for it but none is available: not compiled
/// in (the embed bundle) and not added (its loader adds it before mounting, a server-rendered
/// fragment in that language brings it, a page that mounts through the glue itself may call
/// `addCatalogue` first). Such a widget is in English.
pub fn missing_catalogue(locale: Option<&str>) -> Option<String> {
    let language = language(locale?);
    (SHIPPED.contains(&language.as_str()) && !has_catalogue(&language)).then_some(language)
}

/// Whether texts of `language` (or of its language subtag: `de-AT` asks for `de`) were added or are
/// compiled in.
pub(crate) fn has_catalogue(language: &str) -> bool {
    catalogue(&self::language(language)).is_some()
}

/// The catalogue of `language`, when one was added or is compiled in.
fn catalogue(language: &str) -> Option<Arc<Catalogue>> {
    let known = CATALOGUES.read().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, texts)) = known.iter().find(|(l, _)| l == language) {
        return Some(texts.clone());
    }
    drop(known);
    let (_, json) = BUILT_IN.iter().find(|(l, _)| *l == language)?;
    let texts = Arc::new(parse_catalogue(json)?);
    // One added meanwhile (on another thread) wins over the built-in.
    let mut known = CATALOGUES.write().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, added)) = known.iter().find(|(l, _)| l == language) {
        return Some(added.clone());
    }
    known.push((language.to_owned(), texts.clone()));
    Some(texts)
}

/// The strings of one widget: a catalogue, the locale for `Intl`, and overrides. Cheap to clone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Strings {
    /// The language's texts; `None`: English.
    catalogue: Option<Arc<Catalogue>>,
    /// The catalogue's language.
    language: Arc<str>,
    locale: Option<Arc<str>>,
    overrides: Arc<BTreeMap<String, String>>,
}

impl Default for Strings {
    /// English, in the page's locale, no overrides.
    fn default() -> Strings {
        Strings { catalogue: None, language: Arc::from("en"), locale: None, overrides: Arc::default() }
    }
}

impl Strings {
    /// The catalogue for `locale`'s language (`de`, `fr`, `ar`, or one added with
    /// [`add_catalogue`]; anything else English), with `overrides`.
    pub fn new(locale: Option<&str>, overrides: BTreeMap<String, String>) -> Strings {
        let found = locale.map(language).and_then(|l| Some((catalogue(&l)?, l)));
        let (catalogue, language) = match found {
            Some((texts, language)) => (Some(texts), Arc::from(language)),
            None => (None, Arc::from("en")),
        };
        Strings { catalogue, language, locale: locale.map(Arc::from), overrides: Arc::new(overrides) }
    }

    /// The language the texts are in (`en`, `de`, `fr`, `ar`, or one added with [`add_catalogue`]):
    /// what the widget's `lang` says, which may differ from the locale numbers and dates follow
    /// (`he` falls back to English texts).
    pub fn language(&self) -> &str {
        &self.language
    }

    /// Whether `key` names a text `data-strings` may override: a one-text message's key, or a plural
    /// form of a plural message (`comments.new.one`, `comments.new.few`, …), never a plural
    /// message's bare key (no text is looked up under it).
    pub fn is_key(key: &str) -> bool {
        let base = CATEGORIES.iter().find_map(|c| key.strip_suffix(c).and_then(|k| k.strip_suffix('.')));
        Msg::ALL.iter().any(|m| {
            let plural = PLURAL.contains(m);
            (!plural && m.key() == key) || (plural && base == Some(m.key()))
        })
    }

    /// The texts of [`Strings::language`] by key, as its catalogue file has them (`None` for
    /// English): what a server render passes on to the widget that takes over from it.
    pub fn catalogue(&self) -> Option<&BTreeMap<String, String>> {
        self.catalogue.as_deref()
    }

    /// The writing direction of the texts' language: `rtl` for Arabic, `ltr` otherwise.
    pub fn direction(&self) -> &'static str {
        direction(Some(&self.language))
    }

    /// The locale to format numbers and dates in, when not the page's.
    pub fn locale(&self) -> Option<&str> {
        self.locale.as_deref()
    }

    /// The message: an override, else this catalogue's, else English (every message is in English:
    /// a test checks it).
    pub fn get(&self, msg: Msg) -> String {
        self.text(msg.key())
    }

    /// The text under a full catalogue key (a plural form's has its suffix): an override, else this
    /// language's, else English.
    fn text(&self, key: &str) -> String {
        self.overrides.get(key).cloned().or_else(|| self.own(key)).or_else(|| english(key)).unwrap_or_default()
    }

    /// The text this language's catalogue has under `key` (English's, for English).
    fn own(&self, key: &str) -> Option<String> {
        match &self.catalogue {
            Some(texts) => texts.get(key).cloned(),
            None => english(key),
        }
    }

    /// The message with each `{name}` replaced by its value.
    pub fn fmt(&self, msg: Msg, args: &[(&str, &str)]) -> String {
        fill(&self.get(msg), args)
    }

    /// The plural form of `msg` for the CLDR `category` (`one`, `other`, …), falling back to `other`:
    /// the form from an override or this language, else their `other`, else English's form (a
    /// catalogue without the message at all), else English's `other`.
    pub fn plural_with(&self, msg: Msg, category: &str, args: &[(&str, &str)]) -> String {
        let (exact, other) = (format!("{}.{category}", msg.key()), format!("{}.other", msg.key()));
        let mine = |key: &str| self.overrides.get(key).cloned().or_else(|| self.own(key));
        let text = mine(&exact)
            .or_else(|| mine(&other))
            .or_else(|| english(&exact))
            .or_else(|| english(&other))
            .unwrap_or_default();
        fill(&text, args)
    }

    /// The plural form of `msg` for `n` in this locale (`Intl.PluralRules`), `{count}` being `n` as
    /// the locale writes it. Browser only.
    pub fn plural(&self, msg: Msg, n: u64, args: &[(&str, &str)]) -> String {
        let count = crate::format::full_count(n, self.locale());
        // English texts (no catalogue for the locale's language, or one that failed to load) take
        // English's plural forms: French's `one` for 0 would read "0 reply". Unless the page gave
        // forms of this message for its own language.
        let given = self.overrides.keys().any(|k| k.strip_prefix(msg.key()).is_some_and(|form| form.starts_with('.')));
        let rules = if self.catalogue.is_none() && !given { Some("en") } else { self.locale() };
        let category = crate::format::plural_category(n, rules);
        let mut all = vec![("count", count.as_str())];
        all.extend_from_slice(args);
        self.plural_with(msg, &category, &all)
    }

    /// What is wrong with a new comment, with the contract's limit where it has one.
    pub fn invalid(&self, invalid: crate::api::limits::Invalid) -> String {
        use crate::api::limits::{Invalid, MAX_BODY_CHARS, MAX_NAME_CHARS};
        let max = match invalid {
            Invalid::NameTooLong => MAX_NAME_CHARS,
            Invalid::BodyTooLong => MAX_BODY_CHARS,
            Invalid::NameEmpty | Invalid::BodyEmpty => 0,
        };
        self.fmt(Msg::invalid(invalid), &[("max", &crate::format::full_count(max as u64, self.locale()))])
    }

    /// Why a post failed: as [`Strings::reason`], but a 429 says the reader is posting too fast.
    pub fn post_reason(&self, e: &ApiError) -> String {
        match e {
            ApiError::Http { status: 429, .. } => self.plural(Msg::ErrorRate, u64::from(e.retry_after_seconds()), &[]),
            _ => self.reason(e),
        }
    }

    /// Why a request failed, as a sentence fragment in this language ("the server could not be
    /// reached."). The server's own message is kept for client errors (it is meant for readers).
    pub fn reason(&self, e: &ApiError) -> String {
        match e {
            ApiError::Network(_) => self.get(Msg::ErrorNetwork),
            ApiError::Timeout => self.get(Msg::ErrorTimeout),
            // A read or a reaction asked to wait: the server is busy (posting too fast is
            // `post_reason`'s to say).
            ApiError::Http { status: 429, .. } => self.plural(Msg::ErrorBusy, u64::from(e.retry_after_seconds()), &[]),
            ApiError::Http { status, message: Some(m), .. } if *status < 500 => m.clone(),
            ApiError::Http { status, .. } => self.fmt(Msg::ErrorStatus, &[("status", &status.to_string())]),
            ApiError::Contract(detail) => self.fmt(Msg::ErrorFormat, &[("detail", detail)]),
        }
    }
}

/// English's text under a full catalogue key.
fn english(key: &str) -> Option<String> {
    EN.iter().find(|(k, _)| *k == key).map(|(_, v)| (*v).to_owned())
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
    #[cfg(feature = "catalogues")]
    fn every_catalogue_has_every_english_key_once_with_the_same_placeholders() {
        let holes = |s: &str| {
            let mut h = s
                .match_indices('{')
                .map(|(i, _)| s[i..].split('}').next().unwrap_or("").to_owned())
                .collect::<Vec<_>>();
            h.sort();
            h
        };
        for (name, json) in BUILT_IN {
            // The file as written: a key twice would be read as its last text.
            let keys: Vec<_> = json.lines().filter_map(|l| l.trim().strip_prefix('"')?.split('"').next()).collect();
            let mut unique = keys.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), keys.len(), "{name}: a key twice");
            let table: Catalogue = serde_json::from_str(json).unwrap();
            assert_eq!(table.len(), keys.len(), "{name}: one entry a line");
            for (key, _) in EN {
                assert!(table.contains_key(*key), "{name} lacks {key}");
            }
            for (key, text) in &table {
                let key = key.as_str();
                assert!(Strings::is_key(key), "{name}: {key} is not a message");
                // The English text of the same message (a plural form: its `other`).
                let base = key.rsplit_once('.').map(|(b, _)| b).unwrap_or(key);
                let english = EN
                    .iter()
                    .find(|(k, _)| *k == key)
                    .or_else(|| EN.iter().find(|(k, _)| *k == format!("{base}.other")));
                let Some((_, english)) = english else { panic!("{name}: {key} has no English") };
                let (mine, theirs) = (holes(text), holes(english));
                // A zero, one or two form may leave {count} out ("one reply"); nothing else differs.
                let says_the_number = [".zero", ".one", ".two"].iter().any(|form| key.ends_with(form));
                let theirs: Vec<_> =
                    theirs.into_iter().filter(|h| mine.contains(h) || !(says_the_number && h == "{count")).collect();
                assert_eq!(mine, theirs, "{name}: {key}");
            }
        }
    }

    #[test]
    fn the_shipped_languages_are_the_catalogue_files() {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/src/i18n");
        let mut files: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .filter_map(|f| f.unwrap().file_name().to_str()?.strip_suffix(".json").map(str::to_owned))
            .collect();
        files.sort();
        let mut shipped = SHIPPED.to_vec();
        shipped.sort();
        assert_eq!(files, shipped);
        assert!(missing_catalogue(Some("en")).is_none() && missing_catalogue(Some("he")).is_none());
        assert_eq!(missing_catalogue(Some("de-AT")).is_none(), cfg!(feature = "catalogues"));
    }

    #[test]
    fn a_catalogue_file_must_name_only_texts() {
        assert!(parse_catalogue(r#"{"retry": "Opnieuw"}"#).is_some());
        assert!(parse_catalogue(r#"{"retry": "Opnieuw", "renamed.later": "x"}"#).is_some(), "another release's file");
        for bad in ["", "[]", "{}", r#"{"retry": 1}"#, r#"{"message": "Not Found"}"#, "<html>404</html>"] {
            assert!(parse_catalogue(bad).is_none(), "{bad}");
        }
    }

    #[test]
    #[cfg(feature = "catalogues")]
    fn languages_and_directions() {
        assert_eq!(Strings::new(Some("fr-CA"), BTreeMap::new()).get(Msg::Retry), "Réessayer");
        let ar = Strings::new(Some("ar-EG"), BTreeMap::new());
        assert_eq!(ar.get(Msg::Retry), "إعادة المحاولة");
        assert_eq!(ar.direction(), "rtl");
        assert_eq!(ar.plural_with(Msg::CommentHide, "few", &[("count", "3")]), "إخفاء 3 ردود");
        assert_eq!(ar.plural_with(Msg::CommentHide, "two", &[("count", "2")]), "إخفاء الردّين");
        assert_eq!(direction(Some("he")), "rtl");
        assert_eq!(direction(Some("de-AT")), "ltr");
        assert_eq!(direction(None), "ltr");
        assert!(Strings::is_key("comments.new.few") && Strings::is_key("comments.empty"));
        assert!(!Strings::is_key("comments.empty.one") && !Strings::is_key("no.such"));
        assert!(!Strings::is_key("comments.new"), "a plural message's bare key has no text");
        assert_eq!(Strings::new(Some("he"), BTreeMap::new()).language(), "en");
        assert_eq!(Strings::new(Some("he"), BTreeMap::new()).direction(), "ltr", "English texts, laid out as English");
    }

    #[test]
    #[cfg(feature = "catalogues")]
    fn every_message_is_in_every_catalogue() {
        let german = BUILT_IN.iter().find(|(l, _)| *l == "de").map(|(_, json)| *json).unwrap();
        let german: Catalogue = serde_json::from_str(german).unwrap();
        let german: Vec<_> = german.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        for table in [EN, &german[..]] {
            let has = |key: &str| table.iter().any(|(k, _)| *k == key);
            for msg in Msg::ALL {
                if PLURAL.contains(msg) {
                    assert!(has(&format!("{}.one", msg.key())) && has(&format!("{}.other", msg.key())), "{msg:?}");
                } else {
                    assert!(has(msg.key()), "{msg:?}");
                }
            }
            // …and every entry is a message.
            for (key, _) in table {
                let base = key.strip_suffix(".one").or_else(|| key.strip_suffix(".other")).unwrap_or(key);
                assert!(Msg::ALL.iter().any(|m| m.key() == base), "{key} has no Msg");
            }
        }
    }

    #[test]
    #[cfg(feature = "catalogues")]
    fn language_overrides_and_plurals() {
        let de = Strings::new(Some("de-AT"), BTreeMap::new());
        assert_eq!(de.get(Msg::CommentsEmpty), "Schreib den ersten Kommentar!");
        assert_eq!(de.fmt(Msg::CommentsHeading, &[("count", "3")]), "Kommentare (3)");
        let en = Strings::new(Some("it"), BTreeMap::new());
        assert_eq!(en.get(Msg::CommentsEmpty), "Be the first to comment!", "English is the fallback");
        let custom = Strings::new(None, [("comments.empty".to_string(), "Say something!".to_string())].into());
        assert_eq!(custom.get(Msg::CommentsEmpty), "Say something!");
        assert_eq!(en.plural_with(Msg::CommentHide, "one", &[("count", "1")]), "Hide 1 reply");
        assert_eq!(en.plural_with(Msg::CommentHide, "other", &[("count", "3")]), "Hide 3 replies");
        assert_eq!(
            en.plural_with(Msg::CommentHide, "few", &[("count", "3")]),
            "Hide 3 replies",
            "unknown categories use other"
        );
    }

    #[test]
    fn a_429_reads_as_busy_for_reads_and_too_fast_for_posts() {
        let en = Strings::default();
        let e = ApiError::Http { status: 429, code: None, message: None, field: None, retry_after: Some(1) };
        assert_eq!(en.reason(&e), "the server is busy. Try again in 1 second.");
        assert_eq!(en.post_reason(&e), "you are posting too fast. You can post again in 1 second.");
        let not_429 = ApiError::Timeout;
        assert_eq!(en.post_reason(&not_429), en.reason(&not_429));
    }

    #[test]
    #[cfg(feature = "catalogues")]
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
            Strings::new(Some("de"), BTreeMap::new()).post_reason(&e),
            "du schreibst zu schnell. In 42 Sekunden kannst du wieder senden."
        );
    }
}
