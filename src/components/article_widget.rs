//! `ArticleWidget`: the whole article page (article, reactions, comments) for one configuration.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{ArticleView, CommentThread, ErrorNotice, Load, Placeholder, ReactionBar};
use crate::api::ArticleId;
use crate::api::{ApiClient, Article};
use crate::config::WidgetConfig;
use crate::format::page_locale;
use crate::i18n::Strings;
use crate::viewer::viewer_id;

/// The API client a widget uses for `config`: its base URL, endpoints, credentials and headers, with
/// this browser's viewer id.
pub fn client_for(config: &WidgetConfig) -> ApiClient {
    let mut api = ApiClient::new(config.api_base.clone())
        .with_credentials(config.credentials)
        .with_endpoints(config.endpoints.clone())
        .with_header("X-Viewer-Id", viewer_id());
    for (name, value) in &config.headers {
        api = api.with_header(name, value);
    }
    api
}

/// The parts `config` asks for, each loading on its own.
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use article_widget::{components::ArticleWidget, config::WidgetConfig};
/// let view = view! { <ArticleWidget config=WidgetConfig::new("/api", "openai-microsoft-aws") /> };
/// ```
#[component]
pub fn ArticleWidget(
    config: WidgetConfig,
    /// The client to use. Default: [`client_for`] the configuration.
    #[prop(optional)]
    api: Option<ApiClient>,
) -> impl IntoView {
    let api = api.unwrap_or_else(|| client_for(&config));
    let WidgetConfig { article_id, parts, sort, page_size, poll_seconds, reaction_labels, locale, strings, .. } =
        config;
    // Every part of this widget uses these labels and strings.
    provide_context(reaction_labels);
    let strings = Strings::new(locale.or_else(page_locale).as_deref(), strings);
    provide_context(strings.clone());
    let article_id = ArticleId::from(article_id);
    let article = RwSignal::new(Load::<Article>::Loading);

    let load_article = {
        let (api, article_id) = (api.clone(), article_id.clone());
        let strings = strings.clone();
        move || {
            article.set(Load::Loading);
            let (api, article_id, strings) = (api.clone(), article_id.clone(), strings.clone());
            spawn_local(async move {
                let loaded = match api.get_article(&article_id).await {
                    Ok(a) => Load::Ready(a),
                    Err(e) => Load::Failed(strings.fmt("article.error", &[("reason", &strings.reason(&e))])),
                };
                article.try_set(loaded);
            });
        }
    };
    let needs_article = parts.article || parts.reactions;
    if needs_article {
        load_article();
    }
    let retry = Callback::new(move |()| load_article());

    let article_part = {
        let (api, article_id) = (api.clone(), article_id.clone());
        move || match article.get() {
            Load::Loading => view! { <Placeholder label=strings.get("article.loading") lines=6 /> }.into_any(),
            Load::Failed(message) => view! { <ErrorNotice message on_retry=retry /> }.into_any(),
            Load::Ready(a) => {
                let reactions = parts.reactions.then(|| {
                    let (reactions, exclusive) = (a.reactions.clone(), a.reactions_exclusive);
                    view! { <ReactionBar api=api.clone() article_id=article_id.clone() reactions exclusive /> }
                });
                view! {
                    {parts.article.then(|| view! { <ArticleView article=a /> })}
                    {reactions}
                }
                .into_any()
            }
        }
    };

    view! {
        <div class="aw-widget">
            {needs_article.then(|| view! { <article class="aw-article">{article_part}</article> })}
            {parts.comments.then(|| view! { <CommentThread api article_id sort page_size poll_seconds /> })}
        </div>
    }
}
