//! The browser entry point: mounts a widget on every `[data-article-widget]` element of the page.

fn main() {
    article_widget::mount::mount_all();
}
