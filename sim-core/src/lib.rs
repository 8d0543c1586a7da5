//! The cjsim model: one month of climate, crime and justice as bevy_ecs systems. No I/O.
//!
//! A [`Simulation`] is built from resolved [`ModelParams`] (the `scenarios` crate makes them
//! from a file), stepped month by month through the 14 stages of [`schedule::Stage`], and hands
//! back plain tables of numbers ([`metrics::Recorder`]).
//!
//! ```
//! use sim_core::{ModelParams, Simulation};
//! let mut params = ModelParams::baseline();
//! params.scenario.agents = 2_000;
//! params.scenario.years = 1;
//! let out = Simulation::new(params).unwrap().run();
//! assert_eq!(out.months.len(), 12);
//! ```
//!
//! **Architecture Invariant:** sim-core knows nothing about TOML, files, plots or the CLI.

pub mod alignment;
pub(crate) mod bitmask;
pub mod builder;
pub mod calendar;
pub mod census;
pub mod crime_tables;
pub mod curves;
pub mod custody;
pub mod digital;
pub(crate) mod exp_neg;
pub mod extend;
pub(crate) mod huge_pages;
pub mod indicators;
pub mod initial_stocks;
pub mod interventions;
pub mod justice;
pub mod leniency;
pub mod lifetable;
pub mod mechanisms;
pub mod metrics;
pub mod offence;
pub mod par;
pub mod params;
pub mod person;
pub mod persons;
pub mod policy_changes;
pub mod pool;
pub mod population;
pub(crate) mod prefetch;
pub mod prelude;
pub mod region;
pub mod rng;
pub mod schedule;
pub mod setup;
pub mod snapshot;
pub mod stats;
pub mod survey;
pub mod systems;
pub mod tables;
pub(crate) mod tempo;
pub(crate) mod vital;

use bevy_ecs::prelude::*;

/// The ECS the model is built on, re-exported so that a user's systems and collectors use
/// the same version.
pub use bevy_ecs;
pub use metrics::{MonthRow, Recorder};
pub use params::{ModelParams, ParamIssue};

use calendar::Calendar;
use census::Census;
use metrics::MonthTally;
use person::{Demographics, PersonId};
use persons::Persons;
use population::{Newcomers, NextId, Vacancies, initial_persons};
use tables::DemographyTables;

/// The resolved parameters as a resource. Systems read it; nothing writes it during a run.
#[derive(Resource, Clone, Debug)]
pub struct Params(pub ModelParams);

/// Inserts every justice resource with empty contents (set-up fills them once the person table
/// exists).
fn insert_justice_resources(world: &mut World, p: &ModelParams) {
    world.insert_resource(crime_tables::CrimeTables::new(p));
    world.insert_resource(region::RegionConditions::calm(0.0));
    world.insert_resource(systems::economy::LabourRatesRes(
        systems::economy::LabourRates::new(p),
    ));
    world.insert_resource(systems::offending::HazardTable::default());
    world.insert_resource(pool::VictimPool::new(p.scenario.months()));
    world.insert_resource(pool::PoolChanges::default());
    world.insert_resource(offence::OffenceBuffer::default());
    world.insert_resource(systems::offending::ExpectedOffending::default());
    world.insert_resource(systems::offending::ExpectedScratch::default());
    world.insert_resource(systems::offending::OffendingLedger::default());
    world.insert_resource(systems::victimisation::VictimWeights::default());
    world.insert_resource(systems::expected_victims::YearHazards::default());
    world.insert_resource(systems::expected_victims::ExpectationTask::default());
    world.insert_resource(systems::histories::HistoryTask::default());
    world.insert_resource(crate::par::BackgroundQueue::default());
    world.insert_resource(justice::Policing::default());
    world.insert_resource(justice::Suspects::default());
    world.insert_resource(justice::DelayedArrests::default());
    world.insert_resource(justice::Courts::default());
    world.insert_resource(justice::Convicted::default());
    world.insert_resource(justice::Prisons::empty());
    world.insert_resource(justice::Supervision::default());
    world.insert_resource(justice::ReleaseCohorts::default());
    world.insert_resource(interventions::PolicyEffects::default());
}

