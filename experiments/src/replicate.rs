//! Replications and common random numbers: replication `r` of a scenario uses seed
//! `seed + r`, in every arm, so arms differ only by their interventions (same shocks, same
//! people, same draws until their paths diverge).

use rayon::prelude::*;
use sim_core::{ModelParams, Outcome, Simulation};

use crate::error::{CliError, CliResult};
use crate::simulate::{RunCounter, Watch};

/// Seed of replication `r`.
pub fn replication_seed(seed: u64, r: u32) -> u64 {
    seed.wrapping_add(u64::from(r))
}

/// Runs `reps` replications of each parameter set, in parallel on the current rayon pool;
/// `watch` is told of each finished run and asked between months whether to stop. Results are
/// in (set, replication) order whatever the thread timing. Heavy histograms are dropped from
/// the outcomes once indicators exist.
pub fn run_all(sets: &[ModelParams], reps: u32, watch: &dyn Watch) -> CliResult<Vec<Vec<Outcome>>> {
    run_range(sets, 0..reps, watch)
}

/// Runs replications `reps` (a range of replication numbers, so that batches continue where
/// the previous ones stopped) of each parameter set; see [`run_all`].
pub fn run_range(
    sets: &[ModelParams],
    reps: std::ops::Range<u32>,
    watch: &dyn Watch,
) -> CliResult<Vec<Vec<Outcome>>> {
    let jobs: Vec<(usize, u32)> = (0..sets.len())
        .flat_map(|s| reps.clone().map(move |r| (s, r)))
        .collect();
    let counter = RunCounter::new(watch, sets.len() as u64 * u64::from(reps.start));
    // The pool's threads stay awake between each month's parallel passes: they take whole
    // runs while there are more runs than threads, and the parallel passes of the last runs.
    let outcomes: Vec<CliResult<Outcome>> = sim_core::par::with_workers_awake(|| {
        jobs.par_iter()
            .map(|&(s, r)| {
                // A run not yet started when the job is cancelled is not set up at all: the
                // set-up (0.4 s at 400,000 agents) of each of the queued runs made a cancelled
                // 20-replication job take seconds to stop.
                if watch.cancelled() {
                    return Err(CliError::Cancelled);
                }
                let mut p = sets[s].clone();
                p.scenario.seed = replication_seed(p.scenario.seed, r);
                let mut sim = new_simulation(p).map_err(CliError::BadInput)?;
                while !sim.finished() {
                    if watch.cancelled() {
                        return Err(CliError::Cancelled);
                    }
                    sim.step();
                }
                let o = lighten(sim.into_outcome());
                counter.tick();
                Ok(o)
            })
            .collect()
    });
    let mut out: Vec<Vec<Outcome>> = (0..sets.len()).map(|_| Vec::new()).collect();
    for ((s, _), o) in jobs.into_iter().zip(outcomes) {
        out[s].push(o?);
    }
    Ok(out)
}

/// A simulation of `p`, or the parameter problems in one line.
pub fn new_simulation(p: ModelParams) -> Result<Simulation, String> {
    build(Simulation::builder(p))
}

/// The simulation `builder` builds, or the parameter problems in one line.
pub fn build(builder: sim_core::builder::Builder) -> Result<Simulation, String> {
    builder.build().map_err(|issues| {
        issues
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// Drops an outcome's heavy monthly histograms (population by age, deaths), which nothing
/// needs once the indicators exist.
pub fn lighten(mut o: Outcome) -> Outcome {
    o.recorder.population.clear();
    o.recorder.deaths.clear();
    o
}

pub use sim_core::stats::quantile;
