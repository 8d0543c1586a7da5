//! When the offending pass visits a person (docs/model.md 4.5, "Visits and clocks").
//!
//! The pass does not look at everyone every month. A person's monthly chance of offending is
//! `1 - exp(-lambda)` with `lambda` their cell's hazard times their own factor; the cell (region,
//! sex, age, employment) changes only on a birthday, a flip between work and unemployment or a
//! change the victim pool sees (a death, a newcomer, custody, displacement, a move). Between
//! those, the month's hazard changes only through the month-level multipliers, which the
//! hazard table keeps below a cap ([`crate::systems::offending::HazardTable`]). So each person
//! carries three clocks:
//!
//! - the month of their next **candidate** offence, drawn against the bound `f * cap` of their
//!   cell (a geometric number of months); in that month a candidate offends with probability
//!   `(1 - exp(-lambda)) / (1 - exp(-bound))`, which thins the bound's events to exactly the
//!   month's hazard;
//! - the month of their next **flip** between work and unemployment (the economy's constant
//!   monthly rates, a geometric number of months);
//! - their next **birthday**, when their cell changes.
//!
//! The pass visits a person in the first of these months, or in the next month after the
//! victim pool saw a change of theirs (which stales their clocks). The expected offences and
//! the labour-market counts are running sums over everyone, to which each visit takes out what
//! the person added before and adds what they add now ([`Tempo`]).
//!
//! Why: visiting each adult every month cost 144 instructions per person-month for events that
//! touch about one person in eight; the column this pass reads for everyone else is two bytes.

use crate::bitmask::bits_of;
use crate::person::MonthNo;

/// A visit in the next pass: the person's clocks are stale (the pool saw a change of theirs, or
/// they are new in the row).
pub(crate) const NOW: MonthNo = MonthNo::MIN;

/// No visit until something changes (vacant rows and people in custody).
pub(crate) const NEVER_VISIT: MonthNo = MonthNo::MAX;

/// Not counted in any hazard cell or labour-market class.
pub(crate) const NO_CELL: u16 = u16::MAX;
pub(crate) const NO_CLASS: u8 = u8::MAX;

/// Which of the rows `first..first + 64` of `visit` are due in month `now` (all of them with
/// `everyone`), as bits: the pass reads its two-byte column a block at a time and visits the
/// set bits, so passing over a person costs about one instruction.
#[inline(always)]
pub(crate) fn due_mask(visit: &[MonthNo], now: MonthNo, everyone: bool) -> u64 {
    if everyone {
        return if visit.len() >= 64 {
            u64::MAX
        } else {
            (1u64 << visit.len()) - 1
        };
    }
    if let Ok(block) = <&[MonthNo; 64]>::try_from(visit) {
        // A whole block: the compares as bytes (vector compares and packs), then gathered into
        // bits ([`bits_of`]). About 1.2 instructions a person, against 6 for a bit at a time.
        let mut bytes = [0u8; 64];
        for (b, v) in bytes.iter_mut().zip(block) {
            *b = u8::from(*v <= now);
        }
        return bits_of(&bytes);
    }
    // A short last block: a bit at a time.
    visit
        .iter()
        .take(64)
        .enumerate()
        .fold(0u64, |mask, (k, v)| mask | u64::from(*v <= now) << k)
}

/// The [`due_mask`] of the block of up to 64 rows of `column` from row `first`, after calling
/// `each` with the row of every person it marks: passes that visit the due persons later use it
/// to ask memory for their rows first.
#[inline(always)]
pub(crate) fn due_block(
    column: &[MonthNo],
    first: usize,
    now: MonthNo,
    mut each: impl FnMut(usize),
) -> u64 {
    let mask = due_mask(&column[first..(first + 64).min(column.len())], now, false);
    let mut bits = mask;
    while bits != 0 {
        each(first + bits.trailing_zeros() as usize);
        bits &= bits - 1;
    }
    mask
}

