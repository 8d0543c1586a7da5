//! Static per-type tables derived from the parameters (age curves, sex and inequality
//! multipliers) and the calibrated quantities the alignment solves at start (base hazards,
//! reporting, detention and custody scales, the post-release multiplier).
//!
//! **Architecture Invariant:** the offending stage and the alignment use the same weight
//! function ([`CrimeTables::person_weight`]), so what is aligned is what is simulated.

use bevy_ecs::prelude::Resource;

use crate::curves::AgeCurve;
use crate::metrics::AGE_BINS;
use crate::offence::{OFFENCE_TYPES, OffenceType};
use crate::params::{MAX_REGIONS, ModelParams};

/// Youngest age of online-fraud victims (years): the adult population of the survey and of
/// SDG 16.1.3.
pub(crate) const FRAUD_MIN_VICTIM_AGE: f64 = 15.0;

/// Derived and calibrated crime and justice quantities; read-only during a run.
#[derive(Resource, Clone, Debug)]
pub struct CrimeTables {
    /// Offending age curve by type and single year of age (0 below the minimum age).
    pub offend_age: [[f64; AGE_BINS]; OFFENCE_TYPES],
    /// Offending multiplier by type and sex (mean 1 over equal numbers of men and women).
    pub offend_sex: [[f64; 2]; OFFENCE_TYPES],
    /// Victimisation age curve by type.
    pub victim_age: [[f64; AGE_BINS]; OFFENCE_TYPES],
    /// Victimisation multiplier by type and sex.
    pub victim_sex: [[f64; 2]; OFFENCE_TYPES],
    /// Inequality multiplier by type and region.
    pub inequality: [[f64; MAX_REGIONS]; OFFENCE_TYPES],
    /// Offending multiplier for unemployed and NEET people.
    pub unemployed: f64,
    /// Calibrated monthly base hazard by type.
    pub base: [f64; OFFENCE_TYPES],
    /// Probability that a victim reports, after the calibrated scale for violence.
    pub report: [f64; OFFENCE_TYPES],
    /// Share of property offences that are robberies (ICCS 0401), solved at start from the
    /// observed robbery prevalence.
    pub robbery_share: f64,
    /// Probability of pre-trial detention on charge, after the calibrated scale.
    pub detention: [f64; OFFENCE_TYPES],
    /// Probability of custody on conviction, after the calibrated scale.
    pub custody: [f64; OFFENCE_TYPES],
    /// Post-release multiplier at release, m0 (solved from the re-arrest target).
    pub release_m0: f64,
    /// The post-release decay `exp(-t / decay)` for whole months `t` since release, and the
    /// decay (months) it was computed for: the offending pass reads it for everyone ever
    /// released instead of an exponential per person-month (same values, bit for bit).
    release_decay: (f64, Vec<f64>),
    /// Per scenario intervention: the offending multiplier for reached people at full
    /// intensity (see [`crate::alignment::reoffending::align_programme_multipliers`]); empty before setup,
    /// when `1 - effect` applies.
    pub programme_multiplier: Vec<f64>,
    /// The people released in the three years before the start, as set-up drew them: the
    /// programme multipliers are solved from them (again when a snapshot is branched).
    pub setup_releasees: Vec<PersonView>,
    /// Log-normal parameters (mu, sigma) of procedural time in months.
    pub procedure: (f64, f64),
    /// Year-one national occupancy (the reference for overcrowding effects).
    pub baseline_occupancy: f64,
    /// Problems the alignment could not solve exactly (carried into provenance).
    pub warnings: Vec<String>,
    /// The expected year-one flows the alignment worked with.
    pub expected: ExpectedFlows,
}

/// Months since release covered by the post-release decay table (50 years; later months are
/// computed when met).
const RELEASE_DECAY_MONTHS: usize = 600;

/// `exp(-t / decay)` for `t` in `0..RELEASE_DECAY_MONTHS`, with the decay it is for.
fn release_decay_table(decay: f64) -> (f64, Vec<f64>) {
    let table = (0..RELEASE_DECAY_MONTHS)
        .map(|t| (-(t as f64) / decay).exp())
        .collect();
    (decay, table)
}

