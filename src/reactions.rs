//! The state of one reaction bar: what the server last confirmed, what the reader wants now, and the
//! one request in flight. A plain type, so every interleaving of clicks and answers is tested without
//! a browser; [`crate::components::ReactionBar`] only renders it and runs the requests it asks for.
//!
//! The rules:
//! - a click changes what the reader *wants* at once, and the bar shows that (optimistic);
//! - one request at a time per bar, each asking the server for one kind; when it answers, the answer
//!   becomes the confirmed state and the next request (if the reader changed their mind meanwhile) goes
//!   out, so whatever was clicked last is what the server ends up with, and no click is lost or
//!   reordered;
//! - when the reactions are exclusive, wanting one kind un-wants the others, and a single `PUT` moves
//!   the reaction on the server;
//! - on failure, the bar returns to the last confirmed state.

use crate::api::{Reaction, ReactionKind};

/// A request the bar must send: `PUT` (`on`) or `DELETE` (`!on`) the reaction `kind`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReactionRequest {
    pub kind: ReactionKind,
    pub on: bool,
}

/// See the module documentation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReactionState {
    confirmed: Vec<Reaction>,
    /// What the reader asked for and the server has not confirmed yet, kind by kind (same order as
    /// `confirmed`); `None` follows the server.
    wanted: Vec<Option<bool>>,
    exclusive: bool,
    in_flight: Option<ReactionRequest>,
    /// Whether the last answer did not confirm what its request asked (a lagging read replica, say).
    /// Such a request is sent once more; after a second such answer, the server's word stands.
    unconfirmed_once: bool,
    /// The kinds the reader changed while the request in flight was out (those wishes are newer
    /// than it), kind by kind in `confirmed`'s order.
    clicked_while_busy: Vec<bool>,
}

impl ReactionState {
    /// The state the server reported, nothing pending.
    pub fn new(confirmed: Vec<Reaction>, exclusive: bool) -> ReactionState {
        let (wanted, clicked_while_busy) = (vec![None; confirmed.len()], vec![false; confirmed.len()]);
        ReactionState { confirmed, wanted, exclusive, in_flight: None, unconfirmed_once: false, clicked_while_busy }
    }

    /// What the bar shows: the confirmed counts, moved by what the reader wants and the server has
    /// not confirmed yet.
    pub fn shown(&self) -> Vec<Reaction> {
        self.confirmed
            .iter()
            .zip(&self.wanted)
            .map(|(r, wanted)| {
                let (count, reacted) = Self::apply(r, *wanted);
                Reaction { kind: r.kind.clone(), count, reacted }
            })
            .collect()
    }

    /// What the bar shows for one kind: its count and whether the reader holds it; `(0, false)` for
    /// a kind the server does not list.
    pub fn shown_kind(&self, kind: &ReactionKind) -> (u64, bool) {
        self.confirmed
            .iter()
            .position(|r| &r.kind == kind)
            .map_or((0, false), |i| Self::apply(&self.confirmed[i], self.wanted[i]))
    }

    fn apply(r: &Reaction, wanted: Option<bool>) -> (u64, bool) {
        let reacted = wanted.unwrap_or(r.reacted);
        let count = match (r.reacted, reacted) {
            (false, true) => r.count + 1,
            (true, false) => r.count.saturating_sub(1),
            _ => r.count,
        };
        (count, reacted)
    }

    /// The last state the server confirmed.
    pub fn confirmed(&self) -> &[Reaction] {
        &self.confirmed
    }

    /// Whether a request is on its way.
    pub fn is_busy(&self) -> bool {
        self.in_flight.is_some()
    }

    /// The reader clicked `kind`: toggles what they want. Returns the request to send now, if the
    /// bar is idle.
    pub fn click(&mut self, kind: &ReactionKind) -> Option<ReactionRequest> {
        let i = self.confirmed.iter().position(|r| &r.kind == kind)?;
        let before = self.wanted.clone();
        let shown = self.shown();
        let now = !shown[i].reacted;
        if now && self.exclusive {
            for (j, r) in shown.iter().enumerate() {
                if r.reacted {
                    self.wanted[j] = Some(false);
                }
            }
        }
        self.wanted[i] = Some(now);
        if self.in_flight.is_some() {
            for (changed, (was, is)) in self.clicked_while_busy.iter_mut().zip(before.iter().zip(&self.wanted)) {
                *changed |= was != is;
            }
        }
        self.next_request()
    }

