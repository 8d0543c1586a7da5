//! The crime victimisation survey: how a statistics office measures SDG 16.1.3 (violence), 16.3.1
//! (reporting) and gender-based violence, simulated on the model's persons (docs/model.md, "How
//! the indicators are measured").
//!
//! Each December a sample of persons aged 15+ living in households (not in custody) is drawn,
//! stratified by region in proportion to its population; respondents are asked whether they
//! were victims of violence, gender-based violence, property crime or online fraud in the past
//! 12 months, and whether they reported the violence to the police. Their answers carry the
//! survey's errors: non-response, forgotten incidents, incidents of the year before telescoped
//! into the reference period, and undisclosed gender-based violence.
//!
//! Estimates are design-based: each region's respondents are weighted to the region's
//! population, and every indicator is a ratio of weighted totals (a prevalence over the whole
//! sample, over a domain such as women 15-49, or the reporting rate among victims) with its
//! Taylor-linearised standard error. Sampling is with replacement within a region: an agent
//! stands for many persons, and a real survey's sampling fraction is negligible. Beside each
//! estimate stands the true value in the same target population, from every person's history.

use crate::par::Jobs;
use crate::params::{MAX_REGIONS, SurveyParams};
use crate::person::{Demographics, Experience, MonthNo, NEVER, Sex, Slot, VictimHistory};
use crate::rng::{MonthKey, to_unit};

/// Youngest age asked (SDG 16.1.3 counts persons aged 15 and over).
pub const SURVEY_MIN_AGE: u32 = 15;

/// The survey's indicators, named as the `indicators_yearly.csv` columns they estimate.
pub const SURVEY_INDICATORS: [&str; INDICATORS] = [
    "violence_prevalence_pct",
    "gbv_prevalence_women_pct",
    "property_victimisation_pct",
    "fraud_victimisation_pct",
    "reporting_rate_pct",
];

/// Number of survey indicators.
const INDICATORS: usize = 5;

/// Uniform draws a selected copy of a person uses (response and the recall of each question),
/// with room for more questions.
const DRAWS_PER_COPY: u32 = 8;

/// One indicator of one year's survey, in percent.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SurveyEstimate {
    /// The survey's estimate (%).
    pub value: f64,
    /// Its design-based standard error (percentage points).
    pub se: f64,
    /// The true value in the survey's target population (%).
    pub truth: f64,
    /// Respondents in the indicator's denominator (all respondents, women 15-49, or victims).
    pub base: u32,
}

/// One year's survey.
#[derive(Clone, Debug, PartialEq)]
pub struct SurveyYear {
    /// Calendar year of the interviews (December).
    pub year: i32,
    /// Persons selected.
    pub issued: u32,
    /// Persons who responded.
    pub respondents: u32,
    /// One estimate per entry of [`SURVEY_INDICATORS`].
    pub estimates: [SurveyEstimate; INDICATORS],
}

/// What a person experienced, or says: numerator and denominator flags of each indicator.
#[derive(Clone, Copy, Debug, Default)]
struct Answers {
    violence: bool,
    woman_15_49: bool,
    gbv: bool,
    property: bool,
    fraud: bool,
    reported: bool,
}

impl Answers {
    /// (numerator, denominator) of indicator `i`.
    fn pair(&self, i: usize) -> (bool, bool) {
        match i {
            0 => (self.violence, true),
            1 => (self.gbv && self.woman_15_49, self.woman_15_49),
            2 => (self.property, true),
            3 => (self.fraud, true),
            _ => (self.violence && self.reported, self.violence),
        }
    }
}

/// The months of the reference period and the year before it, for an interview in `now`.
#[derive(Clone, Copy, Debug)]
struct Window {
    now: MonthNo,
}

impl Window {
    /// In the 12 months up to and including the interview month.
    fn inside(self, m: MonthNo) -> bool {
        m != NEVER && m > self.now - 12 && m <= self.now
    }

    /// In the 12 months before the reference period.
    fn year_before(self, m: MonthNo) -> bool {
        m != NEVER && m > self.now - 24 && m <= self.now - 12
    }
}

