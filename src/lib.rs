//! # article-widget
//!
//! A Leptos/WebAssembly front end for an article page: the article, a bar of reaction buttons and a
//! threaded comment thread, reading from and posting to the JSON API described in `openapi.yaml`.
//!
//! - [`api`]: the contract's types (from the `contract` crate, shared with dev-api), the error type
//!   and the HTTP client (the only code that does HTTP);
//! - [`config`]: the configuration read from an element's data attributes;
//! - [`markdown`], [`reactions`], [`thread`], [`drafts`], [`backoff`]: the logic, as plain types tested
//!   without a browser;
//! - [`state`]: the controllers (`Copy` handles) that own signals, requests and timers around them;
//! - [`platform`]: the browser APIs the logic needs (storage, visibility, clock, randomness);
//! - [`components`]: the Leptos components, which only render;
//! - [`mount`]: mounting one widget per `[data-article-widget]` element (what the binary does);
//! - [`ssr`]: the parts as HTML for a server to send before any wasm runs, which the widget takes over.

#![recursion_limit = "256"]

// Under `ssr`, Leptos renders to strings and drops event handlers: a browser build with it would not
// react to a click. A server build turns the default feature off.
#[cfg(all(feature = "csr", feature = "ssr"))]
compile_error!("the features `csr` (the default) and `ssr` exclude each other: build a server with `default-features = false, features = [\"ssr\"]`");

pub mod api;
pub mod backoff;
pub mod components;
pub mod config;
pub mod crash;
pub mod drafts;
pub mod format;
pub mod grants;
#[cfg(target_arch = "wasm32")]
pub mod heap;
pub mod i18n;
pub mod markdown;
pub mod mount;
pub mod platform;
pub mod reactions;
pub mod ssr;
pub mod state;
pub mod sync;
pub mod thread;
pub mod viewer;
