//! Helpers shared by the sim-core integration tests.
#![allow(dead_code)] // each test binary uses a different subset

use sim_core::metrics::{AGE_BINS, AgeHist, hist_index};
use sim_core::{ModelParams, Recorder, Simulation};

/// Baseline parameters with the given size, horizon and seed.
pub fn params(agents: u32, years: u32, seed: u64) -> ModelParams {
    let mut p = ModelParams::baseline();
    p.scenario.agents = agents;
    p.scenario.real_population = f64::from(agents) * 100.0;
    p.scenario.years = years;
    p.scenario.seed = seed;
    p
}

/// Runs to the end on a rayon pool of `threads` threads.
pub fn run_on(p: ModelParams, threads: usize) -> Recorder {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| Simulation::new(p).unwrap().run())
}

/// Sums a histogram over regions for one sex and an age range, inclusive.
pub fn sum_ages(h: &AgeHist, regions: usize, sex: usize, lo: u32, hi: u32) -> f64 {
    (0..regions)
        .flat_map(|r| (lo..=hi.min(AGE_BINS as u32 - 1)).map(move |a| (r, a)))
        .map(|(r, a)| f64::from(h[hist_index(r as u8, sex, a)]))
        .sum()
}