/// The truth about a person's past 12 months.
fn truth(d: &Demographics, h: &VictimHistory, w: Window) -> Answers {
    let age = d.age_years(w.now);
    Answers {
        violence: w.inside(h.last_violence()),
        woman_15_49: d.sex == Sex::Female && (15..50).contains(&age),
        gbv: w.inside(h.last_gbv),
        property: w.inside(h.last_property),
        fraud: w.inside(h.last_fraud),
        reported: w.inside(h.last_reported()),
    }
}

/// The uniform draws one respondent's answers use.
struct Draws {
    violence_recall: f64,
    gbv_disclosure: f64,
    property_recall: f64,
    fraud_recall: f64,
}

/// Whether an incident in month `m` can reach an answer: it is in the reference period or in
/// the year before (telescoping).
fn asked(w: Window, m: MonthNo) -> bool {
    w.inside(m) || w.year_before(m)
}

/// Whether the answer about an incident in month `m` depends on the recall draw: an error can
/// happen to it (forgetting inside the period, telescoping from the year before) with a
/// probability above 0. With a probability of 0 the comparison with a uniform in [0, 1) has
/// one outcome whatever the draw.
fn recall_matters(w: Window, s: &SurveyParams, m: MonthNo) -> bool {
    (w.inside(m) && s.recall_loss > 0.0) || (w.year_before(m) && s.telescoping > 0.0)
}

impl Draws {
    /// Which of the draws 1 to 4 (violence recall, gender-based violence disclosure, property
    /// recall, fraud recall) the answers of a respondent with history `h` depend on.
    fn needs(h: &VictimHistory, w: Window, s: &SurveyParams) -> [bool; 4] {
        let recall = |m: MonthNo| recall_matters(w, s, m);
        [
            // Gender-based violence is violence, and is asked with the same recall draw.
            recall(h.last_violence()) || recall(h.last_gbv),
            // Non-disclosure can hide a gender-based violence that can be reported.
            asked(w, h.last_gbv) && s.gbv_under_disclosure > 0.0,
            recall(h.last_property),
            recall(h.last_fraud),
        ]
    }

    /// Whether any answer of a respondent with history `h` depends on a draw.
    fn needed(h: &VictimHistory, w: Window, s: &SurveyParams) -> bool {
        Self::needs(h, w, s).contains(&true)
    }

    /// The draws for a respondent with history `h`, taking `draw(j)` only for the questions
    /// whose answer can depend on it. The others stay 0 and are never read by [`answers`].
    /// With the default error rates most respondents need no draw at all: only incidents of
    /// the year before can be telescoped in. Each draw is keyed by its index, so skipping one
    /// changes no other.
    fn for_history(
        h: &VictimHistory,
        w: Window,
        s: &SurveyParams,
        draw: impl Fn(u32) -> f64,
    ) -> Draws {
        let needs = Self::needs(h, w, s);
        let take = |j: u32| if needs[j as usize - 1] { draw(j) } else { 0.0 };
        Draws {
            violence_recall: take(1),
            gbv_disclosure: take(2),
            property_recall: take(3),
            fraud_recall: take(4),
        }
    }
}

/// What a respondent says, with recall error, telescoping and under-disclosure, given the
/// truth `t` about them.
fn answers(t: &Answers, h: &VictimHistory, w: Window, s: &SurveyParams, u: &Draws) -> Answers {
    // One draw decides both forgetting (inside the period) and telescoping (the year before):
    // a person's latest incident is in at most one of the two.
    let says = |m: MonthNo, recall: f64| {
        if w.inside(m) {
            recall >= s.recall_loss
        } else {
            w.year_before(m) && recall < s.telescoping
        }
    };
    let gbv_hidden = u.gbv_disclosure < s.gbv_under_disclosure;
    let gbv = !gbv_hidden && says(h.last_gbv, u.violence_recall);
    // A hidden gender-based violence is also kept out of the violence question when it was the
    // latest violence; earlier violence in the period is not known to the history.
    let latest_violence_is_gbv = h.last_gbv == h.last_violence();
    let violence =
        !(gbv_hidden && latest_violence_is_gbv) && says(h.last_violence(), u.violence_recall);
    // Whether violence was reported: in the period, as the truth counts it; for an incident
    // telescoped from the year before, whether a report followed it.
    let reported = violence
        && if w.inside(h.last_violence()) {
            w.inside(h.last_reported())
        } else {
            h.last_reported() != NEVER && h.last_reported() >= h.last_violence()
        };
    Answers {
        violence,
        woman_15_49: t.woman_15_49,
        gbv,
        property: says(h.last_property, u.property_recall),
        fraud: says(h.last_fraud, u.fraud_recall),
        reported,
    }
}

