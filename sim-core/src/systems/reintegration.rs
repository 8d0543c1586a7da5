//! Reintegration (docs/model.md section 4.11, stage 13): community sentences and parole end; the
//! post-release reoffending hazard itself acts in the Offending stage through the release month.
//!
//! Reads: `Calendar`. Writes: `Supervision`, `Justice` (back to free), `MonthTally`.

use bevy_ecs::prelude::*;

use crate::calendar::Calendar;
use crate::custody::same_person;
use crate::justice::Supervision;
use crate::metrics::MonthTally;
use crate::person::JusticeState;
use crate::persons::Persons;

/// Ends community sentences and parole that are due.
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
    supervision.0.retain(|s| {
        if !same_person(demo, s.row, s.id) {
            return false;
        }
        let j = &mut justice[s.row as usize];
        // Someone re-arrested meanwhile has left supervision for a new case.
        if j.state != (JusticeState::Community { until: s.until }) {
            return false;
        }
        if s.until <= now {
            j.state = JusticeState::Free;
            return false;
        }
        true
    });
    tally.stocks.supervised = supervision.0.len() as u64;
}
