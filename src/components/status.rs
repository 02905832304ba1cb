//! Views shared by every part: loading placeholders, error notices, dates.

use leptos::prelude::*;

use crate::format;
use crate::i18n::Msg;
use crate::i18n::Strings;

/// The strings of the widget this component is in (an `ArticleWidget` provides its configuration's),
/// else English.
pub fn use_strings() -> Strings {
    use_context::<Strings>().unwrap_or_default()
}

/// A placeholder of fixed height that keeps the layout from jumping while something loads.
#[component]
pub fn Placeholder(#[prop(into)] label: String, #[prop(default = 3)] lines: usize) -> impl IntoView {
    view! {
        <div class="aw-placeholder" role="status" aria-live="polite">
            <span class="aw-visually-hidden">{label}</span>
            {(0..lines).map(|_| view! { <span class="aw-placeholder-line" aria-hidden="true"></span> }).collect_view()}
        </div>
    }
}

/// An error with a "Retry" button, announced to screen readers.
#[component]
pub fn ErrorNotice(#[prop(into)] message: String, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    view! {
        <div class="aw-error" role="alert">
            <p class="aw-error-message">{message}</p>
            <button type="button" class="aw-button" on:click=move |_| on_retry.run(())>{use_strings().get(Msg::Retry)}</button>
        </div>
    }
}

/// `<time datetime>` showing the date in the reader's locale, with the exact value as its title.
#[component]
pub fn DateTime(#[prop(into)] iso: String) -> impl IntoView {
    let text = format::long_date(&iso, use_strings().locale());
    view! { <time datetime=iso.clone() title=iso>{text}</time> }
}

/// A document-unique id for `for`/`id`/`aria-*` pairs, e.g. `aw-name-7`.
pub fn unique_id(prefix: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}
