//! Building a simulation from parts: `Simulation::builder(params).without(Part::Climate)
//! .with(MyPlugin).build()`. The built-in behaviour comes in [`Part`]s a user can leave out;
//! a [`Plugin`] adds a user's own systems (placed in a [`Stage`](crate::schedule::Stage), before
//! or after a named built-in system), resources and collectors. Replacing a part is leaving it
//! out and adding a plugin in its stage.
//!
//! ```
//! use sim_core::builder::{Part, Plugin};
//! use sim_core::prelude::*;
//!
//! /// Counts living agents at each year's end.
//! struct Headcount;
//! impl Plugin for Headcount {
//!     fn build(&self, sim: &mut Simulation) {
//!         sim.collect("headcount", |world| {
//!             let persons = world.resource::<Persons>();
//!             persons.demographics().iter().filter(|d| d.alive()).count() as f64
//!         });
//!     }
//! }
//!
//! let mut p = ModelParams::baseline();
//! p.scenario.agents = 2_000;
//! p.scenario.years = 2;
//! let out = Simulation::builder(p)
//!     .without(Part::Climate)
//!     .with(Headcount)
//!     .build()
//!     .unwrap()
//!     .run_to_end();
//! assert_eq!(out.collected[0].values.len(), 2);
//! assert!(out.events.is_empty());
//! ```

use crate::params::ModelParams;
use crate::{ParamIssue, Simulation};

/// A part of the built-in model that can be left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// Ageing, deaths, births and migration (without it the population is frozen).
    Demography,
    /// Climate shocks, temperature and displacement.
    Climate,
    /// Employment, offending, victimisation and the whole justice pipeline (interventions
    /// included).
    CrimeAndJustice,
    /// The interventions' effects and costs; the scenario's policy timeline stays in force.
    Interventions,
    /// The crime victimisation survey each December. It observes the population and nothing
    /// in the model reads it, so leaving it out changes no other output; its estimates
    /// (`Recorder::surveys`, the command line's `survey.csv`) are then empty. The dashboard,
    /// which shows none of them, leaves it out: at its 20,000 agents a December's interviews
    /// cost about as much as a whole month's step (the default issued sample, 55,000 persons
    /// a year, is about three selections per agent there).
    Survey,
}

/// A user's extension: systems, resources and collectors added to a simulation when it is
/// built. Called once, after the built-in parts are in place.
pub trait Plugin {
    /// Adds the plugin's systems, resources and collectors to `sim`.
    fn build(&self, sim: &mut Simulation);
}

/// A simulation under construction: parameters, the parts left out, the plugins to add.
pub struct Builder {
    params: ModelParams,
    plugins: Vec<Box<dyn Plugin>>,
}

impl Builder {
    /// Leaves a built-in part out.
    pub fn without(mut self, part: Part) -> Self {
        let m = &mut self.params.modules;
        match part {
            Part::Demography => m.demography = false,
            Part::Climate => m.climate = false,
            Part::CrimeAndJustice => {
                m.justice = false;
                m.interventions = false;
            }
            Part::Interventions => m.interventions = false,
            Part::Survey => m.survey = false,
        }
        self
    }

    /// Adds a plugin.
    pub fn with(mut self, plugin: impl Plugin + 'static) -> Self {
        self.plugins.push(Box::new(plugin));
        self
    }

    /// Builds the population and the schedule, then adds the plugins; fails with every
    /// parameter problem.
    pub fn build(self) -> Result<Simulation, Vec<ParamIssue>> {
        let mut sim = Simulation::new(self.params)?;
        for p in &self.plugins {
            p.build(&mut sim);
        }
        Ok(sim)
    }
}

impl Simulation {
    /// A builder of a simulation of `params`, every built-in part in.
    pub fn builder(params: ModelParams) -> Builder {
        Builder {
            params,
            plugins: Vec::new(),
        }
    }

    /// Restores `snapshot` (see [`Simulation::restore`]) and adds `plugins` again: a snapshot
    /// holds the World, not the schedule, so a plugin's systems must be added to the restored
    /// simulation as they were to the original. A plugin whose resources change during the run
    /// starts them afresh unless its `build` restores them.
    pub fn restore_with(snapshot: &crate::snapshot::Snapshot, plugins: &[&dyn Plugin]) -> Self {
        let mut sim = Simulation::restore(snapshot);
        for p in plugins {
            p.build(&mut sim);
        }
        sim
    }
}
