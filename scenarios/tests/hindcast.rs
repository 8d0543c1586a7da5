//! The England and Wales hindcast (issue 14): the policy timeline (sentence inflation) and the
//! crime trends (the fall in crime, above all in young people's offending) move the prison
//! population and its age profile, and the 2002-2021 run is compared with the published series
//! (docs/validation.md).

use crate::common;

use common::run;
use sim_core::policy_changes::PolicyChange;
use sim_core::{ModelParams, Outcome};

const REPLICATIONS: u64 = 5;

fn hindcast() -> ModelParams {
    scenarios::builtin("england-wales-2002").unwrap().params
}

/// One year of the medians over replications.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Year {
    year: i32,
    older_share_pct: f64,
    prisoners: f64,
}

/// The hindcast's medians, run once for every test.
fn hindcast_medians() -> &'static [Year] {
    static MEDIANS: std::sync::OnceLock<Vec<Year>> = std::sync::OnceLock::new();
    MEDIANS.get_or_init(|| medians(&hindcast(), REPLICATIONS))
}

/// Medians over replications of the 50+ share and the number of prisoners (real persons) by
/// year.
fn medians(p: &ModelParams, replications: u64) -> Vec<Year> {
    let scale = p.scenario.scale();
    let runs: Vec<Outcome> = (0..replications)
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
        .map(|y| Year {
            year: runs[0].years[y].year,
            older_share_pct: median(
                runs.iter()
                    .map(|o| o.years[y].older_prisoner_share_pct)
                    .collect(),
            ),
            prisoners: median(
                runs.iter()
                    .map(|o| {
                        o.years[y].prison_population_per_100k * o.years[y].population * scale / 1e5
                    })
                    .collect(),
            ),
        })
        .collect()
}

/// The hindcast without the changes `drop` picks (common random numbers).
fn without(drop: impl Fn(&PolicyChange) -> bool) -> Vec<Year> {
    let mut p = hindcast();
    p.policy_changes.retain(|c| !drop(c));
    medians(&p, REPLICATIONS)
}

fn is_crime_trend(c: &PolicyChange) -> bool {
    c.offending != 1.0
}

fn is_historic(c: &PolicyChange) -> bool {
    c.historic_arrests_per_100k.is_some()
}

fn print(label: &str, with: &[Year], other: &[Year]) {
    for (a, b) in with.iter().zip(other) {
        eprintln!(
            "{}: 50+ share {:.1}% vs {:.1}% {label}; prisoners {:.0} vs {:.0}",
            a.year, a.older_share_pct, b.older_share_pct, a.prisoners, b.prisoners
        );
    }
}

/// Longer sentences grow the prison population: the sentencing timeline (longer sentences
/// from 2005, more for serious violent and sexual offences from 2012, imprisonment for public
/// protection 2005-2012) against the same run without it, crime trends kept.
#[test]
fn sentence_inflation_grows_the_prison_population() {
    let with = hindcast_medians();
    let without = without(|c| !is_crime_trend(c) && !is_historic(c));
    print("without sentence inflation", with, &without);
    assert_eq!(with[0], without[0], "the timeline starts after year one");
    let (n1, n0) = (
        with[with.len() - 1].prisoners,
        without[without.len() - 1].prisoners,
    );
    assert!(n1 > 1.15 * n0, "prisoners {n1:.0} against {n0:.0} without");
    // Nothing before the first change (2005).
    let gap = with[2].prisoners / without[2].prisoners - 1.0;
    assert!(gap.abs() < 0.03, "2004: {gap:.3}");
}

/// The fall in crime holds the prison population down: with the crime trends the 2021
/// population is within 15% of the published 79,000 (out-of-sample; Ministry of Justice,
/// Offender Management Statistics, June 2021), and without them it is larger. And because the
/// fall was largest among the young, it ages the prison population.
#[test]
fn the_crime_drop_holds_the_prison_population_near_its_published_level() {
    let with = hindcast_medians();
    let without = without(is_crime_trend);
    print("without the crime drop", with, &without);
    let (n1, n0) = (
        with[with.len() - 1].prisoners,
        without[without.len() - 1].prisoners,
    );
    assert!(
        (n1 / 79_000.0 - 1.0).abs() <= 0.15,
        "2021: {n1:.0} prisoners against about 79,000 published"
    );
    assert!(
        n0 > 1.05 * n1,
        "without the crime drop {n0:.0}, with {n1:.0}"
    );
    let (s1, s0) = (
        mean_share(&with[with.len() - 3..]),
        mean_share(&without[without.len() - 3..]),
    );
    assert!(
        s1 > s0 + 0.5,
        "2019-21 50+ share {s1:.1}% with, {s0:.1}% without"
    );
}

fn mean_share(ys: &[Year]) -> f64 {
    ys.iter().map(|y| y.older_share_pct).sum::<f64>() / ys.len() as f64
}

