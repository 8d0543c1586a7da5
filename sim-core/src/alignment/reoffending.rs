//! Reoffending after release (docs/model.md 4.11 and 4.12): the follow-up window of a sample of
//! releases as the alignment sees it (3-year re-arrest, or 1-year proven reoffending as England
//! and Wales publish it), the post-release multiplier m0 solved from the scenario's target, and
//! the hazard multipliers that make in-prison programmes cut re-arrest by their documented
//! relative effect.
//!
//! Why the programme multipliers are solved rather than taken as `1 - effect`: the evidence
//! (Lipsey, Landenberger & Wilson 2007; Davis et al. 2013) reports relative reductions in the
//! *share* of releases who reoffend, and that share is high (45-60% within 3 years) and made of
//! a heterogeneous population, many of whom reoffend almost surely in the first months. Cutting
//! every hazard by 25% then lowers the share by only about 10%, less than half the evidence.
//! The programmes still act on the mechanism (the offending hazard of reached people); only
//! the size of the hazard cut is matched to the evidence's measure.

use crate::alignment::flows::solve_increasing;
use crate::crime_tables::{CrimeTables, probit};
use crate::crime_tables::{ExpectedFlows, PersonView};
use crate::offence::OFFENCE_TYPES;
use crate::params::ModelParams;

/// How reoffending is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Measure {
    /// First arrest within 36 months of release.
    Rearrest3y,
    /// A new offence charged within 12 months of release and convicted within 18 (Ministry of
    /// Justice proven reoffending).
    Proven1y,
}

impl Measure {
    /// Months after the release month in which an arrest counts. Releases happen in the prisons
    /// stage, after offending and policing, so the first month at risk is the one after
    /// release: gaps 1..36 (or 1..12).
    fn at_liberty(self) -> std::ops::Range<u32> {
        match self {
            Measure::Rearrest3y => 1..36,
            Measure::Proven1y => 1..12,
        }
    }
}

/// One releasee's month at liberty.
struct Month {
    /// Each type's offence hazard without the post-release excess.
    hazard: [f64; OFFENCE_TYPES],
    /// Weight of the post-release excess: `exp(-m / tau)`, times the older-release multiplier.
    decay: f64,
}

/// The re-arrest window of a weighted sample of releases.
pub(crate) struct ReleaseWindow {
    /// Per releasee, per month at liberty.
    months: Vec<Vec<Month>>,
    /// Per month at liberty and type: the probability that an offence committed then leads to
    /// an arrest inside the window (prosecution delays push some beyond it).
    arrests: Vec<[f64; OFFENCE_TYPES]>,
    /// Release weights (releases per prisoner: 1 / sentence length).
    weights: Vec<f64>,
    /// For proven reoffending, what follows an arrest.
    cases: Option<CaseOutcomes>,
}

/// What follows an arrest, for proven reoffending: a charge, a case that keeps the person out
/// of reach of new arrests until its disposition (the simulation arrests only people with no
/// open case), and a conviction or an acquittal.
struct CaseOutcomes {
    /// Probability of a charge, by type.
    charge: [f64; OFFENCE_TYPES],
    /// Probability of conviction at disposition, by type (detained defendants more often).
    convict: [f64; OFFENCE_TYPES],
    /// Probability that disposition comes `d` months after the charge, d = 0.. (procedural
    /// time rounded to whole months, at least one).
    months_to_disposition: Vec<f64>,
}

