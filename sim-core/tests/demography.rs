//! Demography against its targets: accounting, life expectancy, fertility, ageing.

use crate::common::{params, run_on, sum_ages};
use sim_core::Simulation;
use sim_core::lifetable::life_expectancy_from_rates;

#[test]
fn the_event_maintained_census_equals_a_recount_every_month() {
    for rate in [5.0, -5.0] {
        let mut p = params(8_000, 2, 3);
        p.demography.net_migration_per_1000 = rate;
        let mut sim = Simulation::new(p).unwrap();
        while !sim.finished() {
            sim.step();
            assert!(sim.census_matches_table(), "month {:?}", sim.calendar());
        }
    }
}

#[test]
fn population_accounting_holds_every_month() {
    let mut p = params(20_000, 5, 7);
    p.demography.net_migration_per_1000 = 4.0;
    let rec = run_on(p.clone(), 2);
    let mut prev = u64::from(p.scenario.agents);
    for m in &rec.months {
        assert_eq!(
            m.population,
            prev + m.births + m.immigrants - m.deaths - m.emigrants,
            "{}-{}",
            m.year,
            m.month
        );
        prev = m.population;
    }
    assert!(rec.months.iter().map(|m| m.immigrants).sum::<u64>() > 0);
    // Net emigration is accounted for just the same.
    p.demography.net_migration_per_1000 = -6.0;
    let rec = run_on(p.clone(), 1);
    let mut prev = u64::from(p.scenario.agents);
    for m in &rec.months {
        assert_eq!(m.population + m.deaths + m.emigrants, prev + m.births);
        prev = m.population;
    }
    let emigrants: u64 = rec.months.iter().map(|m| m.emigrants).sum();
    // 6 per 1000 a year over 5 years of about 20k people: about 600.
    assert!((450..750).contains(&emigrants), "{emigrants}");
}

/// Period life expectancy from simulated deaths and person-years by 5-year group.
fn simulated_life_expectancy(rec: &sim_core::Recorder, regions: usize, sex: usize) -> f64 {
    let groups = 21;
    let mut deaths = vec![0.0; groups];
    let mut expo = vec![0.0; groups];
    for (pop, dead) in rec.population.iter().zip(&rec.deaths) {
        for g in 0..groups as u32 {
            let (lo, hi) = (g * 5, if g == 20 { 200 } else { g * 5 + 4 });
            expo[g as usize] += sum_ages(pop, regions, sex, lo, hi) / 12.0;
            deaths[g as usize] += sum_ages(dead, regions, sex, lo, hi);
        }
    }
    life_expectancy_from_rates(&deaths, &expo)
}

#[test]
fn simulated_life_expectancy_matches_the_scenario_within_a_year() {
    // 300k agents over 10 years give about 25k deaths: the standard error of e0 is about 0.2 y.
    let mut p = params(300_000, 10, 11);
    p.demography.life_expectancy_male = 68.0;
    p.demography.life_expectancy_female = 74.5;
    let rec = run_on(p.clone(), 2);
    let male = simulated_life_expectancy(&rec, p.regions.len(), 0);
    let female = simulated_life_expectancy(&rec, p.regions.len(), 1);
    eprintln!("simulated e0: male {male:.2} (target 68.0), female {female:.2} (target 74.5)");
    assert!((male - 68.0).abs() < 1.0, "male e0 {male}");
    assert!((female - 74.5).abs() < 1.0, "female e0 {female}");
}

#[test]
fn simulated_fertility_matches_the_total_fertility_rate_within_five_percent() {
    let mut p = params(200_000, 5, 13);
    p.demography.total_fertility_rate = 1.8;
    let rec = run_on(p.clone(), 2);
    let mut tfr = 0.0;
    for g in 0..7u32 {
        let births: f64 = rec
            .births_by_mother_age
            .iter()
            .map(|b| b[g as usize] as f64)
            .sum();
        let women_years: f64 = rec
            .population
            .iter()
            .map(|h| sum_ages(h, p.regions.len(), 1, 15 + 5 * g, 19 + 5 * g) / 12.0)
            .sum();
        tfr += 5.0 * births / women_years;
    }
    eprintln!("simulated TFR {tfr:.3} (target 1.8)");
    assert!((tfr / 1.8 - 1.0).abs() < 0.05, "simulated TFR {tfr}");
}

#[test]
fn below_replacement_fertility_ages_the_population() {
    let mut p = params(50_000, 25, 17);
    p.demography.total_fertility_rate = 1.3;
    p.demography.life_expectancy_male = 80.0;
    p.demography.life_expectancy_female = 85.0;
    let rec = run_on(p.clone(), 2);
    let share = |i: usize| rec.months[i].population_60plus as f64 / rec.months[i].population as f64;
    let first = share(0);
    let last = share(rec.months.len() - 1);
    eprintln!("60+ share {first:.3} -> {last:.3}");
    assert!(last > first + 0.05, "60+ share {first:.3} -> {last:.3}");
    // With replacement fertility and the same mortality the rise is smaller: ageing comes from
    // low fertility, not only from longer lives.
    p.demography.total_fertility_rate = 2.1;
    let rec2 = run_on(p, 2);
    let n = rec2.months.len() - 1;
    let last2 = rec2.months[n].population_60plus as f64 / rec2.months[n].population as f64;
    assert!(
        last2 < last,
        "TFR 2.1 gives {last2:.3}, TFR 1.3 gives {last:.3}"
    );
}
