//! `ArticleView`: title, subtitle, byline, tags and the body of an article, made once as plain DOM
//! (an article does not change once shown).

use leptos::prelude::*;

use super::built::{Built, Placed};
use super::dom::{add, document, element, set};
use super::markdown_view::append_markdown;
use super::use_strings;
use crate::api::Article;
use crate::format;
use crate::i18n::{Msg, Strings};
use crate::markdown::safe_href;

/// Renders an article's text. The title is the page's `<h1>`.
///
/// ## Usage
/// ```no_run
/// # async fn demo() -> Result<(), article_widget::api::ApiError> {
/// use leptos::prelude::*;
/// use article_widget::api::ApiClient;
/// use article_widget::components::ArticleView;
/// let article = ApiClient::new("/api").get_article(&"my-post".into()).await?;
/// let view = view! { <ArticleView article /> };
/// # Ok(()) }
/// ```
#[component]
pub fn ArticleView(
    article: Article,
    /// What sits directly under the headline (as the widget's reaction line does), kept as long as
    /// this view's owner. Default: nothing.
    #[prop(optional_no_strip)]
    under_headline: Option<AnyView>,
) -> impl IntoView {
    let strings = use_strings();
    let Some(ArticleDom { header, body, headline }) = document().and_then(|d| article_dom(&d, &article, &strings))
    else {
        return ().into_any();
    };
    if let (Some(view), Some(owner)) = (under_headline, Owner::current()) {
        // Kept as long as this view (under its owner).
        let next = headline.next_sibling();
        StoredValue::new_local(Placed::new(&owner, &header, next.as_ref(), move || view));
    }
    (Built::new(header), Built::new(body)).into_any()
}

/// An article as plain DOM: its `<header>` and its body, and the headline in the header (what goes
/// under the headline goes right after it).
pub(super) struct ArticleDom {
    pub header: web_sys::Element,
    pub body: web_sys::Element,
    pub headline: web_sys::Element,
}

/// Makes `article` as [`ArticleView`] shows it.
pub(super) fn article_dom(document: &web_sys::Document, article: &Article, strings: &Strings) -> Option<ArticleDom> {
    let header = element(document, "header", "aw-article-header")?;
    let headline = element(document, "h1", "aw-title")?;
    headline.set_text_content(Some(&article.title));
    add(&header, &headline);
    if let Some(subtitle) = &article.subtitle {
        let p = element(document, "p", "aw-subtitle")?;
        p.set_text_content(Some(subtitle));
        add(&header, &p);
    }
    let byline = element(document, "p", "aw-byline")?;
    let text = |text: &str| add(&byline, &document.create_text_node(text));
    text(&format!("{} ", strings.get(Msg::ArticleBy)));
    let author = match article.author.url.as_deref().and_then(safe_href) {
        Some(href) => {
            let a = element(document, "a", "aw-author")?;
            set(&a, "href", &href);
            set(&a, "rel", "author noopener");
            a
        }
        None => element(document, "span", "aw-author")?,
    };
    author.set_text_content(Some(&article.author.name));
    add(&byline, &author);
    text(" · ");
    let published = date_time(document, &article.published_at, strings)?;
    add(&byline, &published);
    if let Some(updated) = &article.updated_at {
        text(&format!(" · {} ", strings.get(Msg::ArticleUpdated)));
        let updated = date_time(document, updated, strings)?;
        add(&byline, &updated);
    }
    add(&header, &byline);
    if !article.tags.is_empty() {
        let tags = element(document, "ul", "aw-tags")?;
        set(&tags, "aria-label", &strings.get(Msg::ArticleTags));
        for tag in &article.tags {
            let li = element(document, "li", "aw-tag")?;
            li.set_text_content(Some(tag));
            add(&tags, &li);
        }
        add(&header, &tags);
    }
    let body = element(document, "div", "aw-article-body aw-prose")?;
    let text = element(document, "div", "")?;
    append_markdown(&text, &article.body);
    add(&body, &text);
    Some(ArticleDom { header, body, headline })
}

/// `<time>` with the date of `iso` in the reader's locale, the exact value as its title (what
/// [`DateTime`](super::DateTime) shows).
fn date_time(document: &web_sys::Document, iso: &str, strings: &Strings) -> Option<web_sys::Element> {
    let time = element(document, "time", "")?;
    set(&time, "datetime", iso);
    set(&time, "title", iso);
    time.set_text_content(Some(&format::long_date(iso, strings.locale())));
    Some(time)
}
