//! The JSON shapes of the contract (`openapi.yaml`): the `contract` crate's, shared with the widget.

pub use contract::*;

/// The one reaction kind comments have.
pub const COMMENT_REACTION_KINDS: &[&str] = &["like"];
