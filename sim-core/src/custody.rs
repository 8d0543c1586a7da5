//! Small helpers shared by the stages that move people in and out of custody, so the rules
//! (who counts as released, what a release does to a person) live in one place.

use crate::justice::{Inmate, Prisons, ReleaseCohorts};
use crate::metrics::Flows;
use crate::person::{
    Demographics, Employment, Justice, JusticeState, MonthNo, Slot, Socioeconomic,
};
use crate::pool::VictimPool;

/// Whether `row` still holds the living person `id` (rows are reused after deaths).
#[inline]
pub(crate) fn same_person(demo: &[Demographics], row: u32, id: u32) -> bool {
    demo.get(row as usize)
        .is_some_and(|d| d.id.0 == id && d.alive())
}

/// Puts a person into custody (pre-trial or sentenced).
pub(crate) fn enter_custody(
    demo: &mut [Demographics],
    justice: &mut [Justice],
    pool: &mut VictimPool,
    row: u32,
    state: JusticeState,
) {
    pool.remove(row, &demo[row as usize]);
    demo[row as usize].slot = Slot::InCustody;
    justice[row as usize].state = state;
}

/// Releases a sentenced prisoner (sentence end, parole or time served): back in the community
/// in `state` (free or supervised), counted in the release cohort of `now`, and looking for
/// work if of working age (few people leave prison into a job).
pub(crate) fn release_prisoner(
    demo: &mut [Demographics],
    socio: &mut [Socioeconomic],
    justice: &mut [Justice],
    pool: &mut VictimPool,
    row: u32,
    state: JusticeState,
    now: MonthNo,
    retirement_age: u32,
    cohorts: &mut ReleaseCohorts,
) {
    let r = row as usize;
    demo[r].slot = Slot::Alive;
    pool.add(row, &demo[r]);
    justice[r].state = state;
    justice[r].last_release = now;
    cohorts.release(now);
    let age = demo[r].age_years(now);
    if (15..retirement_age).contains(&age) {
        socio[r].employment = Employment::Unemployed;
    }
}

/// Frees a pre-trial detainee who is acquitted or receives a non-custodial outcome.
pub(crate) fn release_detainee(
    demo: &mut [Demographics],
    justice: &mut [Justice],
    pool: &mut VictimPool,
    row: u32,
    state: JusticeState,
) {
    demo[row as usize].slot = Slot::Alive;
    pool.add(row, &demo[row as usize]);
    justice[row as usize].state = state;
}

/// Records an exit from custody (release or death) of `inmate` in `now`.
pub(crate) fn count_exit(flows: &mut Flows, inmate: &Inmate, now: MonthNo) {
    flows.custody_exits += 1;
    flows.custody_exit_months += (i32::from(now) - i32::from(inmate.since)).max(0) as u64;
}

/// Removes the inmates `keys` (`(row, id)` pairs, sorted here) from the roster as released in
/// `now`.
pub(crate) fn release_from_roster(
    prisons: &mut Prisons,
    keys: &mut [(u32, u32)],
    now: MonthNo,
    flows: &mut Flows,
) {
    if keys.is_empty() {
        return;
    }
    let keys = ByInmate::new(keys, |k| *k);
    prisons.roster.retain(|i| {
        let leaving = keys.find(i.row, i.id).is_some();
        if leaving {
            count_exit(flows, i, now);
            flows.releases += 1;
        }
        !leaving
    });
}

/// Entries keyed by an inmate's `(row, id)`, found for inmates of the roster: sorted by key,
/// behind a [`RowFilter`] of their rows. The stages that change a few inmates of the roster
/// look up every inmate (at one agent per person, 80,000 inmates against a few thousand
/// entries, a binary search of a dozen steps each, one pass after another while the other core
/// waits); the filter rules most inmates out with one read, and only the rows that pass it are
/// searched, so the answers are those of the search alone.
pub(crate) struct ByInmate<'a, T> {
    entries: &'a [T],
    key: fn(&T) -> (u32, u32),
    filter: RowFilter,
}

impl<'a, T> ByInmate<'a, T> {
    /// The lookup of `entries` by `key`, which it sorts.
    pub(crate) fn new(entries: &'a mut [T], key: fn(&T) -> (u32, u32)) -> Self {
        entries.sort_unstable_by_key(key);
        let filter = RowFilter::new(entries.iter().map(|e| key(e).0), entries.len());
        ByInmate {
            entries,
            key,
            filter,
        }
    }

