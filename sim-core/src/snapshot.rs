//! Snapshot and restore of a running simulation, and branching from a snapshot.
//!
//! A [`Snapshot`] holds the whole state between two months: a copy of every state resource,
//! the person table included. [`Simulation::restore`] builds a World from it that continues
//! byte-identically to the run it was taken from: the person table keeps its row order, so the
//! rows that rosters and queues refer to are the same, and every draw
//! is keyed by seed, stream, person and month, never by where a run started.
//!
//! [`Simulation::branch`] continues from a snapshot with other interventions, for "what if we
//! start this in 2030" comparisons and for the dashboard, which keeps an aligned baseline in
//! memory and runs arms from it. A branch equals a fresh run with those interventions as long
//! as nothing that differs was in force before the snapshot: the only set-up value that depends
//! on the interventions (the in-prison programmes' offending multipliers) is solved again from
//! the set-up's own releasees, kept for this.

use bevy_ecs::prelude::*;

use crate::persons::Persons;
use crate::{ModelParams, ParamIssue, Params, Simulation};

/// Declares the state resources once: the snapshot's fields, their capture and their
/// insertion. A resource missing here would make a restored run diverge, which the
/// byte-identical continuation test catches.
macro_rules! state_resources {
    ($($field:ident: $ty:ty),* $(,)?) => {
        /// Copies of the state resources present when the snapshot was taken.
        #[derive(Clone)]
        struct Resources {
            $($field: Option<$ty>,)*
        }

        impl Resources {
            fn capture(world: &World) -> Self {
                Resources {
                    $($field: world.get_resource::<$ty>().cloned(),)*
                }
            }

            fn insert(&self, world: &mut World) {
                $(if let Some(r) = &self.$field {
                    world.insert_resource(r.clone());
                })*
            }
        }
    };
}

state_resources! {
    persons: Persons,
    calendar: crate::calendar::Calendar,
    census: crate::census::Census,
    next_id: crate::population::NextId,
    vacancies: crate::population::Vacancies,
    newcomers: crate::population::Newcomers,
    tally: crate::metrics::MonthTally,
    recorder: crate::metrics::Recorder,
    region_count: crate::systems::metrics::RegionCount,
    params: Params,
    demography: crate::tables::DemographyTables,
    crime_tables: crate::crime_tables::CrimeTables,
    conditions: crate::region::RegionConditions,
    labour: crate::systems::economy::LabourRatesRes,
    hazards: crate::systems::offending::HazardTable,
    ledger: crate::systems::offending::OffendingLedger,
    pool: crate::pool::VictimPool,
    offences: crate::offence::OffenceBuffer,
    expected_offending: crate::systems::offending::ExpectedOffending,
    victim_weights: crate::systems::victimisation::VictimWeights,
    year_hazards: crate::systems::expected_victims::YearHazards,
    policing: crate::justice::Policing,
    suspects: crate::justice::Suspects,
    delayed: crate::justice::DelayedArrests,
    courts: crate::justice::Courts,
    convicted: crate::justice::Convicted,
    prisons: crate::justice::Prisons,
    supervision: crate::justice::Supervision,
    cohorts: crate::justice::ReleaseCohorts,
    effects: crate::interventions::PolicyEffects,
    climate: crate::systems::climate::ClimateState,
    displaced: crate::systems::displacement::Displaced,
}

/// The whole state of a simulation between two months.
#[derive(Clone)]
pub struct Snapshot {
    resources: Resources,
}

impl Snapshot {
    /// The parameters of the run the snapshot was taken from.
    pub fn params(&self) -> &ModelParams {
        &self
            .resources
            .params
            .as_ref()
            .expect("every simulation has its parameters")
            .0
    }

    /// The person table (vacant rows included): what tests compare to see that two runs are in
    /// the same state, person by person.
    pub fn persons(&self) -> &Persons {
        self.resources
            .persons
            .as_ref()
            .expect("every simulation has its person table")
    }

    /// The month the restored simulation simulates next (0 = the first month).
    pub fn month_index(&self) -> u32 {
        self.resources
            .calendar
            .expect("every simulation has a calendar")
            .month_index
    }
}

impl Simulation {
    /// A copy of the whole state, to restore or branch from later.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            resources: Resources::capture(&self.world),
        }
    }

    /// The simulation of `snapshot`, continuing exactly as the one it was taken from.
    pub fn restore(snapshot: &Snapshot) -> Simulation {
        let mut world = World::new();
        snapshot.resources.insert(&mut world);
        if world.contains_resource::<crate::crime_tables::CrimeTables>() {
            world.insert_resource(crate::systems::offending::ExpectedScratch::default());
            world.insert_resource(crate::systems::expected_victims::ExpectationTask::default());
            world.insert_resource(crate::systems::histories::HistoryTask::default());
            world.insert_resource(crate::par::BackgroundQueue::default());
            world.insert_resource(crate::pool::PoolChanges::default());
        }
        let schedule = crate::schedule::monthly_schedule(snapshot.params());
        Simulation {
            world,
            schedule,
            months: snapshot.params().scenario.months(),
            collectors: Vec::new(),
        }
    }

    /// Continues from `snapshot` with `interventions` instead of the snapshot's. Every
    /// intervention that is added, removed or changed must be out of force before the
    /// snapshot's month; then the branch equals a fresh run with those interventions.
    pub fn branch(
        snapshot: &Snapshot,
        interventions: Vec<crate::interventions::Intervention>,
    ) -> Result<Simulation, Vec<ParamIssue>> {
        let old = snapshot.params();
        let mut params = old.clone();
        params.interventions = interventions;
        let mut issues = params.check();
        let month = snapshot.month_index();
        let start = params.scenario.start_year;
        let differs =
            |iv: &crate::interventions::Intervention,
             others: &[crate::interventions::Intervention]| { !others.contains(iv) };
        for (i, iv) in params.interventions.iter().enumerate() {
            let changed = differs(iv, &old.interventions);
            if changed && (0..month).any(|m| iv.intensity(start, m) > 0.0) {
                issues.push(ParamIssue {
                    key_path: format!("interventions[{i}].start_year"),
                    value: crate::params::fmt_num(iv.start_year),
                    allowed: format!(
                        "a start in or after the branch month ({} month {})",
                        start + (month / 12) as i32,
                        month % 12 + 1
                    ),
                });
            }
        }
        for iv in &old.interventions {
            if differs(iv, &params.interventions)
                && (0..month).any(|m| iv.intensity(start, m) > 0.0)
            {
                issues.push(ParamIssue {
                    key_path: format!("interventions ({})", iv.name),
                    value: "removed or changed".into(),
                    allowed: "only interventions not yet in force at the branch month".into(),
                });
            }
        }
        if !issues.is_empty() {
            return Err(issues);
        }
        let mut sim = Simulation::restore(snapshot);
        if let Some(mut t) = sim
            .world
            .get_resource_mut::<crate::crime_tables::CrimeTables>()
        {
            let releasees = std::mem::take(&mut t.setup_releasees);
            let flows = t.expected.clone();
            crate::alignment::reoffending::align_programme_multipliers(
                &params, &mut t, &flows, &releasees,
            );
            t.setup_releasees = releasees;
        }
        sim.world.insert_resource(Params(params));
        Ok(sim)
    }
}
