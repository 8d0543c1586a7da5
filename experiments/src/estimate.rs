//! How long a run will take and how much memory it will need, predicted from two short pilots
//! of the same scenario on this machine (`cjsim run --dry-run`, `cjsim sweep --dry-run`).
//!
//! Time: a one-year and a two-year pilot at up to 20,000 agents on one core tell the set-up
//! (population, alignment, any justice burn-in) from the cost per agent-month; both scale with
//! agents. Memory (Linux): the peak resident size after a one-month pilot at 20,000 and at
//! 100,000 agents gives the bytes per agent and the fixed part.

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
}

impl Estimate {
    /// Peak resident bytes of `runs` runs of `agents` agents held at once.
    pub fn peak_bytes(&self, agents: u32, runs: u32) -> Option<f64> {
        self.memory
            .map(|(per_agent, fixed)| fixed + per_agent * f64::from(agents) * f64::from(runs))
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

fn run_pilot(p: ModelParams, months: Option<u32>) -> CliResult<()> {
    let mut sim = Simulation::new(p)
        .map_err(|_| CliError::Internal("the pilot run could not start".into()))?;
    match months {
        Some(m) => {
            for _ in 0..m {
                sim.step();
            }
        }
        None => {
            sim.run_to_end();
        }
    }
    Ok(())
}

/// Peak resident memory of this process so far (bytes), on Linux.
fn peak_rss() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kib * 1024.0)
}

/// Predicts one run of `base`.
pub fn of(base: &ModelParams) -> CliResult<Estimate> {
    let full_agents = base.scenario.agents;
    let months = f64::from(base.scenario.years) * 12.0;
    let pilot_agents = full_agents.min(20_000);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .map_err(|e| CliError::Internal(e.to_string()))?;
    let time = |years: u32| -> CliResult<f64> {
        let started = Instant::now();
        pool.install(|| run_pilot(pilot(base, pilot_agents, years), None))?;
        Ok(started.elapsed().as_secs_f64())
    };
    let (one, two) = (time(1)?, time(2)?);
    let per_month = ((two - one) / 12.0).max(1e-9);
    let setup = (one - 12.0 * per_month).max(0.0);
    let factor = f64::from(full_agents) / f64::from(pilot_agents);
    let seconds_one_core = (setup + per_month * months) * factor;
    // Memory: a small and a larger pilot, each built and stepped a month, peak after each.
    let memory = (|| {
        let before = peak_rss()?;
        let (small, large) = (20_000u32, 100_000u32);
        pool.install(|| run_pilot(pilot(base, small, 1), Some(1)))
            .ok()?;
        let at_small = peak_rss()? - before;
        pool.install(|| run_pilot(pilot(base, large, 1), Some(1)))
            .ok()?;
        let at_large = peak_rss()? - before;
        let per_agent = ((at_large - at_small) / f64::from(large - small)).max(1.0);
        let fixed = (before + at_small - per_agent * f64::from(small)).max(0.0);
        Some((per_agent, fixed))
    })();
    Ok(Estimate {
        seconds_one_core,
        pilot_agents,
        memory,
    })
}
