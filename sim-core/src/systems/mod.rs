//! One behaviour per file, named after it; each file's doc says what it reads and writes.

pub mod demography;
pub mod immigration;
pub mod metrics;
pub mod newcomers;
