//! Every browser API the widget's logic needs, in one small place: storage, page visibility, the
//! clock, randomness, `Intl` ([`intl`]), tasks and timers, and yielding to the browser. Views never
//! call these; the controllers in [`crate::state`] and the formatting in [`crate::format`] do. Each
//! has a native stand-in (nothing stored, no `Intl`, no task run), so the logic around them runs
//! natively, and the components render to HTML on a server, without aborting.
//! (DOM building lives in [`crate::components`].)

use std::time::Duration;

/// A place to keep strings by key.
///
/// ## Usage
/// ```
/// use article_widget::platform::{KeyValue, MemoryStore};
/// let store = MemoryStore::default();
/// assert!(store.set("draft:a", "hello"));
/// assert_eq!(store.get("draft:a").as_deref(), Some("hello"));
/// assert_eq!(store.keys_with_prefix("draft:"), ["draft:a"]);
/// ```
pub trait KeyValue {
    fn get(&self, key: &str) -> Option<String>;
    /// Returns whether the value was stored (a full or disabled storage drops it).
    fn set(&self, key: &str, value: &str) -> bool;
    fn remove(&self, key: &str);
    /// Every key that starts with `prefix`.
    fn keys_with_prefix(&self, prefix: &str) -> Vec<String>;
}

impl<S: KeyValue + ?Sized> KeyValue for &S {
    fn get(&self, key: &str) -> Option<String> {
        (**self).get(key)
    }
    fn set(&self, key: &str, value: &str) -> bool {
        (**self).set(key, value)
    }
    fn remove(&self, key: &str) {
        (**self).remove(key)
    }
    fn keys_with_prefix(&self, prefix: &str) -> Vec<String> {
        (**self).keys_with_prefix(prefix)
    }
}

/// The browser's `localStorage`; where it is unavailable (sandboxed iframes, privacy modes, a full
/// quota, or no browser at all) reads find nothing and writes are dropped, so the widget still works,
/// forgetfully.
#[derive(Clone, Copy, Debug, Default)]
pub struct LocalStorage;

impl LocalStorage {
    fn storage() -> Option<web_sys::Storage> {
        if !cfg!(target_arch = "wasm32") {
            return None;
        }
        web_sys::window()?.local_storage().ok().flatten()
    }
}

impl KeyValue for LocalStorage {
    fn get(&self, key: &str) -> Option<String> {
        Self::storage()?.get_item(key).ok().flatten()
    }
    fn set(&self, key: &str, value: &str) -> bool {
        Self::storage().is_some_and(|s| s.set_item(key, value).is_ok())
    }
    fn remove(&self, key: &str) {
        if let Some(s) = Self::storage() {
            let _ = s.remove_item(key);
        }
    }
    fn keys_with_prefix(&self, prefix: &str) -> Vec<String> {
        let Some(s) = Self::storage() else { return Vec::new() };
        let n = s.length().unwrap_or(0);
        (0..n).filter_map(|i| s.key(i).ok().flatten()).filter(|k| k.starts_with(prefix)).collect()
    }
}

/// An in-memory [`KeyValue`], for tests.
#[derive(Debug, Default)]
pub struct MemoryStore(pub std::cell::RefCell<std::collections::BTreeMap<String, String>>);

impl KeyValue for MemoryStore {
    fn get(&self, key: &str) -> Option<String> {
        self.0.borrow().get(key).cloned()
    }
    fn set(&self, key: &str, value: &str) -> bool {
        self.0.borrow_mut().insert(key.into(), value.into());
        true
    }
    fn remove(&self, key: &str) {
        self.0.borrow_mut().remove(key);
    }
    fn keys_with_prefix(&self, prefix: &str) -> Vec<String> {
        self.0.borrow().keys().filter(|k| k.starts_with(prefix)).cloned().collect()
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    if cfg!(target_arch = "wasm32") {
        js_sys::Date::now()
    } else {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    }
}

/// `c` in capitals ("a" → "A", "ä" → "Ä", "ß" → "SS"). Beyond ASCII, the browser's `toUpperCase`:
/// Rust's own would put its Unicode case table (9 KB) in the wasm, for a letter or two per page.
pub fn upper(c: char) -> String {
    if c.is_ascii() {
        return c.to_ascii_uppercase().to_string();
    }
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(c).to_upper_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        c.to_uppercase().collect()
    }
}

