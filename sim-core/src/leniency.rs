//! Who the justice system holds (docs/model.md section 4.10): children are diverted from prosecution
//! and rarely detained, women are detained and imprisoned less often and for shorter terms than
//! men convicted of the same offence. One place for these multipliers, used alike by the courts,
//! sentencing, the start-of-run alignment and the initial prison population, so that what is
//! aligned is what is simulated.

use crate::params::JusticeParams;

/// Age below which an offender is treated as a child (years).
pub(crate) const ADULT_AGE: u32 = 18;

/// Probability that a chargeable suspect aged `age` is diverted from prosecution.
#[inline]
pub fn diversion(j: &JusticeParams, age: u32) -> f64 {
    if age < ADULT_AGE {
        j.juvenile_diversion
    } else {
        0.0
    }
}

/// Multiplier on pre-trial detention and custody for an offender of `sex` (0 male, 1 female)
/// aged `age`.
#[inline]
pub fn custody(j: &JusticeParams, sex: usize, age: u32) -> f64 {
    let child = if age < ADULT_AGE {
        j.juvenile_custody_multiplier
    } else {
        1.0
    };
    let woman = if sex == 1 {
        j.female_custody_multiplier
    } else {
        1.0
    };
    child * woman
}

/// Multiplier on custodial sentence length for an offender of `sex`.
#[inline]
pub fn length(j: &JusticeParams, sex: usize) -> f64 {
    if sex == 1 {
        j.female_sentence_multiplier
    } else {
        1.0
    }
}