/// Everything a finished run hands back.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Monthly rows, histograms and year records.
    pub recorder: Recorder,
    /// Release cohorts (empty without the justice module).
    pub cohorts: justice::ReleaseCohorts,
    /// Year-one values the alignment could not reach exactly.
    pub warnings: Vec<String>,
    /// Yearly indicators, crime counts from the estimator in [`Outcome::estimator`].
    pub years: Vec<indicators::YearRow>,
    /// Yearly indicators from the other estimator.
    pub years_other: Vec<indicators::YearRow>,
    /// The estimator of [`Outcome::years`] (expected counts unless chosen otherwise).
    pub estimator: indicators::Estimator,
    /// Climate hazard events, in order (empty without the climate module).
    pub events: Vec<systems::climate::HazardEvent>,
    /// The values of the collectors registered with [`Simulation::collect`].
    pub collected: Vec<extend::Collected>,
}

impl Outcome {
    /// The same outcome ended with `last_year`: the yearly rows, months, year records,
    /// surveys, events and collected values after it dropped, as if the run had stopped then
    /// (the release cohorts are kept whole; the yearly rows computed from them are not
    /// recomputed).
    pub fn truncated(&self, last_year: i32) -> Outcome {
        let mut o = self.clone();
        o.years.retain(|y| y.year <= last_year);
        o.years_other.retain(|y| y.year <= last_year);
        let r = &mut o.recorder;
        r.months.retain(|m| m.year <= last_year);
        let months = r.months.len();
        r.population.truncate(months);
        r.deaths.truncate(months);
        r.births_by_mother_age.truncate(months);
        r.years.retain(|y| y.year <= last_year);
        r.current_year = None;
        r.surveys.retain(|s| s.year <= last_year);
        o.events.retain(|e| (e.month_index as usize) < months);
        for c in &mut o.collected {
            c.values.retain(|(year, _)| *year <= last_year);
        }
        o
    }

    /// Makes `estimator` the one [`Outcome::years`] is computed with.
    pub fn use_estimator(&mut self, estimator: indicators::Estimator) {
        if estimator != self.estimator {
            std::mem::swap(&mut self.years, &mut self.years_other);
            self.estimator = estimator;
        }
    }

    /// The by-group table of this outcome's estimator.
    pub fn by_group(&self, p: &ModelParams) -> Vec<indicators::GroupRow> {
        indicators::by_group(&self.recorder, p, self.estimator)
    }
}

/// A simulation run: the World of persons and resources, and the monthly schedule.
pub struct Simulation {
    world: World,
    schedule: Schedule,
    months: u32,
    collectors: Vec<extend::Registered>,
}

impl Simulation {
    /// Builds the synthetic population and the schedule; fails with every parameter problem.
    pub fn new(params: ModelParams) -> Result<Self, Vec<ParamIssue>> {
        let issues = params.check();
        if !issues.is_empty() {
            return Err(issues);
        }
        let tables = DemographyTables::new(&params).map_err(|e| vec![e])?;
        let mut world = World::new();
        let months = params.scenario.months();
        let burn_in_months = if params.modules.justice {
            params.justice.burn_in_years as u32 * 12
        } else {
            0
        };
        world.insert_resource(Calendar::new(params.scenario.start_year, burn_in_months));
        world.insert_resource(Census::new(months));
        world.insert_resource(NextId(params.scenario.agents));
        world.insert_resource(Vacancies::default());
        world.insert_resource(Newcomers::default());
        world.insert_resource(MonthTally::new());
        world.insert_resource(Recorder::default());
        world.insert_resource(systems::metrics::RegionCount(params.regions.len()));
        world.insert_resource(Params(params.clone()));
        world.insert_resource(tables.clone());
        if params.modules.justice {
            insert_justice_resources(&mut world, &params);
        }
        if params.modules.climate {
            world.insert_resource(systems::climate::ClimateState::default());
            world.insert_resource(systems::displacement::Displaced::default());
            if !params.modules.justice {
                world.insert_resource(region::RegionConditions::calm(0.0));
                world.insert_resource(interventions::PolicyEffects::default());
            }
        }
        world.insert_resource(initial_persons(&params, &tables));
        let census = Self::count_census(world.resource::<Persons>(), months);
        *world.resource_mut::<Census>() = census;
        if params.modules.justice {
            setup::setup_justice(&params, &mut world);
        }
        let schedule = schedule::monthly_schedule(&params);
        let mut sim = Simulation {
            world,
            schedule,
            months,
            collectors: Vec::new(),
        };
        sim.burn_in();
        Ok(sim)
    }

