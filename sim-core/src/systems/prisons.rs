//! Prisons (docs/model.md section 4.11, stage 12): releases at sentence end or on parole, deaths in
//! custody, transfers away from overcrowded regions, occupancy, costs and the stocks of the
//! month.
//!
//! In-custody mortality has two parts: natural deaths, at the life-table rate of people
//! `custody_age_offset_years` older (accelerated ageing), scaled at start to the observed rate
//! and rising with overcrowding and heat; and other deaths (suicide, homicide, accidents) at a
//! constant rate per prisoner. An ageing prison population therefore dies more often. A region above the transfer threshold sends its most recent
//! admissions to the least crowded regions below it.
//!
//! Reads: `Params`, `Calendar`, `DemographyTables`. Writes: `Prisons`, `Supervision`,
//! `ReleaseCohorts`, `Census`, `Vacancies`, person components of inmates, `RegionConditions`
//! (occupancy), `MonthTally`. Stream: `Stream::Prisons`.

use bevy_ecs::prelude::*;

use crate::Params;
use crate::calendar::Calendar;
use crate::census::Census;
use crate::custody::{count_exit, release_prisoner, same_person};
use crate::interventions::PolicyEffects;
use crate::justice::{Prisons, ReleaseCohorts, Supervised, Supervision};
use crate::metrics::{AGE_BINS, GroupStocks, MonthTally, group_indices, hist_index};
use crate::params::MAX_REGIONS;
use crate::person::{Demographics, JusticeState, Slot};
use crate::persons::Persons;
use crate::pool::VictimPool;
use crate::population::Vacancies;
use crate::prefetch::{par_map_ahead, prefetch};
use crate::region::RegionConditions;
use crate::rng::{MonthKey, Stream, halves, threshold};
use crate::tables::DemographyTables;

/// What the month holds for one prisoner.
enum Fate {
    /// Released at sentence end (or early, by an intervention).
    Released,
    /// Released on parole, supervised until the sentence ends.
    Paroled,
    /// Died in custody.
    Died,
    /// Stays.
    Stays,
}

/// Prisoners per parallel task of the month's draws (each a few keyed draws and a read, about
/// 0.1 us): a million agents hold about 2,000 prisoners, which tasks of 1,024 left mostly to
/// one thread.
const INMATES_PER_TASK: usize = 256;

/// Prisoners between the one gone through and the one whose row is asked of memory.
const ROWS_AHEAD: usize = 16;

/// What one prisoner's draws add to the month's counts.
#[derive(Clone, Copy, Debug, Default)]
struct FateCounts {
    /// Released early (older prisoners, by an intervention).
    early_release: bool,
    /// The probability of death in custody, when it was drawn (an expected count).
    expected_death: Option<f64>,
    /// Died of a cause other than natural mortality.
    other_death: bool,
}

impl FateCounts {
    /// Adds the counts to the month's (the expected deaths a prisoner at a time, in the
    /// roster's order, so that the float sum does not depend on the threads).
    fn add_to(self, tally: &mut MonthTally) {
        tally.flows.early_releases += u64::from(self.early_release);
        if let Some(p) = self.expected_death {
            tally.flows.expected.deaths_in_custody += p;
        }
        tally.flows.deaths_in_custody_other += u64::from(self.other_death);
    }
}

/// The month's facts every prisoner's fate is drawn against.
struct Month<'a> {
    p: &'a crate::params::ModelParams,
    effects: &'a PolicyEffects,
    demography: &'a DemographyTables,
    heatwave: &'a [bool],
    now: crate::person::MonthNo,
    key: MonthKey,
    /// Occupancy by region at the start of the month (prisoners per bed).
    occupancy: Vec<f64>,
    /// The custody age offset (months).
    offset: u32,
    /// Parole grant threshold.
    grant: u32,
    natural_scale: f64,
    other_death: f64,
    /// Whether prisoners can die this month: not in a burn-in, whose persons are the start's
    /// (all alive then).
    mortal: bool,
}