/// `text` case-folded as commonmark.js folds a link label: `toLowerCase()`, then `toUpperCase()`
/// ("ẞ" and "ss" both give "SS"). The browser's, for the reason [`upper`] gives. Markdown's link
/// labels that are not all ASCII match through it (`markdown::parse`).
#[cfg(target_arch = "wasm32")]
pub fn fold_case(text: &str) -> String {
    String::from(js_sys::JsString::from(text).to_lower_case().to_upper_case())
}

/// Whether the page is in a background tab (nothing to refresh for nobody).
pub fn page_hidden() -> bool {
    cfg!(target_arch = "wasm32") && web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden())
}

/// 128 random bits as 32 hex digits, from the browser's CSPRNG. `crypto.getRandomValues` works in
/// insecure contexts too (unlike `crypto.randomUUID`, which would throw on a plain-http host page);
/// where even that is missing, `Math.random` fills in (natively: the clock and a counter, for tests).
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    let filled = cfg!(target_arch = "wasm32")
        && web_sys::window()
            .and_then(|w| w.crypto().ok())
            .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let seed = now_ms().to_bits() ^ COUNTER.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
        for (i, b) in bytes.iter_mut().enumerate() {
            let random = if cfg!(target_arch = "wasm32") { js_sys::Math::random() * 256.0 } else { 0.0 };
            *b = (random as u8) ^ (seed.rotate_left(i as u32 * 8) as u8);
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether focus may be moved without taking it from what the reader is using: it is inside `el`
/// (which is going away), or nowhere (on the page's body, as after the focused element was removed).
pub fn focus_is_free_or_within(el: Option<&web_sys::Element>) -> bool {
    if !cfg!(target_arch = "wasm32") {
        return false;
    }
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return false };
    match document.active_element() {
        None => true,
        Some(active) => {
            document.body().is_some_and(|body| active == *body.as_ref())
                || el.is_some_and(|el| el.contains(Some(active.as_ref())))
        }
    }
}

/// Focuses `el` without scrolling the page to it (the reader may be reading elsewhere).
pub fn focus_without_scrolling(el: &web_sys::HtmlElement) {
    let options = web_sys::FocusOptions::new();
    options.set_prevent_scroll(true);
    let _ = el.focus_with_options(&options);
}

/// The list item of the comment around `el` (a form below or inside it), and the thread's section
/// around that: found by walking up, not by searching the thread.
pub fn comment_item(el: &web_sys::Element) -> Option<(web_sys::Element, Option<web_sys::Element>)> {
    let item = el.closest("li").ok()??;
    let thread = item.closest(".aw-comments").ok().flatten();
    Some((item, thread))
}

/// The comment's element of class `class` (one of its buttons), in its list item `item`.
pub fn comment_part(item: &web_sys::Element, class: &str) -> Option<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    let article = item.query_selector(":scope > article").ok()??;
    article.get_elements_by_class_name(class).item(0)?.dyn_into().ok()
}

/// Focuses the comment of list item `item` (its `<article>`, or its tombstone), or, the comment gone
/// from the page, the heading of `thread`: where the reader is taken when what they were on went
/// away.
pub fn focus_comment_or_heading(item: &web_sys::Element, thread: Option<&web_sys::Element>) {
    use wasm_bindgen::JsCast;
    let comment = item.is_connected().then(|| item.query_selector(":scope > article").ok().flatten()).flatten();
    let target = comment.or_else(|| {
        let heading = thread?.query_selector("h2").ok().flatten()?;
        if !heading.has_attribute("tabindex") {
            let _ = heading.set_attribute("tabindex", "-1");
        }
        Some(heading)
    });
    if let Some(target) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = target.focus();
    }
}

/// The comment whose element of class `class` (or something inside it) `event` was aimed at: the
/// `data-comment-id` of the comment around it. One listener for a whole thread, instead of one per
/// comment.
pub fn comment_of_click(event: &web_sys::Event, class: &str) -> Option<String> {
    use wasm_bindgen::JsCast;
    let target = event.target()?.dyn_into::<web_sys::Element>().ok()?;
    let part = target.closest(&format!(".{class}")).ok()??;
    comment_around(&part).map(|(_, id)| id)
}