/// The published 50+ share (out-of-sample): 7% in 2002, 17% in 2021. The model's share rises
/// between 2002-04 and 2019-21 and its 2019-21 mean is within the 13-21% (at the
/// scenario's 200,000 agents; the level of 2002 and the year-on-year rise are checked at
/// 1,000,000 below).
#[test]
fn the_older_prisoner_share_rises_to_its_2021_level() {
    let with = hindcast_medians();
    let (first, last) = (mean_share(&with[..3]), mean_share(&with[with.len() - 3..]));
    eprintln!("50+ share: {first:.1}% in 2002-04, {last:.1}% in 2019-21 (published 7% and 17%)");
    assert!(last > first + 1.0, "{first:.1}% -> {last:.1}%");
    assert!((13.0..=21.0).contains(&last), "2019-21: {last:.1}%");
}

/// The hindcast at 1,000,000 agents. At the scenario's 200,000, about 270 agents are in prison
/// and 22 of them aged 50+, so a year's 50+ share has a standard error of about 1.7 points; at
/// 1,000,000 about 0.8 before the median. The 50+ share starts within 5-9% (published 7%,
/// Ministry of Justice), ends within 13-21% (published 17%), and rises from each five-year
/// period to the next (published: it rose every year), medians of 5 replications
/// (out-of-sample; issue 14). The level of 2002 depends on the justice burn-in: the stock drawn
/// with first-offence weights starts at about 10%.
///
/// Until issue 18 the test counted the single years in which the share rose (at least 15 of
/// 19). That count is mostly Monte Carlo noise: a year-to-year change of the medians has a
/// standard error of about 0.6 points against a rise of 0.1-0.5 points a year, so re-keying the
/// draws for online fraud moved it from 15 to 14 (and 14 with medians of 9), while fraud
/// itself moves the 50+ share by under 0.01 points (its prisoners are few). Five-year means
/// have a tenth of that noise relative to their rise; the yearly count is printed and kept in
/// docs/validation.md.
#[test]
fn the_older_share_starts_near_its_2002_level_and_rises_from_period_to_period() {
    let mut p = hindcast();
    p.scenario.agents = 1_000_000;
    let ys = medians(&p, REPLICATIONS);
    for y in &ys {
        eprintln!("{}: 50+ share {:.1}%", y.year, y.older_share_pct);
    }
    let (first, last) = (ys[0].older_share_pct, ys[ys.len() - 1].older_share_pct);
    assert_eq!(ys[0].year, 2002);
    assert!((5.0..=9.0).contains(&first), "2002: {first:.1}%");
    assert!((13.0..=21.0).contains(&last), "2021: {last:.1}%");
    let rising = ys
        .windows(2)
        .filter(|w| w[1].older_share_pct > w[0].older_share_pct)
        .count();
    eprintln!("rising in {rising} of {} years", ys.len() - 1);
    let periods: Vec<f64> = ys
        .chunks(5)
        .map(|c| c.iter().map(|y| y.older_share_pct).sum::<f64>() / c.len() as f64)
        .collect();
    assert_eq!(periods.len(), 4, "2002-06, 2007-11, 2012-16, 2017-21");
    assert!(
        periods.windows(2).all(|w| w[1] > w[0]),
        "five-year means {periods:.2?}"
    );
}

/// Historic prosecutions after 2012 (offences decades old, sentenced as serious sexual
/// offences) raise the 50+ share: the hindcast against the same run without them.
#[test]
fn historic_prosecutions_raise_the_older_share() {
    let with = hindcast_medians();
    let without = without(is_historic);
    print("without historic prosecutions", with, &without);
    let (s1, s0) = (
        mean_share(&with[with.len() - 3..]),
        mean_share(&without[without.len() - 3..]),
    );
    assert!(s1 > s0 + 0.5, "2019-21: {s1:.1}% with, {s0:.1}% without");
    assert_eq!(with[10], without[10], "nothing changes before 2013");
}

/// A prison system whose admissions were growing before the start holds more recent, and so
/// younger, prisoners than one in a steady state (`prisons.growth_before_start_pct`): the
/// hindcast's year-one stock with 15% growth a year against none (the same seed, 600,000
/// agents, the first month).
#[test]
fn a_growing_prison_system_starts_younger() {
    let share = |growth: f64| {
        let mut p = hindcast();
        p.scenario.agents = 600_000;
        p.scenario.years = 1;
        p.prisons.growth_before_start_pct = growth;
        // The draw itself, not the burn-in that would replace most of it.
        p.justice.burn_in_years = 0.0;
        let mut sim = sim_core::Simulation::new(p).unwrap();
        let out = sim.step().stocks;
        eprintln!(
            "growth {growth}%: {:.1}% of prisoners aged 50+ after the first month",
            100.0 * out.prisoners_older as f64 / out.prisoners as f64
        );
        out.prisoners_older as f64 / out.prisoners as f64
    };
    let (steady, growing) = (share(0.0), share(15.0));
    assert!(
        growing < steady - 0.01,
        "50+ share {:.3} growing against {:.3} steady",
        growing,
        steady
    );
}
