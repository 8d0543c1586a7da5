//! Helpers shared by the scenario-level test suites: the default scenario at a chosen size and
//! a run on two worker threads (results do not depend on the thread count).

#![allow(dead_code)]

use sim_core::{ModelParams, Outcome, Simulation};

/// The built-in default scenario with `agents`, `years` and `seed` set.
pub fn default_scenario(agents: u32, years: u32, seed: u64) -> ModelParams {
    let mut p = scenarios::builtin("coastal-middle-income").unwrap().params;
    p.scenario.agents = agents;
    p.scenario.years = years;
    p.scenario.seed = seed;
    p
}

/// Runs `p` to the end on a pool of two threads.
pub fn run(p: ModelParams) -> Outcome {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    pool.install(|| Simulation::new(p).unwrap().run_to_end())
}
