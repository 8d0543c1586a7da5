//! Steps a warmed simulation many times, for profilers (`perf record`, callgrind); prints the
//! set-up time and the time per agent-month.
//!
//! `cargo run --release -p benches --bin profile_step -- AGENTS MONTHS [demography|noclimate|full] [THREADS] [awake] [stages]`
//!
//! With `awake`, the pool's other threads are kept awake while stepping and the background work
//! gives way to the month's passes (`sim_core::par::lone_run`), as `cjsim` does for a single run. With `stages`, it
//! also prints the time of each stage of the step (`benches::StageClock`), per agent-month.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let agents: u32 = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let months: u32 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(50);
    let p = match args.get(3).map(String::as_str) {
        Some("demography") => benches::demography_only(agents),
        Some("noclimate") => {
            let mut p = benches::default_params(agents);
            p.modules.climate = false;
            p
        }
        _ => benches::default_params(agents),
    };
    let threads: usize = args.get(4).and_then(|a| a.parse().ok()).unwrap_or(1);
    let awake = args.iter().skip(5).any(|a| a == "awake");
    let stages = args.iter().skip(5).any(|a| a == "stages");
    let pool = benches::pool(threads);
    pool.install(|| {
        let t = std::time::Instant::now();
        let sim = sim_core::Simulation::new(p).expect("valid parameters");
        let setup = t.elapsed();
        let mut sim = benches::warm(sim, 12);
        if stages {
            benches::StageClock::install(&mut sim);
        }
        println!(
            "set-up {:.3} s ({:.0} ns per agent)",
            setup.as_secs_f64(),
            setup.as_nanos() as f64 / f64::from(agents)
        );
        let mut month_ns = Vec::with_capacity(months as usize);
        let t = std::time::Instant::now();
        let mut steps = |sim: &mut sim_core::Simulation| {
            for _ in 0..months {
                let m = std::time::Instant::now();
                sim.step();
                sim.discard_records();
                month_ns.push(m.elapsed().as_nanos() as f64);
            }
        };
        if awake {
            sim_core::par::lone_run(|| steps(&mut sim));
        } else {
            steps(&mut sim);
        }
        let elapsed = t.elapsed().as_nanos() as f64;
        let ns = elapsed / f64::from(months) / f64::from(agents);
        if let Some(clock) = sim.world().get_resource::<benches::StageClock>() {
            let per = f64::from(months) * f64::from(agents);
            let staged: f64 = clock.spent.iter().map(|d| d.as_nanos() as f64).sum();
            for (stage, spent) in sim_core::prelude::Stage::ORDER.iter().zip(clock.spent) {
                println!("  {:<14} {:6.2} ns", format!("{stage:?}"), spent.as_nanos() as f64 / per);
            }
            println!(
                "  {:<14} {:6.2} ns (outside the stages: calendar, year-end collection, records)",
                "other",
                (elapsed - staged) / per
            );
        }
        // The median month: on a shared machine, other programs' bursts move the mean of a
        // run far more than its median (December months, with the survey, are one in twelve).
        month_ns.sort_by(f64::total_cmp);
        let median = month_ns[month_ns.len() / 2] / f64::from(agents);
        println!(
            "{ns:.2} ns per agent-month ({agents} agents, {months} months, {threads} threads); median month {median:.2}"
        );
    });
}
