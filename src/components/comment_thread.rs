//! `CommentThread`: the heading with the count, the comments with their replies, paging and the
//! composer. The thread's logic lives in [`crate::thread::Thread`]; this file renders it.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{Composer, DateTime, ErrorNotice, Load, Markdown, Placeholder, ReactionBar};
use crate::api::{ApiClient, Comment, Sort};
use crate::config::DEFAULT_PAGE_SIZE;
use crate::format;
use crate::thread::Thread;

/// The comments of an article, with a form to post one.
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use article_widget::api::{ApiClient, Sort};
/// use article_widget::components::CommentThread;
/// let view = view! { <CommentThread api=ApiClient::new("/api") article_id="my-post" sort=Sort::Newest /> };
/// ```
#[component]
pub fn CommentThread(
    api: ApiClient,
    #[prop(into)] article_id: String,
    /// Order of top-level comments. Default: oldest first.
    #[prop(optional)]
    sort: Sort,
    /// Top-level comments per page. Default: 20.
    #[prop(default = DEFAULT_PAGE_SIZE)]
    page_size: u32,
) -> impl IntoView {
    let thread = RwSignal::new(Load::<Thread>::Loading);
    let more = RwSignal::new(Load::<()>::Ready(()));
    let heading_id = super::unique_id("aw-comments-heading");

    let load_first = {
        let (api, article_id) = (api.clone(), article_id.clone());
        move || {
            thread.set(Load::Loading);
            let (api, article_id) = (api.clone(), article_id.clone());
            spawn_local(async move {
                let loaded = match api.list_comments(&article_id, sort, page_size, None).await {
                    Ok(page) => Load::Ready(Thread::new(page, sort)),
                    Err(e) => Load::Failed(format!("Could not load comments: {e}")),
                };
                thread.try_set(loaded);
            });
        }
    };
    load_first();
    let load_first = Callback::new(move |()| load_first());

    let load_more = {
        let (api, article_id) = (api.clone(), article_id.clone());
        move || {
            let Some(cursor) = thread.with_untracked(|t| match t {
                Load::Ready(t) => t.next_cursor().map(str::to_owned),
                _ => None,
            }) else {
                return;
            };
            more.set(Load::Loading);
            let (api, article_id) = (api.clone(), article_id.clone());
            spawn_local(async move {
                match api.list_comments(&article_id, sort, page_size, Some(&cursor)).await {
                    Ok(page) => {
                        thread.try_update(|t| {
                            if let Load::Ready(t) = t {
                                t.append_page(page)
                            }
                        });
                        more.try_set(Load::Ready(()));
                    }
                    Err(e) => {
                        more.try_set(Load::Failed(format!("Could not load more comments: {e}")));
                    }
                }
            });
        }
    };
    let load_more = Callback::new(move |()| load_more());

    let on_posted = Callback::new(move |comment: Comment| {
        thread.update(|t| {
            if let Load::Ready(t) = t {
                t.insert_posted(comment);
            }
        });
    });

    let heading = move || {
        thread.with(|t| match t {
            Load::Ready(t) => format::comments_heading(t.total()),
            _ => "Comments".to_owned(),
        })
    };
    let has_more = move || thread.with(|t| matches!(t, Load::Ready(t) if t.next_cursor().is_some()));
    let comment_list = {
        let (api, article_id) = (api.clone(), article_id.clone());
        move || {
            let (api, article_id) = (api.clone(), article_id.clone());
            match thread.with(|t| match t {
                Load::Loading => Load::Loading,
                Load::Failed(e) => Load::Failed(e.clone()),
                Load::Ready(t) => Load::Ready(t.comments().is_empty()),
            }) {
                Load::Loading => view! { <Placeholder label="Loading comments…" /> }.into_any(),
                Load::Failed(message) => view! { <ErrorNotice message on_retry=load_first /> }.into_any(),
                Load::Ready(true) => view! { <p class="aw-empty">"Be the first to comment!"</p> }.into_any(),
                Load::Ready(false) => view! {
                    <ol class="aw-comment-list">
                        <For
                            each=move || thread.with(|t| match t {
                                Load::Ready(t) => t.comments().to_vec(),
                                _ => Vec::new(),
                            })
                            // A comment re-renders when it gains a reply; otherwise it is kept as is.
                            key=|c| (c.id.clone(), c.reply_count)
                            let:comment
                        >
                            <li><CommentView api=api.clone() article_id=article_id.clone() comment depth=0 /></li>
                        </For>
                    </ol>
                }
                .into_any(),
            }
        }
    };

    let labelled_by = heading_id.clone();
    view! {
        <section class="aw-comments" aria-labelledby=labelled_by>
            <h2 id=heading_id class="aw-comments-heading">{heading}</h2>
            {comment_list}
            <Show when=has_more>
                <button type="button" class="aw-button aw-load-more" disabled=move || more.with(|m| matches!(m, Load::Loading))
                    on:click=move |_| load_more.run(())>
                    {move || if more.with(|m| matches!(m, Load::Loading)) { "Loading…" } else { "Load more comments" }}
                </button>
            </Show>
            {move || match more.get() {
                Load::Failed(message) => Some(view! { <ErrorNotice message on_retry=load_more /> }),
                _ => None,
            }}
            <Composer api article_id on_posted />
        </section>
    }
}

/// One comment as an `<article>`: author, date, body, reactions and its replies.
#[component]
pub fn CommentView(api: ApiClient, #[prop(into)] article_id: String, comment: Comment, depth: usize) -> impl IntoView {
    let Comment { id, author, body, created_at, edited_at, reactions, replies, .. } = comment;
    let comment_id = id.clone();
    let replies = (!replies.is_empty()).then(|| {
        let items = replies
            .into_iter()
            .map(|reply| {
                let (api, article_id) = (api.clone(), article_id.clone());
                view! { <li><CommentView api article_id comment=reply depth=depth + 1 /></li> }.into_any()
            })
            .collect_view();
        view! { <ol class="aw-replies">{items}</ol> }
    });
    view! {
        <article class="aw-comment" data-comment-id=comment_id>
            <header class="aw-comment-header">
                <span class="aw-comment-author">{author.name}</span>
                " · "
                <DateTime iso=created_at />
                {edited_at.map(|_| view! { <span class="aw-edited">" (edited)"</span> })}
            </header>
            <div class="aw-comment-body aw-prose"><Markdown source=body /></div>
            {(!reactions.is_empty()).then(|| view! {
                <ReactionBar api article_id comment_id=id reactions />
            })}
        </article>
        {replies}
    }
    .into_any()
}