/// What a person added to the running sums at their last visit, and their clocks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Tempo {
    /// The own factor added to `cell`'s sums (propensity times displacement's multiplier).
    pub(crate) factor: f32,
    /// The bound the candidate clock was drawn against (per month): it stands while the
    /// person's bound stays at most this.
    pub(crate) bound: f32,
    /// The hazard cell the factor was added to ([`NO_CELL`]: none, the person's expected
    /// offences are computed exactly at each visit, or they are not free).
    pub(crate) cell: u16,
    /// The month of the next candidate offence.
    pub(crate) candidate: MonthNo,
    /// The month of the next flip between work and unemployment.
    pub(crate) flip: MonthNo,
    /// The labour-market class counted ([`NO_CLASS`]: none).
    pub(crate) class: u8,
    /// Whether the person had been released from custody, read from their justice record at
    /// their last visit with stale records. Every release, like every other change of who a
    /// row holds, stales the row (the victim pool sees it), so a visit that can trust the
    /// records takes it from here and reads the justice column only for the released: it
    /// was a cache line per visit for one field (in the record's spare byte).
    pub(crate) released: bool,
}

impl Tempo {
    /// A row that has added nothing and has no clocks.
    pub(crate) const NONE: Tempo = Tempo {
        factor: 0.0,
        bound: 0.0,
        cell: NO_CELL,
        candidate: NEVER_VISIT,
        flip: NEVER_VISIT,
        class: NO_CLASS,
        released: false,
    };
}

/// The month of the first event of a process with the monthly event probability
/// `1 - exp(-rate)` (`log_stay = -rate`, the log of the chance of no event in a month), counting
/// `from` itself, given a uniform `u` in [0, 1): `from` plus a geometric number of months.
/// [`NEVER_VISIT`] when the process has no events or the month is beyond the calendar.
#[inline]
pub(crate) fn first_event(from: MonthNo, log_stay: f64, u: f64) -> MonthNo {
    if log_stay >= 0.0 {
        return NEVER_VISIT;
    }
    // (1 - u) is in (0, 1]: ln is finite and at most 0, the quotient at least 0 (and
    // truncation is its floor).
    let months = (1.0 - u).ln() / log_stay;
    let month = f64::from(from) + months;
    if month >= f64::from(NEVER_VISIT) {
        NEVER_VISIT
    } else {
        from + months as MonthNo
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{MonthKey, Stream};

    #[test]
    fn first_events_are_geometric_with_the_monthly_probability() {
        // P(first event in month k after from) = (1 - q)^k q, with q = 1 - exp(-rate).
        let rate: f64 = 0.05;
        let q = 1.0 - (-rate).exp();
        let key = MonthKey::new(9, Stream::Offending, 1);
        let n = 200_000u32;
        let mut hist = [0u32; 4];
        for i in 0..n {
            let m = first_event(10, -rate, key.uniform(i, 0));
            assert!(m >= 10);
            if let Some(h) = hist.get_mut((m - 10) as usize) {
                *h += 1;
            }
        }
        for (k, &h) in hist.iter().enumerate() {
            let p = (1.0 - q).powi(k as i32) * q;
            let sd = (p * (1.0 - p) / f64::from(n)).sqrt();
            let share = f64::from(h) / f64::from(n);
            assert!(
                (share - p).abs() < 5.0 * sd,
                "month +{k}: {share} against {p}"
            );
        }
    }

    #[test]
    fn the_due_mask_has_a_bit_for_each_person_whose_month_it_is() {
        let key = MonthKey::new(4, Stream::Offending, 2);
        for len in [64usize, 63, 5, 0] {
            for trial in 0..200u32 {
                let visit: Vec<MonthNo> = (0..len as u32)
                    .map(|k| match key.bits(trial, k) % 5 {
                        0 => NOW,
                        1 => NEVER_VISIT,
                        m => 100 + m as MonthNo - 3,
                    })
                    .collect();
                let expected = visit
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| **v <= 100)
                    .fold(0u64, |m, (k, _)| m | 1 << k);
                assert_eq!(due_mask(&visit, 100, false), expected, "{len} rows");
                let all = if len == 64 {
                    u64::MAX
                } else {
                    (1u64 << len) - 1
                };
                assert_eq!(due_mask(&visit, 100, true), all);
            }
        }
    }

    #[test]
    fn a_process_without_events_never_fires_and_late_months_saturate() {
        assert_eq!(first_event(5, 0.0, 0.3), NEVER_VISIT);
        // A tiny rate puts the event beyond the calendar.
        assert_eq!(first_event(5, -1e-9, 0.5), NEVER_VISIT);
        // u = 0 is an event in the first month.
        assert_eq!(first_event(5, -0.1, 0.0), 5);
    }
}
