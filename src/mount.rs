//! Mounting widgets on a host page: one independent widget per `[data-article-widget]` element.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::ArticleWidget;
use crate::config::{ConfigError, WidgetConfig};

/// The attribute that marks an element as a widget's home.
pub const SELECTOR: &str = "[data-article-widget]";

/// Mounts a widget on every [`SELECTOR`] element of the document. Returns how many were mounted.
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
        .map(mount_on)
        .count()
}

/// Mounts one widget on `element`, configured by its data attributes. A configuration error is shown
/// inside the element (and in the console) instead of the widget.
pub fn mount_on(element: web_sys::HtmlElement) {
    let config = WidgetConfig::from_attributes(|name| element.get_attribute(name));
    element.set_inner_text("");
    let _ = element.class_list().add_1("aw-root");
    let handle = match config {
        Ok(config) => mount_to(element, move || view! { <ArticleWidget config /> }.into_any()),
        Err(e) => {
            web_sys::console::error_1(&e.to_string().into());
            mount_to(element, move || config_error_view(e).into_any())
        }
    };
    // The widget lives as long as the page; dropping the handle would unmount it.
    handle.forget();
}

fn config_error_view(e: ConfigError) -> impl IntoView {
    view! { <div class="aw-widget aw-error" role="alert"><p class="aw-error-message">{e.to_string()}</p></div> }
}
