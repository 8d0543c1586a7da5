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
use crate::person::{Demographics, Justice, JusticeState, Slot, Socioeconomic};
use crate::pool::VictimPool;
use crate::population::Vacancies;
use crate::region::RegionConditions;
use crate::rng::{MonthKey, Stream, halves, threshold};
use crate::tables::DemographyTables;

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
    mut persons: Query<(&mut Demographics, &mut Socioeconomic, &mut Justice)>,
) {
    let Some((mut demo, mut socio, mut justice)) = crate::person_table!(persons) else {
        return;
    };
    let demo = demo.bypass_change_detection();
    let socio = socio.bypass_change_detection();
    let justice = justice.bypass_change_detection();
    let p = &params.0;
    let pr = &p.prisons;
    let now = calendar.now();
    let key = MonthKey::new(p.scenario.seed, Stream::Prisons, calendar.month_index);
    let retirement = p.economy.retirement_age as u32;
    let regions = p.regions.len();
    let occupancy = prisons.occupancy();
    let offset = (pr.custody_age_offset_years * 12.0).round() as u32;
    let grant = threshold(p.justice.parole_grant_per_month);
    let mut roster = std::mem::take(&mut prisons.roster);
    roster.retain(|i| {
        if !same_person(demo, i.row, i.id) {
            return false;
        }
        let r = i.row as usize;
        let (u_death, u_parole) = halves(key.bits(i.id, 0));
        // Release at sentence end, or on parole once eligible.
        // Early release of older prisoners who have served half their time (intervention).
        let early = effects.early_release_older > 0.0
            && i.sentenced
            && demo[r].age_years(now) >= pr.older_age as u32
            && i32::from(now) - i32::from(i.since) >= (i32::from(i.until) - i32::from(i.since)) / 2
            && key.uniform(i.id, 1) < effects.early_release_older;
        if early {
            tally.flows.early_releases += 1;
        }
        if i.sentenced && (i.until <= now || early) {
            release_prisoner(
                demo,
                socio,
                justice,
                &mut pool,
                i.row,
                JusticeState::Free,
                now,
                retirement,
                &mut cohorts,
            );
            tally.flows.releases += 1;
            count_exit(&mut tally.flows, i, now);
            return false;
        }
        if i.sentenced
            && i.parole_from <= now
            && i.parole_from != crate::person::NEVER
            && u_parole < grant
        {
            let until = i.until;
            release_prisoner(
                demo,
                socio,
                justice,
                &mut pool,
                i.row,
                JusticeState::Community { until },
                now,
                retirement,
                &mut cohorts,
            );
            supervision.0.push(Supervised {
                row: i.row,
                id: i.id,
                until,
            });
            tally.flows.releases += 1;
            tally.flows.paroles += 1;
            count_exit(&mut tally.flows, i, now);
            return false;
        }
        // Death in custody: health of someone `offset` months older, worse when crowded.
        let d = demo[r];
        let age = d.age_months(now);
        let crowding = 1.0
            + pr.overcrowding_mortality_effect
                * (occupancy[i.prison_region as usize] - 1.0).max(0.0);
        let heat = if conditions.heatwave[i.prison_region as usize] {
            1.0 + p.climate.prison_heat_mortality_effect * effects.prison_heat
        } else {
            1.0
        };
        let base =
            f64::from(demography.death_threshold(d.sex.index(), age.saturating_sub(1), offset));
        let natural = base * prisons.natural_mortality_scale * crowding * heat;
        let death = natural + prisons.other_death_probability * 4_294_967_296.0;
        tally.flows.expected.deaths_in_custody += (death / 4_294_967_296.0).min(1.0);
        if f64::from(u_death) < death {
            if f64::from(u_death) >= natural {
                tally.flows.deaths_in_custody_other += 1;
            }
            demo[r].slot = Slot::Vacant;
            justice[r].state = JusticeState::Free;
            vacancies.0.push(i.row);
            census.remove(d.region, d.sex, d.birth_month);
            tally.deaths_by_age[hist_index(d.region, d.sex.index(), age / 12)] += 1;
            tally.flows.deaths += 1;
            tally.flows.deaths_in_custody += 1;
            count_exit(&mut tally.flows, i, now);
            return false;
        }
        true
    });
    prisons.roster = roster;
    transfer_from_crowded(
        &mut prisons,
        regions,
        p.prisons.transfer_threshold_pct / 100.0,
        &mut tally.flows.transfers,
    );
    // Stocks, costs and occupancy of the month.
    let older = pr.older_age as u32;
    let mut stocks = GroupStocks::default();
    let (mut older_n, mut old65, mut pretrial) = (0u64, 0u64, 0u64);
    let mut cost_units = 0.0;
    for i in &prisons.roster {
        let d = &demo[i.row as usize];
        let years = d.age_years(now);
        let groups = group_indices(d.sex.index(), years, i.prison_region, d.displaced);
        for g in groups {
            stocks.prisoners[g] += 1;
            if !i.sentenced {
                stocks.pretrial[g] += 1;
            }
        }
        stocks.prisoner_ages[d.sex.index()][(years as usize).min(AGE_BINS - 1)] += 1;
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
    conditions.national_occupancy = if beds > 0.0 { n as f64 / beds } else { 0.0 };
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
