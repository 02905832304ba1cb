//! The part of wasm-streams 0.5 that server_fn uses, without `#[wasm_bindgen]` exported classes (see
//! `PATCHES.md`): a [`ReadableStream`] made from a raw JavaScript stream or from a Rust [`Stream`],
//! and read back as a Rust [`Stream`].

use std::cell::{Cell, RefCell};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures_util::stream::{FusedStream, Stream, StreamExt};
use futures_util::{ready, FutureExt};
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

pub mod readable {
    //! Readable streams.
    pub use super::{IntoStream, ReadableStream};

    /// The raw JavaScript types.
    pub mod sys {
        pub use web_sys::{ReadableStream, ReadableStreamDefaultController, ReadableStreamDefaultReader};
    }
}

/// A [`ReadableStream`](https://developer.mozilla.org/en-US/docs/Web/API/ReadableStream).
#[derive(Debug)]
pub struct ReadableStream {
    raw: web_sys::ReadableStream,
}

/// What [`ReadableStream::from_stream`] reads from.
struct Source {
    /// Taken out while a chunk is awaited (the JavaScript stream asks for the next only once that
    /// pull has settled); gone once cancelled.
    stream: RefCell<Option<Pin<Box<dyn Stream<Item = Result<JsValue, JsValue>>>>>>,
    cancelled: Cell<bool>,
}

impl ReadableStream {
    /// Wraps a raw JavaScript stream.
    pub fn from_raw(raw: web_sys::ReadableStream) -> Self {
        Self { raw }
    }

    /// A JavaScript stream of `stream`'s items; an `Err` item errors it.
    pub fn from_stream<St>(stream: St) -> Self
    where
        St: Stream<Item = Result<JsValue, JsValue>> + 'static,
    {
        let source = Rc::new(Source { stream: RefCell::new(Some(Box::pin(stream))), cancelled: Cell::new(false) });
        let pulled = source.clone();
        let pull = Closure::<dyn FnMut(web_sys::ReadableStreamDefaultController) -> Promise>::new(
            move |controller: web_sys::ReadableStreamDefaultController| {
                let source = pulled.clone();
                future_to_promise(async move {
                    let taken = source.stream.borrow_mut().take();
                    let Some(mut stream) = taken else { return Ok(JsValue::UNDEFINED) };
                    match stream.next().await {
                        Some(Ok(chunk)) => {
                            controller.enqueue_with_chunk(&chunk)?;
                            if !source.cancelled.get() {
                                *source.stream.borrow_mut() = Some(stream);
                            }
                        }
                        Some(Err(error)) => return Err(error),
                        None => controller.close()?,
                    }
                    Ok(JsValue::UNDEFINED)
                })
            },
        );
        let cancel = Closure::<dyn FnMut(JsValue)>::new(move |_reason: JsValue| {
            source.cancelled.set(true);
            source.stream.borrow_mut().take();
        });
        let underlying = Object::new();
        let _ = Reflect::set(&underlying, &"pull".into(), &pull.into_js_value());
        let _ = Reflect::set(&underlying, &"cancel".into(), &cancel.into_js_value());
        // As upstream: no chunk is read ahead into the JavaScript queue.
        let strategy = web_sys::QueuingStrategy::new();
        strategy.set_high_water_mark(0.0);
        let raw = web_sys::ReadableStream::new_with_underlying_source_and_strategy(&underlying, &strategy)
            .or_else(|_| web_sys::ReadableStream::new())
            // A browser without streams: a value that is not one, rather than a trap.
            .unwrap_or_else(|_| JsValue::UNDEFINED.unchecked_into());
        Self { raw }
    }

    /// The raw JavaScript stream.
    pub fn as_raw(&self) -> &web_sys::ReadableStream {
        &self.raw
    }

    /// The raw JavaScript stream.
    pub fn into_raw(self) -> web_sys::ReadableStream {
        self.raw
    }

    /// A Rust stream of the chunks, read with a default reader, which is cancelled when the stream is
    /// dropped before its end. A stream already locked to a reader yields that error once.
    pub fn into_stream(self) -> IntoStream<'static> {
        let reader = Reflect::get(&self.raw, &"getReader".into())
            .and_then(|get| get.dyn_into::<Function>().map_err(JsValue::from))
            .and_then(|get| get.call0(&self.raw))
            .map(JsCast::unchecked_into::<web_sys::ReadableStreamDefaultReader>);
        match reader {
            Ok(reader) => IntoStream { reader: Some(reader), read: None, error: None, _reader: Default::default() },
            Err(error) => IntoStream { reader: None, read: None, error: Some(error), _reader: Default::default() },
        }
    }
}

/// The chunks of a [`ReadableStream`], from [`ReadableStream::into_stream`].
#[must_use = "streams do nothing unless polled"]
#[derive(Debug)]
pub struct IntoStream<'reader> {
    reader: Option<web_sys::ReadableStreamDefaultReader>,
    /// The read in progress.
    read: Option<JsFuture>,
    /// Why no reader could be had, until yielded.
    error: Option<JsValue>,
    _reader: std::marker::PhantomData<&'reader ()>,
}

impl FusedStream for IntoStream<'_> {
    fn is_terminated(&self) -> bool {
        self.reader.is_none() && self.read.is_none() && self.error.is_none()
    }
}

impl Stream for IntoStream<'_> {
    type Item = Result<JsValue, JsValue>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(error) = self.error.take() {
            return Poll::Ready(Some(Err(error)));
        }
        let read = match self.read.as_mut() {
            Some(read) => read,
            None => match &self.reader {
                Some(reader) => {
                    let read = JsFuture::from(reader.read());
                    self.read.insert(read)
                }
                None => return Poll::Ready(None),
            },
        };
        let result = ready!(read.poll_unpin(cx));
        self.read = None;
        Poll::Ready(match result {
            Ok(result) => {
                let done = Reflect::get(&result, &"done".into()).is_ok_and(|d| d.is_truthy());
                if done {
                    self.reader = None;
                    None
                } else {
                    Some(Ok(Reflect::get(&result, &"value".into()).unwrap_or(JsValue::UNDEFINED)))
                }
            }
            Err(error) => {
                self.reader = None;
                Some(Err(error))
            }
        })
    }
}

impl Drop for IntoStream<'_> {
    fn drop(&mut self) {
        // Stopped before its end: the JavaScript stream is cancelled (as upstream), its rejection,
        // if any, caught.
        if let Some(reader) = self.reader.take() {
            let ignore = Closure::once(|_: JsValue| {});
            let _ = reader.cancel().catch(&ignore);
            ignore.forget();
        }
    }
}
