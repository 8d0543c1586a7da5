//! Digital access: who can take part in a remote hearing or use online legal information.
//!
//! A person is connected with their region's internet use (`regions.digital_access`), lower for
//! rural, older (65+) and displaced people (`justice.digital_access_*_multiplier`), the
//! multipliers combining. Whether a given defendant is connected is a fixed draw per person.

use crate::params::ModelParams;
use crate::person::{Demographics, MonthNo, Socioeconomic};

/// Age from which the older people's multiplier applies (years).
const OLDER_AGE: u32 = 65;

/// Probability that the person is connected.
pub fn access(p: &ModelParams, d: &Demographics, s: &Socioeconomic, now: MonthNo) -> f64 {
    let j = &p.justice;
    let mut a = p.regions[d.region as usize].digital_access;
    if !s.urban {
        a *= j.digital_access_rural_multiplier;
    }
    if d.age_years(now) >= OLDER_AGE {
        a *= j.digital_access_older_multiplier;
    }
    if d.displaced {
        a *= j.digital_access_displaced_multiplier;
    }
    a
}
