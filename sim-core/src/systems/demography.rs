//! Demography (docs/model.md section 4.3, stage 3): mortality, births and emigration in one pass.
//!
//! Ageing is implicit: age is derived from the birth month, so no write is needed for it.
//! Each living person gets one 64-bit draw: its low half decides death; its high half decides
//! a birth (women of reproductive age: the half below the birth threshold) or emigration (net
//! emigration only: the next values, as many as the emigration threshold). A birth and
//! emigration are thus exclusive in a month, as competing events, and each keeps its monthly
//! probability; one draw instead of two is about a fifth of the pass (callgrind).
//!
//! Reads: `Params`, `Calendar`, `DemographyTables`. Writes: `Demographics.slot`, `Census`,
//! `Vacancies`, `Newcomers` (births), `PoolChanges`, `MonthTally`. Stream: `Stream::Demography`.

use bevy_ecs::prelude::*;
use rayon::prelude::*;

use crate::Params;
use crate::calendar::Calendar;
use crate::census::Census;
use crate::metrics::{MonthTally, hist_index};
use crate::par::chunk_rows;
use crate::person::{Demographics, Sex, Slot};
use crate::persons::Persons;
use crate::pool::PoolChanges;
use crate::population::{Arrival, Newcomer, Newcomers, Vacancies};
use crate::rng::{MonthKey, Stream, halves, threshold};
use crate::tables::{BIRTH_AGES, DemographyTables, death_threshold_in};

/// A person leaving the population this month: a death, or an emigrant.
#[derive(Clone, Copy)]
struct Exit {
    row: u32,
    person: Demographics,
    age_years: u32,
    emigrant: bool,
}

/// What one chunk of rows produced this month.
#[derive(Default)]
struct ChunkOut {
    /// Deaths and emigrants together, in row order: the order they leave the victim pool and
    /// free their rows in, so that it never depends on where chunks begin.
    exits: Vec<Exit>,
    /// Newborns, in mother's row order.
    births: Vec<Newcomer>,
    births_by_mother_age: [u64; 7],
}

const DRAW_MAIN: u32 = 0;
const DRAW_NEWBORN_SEX: u32 = 1;

/// Deaths, births and emigration of living persons.
pub fn mortality_births_emigration(
    params: Res<Params>,
    calendar: Res<Calendar>,
    tables: Res<DemographyTables>,
    mut tally: ResMut<MonthTally>,
    mut census: ResMut<Census>,
    mut vacancies: ResMut<Vacancies>,
    mut newcomers: ResMut<Newcomers>,
    mut pool: Option<ResMut<PoolChanges>>,
    mut persons: ResMut<Persons>,
) {
    if persons.is_empty() {
        return;
    }
    let Persons { demo, .. } = &mut *persons;
    let now = calendar.now();
    let key = MonthKey::new(params.0.scenario.seed, Stream::Demography, calendar.key());
    let male_birth = threshold(tables.p_male_birth);
    let tables = &*tables;
    let rows_per_chunk = chunk_rows(demo.len());
    let outs: Vec<ChunkOut> = demo
        .par_chunks_mut(rows_per_chunk)
        .enumerate()
        .map(|(chunk, demo)| {
            let mut out = ChunkOut::default();
            let base = (chunk * rows_per_chunk) as u32;
            // The month's constants as the chunk's own copies: read through the closure's
            // captured references, they were loaded again for every person (the writes to the
            // rows might, for all the compiler knows, change them).
            let (now, key, male_birth) = (now, key, male_birth);
            let (emigration, births) = (tables.emigration, &tables.birth);
            let deaths = [&tables.death[0][..], &tables.death[1][..]];
            for (i, d) in demo.iter_mut().enumerate() {
                if d.slot != Slot::Alive {
                    continue;
                }
                let age = d.age_months(now);
                let years = age / 12;
                let (u_death, u_birth) = halves(key.bits(d.id.0, DRAW_MAIN));
                let sex = d.sex.index();
                // The month of life being lived is age - 1 (a newborn's first full month is 0).
                let dies = u_death < death_threshold_in(deaths[sex], age.saturating_sub(1));
                let b = births[sex][(years as usize).min(BIRTH_AGES - 1)];
                let birth = u_birth < b;
                // In [b, b + emigration): below b the subtraction wraps to a value above it.
                let emigrates = u_birth.wrapping_sub(b) < emigration;
                // One rarely-taken branch keeps the common path free of mispredictions.
                if !(dies | birth | emigrates) {
                    continue;
                }
                if dies | emigrates {
                    out.exits.push(Exit {
                        row: base + i as u32,
                        person: *d,
                        age_years: years,
                        emigrant: !dies,
                    });
                    d.slot = Slot::Vacant;
                } else {
                    let boy = halves(key.bits(d.id.0, DRAW_NEWBORN_SEX)).0 < male_birth;
                    out.births.push(Newcomer {
                        region: d.region,
                        sex: if boy { Sex::Male } else { Sex::Female },
                        birth_month: now,
                        arrival: Arrival::Birth,
                    });
                    out.births_by_mother_age[(years as usize - 15) / 5] += 1;
                }
            }
            out
        })
        .collect();
    for out in outs {
        for e in out.exits {
            let p = e.person;
            if let Some(pool) = pool.as_mut() {
                pool.remove(e.row, &p);
            }
            vacancies.0.push(e.row);
            census.remove(p.region, p.sex, p.birth_month);
            if e.emigrant {
                tally.flows.emigrants += 1;
            } else {
                tally.deaths_by_age[hist_index(p.region, p.sex.index(), e.age_years)] += 1;
                tally.flows.deaths += 1;
            }
        }
        tally.flows.births += out.births.len() as u64;
        newcomers.0.extend(out.births);
        for (a, b) in tally
            .flows
            .births_by_mother_age
            .iter_mut()
            .zip(out.births_by_mother_age)
        {
            *a += b;
        }
    }
}