/// Releases, deaths, transfers and stocks.
pub fn run_prisons(
    params: Res<Params>,
    effects: Res<PolicyEffects>,
    calendar: Res<Calendar>,
    demography: Res<DemographyTables>,
    mut prisons: ResMut<Prisons>,
    mut supervision: ResMut<Supervision>,
    mut cohorts: ResMut<ReleaseCohorts>,
    mut pool: ResMut<VictimPool>,
    mut census: ResMut<Census>,
    mut vacancies: ResMut<Vacancies>,
    mut conditions: ResMut<RegionConditions>,
    mut tally: ResMut<MonthTally>,
    mut persons: ResMut<Persons>,
) {
    if persons.is_empty() {
        return;
    }
    let Persons {
        demo,
        socio,
        justice,
        ..
    } = &mut *persons;
    let p = &params.0;
    let now = calendar.now();
    let retirement = p.economy.retirement_age as u32;
    let month = Month {
        p,
        effects: &effects,
        demography: &demography,
        heatwave: &conditions.heatwave,
        now,
        key: MonthKey::new(p.scenario.seed, Stream::Prisons, calendar.key()),
        occupancy: prisons.occupancy(),
        offset: (p.prisons.custody_age_offset_years * 12.0).round() as u32,
        grant: threshold(p.justice.parole_grant_per_month),
        natural_scale: prisons.natural_mortality_scale,
        other_death: prisons.other_death_probability,
        mortal: !calendar.in_burn_in(),
    };
    let mut roster = std::mem::take(&mut prisons.roster);
    // Every prisoner's month is drawn first, in parallel: each reads the prisoner's row, at a
    // random place of the person table, and one after another each read waited for memory
    // (at one agent per person the roster holds about 130,000). What the draws count is
    // added after, in the roster's order.
    let drawn: Vec<Option<(Fate, FateCounts)>> = {
        let demo: &[Demographics] = demo;
        par_map_ahead(
            &roster[..],
            INMATES_PER_TASK,
            |a| prefetch(&demo[a.row as usize]),
            |i| same_person(demo, i.row, i.id).then(|| fate(&month, i, demo)),
        )
    };
    let mut drawn = drawn.into_iter();
    // The rows of the prisoners a few places ahead are asked of memory while each is gone
    // through (at one agent per person the roster's rows no longer sit in the caches).
    let rows: Vec<u32> = roster.iter().map(|i| i.row).collect();
    let mut place = 0;
    roster.retain(|i| {
        if let Some(&ahead) = rows.get(place + ROWS_AHEAD) {
            prefetch(&demo[ahead as usize]);
        }
        place += 1;
        let drawn = drawn.next().expect("one draw per prisoner");
        // Whether the row still holds the prisoner is asked again, in order (the row is in the
        // cache now): no one is in the roster twice, so nothing before can have changed it,
        // and if someone were, the month would still be the one of drawing in order.
        let (Some((fate, counts)), true) = (drawn, same_person(demo, i.row, i.id)) else {
            return false;
        };
        counts.add_to(&mut tally);
        match fate {
            Fate::Stays => return true,
            Fate::Released | Fate::Paroled => {
                let state = match fate {
                    Fate::Paroled => JusticeState::Community { until: i.until },
                    _ => JusticeState::Free,
                };
                release_prisoner(
                    demo,
                    socio,
                    justice,
                    &mut pool,
                    i.row,
                    state,
                    now,
                    retirement,
                    &mut cohorts,
                );
                if matches!(fate, Fate::Paroled) {
                    supervision.0.push(Supervised {
                        row: i.row,
                        id: i.id,
                        until: i.until,
                    });
                    tally.flows.paroles += 1;
                }
                tally.flows.releases += 1;
            }
            Fate::Died => {
                let r = i.row as usize;
                let d = demo[r];
                demo[r].slot = Slot::Vacant;
                justice[r].state = JusticeState::Free;
                vacancies.0.push(i.row);
                census.remove(d.region, d.sex, d.birth_month);
                let years = d.age_months(now) / 12;
                tally.deaths_by_age[hist_index(d.region, d.sex.index(), years)] += 1;
                tally.flows.deaths += 1;
                tally.flows.deaths_in_custody += 1;
            }
        }
        count_exit(&mut tally.flows, i, now);
        false
    });
    prisons.roster = roster;
    transfer_from_crowded(
        &mut prisons,
        p.regions.len(),
        p.prisons.transfer_threshold_pct / 100.0,
        &mut tally.flows.transfers,
    );
    let national = record_stocks(p, &prisons, demo, now, &mut tally);
    conditions.national_occupancy = national;
}

