//! Reporting (docs/model.md section 4.7, stage 8): victims report or not; police detect some
//! unreported offences themselves (mainly drug and trafficking offences).
//!
//! The reporting probability is the type's (scaled at start to the observed SDG 16.3.1 rate for
//! violence), times the displacement penalty for displaced victims.
//!
//! Reads: `Params`, `Calendar`, `CrimeTables`, `Policing` (detection), `Demographics`. Writes: `OffenceBuffer` (reported,
//! detected), `HistoryTask` (the victims whose history changes), `MonthTally`. Stream: `Stream::Reporting`.

use bevy_ecs::prelude::*;
use rayon::prelude::*;

use crate::Params;
use crate::calendar::Calendar;
use crate::crime_tables::CrimeTables;
use crate::interventions::PolicyEffects;
use crate::justice::Policing;
use crate::metrics::{MonthTally, group_indices};
use crate::offence::{NO_ROW, OFFENCE_TYPES, OffenceBuffer, OffenceType};
use crate::par::{BackgroundQueue, Jobs, chunk_rows, touch};
use crate::persons::Persons;
use crate::rng::{MonthKey, Stream, to_unit};
use crate::systems::histories::{HistoryTask, Known};

/// What one task of the draws counted, and the victims it leaves for the ordered pass.
#[derive(Default)]
struct TaskOut {
    reported: u64,
    detected: u64,
    recorded: [u64; OFFENCE_TYPES],
    known: Vec<Known>,
}

/// Decides which offences become known to the police.
///
/// The draws come first, in parallel over blocks of the buffer ([`chunk_rows`] of its
/// length): each offence's are keyed by its offender, and the counts are integers, so neither
/// depends on the blocks or the threads. The few offences that change a victim's history are
/// listed, in the buffer's order, for [`crate::systems::histories`] to write.
pub fn report_offences(
    params: Res<Params>,
    effects: Res<PolicyEffects>,
    calendar: Res<Calendar>,
    tables: Res<CrimeTables>,
    policing: Res<Policing>,
    mut buffer: ResMut<OffenceBuffer>,
    mut tally: ResMut<MonthTally>,
    queue: Res<BackgroundQueue>,
    mut histories: ResMut<HistoryTask>,
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
    let key = MonthKey::new(p.scenario.seed, Stream::Reporting, calendar.key());
    let demo = &*demo;
    let (tables, effects, policing) = (&*tables, &*effects, &*policing);
    let per_task = chunk_rows(buffer.0.len());
    let outs: Vec<TaskOut> = buffer
        .0
        .par_chunks_mut(per_task)
        .job_per_chunk()
        .map(|offences| {
            let mut out = TaskOut::default();
            // The victims' rows are at random places of the table: touched first in a run of
            // independent reads, whose waits for memory overlap.
            touch(offences.iter().map(|o| o.victim_row), |v| {
                demo[v].displaced.into()
            });
            for o in offences.iter_mut() {
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
                    out.reported += 1;
                } else if o.detected {
                    out.detected += 1;
                }
                if o.recorded() {
                    out.recorded[c] += 1;
                }
                let Some(v) = victim else {
                    continue;
                };
                let changes_history = o.kind.is_nonlethal_violence() && o.reported;
                let detected_trafficking = o.kind == OffenceType::Trafficking && o.recorded();
                if changes_history || detected_trafficking {
                    let d = &demo[v];
                    out.known.push(Known {
                        trafficking: o.kind == OffenceType::Trafficking,
                        sexual: o.sexual,
                        victim: v as u32,
                        groups: group_indices(d.sex.index(), d.age_years(now), d.region, displaced),
                    });
                }
            }
            out
        })
        .collect();
    let tally = &mut *tally;
    for out in &outs {
        tally.flows.reported += out.reported;
        tally.flows.detected += out.detected;
        for (total, n) in tally.flows.recorded.iter_mut().zip(out.recorded) {
            *total += n;
        }
    }
    // The victims' reporting histories are written beside the justice stages, after their
    // victimisations (`systems::histories`).
    histories.start(
        &queue,
        experience,
        outs.into_iter().flat_map(|out| out.known),
    );
}
