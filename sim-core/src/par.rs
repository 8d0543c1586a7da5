//! Deterministic chunked parallelism over the person table.
//!
//! **Architecture Invariant:** chunk boundaries depend only on the number of rows (never on the
//! thread count), and no output depends on where they fall: per-chunk results are exact
//! (integers, fixed point) or lists in row order, collected in chunk order, and floating-point
//! totals are summed after collection. So 1, 2 or N threads, and any chunk size, give
//! byte-identical results (`tests/determinism.rs` checks both).

/// Most rows per chunk: large enough to amortise scheduling (about 10-50 us of work per chunk).
const MAX_CHUNK: usize = 8192;

/// Fewest rows per chunk.
const MIN_CHUNK: usize = 1024;

/// Rows per chunk for a table of `rows` rows: about 32 chunks (a power of two between 1,024
/// and 8,192 rows), so that small populations, such as the dashboard's 20,000 agents, still
/// split evenly over the threads (with a fixed 8,192 they made three chunks, two of them on one
/// thread) and large ones amortise scheduling. Depends on the row count only, never on the
/// threads; every per-chunk result is exact (integers, fixed point) or kept in row order, so
/// the chunk size changes no output.
pub(crate) fn chunk_rows(rows: usize) -> usize {
    match FIXED_CHUNK_ROWS.get() {
        0 => (rows / 32).next_power_of_two().clamp(MIN_CHUNK, MAX_CHUNK),
        fixed => fixed,
    }
}

thread_local! {
    /// A chunk size forced by [`fix_chunk_rows_on_this_thread`] (0: none).
    static FIXED_CHUNK_ROWS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Forces the chunk size of the systems run on this thread (0 restores the default), so that a
/// test can check that no output depends on where chunks begin. Not for use outside tests.
#[doc(hidden)]
pub fn fix_chunk_rows_on_this_thread(rows: usize) {
    FIXED_CHUNK_ROWS.set(rows);
}
