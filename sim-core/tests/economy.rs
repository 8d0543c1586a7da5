//! The labour market against the scenario's targets: the monthly transitions and life-stage
//! changes keep the stocks at the shares the rates were solved for.

use crate::common::{params, run_on};

/// Adult unemployment and youth NEET shares, pooled over `months`.
fn shares(months: &[sim_core::metrics::MonthRow]) -> (f64, f64) {
    let (mut unemployed, mut force, mut neet, mut youth) = (0u64, 0u64, 0u64, 0u64);
    for m in months {
        unemployed += m.flows.unemployed;
        force += m.flows.labour_force;
        neet += m.flows.youth_neet;
        youth += m.flows.youth;
    }
    (unemployed as f64 / force as f64, neet as f64 / youth as f64)
}

/// Science: the separation and finding rates have the region's unemployment rate as their
/// steady state, and re-sorting people at 15, 18 and 25 keeps the NEET share of the young at
/// the scenario's share while whole cohorts enter and leave the ages. Over eight years about
/// 80% of the 15-24s are people who were children or not yet 15 at the start: without the
/// birthday re-sorting they would stay outside the labour market and the NEET share would
/// fall towards zero; without the monthly transitions displaced workers' lost jobs (climate
/// shocks) would never be found again.
#[test]
fn employment_stays_at_the_scenarios_unemployment_and_neet_shares() {
    let p = params(20_000, 8, 11);
    let target_u: f64 = p
        .regions
        .iter()
        .map(|r| r.unemployment_rate * r.population_share)
        .sum::<f64>()
        / p.regions.iter().map(|r| r.population_share).sum::<f64>();
    let target_neet = p.economy.youth_neet_share;
    let rec = run_on(p, 2);
    let (u, neet) = shares(&rec.months[rec.months.len() - 24..]);
    assert!(
        (u - target_u).abs() < 0.015,
        "adult unemployment {u:.4} in the last two years, target {target_u:.4}"
    );
    assert!(
        (neet - target_neet).abs() < 0.03,
        "youth NEET share {neet:.4} in the last two years, target {target_neet:.4}"
    );
}