    /// The server answered the request in flight with the current reactions. Returns the next
    /// request to send, if the reader changed their mind meanwhile.
    pub fn succeeded(&mut self, reactions: Vec<Reaction>) -> Option<ReactionRequest> {
        let asked = self.in_flight.take();
        // Wishes the server now satisfies are done; the others carry over. Kinds the server no
        // longer lists are dropped; new kinds appear with the server's state.
        let mut wanted = self.wishes_left(&reactions);
        // An answer that does not confirm its own request: asked once more, then taken as it is, so
        // that a server that never confirms cannot make the bar send request after request.
        let unconfirmed =
            asked.as_ref().and_then(|a| reactions.iter().position(|r| r.kind == a.kind && r.reacted != a.on));
        match unconfirmed {
            Some(i) if self.unconfirmed_once => {
                wanted[i] = None;
                self.unconfirmed_once = false;
            }
            Some(_) => self.unconfirmed_once = true,
            None => self.unconfirmed_once = false,
        }
        self.confirmed = reactions;
        self.wanted = wanted;
        self.clicked_while_busy = vec![false; self.confirmed.len()];
        self.next_request()
    }

    /// The request in flight failed: everything the reader wanted and the server did not confirm is
    /// dropped, and the bar shows the confirmed state again.
    pub fn failed(&mut self) {
        self.in_flight = None;
        self.clicked_while_busy.iter_mut().for_each(|c| *c = false);
        self.unconfirmed_once = false;
        self.wanted.iter_mut().for_each(|w| *w = None);
    }

    /// Replaces the confirmed state with a fresher one from elsewhere (another widget for the same
    /// article). Ignored while a request is out: its answer will be fresher still. (When idle, every
    /// wish has been answered, so nothing the reader asked for is lost.)
    pub fn refresh(&mut self, reactions: Vec<Reaction>) {
        if self.in_flight.is_none() {
            *self = ReactionState::new(reactions, self.exclusive);
        }
    }

    /// The request in flight was overtaken: a later request for the same target (from another bar)
    /// was answered first, and its answer, `newer`, stands. What this bar wanted when it sent is
    /// dropped; clicks made since (newer than that request) still count. Returns the request to send
    /// for them, if any.
    pub fn superseded(&mut self, newer: Vec<Reaction>) -> Option<ReactionRequest> {
        // Only the kinds clicked since the request went out keep their wish.
        let clicked: Vec<&ReactionKind> = self
            .confirmed
            .iter()
            .zip(&self.clicked_while_busy)
            .filter(|(_, clicked)| **clicked)
            .map(|(r, _)| &r.kind)
            .collect();
        let mut wanted: Vec<Option<bool>> = self
            .wishes_left(&newer)
            .into_iter()
            .zip(&newer)
            .map(|(wish, r)| wish.filter(|_| clicked.contains(&&r.kind)))
            .collect();
        // Exclusive: a kind still wanted moves the reaction off the kind the newer answer holds.
        if self.exclusive && wanted.contains(&Some(true)) {
            for (wish, r) in wanted.iter_mut().zip(&newer) {
                if r.reacted && wish.is_none() {
                    *wish = Some(false);
                }
            }
        }
        *self = ReactionState::new(newer, self.exclusive);
        self.wanted = wanted;
        self.next_request()
    }

    /// The wishes still to send once the server holds `reactions`, kind by kind in their order:
    /// those it satisfies are done; kinds it no longer lists are dropped.
    fn wishes_left(&self, reactions: &[Reaction]) -> Vec<Option<bool>> {
        reactions
            .iter()
            .map(|r| {
                let old = self.confirmed.iter().position(|c| c.kind == r.kind);
                old.and_then(|i| self.wanted[i]).filter(|&w| w != r.reacted)
            })
            .collect()
    }

