//! Mounting widgets on a host page: one independent widget per `[data-article-widget]` element,
//! present at load or added later (single-page apps), torn down when removed — with its timers,
//! listeners and requests in flight. Also the JavaScript API of the bundle: `mount(element, options)`.

use std::any::Any;
use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::{ApiClient, Article, CommentPage, Sort};
use crate::components::ArticleWidget;
use crate::config::{ConfigError, Theme, WidgetConfig};
use crate::ssr::{self, Prerendered};
use crate::state::client_for;

/// The attribute that marks an element as a widget's home.
pub const SELECTOR: &str = "[data-article-widget]";

/// A mounted widget: its element, what keeps it alive, and its API client (to abort requests).
struct Mounted {
    element: web_sys::HtmlElement,
    _handle: Box<dyn Any>,
    api: Option<ApiClient>,
    /// When mounting wrote `data-theme` on the element (from a JS option): the value it had before
    /// (`None`: it had none), put back on unmount.
    theme_before: Option<Option<String>>,
}

thread_local! {
    static MOUNTED: RefCell<Vec<Mounted>> = const { RefCell::new(Vec::new()) };
    static OBSERVING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static WARNED_LANGUAGE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Mounts every widget of the page and keeps doing so for elements added later; removed elements'
/// widgets are torn down. What the binary runs at start (the Trunk dev page), unless the embed
/// bundle's loader (`embed/article-widget.js`) is in charge: it decides when each widget mounts, and
/// calls [`mount_js`].
pub fn start() {
    crate::crash::install_panic_hook();
    if loader_in_charge() {
        return;
    }
    mount_all();
    observe();
}

/// Whether the embed bundle's loader is on the page (it marks the global object).
fn loader_in_charge() -> bool {
    let loader = js_sys::Reflect::get(&js_sys::global(), &js_sys::Symbol::for_("article-widget.loader"));
    loader.is_ok_and(|l| l.is_truthy())
}

/// Mounts a widget on every [`SELECTOR`] element of the document not mounted yet. Returns how many
/// were mounted.
pub fn mount_all() -> usize {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return 0;
    };
    let Ok(nodes) = document.query_selector_all(SELECTOR) else {
        return 0;
    };
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        .filter(|element| mount_on(element.clone()))
        .count()
}

/// Mounts one widget on `element`, configured by its data attributes. Returns false (and does
/// nothing) when the element already has one.
pub fn mount_on(element: web_sys::HtmlElement) -> bool {
    let attrs = element.clone();
    mount_with(element, &move |name| attrs.get_attribute(name))
}

/// Mounts one widget on `element`, configured by `option` (an attribute name → value lookup). A
/// configuration error is shown inside the element (and in the console) instead of the widget.
/// Returns false (and does nothing) when the element already has a widget.
// (`option` is a trait object, not `impl Fn`: one copy of all this, and of the configuration's
// parsing, serves both callers; generic, the wasm carried two, 2.2 KB gzip.)
pub fn mount_with(element: web_sys::HtmlElement, option: &dyn Fn(&str) -> Option<String>) -> bool {
    if is_mounted(&element) {
        return false;
    }
    let config = WidgetConfig::from_attributes(option);
    adopt_texts(&element);
    // A bundle without its catalogues, mounted without the loader that fetches them (which says
    // itself when it could not): said once a page.
    if let Ok(config) = &config {
        let locale = config.locale.clone().or_else(crate::format::page_locale);
        if let Some(language) = crate::i18n::missing_catalogue(locale.as_deref()) {
            if !loader_in_charge() && !WARNED_LANGUAGE.replace(true) {
                let message = format!("article-widget: no {language} texts were added (addCatalogue), English instead");
                web_sys::console::warn_1(&message.into());
            }
        }
    }
    let prerendered = take_prerendered(&element);
    let _ = element.class_list().add_1("aw-root");
    let mut theme_before = None;
    let (handle, api): (Box<dyn Any>, _) = match config {
        Ok(config) => {
            // The stylesheet reads the theme from the element (a JS option may have set it).
            let theme = match config.theme {
                Theme::Auto => None,
                Theme::Light => Some("light"),
                Theme::Dark => Some("dark"),
            };
            let before = element.get_attribute("data-theme");
            if let Some(theme) = theme.filter(|t| before.as_deref() != Some(t)) {
                if element.set_attribute("data-theme", theme).is_ok() {
                    theme_before = Some(before);
                }
            }
            let api = client_for(&config);
            let widget_api = api.clone();
            let handle = mount_to(element.clone(), move || {
                view! { <ArticleWidget config api=widget_api prerendered /> }.into_any()
            });
            (Box::new(handle), Some(api))
        }
        Err(e) => {
            web_sys::console::error_1(&e.to_string().into());
            (Box::new(mount_to(element.clone(), move || config_error_view(e).into_any())), None)
        }
    };
    MOUNTED.with(|m| m.borrow_mut().push(Mounted { element, _handle: handle, api, theme_before }));
    true
}

