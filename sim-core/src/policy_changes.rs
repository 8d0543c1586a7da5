//! A timeline of sentencing policy: from a given year, the probability of custody and the
//! length of custodial sentences change for one offence type or for all, in either direction.
//! This is how a hindcast reproduces sentence inflation (in England and Wales, sentences for
//! major offences rose by about half after 2008) and how a scenario states a planned reform.
//! Changes compound: two changes of x1.2 to the same type give x1.44 from the later one on.
//! Year one is the observed state the model is aligned to, so a change takes effect only after
//! the start year.

use crate::offence::{OFFENCE_TYPES, OffenceType};

/// One change of sentencing policy.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyChange {
    /// Calendar year from whose first month the change applies.
    pub year: f64,
    /// The offence type it applies to; `None` for every type.
    pub offence: Option<OffenceType>,
    /// Multiplier on the probability of a custodial sentence on conviction.
    pub custody: f64,
    /// Multiplier on custodial sentence lengths.
    pub sentence_length: f64,
    /// Where the figures come from.
    pub source: String,
}

/// Allowed range of either multiplier.
pub const MULTIPLIER_RANGE: (f64, f64) = (0.0, 10.0);

/// Custody and sentence-length multipliers by offence type in force in month `month_index`
/// of a run that starts in `start_year`.
pub fn in_force(
    changes: &[PolicyChange],
    start_year: i32,
    month_index: u32,
) -> ([f64; OFFENCE_TYPES], [f64; OFFENCE_TYPES]) {
    let mut custody = [1.0; OFFENCE_TYPES];
    let mut length = [1.0; OFFENCE_TYPES];
    let now = f64::from(start_year) + f64::from(month_index) / 12.0;
    for c in changes.iter().filter(|c| c.year <= now + 1e-9) {
        for t in 0..OFFENCE_TYPES {
            if c.offence.is_none_or(|o| o.index() == t) {
                custody[t] *= c.custody;
                length[t] *= c.sentence_length;
            }
        }
    }
    (custody, length)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(year: f64, offence: Option<OffenceType>, length: f64) -> PolicyChange {
        PolicyChange {
            year,
            offence,
            custody: 1.0,
            sentence_length: length,
            source: String::new(),
        }
    }

    #[test]
    fn changes_apply_from_their_year_and_compound() {
        let gbv = OffenceType::Gbv;
        let list = [change(2008.0, None, 1.2), change(2012.0, Some(gbv), 1.5)];
        let at = |year: i32, month: u32| in_force(&list, year, month).1;
        assert_eq!(at(2002, 12 * 5 + 11), [1.0; OFFENCE_TYPES], "December 2007");
        assert_eq!(at(2002, 12 * 6), [1.2; OFFENCE_TYPES], "January 2008");
        let later = at(2002, 12 * 10);
        assert!((later[gbv.index()] - 1.8).abs() < 1e-12);
        assert_eq!(later[OffenceType::Property.index()], 1.2);
    }
}
