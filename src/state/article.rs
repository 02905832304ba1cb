//! [`ArticleHandle`]: the controller of the article part: loads `GET /articles/{article}` once, and
//! again on Retry.

use leptos::prelude::*;

use super::Load;
use crate::api::{ApiClient, Article, ArticleId};
use crate::config::WidgetConfig;
use crate::i18n::Msg;
use crate::i18n::Strings;
use crate::platform::spawn_local;
use crate::sync;
use crate::viewer::viewer_id;

/// The API client a widget uses for `config`: its base URL, endpoints, credentials and headers, with
/// this browser's viewer id.
///
/// ## Usage
/// ```no_run
/// use article_widget::{config::WidgetConfig, state::client_for};
/// let api = client_for(&WidgetConfig::new("/api", "my-post"));
/// ```
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

/// The controller of an article part; `Copy`. Made by [`use_article`].
#[derive(Clone, Copy)]
pub struct ArticleHandle {
    article: RwSignal<Load<Article>>,
    source: StoredValue<(ApiClient, ArticleId, Strings)>,
}

/// Starts loading the article; the handle follows the load.
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use article_widget::{api::ApiClient, i18n::Strings, state::{use_article, Load}};
/// let article = use_article(ApiClient::new("/api"), "my-post".into(), Strings::default());
/// let title = move || match article.get() {
///     Load::Ready(a) => a.title,
///     _ => String::new(),
/// };
/// ```
pub fn use_article(api: ApiClient, article_id: ArticleId, strings: Strings) -> ArticleHandle {
    let handle =
        ArticleHandle { article: RwSignal::new(Load::Loading), source: StoredValue::new((api, article_id, strings)) };
    handle.load();
    handle
}

/// The article as a server rendered it into the page ([`crate::ssr`]): shown at once, with no
/// loading state and no request before it; then, when its reactions are shown, asked for again in
/// the background, for this viewer's reactions only.
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use article_widget::{api::{ApiClient, Article}, i18n::Strings, state::use_prerendered_article};
/// # fn embedded() -> Article { unimplemented!() }
/// let article = use_prerendered_article(ApiClient::new("/api"), embedded(), Strings::default(), true);
/// ```
pub fn use_prerendered_article(
    api: ApiClient,
    article: Article,
    strings: Strings,
    reactions_shown: bool,
) -> ArticleHandle {
    let article_id = article.id.clone();
    let handle = ArticleHandle {
        article: RwSignal::new(Load::Ready(article)),
        source: StoredValue::new((api, article_id, strings)),
    };
    if reactions_shown {
        handle.refresh();
    }
    handle
}

impl ArticleHandle {
    /// The article as loaded so far.
    pub fn get(&self) -> Load<Article> {
        self.article.get()
    }

    /// Loads the article (again).
    pub fn load(&self) {
        let Some((api, article_id, strings)) = self.source.try_get_value() else { return };
        let article = self.article;
        article.try_set(Load::Loading);
        spawn_local(async move {
            let loaded = match api.get_article(&article_id).await {
                Ok(a) => Load::Ready(a),
                Err(e) => Load::Failed(strings.fmt(Msg::ArticleError, &[("reason", &strings.reason(&e))])),
            };
            article.try_set(loaded);
        });
    }

    /// Asks for the article again for this viewer's reactions, which a server-rendered page cannot
    /// know, and hands them to the article's reaction bars ([`sync`]). Nothing else is redrawn. An
    /// answer older than a reaction the reader made meanwhile is dropped; a failure changes nothing.
    fn refresh(&self) {
        let Some((api, article_id, _)) = self.source.try_get_value() else { return };
        let key = sync::key(api.base(), &article_id, None);
        let number = sync::request_sent(&key);
        spawn_local(async move {
            let Ok(fresh) = api.get_article(&article_id).await else { return };
            if sync::answered(&key, number, &fresh.reactions).is_none() {
                sync::publish(&key, None, &fresh.reactions);
            }
        });
    }
}
