//! A timeline of sentencing policy: from a given year, the probability of custody and the
//! length of custodial sentences change for one offence type or for all, in either direction.
//! This is how a hindcast reproduces sentence inflation (in England and Wales, sentences for
//! major offences rose by about half after 2008) and how a scenario states a planned reform.
//! Multipliers compound: two changes of x1.2 to the same type give x1.44 from the later one on.
//! The share of life and indeterminate sentences is set, not multiplied (a new sentence such as
//! England and Wales' imprisonment for public protection, 2005-2012, starts from none).
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
    /// Share of custodial sentences that are life or indeterminate from this year on, when set.
    pub indeterminate_share: Option<f64>,
    /// Where the figures come from.
    pub source: String,
}

/// Allowed range of either multiplier.
pub const MULTIPLIER_RANGE: (f64, f64) = (0.0, 10.0);

/// Sentencing policy in force in one month, by offence type.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InForce {
    /// Multiplier on the probability of custody.
    pub custody: [f64; OFFENCE_TYPES],
    /// Multiplier on sentence lengths.
    pub length: [f64; OFFENCE_TYPES],
    /// Share of life and indeterminate sentences, where a change has set it.
    pub indeterminate_share: [Option<f64>; OFFENCE_TYPES],
}

/// The policy in force in month `month_index` of a run that starts in `start_year`: changes
/// whose year has come, in year order (file order within a year).
pub fn in_force(changes: &[PolicyChange], start_year: i32, month_index: u32) -> InForce {
    let mut f = InForce {
        custody: [1.0; OFFENCE_TYPES],
        length: [1.0; OFFENCE_TYPES],
        indeterminate_share: [None; OFFENCE_TYPES],
    };
    let now = f64::from(start_year) + f64::from(month_index) / 12.0;
    let mut due: Vec<&PolicyChange> = changes.iter().filter(|c| c.year <= now + 1e-9).collect();
    due.sort_by(|a, b| a.year.total_cmp(&b.year));
    for c in due {
        for t in 0..OFFENCE_TYPES {
            if c.offence.is_none_or(|o| o.index() == t) {
                f.custody[t] *= c.custody;
                f.length[t] *= c.sentence_length;
                if c.indeterminate_share.is_some() {
                    f.indeterminate_share[t] = c.indeterminate_share;
                }
            }
        }
    }
    f
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
            indeterminate_share: None,
            source: String::new(),
        }
    }

    #[test]
    fn changes_apply_from_their_year_and_compound() {
        let gbv = OffenceType::Gbv;
        let list = [change(2008.0, None, 1.2), change(2012.0, Some(gbv), 1.5)];
        let at = |year: i32, month: u32| in_force(&list, year, month).length;
        assert_eq!(at(2002, 12 * 5 + 11), [1.0; OFFENCE_TYPES], "December 2007");
        assert_eq!(at(2002, 12 * 6), [1.2; OFFENCE_TYPES], "January 2008");
        let later = at(2002, 12 * 10);
        assert!((later[gbv.index()] - 1.8).abs() < 1e-12);
        assert_eq!(later[OffenceType::Property.index()], 1.2);
    }

    #[test]
    fn an_indeterminate_share_is_set_and_later_withdrawn() {
        let assault = OffenceType::Assault;
        let set = |year: f64, share: f64| PolicyChange {
            indeterminate_share: Some(share),
            ..change(year, Some(assault), 1.0)
        };
        let list = [set(2013.0, 0.0), set(2005.0, 0.05)];
        let share = |month: u32| in_force(&list, 2002, month).indeterminate_share[assault.index()];
        assert_eq!(share(12 * 2), None, "2004: the scenario's own share");
        assert_eq!(share(12 * 3), Some(0.05), "2005");
        assert_eq!(
            share(12 * 11),
            Some(0.0),
            "2013: withdrawn, whatever the file order"
        );
    }
}
