//! Every built-in scenario validates, runs, and meets baseline alignment: year-one indicators
//! within 10% of the scenario's observed values, or within 3 standard errors where the expected
//! number of people behind an indicator is so small that 10% is within its sampling noise
//! (relative standard error 1/sqrt(n): homicides, detected trafficking, pre-trial detainees).

use crate::common;

use common::check_alignment;
use sim_core::Simulation;

#[test]
fn every_builtin_runs_and_meets_baseline_alignment() {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let mut failures = Vec::new();
    for b in scenarios::BUILTINS {
        let mut p = scenarios::builtin(b.name).unwrap().params;
        p.scenario.agents = 1_000_000;
        p.scenario.years = 1;
        let o = pool.install(|| Simulation::new(p.clone()).unwrap().run_to_end());
        assert!(o.warnings.is_empty(), "{}: {:?}", b.name, o.warnings);
        let y = &o.years[0];
        let events = |rate_per_100k: f64| Some(rate_per_100k * y.population / 1e5);
        let c = &p.crime;
        let pr = &p.prisons;
        let checks = [
            (
                "homicide",
                y.homicide_rate_per_100k,
                c.homicide_rate_per_100k,
                events(c.homicide_rate_per_100k),
            ),
            (
                "violence",
                y.violence_prevalence_pct,
                c.violence_prevalence_pct,
                None,
            ),
            (
                "gbv",
                y.gbv_prevalence_women_pct,
                c.gbv_prevalence_women_pct,
                None,
            ),
            (
                "property",
                y.property_victimisation_pct,
                c.property_victimisation_pct,
                None,
            ),
            (
                "online fraud",
                y.fraud_victimisation_pct,
                c.fraud_victimisation_pct,
                None,
            ),
            (
                "trafficking detected",
                y.trafficking_detected_per_100k,
                c.trafficking_detected_per_100k,
                events(c.trafficking_detected_per_100k),
            ),
            (
                "reporting",
                y.reporting_rate_pct,
                p.justice.violence_reporting_pct,
                None,
            ),
            (
                "unsentenced",
                y.unsentenced_share_pct,
                pr.unsentenced_share_pct,
                events(pr.prison_population_per_100k * pr.unsentenced_share_pct / 100.0),
            ),
            (
                "prison population",
                y.prison_population_per_100k,
                pr.prison_population_per_100k,
                events(pr.prison_population_per_100k),
            ),
            (
                "occupancy",
                y.prison_occupancy_pct,
                pr.occupancy_pct,
                events(pr.prison_population_per_100k),
            ),
        ];
        for (name, got, want, n) in checks {
            if let Err(miss) = check_alignment(&format!("{}: {name}", b.name), got, want, n) {
                failures.push(miss);
            }
        }
    }
    assert!(failures.is_empty(), "{failures:?}");
}

#[test]
fn the_ageing_archetype_holds_many_older_prisoners() {
    let mut p = scenarios::builtin("ageing-high-income").unwrap().params;
    p.scenario.agents = 500_000;
    p.scenario.years = 1;
    let o = Simulation::new(p).unwrap().run_to_end();
    let share = o.years[0].older_prisoner_share_pct;
    eprintln!("50+ share of prisoners: {share:.1}%");
    // England and Wales: 17% in 2021.
    assert!((12.0..=22.0).contains(&share), "{share}");
}

/// The homicide funnel: persons convicted of homicide per homicide victim, against the regional
/// figures of the UNODC Global Study on Homicide 2013 (about 43 per 100 worldwide, 24 in the
/// Americas, 81 in Europe). In-sample: each scenario's clearance, charge and conviction of
/// homicide are set from these figures, so this checks that the simulated pipeline (capacity,
/// offenders already in custody, court time) delivers what the parameters say. It delivers
/// less than the product of the probabilities (one offender per homicide, some already held or
/// awaiting trial, police capacity): a fifth less in the default scenario and, where police are
/// stretched, nearly a third less (high-violence-urban: about 17 against 24). Asserted: the
/// Western European funnel that issue 14 found leaky (within 25%) and the regional order; the
/// other two are printed and stated in docs/validation.md.
#[test]
fn homicide_convictions_per_victim_follow_the_regional_funnel() {
    let mut failures = Vec::new();
    let mut got = Vec::new();
    for (name, want) in [
        ("coastal-middle-income", 43.0),
        ("high-violence-urban", 24.0),
        ("ageing-high-income", 81.0),
    ] {
        let mut p = scenarios::builtin(name).unwrap().params;
        // A hundred or more convictions in years 3-8 (a standard error of 10% or less).
        p.scenario.agents = match name {
            "coastal-middle-income" => 500_000,
            "high-violence-urban" => 1_000_000,
            _ => 2_000_000,
        };
        p.scenario.years = 8;
        let o = common::run(p);
        // Years 3-8: cases charged in year one have reached court.
        let months = &o.recorder.months[24..];
        let victims: f64 = months
            .iter()
            .map(|m| m.flows.expected.homicide_victims)
            .sum();
        let convicted: u64 = months.iter().map(|m| m.flows.homicide_convictions).sum();
        let per_100 = 100.0 * convicted as f64 / victims;
        eprintln!(
            "{name}: {per_100:.0} convicted per 100 homicide victims ({convicted} convictions; published {want})"
        );
        if name == "ageing-high-income" && (per_100 / want - 1.0).abs() > 0.25 {
            failures.push(format!("{name}: {per_100:.0} against {want}"));
        }
        got.push(per_100);
    }
    assert!(failures.is_empty(), "{failures:?}");
    assert!(
        got[1] < got[0] && got[0] < got[2],
        "Americas < world < Europe: {got:?}"
    );
}