    /// The entry of the inmate in `row` with `id`, if there is one.
    #[inline]
    pub(crate) fn find(&self, row: u32, id: u32) -> Option<&'a T> {
        if !self.filter.may_hold(row) {
            return None;
        }
        let k = self
            .entries
            .binary_search_by_key(&(row, id), self.key)
            .ok()?;
        Some(&self.entries[k])
    }
}

/// Bits per row of a [`RowFilter`]: about one row in sixteen not in the set passes it.
const FILTER_BITS_PER_ROW: usize = 16;

/// A set of rows that rules most rows out with one read: a bit per place, a row's place being
/// a hash of it ([`ByInmate`]'s first look).
struct RowFilter {
    bits: Vec<u64>,
    shift: u32,
}

impl RowFilter {
    /// The filter of `rows` (`n` of them, at most: it sizes the filter).
    fn new(rows: impl IntoIterator<Item = u32>, n: usize) -> Self {
        let places = (n * FILTER_BITS_PER_ROW).next_power_of_two().max(64);
        let mut filter = RowFilter {
            bits: vec![0; places / 64],
            shift: 64 - places.trailing_zeros(),
        };
        for row in rows {
            let place = filter.place(row);
            filter.bits[place / 64] |= 1 << (place % 64);
        }
        filter
    }

    /// The row's place: the high bits of a multiplicative hash, so that neighbouring rows
    /// spread over the bits.
    #[inline(always)]
    fn place(&self, row: u32) -> usize {
        (u64::from(row).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    /// False when `row` is certainly not in the set; true when it may be.
    #[inline(always)]
    fn may_hold(&self, row: u32) -> bool {
        let place = self.place(row);
        self.bits[place / 64] >> (place % 64) & 1 == 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_holds_every_row_put_in_and_rules_out_most_others() {
        for n in [1usize, 7, 64, 1000, 5000] {
            // Rows spread over a large table, as a roster's are, and a run of neighbours.
            let rows: Vec<u32> = (0..n as u32)
                .map(|k| {
                    if k % 2 == 0 {
                        k * 7919 + 13
                    } else {
                        40_000_000 + k
                    }
                })
                .collect();
            let filter = RowFilter::new(rows.iter().copied(), rows.len());
            assert!(rows.iter().all(|&r| filter.may_hold(r)), "{n} rows");
            let others = (0..200_000u32)
                .map(|k| k * 251 + 5)
                .filter(|r| !rows.contains(r));
            let (passed, total) = others.fold((0u32, 0u32), |(p, t), r| {
                (p + u32::from(filter.may_hold(r)), t + 1)
            });
            // Sixteen bits a row: about one in sixteen others pass (one in eight allowed).
            assert!(
                f64::from(passed) < f64::from(total) / 8.0,
                "{n} rows: {passed} of {total} others passed"
            );
        }
    }

    #[test]
    fn the_lookup_finds_each_inmate_entered_and_no_other() {
        // Entries at scattered rows, some rows twice with other ids (a row reused after a
        // death): every (row, id) entered is found with its own value, and neither a row
        // entered with another id nor a row not entered is.
        let mut entries: Vec<((u32, u32), u32)> = (0..3000u32)
            .map(|k| ((k.wrapping_mul(2_654_435_761) % 5_000_000, k % 3), k))
            .collect();
        let expected = entries.clone();
        let lookup = ByInmate::new(&mut entries, |(k, _)| *k);
        for &((row, id), value) in &expected {
            assert_eq!(lookup.find(row, id).map(|e| e.1), Some(value), "row {row}");
            if !expected.iter().any(|&(k, _)| k == (row, id + 3)) {
                assert!(lookup.find(row, id + 3).is_none(), "row {row}, another id");
            }
        }
        for row in (0..200_000u32).map(|k| k * 37 + 1) {
            let entered = expected.iter().any(|&((r, _), _)| r == row);
            assert_eq!(
                lookup.find(row, 0).is_some(),
                entered && expected.iter().any(|&(k, _)| k == (row, 0))
            );
        }
    }
}
