//! Demography (MODEL.md section 4.3, stage 3): mortality, births and emigration in one pass.
//!
//! Ageing is implicit: age is derived from the birth month, so no write is needed for it.
//! Each living person gets one 64-bit draw: its low half decides death, its high half a birth
//! for women of reproductive age. Emigrants (net emigration only) use a second draw.
//!
//! Reads: `Params`, `Calendar`, `DemographyTables`. Writes: `Demographics.slot`, `Vacancies`,
//! `Newcomers` (births), `MonthTally`. Stream: `Stream::Demography`.

use bevy_ecs::prelude::*;
use rayon::prelude::*;

use crate::Params;
use crate::calendar::Calendar;
use crate::metrics::{MonthTally, hist_index};
use crate::par::CHUNK;
use crate::person::{Demographics, PersonId, Sex, Slot};
use crate::population::{Arrival, Newcomer, Newcomers, Vacancies};
use crate::rng::{MonthKey, Stream, halves, threshold};
use crate::tables::DemographyTables;

/// What one chunk of rows produced this month.
#[derive(Default)]
struct ChunkOut {
    /// (row, histogram index) of each death, in row order.
    deaths: Vec<(u32, u32)>,
    /// Rows of emigrants, in row order.
    emigrants: Vec<u32>,
    /// Newborns, in mother's row order.
    births: Vec<Newcomer>,
    births_by_mother_age: [u64; 7],
}

const DRAW_MAIN: u32 = 0;
const DRAW_NEWBORN_SEX: u32 = 1;
const DRAW_EMIGRATION: u32 = 2;

/// Deaths, births and emigration of living persons.
pub fn mortality_births_emigration(
    params: Res<Params>,
    calendar: Res<Calendar>,
    tables: Res<DemographyTables>,
    mut tally: ResMut<MonthTally>,
    mut vacancies: ResMut<Vacancies>,
    mut newcomers: ResMut<Newcomers>,
    mut persons: Query<(&PersonId, &mut Demographics)>,
) {
    let Some((ids, mut demo)) = crate::person_table!(persons) else {
        return;
    };
    let demo = demo.bypass_change_detection();
    let now = calendar.now();
    let key = MonthKey::new(
        params.0.scenario.seed,
        Stream::Demography,
        calendar.month_index,
    );
    let male_birth = threshold(tables.p_male_birth);
    let tables = &*tables;
    let outs: Vec<ChunkOut> = ids
        .par_chunks(CHUNK)
        .zip(demo.par_chunks_mut(CHUNK))
        .enumerate()
        .map(|(chunk, (ids, demo))| {
            let mut out = ChunkOut::default();
            let base = (chunk * CHUNK) as u32;
            for (i, (id, d)) in ids.iter().zip(demo.iter_mut()).enumerate() {
                if d.slot != Slot::Alive {
                    continue;
                }
                let age = d.age_months(now);
                let (u_death, u_birth) = halves(key.bits(id.0, DRAW_MAIN));
                let sex = d.sex.index();
                // The month of life being lived is age - 1 (a newborn's first full month is 0).
                if u_death < tables.death_threshold(sex, age.saturating_sub(1), 0) {
                    d.slot = Slot::Vacant;
                    let h = hist_index(d.region, sex, age / 12) as u32;
                    out.deaths.push((base + i as u32, h));
                    continue;
                }
                if tables.emigration > 0
                    && halves(key.bits(id.0, DRAW_EMIGRATION)).0 < tables.emigration
                {
                    d.slot = Slot::Vacant;
                    out.emigrants.push(base + i as u32);
                    continue;
                }
                if d.sex == Sex::Female {
                    let years = (age / 12) as usize;
                    if years < tables.birth.len() && u_birth < tables.birth[years] {
                        let boy = halves(key.bits(id.0, DRAW_NEWBORN_SEX)).0 < male_birth;
                        out.births.push(Newcomer {
                            region: d.region,
                            sex: if boy { Sex::Male } else { Sex::Female },
                            birth_month: now,
                            arrival: Arrival::Birth,
                        });
                        out.births_by_mother_age[(years - 15) / 5] += 1;
                    }
                }
            }
            out
        })
        .collect();
    for out in outs {
        for (row, h) in out.deaths {
            vacancies.0.push(row);
            tally.deaths_by_age[h as usize] += 1;
            tally.flows.deaths += 1;
        }
        tally.flows.emigrants += out.emigrants.len() as u64;
        vacancies.0.extend(out.emigrants);
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
