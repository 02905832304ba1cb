//! [`Built`]: an element made outside the view system (a comment card, by `build.js`) placed in a
//! view like any other, with nothing around it: no directive, no placeholder, no attribute set
//! through the renderer. A thread is mostly such cards, and each of those was a few more calls and
//! DOM nodes per comment. And the other way round, [`Placed`]: a view placed in plain DOM.

use leptos::prelude::{untrack, AnyView, Owner};
use leptos::tachys::html::attribute::any_attribute::AnyAttribute;
use leptos::tachys::html::attribute::Attribute;
use leptos::tachys::hydration::Cursor;
use leptos::tachys::view::add_attr::AddAnyAttr;
use leptos::tachys::view::any_view::AnyViewState;
use leptos::tachys::view::Mountable;
use leptos::tachys::view::{Position, PositionState, Render, RenderHtml};
use send_wrapper::SendWrapper;

/// An element already made, as a view. Attributes added from outside are not passed on. On a
/// server it renders as nothing.
pub(super) struct Built(SendWrapper<web_sys::Element>);

impl Built {
    pub(super) fn new(element: web_sys::Element) -> Built {
        Built(SendWrapper::new(element))
    }
}

impl Render for Built {
    // An element is its own state: mounting inserts it, unmounting removes it.
    type State = web_sys::Element;

    fn build(self) -> Self::State {
        self.0.take()
    }

    fn rebuild(self, state: &mut Self::State) {
        let new = self.0.take();
        if *state != new {
            if let Some(parent) = state.parent_node() {
                let _ = parent.replace_child(&new, state);
            }
            *state = new;
        }
    }
}

impl AddAnyAttr for Built {
    type Output<SomeNewAttr: Attribute> = Built;

    /// Attributes from outside are not added: the element is whole as made.
    fn add_any_attr<NewAttr: Attribute>(self, _attr: NewAttr) -> Self::Output<NewAttr>
    where
        Self::Output<NewAttr>: RenderHtml,
    {
        self
    }
}

impl RenderHtml for Built {
    type AsyncOutput = Built;
    type Owned = Built;

    const MIN_LENGTH: usize = 0;

    fn dry_resolve(&mut self) {}

    async fn resolve(self) -> Self::AsyncOutput {
        self
    }

    fn to_html_with_buf(
        self,
        _buf: &mut String,
        position: &mut Position,
        _escape: bool,
        _mark_branches: bool,
        _extra_attrs: Vec<AnyAttribute>,
    ) {
        *position = Position::NextChild;
    }

    fn hydrate<const FROM_SERVER: bool>(self, _cursor: &Cursor, position: &PositionState) -> Self::State {
        // The widget never hydrates (it renders on the client; see issue 16 for server HTML, which
        // is taken over, not hydrated). Were it to, the element would be made but not placed.
        position.set(Position::NextChild);
        self.build()
    }

    fn into_owned(self) -> Self::Owned {
        self
    }
}

/// A view placed in plain DOM, under an owner of its own: dropped, it is taken out of the page and
/// its owner (its effects, its cleanups) is disposed.
pub(super) struct Placed {
    state: AnyViewState,
    _owner: Owner,
}

impl Placed {
    /// `view` built under a new child of `owner` (not of whatever effect is running: an effect's
    /// children are disposed when it runs again), in `parent` before `before` (at the end: `None`).
    pub(super) fn new(
        owner: &Owner,
        parent: &web_sys::Element,
        before: Option<&web_sys::Node>,
        view: impl FnOnce() -> AnyView,
    ) -> Placed {
        owner.with(|| {
            let owner = Owner::new();
            // Untracked, as a component's body is: what it reads while built is its own effects'.
            let mut state = owner.with(|| untrack(|| view().build()));
            state.mount(parent, before);
            Placed { state, _owner: owner }
        })
    }
}

impl Drop for Placed {
    fn drop(&mut self) {
        self.state.unmount();
    }
}