/// Adds the texts a server-rendered fragment in `element` carries ([`ssr::TEXTS_DATA`]), when the
/// page has none in their language yet: the first to come serves the page (the loader hands over the
/// same texts before mounting, or the language file when they fail). English is the bundle's own.
/// Here for a page that mounts through the glue without the loader.
fn adopt_texts(element: &web_sys::HtmlElement) {
    let script = element.query_selector(&format!(":scope > script[{}]", ssr::TEXTS_DATA)).ok().flatten();
    let Some((language, json)) = script.and_then(|s| Some((s.get_attribute(ssr::TEXTS_DATA)?, s.text_content()?)))
    else {
        return;
    };
    if crate::i18n::has_catalogue(&language) || crate::i18n::language(&language) == "en" {
        return;
    }
    if !crate::i18n::add_catalogue(&language, &json) {
        let message = format!("article-widget: the server-rendered {language} texts do not decode");
        web_sys::console::warn_1(&message.into());
    }
}

/// Empties `element` for the widget, and returns the data of the server-rendered fragment it held
/// ([`crate::ssr`]), if any: the widget takes over from it, drawing the same markup in the same
/// task, so nothing on the page moves. The fragment's JSON-LD stays, for crawlers that read the page
/// once its scripts ran. Data that does not decode is reported, and the widget loads as without it.
fn take_prerendered(element: &web_sys::HtmlElement) -> Option<Prerendered> {
    let script = |attribute: &str| element.query_selector(&format!(":scope > script[{attribute}]")).ok().flatten();
    let article = script(ssr::ARTICLE_DATA).and_then(|s| s.text_content());
    let comments =
        script(ssr::COMMENTS_DATA).and_then(|s| Some((s.get_attribute(ssr::COMMENTS_DATA)?, s.text_content()?)));
    let json_ld = script(r#"type="application/ld+json""#);
    element.set_inner_text("");
    if let Some(json_ld) = json_ld {
        let _ = element.append_child(&json_ld);
    }
    // The same decoders as the API's answers.
    let decoded = |json: &str| -> Option<(Article, Option<(Sort, CommentPage)>)> {
        let article = contract::json::from_str::<Article>(json).map_err(report).ok()?;
        let comments = comments.as_ref().and_then(|(sort, json)| {
            Some((Sort::parse(sort)?, contract::json::from_str::<CommentPage>(json).map_err(report).ok()?))
        });
        Some((article, comments))
    };
    let (article, comments) = decoded(&article?)?;
    let (sort, comments) = match comments {
        Some((sort, page)) => (sort, Some(page)),
        None => (Sort::default(), None),
    };
    Some(Prerendered { article, comments, sort })
}

/// A server-rendered fragment's data that does not decode.
fn report(e: contract::json::Error) {
    let message = format!("article-widget: the server-rendered data does not decode ({e}); loading instead");
    web_sys::console::warn_1(&message.into());
}

/// Whether `element` has a widget.
pub fn is_mounted(element: &web_sys::HtmlElement) -> bool {
    MOUNTED.with(|m| m.borrow().iter().any(|w| &w.element == element))
}

/// How many widgets are mounted on the page.
pub fn mounted_count() -> usize {
    MOUNTED.with(|m| m.borrow().len())
}

/// Tears down the widget on `element`: its timers stop, its listeners go, its requests in flight are
/// aborted, and the element is left empty. Returns false when it had none.
pub fn unmount(element: &web_sys::HtmlElement) -> bool {
    let removed = MOUNTED.with(|m| {
        let mut m = m.borrow_mut();
        m.iter().position(|w| &w.element == element).map(|i| m.remove(i))
    });
    // Dropped outside the borrow: unmounting runs cleanups, which may look at the registry.
    match removed {
        Some(widget) => {
            if let Some(api) = &widget.api {
                api.abort_all();
            }
            let (element, theme_before) = (widget.element.clone(), widget.theme_before.clone());
            drop(widget);
            element.set_inner_text("");
            let _ = element.class_list().remove_1("aw-root");
            match theme_before {
                Some(Some(value)) => {
                    let _ = element.set_attribute("data-theme", &value);
                }
                Some(None) => {
                    let _ = element.remove_attribute("data-theme");
                }
                None => {}
            }
            true
        }
        None => false,
    }
}

/// Watches the document for widget elements coming and going.
fn observe() {
    if OBSERVING.with(|o| o.replace(true)) {
        return;
    }
    let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) else {
        return;
    };
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |records: js_sys::Array| {
        // Changes inside widgets (their own rendering) are not the host's: skip them cheaply.
        let host_change = records.iter().any(|record| {
            record
                .dyn_into::<web_sys::MutationRecord>()
                .ok()
                .and_then(|r| r.target())
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|t| t.closest(".aw-root").ok().flatten().is_none())
        });
        if host_change {
            sync_with_document();
        }
    });
    if let Ok(observer) = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()) {
        let options = web_sys::MutationObserverInit::new();
        options.set_child_list(true);
        options.set_subtree(true);
        let _ = observer.observe_with_options(&body, &options);
    }
    // The observer lives as long as the page.
    callback.forget();
}

