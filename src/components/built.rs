//! [`Built`]: an element made outside the view system (a comment card, by `build.js`) placed in a
//! view like any other, with nothing around it: no directive, no placeholder, no attribute set
//! through the renderer. A thread is mostly such cards, and each of those was a few more calls and
//! DOM nodes per comment.

use leptos::tachys::html::attribute::any_attribute::AnyAttribute;
use leptos::tachys::html::attribute::Attribute;
use leptos::tachys::hydration::Cursor;
use leptos::tachys::view::add_attr::AddAnyAttr;
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
