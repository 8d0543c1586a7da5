//! One test binary for the crate's integration tests (linking a binary per file took most of
//! a cold CI build); each module is the file of the same name beside this one.

mod common;

mod bad_input;
mod cli;
mod compare;
mod library;
mod measured;
mod precision;
mod safe_outputs;
mod serve_api;
mod serve_security;
mod slurm;
mod sweep;
mod tidy;
