//! The names a user of sim-core needs most, in one import: `use sim_core::prelude::*;`. Build a
//! [`Simulation`] from [`ModelParams`], step or run it, read the [`Outcome`]; add systems in a
//! [`Stage`], collectors, interventions implementing [`Mechanism`]; snapshot and branch.

pub use crate::bevy_ecs;
pub use crate::builder::{Part, Plugin};
pub use crate::calendar::Calendar;
pub use crate::extend::{Collected, Collector};
pub use crate::indicators::{Estimator, YEAR_COLUMNS, YearRow};
pub use crate::interventions::{CostBasis, Intervention, Mechanism, MechanismRef, PolicyEffects};
pub use crate::offence::OffenceType;
pub use crate::person::{Demographics, Justice, JusticeState, Sex};
pub use crate::persons::Persons;
pub use crate::schedule::Stage;
pub use crate::snapshot::Snapshot;
pub use crate::{ModelParams, MonthRow, Outcome, ParamIssue, Params, Recorder, Simulation};
