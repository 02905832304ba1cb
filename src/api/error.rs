//! The one error type of every API call.

use std::fmt;

/// The longest wait a `Retry-After` imposes, in seconds (ten minutes); everything that waits on
/// one (the composer's countdown, the messages, the check for new comments) uses
/// [`ApiError::retry_after_seconds`], which is capped at this.
pub const MAX_RETRY_AFTER_SECONDS: u32 = 600;

/// The wait assumed for a 429 without a usable `Retry-After`, in seconds.
pub const DEFAULT_RETRY_AFTER_SECONDS: u32 = 30;

/// Why an API call failed. Every variant renders as a sentence fit for a reader (see [`fmt::Display`]);
/// views prefix it with what they were doing ("Could not load comments: …").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// No response at all: offline, DNS, CORS refusal, connection reset.
    Network(String),
    /// No response within the client's time limit; the request was aborted.
    Timeout,
    /// The server answered with a non-success status.
    Http {
        status: u16,
        /// `error.code` of the contract's error body, when the body was one.
        code: Option<String>,
        /// `error.message`, a human sentence from the server.
        message: Option<String>,
        /// `error.field`, the request field at fault (422).
        field: Option<String>,
        /// `Retry-After` in seconds (429).
        retry_after: Option<u32>,
    },
    /// A success status whose body does not match the contract.
    Contract(String),
}

impl ApiError {
    /// Whether sending the same request again may succeed (network trouble, timeouts, 429 and 5xx).
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Network(_) | ApiError::Timeout => true,
            ApiError::Http { status, .. } => *status == 429 || *status >= 500,
            ApiError::Contract(_) => false,
        }
    }

    /// The field a validation error names, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            ApiError::Http { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    /// How long a 429 asks to wait, in seconds: its `Retry-After` (at most
    /// [`MAX_RETRY_AFTER_SECONDS`]: a server asking for days is asked again after that), else
    /// [`DEFAULT_RETRY_AFTER_SECONDS`].
    pub fn retry_after_seconds(&self) -> u32 {
        match self {
            ApiError::Http { retry_after: Some(secs), .. } => (*secs).min(MAX_RETRY_AFTER_SECONDS),
            _ => DEFAULT_RETRY_AFTER_SECONDS,
        }
    }

    /// Builds the error of a non-success response from its status, body text and `Retry-After` header.
    pub fn from_response(status: u16, body: &str, retry_after: Option<&str>) -> ApiError {
        let detail = contract::json::from_str::<super::ErrorBody>(body).ok().map(|b| b.error);
        ApiError::Http {
            status,
            code: detail.as_ref().map(|d| d.code.clone()),
            message: detail.as_ref().map(|d| d.message.clone()).filter(|m| !m.trim().is_empty()),
            field: detail.and_then(|d| d.field),
            retry_after: retry_after.and_then(|v| v.trim().parse().ok()),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Network(_) => f.write_str("the server could not be reached"),
            ApiError::Timeout => f.write_str("the server did not answer in time"),
            // A 4xx message is written for the reader (validation, rate limit); a 5xx message is
            // usually an internal detail, so it is not shown.
            ApiError::Http { status, message: Some(message), .. } if *status < 500 => f.write_str(message),
            ApiError::Http { status, retry_after: Some(_), .. } if *status == 429 => {
                write!(f, "too many requests; try again in {} s", self.retry_after_seconds())
            }
            ApiError::Http { status, .. } => write!(f, "the server answered {status}"),
            ApiError::Contract(detail) => {
                write!(f, "the server's answer was not in the expected format ({detail})")
            }
        }
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_message_is_shown_for_client_errors() {
        let e = ApiError::from_response(
            422,
            r#"{"error":{"code":"validation","message":"Your comment is empty.","field":"body"}}"#,
            None,
        );
        assert_eq!(e.to_string(), "Your comment is empty.");
        assert_eq!(e.field(), Some("body"));
        assert!(!e.is_transient());
    }

    #[test]
    fn server_errors_show_the_status_not_internals() {
        let e = ApiError::from_response(502, r#"{"error":{"code":"x","message":"db pool exhausted"}}"#, None);
        assert_eq!(e.to_string(), "the server answered 502");
        assert!(e.is_transient());
    }

    #[test]
    fn non_contract_error_bodies_fall_back_to_the_status() {
        let e = ApiError::from_response(404, "<html>Not Found</html>", None);
        assert_eq!(e.to_string(), "the server answered 404");
        assert_eq!(e.field(), None);
    }

    #[test]
    fn retry_after_is_parsed() {
        let e = ApiError::from_response(429, "", Some(" 42 "));
        assert!(matches!(e, ApiError::Http { retry_after: Some(42), .. }));
        assert_eq!(e.to_string(), "too many requests; try again in 42 s");
        assert!(e.is_transient());
        let e = ApiError::from_response(429, "", Some("Wed, 21 Oct 2015 07:28:00 GMT"));
        assert!(matches!(e, ApiError::Http { retry_after: None, .. }));
    }

    #[test]
    fn contract_and_network_errors_read_as_sentences() {
        assert_eq!(
            ApiError::Contract("missing field `title`".into()).to_string(),
            "the server's answer was not in the expected format (missing field `title`)"
        );
        assert_eq!(ApiError::Network("x".into()).to_string(), "the server could not be reached");
        assert_eq!(ApiError::Timeout.to_string(), "the server did not answer in time");
    }
}
