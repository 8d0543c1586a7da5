//! Who is in prison (issue 14): children are rare and almost all 15-17, women are a small
//! minority, and deaths in custody run at the scenario's published rate. Checked in every
//! built-in scenario over its first five years.

use crate::common;

use common::run;
use sim_core::Outcome;

const AGENTS: u32 = 150_000;
const YEARS: u32 = 5;

/// Prisoner-years by sex and age summed over the year-end censuses.
struct Profile {
    total: f64,
    aged_10_14: f64,
    under_18: f64,
    women: f64,
    aged_50_plus: f64,
}

fn profile(o: &Outcome) -> Profile {
    let mut p = Profile {
        total: 0.0,
        aged_10_14: 0.0,
        under_18: 0.0,
        women: 0.0,
        aged_50_plus: 0.0,
    };
    for y in &o.recorder.years {
        for (sex, ages) in y.end.prisoner_ages.iter().enumerate() {
            for (age, n) in ages.iter().enumerate() {
                let n = *n as f64;
                p.total += n;
                p.aged_10_14 += if (10..15).contains(&age) { n } else { 0.0 };
                p.under_18 += if age < 18 { n } else { 0.0 };
                p.women += if sex == 1 { n } else { 0.0 };
                p.aged_50_plus += if age >= 50 { n } else { 0.0 };
            }
        }
    }
    p
}

fn runs() -> Vec<(&'static str, sim_core::ModelParams, Outcome)> {
    scenarios::BUILTINS
        .iter()
        .map(|b| {
            let mut p = scenarios::builtin(b.name).unwrap().params;
            p.scenario.agents = AGENTS;
            p.scenario.years = YEARS;
            p.scenario.seed = 5;
            (b.name, p.clone(), run(p))
        })
        .collect()
}

/// How many Poisson standard deviations `count` of `total` prisoner-years lies above (or, if
/// negative, below) the count that the share `limit` implies. At 150,000 agents a scenario has
/// 600-2,000 prisoner-years of agents, so a share of 0.5% is 3-10 of them, and one child more
/// or less (a different seed, or re-keyed draws) moved the bare share across it; a share is
/// out of bounds only beyond three deviations.
fn deviations(count: f64, total: f64, limit: f64) -> f64 {
    let expected = limit * total;
    (count - expected) / expected.sqrt()
}

fn clearly_above(count: f64, total: f64, limit: f64) -> bool {
    deviations(count, total, limit) > 3.0
}

fn clearly_below(count: f64, total: f64, limit: f64) -> bool {
    deviations(count, total, limit) < -3.0
}

