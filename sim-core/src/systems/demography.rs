//! Demography (docs/model.md section 4.3, stage 3): mortality, births and emigration in one pass.
//!
//! Ageing is implicit: age is derived from the birth month, so no write is needed for it.
//! Deaths, emigration and births are event-driven: each person carries the months of their
//! next death, emigration and birth ([`crate::vital`]), drawn as waiting times from the same
//! monthly hazards, so the month's pass compares the earliest of them with the month and
//! draws only for the few people whose clock rings (or was never drawn, or rang while they were
//! in custody). In a month with two events, death comes first, then emigration; a birth needs
//! the mother to stay.
//!
//! Reads: `Params`, `Calendar`, `DemographyTables`. Writes: `Persons.vital` and `vital_due`,
//! `Demographics.slot`, `Census`, `Vacancies`, `Newcomers` (births), `PoolChanges`,
//! `MonthTally`. Stream: `Stream::Demography`.

use bevy_ecs::prelude::*;
use rayon::prelude::*;

use crate::Params;
use crate::calendar::Calendar;
use crate::census::Census;
use crate::metrics::{MonthTally, hist_index};
use crate::par::{Jobs, chunk_rows};
use crate::person::{Demographics, MonthNo, Sex, Slot};
use crate::persons::Persons;
use crate::pool::PoolChanges;
use crate::population::{Arrival, Newcomer, Newcomers, Vacancies};
use crate::prefetch::prefetch;
use crate::rng::{MonthKey, Stream, halves, threshold};
use crate::tables::DemographyTables;
use crate::tempo;
use crate::vital::{VitalHazards, VitalMonths};

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

const DRAW_NEWBORN_SEX: u32 = 1;
const DRAW_DEATH: u32 = 2;
const DRAW_EMIGRATION: u32 = 3;
const DRAW_BIRTH: u32 = 4;
const DRAW_NEXT_BIRTH: u32 = 5;

/// What a person's clocks say in the month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Due {
    Nothing,
    Death,
    Emigration,
    Birth,
}

