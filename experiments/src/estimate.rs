//! How long a run will take and how much memory it will need, predicted from short pilots of
//! the same scenario on this machine (`cjsim run --dry-run`, `cjsim sweep --dry-run`).
//!
//! Time: whole-length pilots on one core at up to 20,000 agents and, for larger runs, at
//! 100,000, giving a range. A run's time is a fixed part (the month's tables by hazard cell,
//! pool cell and region, whatever the agents: about 0.08 s of the default scenario's 26 years)
//! and a part that grows with the agents (set-up, with any justice burn-in, and the cost per
//! agent-month). The lower end extrapolates by the cost of each agent between the two pilots
//! (the fixed part cancels); the upper end scales the larger pilot by the agents. Beyond a few
//! million agents each agent costs more than in the pilots, whose tables sit in the caches,
//! as the rows wait for memory: for the default scenario at one agent per person, the range
//! is 4 min 13 s to 4 min 54 s on one core, and the runs took 291-356 s of processor time on
//! two threads (2 min 36 s to 3 min 16 s of wall time). Scaling the smaller pilot alone, as
//! before, said 7 min 45 s: its fixed part is two fifths of its time.
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
use crate::progress::human_seconds;

/// A prediction for one run of a scenario.
#[derive(Clone, Copy, Debug)]
pub struct Estimate {
    /// Seconds on one core: the upper end of the range (the larger pilot scaled by the
    /// agents), which sweeps size their time limits by.
    pub seconds_one_core: f64,
    /// Seconds on one core: the lower end of the range (the cost of each agent beyond the
    /// larger pilot taken between the pilots). The same as the upper with one pilot.
    pub seconds_one_core_low: f64,
    /// Agents of the time pilots: the smaller, and the larger when the run is larger still.
    pub pilot_agents: (u32, Option<u32>),
    /// Resident bytes per agent and the fixed bytes of a run (Linux only).
    pub memory: Option<(f64, f64)>,
    /// Rows of the person table at the end of the run per row at its start.
    pub growth: f64,
}

impl Estimate {
    /// The time on one core as a range (`4m13s-4m54s`).
    pub fn one_core(&self) -> String {
        seconds_range(self.seconds_one_core_low, self.seconds_one_core)
    }

    /// What the time comes from, for the dry runs' messages.
    pub fn pilots(&self) -> String {
        match self.pilot_agents {
            (small, None) => format!("a whole-length pilot at {small} agents"),
            (small, Some(large)) => {
                format!("whole-length pilots at {small} and {large} agents")
            }
        }
    }

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
    // Whole runs at the pilots' sizes, timed (a one- and a two-year pilot, whose difference
    // gave the cost of a month, swung by half between runs on a busy machine).
    let (seconds, growth) =
        pool.install(|| whole_pilot(pilot(base, pilot_agents, base.scenario.years)))?;
    let ((low, high), large) = if full_agents > LARGE_PILOT {
        let (large_seconds, _) =
            pool.install(|| whole_pilot(pilot(base, LARGE_PILOT, base.scenario.years)))?;
        let at = |agents, seconds| Timed { agents, seconds };
        let range = extrapolate(
            at(pilot_agents, seconds),
            at(LARGE_PILOT, large_seconds),
            full_agents,
        );
        (range, Some(LARGE_PILOT))
    } else {
        let t = seconds * f64::from(full_agents) / f64::from(pilot_agents);
        ((t, t), None)
    };
    Ok(Estimate {
        seconds_one_core: high,
        seconds_one_core_low: low,
        pilot_agents: (pilot_agents, large),
        memory,
        growth,
    })
}

/// A range of seconds (`4m13s-4m54s`), or one figure when both ends agree to the second.
pub fn seconds_range(low: f64, high: f64) -> String {
    let (low, high) = (human_seconds(low), human_seconds(high));
    if low == high {
        high
    } else {
        format!("{low}-{high}")
    }
}

/// Agents of the larger time pilot (about half a second on one core for the default
/// scenario): enough that the fixed part weighs little, few enough for a dry run.
const LARGE_PILOT: u32 = 100_000;

/// A whole-length pilot's agents and seconds.
#[derive(Clone, Copy, Debug)]
struct Timed {
    agents: u32,
    seconds: f64,
}

/// The range of seconds of a run of `agents` agents, from pilots at a smaller and a larger
/// size. Low: the larger pilot's time plus, for each agent beyond it, the cost of each agent
/// between the two (the fixed part cancels); noise can put that cost outside what a fixed part
/// of at least 0 allows (at most the larger pilot's mean cost per agent) or make it implausibly
/// small, so it is kept between half of that mean and the mean itself. High: the larger pilot
/// scaled by the agents.
fn extrapolate(small: Timed, large: Timed, agents: u32) -> (f64, f64) {
    let mean = large.seconds / f64::from(large.agents);
    let marginal = (large.seconds - small.seconds) / f64::from(large.agents - small.agents);
    let per_agent = marginal.clamp(0.5 * mean, mean);
    let extra = f64::from(agents) - f64::from(large.agents);
    (
        large.seconds + per_agent * extra,
        large.seconds + mean * extra,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_linear_cost_is_extrapolated_exactly_and_noise_is_bounded() {
        // Plumbing of the arithmetic: a fixed 0.2 s and 3 us an agent, sampled at two sizes,
        // give the time at 50 million agents as the lower end; the upper end counts the
        // larger pilot's fixed part once per 100,000 agents.
        let cost = |agents: u32| Timed {
            agents,
            seconds: 0.2 + 3e-6 * f64::from(agents),
        };
        let (low, high) = extrapolate(cost(20_000), cost(100_000), 50_000_000);
        assert!((low - cost(50_000_000).seconds).abs() < 1e-6, "{low}");
        assert!(
            (high - cost(100_000).seconds * 500.0).abs() < 1e-6,
            "{high}"
        );
        // A larger pilot measured slower than five times the smaller (a busy moment) is not
        // read as a negative fixed part: each further agent costs at most its mean.
        let slow = Timed {
            agents: 100_000,
            seconds: 2.0,
        };
        let (low, high) = extrapolate(cost(20_000), slow, 1_000_000);
        assert!(
            (low - 20.0).abs() < 1e-9 && (high - 20.0).abs() < 1e-9,
            "{low} {high}"
        );
        // Nor a larger pilot measured as fast as the smaller one as a free agent.
        let fast = Timed {
            agents: 100_000,
            seconds: cost(20_000).seconds,
        };
        let (low, _) = extrapolate(cost(20_000), fast, 1_000_000);
        let half_mean = 0.5 * fast.seconds / 100_000.0;
        assert!(
            (low - (fast.seconds + half_mean * 900_000.0)).abs() < 1e-9,
            "{low}"
        );
    }
}
