//! One test binary for the crate's integration tests (each binary costs a thin-LTO link in the
//! release build CI runs); each module is the file of the same name beside this one.

mod common;

mod demography;
mod determinism;
mod economy;
mod fraud;
mod justice;
mod shared_pool;