/// The comment's element around `el` (or `el` itself) and its `data-comment-id`.
pub fn comment_around(el: &web_sys::Element) -> Option<(web_sys::Element, String)> {
    let comment = el.closest("[data-comment-id]").ok()??;
    let id = comment.get_attribute("data-comment-id")?;
    Some((comment, id))
}

/// Writes `number` on a comment card's `<article>`, as a property under a symbol of the widget's own
/// (no attribute, and nothing a page's own properties can collide with): the thread's click listener
/// reads it back ([`card_number`]) to find the card's handler.
pub fn set_card_number(article: &web_sys::Element, number: usize) {
    if cfg!(not(target_arch = "wasm32")) {
        return;
    }
    CARD_NUMBER.with(|key| {
        let _ = js_sys::Reflect::set(article, key, &wasm_bindgen::JsValue::from_f64(number as f64));
    });
}

/// The number [`set_card_number`] wrote on `article`.
pub fn card_number(article: &web_sys::Element) -> Option<usize> {
    if cfg!(not(target_arch = "wasm32")) {
        return None;
    }
    let number = CARD_NUMBER.with(|key| js_sys::Reflect::get(article, key)).ok()?.as_f64()?;
    // Whole and in range: the cast gives it back exactly (it saturates, and makes NaN 0).
    let whole = number as usize;
    (whole as f64 == number).then_some(whole)
}

thread_local! {
    static CARD_NUMBER: wasm_bindgen::JsValue = wasm_bindgen::JsValue::symbol(Some("article-widget card"));
}

/// The button `event` was aimed at (or at something inside it).
pub fn clicked_button(event: &web_sys::Event) -> Option<web_sys::Element> {
    use wasm_bindgen::JsCast;
    event.target()?.dyn_into::<web_sys::Element>().ok()?.closest("button").ok()?
}

/// Brings `el` into view and gives it the focus (a "go to" control: the comment count to the
/// thread).
pub fn reveal_and_focus(el: &web_sys::HtmlElement) {
    el.scroll_into_view();
    let _ = el.focus();
}

/// Whether this build runs in a browser: the wasm build for it (a wasm server build with `ssr`, say
/// on an edge worker, has no window, no tasks and no timers to run either).
const IN_A_BROWSER: bool = cfg!(all(target_arch = "wasm32", not(feature = "ssr")));

/// Runs `future` on the browser's event loop (the controllers' requests and timers). Off the
/// browser, a server rendering HTML, there is no loop to run it on: the future is dropped, and what
/// it would have changed stays as first rendered (a thread, say, as loading).
#[inline(always)]
pub fn spawn_local(future: impl std::future::Future<Output = ()> + 'static) {
    if IN_A_BROWSER {
        leptos::task::spawn_local(future);
    }
}

/// Calls `f` once, after `delay` (a timer task). Off the browser, never.
#[inline(always)]
pub fn after(delay: Duration, f: impl FnOnce() + 'static) {
    if IN_A_BROWSER {
        leptos::prelude::set_timeout(f, delay);
    }
}

/// Calls `f` every `period`, as long as the current reactive owner (the component or controller
/// asking) lives. Off the browser, never.
#[inline(always)]
pub fn every(period: Duration, f: impl Fn() + 'static) {
    if IN_A_BROWSER {
        if let Ok(timer) = leptos::prelude::set_interval_with_handle(f, period) {
            leptos::prelude::on_cleanup(move || timer.clear());
        }
    }
}

/// Lets the browser paint and handle input before the caller goes on (a new task).
pub async fn yield_now() {
    gloo_timers::future::sleep(Duration::ZERO).await;
}

/// Waits `duration` (a timer task).
pub async fn sleep(duration: Duration) {
    gloo_timers::future::sleep(duration).await;
}

