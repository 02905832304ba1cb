//! `ArticleWidget`: the whole article page (article, reactions, comments) for one configuration.

use leptos::prelude::*;

use super::{use_strings, ArticleView, CommentThread, ErrorNotice, Load, Placeholder, ReactionBar};
use crate::api::{ApiClient, Article, ArticleId};
use crate::config::{ReactionsPosition, WidgetConfig};
use crate::format::{self, page_locale};
use crate::i18n::Msg;
use crate::i18n::Strings;
use crate::platform;
use crate::ssr::Prerendered;
use crate::state::{client_for, use_article, use_prerendered_article, ThreadSlot};

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
    /// What a server rendered the widget with ([`crate::ssr`]), read from the page: the article and
    /// the first comments are shown from it at once, with no loading state and no request before
    /// them. Used only when it is this article's, and its comments only when in `config`'s order.
    /// Default: none (everything is loaded).
    #[prop(optional_no_strip)]
    prerendered: Option<Prerendered>,
) -> impl IntoView {
    let api = api.unwrap_or_else(|| client_for(&config));
    let WidgetConfig {
        article_id,
        parts,
        sort,
        page_size,
        poll_seconds,
        reaction_labels,
        locale,
        strings,
        reactions_position,
        ..
    } = config;
    // Every part of this widget uses these labels and strings.
    provide_context(reaction_labels);
    // The language of the widget's texts is marked on its root, so that screen readers speak it and
    // right-to-left languages lay it out from the right. (It is the catalogue's: with `he`, which has
    // none, the texts are English, while numbers and dates still follow `he`.)
    let strings = Strings::new(locale.or_else(page_locale).as_deref(), strings);
    let (lang, dir) = (strings.language().to_owned(), strings.direction());
    provide_context(strings.clone());
    let article_id = ArticleId::from(article_id);
    let (article, first_page) = match prerendered.filter(|p| p.article.id == article_id) {
        Some(Prerendered { article, comments, sort: made_in }) => (Some(article), comments.filter(|_| made_in == sort)),
        None => (None, None),
    };
    // The comment count under the headline follows the thread, when this widget shows one.
    provide_context(ThreadSlot::new());
    let needs_article = parts.article || parts.reactions;
    // Where the comment count under the headline takes the reader.
    let thread_box = NodeRef::<leptos::html::Div>::new();
    let article_part = needs_article.then(|| {
        let (api, article_id) = (api.clone(), article_id.clone());
        let thread = parts.comments.then_some(thread_box);
        view! {
            <ArticlePart api article_id show_article=parts.article show_reactions=parts.reactions
                position=reactions_position thread prerendered=article />
        }
    });
    view! {
        <div class="aw-widget" lang=lang dir=dir>
            {article_part}
            {parts.comments.then(|| view! {
                <div class="aw-thread" tabindex="-1" node_ref=thread_box>
                    <CommentThread api article_id sort page_size poll_seconds first_page />
                </div>
            })}
        </div>
    }
}

/// The article and/or its reaction bar, from one load of the article. With both, the bar sits under
/// the headline with the comment count (`position` top, as on the seed page) or after the body.
#[component]
fn ArticlePart(
    api: ApiClient,
    article_id: ArticleId,
    show_article: bool,
    show_reactions: bool,
    position: ReactionsPosition,
    /// The thread the comment count takes the reader to, when this widget shows one.
    thread: Option<NodeRef<leptos::html::Div>>,
    /// The article as a server rendered it into the page, if it did.
    prerendered: Option<Article>,
) -> impl IntoView {
    let strings = use_strings();
    let article = match prerendered {
        Some(a) => use_prerendered_article(api.clone(), a, strings.clone(), show_reactions),
        None => use_article(api.clone(), article_id.clone(), strings.clone()),
    };
    let part = move || match article.get() {
        Load::Loading => view! { <Placeholder label=strings.get(Msg::ArticleLoading) lines=6 /> }.into_any(),
        Load::Failed(message) => {
            view! { <ErrorNotice message on_retry=Callback::new(move |()| article.load()) /> }.into_any()
        }
        Load::Ready(a) => {
            let (reactions, exclusive, comments) = (a.reactions.clone(), a.reactions_exclusive, a.comment_count);
            let bar = show_reactions.then(|| {
                view! { <ReactionBar api=api.clone() article_id=article_id.clone() reactions exclusive /> }
            });
            let (top, bottom) = match (show_article, position) {
                (true, ReactionsPosition::Top) => (bar, None),
                _ => (None, bar),
            };
            let under_headline = top.map(|bar| {
                view! { <div class="aw-headline-line">{bar}<CommentCount count=comments thread /></div> }.into_any()
            });
            view! {
                {show_article.then(|| view! { <ArticleView article=a under_headline /> })}
                {bottom}
            }
            .into_any()
        }
    };
    view! { <article class="aw-article">{part}</article> }
}

/// "💬 0" beside the reactions under the headline: the article's comment count, named "Comments, 0",
/// and a way to the thread when the widget shows one. With a thread, its total once loaded (a post
/// or a delete moves it); until then, `count` as the article came.
#[component]
fn CommentCount(count: u64, thread: Option<NodeRef<leptos::html::Div>>) -> impl IntoView {
    let strings = use_strings();
    let slot = use_context::<ThreadSlot>();
    let count = Memo::new(move |_| slot.and_then(|slot| slot.total()).unwrap_or(count));
    let locale = strings.locale().map(str::to_owned);
    let shown = {
        let locale = locale.clone();
        move || format::count(count.get(), locale.as_deref())
    };
    let name =
        move || strings.fmt(Msg::CommentsCount, &[("count", &format::full_count(count.get(), locale.as_deref()))]);
    match thread {
        Some(thread) => view! {
            <button type="button" class="aw-button aw-button-quiet aw-comment-count" aria-label=name
                on:click=move |_| {
                    if let Some(el) = thread.get_untracked() {
                        platform::reveal_and_focus(&el);
                    }
                }>
                <span aria-hidden="true">"💬 " {shown}</span>
            </button>
        }
        .into_any(),
        None => view! {
            <span class="aw-comment-count">
                <span aria-hidden="true">"💬 " {shown}</span>
                <span class="aw-visually-hidden">{name}</span>
            </span>
        }
        .into_any(),
    }
}