/// Ratio estimate and standard error from per-stratum samples: `weights[h]` is the stratum's
/// population, `sample[h]` its number of respondents and their counts. The values are 0 or 1,
/// so the sums of squares are the sums themselves.
fn ratio_estimate(weights: &[f64], sample: &[(u64, Counts)]) -> (f64, f64) {
    let (mut yhat, mut xhat) = (0.0, 0.0);
    for (w, (n, c)) in weights.iter().zip(sample) {
        if *n > 0 {
            yhat += w * c.y as f64 / *n as f64;
            xhat += w * c.x as f64 / *n as f64;
        }
    }
    if xhat <= 0.0 {
        return (f64::NAN, f64::NAN);
    }
    let r = yhat / xhat;
    let mut var = 0.0;
    for (w, (n, c)) in weights.iter().zip(sample) {
        if *n < 2 {
            continue;
        }
        let (n, y, x, xy) = (*n as f64, c.y as f64, c.x as f64, c.xy as f64);
        // z = y - r x, the linearised variable of the ratio.
        let sum_z = y - r * x;
        let sum_zz = y - 2.0 * r * xy + r * r * x;
        let s2 = (sum_zz - sum_z * sum_z / n) / (n - 1.0);
        var += w * w * s2.max(0.0) / n;
    }
    (r, var.sqrt() / xhat)
}

/// Whether the person is in the target population (alive, in a household, 15+).
fn eligible(d: &Demographics, now: MonthNo) -> bool {
    d.slot == Slot::Alive && d.age_years(now) >= SURVEY_MIN_AGE
}

/// When to interview and which draws to use.
#[derive(Clone, Copy, Debug)]
pub struct Fieldwork {
    /// The interview month.
    pub now: MonthNo,
    /// Its calendar year.
    pub year: i32,
    /// The month's survey stream key.
    pub key: MonthKey,
    /// Replicate number: 0 for the run's own survey, others for repeated independent samples of
    /// the same population (the survey's sampling distribution).
    pub replicate: u32,
}

impl Fieldwork {
    /// Fieldwork in the month of `calendar`, for a run seeded with `seed`.
    pub fn at(calendar: &crate::calendar::Calendar, seed: u64, replicate: u32) -> Self {
        Fieldwork {
            now: calendar.now(),
            year: calendar.year(),
            key: MonthKey::new(seed, crate::rng::Stream::Survey, calendar.key()),
            replicate,
        }
    }
}

/// Integer sums of one indicator's 0/1 numerator `y` and denominator `x` over respondents.
#[derive(Clone, Copy, Debug, Default)]
struct Counts {
    y: u64,
    x: u64,
    xy: u64,
}

/// One region's population, truth and sample, all integer counts, so the sums do not depend
/// on how the rows are split between threads.
#[derive(Clone, Copy, Debug, Default)]
struct RegionTally {
    people: u64,
    truth: [(u64, u64); INDICATORS],
    selected: u64,
    respondents: u64,
    sample: [Counts; INDICATORS],
}

impl RegionTally {
    /// Counts `n` respondents who all gave the answers `a`.
    #[inline]
    fn respond(&mut self, a: &Answers, n: u64) {
        self.respondents += n;
        for (k, c) in self.sample.iter_mut().enumerate() {
            let (y, x) = a.pair(k);
            let (y, x) = (u64::from(y), u64::from(x));
            c.y += n * y;
            c.x += n * x;
            c.xy += n * x * y;
        }
    }

    fn merge(&mut self, o: &RegionTally) {
        self.people += o.people;
        self.selected += o.selected;
        self.respondents += o.respondents;
        for (a, b) in self.truth.iter_mut().zip(&o.truth) {
            a.0 += b.0;
            a.1 += b.1;
        }
        for (a, b) in self.sample.iter_mut().zip(&o.sample) {
            a.y += b.y;
            a.x += b.x;
            a.xy += b.xy;
        }
    }
}

/// Most selections of one person counted (the inversion's cap).
const MAX_SELECTIONS: u32 = 10_000;

