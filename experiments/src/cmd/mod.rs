//! One module per subcommand.

pub mod compare;
pub mod interventions;
pub mod merge;
pub mod report;
pub mod run;
pub mod scenarios;
pub mod sensitivity;
pub mod serve;
pub mod sweep;
