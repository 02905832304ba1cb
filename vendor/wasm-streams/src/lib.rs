//! The part of wasm-streams 0.5 that server_fn uses, without `#[wasm_bindgen]` exported classes (see
//! `PATCHES.md`): a [`ReadableStream`] made from a raw JavaScript stream or from a Rust [`Stream`],
//! and read back as a Rust [`Stream`].

use std::cell::{Cell, RefCell};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures_util::stream::{FusedStream, Stream, StreamExt};
use futures_util::future::{abortable, AbortHandle, TryFutureExt};
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
    /// Stops the pull in progress, and drops the stream it holds (as upstream, on cancel).
    pulling: RefCell<Option<AbortHandle>>,
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
        let source = Rc::new(Source {
            stream: RefCell::new(Some(Box::pin(stream))),
            pulling: RefCell::new(None),
            cancelled: Cell::new(false),
        });
        let pulled = source.clone();
        let pull = Closure::<dyn FnMut(web_sys::ReadableStreamDefaultController) -> Promise>::new(
            move |controller: web_sys::ReadableStreamDefaultController| {
                let source = pulled.clone();
                let (next, handle) = abortable(async move {
                    let taken = source.stream.borrow_mut().take();
                    let Some(mut stream) = taken else { return Ok(JsValue::UNDEFINED) };
                    match stream.next().await {
                        Some(Ok(chunk)) if !source.cancelled.get() => {
                            controller.enqueue_with_chunk(&chunk)?;
                            *source.stream.borrow_mut() = Some(stream);
                        }
                        Some(Ok(_)) => {}
                        Some(Err(error)) => return Err(error),
                        None => controller.close()?,
                    }
                    Ok(JsValue::UNDEFINED)
                });
                *pulled.pulling.borrow_mut() = Some(handle);
                // Aborted: the stream was cancelled, and nothing is owed to it.
                future_to_promise(next.unwrap_or_else(|_aborted| Ok(JsValue::UNDEFINED)))
            },
        );
        let cancel = Closure::<dyn FnMut(JsValue)>::new(move |_reason: JsValue| {
            source.cancelled.set(true);
            source.stream.borrow_mut().take();
            if let Some(pulling) = source.pulling.borrow_mut().take() {
                pulling.abort();
            }
        });
        let underlying = Object::new();
        let _ = Reflect::set(&underlying, &"pull".into(), &pull.into_js_value());
        let _ = Reflect::set(&underlying, &"cancel".into(), &cancel.into_js_value());
        // As upstream: no chunk is read ahead into the JavaScript queue.
        let strategy = web_sys::QueuingStrategy::new();
        strategy.set_high_water_mark(0.0);
        match web_sys::ReadableStream::new_with_underlying_source_and_strategy(&underlying, &strategy) {
            Ok(raw) => Self { raw },
            // A browser without streams: its exception, as upstream's constructor throws it.
            Err(error) => wasm_bindgen::throw_val(error),
        }
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
                    self.release();
                    None
                } else {
                    Some(Ok(Reflect::get(&result, &"value".into()).unwrap_or(JsValue::UNDEFINED)))
                }
            }
            Err(error) => {
                self.release();
                Some(Err(error))
            }
        })
    }
}

impl IntoStream<'_> {
    /// Done with the reader: the stream is unlocked (as upstream's reader does when dropped).
    fn release(&mut self) {
        if let Some(reader) = self.reader.take() {
            reader.release_lock();
        }
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
            reader.release_lock();
        }
    }
}
