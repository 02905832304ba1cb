//! [`ReactionsHandle`]: the controller of one reaction bar. It owns the [`ReactionState`], sends the
//! requests it asks for one at a time, and keeps other bars for the same target on the page in step
//! (see [`crate::sync`]).

use leptos::prelude::*;

use crate::api::{ApiClient, ArticleId, CommentId, Reaction, ReactionKind};
use crate::i18n::Msg;
use crate::i18n::Strings;
use crate::platform::spawn_local;
use crate::reactions::{ReactionRequest, ReactionState};
use crate::sync;

/// Where a bar's requests go, and whom to tell about the answers.
struct Target {
    api: ApiClient,
    article_id: ArticleId,
    comment_id: Option<CommentId>,
    key: String,
    /// The bar's place in the page-wide registry; leaves it when the bar is gone.
    subscription: sync::Subscription,
    strings: Strings,
}

/// The controller of one reaction bar; `Copy`. Made by [`use_reactions`].
#[derive(Clone, Copy)]
pub struct ReactionsHandle {
    state: RwSignal<ReactionState>,
    error: RwSignal<Option<String>>,
    target: StoredValue<Target, LocalStorage>,
}

/// A bar for the article, or for one of its comments, starting from `reactions` as the server
/// reported them.
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use article_widget::api::{ApiClient, Reaction};
/// use article_widget::i18n::Strings;
/// use article_widget::state::use_reactions;
/// let likes = vec![Reaction { kind: "like".into(), count: 8, reacted: false }];
/// let bar = use_reactions(ApiClient::new("/api"), "my-post".into(), None, likes, false, Strings::default());
/// let like = "like".into();
/// let view = view! { <button on:click=move |_| bar.click(&like)>{move || bar.shown(&"like".into()).0}</button> };
/// ```
pub fn use_reactions(
    api: ApiClient,
    article_id: ArticleId,
    comment_id: Option<CommentId>,
    reactions: Vec<Reaction>,
    exclusive: bool,
    strings: Strings,
) -> ReactionsHandle {
    let state = RwSignal::new(ReactionState::new(reactions, exclusive));
    let key = sync::key(api.base(), &article_id, comment_id.as_ref());
    let subscription = sync::subscribe(key.clone(), move |reactions| {
        state.try_update(|s| s.refresh(reactions));
    });
    ReactionsHandle {
        state,
        error: RwSignal::new(None),
        target: StoredValue::new_local(Target { api, article_id, comment_id, key, subscription, strings }),
    }
}

impl ReactionsHandle {
    /// The kinds, in the server's order (untracked: a bar's kinds are fixed when it is made).
    pub fn kinds(&self) -> Vec<ReactionKind> {
        self.state.with_untracked(|s| s.confirmed().iter().map(|r| r.kind.clone()).collect())
    }

    /// Whether its kinds are `kinds`, in that order (as [`ReactionsHandle::kinds`], copying nothing).
    pub fn has_kinds(&self, kinds: &[ReactionKind]) -> bool {
        self.state.with_untracked(|s| s.confirmed().iter().map(|r| &r.kind).eq(kinds))
    }

    /// What the bar shows for `kind`: the count and whether this reader holds it.
    pub fn shown(&self, kind: &ReactionKind) -> (u64, bool) {
        self.state.try_with(|s| s.shown_kind(kind)).unwrap_or_default()
    }

    /// The last failure's sentence, until the next click.
    pub fn error(&self) -> Option<String> {
        self.error.try_get().flatten()
    }

    /// The reader clicked `kind`: shown at once, sent when the bar is idle.
    pub fn click(&self, kind: &ReactionKind) {
        self.error.try_set(None);
        if let Some(Some(request)) = self.state.try_update(|s| s.click(kind)) {
            self.send(request);
        }
    }

    /// Sends `request`, feeds the answer to the state and sends whatever it asks for next.
    fn send(self, request: ReactionRequest) {
        let Some((api, article_id, comment_id, key)) =
            self.target.try_with_value(|t| (t.api.clone(), t.article_id.clone(), t.comment_id.clone(), t.key.clone()))
        else {
            return;
        };
        spawn_local(async move {
            let mut next = Some(request);
            while let Some(request) = next.take() {
                let number = sync::request_sent(&key);
                let answer = match &comment_id {
                    None => api.set_article_reaction(&article_id, &request.kind, request.on).await,
                    Some(comment) => api.set_comment_reaction(&article_id, comment, &request.kind, request.on).await,
                };
                // try_*: the bar may have been removed while the request was out.
                match answer {
                    Ok(list) => match sync::answered(&key, number, &list.reactions) {
                        None => {
                            self.target
                                .try_with_value(|t| sync::publish(&t.key, Some(&t.subscription), &list.reactions));
                            next = self.state.try_update(|s| s.succeeded(list.reactions)).flatten();
                        }
                        // Another bar's later request was answered first: its answer stands.
                        Some(newer) => {
                            next = self.state.try_update(|s| s.superseded(newer)).flatten();
                        }
                    },
                    Err(e) => {
                        self.state.try_update(|s| s.failed());
                        let message = self.target.try_with_value(|t| {
                            t.strings.fmt(Msg::ReactionsError, &[("reason", &t.strings.reason(&e))])
                        });
                        self.error.try_set(message);
                    }
                }
            }
        });
    }
}
