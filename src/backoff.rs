//! Backing off a timer that keeps failing: the thread's check for new comments runs on a fixed
//! interval, and a server that is down (or asks for time with `Retry-After`) should not be asked
//! every few seconds by every reader.

/// Exponential backoff, counted in ticks of a fixed timer: after `n` failures in a row, the next
/// `2^n - 1` ticks are skipped (at most `max_skip`, [`Backoff::MAX_SKIP`] by default); a success
/// starts over.
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    failures: u32,
    skip: u32,
    max_skip: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff::new(Self::MAX_SKIP)
    }
}

impl Backoff {
    /// The most ticks skipped in a row by default (with a 30 s timer, 32 minutes).
    pub const MAX_SKIP: u32 = 63;

    /// A backoff that skips at most `max_skip` ticks in a row (0: never skips).
    pub fn new(max_skip: u32) -> Backoff {
        Backoff { failures: 0, skip: 0, max_skip }
    }

    /// A backoff for a timer of `period_seconds` that waits at most `max_wait_seconds` between asks.
    pub fn for_period(period_seconds: u32, max_wait_seconds: u32) -> Backoff {
        Backoff::new(max_wait_seconds / period_seconds.max(1))
    }

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
        self.failures = (self.failures + 1).min(16);
        self.skip = ((1u32 << self.failures) - 1).min(self.max_skip);
    }

    /// The server asked to wait `ticks` ticks (`Retry-After` over the timer's period): wait at
    /// least that, within the most this backoff skips.
    pub fn wait(&mut self, ticks: u32) {
        self.failed();
        self.skip = self.skip.max(ticks.min(self.max_skip));
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
    fn the_cap_is_a_time_whatever_the_period() {
        // At most 30 minutes between asks: 1,800 ticks of 1 s, or every tick of an hour.
        let mut every_second = Backoff::for_period(1, 1800);
        let mut hourly = Backoff::for_period(3600, 1800);
        for _ in 0..20 {
            every_second.failed();
            hourly.failed();
        }
        assert_eq!((0..5000).take_while(|_| !every_second.tick()).count(), 1800);
        assert!(hourly.tick(), "an hourly timer skips nothing more");
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
