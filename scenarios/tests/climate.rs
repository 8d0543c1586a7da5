//! Climate shocks, displacement and infrastructure damage (docs/model.md sections 4.1-4.2; section 7
//! facts 6 and 7).

use crate::common;

use common::{default_scenario, run};
use sim_core::Outcome;
use sim_core::metrics::Counter;
use sim_core::params::Pathway;

/// Least-squares coefficients of `y` on the columns of `x` (with an intercept first).
fn ols(y: &[f64], x: &[Vec<f64>]) -> Vec<f64> {
    let k = x.len() + 1;
    let row = |i: usize| {
        let mut r = vec![1.0];
        r.extend(x.iter().map(|c| c[i]));
        r
    };
    let mut a = vec![vec![0.0; k + 1]; k];
    for i in 0..y.len() {
        let r = row(i);
        for p in 0..k {
            for q in 0..k {
                a[p][q] += r[p] * r[q];
            }
            a[p][k] += r[p] * y[i];
        }
    }
    // Gauss-Jordan elimination.
    for col in 0..k {
        let pivot = (col..k)
            .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
            .unwrap();
        a.swap(col, pivot);
        let d = a[col][col];
        for v in a[col].iter_mut() {
            *v /= d;
        }
        for r in 0..k {
            if r != col {
                let f = a[r][col];
                let pivot_row = a[col].clone();
                for (v, pv) in a[r].iter_mut().zip(pivot_row) {
                    *v -= f * pv;
                }
            }
        }
    }
    a.iter().map(|r| r[k]).collect()
}

#[test]
fn fact_6_warmer_months_bring_about_2_4_percent_more_violence_per_sd() {
    // Regress log monthly violence on the population-weighted anomaly (in s.d.: the default
    // regions have a 1 C monthly s.d.), with a linear time trend for demographic change.
    let mut p = default_scenario(400_000, 26, 6);
    p.climate.pathway = Pathway::named("ssp1-2.6").unwrap();
    let o = run(p);
    let months = &o.recorder.months;
    let y: Vec<f64> = months
        .iter()
        .map(|m| ((m.flows.offences[0] + m.flows.offences[1] + m.flows.offences[2]) as f64).ln())
        .collect();
    let anomaly: Vec<f64> = months
        .iter()
        .map(|m| m.flows.temperature_anomaly_c)
        .collect();
    let time: Vec<f64> = (0..months.len()).map(|t| t as f64 / 12.0).collect();
    let b = ols(&y, &[anomaly, time]);
    let effect = b[1].exp() - 1.0;
    eprintln!("violence rises {:.2}% per s.d. of anomaly", 100.0 * effect);
    assert!((0.015..=0.035).contains(&effect), "{effect}");
}

fn displaced_total(o: &Outcome) -> f64 {
    o.years.iter().map(|y| y.newly_displaced).sum()
}

#[test]
fn fact_7_a_stronger_warming_pathway_displaces_more_people() {
    let mut low = 0.0;
    let mut high = 0.0;
    for seed in 1..=3 {
        for (name, total) in [("ssp1-2.6", &mut low), ("ssp5-8.5", &mut high)] {
            let mut p = default_scenario(60_000, 26, seed);
            p.climate.pathway = Pathway::named(name).unwrap();
            *total += displaced_total(&run(p));
        }
    }
    eprintln!("displaced 2025-2050: ssp1-2.6 {low}, ssp5-8.5 {high} (agents, 3 replications)");
    assert!(high > 1.05 * low, "{high} vs {low}");
}

#[test]
fn without_hazards_nobody_is_displaced_and_no_capacity_is_lost() {
    let mut p = default_scenario(40_000, 5, 3);
    for r in p.regions.iter_mut() {
        r.hazard_per_year = [0.0; 4];
    }
    let o = run(p);
    assert!(o.events.is_empty());
    for m in &o.recorder.months {
        assert_eq!(m.flows.newly_displaced, 0);
        assert_eq!(m.stocks.displaced, 0);
        assert_eq!(m.stocks.court_capacity_lost_pct, 0.0);
        assert_eq!(m.stocks.prison_beds_lost_pct, 0.0);
        assert_eq!(m.flows.affected, 0);
    }
}

