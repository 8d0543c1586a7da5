//! The dashboard in a real browser, in a test binary of its own: cargo runs test binaries one
//! after another, so the latencies it records as a benchmark are not measured while the other
//! integration tests share the machine's two cores.

// Helpers shared with the integration binary (this one uses only some of them).
mod common;

mod serve_e2e;
