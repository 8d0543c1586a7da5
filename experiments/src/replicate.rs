//! Replications and common random numbers: replication `r` of a scenario uses seed
//! `seed + r`, in every arm, so arms differ only by their interventions (same shocks, same
//! people, same draws until their paths diverge).

use rayon::prelude::*;
use sim_core::{ModelParams, Outcome, Simulation};

use crate::error::{CliError, CliResult};

/// Seed of replication `r`.
pub fn replication_seed(seed: u64, r: u32) -> u64 {
    seed.wrapping_add(u64::from(r))
}

/// Runs `reps` replications of each parameter set, in parallel on the current rayon pool;
/// `done` is called after each run. Results are in (set, replication) order whatever the
/// thread timing. Heavy histograms are dropped from the outcomes once indicators exist.
pub fn run_all(
    sets: &[ModelParams],
    reps: u32,
    done: &(dyn Fn() + Sync),
) -> CliResult<Vec<Vec<Outcome>>> {
    let jobs: Vec<(usize, u32)> = (0..sets.len())
        .flat_map(|s| (0..reps).map(move |r| (s, r)))
        .collect();
    let outcomes: Vec<Result<Outcome, String>> = jobs
        .par_iter()
        .map(|&(s, r)| {
            let mut p = sets[s].clone();
            p.scenario.seed = replication_seed(p.scenario.seed, r);
            let o = lighten(new_simulation(p)?.run_to_end());
            done();
            Ok(o)
        })
        .collect();
    let mut out: Vec<Vec<Outcome>> = (0..sets.len()).map(|_| Vec::new()).collect();
    for ((s, _), o) in jobs.into_iter().zip(outcomes) {
        out[s].push(o.map_err(CliError::BadInput)?);
    }
    Ok(out)
}

/// A simulation of `p`, or the parameter problems in one line.
pub fn new_simulation(p: ModelParams) -> Result<Simulation, String> {
    Simulation::new(p).map_err(|issues| {
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

/// The `q`-quantile (0-1) of `values` by linear interpolation; NaN values are ignored.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let pos = q * (v.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_and_skip_nan() {
        let v = [3.0, 1.0, f64::NAN, 2.0, 4.0];
        assert_eq!(quantile(&v, 0.5), 2.5);
        assert_eq!(quantile(&v, 0.0), 1.0);
        assert_eq!(quantile(&v, 1.0), 4.0);
        assert!(quantile(&[f64::NAN], 0.5).is_nan());
    }
}