/// The text of the HTML named character reference `&name;` (`name` without `&` and `;`), or `None`
/// if it is not one. The browser decodes it, in an inert document (nothing loads or runs), so the wasm
/// carries no table of the 2,125 names; answers are remembered. Markdown calls this (see
/// [`crate::markdown`]); natively the Markdown parser has its own table and this answers `None`.
pub fn decode_entity(name: &str) -> Option<String> {
    thread_local! {
        static KNOWN: std::cell::RefCell<rustc_hash::FxHashMap<String, Option<String>>> = Default::default();
    }
    // The longest name is 31 characters; a commenter's made-up names must not fill the memory.
    const LONGEST: usize = 32;
    const REMEMBERED: usize = 4096;
    if name.len() > LONGEST || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    if let Some(known) = KNOWN.with(|k| k.borrow().get(name).cloned()) {
        return known;
    }
    let decoded = browser_decode_entity(name);
    KNOWN.with(|k| {
        let mut k = k.borrow_mut();
        if k.len() < REMEMBERED {
            k.insert(name.to_owned(), decoded.clone());
        }
    });
    decoded
}

fn browser_decode_entity(name: &str) -> Option<String> {
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    let parser = web_sys::DomParser::new().ok()?;
    // The leading "_" opens the body: alone, a reference that decodes to white space (`&Tab;`) would be
    // dropped before it.
    let doc = parser.parse_from_string(&format!("_&{name};"), web_sys::SupportedType::TextHtml).ok()?;
    let text = doc.body()?.text_content()?;
    let value = text.strip_prefix('_')?;
    // Not a reference: the text is unchanged. A legacy prefix (`&notit;` reads as `&not` + "it;")
    // leaves the rest of the name and the `;`, which no real expansion ends with (except `&semi;`).
    let partial = value.len() > 1 && value.ends_with(';');
    (!value.is_empty() && value != format!("&{name};") && !partial).then(|| value.to_owned())
}

/// The browser's `Intl`, behind a small typed interface. Formatters are made once per constructor,
/// options and locale (making one costs far more than using it) through `Reflect`, so that an
/// invalid locale, which makes `Intl` throw, falls back to the browser's instead of trapping the
/// wasm. Without a browser every call answers `None`, and callers fall back to plain text.
pub mod intl {
    use std::cell::{OnceCell, RefCell};

    use js_sys::{Array, Object, Reflect};
    use wasm_bindgen::{JsCast, JsValue};

    /// An argument of a `format` call.
    #[derive(Clone, Copy, Debug)]
    pub enum Arg<'a> {
        Number(f64),
        Str(&'a str),
        /// A date, in milliseconds since the epoch.
        Date(f64),
    }

