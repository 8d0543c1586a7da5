//! One chart per file; each builds from plain data taken from the output tables.

pub mod disaggregation;
pub mod displacement;
pub mod forest;
pub mod funnel;
pub mod occupancy;
pub mod pyramid;
pub mod tornado;
pub mod trajectory;
