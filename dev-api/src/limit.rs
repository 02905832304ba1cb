//! Rate limits that hold: counted per client address **and** per viewer (a client choosing a new
//! `X-Viewer-Id` for every post still has one address), in sliding one-minute windows, in bounded
//! memory.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);

/// How many keys one limit remembers. Past that, keys whose window is empty are forgotten; if all
/// are busy, new keys wait (the limit fails closed rather than forgetting who is busy).
const MAX_KEYS: usize = 100_000;

/// At most `per_minute` events per key in any 60 s.
pub struct RateLimit {
    per_minute: usize,
    windows: Mutex<Windows>,
}

#[derive(Default)]
struct Windows {
    by_key: HashMap<String, VecDeque<Instant>>,
    /// When idle keys were last forgotten (at most once a second: it walks every key).
    swept: Option<Instant>,
}

impl RateLimit {
    pub fn new(per_minute: usize) -> RateLimit {
        RateLimit { per_minute, windows: Mutex::new(Windows::default()) }
    }

    #[cfg(test)]
    fn admit_at(&self, keys: &[String], now: Instant) -> Result<(), u64> {
        admit_all(&[(self, keys)], now)
    }
    #[cfg(test)]
    fn keys(&self) -> usize {
        self.windows.lock().map(|w| w.by_key.len()).unwrap_or(0)
    }
}

/// Counts one event for each limit's keys if every one has room; otherwise counts nothing and
/// answers the whole seconds until all have. The limits are locked in the order given (callers keep
/// one order, so two requests never wait on each other).
pub fn admit_all(limits: &[(&RateLimit, &[String])], now: Instant) -> Result<(), u64> {
    // A poisoned lock only means another request panicked mid-count: the counts are still sound.
    let mut states: Vec<_> = limits.iter().map(|(l, _)| l.windows.lock().unwrap_or_else(|e| e.into_inner())).collect();
    let mut wait = Duration::ZERO;
    for ((limit, keys), state) in limits.iter().zip(states.iter_mut()) {
        let due = state.swept.is_none_or(|t| now.saturating_duration_since(t) >= Duration::from_secs(1));
        if state.by_key.len() + keys.len() > MAX_KEYS && due {
            state.by_key.retain(|_, times| times.back().is_some_and(|t| now.saturating_duration_since(*t) < WINDOW));
            state.swept = Some(now);
        }
        let full = state.by_key.len() >= MAX_KEYS;
        if limit.per_minute == 0 {
            wait = wait.max(WINDOW);
        }
        for key in keys.iter() {
            match state.by_key.get_mut(key) {
                Some(times) => {
                    while times.front().is_some_and(|t| now.saturating_duration_since(*t) >= WINDOW) {
                        times.pop_front();
                    }
                    if times.len() >= limit.per_minute {
                        let oldest = times.front().copied().unwrap_or(now);
                        wait = wait.max(WINDOW.saturating_sub(now.saturating_duration_since(oldest)));
                    }
                }
                None if full => wait = wait.max(WINDOW),
                None => {}
            }
        }
    }
    if !wait.is_zero() {
        return Err(wait.as_secs_f64().ceil().max(1.0) as u64);
    }
    for ((_, keys), state) in limits.iter().zip(states.iter_mut()) {
        for key in keys.iter() {
            state.by_key.entry(key.clone()).or_default().push_back(now);
        }
    }
    Ok(())
}

/// The key of a client address: the address itself, or for IPv6 its /64 network (one subscriber
/// usually holds a whole /64, and could rotate through it).
pub fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => format!("ip:{v4}"),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => format!("ip:{v4}"),
            None => {
                let s = v6.segments();
                format!("ip:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// The client's address: the peer's, or, when the peer is the trusted proxy, the last address the
/// proxy added to `X-Forwarded-For` (earlier entries are the client's to forge).
pub fn client_address(peer: IpAddr, trusted_proxy: Option<IpAddr>, forwarded_for: Option<&str>) -> IpAddr {
    if trusted_proxy != Some(peer) {
        return peer;
    }
    forwarded_for.and_then(|list| list.rsplit(',').next()).and_then(|last| last.trim().parse().ok()).unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(list: &[&str]) -> Vec<String> {
        list.iter().map(|k| (*k).to_owned()).collect()
    }

    #[test]
    fn rotating_viewers_from_one_address_are_held_by_the_address() {
        let limit = RateLimit::new(5);
        let now = Instant::now();
        let admitted =
            (0..60).filter(|i| limit.admit_at(&keys(&["ip:1.2.3.4", &format!("v:{i}")]), now).is_ok()).count();
        assert_eq!(admitted, 5);
        // Another address is not held back.
        assert!(limit.admit_at(&keys(&["ip:5.6.7.8", "v:new"]), now).is_ok());
        // A minute later there is room again.
        assert!(limit.admit_at(&keys(&["ip:1.2.3.4", "v:x"]), now + WINDOW).is_ok());
    }

    #[test]
    fn two_limits_admit_together_or_not_at_all() {
        let (by_address, by_viewer) = (RateLimit::new(10), RateLimit::new(1));
        let now = Instant::now();
        let both =
            |viewer: &str| admit_all(&[(&by_address, &keys(&["ip:a"])[..]), (&by_viewer, &keys(&[viewer])[..])], now);
        assert!(both("v:1").is_ok());
        assert!(both("v:1").is_err(), "the viewer is full");
        // The refused request did not count for the address: 9 more viewers fit.
        assert_eq!((2..20).filter(|i| both(&format!("v:{i}")).is_ok()).count(), 9);
    }

    #[test]
    fn a_refused_event_counts_for_no_key() {
        let limit = RateLimit::new(1);
        let now = Instant::now();
        assert!(limit.admit_at(&keys(&["ip:a", "v:1"]), now).is_ok());
        assert_eq!(limit.admit_at(&keys(&["ip:a", "v:2"]), now), Err(60));
        // v:2 was not counted: from another address it still has room.
        assert!(limit.admit_at(&keys(&["ip:b", "v:2"]), now).is_ok());
    }

    #[test]
    fn memory_stays_bounded() {
        let limit = RateLimit::new(1);
        let start = Instant::now();
        for i in 0..MAX_KEYS {
            let _ = limit.admit_at(&keys(&[&format!("ip:{i}")]), start);
        }
        assert_eq!(limit.keys(), MAX_KEYS);
        // Full, all busy: a new key waits instead of growing the map.
        assert!(limit.admit_at(&keys(&["ip:new"]), start).is_err());
        assert_eq!(limit.keys(), MAX_KEYS);
        // A minute on, the idle keys are forgotten.
        assert!(limit.admit_at(&keys(&["ip:new"]), start + WINDOW).is_ok());
        assert_eq!(limit.keys(), 1);
    }

    #[test]
    fn addresses_and_the_proxy() {
        let peer: IpAddr = "10.0.0.1".parse().unwrap();
        let proxy = Some(peer);
        assert_eq!(client_address(peer, None, Some("1.1.1.1")), peer, "no proxy named: the header is ignored");
        assert_eq!(client_address(peer, proxy, Some("6.6.6.6, 1.1.1.1")), "1.1.1.1".parse::<IpAddr>().unwrap());
        assert_eq!(client_address(peer, proxy, Some("garbage")), peer);
        assert_eq!(address_key("2001:db8:1:2:3:4:5:6".parse().unwrap()), "ip:2001:db8:1:2::/64");
        assert_eq!(address_key("::ffff:1.2.3.4".parse().unwrap()), "ip:1.2.3.4");
    }
}
