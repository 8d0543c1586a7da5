//! Issue 13: honest intervals and precision on demand. With common random numbers, five paired
//! replications at the default size detect a 10% cut in homicide (the confidence interval of
//! the mean paired difference excludes zero and centres on -10%); `--reps auto --precision`
//! stops at its target and records the precision reached.

use crate::common;

use common::{cjsim, text};
use experiments::replicate::run_all;
use experiments::tables::comparison;
use sim_core::interventions::{Intervention, MechanismRef};

/// Problem-oriented policing at full coverage with an effect of 0.1 from January 2026: every
/// person's homicide hazard times 0.9 (assault and property too).
fn homicide_cut() -> Intervention {
    Intervention {
        name: "problem_oriented_policing".into(),
        mechanism: MechanismRef(&sim_core::mechanisms::ProblemOrientedPolicing),
        coverage: 1.0,
        start_year: 2026.0,
        end_year: 2050.0,
        ramp_months: 0.0,
        effect: 0.1,
        unit_cost: 0.0,
    }
}

#[test]
fn five_paired_replications_detect_a_ten_percent_cut_in_homicide() {
    let base = scenarios::builtin("coastal-middle-income").unwrap().params;
    let mut p = base.clone();
    p.scenario.years = 6;
    let mut arm = p.clone();
    arm.interventions.push(homicide_cut());
    let runs = run_all(&[p.clone(), arm], 5, &experiments::simulate::Unwatched).unwrap();
    let scale = p.scenario.scale();
    // Homicides 2026-2030 in each replication, and the paired differences.
    let homicides = |o: &sim_core::Outcome| -> f64 {
        o.recorder
            .months
            .iter()
            .filter(|m| (2026..=2030).contains(&m.year))
            .map(|m| m.flows.expected.homicide_victims)
            .sum::<f64>()
            * scale
    };
    let diffs: Vec<f64> = runs[1]
        .iter()
        .zip(&runs[0])
        .map(|(a, b)| homicides(a) - homicides(b))
        .collect();
    let base_total: Vec<f64> = runs[0].iter().map(homicides).collect();
    let effect = sim_core::stats::summarise(&diffs);
    let level = sim_core::stats::summarise(&base_total).mean;
    let relative = effect.mean / level;
    eprintln!(
        "homicides 2026-2030: baseline {level:.0}, difference {:.0} [{:.0}, {:.0}] ({:+.2}%)",
        effect.mean,
        effect.ci90.0,
        effect.ci90.1,
        100.0 * relative
    );
    assert!(
        effect.ci90.1 < 0.0,
        "the interval {:?} includes zero",
        effect.ci90
    );
    assert!(
        (-0.13..=-0.07).contains(&relative),
        "the effect is {:.1}%, not -10% +- 3 points",
        100.0 * relative
    );
    // The comparison table says the same for the homicide rate in 2030.
    let named = [
        ("baseline", runs[0].as_slice()),
        ("cut", runs[1].as_slice()),
    ];
    let rows = comparison(&named, &[2030], scale, 0.0);
    let row = rows
        .iter()
        .find(|r| r.indicator == "homicide_rate_per_100k")
        .unwrap();
    assert!(row.effect_detected(), "{:?}", row.effect);
    // The single-run band of the difference is no narrower than the interval of its mean.
}

#[test]
fn reps_auto_stops_at_the_precision_asked_for_and_records_it() {
    let dir = common::tempdir("precision", "auto");
    let o = cjsim(
        &[
            "run",
            "--reps",
            "auto",
            "--precision",
            "3%",
            "--agents",
            "20000",
            "--years",
            "7",
            "--out",
            "r",
            "--no-report",
        ],
        &dir,
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("precision:"), "{}", text(&o));
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("r/run.json")).unwrap()).unwrap();
    let p = &run["precision"];
    assert_eq!(p["target"], 0.03);
    assert_eq!(p["met"], true, "{p}");
    let n = p["replications"].as_u64().unwrap();
    assert!(n >= 5 && n == run["replications"].as_u64().unwrap(), "{p}");
    assert!(p["worst"].as_f64().unwrap() <= 0.03);
    // Every headline of 2030 and 2031 is in the record, within the target.
    for r in p["reached"].as_array().unwrap() {
        assert!(r["relative_half_width"].as_f64().unwrap() <= 0.03, "{r}");
    }
    assert!(p["reached"].as_array().unwrap().len() >= 12);
    // An unreachable target stops at --max-reps and says so.
    let o = cjsim(
        &[
            "run",
            "--reps",
            "auto",
            "--precision",
            "0.01%",
            "--max-reps",
            "7",
            "--agents",
            "5000",
            "--years",
            "6",
            "--out",
            "r2",
            "--no-report",
        ],
        &dir,
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("NOT reached"), "{}", text(&o));
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("r2/run.json")).unwrap()).unwrap();
    assert_eq!(run["precision"]["met"], false);
    assert_eq!(run["precision"]["replications"], 7);
    assert_eq!(run["replications"], 7);
}

/// Issue 13: the dashboard's defaults (its default population size and replications) detect a
/// 10% cut in homicide: the 90% confidence interval of the 2030 homicide-rate effect excludes
/// zero, for every one of several base seeds.
#[test]
fn the_dashboard_defaults_detect_a_ten_percent_homicide_effect() {
    let (size, agents) = experiments::serve::request::SIZES[0];
    let reps = experiments::serve::request::DEFAULT_REPLICATIONS;
    let mut detected = 0;
    let seeds = [1u64, 2, 3, 4, 5];
    for seed in seeds {
        let mut p = scenarios::builtin("coastal-middle-income").unwrap().params;
        p.scenario.agents = agents;
        p.scenario.years = 6;
        p.scenario.seed = seed;
        let mut arm = p.clone();
        arm.interventions.push(homicide_cut());
        let runs = run_all(&[p.clone(), arm], reps, &experiments::simulate::Unwatched).unwrap();
        let named = [
            ("baseline", runs[0].as_slice()),
            ("cut", runs[1].as_slice()),
        ];
        let rows = comparison(&named, &[2030], p.scenario.scale(), 0.0);
        let row = rows
            .iter()
            .find(|r| r.indicator == "homicide_rate_per_100k")
            .unwrap();
        eprintln!(
            "{size} ({agents} agents), {reps} replications, seed {seed}: effect {:.3} [{:.3}, {:.3}] of {:.2}",
            row.effect.mean, row.effect.ci90.0, row.effect.ci90.1, row.baseline.mean
        );
        detected += usize::from(row.effect.ci90.1 < 0.0);
    }
    assert_eq!(
        detected,
        seeds.len(),
        "detected in {detected} of {}",
        seeds.len()
    );
}
