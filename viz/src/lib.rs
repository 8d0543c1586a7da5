//! Charts (plotters) and the self-contained HTML report, drawn from cjsim output tables only.
//!
//! **Architecture Invariant:** viz never sees the World; it draws from the tables a run writes,
//! so any saved result folder can be redrawn. (The charts arrive with the charts-and-report
//! issue; the crate exists now so the dependency arrows are fixed from the start.)
