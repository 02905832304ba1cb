//! The JSON API: the contract's types (re-exported from the `contract` crate), the error type and the
//! HTTP client.
//!
//! The contract itself is `openapi.yaml` at the repository root.

mod client;
mod error;

pub use client::{ApiClient, Credentials, Endpoints, DEFAULT_TIMEOUT_MS};
pub use contract::*;
pub use error::{ApiError, DEFAULT_RETRY_AFTER_SECONDS, MAX_RETRY_AFTER_SECONDS};
