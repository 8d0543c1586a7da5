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
use crate::offence::{Offence, OffenceBuffer, OffenceType};
use crate::par::{Jobs, chunk_rows};
use crate::params::MAX_REGIONS;
use crate::person::{Demographics, Justice, JusticeState, MonthNo, Slot};
use crate::persons::Persons;
use crate::prefetch::prefetch;
use crate::rng::{MonthKey, Stream, to_unit};

/// Cleared offences per parallel task of finding their suspects.
const OFFENCES_PER_TASK: usize = 1024;

/// Cleared offences between the one whose suspect is arrested and the one whose row is asked
/// of memory.
const ROWS_AHEAD: usize = 8;

/// Arrests `s` if they are free in the community and not already in the justice system.
pub(crate) fn arrest(
    s: Suspect,
    now: MonthNo,
    demo: &[Demographics],
    justice: &mut [Justice],
    suspects: &mut Suspects,
    cohorts: &mut ReleaseCohorts,
) -> bool {
    at_large(demo, s) && arrest_at_large(s, now, justice, suspects, cohorts)
}

/// The output groups an arrest of `d` in month `now` counts in: with offences by group, the
/// equity indicators.
fn arrest_groups(d: &Demographics, now: MonthNo) -> [usize; 4] {
    group_indices(d.sex.index(), d.age_years(now), d.region, d.displaced)
}

/// Whether the row still holds suspect `s`, alive and out of custody.
fn at_large(demo: &[Demographics], s: Suspect) -> bool {
    same_person(demo, s.row, s.id) && demo[s.row as usize].slot == Slot::Alive
}