    /// Simulates the justice burn-in (`justice.burn_in_years`) and forgets what it recorded:
    /// the run then starts from the stocks the model's own flows left.
    fn burn_in(&mut self) {
        if !self.calendar().in_burn_in() {
            return;
        }
        while self.calendar().in_burn_in() {
            self.schedule.run(&mut self.world);
            self.world.resource_mut::<Calendar>().advance();
        }
        *self.world.resource_mut::<Recorder>() = Recorder::default();
        let months = self.months as person::MonthNo;
        *self.world.resource_mut::<justice::ReleaseCohorts>() =
            justice::ReleaseCohorts::new(0, months);
    }

    /// The parameters the run was built from.
    pub fn params(&self) -> &ModelParams {
        &self.world.resource::<Params>().0
    }

    /// The current calendar (the month the next [`Simulation::step`] simulates).
    pub fn calendar(&self) -> Calendar {
        *self.world.resource::<Calendar>()
    }

    /// Conducts the crime victimisation survey again on the persons as they are now, as if
    /// interviewed in the last simulated month, with independent draws numbered `replicate`
    /// (the run's own December surveys are replicate 0). Repeated replicates give the survey's
    /// sampling distribution on one simulated population. `None` before the first month or
    /// without the justice module.
    pub fn survey(&mut self, replicate: u32) -> Option<survey::SurveyYear> {
        let calendar = self.calendar();
        if calendar.month_index == 0 || !self.params().modules.justice {
            return None;
        }
        let last = Calendar {
            month_index: calendar.month_index - 1,
            ..calendar
        };
        let params = self.params().clone();
        let fieldwork = survey::Fieldwork::at(&last, params.scenario.seed, replicate);
        let persons = self.persons();
        if persons.is_empty() {
            return None;
        }
        Some(survey::conduct(
            &persons.demo,
            &persons.experience,
            params.regions.len(),
            &params.survey,
            fieldwork,
        ))
    }

    /// Whether every month of the horizon has been simulated.
    pub fn finished(&self) -> bool {
        self.calendar().month_index >= self.months
    }

    /// Simulates one month and returns its row.
    pub fn step(&mut self) -> &MonthRow {
        self.schedule.run(&mut self.world);
        self.world.resource_mut::<Calendar>().advance();
        self.collect_year_end();
        self.world
            .resource::<Recorder>()
            .months
            .last()
            .expect("the Metrics stage records every month")
    }

    /// Simulates the remaining months and returns everything recorded.
    pub fn run(mut self) -> Recorder {
        while !self.finished() {
            self.step();
        }
        self.into_recorder()
    }

    /// Simulates the remaining months and returns the outcome with the yearly indicators.
    pub fn run_to_end(mut self) -> Outcome {
        while !self.finished() {
            self.step();
        }
        self.into_outcome()
    }

    /// Ends the run, computing the yearly indicators of what was simulated.
    pub fn into_outcome(mut self) -> Outcome {
        let recorder = self
            .world
            .remove_resource::<Recorder>()
            .expect("inserted at construction");
        let collected = std::mem::take(&mut self.collectors)
            .into_iter()
            .map(|c| c.collected)
            .collect();
        self.outcome_of(recorder, collected)
    }

    /// The outcome of the months simulated so far, leaving the run to go on: what a run that
    /// stopped now would hand back (used to show the target year while the horizon is still
    /// being simulated).
    pub fn outcome_so_far(&self) -> Outcome {
        let recorder = self.world.resource::<Recorder>().clone();
        let collected = self
            .collectors
            .iter()
            .map(|c| c.collected.clone())
            .collect();
        self.outcome_of(recorder, collected)
    }