impl ReleaseWindow {
    /// The window of `releasees` under the current base hazards of `t`; `None` without any.
    pub fn new(
        p: &ModelParams,
        t: &CrimeTables,
        flows: &ExpectedFlows,
        releasees: &[PersonView],
        measure: Measure,
    ) -> Option<Self> {
        if releasees.is_empty() {
            return None;
        }
        let tau = p.prisons.post_release_decay_months;
        // Released people start out of work and find jobs at the job-finding rate (one economy
        // step before each offending stage), approaching the regional unemployment rate.
        let f = p.economy.job_finding_per_month;
        let months = releasees
            .iter()
            .map(|v| {
                let u = p.regions[v.region as usize]
                    .unemployment_rate
                    .clamp(0.0, 0.95);
                let s = f * u / (1.0 - u);
                let older = if v.age_years >= 65 {
                    p.prisons.older_release_multiplier
                } else {
                    1.0
                };
                measure
                    .at_liberty()
                    .map(|m| {
                        let age = v.age_years + m / 12;
                        let jobless = if v.unemployed {
                            u + (1.0 - u) * (1.0 - f - s).max(0.0).powi(m as i32)
                        } else {
                            u
                        };
                        let hazard = std::array::from_fn(|c| {
                            let w = |unemployed| {
                                t.person_weight(c, v.region, v.sex, age, unemployed, v.propensity)
                            };
                            t.base[c] * (jobless * w(true) + (1.0 - jobless) * w(false))
                        });
                        Month {
                            hazard,
                            decay: (-(f64::from(m)) / tau).exp() * older,
                        }
                    })
                    .collect()
            })
            .collect();
        let window = measure.at_liberty().end;
        let arrests = measure
            .at_liberty()
            .map(|m| {
                std::array::from_fn(|c| {
                    let delay = p.crime.types[c].prosecution_delay_years * 12.0;
                    let in_window = if delay > 0.0 {
                        1.0 - (-f64::from(window - m) / delay).exp()
                    } else {
                        1.0
                    };
                    flows.arrest_probability[c] * in_window
                })
            })
            .collect();
        let cases = (measure == Measure::Proven1y).then(|| case_outcomes(p, t));
        Some(ReleaseWindow {
            months,
            arrests,
            weights: releasees.iter().map(|v| v.weight).collect(),
            cases,
        })
    }

    /// Mean probability of reoffending (by the window's measure) with post-release multiplier
    /// `m0` and every hazard times `factor` (a programme's cut). The simulation draws each type
    /// at most once a month (probability 1 - exp(-lambda)) and arrests with the type's arrest
    /// probability; this mirrors exactly that.
    pub fn reoffending(&self, m0: f64, factor: f64) -> f64 {
        use rayon::prelude::*;
        let total: f64 = self.weights.iter().sum();
        // Blocks of releasees in parallel, summed in block order: the order of the sum depends
        // on the constant block size only, never on the threads.
        let blocks: Vec<f64> = self
            .months
            .par_chunks(RELEASEES_PER_BLOCK)
            .zip(self.weights.par_chunks(RELEASEES_PER_BLOCK))
            .map(|(months, weights)| {
                months
                    .iter()
                    .zip(weights)
                    .map(|(months, w)| w * self.share(months, m0, factor))
                    .sum::<f64>()
            })
            .collect();
        blocks.iter().sum::<f64>() / total
    }

    /// One releasee's probability of reoffending (by the window's measure).
    fn share(&self, months: &[Month], m0: f64, factor: f64) -> f64 {
        let mut arrested = [0.0; OFFENCE_TYPES];
        let mut arrest_in = |m: usize, month: &Month| {
            let mult = (1.0 + (m0 - 1.0) * month.decay) * factor;
            for (c, a) in arrested.iter_mut().enumerate() {
                *a = (1.0 - (-month.hazard[c] * mult).exp()) * self.arrests[m][c];
            }
            arrested
        };
        match &self.cases {
            None => {
                // The first arrest ends the measure: a product over months and types.
                let mut free = 1.0;
                for (m, month) in months.iter().enumerate() {
                    free *= arrest_in(m, month).iter().map(|a| 1.0 - a).product::<f64>();
                }
                1.0 - free
            }
            Some(cases) => cases.proven(months.len(), |m| arrest_in(m, &months[m])),
        }
    }
}

/// Releasees per parallel block of [`ReleaseWindow::reoffending`] (a few ms of exponentials).
const RELEASEES_PER_BLOCK: usize = 256;

