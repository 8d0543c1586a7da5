//! Shared set-up for the criterion benchmarks and the memory probe.

use sim_core::prelude::bevy_ecs;
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

/// Wall time by stage of the monthly step, for `profile_step stages`: a stamp after each
/// [`Stage`](sim_core::prelude::Stage) adds the time since the previous stamp to that stage.
/// It uses only the public plugin API (systems ordered between the stages' sets), so the
/// model's schedule carries no timers of its own.
#[derive(bevy_ecs::prelude::Resource)]
pub struct StageClock {
    last: std::time::Instant,
    /// Time spent per stage, in [`Stage::ORDER`](sim_core::prelude::Stage::ORDER).
    pub spent: [std::time::Duration; sim_core::prelude::Stage::ORDER.len()],
}

impl StageClock {
    /// Adds the stamps to `sim`: the first at the start of the step, one after each stage.
    pub fn install(sim: &mut Simulation) {
        use bevy_ecs::prelude::*;
        use sim_core::prelude::Stage;
        sim.insert_resource(StageClock {
            last: std::time::Instant::now(),
            spent: [std::time::Duration::ZERO; Stage::ORDER.len()],
        });
        sim.add_systems(
            (|mut c: ResMut<StageClock>| c.last = std::time::Instant::now())
                .before(Stage::ORDER[0]),
        );
        for (i, stage) in Stage::ORDER.into_iter().enumerate() {
            let stamp = move |mut c: ResMut<StageClock>| {
                let now = std::time::Instant::now();
                let since = now - c.last;
                c.spent[i] += since;
                c.last = now;
            };
            match Stage::ORDER.get(i + 1) {
                Some(&next) => sim.add_systems(stamp.after(stage).before(next)),
                None => sim.add_systems(stamp.after(stage)),
            };
        }
    }
}