    fn next_request(&mut self) -> Option<ReactionRequest> {
        if self.in_flight.is_some() {
            return None;
        }
        let differs = |on: bool| {
            self.confirmed
                .iter()
                .zip(&self.wanted)
                .find(|(r, w)| **w == Some(on) && r.reacted != on)
                .map(|(r, _)| ReactionRequest { kind: r.kind.clone(), on })
        };
        // An exclusive PUT also removes the other kinds, so it goes first.
        let request = differs(true).or_else(|| differs(false))?;
        self.in_flight = Some(request.clone());
        Some(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(kind: &str, count: u64, reacted: bool) -> Reaction {
        Reaction { kind: kind.into(), count, reacted }
    }
    fn put(kind: &str) -> Option<ReactionRequest> {
        Some(ReactionRequest { kind: kind.into(), on: true })
    }
    fn delete(kind: &str) -> Option<ReactionRequest> {
        Some(ReactionRequest { kind: kind.into(), on: false })
    }
    fn seed() -> ReactionState {
        ReactionState::new(vec![r("like", 8, false), r("dislike", 0, false)], true)
    }

    #[test]
    fn a_server_that_never_confirms_is_asked_twice_then_believed() {
        let mut s = ReactionState::new(vec![r("like", 8, false)], false);
        let mut sent = vec![s.click(&"like".into())];
        // A lagging replica keeps answering "not liked".
        while let Some(Some(_)) = sent.last() {
            if sent.len() > 10 {
                break;
            }
            sent.push(s.succeeded(vec![r("like", 8, false)]));
        }
        assert_eq!(sent.iter().flatten().count(), 2, "the request, and one more");
        assert_eq!(s.shown(), vec![r("like", 8, false)], "the server's word stands");
        // A later click is a new wish, sent again.
        assert_eq!(s.click(&"like".into()), put("like"));
    }

    #[test]
    fn click_shows_at_once_and_asks_for_the_request() {
        let mut s = seed();
        assert_eq!(s.click(&"like".into()), put("like"));
        assert_eq!(s.shown(), vec![r("like", 9, true), r("dislike", 0, false)]);
        assert!(s.is_busy());
        assert_eq!(s.succeeded(vec![r("like", 9, true), r("dislike", 0, false)]), None);
        assert!(!s.is_busy());
        assert_eq!(s.shown(), s.confirmed());
    }

    #[test]
    fn the_server_answer_wins_over_the_local_guess() {
        let mut s = seed();
        s.click(&"like".into());
        // Someone else liked meanwhile.
        assert_eq!(s.succeeded(vec![r("like", 12, true), r("dislike", 1, false)]), None);
        assert_eq!(s.shown(), vec![r("like", 12, true), r("dislike", 1, false)]);
    }

    #[test]
    fn failure_rolls_back_to_the_confirmed_state() {
        let mut s = seed();
        s.click(&"like".into());
        s.failed();
        assert_eq!(s.shown(), vec![r("like", 8, false), r("dislike", 0, false)]);
        assert!(!s.is_busy());
        // And the next click works normally.
        assert_eq!(s.click(&"like".into()), put("like"));
    }

    #[test]
    fn clicks_during_a_request_are_queued_not_lost() {
        let mut s = seed();
        assert_eq!(s.click(&"like".into()), put("like"));
        assert_eq!(s.click(&"like".into()), None); // wants off again, request still out
        assert_eq!(s.shown()[0], r("like", 8, false));
        // The PUT lands; the reader's last wish (off) goes out next.
        assert_eq!(s.succeeded(vec![r("like", 9, true), r("dislike", 0, false)]), delete("like"));
        assert_eq!(s.shown()[0], r("like", 8, false));
        assert_eq!(s.succeeded(vec![r("like", 8, false), r("dislike", 0, false)]), None);
        assert_eq!(s.shown()[0], r("like", 8, false));
    }

    #[test]
    fn clicks_that_cancel_out_send_nothing_more() {
        let mut s = seed();
        s.click(&"like".into());
        s.click(&"like".into());
        s.click(&"like".into()); // wants on, same as the request in flight
        assert_eq!(s.succeeded(vec![r("like", 9, true), r("dislike", 0, false)]), None);
        assert_eq!(s.shown()[0], r("like", 9, true));
    }

    #[test]
    fn ten_and_eleven_rapid_clicks_end_with_the_right_parity() {
        for clicks in [10usize, 11] {
            let mut s = seed();
            // A fake server that applies each request.
            let mut server = vec![r("like", 8, false), r("dislike", 0, false)];
            let mut pending = None;
            for _ in 0..clicks {
                if let Some(req) = s.click(&"like".into()) {
                    pending = Some(req);
                }
                // Answer every third click late, to interleave.
            }
            while let Some(req) = pending.take() {
                let like = &mut server[0];
                if req.on != like.reacted {
                    like.reacted = req.on;
                    like.count = if req.on { like.count + 1 } else { like.count - 1 };
                }
                pending = s.succeeded(server.clone());
            }
            let expect_on = clicks % 2 == 1;
            assert_eq!(server[0].reacted, expect_on);
            assert_eq!(s.shown(), server);
        }
    }

    #[test]
    fn exclusive_choice_moves_the_reaction() {
        let mut s = ReactionState::new(vec![r("like", 9, true), r("dislike", 0, false)], true);
        assert_eq!(s.click(&"dislike".into()), put("dislike"));
        assert_eq!(s.shown(), vec![r("like", 8, false), r("dislike", 1, true)]);
        // The server moved it in one PUT: nothing more to send.
        assert_eq!(s.succeeded(vec![r("like", 8, false), r("dislike", 1, true)]), None);
    }

    #[test]
    fn non_exclusive_kinds_are_independent() {
        let mut s = ReactionState::new(vec![r("like", 1, true), r("heart", 0, false)], false);
        assert_eq!(s.click(&"heart".into()), put("heart"));
        assert_eq!(s.shown(), vec![r("like", 1, true), r("heart", 1, true)]);
        assert_eq!(s.click(&"like".into()), None);
        assert_eq!(s.succeeded(vec![r("like", 1, true), r("heart", 1, true)]), delete("like"));
        assert_eq!(s.succeeded(vec![r("like", 0, false), r("heart", 1, true)]), None);
        assert_eq!(s.shown(), vec![r("like", 0, false), r("heart", 1, true)]);
    }

    #[test]
    fn failure_with_queued_clicks_drops_them_all() {
        let mut s = seed();
        s.click(&"like".into());
        s.click(&"dislike".into());
        s.failed();
        assert_eq!(s.shown(), s.confirmed());
        assert!(!s.is_busy());
    }

    #[test]
    fn unknown_kinds_are_ignored_and_counts_never_go_below_zero() {
        let mut s = ReactionState::new(vec![r("like", 0, true)], false);
        assert_eq!(s.click(&"nope".into()), None);
        assert_eq!(s.click(&"like".into()), delete("like"));
        assert_eq!(s.shown(), vec![r("like", 0, false)]);
    }

    #[test]
    fn refresh_applies_when_idle_only() {
        let mut s = seed();
        s.refresh(vec![r("like", 20, false), r("dislike", 3, false)]);
        assert_eq!(s.shown(), vec![r("like", 20, false), r("dislike", 3, false)]);
        s.click(&"like".into());
        s.refresh(vec![r("like", 30, false), r("dislike", 3, false)]);
        assert_eq!(s.shown()[0], r("like", 21, true));
    }

    #[test]
    fn an_exclusive_switch_queued_behind_a_like_goes_out_next() {
        let mut s = seed();
        assert_eq!(s.click(&"like".into()), put("like"));
        assert_eq!(s.click(&"dislike".into()), None);
        assert_eq!(s.shown(), vec![r("like", 8, false), r("dislike", 1, true)]);
        assert_eq!(s.succeeded(vec![r("like", 9, true), r("dislike", 0, false)]), put("dislike"));
        assert_eq!(s.shown(), vec![r("like", 8, false), r("dislike", 1, true)]);
        assert_eq!(s.succeeded(vec![r("like", 8, false), r("dislike", 1, true)]), None);
    }

    #[test]
    fn a_failure_after_a_success_returns_to_what_the_server_last_confirmed() {
        let mut s = seed();
        s.click(&"like".into());
        s.click(&"like".into());
        assert_eq!(s.succeeded(vec![r("like", 9, true), r("dislike", 0, false)]), delete("like"));
        s.failed();
        // The like the server confirmed stays; the un-like that failed is dropped.
        assert_eq!(s.shown(), vec![r("like", 9, true), r("dislike", 0, false)]);
    }

    #[test]
    fn kinds_the_server_adds_or_drops_are_followed() {
        let mut s = seed();
        s.click(&"like".into());
        assert_eq!(s.succeeded(vec![r("like", 9, true), r("heart", 2, false)]), None);
        assert_eq!(s.shown(), vec![r("like", 9, true), r("heart", 2, false)]);
        assert_eq!(s.click(&"dislike".into()), None, "a kind that is gone does nothing");
    }

    #[test]
    fn an_overtaken_request_keeps_only_the_clicks_made_after_it() {
        let start = || ReactionState::new(vec![r("like", 8, false), r("dislike", 0, false)], true);
        let disliked = vec![r("like", 8, false), r("dislike", 1, true)];
        // Like sent, then another bar's dislike answered first: the dislike stands, nothing is sent.
        let mut s = start();
        assert!(s.click(&"like".into()).is_some());
        assert_eq!(s.superseded(disliked.clone()), None);
        assert_eq!(s.shown(), disliked);
        assert!(!s.is_busy());
        // The same, but the reader clicked like off and on again while it was out: that click is
        // newer than the other bar's, and is sent.
        let mut s = start();
        assert!(s.click(&"like".into()).is_some());
        assert_eq!(s.click(&"like".into()), None);
        assert_eq!(s.click(&"like".into()), None);
        assert_eq!(s.superseded(disliked), Some(ReactionRequest { kind: "like".into(), on: true }));
        assert_eq!(s.shown_kind(&"like".into()), (9, true));
    }

    #[test]
    fn an_overtaken_request_is_not_sent_again_for_a_click_on_another_kind() {
        // Bar a sends "like on", then the reader clicks heart; bar b's later "like off" is answered
        // first. The heart is sent; the like is not sent again over b's newer word.
        let mut s = ReactionState::new(vec![r("like", 1, false), r("heart", 0, false)], false);
        assert_eq!(s.click(&"like".into()), Some(ReactionRequest { kind: "like".into(), on: true }));
        assert_eq!(s.click(&"heart".into()), None);
        let newer = vec![r("like", 1, false), r("heart", 0, false)];
        assert_eq!(s.superseded(newer), Some(ReactionRequest { kind: "heart".into(), on: true }));
        assert_eq!(s.shown_kind(&"like".into()), (1, false));
    }

    /// Any interleaving of clicks, answers, failures and overtaking answers from another bar.
    #[cfg(not(target_arch = "wasm32"))]
    mod interleavings {
        use super::*;
        use proptest::prelude::*;

        #[derive(Clone, Debug)]
        enum Event {
            Click(usize),
            Answer,
            Fail,
            /// Another bar's newer answer: the server now holds `kinds` (a bit per kind).
            Overtaken(u8),
        }

        fn event() -> impl Strategy<Value = Event> {
            prop_oneof![
                3 => (0usize..3).prop_map(Event::Click),
                2 => Just(Event::Answer),
                1 => Just(Event::Fail),
                1 => any::<u8>().prop_map(Event::Overtaken),
            ]
        }

        fn server_list(held: &[bool]) -> Vec<Reaction> {
            ["like", "dislike", "heart"].iter().zip(held).map(|(k, &h)| r(k, u64::from(h), h)).collect()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(500))]
            #[test]
            fn the_bar_ends_where_the_server_is_and_sends_little(
                exclusive in any::<bool>(), events in prop::collection::vec(event(), 1..40)
            ) {
                let kinds = ["like", "dislike", "heart"];
                let mut held = [false; 3];
                let mut s = ReactionState::new(server_list(&held), exclusive);
                let mut out: Option<ReactionRequest> = None;
                let (mut clicks, mut sent) = (0, 0);
                for e in events {
                    match e {
                        Event::Click(k) => {
                            clicks += 1;
                            if let Some(req) = s.click(&kinds[k].into()) {
                                prop_assert!(out.is_none(), "one request at a time");
                                out = Some(req);
                                sent += 1;
                            }
                        }
                        Event::Answer | Event::Fail | Event::Overtaken(_) if out.is_none() => {}
                        Event::Answer => {
                            let req = out.take().unwrap();
                            let i = kinds.iter().position(|k| *k == req.kind.as_str()).unwrap();
                            if req.on && exclusive {
                                held = [false; 3];
                            }
                            held[i] = req.on;
                            out = s.succeeded(server_list(&held));
                            sent += usize::from(out.is_some());
                        }
                        Event::Fail => {
                            out = None;
                            s.failed();
                        }
                        Event::Overtaken(bits) => {
                            held = [bits & 1 != 0, bits & 2 != 0, bits & 4 != 0];
                            if exclusive && held.iter().filter(|h| **h).count() > 1 {
                                held = [held[0], false, false];
                            }
                            out = s.superseded(server_list(&held));
                            sent += usize::from(out.is_some());
                        }
                    }
                    prop_assert_eq!(s.is_busy(), out.is_some());
                    if exclusive {
                        prop_assert!(s.shown().iter().filter(|r| r.reacted).count() <= 1);
                    }
                    // Never more requests than clicks, plus one resend of an unconfirmed answer each.
                    prop_assert!(sent <= 2 * clicks, "{} requests for {} clicks", sent, clicks);
                }
                // Let every request be answered: the bar ends showing what the server holds.
                let mut rounds = 0;
                while let Some(req) = out.take() {
                    rounds += 1;
                    prop_assert!(rounds < 20, "the bar keeps sending");
                    let i = kinds.iter().position(|k| *k == req.kind.as_str()).unwrap();
                    if req.on && exclusive {
                        held = [false; 3];
                    }
                    held[i] = req.on;
                    out = s.succeeded(server_list(&held));
                }
                prop_assert_eq!(s.confirmed(), &server_list(&held)[..]);
            }
        }
    }
}
