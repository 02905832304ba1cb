//! The browser entry point, of the embed bundle (`scripts/bundle.sh`) and of the Trunk dev page:
//! mounts a widget on every `[data-article-widget]` element, now and as they come and go.

fn main() {
    article_widget::mount::start();
}