    /// The outcome of `recorder`'s months: yearly indicators by both estimators, the release
    /// cohorts, warnings and events.
    fn outcome_of(&self, recorder: Recorder, collected: Vec<extend::Collected>) -> Outcome {
        let justice = self.params().modules.justice;
        let cohorts = if justice {
            self.release_cohorts().clone()
        } else {
            justice::ReleaseCohorts::default()
        };
        let warnings = self
            .crime_tables()
            .map(|t| t.warnings.clone())
            .unwrap_or_default();
        let params = self.params();
        let events = self
            .world
            .get_resource::<systems::climate::ClimateState>()
            .map(|c| c.log.clone())
            .unwrap_or_default();
        let years =
            indicators::yearly(&recorder, &cohorts, params, indicators::Estimator::Expected);
        let years_other =
            indicators::yearly(&recorder, &cohorts, params, indicators::Estimator::Realised);
        Outcome {
            recorder,
            cohorts,
            warnings,
            years,
            years_other,
            estimator: indicators::Estimator::Expected,
            events,
            collected,
        }
    }

    /// The derived and calibrated crime tables (alignment results, warnings), if the justice
    /// module runs.
    pub fn crime_tables(&self) -> Option<&crime_tables::CrimeTables> {
        self.params()
            .modules
            .justice
            .then(|| self.world.resource::<crime_tables::CrimeTables>())
    }

    /// Release cohorts so far (re-arrest and reconviction follow-up).
    pub fn release_cohorts(&self) -> &justice::ReleaseCohorts {
        self.world.resource::<justice::ReleaseCohorts>()
    }

    /// Court queues and capacities.
    pub fn courts(&self) -> &justice::Courts {
        self.world.resource::<justice::Courts>()
    }

    /// The World of resources, read-only (for probes and custom data collection); the
    /// persons are its [`Persons`] resource, also given by [`Simulation::persons`].
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The person table, read-only: one row per person slot, living, in custody or vacant.
    pub fn persons(&self) -> &Persons {
        self.world.resource::<Persons>()
    }

    /// The prison roster and beds.
    pub fn prisons(&self) -> &justice::Prisons {
        self.world.resource::<justice::Prisons>()
    }

    /// What has been recorded so far.
    pub fn recorder(&self) -> &Recorder {
        self.world.resource::<Recorder>()
    }

    /// Drops what has been recorded so far, keeping the run going (long benchmarks, streaming
    /// consumers that have already taken the rows they need).
    pub fn discard_records(&mut self) {
        let mut r = self.world.resource_mut::<Recorder>();
        r.months.clear();
        r.population.clear();
        r.deaths.clear();
        r.births_by_mother_age.clear();
    }

    /// Hands the recorded tables over, ending the run.
    pub fn into_recorder(mut self) -> Recorder {
        self.world
            .remove_resource::<Recorder>()
            .expect("inserted at construction")
    }

    /// Counts the living persons of the table into a fresh census.
    fn count_census(persons: &Persons, months: u32) -> Census {
        let mut census = Census::new(months);
        for d in &persons.demo {
            if d.alive() {
                census.add(d.region, d.sex, d.birth_month);
            }
        }
        census
    }

    /// Whether the event-maintained census equals a full recount of the person table (the
    /// accounting tests call this every month).
    pub fn census_matches_table(&mut self) -> bool {
        let recount = Self::count_census(self.persons(), self.months);
        recount == *self.world.resource::<Census>()
    }

    /// Whether the event-maintained victim pool equals a rebuild from the person table (the
    /// accounting tests call this every month). True when the justice module is off.
    pub fn victim_pool_matches_table(&mut self) -> bool {
        if !self.params().modules.justice {
            return true;
        }
        let rebuilt = pool::VictimPool::rebuild(&self.persons().demo, self.months);
        rebuilt.same_members(self.world.resource::<pool::VictimPool>())
    }

    /// Number of rows in the person table, living or vacant (memory and benchmark reports).
    pub fn table_rows(&self) -> usize {
        self.persons().len()
    }

    /// Living persons as plain copies, in row order (for tests and snapshots).
    pub fn living(&self) -> Vec<(PersonId, Demographics)> {
        self.persons()
            .demo
            .iter()
            .filter(|d| d.alive())
            .map(|d| (d.id, *d))
            .collect()
    }
}