/// Draws what the month holds for prisoner `i`: release at sentence end (or early, for older
/// prisoners who have served half their time, under the intervention), parole once eligible,
/// or death in custody at the health of someone `offset` months older, worse when crowded or
/// in a heatwave. Counts early releases, expected deaths and deaths from other causes.
fn fate(m: &Month, i: &crate::justice::Inmate, demo: &[Demographics]) -> (Fate, FateCounts) {
    let mut counts = FateCounts::default();
    let fate = fate_counted(m, i, demo, &mut counts);
    (fate, counts)
}

/// [`fate`], with what it counts noted in `counts`.
fn fate_counted(
    m: &Month,
    i: &crate::justice::Inmate,
    demo: &[Demographics],
    counts: &mut FateCounts,
) -> Fate {
    let pr = &m.p.prisons;
    let r = i.row as usize;
    let now = m.now;
    let (u_death, u_parole) = halves(m.key.bits(i.id, 0));
    let early = m.effects.early_release_older > 0.0
        && i.sentenced
        && demo[r].age_years(now) >= pr.older_age as u32
        && i32::from(now) - i32::from(i.since) >= (i32::from(i.until) - i32::from(i.since)) / 2
        && m.key.uniform(i.id, 1) < m.effects.early_release_older;
    counts.early_release = early;
    if i.sentenced && (i.until <= now || early) {
        return Fate::Released;
    }
    if i.sentenced
        && i.parole_from <= now
        && i.parole_from != crate::person::NEVER
        && u_parole < m.grant
    {
        return Fate::Paroled;
    }
    if !m.mortal {
        return Fate::Stays;
    }
    let d = demo[r];
    let age = d.age_months(now);
    let region = i.prison_region as usize;
    let crowding = 1.0 + pr.overcrowding_mortality_effect * (m.occupancy[region] - 1.0).max(0.0);
    let heat = if m.heatwave[region] {
        1.0 + m.p.climate.prison_heat_mortality_effect * m.effects.prison_heat
    } else {
        1.0
    };
    let base = f64::from(m.demography.death_threshold(
        d.sex.index(),
        age.saturating_sub(1),
        m.offset,
    ));
    let natural = base * m.natural_scale * crowding * heat;
    let death = natural + m.other_death * 4_294_967_296.0;
    counts.expected_death = Some((death / 4_294_967_296.0).min(1.0));
    if f64::from(u_death) < death {
        counts.other_death = f64::from(u_death) >= natural;
        return Fate::Died;
    }
    Fate::Stays
}

