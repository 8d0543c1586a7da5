//! Deterministic chunked parallelism over the person table.
//!
//! **Architecture Invariant:** chunk boundaries depend only on the number of rows (never on the
//! thread count), per-chunk results are collected in chunk order, and floating-point totals are
//! summed after collection in that order. So 1, 2 or N threads give byte-identical results.

/// Rows per chunk: large enough to amortise scheduling (about 10-50 us of work per chunk), small
/// enough to balance 2-8 threads at 1e5 agents.
pub const CHUNK: usize = 8192;

/// The single table of persons as contiguous slices. Every person carries the same components
/// (see [`crate::person`]), so a query over persons yields exactly one table.
#[macro_export]
macro_rules! person_table {
    ($query:expr) => {{
        let mut tables = $query
            .contiguous_iter_mut()
            .expect("person queries have no filters that break contiguity");
        let first = tables.next();
        assert!(
            tables.next().is_none(),
            "all persons must share one table (same component set)"
        );
        first
    }};
}
