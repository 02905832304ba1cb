//! When the wasm panics anyway. Every widget on a page shares one wasm instance, and a panic stops it
//! (the release build aborts): without this, every widget would stay on the page with buttons that
//! no longer answer. The panic hook logs the panic to the console and replaces each mounted widget
//! with one short message and a way to reload, built with plain DOM calls (nothing of the stopped
//! instance is needed afterwards: the reload link works without script, and under a strict CSP).

use wasm_bindgen::JsCast;

use crate::i18n::{Msg, Strings};

/// Installs the panic hook (once; [`crate::mount::start`] does).
///
/// ## Usage
/// ```no_run
/// // In your own entry point, before mounting widgets yourself:
/// article_widget::crash::install_panic_hook();
/// ```
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("article-widget stopped: {info}").into());
        show_stopped();
    }));
}

/// Replaces every mounted widget (`.aw-root`) with the "stopped" message.
///
/// ## Usage
/// ```no_run
/// article_widget::crash::show_stopped();
/// ```
pub fn show_stopped() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(roots) = document.query_selector_all(".aw-root") else { return };
    for i in 0..roots.length() {
        if let Some(root) = roots.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
            show_stopped_in(&root);
        }
    }
}

/// Replaces one widget's content with the "stopped" message and a reload link, in the language of
/// its texts (its `.aw-widget`'s `lang`).
///
/// ## Usage
/// ```no_run
/// let document = web_sys::window().unwrap().document().unwrap();
/// if let Some(root) = document.query_selector(".aw-root").unwrap() {
///     article_widget::crash::show_stopped_in(&root);
/// }
/// ```
pub fn show_stopped_in(root: &web_sys::Element) {
    let Some(document) = root.owner_document() else { return };
    let reload_href = document.location().and_then(|l| l.href().ok()).unwrap_or_default();
    let lang = root.query_selector(".aw-widget").ok().flatten().and_then(|w| w.get_attribute("lang"));
    let strings = Strings::new(lang.as_deref(), Default::default());
    let (Ok(notice), Ok(text), Ok(link)) =
        (document.create_element("div"), document.create_element("p"), document.create_element("a"))
    else {
        return;
    };
    let _ = notice.set_attribute("class", "aw-error");
    let _ = notice.set_attribute("role", "alert");
    let _ = text.set_attribute("class", "aw-error-message");
    text.set_text_content(Some(&strings.get(Msg::WidgetStopped)));
    // A link, not a button: it reloads without the stopped wasm and without inline script.
    let _ = link.set_attribute("class", "aw-button");
    let _ = link.set_attribute("href", &reload_href);
    link.set_text_content(Some(&strings.get(Msg::WidgetReload)));
    let _ = notice.append_child(&text);
    let _ = notice.append_child(&link);
    root.set_text_content(None);
    let _ = root.append_child(&notice);
}

/// Test builds only (`cargo build --features crash-test`, which `make test` bundles into
/// `target/crash-dist` for the end-to-end tests): panics on purpose, so that a test can watch the
/// hook replace every widget. The shipped bundle has no such function.
#[cfg(feature = "crash-test")]
#[wasm_bindgen::prelude::wasm_bindgen(js_name = crashTest)]
pub fn crash_test() {
    // The one deliberate panic: this is what the test is about.
    panic!("crash test: a deliberate panic");
}
