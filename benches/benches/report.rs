//! Criterion benchmark: drawing every chart and the report of a 26-year comparison (baseline
//! and two arms, 5 replications), from its result folder.

use criterion::{Criterion, criterion_group, criterion_main};
use experiments::cmd::compare::{CompareArgs, run};
use experiments::cmd::run::{ReplicationArgs, RunControls, ScenarioChoice};

fn comparison_folder() -> std::path::PathBuf {
    let out = std::env::temp_dir().join(format!("cjsim-bench-report-{}", std::process::id()));
    run(CompareArgs {
        choice: ScenarioChoice {
            agents: Some(experiments::cmd::run::Agents::Count(50_000)),
            years: Some(26),
            ..Default::default()
        },
        arms: vec![
            "justice=legal_aid,court_capacity".into(),
            "prevention=youth_mentoring,focused_deterrence".into(),
        ],
        replications: ReplicationArgs {
            reps: Some("5".into()),
            ..Default::default()
        },
        checkpoints: Vec::new(),
        discount_rate: 3.0,
        out: Some(out.clone()),
        controls: RunControls {
            quiet: true,
            no_report: true,
            ..Default::default()
        },
    })
    .expect("the comparison runs");
    out
}

fn report(c: &mut Criterion) {
    let dir = comparison_folder();
    let results = viz::Results::load(&dir).expect("the comparison folder reads");
    let mut group = c.benchmark_group("report");
    group.sample_size(10);
    group.bench_function("all_charts_26_year_comparison", |b| {
        b.iter(|| viz::build(&results).expect("charts build"))
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, report);
criterion_main!(benches);
