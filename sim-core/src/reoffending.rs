//! Reoffending after release (MODEL.md 4.11 and 4.12): the 36-month re-arrest window of a
//! sample of releases as the alignment sees it, the post-release multiplier m0 solved from the
//! scenario's re-arrest target, and the hazard multipliers that make in-prison programmes cut
//! re-arrest by their documented relative effect.
//!
//! Why the programme multipliers are solved rather than taken as `1 - effect`: the evidence
//! (Lipsey, Landenberger & Wilson 2007; Davis et al. 2013) reports relative reductions in the
//! *share* of releases who reoffend, and that share is high (45-60% within 3 years) and made of
//! a heterogeneous population, many of whom reoffend almost surely in the first months. Cutting
//! every hazard by 25% then lowers the share by only about 10%, less than half the evidence.
//! The programmes still act on the mechanism (the offending hazard of reached people); only
//! the size of the hazard cut is matched to the evidence's measure.

use crate::calibration::{ExpectedFlows, PersonView, solve_increasing};
use crate::crime_tables::CrimeTables;
use crate::interventions::InterventionKind;
use crate::offence::OFFENCE_TYPES;
use crate::params::ModelParams;

/// Months of the 36-month re-arrest window (gaps 0..36 after the release month) that a release
/// spends at liberty: releases happen in the prisons stage, after offending and policing, so
/// the first month at risk is the one after release.
const AT_LIBERTY: std::ops::Range<u32> = 1..36;

/// One releasee's month at liberty.
struct Month {
    /// Each type's offence hazard without the post-release excess.
    hazard: [f64; OFFENCE_TYPES],
    /// Weight of the post-release excess: `exp(-m / tau)`, times the older-release multiplier.
    decay: f64,
}

/// The re-arrest window of a weighted sample of releases.
pub struct ReleaseWindow {
    /// Per releasee, per month at liberty.
    months: Vec<Vec<Month>>,
    /// Per month at liberty and type: the share of arrests that fall inside the window
    /// (prosecution delays push some beyond it).
    in_window: Vec<[f64; OFFENCE_TYPES]>,
    /// Release weights (releases per prisoner: 1 / sentence length).
    weights: Vec<f64>,
    /// Probability that an offence of each type leads to an arrest.
    arrest: [f64; OFFENCE_TYPES],
}

impl ReleaseWindow {
    /// The window of `releasees` under the current base hazards of `t`; `None` without any.
    pub fn new(
        p: &ModelParams,
        t: &CrimeTables,
        flows: &ExpectedFlows,
        releasees: &[PersonView],
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
                AT_LIBERTY
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
        let in_window = AT_LIBERTY
            .map(|m| {
                std::array::from_fn(|c| {
                    let delay = p.crime.types[c].prosecution_delay_years * 12.0;
                    if delay > 0.0 {
                        1.0 - (-f64::from(36 - m) / delay).exp()
                    } else {
                        1.0
                    }
                })
            })
            .collect();
        Some(ReleaseWindow {
            months,
            in_window,
            weights: releasees.iter().map(|v| v.weight).collect(),
            arrest: flows.arrest_probability,
        })
    }

    /// Mean 3-year re-arrest probability with post-release multiplier `m0` and every hazard
    /// times `factor` (a programme's cut). The simulation draws each type at most once a month
    /// (probability 1 - exp(-lambda)) and arrests with the type's arrest probability; this
    /// mirrors exactly that.
    pub fn rearrest(&self, m0: f64, factor: f64) -> f64 {
        let total: f64 = self.weights.iter().sum();
        self.months
            .iter()
            .zip(&self.weights)
            .map(|(months, w)| {
                let mut free = 1.0;
                for (month, in_window) in months.iter().zip(&self.in_window) {
                    let mult = (1.0 + (m0 - 1.0) * month.decay) * factor;
                    for c in 0..OFFENCE_TYPES {
                        let offend = 1.0 - (-month.hazard[c] * mult).exp();
                        free *= 1.0 - offend * self.arrest[c] * in_window[c];
                    }
                }
                w * (1.0 - free)
            })
            .sum::<f64>()
            / total
    }
}

/// Solves the post-release multiplier m0 so that the mean 3-year re-arrest probability of the
/// released sample matches the target; returns the window it used.
pub fn align_release_multiplier(
    p: &ModelParams,
    t: &mut CrimeTables,
    flows: &ExpectedFlows,
    releasees: &[PersonView],
) -> Option<ReleaseWindow> {
    let target = p.prisons.rearrest_3y_target;
    let window = ReleaseWindow::new(p, t, flows, releasees);
    let Some(w) = window.as_ref().filter(|_| target > 0.0) else {
        t.release_m0 = 1.0;
        return window;
    };
    let rearrest = |m0: f64| w.rearrest(m0, 1.0);
    t.release_m0 = match solve_increasing(rearrest, target, 1.0, 1e4) {
        Some(m) => m,
        None if rearrest(1.0) > target => {
            t.warnings.push(format!(
                "re-arrest: even without a post-release excess {:.0}% of releases would be re-arrested in 3 years, above the target {:.0}%",
                100.0 * rearrest(1.0),
                100.0 * target
            ));
            1.0
        }
        None => {
            t.warnings.push(format!(
                "re-arrest: target {:.0}% unreachable",
                100.0 * target
            ));
            1e4
        }
    };
    window
}

/// Sets each intervention's offending multiplier for reached people: for the in-prison
/// programmes (CBT, education), the hazard cut that lowers 3-year re-arrest of the sampled
/// releases by the intervention's relative effect; `1 - effect` for every other one, whose
/// evidence is about rare events where hazard and probability fall alike.
pub fn align_programme_multipliers(
    p: &ModelParams,
    t: &mut CrimeTables,
    w: Option<&ReleaseWindow>,
) {
    t.programme_multiplier = p
        .interventions
        .iter()
        .map(|iv| {
            let plain = (1.0 - iv.effect).max(0.0);
            let reoffending = matches!(
                iv.kind,
                InterventionKind::CbtInPrison | InterventionKind::PrisonEducation
            );
            let Some(w) = w.filter(|_| reoffending && iv.effect > 0.0) else {
                return plain;
            };
            if iv.effect >= 1.0 {
                return 0.0;
            }
            let m0 = t.release_m0;
            let target = (1.0 - iv.effect) * w.rearrest(m0, 1.0);
            // Plain bisection: 40 halvings of [0, 1] are finer than any effect is known.
            let (mut lo, mut hi) = (0.0f64, 1.0f64);
            if target.is_nan() || target <= 0.0 {
                return plain;
            }
            for _ in 0..40 {
                let mid = 0.5 * (lo + hi);
                if w.rearrest(m0, mid) < target {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            0.5 * (lo + hi)
        })
        .collect();
}