#[test]
fn the_events_log_is_the_same_in_every_policy_arm() {
    let base = default_scenario(40_000, 10, 4);
    let mut arm = base.clone();
    arm.justice.court_capacity_multiplier = 1.5;
    arm.justice.police_capacity_multiplier = 2.0;
    arm.justice.severity_multiplier = 0.7;
    let (a, b) = (run(base), run(arm));
    assert!(!a.events.is_empty());
    // Severity, damage and timing are identical; only who is displaced may differ.
    let key = |o: &Outcome| {
        o.events
            .iter()
            .map(|e| {
                (
                    e.month_index,
                    e.region,
                    e.hazard,
                    e.severity.to_bits(),
                    e.court_damage.to_bits(),
                    e.prison_damage.to_bits(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(key(&a), key(&b));
    assert_ne!(
        a.recorder.months, b.recorder.months,
        "the arms must differ in something"
    );
}

#[test]
fn a_severe_flood_at_a_prison_fills_the_other_regions_prisons() {
    // The delta floods severely and often; the other regions have no hazards. The counterfactual
    // arm has the same shocks with resilient buildings (no damage): common random numbers make
    // every difference the damage's doing.
    let mut p = default_scenario(200_000, 3, 12);
    for r in p.regions.iter_mut() {
        r.hazard_per_year = [0.0; 4];
    }
    let delta = p.regions.iter().position(|r| r.name == "delta").unwrap();
    p.regions[delta].hazard_per_year[0] = 2.0;
    p.regions[delta].hazard_affected_share[0] = 0.3;
    let mut resilient = p.clone();
    resilient.climate.resilience = 1.0;
    let (o, r) = (run(p), run(resilient));
    let e = o
        .events
        .iter()
        .find(|e| e.prison_damage > 0.05 && e.month_index >= 1)
        .expect("a damaging flood");
    let m = e.month_index as usize;
    let others = |o: &Outcome, i: usize| -> f64 {
        let s = &o.recorder.months[i].stocks;
        (0..6)
            .filter(|&r| r != delta)
            .map(|r| s.occupancy_by_region[r])
            .sum::<f64>()
            / 5.0
    };
    let unsentenced = |o: &Outcome, i: usize| {
        let s = &o.recorder.months[i].stocks;
        s.pretrial as f64 / s.prisoners as f64
    };
    eprintln!(
        "flood in month {m}, beds lost {:.0}%: other regions' occupancy {:.3} (resilient {:.3}) in month {}; unsentenced {:.3} (resilient {:.3})",
        100.0 * e.prison_damage,
        others(&o, m + 1),
        others(&r, m + 1),
        m + 1,
        unsentenced(&o, m + 1),
        unsentenced(&r, m + 1)
    );
    assert!(o.recorder.months[m].flows.transfers > r.recorder.months[m].flows.transfers);
    assert!(
        others(&o, m + 1) > others(&r, m + 1),
        "receivers' occupancy must rise"
    );
    assert!(
        unsentenced(&o, m + 1) >= unsentenced(&r, m + 1),
        "unsentenced share must not fall"
    );
}

#[test]
fn displaced_people_suffer_more_trafficking_and_gbv() {
    // A stormy variant displaces many people, so the displaced group is large enough to compare.
    let mut p = default_scenario(300_000, 10, 21);
    for r in p.regions.iter_mut() {
        r.hazard_per_year[0] *= 5.0;
        r.hazard_per_year[1] *= 5.0;
    }
    p.crime.trafficking_detected_per_100k = 3.0;
    let o = run(p);
    let (mut disp, mut rest) = ([0u64; 3], [0u64; 3]);
    for y in &o.recorder.years {
        let g = &y.groups.values;
        let (d, n) = (sim_core::metrics::GROUPS - 1, sim_core::metrics::GROUPS - 2);
        disp[0] += g[Counter::GbvVictims as usize][d];
        rest[0] += g[Counter::GbvVictims as usize][n];
        disp[1] += g[Counter::TraffickingVictims as usize][d];
        rest[1] += g[Counter::TraffickingVictims as usize][n];
        disp[2] += y.population[d];
        rest[2] += y.population[n];
    }
    let rate = |v: [u64; 3], i: usize| v[i] as f64 / v[2] as f64;
    eprintln!(
        "GBV per person-year: displaced {:.4}, others {:.4}; trafficking: displaced {:.6}, others {:.6} ({} and {} victims)",
        rate(disp, 0),
        rate(rest, 0),
        rate(disp, 1),
        rate(rest, 1),
        disp[1],
        rest[1]
    );
    assert!(rate(disp, 0) > 1.2 * rate(rest, 0));
    assert!(rate(disp, 1) > 1.5 * rate(rest, 1));
}
