//! Same parameters and seed give identical results on any thread count; seeds matter.

mod common;

use common::{params, run_on};

#[test]
fn one_and_two_threads_give_identical_results() {
    let mut p = params(30_000, 3, 5);
    p.demography.net_migration_per_1000 = 3.0;
    let a = run_on(p.clone(), 1);
    let b = run_on(p.clone(), 2);
    let c = run_on(p, 3);
    assert_eq!(a.months, b.months);
    assert_eq!(a.months, c.months);
    assert_eq!(a.population, b.population);
    assert_eq!(a.deaths, c.deaths);
}

#[test]
fn a_different_seed_gives_a_different_run() {
    let a = run_on(params(10_000, 2, 1), 1);
    let b = run_on(params(10_000, 2, 2), 1);
    assert_ne!(a.months, b.months);
}
