//! Placing newcomers (newborns and immigrants) into the person table (stage 3, after births).
//!
//! A newcomer takes the most recently vacated row, with a fresh id, so the table does not grow
//! while deaths keep pace with births; only the excess is appended at the end of the table.
//!
//! Reads: `Params`, `Calendar`. Writes: every person component of reused rows, `Vacancies`,
//! `NextId`, `Newcomers` (drained), `Census`, `PoolChanges`, `MonthTally`. Stream: `Stream::Population` keyed by new id.

use bevy_ecs::prelude::*;
use rayon::prelude::*;

use crate::Params;
use crate::calendar::Calendar;
use crate::census::Census;
use crate::metrics::MonthTally;
use crate::par::Jobs;
use crate::person::PersonBundle;
use crate::persons::Persons;
use crate::pool::PoolChanges;
use crate::population::{Arrival, Newcomers, NextId, Vacancies, new_person};
use crate::rng::{MonthKey, Stream};

/// Newcomers per parallel task.
const NEWCOMERS_PER_TASK: usize = 256;

/// Writes this month's newcomers into vacant rows, appending rows only when none is left.
pub fn settle_newcomers(
    params: Res<Params>,
    calendar: Res<Calendar>,
    mut newcomers: ResMut<Newcomers>,
    mut vacancies: ResMut<Vacancies>,
    mut next_id: ResMut<NextId>,
    mut tally: ResMut<MonthTally>,
    mut census: ResMut<Census>,
    mut pool: Option<ResMut<PoolChanges>>,
    mut persons: ResMut<Persons>,
) {
    if newcomers.0.is_empty() {
        return;
    }
    let p = &params.0;
    let key = MonthKey::new(p.scenario.seed, Stream::Population, 0);
    let now = calendar.now();
    // The newcomers' rows are made in parallel (each a few draws and an exponential: about
    // 0.2 ms a month of serial work at a million agents) and placed in order.
    let first_id = next_id.0;
    let people: Vec<PersonBundle> = newcomers
        .0
        .par_iter()
        .enumerate()
        .jobs_of(NEWCOMERS_PER_TASK)
        .map(|(k, n)| {
            new_person(
                p,
                key,
                first_id + k as u32,
                n.region,
                n.sex,
                n.birth_month,
                now,
            )
        })
        .collect();
    next_id.0 += people.len() as u32;
    // The most recently vacated rows first, then new ones at the end of the table.
    let reused = people.len().min(vacancies.0.len());
    let first_reused = vacancies.0.len() - reused;
    let mut rows: Vec<u32> = vacancies.0.drain(first_reused..).rev().collect();
    let first_new = persons.len() as u32;
    rows.extend((0..(people.len() - reused) as u32).map(|k| first_new + k));
    for ((n, person), &row) in newcomers.0.drain(..).zip(&people).zip(&rows) {
        if n.arrival == Arrival::Immigrant {
            tally.flows.immigrants += 1;
        }
        census.add(n.region, n.sex, n.birth_month);
        if let Some(pool) = pool.as_mut() {
            pool.add(row, &person.0);
        }
    }
    // The vacated rows are at random places of the table (one person in a thousand a month
    // dies, emigrates or is killed), and each newcomer writes seven columns of theirs: written
    // by blocks of the table in parallel.
    persons.set_rows(&rows[..reused], &people[..reused]);
    persons.extend(people[reused..].iter().copied());
}