#[test]
fn children_are_rare_in_prison_and_women_a_small_minority() {
    let mut problems = Vec::new();
    for (name, _, o) in runs() {
        let p = profile(&o);
        let pct = |x: f64| 100.0 * x / p.total;
        eprintln!(
            "{name}: aged 10-14 {:.2}%, under 18 {:.2}%, women {:.1}%, 50+ {:.1}% ({} prisoner-years of agents)",
            pct(p.aged_10_14),
            pct(p.under_18),
            pct(p.women),
            pct(p.aged_50_plus),
            p.total
        );
        if clearly_above(p.aged_10_14, p.total, 0.005) {
            problems.push(format!("{name}: {:.2}% aged 10-14", pct(p.aged_10_14)));
        }
        if clearly_above(p.under_18, p.total, 0.02) {
            problems.push(format!("{name}: {:.2}% under 18", pct(p.under_18)));
        }
        if clearly_below(p.women, p.total, 0.04) || clearly_above(p.women, p.total, 0.10) {
            problems.push(format!("{name}: {:.1}% women", pct(p.women)));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_noise_allowance_still_catches_a_share_well_beyond_the_limit() {
    // Of 641 prisoner-years (the smallest scenario's), 4 children aged 10-14 (0.62%) are
    // within the noise of a 0.5% share; 13 (2%) are not.
    assert!(!clearly_above(4.0, 641.0, 0.005));
    assert!(clearly_above(13.0, 641.0, 0.005));
    assert!(clearly_below(10.0, 641.0, 0.04) && !clearly_below(20.0, 641.0, 0.04));
}

/// Deaths in custody per 100,000 prisoners a year over the first five years, from the
/// expected counts (the probabilities behind the draws), against the scenario's year-one rate.
#[test]
fn deaths_in_custody_run_at_the_observed_rate() {
    let mut problems = Vec::new();
    for (name, params, o) in runs() {
        let deaths: f64 = o
            .recorder
            .months
            .iter()
            .map(|m| m.flows.expected.deaths_in_custody)
            .sum();
        let prisoner_months: f64 = o
            .recorder
            .months
            .iter()
            .map(|m| m.stocks.prisoners as f64)
            .sum();
        let rate = deaths / prisoner_months * 12.0 * 1e5;
        let want = params.prisons.deaths_in_custody_per_100k;
        let other: u64 = o
            .recorder
            .months
            .iter()
            .map(|m| m.flows.deaths_in_custody_other)
            .sum();
        let all: u64 = o
            .recorder
            .months
            .iter()
            .map(|m| m.flows.deaths_in_custody)
            .sum();
        eprintln!(
            "{name}: {rate:.0} deaths per 100k prisoners a year (target {want}); {other} of {all} realised deaths not natural"
        );
        if (rate / want - 1.0).abs() > 0.25 {
            problems.push(format!("{name}: {rate:.0} against {want}"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Historic prosecutions (`historic_arrests_per_100k`): arrests for partner and sexual violence
/// committed on average 25 years before bring older people into prison. The ageing archetype
/// with 30 such arrests a year per 100,000 from its second year, sentenced as serious sexual
/// offences (60% custody, median 60 months), against none (the same seeds).
/// The arrests come on top of the delayed arrests of recent offences at about the rate set
/// (plumbing), and the prisoners' 50+ share in the last two years rises (science: the
/// offenders are drawn at the age they offended, then aged by the lag).
#[test]
fn historic_prosecutions_bring_older_people_into_prison() {
    use sim_core::policy_changes::PolicyChange;
    let base = || {
        let mut p = scenarios::builtin("ageing-high-income").unwrap().params;
        p.scenario.agents = AGENTS;
        p.scenario.years = 6;
        p
    };
    let mut with = base();
    with.policy_changes.push(PolicyChange {
        historic_arrests_per_100k: Some(30.0),
        historic_lag_years: 25.0,
        historic_custody: Some(0.6),
        historic_sentence_months: Some(60.0),
        ..PolicyChange::neutral(
            f64::from(with.scenario.start_year + 1),
            Some(sim_core::offence::OffenceType::Gbv),
        )
    });
    let scale = with.scenario.scale();
    let (a, b) = (run(with), run(base()));
    let delayed = |o: &Outcome| -> f64 {
        o.recorder.months[12..]
            .iter()
            .map(|m| m.flows.delayed_arrests as f64)
            .sum::<f64>()
            * scale
            / 5.0
    };
    let population = a.years[3].population * scale;
    let extra = delayed(&a) - delayed(&b);
    let want = 30.0 * population / 1e5;
    eprintln!("historic arrests a year: {extra:.0} against {want:.0} set");
    assert!(
        (extra / want - 1.0).abs() < 0.25,
        "{extra:.0} a year against {want:.0}"
    );
    let older = |o: &Outcome| {
        let (n, old) = o.recorder.years[4..]
            .iter()
            .fold((0u64, 0u64), |(n, old), y| {
                let all: u64 = y.end.prisoner_ages.iter().flatten().sum();
                let o50: u64 = y
                    .end
                    .prisoner_ages
                    .iter()
                    .map(|a| a[50..].iter().sum::<u64>())
                    .sum();
                (n + all, old + o50)
            });
        old as f64 / n as f64
    };
    let (s1, s0) = (older(&a), older(&b));
    eprintln!("50+ share of prisoners in the last two years: {s1:.3} with, {s0:.3} without");
    assert!(s1 > s0 + 0.01, "{s1:.3} against {s0:.3}");
}
