//! [`Kept`]: a part of the widget made once as plain DOM and kept in step by one effect. What the
//! part shows that changes is a plain value (`S`), read by the effect (tracked); the part's elements
//! (`D`) go from showing the last value to showing the new one, touching only what changed. They
//! are made when the part's box is built (its `use:` directive), showing the value the effect read
//! first. The reaction bars, the forms, the thread's frame and lists and the article are drawn this
//! way: written as `view!`s, with a reactive closure per changing attribute and text, they were
//! most of the wasm.

use leptos::prelude::*;

/// The elements of a part (`D`, once made) and the effect that keeps them showing `S`; `Copy`.
pub(super) struct Kept<D: 'static, S: 'static> {
    dom: StoredValue<Option<D>, LocalStorage>,
    effect: StoredValue<RenderEffect<S>, LocalStorage>,
}

impl<D, S> Clone for Kept<D, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<D, S> Copy for Kept<D, S> {}

impl<D: 'static, S: Clone + 'static> Kept<D, S> {
    /// Reads `shown()` in an effect of the current owner and, once the elements are made, brings
    /// them from each value to the next with `update(elements, was, now)`.
    pub(super) fn new(shown: impl Fn() -> S + 'static, update: impl Fn(&mut D, &S, &S) + 'static) -> Kept<D, S> {
        let dom = StoredValue::new_local(None::<D>);
        let effect = RenderEffect::new(move |was: Option<S>| {
            let now = shown();
            if let Some(was) = &was {
                dom.try_update_value(|dom| {
                    if let Some(dom) = dom {
                        update(dom, was, &now);
                    }
                });
            }
            now
        });
        Kept { dom, effect: StoredValue::new_local(effect) }
    }

    /// Makes the elements with `make(now)`, showing `now` (what the effect read last); the first
    /// time only. (A box its parent view rebuilds in place is a new part, with a `Kept` of its own.)
    pub(super) fn make(&self, make: impl FnOnce(&S) -> Option<D>) {
        if self.dom.try_with_value(Option::is_some) != Some(false) {
            return;
        }
        let Some(Some(now)) = self.effect.try_with_value(|e| e.with_value_mut(|now| now.clone())) else { return };
        if let Some(dom) = make(&now) {
            self.dom.set_value(Some(dom));
        }
    }

    /// `f` of the elements, once made (and while the part lives).
    pub(super) fn with<R>(&self, f: impl FnOnce(&D) -> Option<R>) -> Option<R> {
        self.dom.try_with_value(|dom| dom.as_ref().and_then(f)).flatten()
    }
}
