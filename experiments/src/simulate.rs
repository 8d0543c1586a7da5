//! Running a scenario's replications, or the arms of a comparison, to outcomes: one code path
//! shared by `cjsim run`, `cjsim compare` and the Python package, so that the same inputs give
//! the same tables whichever of them asked.

use std::sync::atomic::{AtomicU64, Ordering};

use sim_core::indicators::Estimator;
use sim_core::{ModelParams, Outcome};

use crate::error::{CliError, CliResult};
use crate::precision::{PrecisionRecord, Replications};
use crate::replicate::{new_simulation, run_all};

/// Who watches a long job: told the size of the work and its progress, and asked between
/// simulated months whether to stop.
pub trait Watch: Sync {
    /// The work is `total` units (`months` of one run, or `runs`).
    fn start(&self, _total: u64, _unit: &'static str) {}
    /// `done` units are finished.
    fn advance(&self, _done: u64) {}
    /// With `--reps auto`: after a batch, the replications so far and the worst relative
    /// half-width of the confidence intervals measured.
    fn batch(&self, _replications: u32, _worst: f64) {}
    /// Whether to stop now (checked between simulated months).
    fn cancelled(&self) -> bool {
        false
    }
    /// The work is done (or stopped).
    fn finish(&self) {}
}

/// A watch that watches nothing.
pub struct Unwatched;

impl Watch for Unwatched {}

/// The replications of one scenario: `reps` of them, or with `Replications::Auto` as many as
/// the precision asks. Outcomes use `estimator`; the record says what precision was reached.
pub fn replications(
    params: &ModelParams,
    reps: Replications,
    estimator: Estimator,
    watch: &dyn Watch,
) -> CliResult<(Vec<Outcome>, Option<PrecisionRecord>)> {
    let scale = params.scenario.scale();
    let (mut outcomes, record) = match reps {
        Replications::Fixed(1) => {
            watch.start(u64::from(params.scenario.months()), "months");
            let mut sim = new_simulation(params.clone()).map_err(CliError::BadInput)?;
            // One run has the pool to itself: its threads stay awake between passes, and its
            // background work gives way to them.
            sim_core::par::lone_run(|| {
                while !sim.finished() {
                    if watch.cancelled() {
                        watch.finish();
                        return Err(CliError::Cancelled);
                    }
                    sim.step();
                    watch.advance(u64::from(sim.calendar().month_index));
                }
                Ok(())
            })?;
            (vec![sim.into_outcome()], None)
        }
        Replications::Fixed(n) => {
            watch.start(u64::from(n), "runs");
            let mut all = run_all(std::slice::from_ref(params), n, watch)?;
            (all.remove(0), None)
        }
        Replications::Auto { target, max } => {
            watch.start(u64::from(max), "runs (at most)");
            let years = crate::precision::checkpoint_years(
                params.scenario.start_year,
                params.scenario.years,
            );
            let measure =
                |all: &[Vec<Outcome>]| crate::precision::of_levels(&all[0], &years, target, scale);
            let (mut all, record) = crate::precision::run_to_precision(
                std::slice::from_ref(params),
                target,
                max,
                estimator,
                &measure,
                watch,
            )?;
            (all.remove(0), Some(record))
        }
    };
    watch.finish();
    for o in &mut outcomes {
        o.use_estimator(estimator);
    }
    Ok((outcomes, record))
}

/// The replications of every arm (the baseline first, `names` in the same order), with common
/// random numbers; with `Replications::Auto`, until every arm's effects at `checkpoints` are
/// as precise as asked.
pub fn arms(
    sets: &[ModelParams],
    names: &[String],
    reps: Replications,
    checkpoints: &[i32],
    estimator: Estimator,
    watch: &dyn Watch,
) -> CliResult<(Vec<Vec<Outcome>>, Option<PrecisionRecord>)> {
    let scale = sets[0].scenario.scale();
    let (mut all, record) = match reps {
        Replications::Fixed(n) => {
            watch.start(sets.len() as u64 * u64::from(n), "runs");
            (run_all(sets, n, watch)?, None)
        }
        Replications::Auto { target, max } => {
            watch.start(sets.len() as u64 * u64::from(max), "runs (at most)");
            let measure = |all: &[Vec<Outcome>]| {
                let named: Vec<(&str, &[Outcome])> = names
                    .iter()
                    .map(String::as_str)
                    .zip(all.iter().map(Vec::as_slice))
                    .collect();
                crate::precision::of_effects(&named, checkpoints, target, scale)
            };
            let (all, record) =
                crate::precision::run_to_precision(sets, target, max, estimator, &measure, watch)?;
            (all, Some(record))
        }
    };
    watch.finish();
    for o in all.iter_mut().flatten() {
        o.use_estimator(estimator);
    }
    Ok((all, record))
}

/// Counts finished runs for a [`Watch`] (runs finish in any order on the thread pool).
pub struct RunCounter<'a> {
    watch: &'a dyn Watch,
    done: AtomicU64,
}

impl<'a> RunCounter<'a> {
    /// Counting from `start` runs already done.
    pub fn new(watch: &'a dyn Watch, start: u64) -> Self {
        RunCounter {
            watch,
            done: AtomicU64::new(start),
        }
    }

    /// One more run is done.
    pub fn tick(&self) {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        self.watch.advance(n);
    }
}
