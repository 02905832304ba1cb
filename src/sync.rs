//! Keeps every reaction bar for the same target on one page in step: when one bar gets the server's
//! answer, the others for the same API, article and comment show it too (for instance a bar above and
//! a bar below an article, mounted as two widgets). Widgets are separate mount roots, which share no
//! Leptos context, so the link is this page-wide registry.
//!
//! Answers are ordered: every request for a target takes the next number of that target
//! ([`request_sent`]), and an answer older than one already heard ([`answered`]) is stale. Without
//! that, two bars sending at once could hear their answers in the wrong order and both end up
//! showing the earlier request's result, which the server no longer holds.

use std::cell::RefCell;
use std::rc::Rc;

use rustc_hash::FxHashMap as HashMap;

use crate::api::{ArticleId, CommentId, Reaction};

type Listener = Rc<dyn Fn(Vec<Reaction>)>;

thread_local! {
    /// By bar id: a bar leaves in O(1), so tearing down a thread of 10,000 comment bars stays linear.
    static LISTENERS: RefCell<HashMap<usize, (String, Listener)>> = RefCell::new(HashMap::default());
    static NEXT_ID: std::cell::Cell<usize> = const { std::cell::Cell::new(1) };
    static ORDER: RefCell<HashMap<String, Order>> = RefCell::new(HashMap::default());
}

/// The order of one target's requests and answers.
#[derive(Default)]
struct Order {
    /// The number of the last request sent.
    sent: u64,
    /// The number of the newest answer heard, and that answer.
    answered: u64,
    newest: Vec<Reaction>,
}

/// A request for `key` is about to go out: its number in the page-wide order of that target.
pub fn request_sent(key: &str) -> u64 {
    ORDER.with(|o| {
        let mut o = o.borrow_mut();
        let order = o.entry(key.to_owned()).or_default();
        order.sent += 1;
        order.sent
    })
}

/// The answer to request `number` for `key` arrived. `None` when it is the newest heard (and now
/// recorded as such); otherwise the newer answer, which stands.
pub fn answered(key: &str, number: u64, reactions: &[Reaction]) -> Option<Vec<Reaction>> {
    ORDER.with(|o| {
        let mut o = o.borrow_mut();
        let order = o.entry(key.to_owned()).or_default();
        if number < order.answered {
            return Some(order.newest.clone());
        }
        order.answered = number;
        order.newest = reactions.to_vec();
        None
    })
}

/// A bar's place in the registry; dropping it (when the bar is unmounted) removes the bar.
#[derive(Debug, PartialEq, Eq)]
pub struct Subscription(usize);

/// The key of a reaction target: the same key means the same reactions on the server.
pub fn key(api_base: &str, article_id: &ArticleId, comment_id: Option<&CommentId>) -> String {
    format!("{api_base}\u{0}{article_id}\u{0}{}", comment_id.map_or("", CommentId::as_str))
}

/// Calls `listener` with every answer another bar with the same `key` gets.
pub fn subscribe(key: String, listener: impl Fn(Vec<Reaction>) + 'static) -> Subscription {
    let id = NEXT_ID.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    });
    LISTENERS.with(|l| l.borrow_mut().insert(id, (key, Rc::new(listener))));
    Subscription(id)
}

/// Tells every bar with the same `key` but `from` (the bar that heard it, if any) what the server
/// answered.
pub fn publish(key: &str, from: Option<&Subscription>, reactions: &[Reaction]) {
    let from = from.map(|s| s.0);
    // Collect first: a listener may (un)subscribe while it runs.
    let listeners: Vec<Listener> = LISTENERS.with(|l| {
        l.borrow().iter().filter(|(id, (k, _))| Some(**id) != from && k == key).map(|(_, (_, f))| f.clone()).collect()
    });
    for listener in listeners {
        listener(reactions.to_vec());
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let _ = LISTENERS.try_with(|l| l.borrow_mut().remove(&self.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn answers_reach_the_other_bars_of_the_same_key_only() {
        let seen = Rc::new(Cell::new(0));
        let (a_seen, b_seen, c_seen) = (seen.clone(), seen.clone(), seen.clone());
        let a = subscribe(key("/api", &"x".into(), None), move |_| a_seen.set(a_seen.get() + 1));
        let b = subscribe(key("/api", &"x".into(), None), move |r| b_seen.set(b_seen.get() + 10 * r.len()));
        let _c = subscribe(key("/api", &"x".into(), Some(&"1".into())), move |_| c_seen.set(c_seen.get() + 100));
        let r = vec![Reaction { kind: "like".into(), count: 1, reacted: true }];
        publish(&key("/api", &"x".into(), None), Some(&a), &r);
        assert_eq!(seen.get(), 10, "only b hears a's answer");
        drop(b);
        publish(&key("/api", &"x".into(), None), Some(&a), &r);
        assert_eq!(seen.get(), 10, "an unmounted bar hears nothing");
        publish(&key("/api", &"x".into(), None), None, &r);
        assert_eq!(seen.get(), 11, "an answer no bar heard (a page's refresh) reaches every bar");
    }

    #[test]
    fn an_answer_older_than_one_heard_is_stale() {
        let k = key("/api", &"order".into(), None);
        let liked = vec![Reaction { kind: "like".into(), count: 1, reacted: true }];
        let not = vec![Reaction { kind: "like".into(), count: 0, reacted: false }];
        let first = request_sent(&k);
        let second = request_sent(&k);
        assert_eq!(answered(&k, second, &not), None, "the later request's answer comes first");
        assert_eq!(answered(&k, first, &liked), Some(not.clone()), "the earlier one is stale");
        let third = request_sent(&k);
        assert_eq!(answered(&k, third, &liked), None);
    }
}
