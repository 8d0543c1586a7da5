//! How long a run will take and how much memory it will need, predicted from short pilots of
//! the same scenario on this machine (`cjsim run --dry-run`, `cjsim sweep --dry-run`).
//!
//! Time: a whole-length pilot at up to 20,000 agents on one core, scaled to the agents (the
//! set-up, with any justice burn-in, and the cost per agent-month both grow linearly).
//!
//! Memory (Linux): the resident size after a one-month pilot at 100,000 agents and after one
//! at 500,000 beside it gives the bytes per agent and the fixed part (at 20,000 agents the
//! month's buffers weigh more per agent: 109 bytes against 89 at 1e7). The same whole-length
//! pilot gives how much the person table grows with the population (rows vacated by deaths
//! are taken by newcomers first, and the table never shrinks), which scales the bytes per
//! agent to the run's end. The default scenario at one agent per person, whose population
//! grows by 11% over 26 years, was predicted at 4.57-4.66 GB without it, 5.18 GB with it,
//! and measured at 4.94 GB.

use std::time::Instant;

use sim_core::{ModelParams, Simulation};

use crate::error::{CliError, CliResult};

/// A prediction for one run of a scenario.
#[derive(Clone, Copy, Debug)]
pub struct Estimate {
    /// Seconds on one core.
    pub seconds_one_core: f64,
    /// Agents of the time pilots.
    pub pilot_agents: u32,
    /// Resident bytes per agent and the fixed bytes of a run (Linux only).
    pub memory: Option<(f64, f64)>,
    /// Rows of the person table at the end of the run per row at its start.
    pub growth: f64,
}

impl Estimate {
    /// Peak resident bytes of `runs` runs of `agents` agents held at once.
    pub fn peak_bytes(&self, agents: u32, runs: u32) -> Option<f64> {
        self.memory.map(|(per_agent, fixed)| {
            fixed + per_agent * self.growth * f64::from(agents) * f64::from(runs)
        })
    }
}

/// `p` at `agents` agents for `months` months (at least one agent per person).
fn pilot(p: &ModelParams, agents: u32, years: u32) -> ModelParams {
    let mut p = p.clone();
    p.scenario.agents = agents;
    p.scenario.real_population = p.scenario.real_population.max(f64::from(agents));
    p.scenario.years = years;
    p
}

/// `p` built and stepped one month (the memory pilots).
fn one_month(p: ModelParams) -> CliResult<Simulation> {
    let mut sim = Simulation::new(p)
        .map_err(|_| CliError::Internal("the pilot run could not start".into()))?;
    sim.step();
    Ok(sim)
}

/// A whole-length run of `p`: its seconds (set-up and every month), and the rows of the person
/// table at its end per row at its start.
fn whole_pilot(p: ModelParams) -> CliResult<(f64, f64)> {
    let started = Instant::now();
    let mut sim = Simulation::new(p)
        .map_err(|_| CliError::Internal("the pilot run could not start".into()))?;
    let rows = |sim: &Simulation| {
        sim.world()
            .resource::<sim_core::prelude::Persons>()
            .len()
            .max(1) as f64
    };
    let start = rows(&sim);
    while !sim.finished() {
        sim.step();
        sim.discard_records();
    }
    Ok((started.elapsed().as_secs_f64(), rows(&sim) / start))
}

/// Bytes the person table of `sim` holds beyond its rows because of its huge pages.
fn slack(sim: &Simulation) -> f64 {
    sim.world()
        .resource::<sim_core::prelude::Persons>()
        .huge_page_slack() as f64
}

/// Resident memory of this process now (bytes), on Linux.
fn resident() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kib * 1024.0)
}

/// Predicts one run of `base`.
pub fn of(base: &ModelParams) -> CliResult<Estimate> {
    let full_agents = base.scenario.agents;
    let pilot_agents = full_agents.min(20_000);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .map_err(|e| CliError::Internal(e.to_string()))?;
    // Memory: a small and a larger pilot, each built and stepped a month and both kept, the
    // resident size read after each: the larger's memory comes on top of the smaller's, so
    // the allocator cannot hand it pages the smaller freed, and the difference is its own.
    // First, before any pilot has freed memory the allocator would hand out again.
    // Each pilot's huge-page slack (up to 2 MiB a column of the person table, 28 bytes per
    // agent at 500,000 agents and nothing at one agent per person) is taken out.
    let memory = (|| {
        let before = resident()?;
        let (small, large) = (100_000u32, 500_000u32);
        let kept = pool.install(|| one_month(pilot(base, small, 1))).ok()?;
        let small_slack = slack(&kept);
        let at_small = resident()? - before - small_slack;
        let also = pool.install(|| one_month(pilot(base, large, 1))).ok()?;
        let at_large = resident()? - before - small_slack - at_small - slack(&also);
        let per_agent = (at_large / f64::from(large)).max(1.0);
        drop((kept, also));
        let fixed = (before + at_small - per_agent * f64::from(small)).max(0.0);
        Some((per_agent, fixed))
    })();
    // Set-up and steps both grow linearly with the agents, so one whole run at the pilot's
    // size, timed, gives the time. (A one- and a two-year pilot, whose difference gave the cost
    // of a month, swung by half between runs on a busy machine.)
    let (seconds, growth) =
        pool.install(|| whole_pilot(pilot(base, pilot_agents, base.scenario.years)))?;
    let seconds_one_core = seconds * f64::from(full_agents) / f64::from(pilot_agents);
    Ok(Estimate {
        seconds_one_core,
        pilot_agents,
        memory,
        growth,
    })
}
