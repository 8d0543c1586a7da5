//! Digital access: who can take part in a remote hearing or use online legal information.
//!
//! A person is connected with their region's internet use (`regions.digital_access`), lower for
//! rural, older (65+) and displaced people (`justice.digital_access_*_multiplier`), the
//! multipliers combining. Whether a given defendant is connected is a fixed draw per person.
//!
//! Internet use grows along a logistic curve from its value at the start
//! (`regions.digital_access_growth`, log odds a year), the way adoption curves of ITU data
//! bend: fast in the middle, slowly near saturation. Online fraud grows with it.

use crate::params::ModelParams;
use crate::person::{Demographics, MonthNo, Socioeconomic};

/// Age from which the older people's multiplier applies (years).
const OLDER_AGE: u32 = 65;

/// The region's internet use in month `now`: `regions.digital_access` at the start, then
/// logistic growth by `regions.digital_access_growth` log odds a year (none in a burn-in).
pub(crate) fn regional_access(p: &ModelParams, r: usize, now: MonthNo) -> f64 {
    let region = &p.regions[r];
    let start = region.digital_access;
    let years = f64::from(now.max(0)) / 12.0;
    if start <= 0.0 || start >= 1.0 || years == 0.0 || region.digital_access_growth == 0.0 {
        return start;
    }
    let log_odds = (start / (1.0 - start)).ln() + region.digital_access_growth * years;
    1.0 / (1.0 + (-log_odds).exp())
}

/// Mean access of the region's people of any age, rural people at their multiplier.
pub(crate) fn regional_mean_access(p: &ModelParams, r: usize, now: MonthNo) -> f64 {
    let urban = p.regions[r].urban_share;
    regional_access(p, r, now) * (urban + (1.0 - urban) * p.justice.digital_access_rural_multiplier)
}

/// National mean access in month `now`, regions weighted by their population shares at the start.
pub(crate) fn national_access(p: &ModelParams, now: MonthNo) -> f64 {
    let (mut sum, mut weight) = (0.0, 0.0);
    for (r, region) in p.regions.iter().enumerate() {
        sum += region.population_share * regional_mean_access(p, r, now);
        weight += region.population_share;
    }
    if weight > 0.0 { sum / weight } else { 0.0 }
}

/// Access multiplier of people `years` old relative to their region's.
pub(crate) fn age_multiplier(p: &ModelParams, years: u32) -> f64 {
    if years >= OLDER_AGE {
        p.justice.digital_access_older_multiplier
    } else {
        1.0
    }
}

/// Probability that the person is connected.
pub fn access(p: &ModelParams, d: &Demographics, s: &Socioeconomic, now: MonthNo) -> f64 {
    let j = &p.justice;
    let mut a = regional_access(p, d.region as usize, now);
    if !s.urban {
        a *= j.digital_access_rural_multiplier;
    }
    a *= age_multiplier(p, d.age_years(now));
    if d.displaced {
        a *= j.digital_access_displaced_multiplier;
    }
    a
}
