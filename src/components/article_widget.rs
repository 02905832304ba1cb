//! `ArticleWidget`: the whole article page (article, reactions, comments) for one configuration.

use leptos::prelude::*;

use super::{use_strings, ArticleView, CommentThread, ErrorNotice, Load, Placeholder, ReactionBar};
use crate::api::{ApiClient, ArticleId};
use crate::config::WidgetConfig;
use crate::format::page_locale;
use crate::i18n::Msg;
use crate::i18n::Strings;
use crate::state::{client_for, use_article};

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
    /// The client to use. Default: [`client_for`](crate::state::client_for) the configuration.
    #[prop(optional)]
    api: Option<ApiClient>,
) -> impl IntoView {
    let api = api.unwrap_or_else(|| client_for(&config));
    let WidgetConfig { article_id, parts, sort, page_size, poll_seconds, reaction_labels, locale, strings, .. } =
        config;
    // Every part of this widget uses these labels and strings.
    provide_context(reaction_labels);
    // The language of the widget's texts is marked on its root, so that screen readers speak it and
    // right-to-left languages lay it out from the right. (It is the catalogue's: with `he`, which has
    // none, the texts are English, while numbers and dates still follow `he`.)
    let strings = Strings::new(locale.or_else(page_locale).as_deref(), strings);
    let (lang, dir) = (strings.language(), strings.direction());
    provide_context(strings.clone());
    let article_id = ArticleId::from(article_id);
    let needs_article = parts.article || parts.reactions;
    let article_part = needs_article.then(|| {
        let (api, article_id) = (api.clone(), article_id.clone());
        view! { <ArticlePart api article_id show_article=parts.article show_reactions=parts.reactions /> }
    });
    view! {
        <div class="aw-widget" lang=lang dir=dir>
            {article_part}
            {parts.comments.then(|| view! { <CommentThread api article_id sort page_size poll_seconds /> })}
        </div>
    }
}

/// The article and/or its reaction bar, from one load of the article.
#[component]
fn ArticlePart(api: ApiClient, article_id: ArticleId, show_article: bool, show_reactions: bool) -> impl IntoView {
    let strings = use_strings();
    let article = use_article(api.clone(), article_id.clone(), strings.clone());
    let part = move || match article.get() {
        Load::Loading => view! { <Placeholder label=strings.get(Msg::ArticleLoading) lines=6 /> }.into_any(),
        Load::Failed(message) => {
            view! { <ErrorNotice message on_retry=Callback::new(move |()| article.load()) /> }.into_any()
        }
        Load::Ready(a) => {
            let reactions = show_reactions.then(|| {
                let (reactions, exclusive) = (a.reactions.clone(), a.reactions_exclusive);
                view! { <ReactionBar api=api.clone() article_id=article_id.clone() reactions exclusive /> }
            });
            view! {
                {show_article.then(|| view! { <ArticleView article=a /> })}
                {reactions}
            }
            .into_any()
        }
    };
    view! { <article class="aw-article">{part}</article> }
}
