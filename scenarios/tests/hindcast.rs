//! The England and Wales hindcast (issue 14): the sentencing policy timeline moves the prison
//! population and its age profile, and the 2002-2021 run is compared with the published series.

mod common;

use common::run;
use sim_core::{ModelParams, Outcome};

const REPLICATIONS: u64 = 5;

fn hindcast() -> ModelParams {
    scenarios::builtin("england-wales-2002").unwrap().params
}

/// Medians over replications of (50+ share, prison population per 100k) by year.
fn medians(p: &ModelParams) -> Vec<(i32, f64, f64)> {
    let runs: Vec<Outcome> = (0..REPLICATIONS)
        .map(|k| {
            let mut p = p.clone();
            p.scenario.seed += k;
            run(p)
        })
        .collect();
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (0..runs[0].years.len())
        .map(|y| {
            (
                runs[0].years[y].year,
                median(
                    runs.iter()
                        .map(|o| o.years[y].older_prisoner_share_pct)
                        .collect(),
                ),
                median(
                    runs.iter()
                        .map(|o| o.years[y].prison_population_per_100k)
                        .collect(),
                ),
            )
        })
        .collect()
}

/// Longer sentences grow the prison population: the policy timeline (longer sentences from
/// 2005, more for serious violent and sexual offences from 2012) against the same run without
/// it (common random numbers). Also prints the 50+ share beside the published series: it barely
/// responds to sentence inflation (about 13% in 2002 and 14% in 2021, against 7% and 17%
/// published; docs/validation.md), because lengthening every sentence alike keeps the age
/// profile of admissions. The long-tailed and indeterminate sentences and the
/// rise of historic prosecutions after 2012 that aged the real prison population are still
/// missing (issue 14 stays open).
#[test]
fn sentence_inflation_grows_the_prison_population() {
    let with = medians(&hindcast());
    let mut p = hindcast();
    p.policy_changes.clear();
    let without = medians(&p);
    let published = [(2002, 7.0), (2021, 17.0)];
    for ((year, s1, n1), (_, s0, n0)) in with.iter().zip(&without) {
        let note = published
            .iter()
            .find(|(y, _)| y == year)
            .map_or(String::new(), |(_, v)| {
                format!(" (published 50+ share {v}%)")
            });
        eprintln!(
            "{year}: 50+ share {s1:.1}% vs {s0:.1}% without; prisoners per 100k {n1:.0} vs {n0:.0}{note}"
        );
    }
    assert_eq!(with[0], without[0], "the timeline starts after year one");
    let (_, _, n1) = with[with.len() - 1];
    let (_, _, n0) = without[without.len() - 1];
    assert!(
        n1 > 1.15 * n0,
        "prison population {n1:.0} against {n0:.0} without"
    );
    // The rise follows the timeline: nothing before 2005, most of it after 2012.
    let gap = |y: usize| with[y].2 / without[y].2 - 1.0;
    assert!(gap(2).abs() < 0.03, "2004: {:.3}", gap(2));
}
