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

/// Baseline alignment of one year-one indicator: within 10% of the observed value or, for rare
/// events where 10% is within sampling noise, within 3 Poisson standard errors of the
/// `expected_events` behind it. Prints the comparison; `Err` names the miss.
pub fn check_alignment(
    name: &str,
    got: f64,
    want: f64,
    expected_events: Option<f64>,
) -> Result<(), String> {
    let rel = got / want - 1.0;
    let ok =
        rel.abs() <= 0.10 || expected_events.is_some_and(|n| (rel * n).abs() <= 3.0 * n.sqrt());
    eprintln!("{name}: {got:.3} vs {want} ({:+.1}%)", 100.0 * rel);
    if ok {
        Ok(())
    } else {
        Err(format!("{name}: {got:.3} vs {want}"))
    }
}
