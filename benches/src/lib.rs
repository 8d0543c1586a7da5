//! Shared set-up for the criterion benchmarks and the memory probe.

use sim_core::{ModelParams, Simulation};

/// The default scenario at `agents` agents, with a horizon long enough to step freely.
pub fn default_params(agents: u32) -> ModelParams {
    let mut p = scenarios::builtin(scenarios::DEFAULT_SCENARIO)
        .expect("the default scenario is valid")
        .params;
    p.scenario.agents = agents;
    p.scenario.real_population = p.scenario.real_population.max(f64::from(agents));
    p.scenario.years = 200;
    p
}

/// The default scenario with every module but demography switched off.
pub fn demography_only(agents: u32) -> ModelParams {
    let mut p = default_params(agents);
    p.modules = sim_core::params::Modules::demography_only();
    p
}

/// A simulation that has already run `warm_months` months (so queues and stocks are filled).
pub fn warmed(p: ModelParams, warm_months: u32) -> Simulation {
    warm(Simulation::new(p).expect("valid parameters"), warm_months)
}

/// `sim` stepped `warm_months` months, with the records of those months dropped.
pub fn warm(mut sim: Simulation, warm_months: u32) -> Simulation {
    for _ in 0..warm_months {
        sim.step();
    }
    sim.discard_records();
    sim
}

/// A rayon pool of `n` threads.
pub fn pool(n: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .expect("threads start")
}
