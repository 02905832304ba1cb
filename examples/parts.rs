//! Reusing the pieces in your own Leptos app: only the `ReactionBar` and the `CommentThread`, inside
//! your own layout, talking to your own API base. Built by `make test`
//! (`cargo build --example parts --target wasm32-unknown-unknown`); serve it with any static server
//! after `wasm-bindgen --target web`.

use article_widget::api::{ApiClient, ApiError, Article, ArticleId, Sort};
use article_widget::components::{CommentThread, ReactionBar};
use article_widget::viewer::viewer_id;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The host app's own article page: its own header and text, the widget's reactions under the title
/// and the widget's thread at the end.
#[component]
fn MyArticlePage(api: ApiClient, #[prop(into)] article_id: ArticleId) -> impl IntoView {
    // The reaction bar needs the article's reactions: load them once.
    let article = RwSignal::new(None::<Result<Article, ApiError>>);
    {
        let (api, article_id) = (api.clone(), article_id.clone());
        spawn_local(async move {
            article.try_set(Some(api.get_article(&article_id).await));
        });
    }
    let reactions = {
        let (api, article_id) = (api.clone(), article_id.clone());
        move || {
            match article.get() {
            None => view! { <p>"Loading reactions…"</p> }.into_any(),
            Some(Err(e)) => view! { <p role="alert">{format!("Reactions unavailable: {e}")}</p> }.into_any(),
            Some(Ok(a)) => view! {
                <ReactionBar api=api.clone() article_id=article_id.clone() reactions=a.reactions exclusive=a.reactions_exclusive />
            }
            .into_any(),
        }
        }
    };
    view! {
        <main class="my-blog">
            <header>
                <h1>"My blog's own title"</h1>
                // The widget's stylesheet styles everything inside `.aw-root`.
                <div class="aw-root">{reactions}</div>
            </header>
            <p>"My blog renders the article text itself."</p>
            <footer class="aw-root">
                <CommentThread api article_id sort=Sort::Newest page_size=10 poll_seconds=60 />
            </footer>
        </main>
    }
}

fn main() {
    let api = ApiClient::new("/my-api/v1").with_header("X-Viewer-Id", viewer_id());
    mount_to_body(move || view! { <MyArticlePage api article_id="openai-microsoft-aws" /> });
}
