//! The bundle's heap: [Talc](https://docs.rs/talc), taking memory from the browser in large steps.
//!
//! Growing a wasm memory is costly in the browser (each `memory.grow` makes a new buffer for
//! JavaScript's views of it), and Rust's default allocator, like Talc's own wasm source, grows it
//! in 64 KiB steps as allocations need: loading 1,000 comments (about 9 MB) grew it over a hundred
//! times. Here each growth is at least half the memory there is (and at least 1 MiB), so a heap of
//! any size is reached in a handful of steps. The pages are only committed by the system when
//! first written, so the memory asked for but not yet used costs no RAM.
//!
//! ## Usage
//! The binary sets it (an app that reuses the components keeps its own allocator):
//! ```ignore
//! #[global_allocator]
//! static ALLOCATOR: article_widget::heap::Heap = article_widget::heap::new();
//! ```

use core::alloc::Layout;
use core::arch::wasm32::{memory_grow, memory_size};
use core::ptr::NonNull;

use talc::base::binning::Binning;
use talc::base::{Talc, CHUNK_UNIT};
use talc::cell::TalcSyncCell;
use talc::source::Source;
use talc::wasm::WasmBinning;

/// The allocator: Talc with [`GrowInSteps`].
pub type Heap = TalcSyncCell<GrowInSteps, WasmBinning>;

/// A [`Heap`] with no memory yet.
pub const fn new() -> Heap {
    TalcSyncCell::new_wasm(GrowInSteps { end: None })
}

/// A wasm page.
const PAGE: usize = 64 * 1024;
/// The least a growth takes, in pages (1 MiB).
const MIN_STEP_PAGES: usize = 16;

/// Talc's memory source: grows the wasm memory by at least half its size (and at least 1 MiB),
/// extending the heap it grew last time.
#[derive(Debug)]
pub struct GrowInSteps {
    /// The end of the heap, once there is one.
    end: Option<NonNull<u8>>,
}

// SAFETY: `acquire` only grows the wasm memory and hands the new pages to `talc` (extending its heap
// when they follow it, else claiming them); it allocates nothing itself. The pages are the
// allocator's alone: nothing else in the module grows the memory and writes to what it gets.
unsafe impl Source for GrowInSteps {
    fn acquire<B: Binning>(talc: &mut Talc<Self, B>, layout: Layout) -> Result<(), ()> {
        // Enough for `layout` with room to spare for Talc's bookkeeping and alignment (were it not,
        // Talc asks again).
        let needed = (layout.size() + layout.align() + 4 * CHUNK_UNIT).div_ceil(PAGE);
        let step = needed.max(memory_size::<0>() / 2).max(MIN_STEP_PAGES);
        // Near the memory's limit, only what is needed.
        let (first_page, pages) = match memory_grow::<0>(step) {
            usize::MAX => match memory_grow::<0>(needed) {
                usize::MAX => return Err(()),
                first => (first, needed),
            },
            first => (first, step),
        };
        let base = (first_page * PAGE) as *mut u8;
        // A memory of the whole 4 GiB ends one past the last address: stop a chunk short of it.
        let end = ((first_page * PAGE).saturating_add(pages * PAGE) & !(CHUNK_UNIT - 1)) as *mut u8;
        if let Some(old_end) = talc.source.end.take() {
            if old_end.as_ptr() == base {
                // SAFETY: `old_end` is the end of Talc's heap and the pages from it to `end` were
                // just added to the memory.
                talc.source.end = Some(unsafe { talc.extend(old_end, end) });
                return Ok(());
            }
        }
        // SAFETY: the pages from `base` were just added to the memory and are given to Talc alone.
        // (A claim too small to use answers `None`: Talc then asks again, and the memory grows on.)
        talc.source.end = unsafe { talc.claim(base, end as usize - base as usize) };
        Ok(())
    }
}