/// The stocks of the month after releases, deaths and transfers: prisoners by group, age and
/// region, pre-trial and older prisoners, beds and occupancy by region, beds lost to damage, and
/// the month's prison cost (older prisoners cost more). Returns the national occupancy.
fn record_stocks(
    p: &crate::params::ModelParams,
    prisons: &Prisons,
    demo: &[Demographics],
    now: crate::person::MonthNo,
    tally: &mut MonthTally,
) -> f64 {
    let pr = &p.prisons;
    let regions = p.regions.len();
    let older = pr.older_age as u32;
    let mut stocks = GroupStocks::default();
    let (mut older_n, mut old65, mut pretrial) = (0u64, 0u64, 0u64);
    let mut cost_units = 0.0;
    // What the stocks need of each prisoner's row, read in parallel: the rows are at random
    // places of the person table (at one agent per person about 130,000 of them, whose reads
    // one after another took about 6 ms a month). The counts follow in the roster's order, so
    // the cost's float sum is the same.
    let rows: Vec<(usize, u32, bool)> = par_map_ahead(
        &prisons.roster,
        INMATES_PER_TASK,
        |a| prefetch(&demo[a.row as usize]),
        |i| {
            let d = &demo[i.row as usize];
            (d.sex.index(), d.age_years(now), d.displaced)
        },
    );
    for (i, (sex, years, displaced)) in prisons.roster.iter().zip(rows) {
        let groups = group_indices(sex, years, i.prison_region, displaced);
        for g in groups {
            stocks.prisoners[g] += 1;
            if !i.sentenced {
                stocks.pretrial[g] += 1;
            }
        }
        stocks.prisoner_ages[sex][(years as usize).min(AGE_BINS - 1)] += 1;
        stocks.held_by_region[i.prison_region as usize] += 1;
        pretrial += u64::from(!i.sentenced);
        if years >= older {
            older_n += 1;
            cost_units += pr.older_cost_multiplier;
        } else {
            cost_units += 1.0;
        }
        old65 += u64::from(years >= 65);
    }
    let (mut beds, mut all_beds) = (0.0, 0.0);
    for r in 0..regions.min(MAX_REGIONS) {
        stocks.beds_by_region[r] = prisons.usable_beds(r);
        beds += stocks.beds_by_region[r];
        // Beds lost are measured against the beds built (construction included), so the share
        // is climate damage alone and never negative.
        all_beds += prisons.beds[r] * prisons.beds_multiplier;
    }
    for r in 0..regions.min(MAX_REGIONS) {
        let b = stocks.beds_by_region[r];
        tally.stocks.occupancy_by_region[r] = if b > 0.0 {
            stocks.held_by_region[r] as f64 / b
        } else {
            0.0
        };
    }
    tally.stocks.prison_beds_lost_pct = if all_beds > 0.0 {
        100.0 * (1.0 - beds / all_beds)
    } else {
        0.0
    };
    let n = prisons.roster.len() as u64;
    tally.stocks.prisoners = n;
    tally.stocks.pretrial = pretrial;
    tally.stocks.prisoners_older = older_n;
    tally.stocks.prisoners_65plus = old65;
    tally.stocks.beds = beds;
    tally.flows.prison_cost = cost_units * p.scenario.scale() * pr.cost_per_prisoner_month;
    tally.group_stocks = stocks;
    if beds > 0.0 { n as f64 / beds } else { 0.0 }
}

/// Moves prisoners out of regions above `limit` (prisoners per bed) into the least crowded
/// regions below it, most recent admissions first.
fn transfer_from_crowded(prisons: &mut Prisons, regions: usize, limit: f64, transfers: &mut u64) {
    let mut held = prisons.held_by_region();
    let beds: Vec<f64> = (0..regions).map(|r| prisons.usable_beds(r)).collect();
    let room = |r: usize, held: &[usize]| beds[r] * limit - held[r] as f64;
    for from in 0..regions {
        let mut excess = held[from] as f64 - beds[from] * limit;
        if excess < 1.0 {
            continue;
        }
        // Move people from the end of the roster (latest admissions) held in `from`.
        for idx in (0..prisons.roster.len()).rev() {
            if excess < 1.0 {
                break;
            }
            if prisons.roster[idx].prison_region as usize != from {
                continue;
            }
            let target = (0..regions)
                .filter(|&r| r != from && room(r, &held) >= 1.0)
                .max_by(|&a, &b| {
                    let oa = held[a] as f64 / beds[a].max(1e-9);
                    let ob = held[b] as f64 / beds[b].max(1e-9);
                    ob.total_cmp(&oa).then(b.cmp(&a))
                });
            let Some(to) = target else {
                return;
            };
            prisons.roster[idx].prison_region = to as u8;
            held[from] -= 1;
            held[to] += 1;
            excess -= 1.0;
            *transfers += 1;
        }
    }
}
