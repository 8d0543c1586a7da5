//! Where the dashboard's instant mode spends a new position's time: branching an arm from the
//! cached baseline snapshot, simulating it to the end of 2030 (the early results), then to the
//! horizon, at the dashboard's default size.
//!
//! `cargo run --release -p benches --bin branch_latency -- [AGENTS] [THREADS] [INTERVENTION...]`

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let agents: u32 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let threads: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(2);
    let names: Vec<&str> = if args.len() > 3 {
        args[3..].iter().map(String::as_str).collect()
    } else {
        vec!["legal_aid", "youth_mentoring"]
    };
    let mut p = scenarios::builtin(scenarios::DEFAULT_SCENARIO)
        .expect("the default scenario is valid")
        .params;
    p.scenario.agents = agents;
    let mut interventions = Vec::new();
    for name in names {
        let Some(entry) = scenarios::catalogue::entry(name) else {
            eprintln!("branch_latency: no intervention `{name}`; see `cjsim interventions`");
            std::process::exit(2);
        };
        interventions.push(entry.for_scenario(&p));
    }
    let start = p.scenario.start_year;
    let branch_month = 12;
    let early_until = (2030 - start + 1) as u32 * 12;
    benches::pool(threads).install(|| {
        let t = Instant::now();
        // As the dashboard builds it: without the December survey, which it does not show.
        let mut base = sim_core::Simulation::builder(p)
            .without(sim_core::builder::Part::Survey)
            .build()
            .expect("valid parameters");
        let setup = t.elapsed();
        for _ in 0..branch_month {
            base.step();
        }
        let snapshot = base.snapshot();
        // As the dashboard's jobs run: the pool's other threads kept awake.
        sim_core::par::with_workers_awake(|| {
            for round in 0..5 {
                let t = Instant::now();
                let mut arm = sim_core::Simulation::branch(&snapshot, interventions.clone())
                    .expect("the arm branches");
                let branched = t.elapsed();
                while arm.calendar().month_index < early_until {
                    arm.step();
                }
                let early = t.elapsed();
                let _ = arm.outcome_so_far();
                let so_far = t.elapsed();
                while !arm.finished() {
                    arm.step();
                }
                let whole = t.elapsed();
                let _ = arm.into_outcome();
                println!(
                    "round {round}: branch {:.1} ms, to 2030 {:.1} ms, outcome so far {:.1} ms, \
                 to the horizon {:.1} ms, outcome {:.1} ms (baseline set-up {:.0} ms)",
                    branched.as_secs_f64() * 1e3,
                    early.as_secs_f64() * 1e3,
                    (so_far - early).as_secs_f64() * 1e3,
                    whole.as_secs_f64() * 1e3,
                    (t.elapsed() - whole).as_secs_f64() * 1e3,
                    setup.as_secs_f64() * 1e3,
                );
            }
        });
    });
}
