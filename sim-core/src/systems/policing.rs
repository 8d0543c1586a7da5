//! Policing (docs/model.md section 4.8, stage 9): recorded offences are cleared within police
//! capacity; cleared offences produce suspects; the past year's clearances per offence committed
//! (the chance of being caught, Nagin 2013) set deterrence.
//!
//! Clearance of a recorded offence of type c in region r: `clearance_c * min(1, capacity_r /
//! workload_r)^gamma`, workload being the month's recorded offences. An offender already in
//! custody or awaiting trial adds no new suspect. Online fraud adds to the workload but not to
//! the certainty signal of deterrence (`OffenceType::signals_deterrence`). Offences with a prosecution delay (historic
//! sexual offences) lead to an arrest months or years later.
//!
//! Reads: `Params`, `Calendar`, `CrimeTables`, `OffenceBuffer`, `Demographics`. Writes:
//! `Justice` (arrests), `Suspects`, `DelayedArrests`, `ReleaseCohorts`, `Policing`, `MonthTally`.
//! Stream: `Stream::Policing`.

use bevy_ecs::prelude::*;
use rayon::prelude::*;

use crate::Params;
use crate::calendar::Calendar;
use crate::custody::same_person;
use crate::justice::{DelayedArrest, DelayedArrests, Policing, ReleaseCohorts, Suspect, Suspects};
use crate::metrics::{Counter, MonthTally, group_indices};
use crate::offence::{OffenceBuffer, OffenceType};
use crate::par::{chunk_rows, touch};
use crate::params::MAX_REGIONS;
use crate::person::{Demographics, Justice, JusticeState, MonthNo, Slot};
use crate::persons::Persons;
use crate::rng::{MonthKey, Stream, to_unit};

/// Arrests `s` if they are free in the community and not already in the justice system.
pub(crate) fn arrest(
    s: Suspect,
    now: MonthNo,
    demo: &[Demographics],
    justice: &mut [Justice],
    suspects: &mut Suspects,
    cohorts: &mut ReleaseCohorts,
) -> bool {
    if !same_person(demo, s.row, s.id) || demo[s.row as usize].slot != Slot::Alive {
        return false;
    }
    let j = &mut justice[s.row as usize];
    if !matches!(j.state, JusticeState::Free | JusticeState::Community { .. }) {
        return false;
    }
    if j.last_release != crate::person::NEVER && j.last_arrest < j.last_release {
        cohorts.rearrest(j.last_release, now);
    }
    j.state = JusticeState::Suspect;
    j.last_arrest = now;
    suspects.0.push(s);
    true
}

