//! The JSON API: contract types, the error type and the HTTP client.
//!
//! The contract itself is `openapi.yaml` at the repository root.

mod client;
mod error;
mod types;

pub use client::{ApiClient, Credentials, Endpoints, DEFAULT_TIMEOUT_MS};
pub use error::ApiError;
pub use types::*;