/// The Poisson distribution of the times a person is selected, tabulated once per survey: its
/// cumulative probabilities `P(K <= k)`, summed term by term (`p_k = p_(k-1) rate / k`) up to
/// the first term that underflows or the cap. Inverting a uniform against the table gives the
/// same count, bit for bit, as summing the terms for every person, without a division per
/// term and person.
struct Selections {
    cdf: Vec<f64>,
}

impl Selections {
    /// The table for a mean of `rate` selections per person.
    fn new(rate: f64) -> Self {
        let p0 = (-rate).exp();
        let (mut p, mut cdf) = (p0, vec![p0]);
        let mut k = 0;
        while k < MAX_SELECTIONS && p > 0.0 {
            k += 1;
            p *= rate / f64::from(k);
            cdf.push(cdf[cdf.len() - 1] + p);
        }
        Selections { cdf }
    }

    /// Times a person is selected, by inversion of the uniform `u`: the least `k` with
    /// `u < P(K <= k)`. Beyond the table's last term the sum no longer grows, and the count is
    /// the cap.
    #[inline]
    fn times(&self, u: f64) -> u32 {
        if u < self.cdf[0] {
            return 0;
        }
        match self.cdf.iter().position(|&c| u < c) {
            Some(k) => k as u32,
            None => MAX_SELECTIONS,
        }
    }
}

/// Conducts one year's survey on the persons `demo` and `experience` (row-aligned), stratified
/// by the `regions` regions.
///
/// Each person of the target population is selected a Poisson number of times with the same
/// mean (issued sample over target population: proportional allocation). Given each region's
/// number of selections this is exactly simple random sampling with replacement within
/// regions, so the with-replacement standard errors hold; the achieved size varies a little,
/// as a real survey's does. Every draw is keyed by the person's id: one pass over the rows, in
/// parallel, with no random access.
pub fn conduct(
    demo: &[Demographics],
    experience: &[Experience],
    regions: usize,
    s: &SurveyParams,
    f: Fieldwork,
) -> SurveyYear {
    use rayon::prelude::*;
    let rows_per_chunk = crate::par::chunk_rows(demo.len());
    let target: usize = demo
        .par_chunks(rows_per_chunk)
        .job_per_chunk()
        .map(|c| c.iter().filter(|d| eligible(d, f.now)).count())
        .sum();
    // Each sample member is a person of the real population, represented by the agent drawn
    // for them: the sample size is not scaled by the agents' scale.
    let rate = if target > 0 {
        s.issued_sample.round() / target as f64
    } else {
        0.0
    };
    let selection = Selections::new(rate);
    let base = f.replicate << 24;
    let tallies = demo
        .par_chunks(rows_per_chunk)
        .zip(experience.par_chunks(rows_per_chunk))
        .job_per_chunk()
        .map(|(demo, experience)| interview_chunk(demo, experience, s, f, &selection, base))
        .reduce(
            || [RegionTally::default(); MAX_REGIONS],
            |mut a, b| {
                for (a, b) in a.iter_mut().zip(&b) {
                    a.merge(b);
                }
                a
            },
        );
    let tallies = &tallies[..regions];
    let population: Vec<f64> = tallies.iter().map(|t| t.people as f64).collect();
    let estimates = std::array::from_fn(|k| {
        let by_stratum: Vec<(u64, Counts)> = tallies
            .iter()
            .map(|t| (t.respondents, t.sample[k]))
            .collect();
        let (value, se) = ratio_estimate(&population, &by_stratum);
        let (y, x) = tallies.iter().fold((0u64, 0u64), |(y, x), t| {
            (y + t.truth[k].0, x + t.truth[k].1)
        });
        SurveyEstimate {
            value: 100.0 * value,
            se: 100.0 * se,
            truth: if x > 0 {
                100.0 * y as f64 / x as f64
            } else {
                f64::NAN
            },
            base: tallies.iter().map(|t| t.sample[k].x as u32).sum(),
        }
    });
    SurveyYear {
        year: f.year,
        issued: tallies.iter().map(|t| t.selected as u32).sum(),
        respondents: tallies.iter().map(|t| t.respondents as u32).sum(),
        estimates,
    }
}