    impl Arg<'_> {
        fn to_js(self) -> JsValue {
            match self {
                Arg::Number(n) => JsValue::from_f64(n),
                Arg::Str(s) => JsValue::from_str(s),
                // `DateTimeFormat.format` takes the time value itself (ECMA-402 applies ToNumber
                // to its argument): no `Date` to make per call.
                Arg::Date(ms) => JsValue::from_f64(ms),
            }
        }
    }

    /// A formatter and its method (`format`, or `select` for `PluralRules`).
    type Formatter = (Object, Option<js_sys::Function>);

    /// A formatter made, with what it was made for.
    struct Made {
        constructor: &'static str,
        locale: Option<String>,
        options: &'static [(&'static str, &'static str)],
        formatter: Option<Formatter>,
    }

    thread_local! {
        /// A page uses a handful of formatters, each thousands of times (a thread formats a date per
        /// comment): they are found by a scan that neither allocates nor hashes.
        static FORMATTERS: RefCell<Vec<Made>> = const { RefCell::new(Vec::new()) };
        /// The page's language, read once: reading the DOM for every formatted value would cost
        /// more than the formatting.
        static PAGE_LOCALE: OnceCell<Option<String>> = const { OnceCell::new() };
    }

    /// `new Intl[constructor](locale, options).format(...args)`; `locale` defaults to the page's.
    pub fn format(
        locale: Option<&str>,
        constructor: &'static str,
        options: &'static [(&'static str, &'static str)],
        args: &[Arg],
    ) -> Option<String> {
        with_formatter(locale, constructor, options, |formatter, format| {
            let result = match args {
                [a] => format.call1(formatter, &a.to_js()),
                [a, b] => format.call2(formatter, &a.to_js(), &b.to_js()),
                _ => return None,
            };
            result.ok()?.as_string()
        })
    }

    /// The formatter itself (`new Intl[constructor](locale, options)`), for JavaScript that formats
    /// many values with it.
    pub fn formatter_object(
        locale: Option<&str>,
        constructor: &'static str,
        options: &'static [(&'static str, &'static str)],
    ) -> Option<Object> {
        with_formatter(locale, constructor, options, |formatter, _| Some(formatter.clone()))
    }

    /// The CLDR plural category of `n` (`one`, `other`, …) in the locale (`Intl.PluralRules`).
    pub fn plural_category(locale: Option<&str>, n: f64) -> Option<String> {
        with_formatter(locale, "PluralRules", &[], |rules, select| {
            select.call1(rules, &JsValue::from_f64(n)).ok()?.as_string()
        })
    }

    /// `<html lang>`, when the host page sets one.
    pub fn page_locale() -> Option<String> {
        if !cfg!(target_arch = "wasm32") {
            return None;
        }
        let lang = web_sys::window()?.document()?.document_element()?.get_attribute("lang")?;
        let lang = lang.trim();
        (!lang.is_empty()).then(|| lang.to_owned())
    }

    /// Calls `f` with the formatter for (`constructor`, `locale`, `options`) and its method, made on
    /// first use. `f` runs while the cache is borrowed: it must not format (Intl never calls back).
    fn with_formatter<T>(
        locale: Option<&str>,
        constructor: &'static str,
        options: &'static [(&'static str, &'static str)],
        f: impl FnOnce(&Object, &js_sys::Function) -> Option<T>,
    ) -> Option<T> {
        if !cfg!(target_arch = "wasm32") {
            return None;
        }
        PAGE_LOCALE.with(|page| {
            let locale = locale.or_else(|| page.get_or_init(page_locale).as_deref());
            FORMATTERS.with(|all| {
                let found = all.borrow().iter().position(|m| {
                    m.constructor == constructor && m.locale.as_deref() == locale && m.options == options
                });
                let at = match found {
                    Some(at) => at,
                    None => {
                        let formatter = make(constructor, options, locale.map(str::to_owned));
                        let mut all = all.borrow_mut();
                        all.push(Made { constructor, locale: locale.map(str::to_owned), options, formatter });
                        all.len() - 1
                    }
                };
                let all = all.borrow();
                let (formatter, method) = all.get(at)?.formatter.as_ref()?;
                f(formatter, method.as_ref()?)
            })
        })
    }

    fn make(name: &str, options: &[(&str, &str)], locale: Option<String>) -> Option<Formatter> {
        let object = Object::new();
        for (name, value) in options {
            let _ = Reflect::set(&object, &(*name).into(), &(*value).into());
        }
        let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
        let constructor: js_sys::Function = Reflect::get(&intl, &name.into()).ok()?.dyn_into().ok()?;
        let construct = |locales: Array| Reflect::construct(&constructor, &Array::of2(&locales, &object)).ok();
        let formatter: Object = locale
            .map(|l| Array::of1(&l.into()))
            .and_then(construct)
            .or_else(|| construct(Array::new()))?
            .dyn_into()
            .ok()?;
        let method = if name == "PluralRules" { "select" } else { "format" };
        let method = Reflect::get(&formatter, &method.into()).ok().and_then(|f| f.dyn_into().ok());
        Some((formatter, method))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_stand_ins_work_without_a_browser() {
        assert!(now_ms() > 1.7e12);
        assert!(!page_hidden());
        let (a, b) = (random_id(), random_id());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert_eq!(LocalStorage.get("x"), None);
        assert!(!LocalStorage.set("x", "y"), "no storage natively: the write is reported dropped");
        let store = MemoryStore::default();
        store.set("a:1", "x");
        store.set("b:1", "y");
        assert_eq!(store.keys_with_prefix("a:"), ["a:1"]);
        assert_eq!(intl::format(None, "NumberFormat", &[], &[intl::Arg::Number(1.0)]), None, "no Intl natively");
        assert_eq!(intl::page_locale(), None);
        assert_eq!((upper('q'), upper('é'), upper('ß')), ("Q".into(), "É".into(), "SS".into()));
    }
}
