//! `ReactionBar`: one toggle button per reaction kind, optimistic and race-free (see
//! [`crate::reactions`], which holds all the logic; this file only renders it and runs requests).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{ApiClient, Reaction};
use crate::format::{self, ReactionLabels};
use crate::reactions::{ReactionRequest, ReactionState};
use crate::i18n::Strings;
use crate::sync;
use super::use_strings;

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
    article_id: String,
    /// React to this comment instead of the article. Default: the article.
    #[prop(optional, into)]
    comment_id: Option<String>,
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
    let state = RwSignal::new(ReactionState::new(reactions, exclusive));
    let error = RwSignal::new(None::<String>);

    // Other bars for the same target on this page (e.g. another widget) share their answers.
    let key = sync::key(api.base(), &article_id, comment_id.as_deref());
    let subscription = sync::subscribe(key.clone(), move |reactions| {
        state.try_update(|s| s.refresh(reactions));
    });
    let target = Target { api, article_id, comment_id, key, subscription: std::sync::Arc::new(subscription), strings: strings.clone() };

    let kinds = Memo::new(move |_| state.with(|s| s.confirmed().iter().map(|r| r.kind.clone()).collect::<Vec<_>>()));
    let click = move |kind: String| {
        error.set(None);
        if let Some(request) = state.try_update(|s| s.click(&kind)).flatten() {
            target.clone().send(state, error, request);
        }
    };
    let click = StoredValue::new(click);
    let group_label = strings.get("reactions.group");

    view! {
        <div class="aw-reactions" role="group" aria-label=group_label>
            <For each=move || kinds.get() key=|kind| kind.clone() let:kind>
                {
                    let shown = {
                        let kind = kind.clone();
                        Memo::new(move |_| state.with(|s| s.shown().into_iter().find(|r| r.kind == kind)))
                    };
                    let count = move || shown.get().map(|r| r.count).unwrap_or(0);
                    let pressed = move || shown.get().is_some_and(|r| r.reacted);
                    let name = {
                        let name = reaction_name(&labels, &strings, &kind);
                        let strings = strings.clone();
                        move || strings.plural("reactions.button", count(), &[("name", &name)])
                    };
                    let locale = strings.locale().map(str::to_owned);
                    let label = labels.label(&kind);
                    let kind_for_click = kind.clone();
                    view! {
                        <button
                            type="button"
                            class="aw-reaction"
                            data-kind=kind
                            aria-pressed=move || if pressed() { "true" } else { "false" }
                            aria-label=name
                            on:click=move |_| click.with_value(|f| f(kind_for_click.clone()))
                        >
                            <span class="aw-reaction-label" aria-hidden="true">{label}</span>
                            <span class="aw-reaction-count" aria-hidden="true">{move || format::count(count(), locale.as_deref())}</span>
                        </button>
                    }
                }
            </For>
            {move || error.get().map(|message| view! { <p class="aw-error-message" role="alert">{message}</p> })}
        </div>
    }
}

/// Where a bar's requests go, and whom to tell about the answers.
#[derive(Clone)]
struct Target {
    api: ApiClient,
    article_id: String,
    comment_id: Option<String>,
    key: String,
    /// Lives as long as the bar's last clone (the click handler and any request in flight).
    subscription: std::sync::Arc<sync::Subscription>,
    strings: Strings,
}

/// The spoken name of a kind: a configured label with letters, else the catalogue's name for like and
/// dislike, else the kind with a capital letter.
fn reaction_name(labels: &ReactionLabels, strings: &Strings, kind: &str) -> String {
    match kind {
        "like" | "dislike" if !labels.0.contains_key(kind) => strings.get(&format!("reaction.{kind}")),
        _ => labels.name(kind),
    }
}

impl Target {
    /// Sends `request`, feeds the answer to the state and sends whatever it asks for next.
    fn send(self, state: RwSignal<ReactionState>, error: RwSignal<Option<String>>, request: ReactionRequest) {
        spawn_local(async move {
            let mut next = Some(request);
            while let Some(request) = next.take() {
                let answer = match &self.comment_id {
                    None => self.api.set_article_reaction(&self.article_id, &request.kind, request.on).await,
                    Some(comment) => {
                        self.api.set_comment_reaction(&self.article_id, comment, &request.kind, request.on).await
                    }
                };
                // try_*: the widget may have been removed while the request was out.
                match answer {
                    Ok(list) => {
                        sync::publish(&self.key, &self.subscription, &list.reactions);
                        next = state.try_update(|s| s.succeeded(list.reactions)).flatten();
                    }
                    Err(e) => {
                        state.try_update(|s| s.failed());
                        error.try_set(Some(self.strings.fmt("reactions.error", &[("reason", &self.strings.reason(&e))])));
                    }
                }
            }
        });
    }
}
