//! `ArticleView`: title, subtitle, byline, tags and the body of an article.

use leptos::prelude::*;

use super::{use_strings, DateTime, Markdown};
use crate::api::Article;
use crate::i18n::Msg;
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
    /// What sits directly under the headline (the widget puts the reaction line there). Default:
    /// nothing.
    #[prop(optional_no_strip)]
    under_headline: Option<AnyView>,
) -> impl IntoView {
    let Article { title, subtitle, author, published_at, updated_at, body, tags, .. } = article;
    let strings = use_strings();
    let (by, updated, tags_label) =
        (strings.get(Msg::ArticleBy), strings.get(Msg::ArticleUpdated), strings.get(Msg::ArticleTags));
    let author_view = match author.url.as_deref().and_then(safe_href) {
        Some(href) => view! { <a class="aw-author" href=href rel="author noopener">{author.name}</a> }.into_any(),
        None => view! { <span class="aw-author">{author.name}</span> }.into_any(),
    };
    view! {
        <header class="aw-article-header">
            <h1 class="aw-title">{title}</h1>
            {under_headline}
            {subtitle.map(|s| view! { <p class="aw-subtitle">{s}</p> })}
            <p class="aw-byline">
                {by} " " {author_view} " · " <DateTime iso=published_at />
                {updated_at.map(|u| view! { " · " {updated} " " <DateTime iso=u /> })}
            </p>
            {(!tags.is_empty()).then(|| view! {
                <ul class="aw-tags" aria-label=tags_label>
                    {tags.into_iter().map(|t| view! { <li class="aw-tag">{t}</li> }).collect_view()}
                </ul>
            })}
        </header>
        <div class="aw-article-body aw-prose"><Markdown source=body /></div>
    }
}
