//! A hint to the processor to start loading a value's cache line before it is read.
//!
//! The offending pass visits about one person in seven a month, scattered over the person
//! table: each visit reads a row of four columns, and at a million agents and more those rows
//! wait for memory. Asking for the rows of the persons due a few blocks ahead lets the loads
//! run while the pass works on the rows before them (docs/performance.md, "Prefetching the
//! visits"). Reading the values early instead (as [`crate::par::touch`] does) gained nothing
//! there: the reads fill the core's window and stall it. The other way round, `par::touch`'s
//! runs of thousands of rows did worse as prefetches, more than the core keeps in flight, so
//! this serves passes that ask for a few dozen rows at a time: the offending pass, the
//! demography pass for its few persons due in a chunk of the table (whose scan took 1.03-1.40
//! ms a month at a million agents on one thread without it, 0.70-1.10 with it), the victim
//! pool's changes, a dozen changes ahead (a month's million changes at one agent per person
//! took 60-130 ms without, 35-90 with), and the justice stages' parallel passes over their
//! lists ([`par_map_ahead`]: at 50 million agents the courts 0.40 to 0.36 ns per agent-month, the
//! prisons 0.16 to 0.13).
//!
//! This module holds the workspace's second piece of unsafe code (the first is
//! [`crate::huge_pages`]'s `madvise`), allowed here alone: a prefetch accesses no memory in
//! the language's sense and cannot fault, so it changes no byte of any output.

/// Starts loading the cache line holding `value` into every cache level. A no-op on
/// processors other than x86-64.
#[inline(always)]
#[allow(unsafe_code)]
pub(crate) fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `_mm_prefetch` is unsafe only because it is a `target_feature` intrinsic (SSE,
    // which every x86-64 processor has). A prefetch is a hint: it reads nothing the program
    // can observe and cannot fault, whatever the address; the address here comes from a
    // reference and so is valid anyway.
    unsafe {
        use core::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(value).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

/// Items between the one a pass of [`par_map_ahead`] maps (or a serial loop goes through) and
/// the one whose rows it asks for.
pub(crate) const READ_AHEAD: usize = 8;

/// `items` mapped by `f` in parallel in jobs of `min_len` to `2 * min_len` items, the results
/// in the items' order; before each item, `ask` asks memory for the rows of the item
/// [`READ_AHEAD`] places on. For the passes over a list whose items each read a row at a random
/// place of the table (the roster, the cases, the suspects, the displaced, the supervised): the
/// waits overlap instead of following one another within each task.
pub(crate) fn par_map_ahead<T: Sync, R: Send>(
    items: &[T],
    min_len: usize,
    ask: impl Fn(&T) + Sync + Send,
    f: impl Fn(&T) -> R + Sync + Send,
) -> Vec<R> {
    use crate::par::Jobs;
    use rayon::prelude::*;
    items
        .par_iter()
        .enumerate()
        .jobs_of(min_len)
        .map(|(k, item)| {
            if let Some(next) = items.get(k + READ_AHEAD) {
                ask(next);
            }
            f(item)
        })
        .collect()
}
