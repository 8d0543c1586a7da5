//! Criterion benchmarks of the monthly step and of whole runs.
//!
//! Throughput is reported per agent, so criterion's "elem/s" reads as agent-months per second
//! and its time per iteration divided by the agent count is the cost per agent-month.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use sim_core::Simulation;

fn step(
    c: &mut Criterion,
    name: &str,
    make: fn(u32) -> sim_core::ModelParams,
    sizes: &[u32],
    threads: &[usize],
) {
    let mut group = c.benchmark_group(name);
    group.sample_size(20);
    for &agents in sizes {
        for &t in threads {
            let pool = benches::pool(t);
            let mut sim = pool.install(|| benches::warmed(make(agents), 12));
            group.throughput(Throughput::Elements(u64::from(agents)));
            group.bench_with_input(
                BenchmarkId::new(format!("{t}thread"), agents),
                &agents,
                |b, _| {
                    pool.install(|| {
                        b.iter(|| {
                            sim.step();
                            sim.discard_records();
                        })
                    })
                },
            );
        }
    }
    group.finish();
}

fn demography_step(c: &mut Criterion) {
    step(
        c,
        "demography_step",
        benches::demography_only,
        &[100_000, 1_000_000],
        &[1],
    );
}

fn full_step(c: &mut Criterion) {
    step(
        c,
        "full_step",
        benches::default_params,
        // 20,000 is the dashboard's default size.
        &[20_000, 100_000, 1_000_000],
        &[1, 2],
    );
}

fn without_climate(agents: u32) -> sim_core::ModelParams {
    let mut p = benches::default_params(agents);
    p.modules.climate = false;
    p
}

/// The full step without the climate and displacement stages, to measure what they add.
fn full_step_without_climate(c: &mut Criterion) {
    step(
        c,
        "full_step_without_climate",
        without_climate,
        &[1_000_000],
        &[1],
    );
}

fn ten_year_run(c: &mut Criterion) {
    let mut group = c.benchmark_group("run_10_years");
    group.sample_size(10);
    let pool = benches::pool(1);
    group.throughput(Throughput::Elements(100_000 * 120));
    group.bench_function("100000_agents_1thread", |b| {
        b.iter(|| {
            pool.install(|| {
                let mut p = benches::default_params(100_000);
                p.scenario.years = 10;
                Simulation::new(p).unwrap().run()
            })
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    demography_step,
    full_step,
    full_step_without_climate,
    ten_year_run
);
criterion_main!(benches);
