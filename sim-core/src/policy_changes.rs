//! A timeline of sentencing policy and of crime trends: from a given year, the probability of
//! custody and the length of custodial sentences change for one offence type or for all, in
//! either direction, and so can the offending rate (of every age, or of an age band). This is
//! how a hindcast reproduces sentence inflation (in England and Wales, sentences for major
//! offences rose by about half after 2008) and the fall in crime of the 2000s, which was above
//! all a fall in young people's offending; and how a scenario states a planned reform.
//! Multipliers compound: two changes of x1.2 to the same type give x1.44 from the later one on.
//! The share of life and indeterminate sentences is set, not multiplied (a new sentence such as
//! England and Wales' imprisonment for public protection, 2005-2012, starts from none).
//! Historic prosecutions (offences that come to court decades later, as after Operation Yewtree
//! in England and Wales from 2012) are a flow of arrests set per 100,000 population a year.
//! The offending multiplier is an exogenous trend (the model has no mechanism for why crime fell
//! across rich countries after the 1990s): it moves the hazards of the age band it names.
//! Year one is the observed state the model is aligned to, so a change takes effect only after
//! the start year.

use crate::metrics::AGE_BINS;
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
    /// Multiplier on the offending hazard (an exogenous crime trend).
    pub offending: f64,
    /// The ages (first and last, in years) whose offending the multiplier moves; `None` for
    /// every age. A change with an age band moves offending only.
    pub ages: Option<(u32, u32)>,
    /// Arrests a year per 100,000 population for offences of the type committed long before
    /// (historic prosecutions), from this year on, when set.
    pub historic_arrests_per_100k: Option<f64>,
    /// Mean years between such an offence and its arrest.
    pub historic_lag_years: f64,
    /// Probability of a custodial sentence on conviction for those offences, when set (the
    /// offence type's, with its leniency for women and children, otherwise).
    pub historic_custody: Option<f64>,
    /// Median custodial sentence for those offences in months, when set (the offence type's
    /// under the timeline otherwise).
    pub historic_sentence_months: Option<f64>,
    /// Where the figures come from.
    pub source: String,
}

impl PolicyChange {
    /// A change from `year` for `offence` (all types when `None`) that changes nothing yet:
    /// every multiplier 1, no share set, no historic prosecutions.
    pub fn neutral(year: f64, offence: Option<OffenceType>) -> Self {
        PolicyChange {
            year,
            offence,
            custody: 1.0,
            sentence_length: 1.0,
            indeterminate_share: None,
            offending: 1.0,
            ages: None,
            historic_arrests_per_100k: None,
            historic_lag_years: 0.0,
            historic_custody: None,
            historic_sentence_months: None,
            source: String::new(),
        }
    }
}

/// Allowed range of either multiplier.
pub const MULTIPLIER_RANGE: (f64, f64) = (0.0, 10.0);

/// Sentencing policy and crime trends in force in one month, by offence type.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct InForce {
    /// Multiplier on the probability of custody.
    pub custody: [f64; OFFENCE_TYPES],
    /// Multiplier on sentence lengths.
    pub length: [f64; OFFENCE_TYPES],
    /// Share of life and indeterminate sentences, where a change has set it.
    pub indeterminate_share: [Option<f64>; OFFENCE_TYPES],
    /// Multiplier on offending by age in years (index) and type.
    pub offending: Vec<[f64; OFFENCE_TYPES]>,
    /// Historic prosecutions by type.
    pub historic: [Historic; OFFENCE_TYPES],
}

/// Historic prosecutions of one offence type in force.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Historic {
    /// Arrests a year per 100,000 population.
    pub per_100k: f64,
    /// Mean years between the offence and the arrest.
    pub lag_years: f64,
    /// Probability of custody on conviction, when set.
    pub custody: Option<f64>,
    /// Median custodial sentence (months), when set.
    pub sentence_months: Option<f64>,
}

impl InForce {
    /// Whether any offending multiplier differs from 1.
    pub fn moves_offending(&self) -> bool {
        self.offending.iter().flatten().any(|m| *m != 1.0)
    }
}

/// The policy in force in month `month_index` of a run that starts in `start_year`: changes
/// whose year has come, in year order (file order within a year).
pub(crate) fn in_force(changes: &[PolicyChange], start_year: i32, month_index: u32) -> InForce {
    let mut f = InForce {
        custody: [1.0; OFFENCE_TYPES],
        length: [1.0; OFFENCE_TYPES],
        indeterminate_share: [None; OFFENCE_TYPES],
        offending: vec![[1.0; OFFENCE_TYPES]; AGE_BINS],
        historic: [Historic::default(); OFFENCE_TYPES],
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
                if let Some(rate) = c.historic_arrests_per_100k {
                    f.historic[t] = Historic {
                        per_100k: rate,
                        lag_years: c.historic_lag_years,
                        custody: c.historic_custody,
                        sentence_months: c.historic_sentence_months,
                    };
                }
                if c.offending != 1.0 {
                    let (lo, hi) = c.ages.unwrap_or((0, AGE_BINS as u32 - 1));
                    let hi = (hi as usize).min(AGE_BINS - 1);
                    for by_type in f.offending.iter_mut().take(hi + 1).skip(lo as usize) {
                        by_type[t] *= c.offending;
                    }
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
            sentence_length: length,
            ..PolicyChange::neutral(year, offence)
        }
    }

    #[test]
    fn an_offending_trend_moves_its_age_band_only() {
        let youth = PolicyChange {
            offending: 0.5,
            ages: Some((10, 17)),
            ..change(2008.0, None, 1.0)
        };
        let all = PolicyChange {
            offending: 0.8,
            ..change(2010.0, Some(OffenceType::Assault), 1.0)
        };
        let list = [youth, all];
        let f = in_force(&list, 2002, 12 * 9);
        let a = OffenceType::Assault.index();
        let d = OffenceType::Drug.index();
        assert_eq!(f.offending[9][d], 1.0, "below the band");
        assert_eq!(f.offending[10][d], 0.5);
        assert_eq!(f.offending[17][d], 0.5);
        assert_eq!(f.offending[18][d], 1.0, "above the band");
        assert!((f.offending[15][a] - 0.4).abs() < 1e-12, "compounded");
        assert_eq!(f.offending[40][a], 0.8);
        assert!(!in_force(&list, 2002, 12 * 5).moves_offending(), "2007");
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
