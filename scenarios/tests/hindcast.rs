//! The England and Wales hindcast (issue 14): the sentencing policy timeline moves the prison
//! population and its age profile, and the 2002-2021 run is compared with the published series.

use crate::common;

use common::run;
use sim_core::{ModelParams, Outcome};

const REPLICATIONS: u64 = 5;

fn hindcast() -> ModelParams {
    scenarios::builtin("england-wales-2002").unwrap().params
}

/// The hindcast's medians, run once for both tests.
fn hindcast_medians() -> &'static [(i32, f64, f64)] {
    static MEDIANS: std::sync::OnceLock<Vec<(i32, f64, f64)>> = std::sync::OnceLock::new();
    MEDIANS.get_or_init(|| medians(&hindcast()))
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
/// 2005, more for serious violent and sexual offences from 2012, imprisonment for public
/// protection 2005-2012) against the same run without it (common random numbers).
#[test]
fn sentence_inflation_grows_the_prison_population() {
    let with = hindcast_medians();
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
    // Nothing before the first change (2005).
    let gap = |y: usize| with[y].2 / without[y].2 - 1.0;
    assert!(gap(2).abs() < 0.03, "2004: {:.3}", gap(2));
}

/// The published 50+ share (out-of-sample, docs/validation.md): 7% in 2002, 17% in 2021. The
/// model reaches the 2021 level (its 2019-21 mean within the 13-21%), but starts too
/// high: its year-one prisoners are those of a steady state under the scenario's parameters,
/// while the real 2002 stock had not yet aged. The rise between them is 1-5 points depending on
/// the replications, not resolved at this size (about 60 agents aged 50+ in prison per run).
/// The 2002 level (13-14% against 5-9%), the rise and the prison population of 2021 (about 20%
/// above the published 79,000) are misses stated in docs/validation.md, not asserted here.
#[test]
fn the_older_prisoner_share_reaches_its_2021_level() {
    let with = hindcast_medians();
    let mean = |ys: &[(i32, f64, f64)]| ys.iter().map(|y| y.1).sum::<f64>() / ys.len() as f64;
    let (first, last) = (mean(&with[..3]), mean(&with[with.len() - 3..]));
    let share_2021 = with[with.len() - 1].1;
    eprintln!("50+ share: {first:.1}% in 2002-04, {last:.1}% in 2019-21, {share_2021:.1}% in 2021");
    assert!((13.0..=21.0).contains(&last), "{last}");
}
