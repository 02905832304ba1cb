//! Backing off a timer that keeps failing: the thread's check for new comments runs on a fixed
//! interval, and a server that is down (or asks for time with `Retry-After`) should not be asked
//! every few seconds by every reader.

/// Exponential backoff, counted in ticks of a fixed timer: after `n` failures in a row, the next
/// `2^n - 1` ticks are skipped (at most [`Backoff::MAX_SKIP`]); a success starts over.
///
/// ## Usage
/// ```
/// use article_widget::backoff::Backoff;
/// let mut b = Backoff::default();
/// assert!(b.tick());
/// b.failed();          // skip 1 tick
/// assert!(!b.tick());
/// assert!(b.tick());
/// b.failed();          // two in a row: skip 3
/// assert_eq!((0..4).map(|_| b.tick()).collect::<Vec<_>>(), [false, false, false, true]);
/// b.succeeded();
/// assert!(b.tick());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Backoff {
    failures: u32,
    skip: u32,
}

impl Backoff {
    /// The most ticks skipped in a row (with a 30 s poll, 32 minutes).
    pub const MAX_SKIP: u32 = 63;

    /// Whether this tick may ask the server (a skipped tick counts down).
    pub fn tick(&mut self) -> bool {
        if self.skip > 0 {
            self.skip -= 1;
            return false;
        }
        true
    }

    /// The last request failed: wait twice as long as before.
    pub fn failed(&mut self) {
        self.failures = (self.failures + 1).min(6);
        self.skip = ((1 << self.failures) - 1).min(Self::MAX_SKIP);
    }

    /// The server asked to wait `ticks` ticks (`Retry-After` over the timer's period): wait at
    /// least that, within [`Backoff::MAX_SKIP`].
    pub fn wait(&mut self, ticks: u32) {
        self.failed();
        self.skip = self.skip.max(ticks.min(Self::MAX_SKIP));
    }

    /// The last request succeeded.
    pub fn succeeded(&mut self) {
        *self = Self::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_double_the_wait_up_to_the_cap_and_a_success_resets() {
        let mut b = Backoff::default();
        let mut asked = Vec::new();
        for tick in 0..200 {
            if b.tick() {
                asked.push(tick);
                b.failed();
            }
        }
        // Asked at 0, then after skipping 1, 3, 7, 15, 31, 63, 63, ... ticks.
        assert_eq!(&asked[..8], [0, 2, 6, 14, 30, 62, 126, 190]);
        b.succeeded();
        assert!(b.tick() && b.tick());
    }

    #[test]
    fn retry_after_is_waited_within_the_cap() {
        let mut b = Backoff::default();
        b.wait(10);
        assert_eq!((0..11).filter(|_| !b.tick()).count(), 10);
        b.wait(10_000);
        assert_eq!((0..100).take_while(|_| !b.tick()).count(), Backoff::MAX_SKIP as usize);
    }
}
