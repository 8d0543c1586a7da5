//! Extending a simulation without editing the model: a researcher's own systems placed in the
//! monthly stages (before or after a built-in system, by bevy's ordering), their own resources,
//! and collectors whose yearly values come back in the [`Outcome`](crate::Outcome).
//!
//! ```
//! use sim_core::{ModelParams, Simulation};
//! use sim_core::persons::Persons;
//! let mut p = ModelParams::baseline();
//! p.scenario.agents = 2_000;
//! p.scenario.years = 2;
//! let mut sim = Simulation::new(p).unwrap();
//! sim.collect("agents alive", |world| {
//!     let persons = world.resource::<Persons>();
//!     persons.demographics().iter().filter(|d| d.alive()).count() as f64
//! });
//! let out = sim.run_to_end();
//! assert_eq!(out.collected[0].values.len(), 2);
//! ```
//!
//! Systems added here run in the stage their set names and must be ordered against the
//! built-in systems whose data they touch (the schedule refuses ambiguous orders). They are
//! not part of a [`Snapshot`](crate::snapshot::Snapshot): add them again to a restored or
//! branched simulation (as a [`Plugin`](crate::builder::Plugin),
//! [`Simulation::restore_with`](crate::Simulation::restore_with) does it).

use bevy_ecs::prelude::*;
use bevy_ecs::system::ScheduleSystem;

use crate::Simulation;

/// A function of the World evaluated at the end of every simulated year.
pub type Collector = fn(&World) -> f64;

/// A collector's values by year.
#[derive(Clone, Debug, PartialEq)]
pub struct Collected {
    /// Its name.
    pub name: String,
    /// (calendar year, value at the end of that year).
    pub values: Vec<(i32, f64)>,
}

/// A registered collector and what it has collected.
pub(crate) struct Registered {
    pub(crate) collect: Collector,
    pub(crate) collected: Collected,
}

impl Simulation {
    /// Adds systems to the monthly schedule (put them in a [`Stage`](crate::schedule::Stage)
    /// set and order them against the built-in systems they share data with).
    pub fn add_systems<M>(
        &mut self,
        systems: impl IntoScheduleConfigs<ScheduleSystem, M>,
    ) -> &mut Self {
        self.schedule.add_systems(systems);
        self
    }

    /// Inserts a resource of the researcher's own (replacing one of the same type).
    pub fn insert_resource<R: Resource>(&mut self, resource: R) -> &mut Self {
        self.world.insert_resource(resource);
        self
    }

    /// Registers a collector: `f` is evaluated after the last month of every simulated year,
    /// and its values land in [`Outcome::collected`](crate::Outcome::collected).
    pub fn collect(&mut self, name: &str, f: Collector) -> &mut Self {
        self.collectors.push(Registered {
            collect: f,
            collected: Collected {
                name: name.to_string(),
                values: Vec::new(),
            },
        });
        self
    }

    /// Evaluates the collectors if the month just simulated ended a year.
    pub(crate) fn collect_year_end(&mut self) {
        let calendar = self.calendar();
        if self.collectors.is_empty() || !calendar.month_index.is_multiple_of(12) {
            return;
        }
        let year = calendar.start_year + (calendar.month_index / 12) as i32 - 1;
        for c in &mut self.collectors {
            c.collected.values.push((year, (c.collect)(&self.world)));
        }
    }
}
