//! Browser test support: a `fetch` stub the real API client talks to, mounting helpers and DOM
//! queries. Used by `tests/browser.rs` (wasm-bindgen-test in headless Chromium).

#![allow(dead_code)]

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{Element, HtmlElement, Request, Response, ResponseInit};

/// A request the widget sent.
#[derive(Clone, Debug)]
pub struct Call {
    pub method: String,
    pub url: String,
    pub body: String,
    pub headers: Vec<(String, String)>,
}

impl Call {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
    }
    /// The path without origin and query, e.g. `/api/articles/a`.
    pub fn path(&self) -> String {
        let without_origin = match self.url.find("://") {
            Some(i) => self.url[i + 3..].find('/').map(|j| self.url[i + 3 + j..].to_owned()).unwrap_or_default(),
            None => self.url.clone(),
        };
        without_origin.split('?').next().unwrap_or_default().to_owned()
    }
}

/// How the stub answers one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A status and a body (JSON or not).
    Body(u16, String),
    /// A status, a body and extra headers.
    WithHeaders(u16, String, Vec<(&'static str, String)>),
    /// A rejected fetch, as when the network is down.
    NetworkError,
    /// The reply, after a delay in milliseconds.
    Late(u32, Box<Reply>),
}

pub fn json(status: u16, value: serde_json::Value) -> Reply {
    Reply::Body(status, value.to_string())
}

pub fn late(ms: u32, reply: Reply) -> Reply {
    Reply::Late(ms, Box::new(reply))
}

type Handler = Box<dyn FnMut(&Call) -> Reply>;

struct Route {
    handler: Rc<RefCell<Handler>>,
    calls: Rc<RefCell<Vec<Call>>>,
}

thread_local! {
    /// wasm-bindgen-test runs async tests concurrently in one page, so one global `fetch` stub
    /// dispatches by path prefix: each test talks to its own `/stub-N` base URL.
    static ROUTES: RefCell<Vec<(String, Route)>> = const { RefCell::new(Vec::new()) };
    static NEXT: std::cell::Cell<usize> = const { std::cell::Cell::new(1) };
    static INSTALLED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// One test's fake API: answers requests below its own prefix and records them.
pub struct FetchStub {
    prefix: String,
    calls: Rc<RefCell<Vec<Call>>>,
    handler: Rc<RefCell<Handler>>,
}

impl FetchStub {
    pub fn install(handler: impl FnMut(&Call) -> Reply + 'static) -> FetchStub {
        install_global_fetch();
        let n = NEXT.with(|c| {
            let n = c.get();
            c.set(n + 1);
            n
        });
        let prefix = format!("/stub-{n}");
        let calls: Rc<RefCell<Vec<Call>>> = Rc::default();
        let handler: Rc<RefCell<Handler>> = Rc::new(RefCell::new(Box::new(handler)));
        ROUTES
            .with(|r| r.borrow_mut().push((prefix.clone(), Route { handler: handler.clone(), calls: calls.clone() })));
        FetchStub { prefix, calls, handler }
    }

    /// The API base URL this stub answers, e.g. `/stub-3/api`.
    pub fn base(&self) -> String {
        format!("{}/api", self.prefix)
    }

    /// The same below another origin, e.g. `https://comments.example.com/stub-3/v1`.
    pub fn base_at(&self, origin: &str, path: &str) -> String {
        format!("{origin}{}{path}", self.prefix)
    }

    /// Changes how later requests are answered.
    pub fn answer(&self, handler: impl FnMut(&Call) -> Reply + 'static) {
        *self.handler.borrow_mut() = Box::new(handler);
    }

    pub fn calls(&self) -> Vec<Call> {
        self.calls.borrow().clone()
    }

    pub fn calls_to(&self, method: &str, path_suffix: &str) -> Vec<Call> {
        self.calls().into_iter().filter(|c| c.method == method && c.path().ends_with(path_suffix)).collect()
    }
}

impl Drop for FetchStub {
    fn drop(&mut self) {
        // Requests still in flight after the test get a network error.
        ROUTES.with(|r| r.borrow_mut().retain(|(p, _)| *p != self.prefix));
    }
}

fn install_global_fetch() {
    if INSTALLED.with(|i| i.replace(true)) {
        return;
    }
    let closure = Closure::<dyn FnMut(JsValue) -> Promise>::new(move |input: JsValue| {
        future_to_promise(async move {
            let request: Request = input.dyn_into()?;
            let body = match request.text() {
                Ok(p) => JsFuture::from(p).await?.as_string().unwrap_or_default(),
                Err(_) => String::new(),
            };
            let mut headers = Vec::new();
            let iter = js_sys::try_iter(&request.headers())?.ok_or("headers not iterable")?;
            for pair in iter {
                let pair: js_sys::Array = pair?.dyn_into()?;
                headers
                    .push((pair.get(0).as_string().unwrap_or_default(), pair.get(1).as_string().unwrap_or_default()));
            }
            let call = Call { method: request.method(), url: request.url(), body, headers };
            let path = call.path();
            let route = ROUTES.with(|r| {
                r.borrow()
                    .iter()
                    .find(|(prefix, _)| path.starts_with(&format!("{prefix}/")))
                    .map(|(_, route)| (route.handler.clone(), route.calls.clone()))
            });
            let Some((handler, calls)) = route else {
                return Err(js_sys::TypeError::new("no stub for this URL").into());
            };
            calls.borrow_mut().push(call.clone());
            let reply = (handler.borrow_mut())(&call);
            respond(reply).await
        })
    });
    Reflect::set(&js_sys::global(), &"fetch".into(), closure.as_ref()).expect("fetch replaced");
    closure.forget();
}

async fn respond(mut reply: Reply) -> Result<JsValue, JsValue> {
    loop {
        match reply {
            Reply::Late(ms, inner) => {
                sleep(ms).await;
                reply = *inner;
            }
            Reply::NetworkError => return Err(js_sys::TypeError::new("Failed to fetch").into()),
            Reply::Body(status, body) => return make_response(status, &body, &[]),
            Reply::WithHeaders(status, body, headers) => return make_response(status, &body, &headers),
        }
    }
}

fn make_response(status: u16, body: &str, headers: &[(&'static str, String)]) -> Result<JsValue, JsValue> {
    let init = ResponseInit::new();
    init.set_status(status);
    let h = web_sys::Headers::new()?;
    h.set("content-type", "application/json")?;
    for (name, value) in headers {
        h.set(name, value)?;
    }
    init.set_headers(&h);
    // A 204 (or 205, 304) answer has no body at all: `fetch` refuses even an empty one.
    let body = (!matches!(status, 204 | 205 | 304)).then_some(body);
    Ok(Response::new_with_opt_str_and_init(body, &init)?.into())
}

pub async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

/// A fresh container in the document; mounts `view` in it and keeps it mounted until dropped.
pub struct Mounted {
    pub root: HtmlElement,
    _handle: Box<dyn std::any::Any>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        // A widget mounted through the page registry (`mount_element`) is torn down there.
        article_widget::mount::unmount(&self.root);
        self.root.remove();
    }
}

pub fn container() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div: HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

pub fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> Mounted {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), view);
    Mounted { root, _handle: Box::new(handle) }
}

/// A widget mounted the way a host page does it: an element with these data attributes.
pub fn mount_element(attributes: &[(&str, &str)]) -> Mounted {
    let el = container();
    for (name, value) in attributes {
        el.set_attribute(name, value).unwrap();
    }
    article_widget::mount::mount_on(el.clone());
    Mounted::adopt(el)
}

impl Mounted {
    /// Wraps an element something else mounted into (e.g. `mount::mount_on`), to query it.
    pub fn adopt(root: HtmlElement) -> Mounted {
        Mounted { root, _handle: Box::new(()) }
    }

    pub fn find(&self, selector: &str) -> Option<HtmlElement> {
        self.root.query_selector(selector).ok().flatten().and_then(|e| e.dyn_into().ok())
    }
    pub fn get(&self, selector: &str) -> HtmlElement {
        self.find(selector).unwrap_or_else(|| panic!("no {selector} in {}", self.root.inner_html()))
    }
    pub fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into().ok()).collect()
    }
    pub fn text(&self) -> String {
        self.root.text_content().unwrap_or_default()
    }
    /// Waits (up to 3 s) until `selector` matches; panics with the DOM otherwise.
    pub async fn wait_for(&self, selector: &str) -> HtmlElement {
        for _ in 0..300 {
            if let Some(e) = self.find(selector) {
                return e;
            }
            sleep(10).await;
        }
        panic!("timed out waiting for {selector} in {}", self.root.inner_html())
    }
    /// Waits (up to 3 s) until the widget's text contains `needle`.
    pub async fn wait_for_text(&self, needle: &str) {
        for _ in 0..300 {
            if self.text().contains(needle) {
                return;
            }
            sleep(10).await;
        }
        panic!("timed out waiting for {needle:?} in {}", self.root.inner_html())
    }
    /// Types into an input or textarea as a person would (value + a bubbling input event).
    pub fn type_into(&self, selector: &str, text: &str) {
        let element = self.get(selector);
        Reflect::set(&element, &"value".into(), &text.into()).unwrap();
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
        element.dispatch_event(&event).unwrap();
    }
    pub fn value(&self, selector: &str) -> String {
        Reflect::get(&self.get(selector), &"value".into()).unwrap().as_string().unwrap_or_default()
    }
    /// Fills the top-level composer's name and comment and submits it.
    pub fn post(&self, name: &str, body: &str) {
        self.type_into("input[name=author_name]", name);
        self.type_into("textarea[name=body]", body);
        self.click("button[type=submit]");
    }

    pub fn click(&self, selector: &str) {
        self.get(selector).click();
    }
}

/// Lets queued reactive work run (a few microtasks): still before the browser paints this frame, and
/// long before any stubbed answer arrives.
pub async fn settle() {
    for _ in 0..10 {
        let _ = JsFuture::from(Promise::resolve(&JsValue::NULL)).await;
    }
}

/// Calls `f` on the next animation frame (to observe what a person would see before a response).
pub async fn next_frame() {
    let promise = Promise::new(&mut |resolve: Function, _| {
        let _ = web_sys::window().unwrap().request_animation_frame(&resolve);
    });
    let _ = JsFuture::from(promise).await;
}
