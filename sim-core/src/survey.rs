//! The crime victimisation survey: how a statistics office measures SDG 16.1.3 (violence), 16.3.1
//! (reporting) and gender-based violence, simulated on the model's persons (docs/model.md, "How
//! the indicators are measured").
//!
//! Each December a sample of persons aged 15+ living in households (not in custody) is drawn,
//! stratified by region in proportion to its population; respondents are asked whether they
//! were victims of violence, gender-based violence or property crime in the past 12 months, and
//! whether they reported the violence to the police. Their answers carry the survey's errors:
//! non-response, forgotten incidents, incidents of the year before telescoped into the
//! reference period, and undisclosed gender-based violence.
//!
//! Estimates are design-based: each region's respondents are weighted to the region's
//! population, and every indicator is a ratio of weighted totals (a prevalence over the whole
//! sample, over a domain such as women 15-49, or the reporting rate among victims) with its
//! Taylor-linearised standard error. Sampling is with replacement within a region: an agent
//! stands for many persons, and a real survey's sampling fraction is negligible. Beside each
//! estimate stands the true value in the same target population, from every person's history.

use crate::params::SurveyParams;
use crate::person::{Demographics, Experience, MonthNo, NEVER, Sex, Slot, VictimHistory};
use crate::rng::{MonthKey, to_unit};

/// Youngest age asked (SDG 16.1.3 counts persons aged 15 and over).
pub const SURVEY_MIN_AGE: u32 = 15;

/// The survey's indicators, named as the `indicators_yearly.csv` columns they estimate.
pub const SURVEY_INDICATORS: [&str; 4] = [
    "violence_prevalence_pct",
    "gbv_prevalence_women_pct",
    "property_victimisation_pct",
    "reporting_rate_pct",
];

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
    pub estimates: [SurveyEstimate; 4],
}

/// What a person experienced, or says: numerator and denominator flags of each indicator.
#[derive(Clone, Copy, Debug, Default)]
struct Answers {
    violence: bool,
    woman_15_49: bool,
    gbv: bool,
    property: bool,
    reported: bool,
}

impl Answers {
    /// (numerator, denominator) of indicator `i`.
    fn pair(&self, i: usize) -> (bool, bool) {
        match i {
            0 => (self.violence, true),
            1 => (self.gbv && self.woman_15_49, self.woman_15_49),
            2 => (self.property, true),
            _ => (self.violence && self.reported, self.violence),
        }
    }
}

/// Sums of one indicator's numerator `y` and denominator `x` over a set of persons.
#[derive(Clone, Copy, Debug, Default)]
struct Sums {
    n: f64,
    y: f64,
    x: f64,
    yy: f64,
    xx: f64,
    xy: f64,
}

impl Sums {
    fn add(&mut self, (y, x): (bool, bool)) {
        let (y, x) = (f64::from(u8::from(y)), f64::from(u8::from(x)));
        self.n += 1.0;
        self.y += y;
        self.x += x;
        self.yy += y * y;
        self.xx += x * x;
        self.xy += x * y;
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
        reported: w.inside(h.last_reported()),
    }
}

/// The uniform draws one respondent's answers use.
struct Draws {
    violence_recall: f64,
    gbv_disclosure: f64,
    property_recall: f64,
}

/// What a respondent says, with recall error, telescoping and under-disclosure.
fn answers(d: &Demographics, h: &VictimHistory, w: Window, s: &SurveyParams, u: &Draws) -> Answers {
    let true_answers = truth(d, h, w);
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
        woman_15_49: true_answers.woman_15_49,
        gbv,
        property: says(h.last_property, u.property_recall),
        reported,
    }
}

/// Ratio estimate and standard error from per-stratum sums: `weights[h]` is the stratum's
/// population, `sample[h]` its respondents' sums.
fn ratio_estimate(weights: &[f64], sample: &[Sums]) -> (f64, f64) {
    let (mut yhat, mut xhat) = (0.0, 0.0);
    for (n, s) in weights.iter().zip(sample) {
        if s.n > 0.0 {
            yhat += n * s.y / s.n;
            xhat += n * s.x / s.n;
        }
    }
    if xhat <= 0.0 {
        return (f64::NAN, f64::NAN);
    }
    let r = yhat / xhat;
    let mut var = 0.0;
    for (n, s) in weights.iter().zip(sample) {
        if s.n < 2.0 {
            continue;
        }
        // z = y - r x, the linearised variable of the ratio.
        let sum_z = s.y - r * s.x;
        let sum_zz = s.yy - 2.0 * r * s.xy + r * r * s.xx;
        let s2 = (sum_zz - sum_z * sum_z / s.n) / (s.n - 1.0);
        var += n * n * s2.max(0.0) / s.n;
    }
    (r, var.sqrt() / xhat)
}

/// Draw indices of a sample member: attempts to find an eligible person count up from 0, the
/// answer draws sit at the top of the replicate's index range.
const ANSWER_DRAWS: u32 = 0x00ff_fff0;

/// Whether the person in `row` is in the target population (alive, in a household, 15+).
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