/// Unmounts widgets whose element left the document; mounts new widget elements.
fn sync_with_document() {
    let gone: Vec<web_sys::HtmlElement> =
        MOUNTED.with(|m| m.borrow().iter().filter(|w| !w.element.is_connected()).map(|w| w.element.clone()).collect());
    for element in gone {
        unmount(&element);
    }
    mount_all();
}

fn config_error_view(e: ConfigError) -> impl IntoView {
    view! { <div class="aw-widget aw-error" role="alert"><p class="aw-error-message">{e.to_string()}</p></div> }
}

/// `data-api-base` → `apiBase`: the JavaScript option named like an attribute.
pub fn option_name(attribute: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in attribute.trim_start_matches("data-").chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.push_str(&crate::platform::upper(c));
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The handle `mount()` returns to JavaScript.
#[wasm_bindgen]
pub struct WidgetHandle {
    element: web_sys::HtmlElement,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Tears the widget down (timers, listeners, requests in flight) and empties its element.
    pub fn unmount(&self) {
        unmount(&self.element);
    }
}

/// JavaScript: `mount(element, options?)`. `options` mirrors the data attributes in camelCase
/// (`{ apiBase: "/api", articleId: "my-post", parts: ["comments"], pollSeconds: 0 }`); an option
/// given here wins over the element's attribute. Mounting an element twice is a no-op that returns a
/// handle to the same widget.
#[wasm_bindgen(js_name = mount)]
pub fn mount_js(element: web_sys::HtmlElement, options: Option<js_sys::Object>) -> WidgetHandle {
    let attrs = element.clone();
    let lookup = move |attribute: &str| {
        let from_options = options.as_ref().and_then(|o| js_sys::Reflect::get(o, &option_name(attribute).into()).ok());
        match from_options {
            Some(v) if !v.is_undefined() && !v.is_null() => Some(js_option_to_string(&v)),
            _ => attrs.get_attribute(attribute),
        }
    };
    mount_with(element.clone(), &lookup);
    WidgetHandle { element }
}

/// JavaScript: `addCatalogue(language, json)`, the loader's: the texts of a language the bundle does
/// not compile in, from its catalogue file (`article-widget.de.json`) or a server-rendered fragment
/// ([`ssr::TEXTS_DATA`]), for the widgets mounted afterwards. `false` when the file is not a catalogue (those widgets are then in English). See
/// [`i18n::add_catalogue`](crate::i18n::add_catalogue).
#[wasm_bindgen(js_name = addCatalogue)]
pub fn add_catalogue_js(language: &str, json: &str) -> bool {
    crate::i18n::add_catalogue(language, json)
}

/// An option value as its attribute would be written: strings as they are, arrays space-separated,
/// objects as JSON, everything else as JavaScript prints it.
fn js_option_to_string(value: &JsValue) -> String {
    if let Some(s) = value.as_string() {
        return s;
    }
    if js_sys::Array::is_array(value) {
        let array: js_sys::Array = value.clone().unchecked_into();
        return array.iter().map(|v| js_option_to_string(&v)).collect::<Vec<_>>().join(" ");
    }
    if value.as_f64().is_some() {
        // As JavaScript prints it (Rust's float printing would add its tables to the wasm).
        return js_sys::Number::unchecked_from_js_ref(value)
            .to_string_with_radix(10)
            .map(String::from)
            .unwrap_or_default();
    }
    if let Some(b) = value.as_bool() {
        return b.to_string();
    }
    // Objects (reactionLabels, headers, endpoints) as JSON; anything else reads as invalid.
    js_sys::JSON::stringify(value).ok().and_then(|s| s.as_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_attributes_in_camel_case() {
        assert_eq!(option_name("data-api-base"), "apiBase");
        assert_eq!(option_name("data-article-id"), "articleId");
        assert_eq!(option_name("data-parts"), "parts");
        assert_eq!(option_name("data-reaction-labels"), "reactionLabels");
        assert_eq!(option_name("data-poll-seconds"), "pollSeconds");
    }
}