impl CaseOutcomes {
    /// Probability of proven reoffending over `n` months at liberty (months 1..=n after release)
    /// given each month's arrest probability by type for a person within reach. A person is
    /// within reach until a charge; an acquittal brings them back `d` months later, a
    /// conviction ends the measure (proven if within 18 months of release).
    fn proven(&self, n: usize, mut arrests: impl FnMut(usize) -> [f64; OFFENCE_TYPES]) -> f64 {
        // reach[m]: probability of being within reach (no open case, not yet convicted) in
        // month m + 1 after release.
        let mut reach = [0.0f64; 24];
        reach[0] = 1.0;
        let mut proven = 0.0;
        for m in 0..n {
            if reach[m] <= 0.0 {
                continue;
            }
            let month_after = m as u32 + 1;
            let a = arrests(m);
            // The simulation arrests at most one offence a month per person: the first type
            // drawn. Near enough for rare multiple arrests: types in turn.
            let mut none_before = 1.0;
            let mut charged_total = 0.0;
            for c in 0..OFFENCE_TYPES {
                let p_arrest = none_before * a[c];
                none_before *= 1.0 - a[c];
                let charged = reach[m] * p_arrest * self.charge[c];
                charged_total += charged;
                for (d, pd) in self.months_to_disposition.iter().enumerate() {
                    let at = month_after + d as u32;
                    if at <= 17 {
                        proven += charged * pd * self.convict[c];
                    }
                    let back = m + d + 1;
                    if back < n {
                        reach[back] += charged * pd * (1.0 - self.convict[c]);
                    }
                }
            }
            if m + 1 < n {
                reach[m + 1] += reach[m] - charged_total;
            }
        }
        proven
    }
}

/// Charge and conviction probabilities by type and the distribution of months from charge to
/// disposition: the log-normal procedural time rounded to whole months (at least one), as the
/// courts draw it. Court queues beyond procedural time are not counted: where courts are
/// congested, proven reoffending comes out a little below its target.
fn case_outcomes(p: &ModelParams, t: &CrimeTables) -> CaseOutcomes {
    let (mu, sigma) = t.procedure;
    let sigma = sigma.max(1e-9);
    let cdf = |months: f64| normal_cdf((months.ln() - mu) / sigma);
    // d = 0 is impossible; d >= 18 never counts, so the list stops at 17.
    let months_to_disposition = (0..18)
        .map(|d| match d {
            0 => 0.0,
            1 => cdf(1.5),
            _ => cdf(d as f64 + 0.5) - cdf(d as f64 - 0.5),
        })
        .collect();
    CaseOutcomes {
        charge: std::array::from_fn(|c| p.crime.types[c].charge),
        convict: std::array::from_fn(|c| {
            let kind = &p.crime.types[c];
            let detained = t.detention[c].clamp(0.0, 1.0);
            detained * (kind.conviction + p.justice.detained_conviction_boost).min(1.0)
                + (1.0 - detained) * kind.conviction
        }),
        months_to_disposition,
    }
}

