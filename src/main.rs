//! The browser entry point, of the embed bundle (`scripts/bundle.sh`) and of the Trunk dev page:
//! mounts a widget on every `[data-article-widget]` element, now and as they come and go.

// The bundle's allocator (see `heap.rs`). Set here, not in the library: an app that reuses the
// components keeps its own.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: article_widget::heap::Heap = article_widget::heap::new();

fn main() {
    article_widget::mount::start();
}