impl CrimeTables {
    /// Static tables from the parameters; calibrated fields start at their uncalibrated values.
    pub fn new(p: &ModelParams) -> Self {
        let c = &p.crime;
        let mut offend_age = [[0.0; AGE_BINS]; OFFENCE_TYPES];
        let mut victim_age = [[0.0; AGE_BINS]; OFFENCE_TYPES];
        let mut offend_sex = [[1.0; 2]; OFFENCE_TYPES];
        let mut victim_sex = [[1.0; 2]; OFFENCE_TYPES];
        let mut inequality = [[1.0; MAX_REGIONS]; OFFENCE_TYPES];
        let mean_gini = p
            .regions
            .iter()
            .map(|r| r.gini * r.population_share)
            .sum::<f64>()
            / p.regions
                .iter()
                .map(|r| r.population_share)
                .sum::<f64>()
                .max(1e-12);
        for (i, t) in c.types.iter().enumerate() {
            offend_age[i] =
                AgeCurve::offending(t.peak_age, t.half_peak_age, c.rise_half_age).table(c.min_age);
            let kind = OffenceType::from_index(i);
            let curve = AgeCurve::new(t.victim_peak_age, t.victim_half_peak_age);
            victim_age[i] = if kind == OffenceType::Fraud {
                // Online fraud reaches adults who are online: the risk per person online times
                // the age group's access (lower at 65+); the region's access and displacement
                // enter with the victim pool's cells.
                let mut a = curve.table(FRAUD_MIN_VICTIM_AGE);
                for (years, v) in a.iter_mut().enumerate() {
                    *v *= crate::digital::age_multiplier(p, years as u32);
                }
                a
            } else {
                curve.table(0.0)
            };
            offend_sex[i] = [2.0 * t.male_share, 2.0 * (1.0 - t.male_share)];
            victim_sex[i] = [2.0 * t.victim_male_share, 2.0 * (1.0 - t.victim_male_share)];
            if matches!(kind, OffenceType::Homicide | OffenceType::Assault) {
                for (r, region) in p.regions.iter().enumerate() {
                    inequality[i][r] = (region.gini / mean_gini).powf(c.gini_elasticity);
                }
            }
        }
        let j = &p.justice;
        let procedure = (j.procedure_months.ln(), j.procedure_log_sd);
        CrimeTables {
            offend_age,
            offend_sex,
            victim_age,
            victim_sex,
            inequality,
            unemployed: c.unemployed_multiplier,
            base: [0.0; OFFENCE_TYPES],
            report: std::array::from_fn(|i| c.types[i].report),
            robbery_share: 0.0,
            detention: std::array::from_fn(|i| c.types[i].detention),
            custody: std::array::from_fn(|i| c.types[i].custody),
            release_m0: 1.0,
            release_decay: release_decay_table(p.prisons.post_release_decay_months),
            programme_multiplier: Vec::new(),
            setup_releasees: Vec::new(),
            procedure,
            baseline_occupancy: p.prisons.occupancy_pct / 100.0,
            warnings: Vec::new(),
            expected: ExpectedFlows::default(),
        }
    }

    /// The offending weight of a person for type `c` without the base hazard and the
    /// time-varying multipliers (deterrence, heat, release, programmes).
    #[inline]
    pub fn person_weight(
        &self,
        c: usize,
        region: u8,
        sex: usize,
        age_years: u32,
        unemployed: bool,
        propensity: f64,
    ) -> f64 {
        let a = (age_years as usize).min(AGE_BINS - 1);
        let emp = if unemployed { self.unemployed } else { 1.0 };
        self.offend_age[c][a]
            * self.offend_sex[c][sex]
            * self.inequality[c][region as usize]
            * emp
            * propensity
    }

    /// Post-release multiplier `t` months after release, for someone released at
    /// `age_at_release` years, with national occupancy `occupancy` (prisoners per bed).
    #[inline]
    pub fn release_multiplier(
        &self,
        months_since: i32,
        age_at_release: u32,
        occupancy: f64,
        p: &ModelParams,
    ) -> f64 {
        if months_since < 0 {
            return 1.0;
        }
        let pr = &p.prisons;
        let older = if age_at_release >= 65 {
            pr.older_release_multiplier
        } else {
            1.0
        };
        let crowding = 1.0
            + pr.overcrowding_reoffending_effect * (occupancy - self.baseline_occupancy).max(0.0);
        let (decay, table) = &self.release_decay;
        let fading = match table.get(months_since as usize) {
            Some(&f) if *decay == pr.post_release_decay_months => f,
            _ => (-(months_since as f64) / pr.post_release_decay_months).exp(),
        };
        1.0 + (self.release_m0 - 1.0) * fading * older * crowding
    }

    /// Mean procedural time (months).
    pub fn mean_procedure_months(&self) -> f64 {
        let (mu, s) = self.procedure;
        (mu + 0.5 * s * s).exp()
    }
}

/// Quantiles of a log-normal at `n` equally spaced probabilities (mid-points), for expectations
/// of non-linear functions of sentence lengths without sampling.
pub(crate) fn lognormal_quantiles(median: f64, sigma: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| {
            let p = (i as f64 + 0.5) / n as f64;
            median * (sigma * probit(p)).exp()
        })
        .collect()
}