/// Draws the clocks of `v` that are before `now` (never drawn, or rung while the person was in
/// custody) from `now`, and says which event, if any, is due in `now`. After a birth the next
/// one is drawn from the month after. Out of line: a few people in a thousand get here.
#[cold]
#[inline(never)]
fn ring(
    v: &mut VitalMonths,
    d: &Demographics,
    now: MonthNo,
    key: MonthKey,
    clocks: &VitalHazards,
) -> Due {
    let age = d.age_months(now);
    let id = d.id.0;
    if v.death < now {
        v.death = clocks.death_month(d.sex, age, now, key.uniform(id, DRAW_DEATH));
    }
    if v.emigration < now {
        v.emigration = clocks.emigration_month(now, key.uniform(id, DRAW_EMIGRATION));
    }
    if v.birth < now {
        v.birth = clocks.birth_month(d.sex, age, now, key.uniform(id, DRAW_BIRTH));
    }
    if v.death == now {
        Due::Death
    } else if v.emigration == now {
        Due::Emigration
    } else if v.birth == now {
        let u = key.uniform(id, DRAW_NEXT_BIRTH);
        v.birth = clocks.birth_month(d.sex, age + 1, now + 1, u);
        Due::Birth
    } else {
        Due::Nothing
    }
}

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
    let Persons {
        demo,
        vital,
        vital_due,
        ..
    } = &mut *persons;
    let now = calendar.now();
    let key = MonthKey::new(params.0.scenario.seed, Stream::Demography, calendar.key());
    let male_birth = threshold(tables.p_male_birth);
    let clocks = &tables.clocks;
    let rows_per_chunk = chunk_rows(demo.len());
    let outs: Vec<ChunkOut> = vital
        .par_chunks_mut(rows_per_chunk)
        .zip(vital_due.par_chunks_mut(rows_per_chunk))
        .zip(demo.par_chunks_mut(rows_per_chunk))
        .enumerate()
        .job_per_chunk()
        .map(|(chunk, ((vital, vital_due), demo))| {
            let mut out = ChunkOut::default();
            let base = (chunk * rows_per_chunk) as u32;
            // The common path reads only the earliest clocks, 64 persons at a time: nothing is
            // due before them. The persons due (a few in a thousand, at scattered rows) are
            // found first and their rows asked of memory as they are found, so that the reads
            // overlap: one after another, each waited for memory.
            let mut due_rows = Vec::new();
            for start in (0..vital_due.len()).step_by(64) {
                tempo::due_block(vital_due, start, now, |i| {
                    prefetch(&demo[i]);
                    prefetch(&vital[i]);
                    due_rows.push(i);
                });
            }
            for i in due_rows {
                let d = &mut demo[i];
                if d.slot != Slot::Alive {
                    continue;
                }
                let v = &mut vital[i];
                let event = ring(v, d, now, key, clocks);
                let years = d.age_years(now);
                match event {
                    Due::Nothing => {}
                    Due::Death | Due::Emigration => {
                        out.exits.push(Exit {
                            row: base + i as u32,
                            person: *d,
                            age_years: years,
                            emigrant: event == Due::Emigration,
                        });
                        d.slot = Slot::Vacant;
                        *v = VitalMonths::VACANT;
                    }
                    Due::Birth => {
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
                vital_due[i] = v.next();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::PersonId;
    use crate::vital::NO_EVENT;

    fn tables() -> DemographyTables {
        DemographyTables::new(&crate::params::ModelParams::baseline()).unwrap()
    }

    fn man(id: u32, birth_month: MonthNo) -> Demographics {
        Demographics {
            id: PersonId(id),
            birth_month,
            sex: Sex::Male,
            region: 0,
            slot: Slot::Alive,
            displaced: false,
        }
    }

    /// A regression test of the clocks' one trap: a person whose death month passed while they
    /// were in custody (where the prison stage keeps their mortality) must not die on the first
    /// month back in the community, but at the life table's rate from then on.
    #[test]
    fn a_death_month_passed_in_custody_is_drawn_again_on_release() {
        let t = tables();
        let now: MonthNo = 120;
        let key = MonthKey::new(3, Stream::Demography, 120);
        let born = now - 70 * 12;
        let n = 100_000;
        let mut died = 0;
        for id in 0..n {
            let mut v = VitalMonths {
                death: now - 3,
                emigration: NO_EVENT,
                birth: NO_EVENT,
            };
            let due = ring(&mut v, &man(id, born), now, key, &t.clocks);
            assert!(v.death >= now, "a fresh death month, not the stale one");
            died += u32::from(due == Due::Death);
        }
        let q = t.mortality[0].monthly_q(70 * 12 - 1);
        let share = f64::from(died) / f64::from(n);
        // q is about 0.002 at 70: the binomial standard error of the share is 1.4e-4.
        assert!(
            (share - q).abs() < 6e-4,
            "{share} dying at once against {q}"
        );
    }

    /// The scan reads only the earliest-clock column: a person whose column were later than
    /// their clocks would be passed over when one rings (a death or birth missed), one earlier
    /// visited for nothing. Checked after every month of six years with deaths, births,
    /// migration, custody and newcomers taking vacant rows.
    #[test]
    fn the_earliest_clock_column_matches_the_clocks_after_every_month() {
        let mut p = crate::params::ModelParams::baseline();
        p.scenario.agents = 20_000;
        p.scenario.real_population = 2e6;
        p.scenario.years = 6;
        p.demography.net_migration_per_1000 = 3.0;
        let mut sim = crate::Simulation::new(p).unwrap();
        let (mut months, mut rung) = (0, 0u64);
        while !sim.finished() {
            let deaths_and_births = {
                let row = sim.step();
                row.flows.deaths + row.flows.births
            };
            rung += deaths_and_births;
            months += 1;
            let persons = sim.persons();
            assert_eq!(persons.vital_due.len(), persons.vital.len());
            let behind = persons
                .vital
                .iter()
                .zip(&persons.vital_due)
                .position(|(v, &due)| v.next() != due);
            assert_eq!(behind, None, "month {months}");
        }
        assert_eq!(months, 72);
        assert!(rung > 1000, "{rung} deaths and births");
    }

    #[test]
    fn after_a_birth_the_next_is_drawn_from_the_month_after() {
        let t = tables();
        let now: MonthNo = 50;
        let key = MonthKey::new(5, Stream::Demography, 50);
        let mother = Demographics {
            sex: Sex::Female,
            ..man(9, now - 28 * 12)
        };
        let mut v = VitalMonths {
            death: NO_EVENT,
            emigration: NO_EVENT,
            birth: now,
        };
        assert_eq!(ring(&mut v, &mother, now, key, &t.clocks), Due::Birth);
        assert!(v.birth > now && v.birth != NO_EVENT, "{}", v.birth);
        // A death in the same month comes first: no birth.
        let mut v = VitalMonths {
            death: now,
            emigration: NO_EVENT,
            birth: now,
        };
        assert_eq!(ring(&mut v, &mother, now, key, &t.clocks), Due::Death);
    }
}