/// Clears recorded offences, makes arrests and updates deterrence.
pub fn clear_offences(
    params: Res<Params>,
    calendar: Res<Calendar>,
    mut buffer: ResMut<OffenceBuffer>,
    mut policing: ResMut<Policing>,
    mut suspects: ResMut<Suspects>,
    mut delayed: ResMut<DelayedArrests>,
    mut cohorts: ResMut<ReleaseCohorts>,
    mut tally: ResMut<MonthTally>,
    mut persons: ResMut<Persons>,
) {
    suspects.0.clear();
    if persons.is_empty() {
        return;
    }
    let Persons { demo, justice, .. } = &mut *persons;
    let p = &params.0;
    let now = calendar.now();
    let key = MonthKey::new(p.scenario.seed, Stream::Policing, calendar.key());
    let regions = p.regions.len();
    // Arrests that were decided earlier come due first.
    let due: Vec<DelayedArrest> = {
        let (due, later): (Vec<_>, Vec<_>) = delayed.0.drain(..).partition(|a| a.due <= now);
        delayed.0 = later;
        due
    };
    // Arrests by the arrested person's group: with offences by group, the equity indicators.
    let count_arrest = |tally: &mut MonthTally, row: u32| {
        let d = &demo[row as usize];
        let g = group_indices(d.sex.index(), d.age_years(now), d.region, d.displaced);
        tally.groups.add(Counter::Arrests, &g);
    };
    for a in due {
        if arrest(a.suspect, now, demo, justice, &mut suspects, &mut cohorts) {
            tally.flows.delayed_arrests += 1;
            count_arrest(&mut tally, a.suspect.row);
        }
    }
    let (mut workload, mut committed) = ([0u32; MAX_REGIONS], [0u32; MAX_REGIONS]);
    let (mut drug, mut drug_recorded) = ([0u32; MAX_REGIONS], [0u32; MAX_REGIONS]);
    for o in buffer.0.iter() {
        let r = o.region as usize;
        committed[r] += u32::from(o.kind.signals_deterrence());
        workload[r] += u32::from(o.recorded());
        if o.kind == OffenceType::Drug {
            drug[r] += 1;
            drug_recorded[r] += u32::from(o.recorded());
        }
    }
    let factor: Vec<f64> = (0..regions)
        .map(|r| {
            let cap = policing.capacity[r] * p.justice.police_capacity_multiplier;
            let w = f64::from(workload[r]);
            let ratio = if w > 0.0 { cap / w } else { 1.0 };
            ratio.min(1.0).powf(p.justice.clearance_capacity_gamma)
        })
        .collect();
    // Which recorded offences are cleared: one draw each, in parallel.
    let per_task = chunk_rows(buffer.0.len());
    buffer.0.par_chunks_mut(per_task).for_each(|offences| {
        for o in offences.iter_mut().filter(|o| o.recorded()) {
            let prob = p.crime.types[o.kind.index()].clearance * factor[o.region as usize];
            o.cleared = to_unit(o.bits(key, 0)) < prob;
        }
    });
    // The arrests that follow read the offenders' rows, at random places of the table.
    touch(
        buffer
            .0
            .iter()
            .filter(|o| o.cleared)
            .map(|o| o.offender_row),
        |r| demo[r].id.0 ^ justice[r].last_arrest as u32,
    );
    let mut cleared = [0u32; MAX_REGIONS];
    for o in buffer.0.iter().filter(|o| o.cleared) {
        let c = o.kind.index();
        cleared[o.region as usize] += u32::from(o.kind.signals_deterrence());
        tally.flows.cleared += 1;
        let s = Suspect {
            row: o.offender_row,
            id: o.offender_id,
            kind: o.kind,
            region: o.region,
            historic: false,
        };
        let mean_delay = p.crime.types[c].prosecution_delay_years * 12.0;
        if mean_delay > 0.0 {
            let u = to_unit(o.bits(key, 1)).max(1e-12);
            let months = (-u.ln() * mean_delay).round() as i32;
            if months > 0 {
                delayed.0.push(DelayedArrest {
                    due: (i32::from(now) + months).min(i32::from(MonthNo::MAX)) as MonthNo,
                    suspect: s,
                });
                continue;
            }
        }
        if arrest(s, now, demo, justice, &mut suspects, &mut cohorts) {
            tally.flows.suspects += 1;
            count_arrest(&mut tally, s.row);
        }
    }
    // Deterrence: this month's clearances per offence committed enter the 12-month window.
    let slot = (calendar.month_of_year() - 1) as usize;
    let delta = p.crime.deterrence_elasticity;
    for r in 0..regions {
        policing.window_offences[r][slot] = f64::from(committed[r]);
        policing.window_drug[r][slot] = f64::from(drug[r]);
        policing.window_drug_recorded[r][slot] = f64::from(drug_recorded[r]);
        policing.window_cleared[r][slot] = f64::from(cleared[r]);
        let offences: f64 = policing.window_offences[r].iter().sum();
        let clr: f64 = policing.window_cleared[r].iter().sum();
        let base = policing.baseline_arrest_rate[r];
        policing.deterrence[r] = if offences > 0.0 && clr > 0.0 && base > 0.0 {
            ((clr / offences) / base).powf(-delta)
        } else {
            1.0
        };
    }
    let officers: f64 = p
        .regions
        .iter()
        .map(|r| r.police_per_100k * r.population_share)
        .sum::<f64>()
        * p.scenario.real_population
        / 1e5;
    tally.flows.police_cost =
        officers * p.justice.police_capacity_multiplier * p.justice.police_cost_per_officer_year
            / 12.0;
}
