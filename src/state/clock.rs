//! [`Clock`]: one clock for every relative time of a thread ("3 minutes ago"). It ticks each
//! minute, but a time only re-reads it at the pace its text can change: a comment minutes old each
//! minute, hours old each hour, days old each day. 10,000 comments a week old cost nothing per tick.

use std::time::Duration;

use leptos::prelude::*;

use crate::platform;

const MINUTE: f64 = 60_000.0;
const HOUR: f64 = 60.0 * MINUTE;
const DAY: f64 = 24.0 * HOUR;

/// See the module documentation. `Copy`; provided in context by the thread.
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use article_widget::state::Clock;
/// let clock = Clock::start();
/// let then = 1_795_168_800_000.0; // 2026-11-20T10:00:00Z
/// let minutes_ago = move || ((clock.now_for(then) - then) / 60_000.0).floor();
/// ```
#[derive(Clone, Copy)]
pub struct Clock {
    now: StoredValue<f64>,
    minute: Trigger,
    hour: Trigger,
    day: Trigger,
}

impl Clock {
    /// A clock ticking every minute until the calling owner is cleaned up.
    pub fn start() -> Clock {
        let clock = Clock {
            now: StoredValue::new(platform::now_ms()),
            minute: Trigger::new(),
            hour: Trigger::new(),
            day: Trigger::new(),
        };
        platform::every(Duration::from_secs(60), move || clock.tick(platform::now_ms()));
        clock
    }

    /// Moves the clock to `now` (milliseconds since the epoch), waking the times that may read
    /// differently.
    pub fn tick(&self, now: f64) {
        let Some(before) = self.now.try_get_value() else { return };
        self.now.set_value(now);
        self.minute.notify();
        if (before / HOUR).floor() != (now / HOUR).floor() {
            self.hour.notify();
        }
        if (before / DAY).floor() != (now / DAY).floor() {
            self.day.notify();
        }
    }

    /// The time now, re-read by the caller (a view) as often as a time `then` ago can change.
    pub fn now_for(&self, then: f64) -> f64 {
        let now = self.now.try_get_value().unwrap_or_else(platform::now_ms);
        let age = now - then;
        if age < HOUR {
            self.minute.track();
        } else if age < DAY {
            self.hour.track();
        } else {
            self.day.track();
        }
        now
    }
}
