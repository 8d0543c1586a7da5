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

/// Removes the inmates `keys` (sorted `(row, id)` pairs) from the roster as released in `now`.
pub(crate) fn release_from_roster(
    prisons: &mut Prisons,
    keys: &mut [(u32, u32)],
    now: MonthNo,
    flows: &mut Flows,
) {
    if keys.is_empty() {
        return;
    }
    keys.sort_unstable();
    prisons.roster.retain(|i| {
        let leaving = keys.binary_search(&(i.row, i.id)).is_ok();
        if leaving {
            count_exit(flows, i, now);
            flows.releases += 1;
        }
        !leaving
    });
}
