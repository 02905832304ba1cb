//! Edit tokens: what lets the author of a comment edit or delete it, without cookies (a widget on
//! another site than its API gets no third-party cookies in today's browsers) and without storing
//! anything per comment. A token is the comment's expiry and an HMAC-SHA256 over the comment id and
//! that expiry, keyed by the server's secret (made on first start, kept in the database): it names
//! one comment, it cannot be stretched, and it is checked in constant time.
//!
//! ## Usage
//! ```
//! use dev_api::edit::{EditKeys, Refusal};
//! let keys = EditKeys::new([7; 32]);
//! let token = keys.token(42, 1_000);
//! assert_eq!(keys.check(42, &token, 999), Ok(()));
//! assert_eq!(keys.check(42, &token, 1_000), Err(Refusal::WindowClosed));
//! assert_eq!(keys.check(43, &token, 999), Err(Refusal::Forbidden));
//! ```

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Why a token does not open a comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Missing, malformed, forged, or for another comment.
    Forbidden,
    /// Genuine, but its time is over.
    WindowClosed,
}

/// The server's key for edit tokens.
#[derive(Clone)]
pub struct EditKeys {
    secret: [u8; 32],
}

impl EditKeys {
    pub fn new(secret: [u8; 32]) -> EditKeys {
        EditKeys { secret }
    }

    fn mac(&self, comment: i64, until: i64) -> HmacSha256 {
        // A key of any length is accepted by HMAC: this cannot fail.
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.secret).unwrap_or_else(|_| unreachable!());
        mac.update(format!("comment:{comment}:until:{until}").as_bytes());
        mac
    }

    /// The token of comment `comment`, good until `until` (Unix seconds): `{until}.{mac}`.
    pub fn token(&self, comment: i64, until: i64) -> String {
        let tag = self.mac(comment, until).finalize().into_bytes();
        format!("{until}.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(tag))
    }

    /// Whether `token` opens comment `comment` at `now` (Unix seconds).
    pub fn check(&self, comment: i64, token: &str, now: i64) -> Result<(), Refusal> {
        let (until, tag) = token.split_once('.').ok_or(Refusal::Forbidden)?;
        let until: i64 = until.parse().map_err(|_| Refusal::Forbidden)?;
        let tag = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(tag).map_err(|_| Refusal::Forbidden)?;
        // `verify_slice` compares in constant time.
        self.mac(comment, until).verify_slice(&tag).map_err(|_| Refusal::Forbidden)?;
        if now >= until {
            return Err(Refusal::WindowClosed);
        }
        Ok(())
    }
}

/// The server's clock: the system's, moved by an offset that tests set, so that an edit window can
/// close without waiting for it. Clones share the offset.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_seconds: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> time::OffsetDateTime {
        let now =
            time::OffsetDateTime::now_utc() + time::Duration::seconds(self.offset_seconds.load(Ordering::Relaxed));
        now.replace_nanosecond(0).unwrap_or(now)
    }

    /// Moves the clock on by `seconds` (tests only).
    pub fn advance(&self, seconds: i64) {
        self.offset_seconds.fetch_add(seconds, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_open_their_comment_until_their_time_and_nothing_else() {
        let keys = EditKeys::new([1; 32]);
        let token = keys.token(7, 2_000);
        assert_eq!(keys.check(7, &token, 1_999), Ok(()));
        assert_eq!(keys.check(7, &token, 2_000), Err(Refusal::WindowClosed));
        assert_eq!(keys.check(8, &token, 1_000), Err(Refusal::Forbidden), "another comment");
        // Stretching the time breaks the MAC.
        let stretched = token.replacen("2000", "9000", 1);
        assert_eq!(keys.check(7, &stretched, 1_000), Err(Refusal::Forbidden));
        // Another server's secret.
        assert_eq!(EditKeys::new([2; 32]).check(7, &token, 1_000), Err(Refusal::Forbidden));
        for bad in ["", ".", "2000", "2000.", "x.abc", "2000.!!!", "2000.AAAA", &token[..token.len() - 1]] {
            assert_eq!(keys.check(7, bad, 1_000), Err(Refusal::Forbidden), "{bad:?}");
        }
    }

    #[test]
    fn the_clock_moves_by_its_offset_and_clones_share_it() {
        let clock = Clock::default();
        let other = clock.clone();
        let before = clock.now();
        other.advance(3600);
        assert!(clock.now() - before >= time::Duration::seconds(3600));
    }
}
