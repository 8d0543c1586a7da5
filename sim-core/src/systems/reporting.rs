//! Reporting (docs/model.md section 4.7, stage 8): victims report or not; police detect some
//! unreported offences themselves (mainly drug and trafficking offences).
//!
//! The reporting probability is the type's (scaled at start to the observed SDG 16.3.1 rate for
//! violence), times the displacement penalty for displaced victims.
//!
//! Reads: `Params`, `Calendar`, `CrimeTables`, `Policing` (detection), `Demographics`. Writes: `OffenceBuffer` (reported,
//! detected), `Experience.victim.last_reported`, `MonthTally`. Stream: `Stream::Reporting`.

use bevy_ecs::prelude::*;

use crate::Params;
use crate::calendar::Calendar;
use crate::crime_tables::CrimeTables;
use crate::interventions::PolicyEffects;
use crate::justice::Policing;
use crate::metrics::{Counter, MonthTally, group_indices};
use crate::offence::{NO_ROW, OffenceBuffer, OffenceType};
use crate::persons::Persons;
use crate::rng::{MonthKey, Stream, to_unit};

/// Decides which offences become known to the police.
pub fn report_offences(
    params: Res<Params>,
    effects: Res<PolicyEffects>,
    calendar: Res<Calendar>,
    tables: Res<CrimeTables>,
    policing: Res<Policing>,
    mut buffer: ResMut<OffenceBuffer>,
    mut tally: ResMut<MonthTally>,
    mut persons: ResMut<Persons>,
) {
    if persons.is_empty() {
        return;
    }
    let Persons {
        demo, experience, ..
    } = &mut *persons;
    let p = &params.0;
    let now = calendar.now();
    let year_start = now - (calendar.month_of_year() - 1) as i16;
    let key = MonthKey::new(p.scenario.seed, Stream::Reporting, calendar.key());
    for o in buffer.0.iter_mut() {
        let c = o.kind.index();
        let mut prob = (tables.report[c] + effects.report_add[c]).min(0.98);
        let victim = (o.victim_row != NO_ROW).then_some(o.victim_row as usize);
        let displaced = victim.is_some_and(|v| demo[v].displaced);
        if displaced && o.kind != OffenceType::Homicide {
            prob *= p.justice.displaced_reporting_multiplier;
        }
        o.reported = to_unit(o.bits(key, 0)) < prob;
        if !o.reported {
            // Police find more where there are more of them (`systems::deployment`).
            let presence = policing.detection[o.region as usize];
            o.detected = to_unit(o.bits(key, 1))
                < p.crime.types[c].proactive * effects.detection[c] * presence;
        }
        if o.reported {
            tally.flows.reported += 1;
        } else if o.detected {
            tally.flows.detected += 1;
        }
        if o.recorded() {
            tally.flows.recorded[c] += 1;
        }
        let Some(v) = victim else {
            continue;
        };
        if o.kind == OffenceType::Homicide {
            continue;
        }
        let d = &demo[v];
        let groups = group_indices(d.sex.index(), d.age_years(now), d.region, displaced);
        if o.kind.is_nonlethal_violence() && o.reported {
            let h = &mut experience[v].victim;
            if h.last_reported() < year_start {
                tally.groups.add(Counter::ViolenceReporters, &groups);
            }
            let (last, counter) = if o.sexual {
                (&mut h.last_reported_sexual, Counter::SexualReporters)
            } else {
                (&mut h.last_reported_physical, Counter::PhysicalReporters)
            };
            if *last < year_start {
                tally.groups.add(counter, &groups);
            }
            *last = now;
        }
        if o.kind == OffenceType::Trafficking && o.recorded() {
            tally.groups.add(Counter::TraffickingDetected, &groups);
        }
    }
}
