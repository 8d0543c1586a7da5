//! One module per subcommand.

pub mod compare;
pub mod interventions;
pub mod report;
pub mod run;
pub mod scenarios;
