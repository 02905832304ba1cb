//! `ReactionBar`: one toggle button per reaction kind, optimistic and race-free. The logic is
//! [`crate::reactions`], the requests are the [`ReactionsHandle`]'s; this file only renders them.

use leptos::prelude::*;

use super::use_strings;
use crate::api::{ApiClient, ArticleId, CommentId, Reaction, ReactionKind};
use crate::format::{self, ReactionLabels};
use crate::i18n::Msg;
use crate::i18n::Strings;
use crate::state::{use_reactions, ReactionsHandle};

/// The reaction buttons of an article, or of one comment when `comment_id` is given.
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use article_widget::api::{ApiClient, Reaction};
/// use article_widget::components::ReactionBar;
/// let api = ApiClient::new("/api");
/// let reactions = vec![Reaction { kind: "like".into(), count: 8, reacted: false }];
/// let view = view! { <ReactionBar api article_id="my-post" reactions exclusive=true /> };
/// ```
#[component]
pub fn ReactionBar(
    /// The API to send reactions to.
    api: ApiClient,
    /// The article the reactions belong to.
    #[prop(into)]
    article_id: ArticleId,
    /// React to this comment instead of the article. Default: the article.
    #[prop(optional, into)]
    comment_id: Option<CommentId>,
    /// The reactions as the server last reported them.
    reactions: Vec<Reaction>,
    /// A viewer holds at most one kind (like *or* dislike). Default: false.
    #[prop(optional)]
    exclusive: bool,
    /// Labels of the kinds. Default: the [`ReactionLabels`] in context (an `ArticleWidget` provides
    /// its configuration's), else 👍 and 👎.
    #[prop(optional)]
    labels: Option<ReactionLabels>,
) -> impl IntoView {
    let labels = labels.or_else(use_context::<ReactionLabels>).unwrap_or_default();
    let strings = use_strings();
    let bar = use_reactions(api, article_id, comment_id, reactions, exclusive, strings.clone());
    // A bar's kinds are fixed when it is made: the buttons are built once, their counts follow.
    let buttons = bar
        .kinds()
        .into_iter()
        .map(|kind| {
            let (label, name) = (labels.label(kind.as_str()), reaction_name(&labels, &strings, &kind));
            view! { <ReactionButton bar kind label name strings=strings.clone() /> }
        })
        .collect_view();
    view! {
        <div class="aw-reactions" role="group" aria-label=strings.get(Msg::ReactionsGroup)>
            {buttons}
            {move || bar.error().map(|message| view! { <p class="aw-error-message" role="alert">{message}</p> })}
        </div>
    }
}

#[component]
fn ReactionButton(
    bar: ReactionsHandle,
    kind: ReactionKind,
    label: String,
    name: String,
    strings: Strings,
) -> impl IntoView {
    let shown = {
        let kind = kind.clone();
        move || bar.shown(&kind)
    };
    let locale = strings.locale().map(str::to_owned);
    let name = {
        let shown = shown.clone();
        move || strings.plural(Msg::ReactionsButton, shown().0, &[("name", &name)])
    };
    let data_kind = kind.to_string();
    view! {
        <button
            type="button"
            class="aw-reaction"
            data-kind=data_kind
            aria-pressed={
                let shown = shown.clone();
                move || if shown().1 { "true" } else { "false" }
            }
            aria-label=name
            on:click=move |_| bar.click(&kind)
        >
            // The button's name is its aria-label (a button's content is presentational).
            <span class="aw-reaction-label">{label}</span>
            <span class="aw-reaction-count">{
                let shown = shown.clone();
                move || format::count(shown().0, locale.as_deref())
            }</span>
        </button>
    }
}

/// The spoken name of a kind: a configured label with letters, else the catalogue's name for like and
/// dislike, else the kind with a capital letter.
pub(super) fn reaction_name(labels: &ReactionLabels, strings: &Strings, kind: &ReactionKind) -> String {
    let k = kind.as_str();
    match Msg::reaction(k).filter(|_| !labels.0.contains_key(k)) {
        Some(msg) => strings.get(msg),
        None => labels.name(k),
    }
}
