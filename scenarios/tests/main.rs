//! One test binary for the crate's integration tests (linking a binary per file took most of
//! a cold CI build); each module is the file of the same name beside this one.

mod common;

mod archetypes;
mod builtin;
mod climate;
mod fuzz;
mod hindcast;
mod interventions;
mod invalid;
mod precision;
mod prisoners;
mod stylized_facts;
