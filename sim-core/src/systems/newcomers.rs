//! Placing newcomers (newborns and immigrants) into the person table (stage 3, after births).
//!
//! A newcomer takes the most recently vacated row, with a fresh id, so the table does not grow
//! while deaths keep pace with births; only the excess is spawned, in one batch a month.
//!
//! Reads: `Params`, `Calendar`. Writes: every person component of reused rows, `Vacancies`,
//! `NextId`, `Newcomers` (drained), `Census`, `MonthTally`. Stream: `Stream::Population` keyed by new id.

use bevy_ecs::prelude::*;

use crate::Params;
use crate::calendar::Calendar;
use crate::census::Census;
use crate::metrics::MonthTally;
use crate::person::{Demographics, Experience, Justice, PersonBundle, Socioeconomic};
use crate::pool::VictimPool;
use crate::population::{Arrival, Newcomers, NextId, Vacancies, new_person};
use crate::rng::{MonthKey, Stream};

/// The full set of person components, writable, for reusing rows.
pub(crate) type PersonRowsMut<'a> = (
    &'a mut Demographics,
    &'a mut Socioeconomic,
    &'a mut Justice,
    &'a mut Experience,
);

/// Writes this month's newcomers into vacant rows, spawning only when none is left.
pub fn settle_newcomers(
    params: Res<Params>,
    calendar: Res<Calendar>,
    mut newcomers: ResMut<Newcomers>,
    mut vacancies: ResMut<Vacancies>,
    mut next_id: ResMut<NextId>,
    mut tally: ResMut<MonthTally>,
    mut census: ResMut<Census>,
    mut pool: Option<ResMut<VictimPool>>,
    mut commands: Commands,
    mut persons: Query<PersonRowsMut<'static>>,
) {
    if newcomers.0.is_empty() {
        return;
    }
    let p = &params.0;
    let key = MonthKey::new(p.scenario.seed, Stream::Population, 0);
    let now = calendar.now();
    let mut spawn: Vec<PersonBundle> = Vec::new();
    let mut table = crate::person_table!(persons);
    // Spawned persons are appended: their rows follow the current table in spawn order.
    let rows_now = table.as_ref().map_or(0, |t| t.0.len()) as u32;
    for n in newcomers.0.drain(..) {
        let id = next_id.0;
        next_id.0 += 1;
        if n.arrival == Arrival::Immigrant {
            tally.flows.immigrants += 1;
        }
        let person = new_person(p, key, id, n.region, n.sex, n.birth_month, now);
        census.add(n.region, n.sex, n.birth_month);
        match (vacancies.0.pop(), table.as_mut()) {
            (Some(row), Some((demo, socio, justice, experience))) => {
                if let Some(pool) = pool.as_mut() {
                    pool.add(row, &person.0);
                }
                let r = row as usize;
                demo.bypass_change_detection()[r] = person.0;
                socio.bypass_change_detection()[r] = person.1;
                justice.bypass_change_detection()[r] = person.2;
                experience.bypass_change_detection()[r] = person.3;
            }
            _ => {
                if let Some(pool) = pool.as_mut() {
                    pool.add(rows_now + spawn.len() as u32, &person.0);
                }
                spawn.push(person);
            }
        }
    }
    if !spawn.is_empty() {
        commands.spawn_batch(spawn);
    }
}
