//! Reintegration (docs/model.md section 4.11, stage 13): community sentences and parole end; the
//! post-release reoffending hazard itself acts in the Offending stage through the release month.
//!
//! Reads: `Calendar`. Writes: `Supervision`, `Justice` (back to free), `MonthTally`.

use bevy_ecs::prelude::*;

use crate::calendar::Calendar;
use crate::custody::same_person;
use crate::justice::Supervision;
use crate::metrics::MonthTally;
use crate::person::{Demographics, Justice, JusticeState};
use crate::persons::Persons;
use crate::prefetch::{par_map_ahead, prefetch};

/// What the month does to a supervision.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Still running.
    Continues,
    /// Due: the person is free.
    Ends,
    /// The person died, or was re-arrested and left supervision for a new case.
    Gone,
}

/// Supervisions per parallel task of reading their persons' rows (tens of nanoseconds each): a
/// million agents have a few thousand under supervision, which tasks of 4,096 left to one
/// thread.
const SUPERVISIONS_PER_TASK: usize = 1024;

/// Ends community sentences and parole that are due.
///
/// Each supervision's row is read first, in parallel: at one agent per person about 400,000
/// are under supervision, at random places of the person table. Nothing the month changes
/// here is read there (a person is under one supervision at a time; were they under two with
/// the same end, both would end, as in order).
pub fn end_supervision(
    calendar: Res<Calendar>,
    mut supervision: ResMut<Supervision>,
    mut tally: ResMut<MonthTally>,
    mut persons: ResMut<Persons>,
) {
    if persons.is_empty() {
        return;
    }
    let Persons { demo, justice, .. } = &mut *persons;
    let now = calendar.now();
    let outcomes: Vec<Outcome> = {
        let (demo, justice): (&[Demographics], &[Justice]) = (demo, justice);
        par_map_ahead(
            &supervision.0,
            SUPERVISIONS_PER_TASK,
            |a| {
                prefetch(&demo[a.row as usize]);
                prefetch(&justice[a.row as usize]);
            },
            |s| {
                // Someone re-arrested meanwhile has left supervision for a new case.
                if !same_person(demo, s.row, s.id)
                    || justice[s.row as usize].state != (JusticeState::Community { until: s.until })
                {
                    Outcome::Gone
                } else if s.until <= now {
                    Outcome::Ends
                } else {
                    Outcome::Continues
                }
            },
        )
    };
    let mut outcomes = outcomes.into_iter();
    supervision.0.retain(|s| {
        match outcomes.next().expect("one outcome per supervision") {
            Outcome::Continues => return true,
            Outcome::Ends => justice[s.row as usize].state = JusticeState::Free,
            Outcome::Gone => {}
        }
        false
    });
    tally.stocks.supervised = supervision.0.len() as u64;
}