/// Conducts one year's survey on the persons `demo` and `experience` (row-aligned), stratified
/// by the `regions` regions.
pub fn conduct(
    demo: &[Demographics],
    experience: &[Experience],
    regions: usize,
    s: &SurveyParams,
    f: Fieldwork,
) -> SurveyYear {
    let w = Window { now: f.now };
    let mut population = vec![0.0f64; regions];
    let mut true_sums = vec![[Sums::default(); 4]; regions];
    for (d, e) in demo.iter().zip(experience) {
        if !eligible(d, f.now) {
            continue;
        }
        let r = d.region as usize;
        population[r] += 1.0;
        let t = truth(d, &e.victim, w);
        for (i, sums) in true_sums[r].iter_mut().enumerate() {
            sums.add(t.pair(i));
        }
    }
    // Each sample member is a person of the real population, represented by the agent drawn
    // for them: the sample size is not scaled by the agents' scale.
    let issued = s.issued_sample.round() as u32;
    let quotas = proportional_quotas(&population, issued);
    let rows = demo.len() as u64;
    let mut sample = vec![[Sums::default(); 4]; regions];
    let mut member = 0u32;
    let mut respondents = 0u32;
    let base = f.replicate << 24;
    for (h, &quota) in quotas.iter().enumerate() {
        // Rejection sampling over rows: expected attempts rows / population[h] per member.
        let max_attempts =
            ((rows as f64 / population[h].max(1.0)) * 64.0).min(f64::from(ANSWER_DRAWS)) as u32;
        for _ in 0..quota {
            let i = member;
            member += 1;
            let mut found = None;
            for j in 0..max_attempts.max(1) {
                let row = (to_unit(f.key.bits(i, base | j)) * rows as f64) as usize;
                let d = &demo[row.min(demo.len() - 1)];
                if d.region as usize == h && eligible(d, f.now) {
                    found = Some(row.min(demo.len() - 1));
                    break;
                }
            }
            let Some(row) = found else { continue };
            if to_unit(f.key.bits(i, base | ANSWER_DRAWS)) >= s.response_rate {
                continue;
            }
            respondents += 1;
            let u = Draws {
                violence_recall: to_unit(f.key.bits(i, base | (ANSWER_DRAWS + 1))),
                gbv_disclosure: to_unit(f.key.bits(i, base | (ANSWER_DRAWS + 2))),
                property_recall: to_unit(f.key.bits(i, base | (ANSWER_DRAWS + 3))),
            };
            let a = answers(&demo[row], &experience[row].victim, w, s, &u);
            for (k, sums) in sample[h].iter_mut().enumerate() {
                sums.add(a.pair(k));
            }
        }
    }
    let estimates = std::array::from_fn(|k| {
        let by_stratum: Vec<Sums> = sample.iter().map(|s| s[k]).collect();
        let (value, se) = ratio_estimate(&population, &by_stratum);
        let true_total: Sums = true_sums.iter().fold(Sums::default(), |mut a, s| {
            a.y += s[k].y;
            a.x += s[k].x;
            a
        });
        SurveyEstimate {
            value: 100.0 * value,
            se: 100.0 * se,
            truth: if true_total.x > 0.0 {
                100.0 * true_total.y / true_total.x
            } else {
                f64::NAN
            },
            base: by_stratum.iter().map(|s| s.x as u32).sum(),
        }
    });
    SurveyYear {
        year: f.year,
        issued: member,
        respondents,
        estimates,
    }
}

/// Splits `n` sample members over strata in proportion to `population` (largest remainders).
fn proportional_quotas(population: &[f64], n: u32) -> Vec<u32> {
    let total: f64 = population.iter().sum();
    if total <= 0.0 {
        return vec![0; population.len()];
    }
    let exact: Vec<f64> = population
        .iter()
        .map(|p| f64::from(n) * p / total)
        .collect();
    let mut quotas: Vec<u32> = exact.iter().map(|e| e.floor() as u32).collect();
    let mut left = n - quotas.iter().sum::<u32>();
    let mut order: Vec<usize> = (0..population.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (exact[a] - exact[a].floor(), exact[b] - exact[b].floor());
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &h in order.iter().cycle().take(population.len() * 2) {
        if left == 0 {
            break;
        }
        if population[h] > 0.0 {
            quotas[h] += 1;
            left -= 1;
        }
    }
    quotas
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotas_follow_population_and_sum_to_the_sample() {
        let q = proportional_quotas(&[350.0, 250.0, 0.0, 220.0, 180.0], 1001);
        // 350.35, 250.25, 0, 220.22, 180.18: the largest remainder takes the last member.
        assert_eq!(q, vec![351, 250, 0, 220, 180]);
        assert_eq!(proportional_quotas(&[0.0, 0.0], 10), vec![0, 0]);
    }

    #[test]
    fn one_stratum_gives_the_textbook_proportion_and_its_standard_error() {
        let mut s = Sums::default();
        for k in 0..10 {
            s.add((k < 3, true));
        }
        let (p, se) = ratio_estimate(&[1000.0], &[s]);
        assert!((p - 0.3).abs() < 1e-12);
        // s^2 = n/(n-1) p(1-p); se = sqrt(s^2/n) = sqrt(p(1-p)/(n-1)).
        assert!((se - (0.21f64 / 9.0).sqrt()).abs() < 1e-12, "{se}");
    }

    #[test]
    fn strata_are_weighted_by_population_not_by_sample_size() {
        let (mut a, mut b) = (Sums::default(), Sums::default());
        for k in 0..100 {
            a.add((k < 10, true)); // 10% in a stratum of 900 people
        }
        for k in 0..10 {
            b.add((k < 5, true)); // 50% in a stratum of 100 people
        }
        let (p, _) = ratio_estimate(&[900.0, 100.0], &[a, b]);
        assert!((p - 0.14).abs() < 1e-12, "{p}");
    }

    #[test]
    fn the_reference_period_is_the_twelve_months_up_to_the_interview() {
        let w = Window { now: 23 };
        assert!(w.inside(23) && w.inside(12) && !w.inside(11) && !w.inside(24));
        assert!(w.year_before(11) && w.year_before(0) && !w.year_before(-1));
        assert!(!w.inside(NEVER) && !w.year_before(NEVER));
    }
}