/// The standard normal distribution function, as the inverse of [`probit`] (bisection; used a
/// few dozen times at setup).
fn normal_cdf(x: f64) -> f64 {
    if x > 8.0 {
        return 1.0;
    }
    if x < -8.0 {
        return 0.0;
    }
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if probit(mid) < x {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Solves the post-release multiplier m0 so that the mean reoffending probability of the
/// released sample matches the scenario's target: 1-year proven reoffending when it is given,
/// else 3-year re-arrest.
pub(crate) fn align_release_multiplier(
    p: &ModelParams,
    t: &mut CrimeTables,
    flows: &ExpectedFlows,
    releasees: &[PersonView],
) {
    let proven_target = p.prisons.proven_reoffending_1y_target;
    let (target, label, measure) = if proven_target > 0.0 {
        (
            proven_target,
            "1-year proven reoffending",
            Measure::Proven1y,
        )
    } else {
        (
            p.prisons.rearrest_3y_target,
            "3-year re-arrest",
            Measure::Rearrest3y,
        )
    };
    let window = ReleaseWindow::new(p, t, flows, releasees, measure);
    let Some(w) = window.as_ref().filter(|_| target > 0.0) else {
        t.release_m0 = 1.0;
        return;
    };
    let share = |m0: f64| w.reoffending(m0, 1.0);
    t.release_m0 = match solve_increasing(share, target, 1.0, 1e4) {
        Some(m) => m,
        None if share(1.0) > target => {
            t.warnings.push(format!(
                "{label}: even without a post-release excess {:.0}% of releases would reoffend, above the target {:.0}%",
                100.0 * share(1.0),
                100.0 * target
            ));
            1.0
        }
        None => {
            t.warnings.push(format!(
                "{label}: target {:.0}% unreachable",
                100.0 * target
            ));
            1e4
        }
    };
}

/// Sets each intervention's offending multiplier for reached people: for the in-prison
/// programmes (CBT, education), the hazard cut that lowers 3-year re-arrest of the sampled
/// `releasees` by the intervention's relative effect; `1 - effect` for every other one, whose
/// evidence is about rare events where hazard and probability fall alike. The re-arrest window
/// is built only when an in-prison programme is in the scenario.
pub(crate) fn align_programme_multipliers(
    p: &ModelParams,
    t: &mut CrimeTables,
    flows: &ExpectedFlows,
    releasees: &[PersonView],
) {
    let window = p
        .interventions
        .iter()
        .any(|iv| iv.mechanism.in_prison_programme())
        .then(|| ReleaseWindow::new(p, t, flows, releasees, Measure::Rearrest3y))
        .flatten();
    let m0 = t.release_m0;
    t.programme_multiplier = p
        .interventions
        .iter()
        .map(|iv| {
            let plain = (1.0 - iv.effect).max(0.0);
            let Some(w) = window
                .as_ref()
                .filter(|_| iv.mechanism.in_prison_programme() && iv.effect > 0.0)
            else {
                return plain;
            };
            if iv.effect >= 1.0 {
                return 0.0;
            }
            let target = (1.0 - iv.effect) * w.reoffending(m0, 1.0);
            if target.is_nan() || target <= 0.0 {
                return plain;
            }
            solve_increasing(|f| w.reoffending(m0, f), target, 0.0, 1.0).unwrap_or(plain)
        })
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cases(charge: f64, convict: f64, months: usize) -> CaseOutcomes {
        let mut months_to_disposition = vec![0.0; 18];
        months_to_disposition[months] = 1.0;
        CaseOutcomes {
            charge: [charge; OFFENCE_TYPES],
            convict: [convict; OFFENCE_TYPES],
            months_to_disposition,
        }
    }

    fn one_type(a: f64) -> [f64; OFFENCE_TYPES] {
        let mut x = [0.0; OFFENCE_TYPES];
        x[0] = a;
        x
    }

    #[test]
    fn with_certain_charges_and_convictions_proven_is_the_chance_of_any_arrest() {
        let a = 0.1;
        let p = cases(1.0, 1.0, 1).proven(11, |_| one_type(a));
        assert!((p - (1.0 - (1.0f64 - a).powi(11))).abs() < 1e-12, "{p}");
        assert_eq!(cases(1.0, 0.0, 1).proven(11, |_| one_type(a)), 0.0);
    }

    #[test]
    fn an_open_case_keeps_a_person_from_new_arrests_and_late_verdicts_do_not_count() {
        // Half the cases end in acquittal after 6 months; while a case is open the person
        // cannot be arrested, so proven reoffending falls below the independent-chances
        // product.
        let a = 0.3;
        let p = cases(1.0, 0.5, 6).proven(11, |_| one_type(a));
        let independent = 1.0 - (1.0 - a * 0.5f64).powi(11);
        assert!(p < independent - 0.05, "{p} vs {independent}");
        // Verdicts 12 months after charge count only for arrests in the first 5 months.
        let late = cases(1.0, 1.0, 12).proven(11, |_| one_type(a));
        assert!(
            (late - (1.0 - (1.0f64 - a).powi(5))).abs() < 1e-12,
            "{late}"
        );
    }

    #[test]
    fn normal_cdf_inverts_probit() {
        for x in [-2.5, -1.0, 0.0, 0.3, 1.96] {
            assert!((probit(normal_cdf(x)) - x).abs() < 1e-8);
        }
        assert!((normal_cdf(1.959964) - 0.975).abs() < 1e-6);
    }
}