/// The standard normal quantile function (Acklam's rational approximation, relative error
/// below 1.2e-9).
pub(crate) fn probit(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e+01,
        2.209460984245205e+02,
        -2.759285104469687e+02,
        1.383_577_518_672_69e2,
        -3.066479806614716e+01,
        2.506628277459239e+00,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e+01,
        1.615858368580409e+02,
        -1.556989798598866e+02,
        6.680131188771972e+01,
        -1.328068155288572e+01,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-03,
        -3.223964580411365e-01,
        -2.400758277161838e+00,
        -2.549732539343734e+00,
        4.374664141464968e+00,
        2.938163982698783e+00,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-03,
        3.224671290700398e-01,
        2.445134137142996e+00,
        3.754408661907416e+00,
    ];
    let p = p.clamp(1e-15, 1.0 - 1e-15);
    let low = 0.02425;
    if p < low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -probit(1.0 - p)
    }
}

/// A free person as the alignment sees them.
#[derive(Clone, Copy, Debug)]
pub struct PersonView {
    /// Region.
    pub region: u8,
    /// Sex index.
    pub sex: usize,
    /// Age in years.
    pub age_years: u32,
    /// Unemployed or NEET.
    pub unemployed: bool,
    /// Offending propensity.
    pub propensity: f64,
    /// Weight in averages: the inverse of the stay for people sampled from a prison stock, so
    /// that the sample stands for the flow of releases (a stock over-represents long stays).
    pub weight: f64,
}

/// Expected year-one flows (agents per month) and the stocks they imply.
#[derive(Clone, Debug, Default)]
pub struct ExpectedFlows {
    /// Offences a year by type (agents).
    pub offences_per_year: [f64; OFFENCE_TYPES],
    /// Share of each type's offences by region.
    pub region_share: [[f64; MAX_REGIONS]; OFFENCE_TYPES],
    /// Clearance capacity factor by region at year-one capacity.
    pub police_factor: [f64; MAX_REGIONS],
    /// Charges a month by type and region.
    pub charges: [[f64; MAX_REGIONS]; OFFENCE_TYPES],
    /// Share of each type's offences committed at or above the age of criminal responsibility
    /// by offenders who are not diverted.
    pub chargeable: [f64; OFFENCE_TYPES],
    /// Mean detention and custody multiplier of charged offenders by type (`leniency::custody`).
    pub custody_mix: [f64; OFFENCE_TYPES],
    /// Mean sentence-length multiplier of offenders sentenced to custody by type.
    pub length_mix: [f64; OFFENCE_TYPES],
    /// Offences committed a month by region (recorded or not), of the types that carry the
    /// certainty signal of deterrence (`OffenceType::signals_deterrence`).
    pub offences_by_region: [f64; MAX_REGIONS],
    /// Expected clearances per offence committed by region (the deterrence reference).
    pub arrest_rate: [f64; MAX_REGIONS],
    /// Probability that an offence of each type leads to an arrest (national mean).
    pub arrest_probability: [f64; OFFENCE_TYPES],
    /// Target stocks (agents): sentenced and pre-trial prisoners.
    pub sentenced_stock: f64,
    /// See `sentenced_stock`.
    pub pretrial_stock: f64,
    /// Mean time served after sentencing by type, for detained (index 1) and bailed (0)
    /// defendants (months).
    pub served: [[f64; 2]; OFFENCE_TYPES],
    /// Custodial admissions a month by type (agents).
    pub admissions: [f64; OFFENCE_TYPES],
    /// Pre-trial detentions a month by type.
    pub detentions: [f64; OFFENCE_TYPES],
    /// Police clearance capacity by region (cases a month).
    pub police_capacity: [f64; MAX_REGIONS],
    /// Court capacity by region (cases a month).
    pub court_capacity: [f64; MAX_REGIONS],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probit_inverts_the_normal_distribution() {
        assert!(probit(0.5).abs() < 1e-9);
        assert!((probit(0.975) - 1.959964).abs() < 1e-5);
        assert!((probit(0.001) + 3.090232).abs() < 1e-5);
    }

    #[test]
    fn lognormal_quantiles_have_the_right_mean() {
        let q = lognormal_quantiles(12.0, 0.8, 400);
        let mean = q.iter().sum::<f64>() / q.len() as f64;
        let exact = 12.0 * (0.32f64).exp();
        assert!((mean / exact - 1.0).abs() < 0.01, "{mean} vs {exact}");
    }

    #[test]
    fn sex_multipliers_reproduce_the_male_share() {
        let t = CrimeTables::new(&ModelParams::baseline());
        let h = OffenceType::Homicide.index();
        let share = t.offend_sex[h][0] / (t.offend_sex[h][0] + t.offend_sex[h][1]);
        assert!((share - 0.9).abs() < 1e-12);
    }
}
