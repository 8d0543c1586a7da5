//! The cjsim command line as a library: subcommands, output files, provenance and the
//! generated documentation. `main.rs` only parses arguments and maps errors to exit codes.

pub mod cmd;
pub mod docs;
pub mod error;
pub mod estimate;
pub mod limits;
pub mod measured;
pub mod outdir;
pub mod output;
pub mod precision;
pub mod progress;
pub mod provenance;
pub mod replicate;
pub mod results;
pub mod scorecard;
pub mod sdg;
pub mod serve;
pub mod simulate;
pub mod sweep;
pub mod tables;