/// One chunk's interviews: the target population, truth and sample by region.
fn interview_chunk(
    demo: &[Demographics],
    experience: &[Experience],
    s: &SurveyParams,
    f: Fieldwork,
    selection: &Selections,
    base: u32,
) -> [RegionTally; MAX_REGIONS] {
    let w = Window { now: f.now };
    let mut out = [RegionTally::default(); MAX_REGIONS];
    for (d, e) in demo.iter().zip(experience) {
        if !eligible(d, f.now) {
            continue;
        }
        let r = &mut out[d.region as usize];
        r.people += 1;
        let t = truth(d, &e.victim, w);
        for (k, (y, x)) in r.truth.iter_mut().enumerate() {
            let (yes, counted) = t.pair(k);
            *y += u64::from(yes);
            *x += u64::from(counted);
        }
        let id = d.id.0;
        let times = selection
            .times(to_unit(f.key.bits(id, base)))
            .min((1 << 24) / DRAWS_PER_COPY - 1);
        if times == 0 {
            continue;
        }
        r.selected += u64::from(times);
        let draw =
            |copy: u32, j: u32| to_unit(f.key.bits(id, base | (1 + DRAWS_PER_COPY * copy + j)));
        let responds = |copy: u32| draw(copy, 0) < s.response_rate;
        if Draws::needed(&e.victim, w, s) {
            for copy in (0..times).filter(|&copy| responds(copy)) {
                let u = Draws::for_history(&e.victim, w, s, |j| draw(copy, j));
                r.respond(&answers(&t, &e.victim, w, s, &u), 1);
            }
        } else {
            // No answer depends on a draw: every copy answers the same, so the copies
            // that respond are counted at once.
            let n = (0..times).filter(|&copy| responds(copy)).count() as u64;
            let same = Draws::for_history(&e.victim, w, s, |_| 0.0);
            r.respond(&answers(&t, &e.victim, w, s, &same), n);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selections_are_poisson_with_the_given_mean() {
        // Inversion over a fine grid of uniforms reproduces the Poisson mean and zero share.
        for rate in [0.05f64, 0.7, 2.75] {
            let p0 = (-rate).exp();
            let n = 100_000;
            let table = Selections::new(rate);
            let draws: Vec<u32> = (0..n)
                .map(|i| table.times((f64::from(i) + 0.5) / f64::from(n)))
                .collect();
            let mean = draws.iter().map(|&k| f64::from(k)).sum::<f64>() / f64::from(n);
            let zeros = draws.iter().filter(|&&k| k == 0).count() as f64 / f64::from(n);
            assert!(
                (mean - rate).abs() < 1e-3 * rate.max(1.0),
                "{rate}: mean {mean}"
            );
            assert!((zeros - p0).abs() < 1e-4, "{rate}: zeros {zeros}");
        }
    }

    #[test]
    fn one_stratum_gives_the_textbook_proportion_and_its_standard_error() {
        // 10 respondents, 3 of them victims.
        let s = (10, Counts { y: 3, x: 10, xy: 3 });
        let (p, se) = ratio_estimate(&[1000.0], &[s]);
        assert!((p - 0.3).abs() < 1e-12);
        // s^2 = n/(n-1) p(1-p); se = sqrt(s^2/n) = sqrt(p(1-p)/(n-1)).
        assert!((se - (0.21f64 / 9.0).sqrt()).abs() < 1e-12, "{se}");
    }

    #[test]
    fn strata_are_weighted_by_population_not_by_sample_size() {
        // 10% in a stratum of 900 people, 50% in a stratum of 100.
        let a = (
            100,
            Counts {
                y: 10,
                x: 100,
                xy: 10,
            },
        );
        let b = (10, Counts { y: 5, x: 10, xy: 5 });
        let (p, _) = ratio_estimate(&[900.0, 100.0], &[a, b]);
        assert!((p - 0.14).abs() < 1e-12, "{p}");
    }

    #[test]
    fn the_table_inverts_as_summing_the_terms_per_person_did() {
        // The inversion the table replaced: the Poisson terms summed for every person.
        let summed = |rate: f64, u: f64| {
            let p0 = (-rate).exp();
            let (mut k, mut p, mut cdf) = (0u32, p0, p0);
            while u >= cdf && k < MAX_SELECTIONS {
                k += 1;
                p *= rate / f64::from(k);
                cdf += p;
            }
            k
        };
        for rate in [1e-4, 0.07, 1.0, 3.4, 40.0] {
            let table = Selections::new(rate);
            let top = 1.0 - f64::EPSILON / 2.0;
            let grid = (0..20_000).map(|i| f64::from(i) / 20_000.0);
            for u in grid.chain([top, table.cdf[table.cdf.len() - 1], 0.0]) {
                assert_eq!(table.times(u), summed(rate, u), "rate {rate}, u {u}");
            }
        }
    }

    #[test]
    fn skipped_draws_never_change_an_answer() {
        // Every combination of incident months (never, in the period, the year before, earlier),
        // of error rates (0 or not) and of draws (0, below and above the rates): the answers
        // with only the needed draws are those with all of them. When no draw is needed, the
        // draws taken are none, so every copy of the respondent answers alike (they are
        // counted at once).
        let w = Window { now: 40 };
        let months = [NEVER, 40, 30, 20, 10];
        let d = Demographics {
            id: crate::person::PersonId(0),
            birth_month: 40 - 12 * 30,
            sex: Sex::Female,
            region: 0,
            slot: Slot::Alive,
            displaced: false,
        };
        let values = [0.0, 0.1, 0.9];
        let (mut checked, mut without_draws) = (0, 0);
        for rates in 0..8 {
            let rate = |bit: u32| if rates >> bit & 1 == 1 { 0.3 } else { 0.0 };
            let s = SurveyParams {
                recall_loss: rate(0),
                telescoping: rate(1),
                gbv_under_disclosure: rate(2),
                ..SurveyParams::default()
            };
            for (physical, sexual, gbv, property, fraud, reported) in histories(&months) {
                let h = VictimHistory {
                    last_physical: physical,
                    last_sexual: sexual,
                    last_gbv: gbv,
                    last_property: property,
                    last_fraud: fraud,
                    last_reported_physical: reported,
                    ..VictimHistory::NONE
                };
                let t = truth(&d, &h, w);
                let needed = Draws::needed(&h, w, &s);
                without_draws += usize::from(!needed);
                for pattern in 0..81u32 {
                    let draw = |j: u32| values[(pattern / 3u32.pow(j - 1) % 3) as usize];
                    let all = Draws {
                        violence_recall: draw(1),
                        gbv_disclosure: draw(2),
                        property_recall: draw(3),
                        fraud_recall: draw(4),
                    };
                    let taken = std::cell::Cell::new(0);
                    let lazy = Draws::for_history(&h, w, &s, |j| {
                        taken.set(taken.get() + 1);
                        draw(j)
                    });
                    assert_eq!(taken.get() > 0, needed, "{h:?}");
                    let (a, b) = (answers(&t, &h, w, &s, &all), answers(&t, &h, w, &s, &lazy));
                    for k in 0..INDICATORS {
                        assert_eq!(
                            a.pair(k),
                            b.pair(k),
                            "{h:?} {s:?} draws {pattern} indicator {k}"
                        );
                    }
                    checked += 1;
                }
            }
        }
        assert!(
            checked > 1_000_000 && without_draws > 1_000,
            "{checked} {without_draws}"
        );
    }

    /// Victimisation histories over `months`: (physical, sexual, gender-based, property, fraud,
    /// reported), gender-based violence never later than the latest violence.
    fn histories(
        months: &[MonthNo],
    ) -> Vec<(MonthNo, MonthNo, MonthNo, MonthNo, MonthNo, MonthNo)> {
        let mut out = Vec::new();
        for &physical in months {
            for &sexual in months {
                for &gbv in months.iter().filter(|&&g| g <= physical.max(sexual)) {
                    for &property in months {
                        for &fraud in months {
                            for &reported in months {
                                out.push((physical, sexual, gbv, property, fraud, reported));
                            }
                        }
                    }
                }
            }
        }
        out
    }

    #[test]
    fn the_reference_period_is_the_twelve_months_up_to_the_interview() {
        let w = Window { now: 23 };
        assert!(w.inside(23) && w.inside(12) && !w.inside(11) && !w.inside(24));
        assert!(w.year_before(11) && w.year_before(0) && !w.year_before(-1));
        assert!(!w.inside(NEVER) && !w.year_before(NEVER));
    }
}