/// [`arrest`] of a suspect known to be at large: the arrest is made unless they are already
/// in the justice system.
fn arrest_at_large(
    s: Suspect,
    now: MonthNo,
    justice: &mut [Justice],
    suspects: &mut Suspects,
    cohorts: &mut ReleaseCohorts,
) -> bool {
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

/// The month's recorded workload and committed offences by region, which set the clearance
/// chances and deterrence.
#[derive(Clone, Copy, Default)]
struct Workload {
    /// Recorded offences.
    recorded: [u32; MAX_REGIONS],
    /// Offences that signal deterrence ([`OffenceType::signals_deterrence`]).
    committed: [u32; MAX_REGIONS],
    /// Drug offences, and those recorded.
    drug: [u32; MAX_REGIONS],
    drug_recorded: [u32; MAX_REGIONS],
}

impl Workload {
    fn of(offences: &[Offence]) -> Self {
        let mut w = Workload::default();
        for o in offences {
            let r = o.region as usize;
            w.committed[r] += u32::from(o.kind.signals_deterrence());
            w.recorded[r] += u32::from(o.recorded());
            if o.kind == OffenceType::Drug {
                w.drug[r] += 1;
                w.drug_recorded[r] += u32::from(o.recorded());
            }
        }
        w
    }

    /// Integer sums: the same totals however the buffer was split.
    fn plus(mut self, other: Workload) -> Self {
        let pairs = [
            (&mut self.recorded, &other.recorded),
            (&mut self.committed, &other.committed),
            (&mut self.drug, &other.drug),
            (&mut self.drug_recorded, &other.drug_recorded),
        ];
        for (total, part) in pairs {
            for (t, x) in total.iter_mut().zip(part) {
                *t += x;
            }
        }
        self
    }
}

/// A cleared offence's suspect, with what their arrest needs from their row and draws.
struct Cleared {
    suspect: Suspect,
    /// Months until the arrest (0: this month).
    delay: i32,
    /// Whether the row still holds the suspect, alive and out of custody.
    at_large: bool,
    /// The suspect's groups, for the arrests by group.
    groups: [usize; 4],
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
    for a in delayed.take_due(now) {
        if arrest(a.suspect, now, demo, justice, &mut suspects, &mut cohorts) {
            tally.flows.delayed_arrests += 1;
            let g = arrest_groups(&demo[a.suspect.row as usize], now);
            tally.groups.add(Counter::Arrests, &g);
        }
    }
    let per_task = chunk_rows(buffer.0.len());
    let Workload {
        recorded: workload,
        committed,
        drug,
        drug_recorded,
    } = buffer
        .0
        .par_chunks(per_task)
        .job_per_chunk()
        .map(Workload::of)
        .reduce(Workload::default, Workload::plus);
    let factor: Vec<f64> = (0..regions)
        .map(|r| {
            let cap = policing.capacity[r] * p.justice.police_capacity_multiplier;
            let w = f64::from(workload[r]);
            let ratio = if w > 0.0 { cap / w } else { 1.0 };
            ratio.min(1.0).powf(p.justice.clearance_capacity_gamma)
        })
        .collect();
    // Which recorded offences are cleared: one draw each, in parallel.
    buffer
        .0
        .par_chunks_mut(per_task)
        .job_per_chunk()
        .for_each(|offences| {
            for o in offences.iter_mut().filter(|o| o.recorded()) {
                let prob = p.crime.types[o.kind.index()].clearance * factor[o.region as usize];
                o.cleared = to_unit(o.bits(key, 0)) < prob;
            }
        });
    // The suspects of the cleared offences, in parallel: each reads the offender's row, at a
    // random place of the table, and draws the delay of a late prosecution. Nothing the
    // arrests change is read here (a person cleared of two offences is arrested once: whether
    // they already are is asked in order below).
    let cleared: Vec<Cleared> = {
        let demo: &[Demographics] = demo;
        buffer
            .0
            .par_iter()
            .jobs_of(OFFENCES_PER_TASK)
            .filter(|o| o.cleared)
            .map(|o| {
                let suspect = Suspect {
                    row: o.offender_row,
                    id: o.offender_id,
                    kind: o.kind,
                    region: o.region,
                    historic: false,
                };
                let mean_delay = p.crime.types[o.kind.index()].prosecution_delay_years * 12.0;
                let delay = if mean_delay > 0.0 {
                    let u = to_unit(o.bits(key, 1)).max(1e-12);
                    (-u.ln() * mean_delay).round() as i32
                } else {
                    0
                };
                let at_large = at_large(demo, suspect);
                let groups = if at_large {
                    arrest_groups(&demo[suspect.row as usize], now)
                } else {
                    [0; 4]
                };
                Cleared {
                    suspect,
                    delay,
                    at_large,
                    groups,
                }
            })
            .collect()
    };
    let mut cleared_signals = [0u32; MAX_REGIONS];
    for (k, c) in cleared.iter().enumerate() {
        if let Some(ahead) = cleared.get(k + ROWS_AHEAD) {
            prefetch(&justice[ahead.suspect.row as usize]);
        }
        let s = c.suspect;
        cleared_signals[s.region as usize] += u32::from(s.kind.signals_deterrence());
        tally.flows.cleared += 1;
        if c.delay > 0 {
            delayed.push(DelayedArrest {
                due: (i32::from(now) + c.delay).min(i32::from(MonthNo::MAX)) as MonthNo,
                suspect: s,
            });
            continue;
        }
        if c.at_large && arrest_at_large(s, now, justice, &mut suspects, &mut cohorts) {
            tally.flows.suspects += 1;
            tally.groups.add(Counter::Arrests, &c.groups);
        }
    }
    // Deterrence: this month's clearances per offence committed enter the 12-month window.
    let slot = (calendar.month_of_year() - 1) as usize;
    let delta = p.crime.deterrence_elasticity;
    for r in 0..regions {
        policing.window_offences[r][slot] = f64::from(committed[r]);
        policing.window_drug[r][slot] = f64::from(drug[r]);
        policing.window_drug_recorded[r][slot] = f64::from(drug_recorded[r]);
        policing.window_cleared[r][slot] = f64::from(cleared_signals[r]);
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
