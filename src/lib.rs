//! # article-widget
//!
//! A Leptos/WebAssembly front end for an article page: the article, a bar of reaction buttons and a
//! threaded comment thread, reading from and posting to the JSON API described in `openapi.yaml`.
//!
//! - [`api`]: the contract's types, the error type and the HTTP client (the only code that does HTTP);
//! - [`config`]: the configuration read from an element's data attributes;
//! - [`markdown`], [`reactions`], [`thread`]: the logic, as plain types tested without a browser;
//! - [`components`]: the Leptos components that render them;
//! - [`mount`]: mounting one widget per `[data-article-widget]` element (what the binary does).

pub mod api;
pub mod components;
pub mod config;
pub mod drafts;
pub mod format;
pub mod i18n;
pub mod markdown;
pub mod mount;
pub mod reactions;
pub mod sync;
pub mod thread;
pub mod viewer;

