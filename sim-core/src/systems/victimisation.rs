//! Victimisation (docs/model.md section 4.6, stage 7): each offence with a victim gets one, drawn from
//! the free people of the offender's region with relative risks by type, sex, age and
//! displacement (young men for homicide, women 15-49 for gender-based violence, people 60+ for
//! elder abuse, women, children and displaced people for trafficking). Online fraud reaches
//! anyone online in the country: its victim's region is drawn first, in proportion to the
//! regions' weights, which carry their internet use.
//!
//! Victims are drawn from [`VictimPool`] (free people by region, sex, birth year and
//! displacement): a cell in proportion to (people x risk), then a person in the cell. Homicide
//! victims die.
//!
//! Reads: `Params`, `Calendar`, `CrimeTables`, `VictimWeights`, `Demographics`. Writes:
//! `VictimWeights` (first system), `OffenceBuffer` (victims),
//! `HistoryTask` (the victims, whose histories `systems::histories` writes), `Demographics.slot` (homicide), `Census`, `VictimPool`, `Vacancies`,
//! `MonthTally`. Stream: `Stream::Victimisation`.

use std::sync::Arc;

use bevy_ecs::prelude::*;
use rayon::prelude::*;

use crate::Params;
use crate::calendar::Calendar;
use crate::census::Census;
use crate::crime_tables::CrimeTables;
use crate::interventions::PolicyEffects;
use crate::metrics::{AGE_BINS, MonthTally, hist_index};
use crate::offence::{OFFENCE_TYPES, Offence, OffenceBuffer, OffenceType};
use crate::par::{BackgroundQueue, Jobs};
use crate::person::Slot;
use crate::persons::Persons;
use crate::pool::VictimPool;
use crate::population::Vacancies;
use crate::rng::{MonthKey, Stream, to_unit};
use crate::systems::expected_victims::ExpectationTask;
use crate::systems::histories::{HistoryTask, Incident, Victimised};

/// Most attempts to find a victim before the offence is left without one (counted).
const MAX_ATTEMPTS: u32 = 32;

/// Draw index of whether a gender-based violence is sexual: above every attempt's indices
/// (`1 + 2 * attempt`, `2 + 2 * attempt`), so adding it changed no other draw.
const SEXUAL_DRAW: u32 = 2 + 2 * MAX_ATTEMPTS;

/// Draw index of the victim's region for offences that reach nationally (online fraud).
const REGION_DRAW: u32 = SEXUAL_DRAW + 1;

/// Draw index of whether a property crime is a robbery.
const ROBBERY_DRAW: u32 = REGION_DRAW + 1;

/// Offences per parallel task of the victim picks.
const PICKS_PER_TASK: usize = 512;

/// Picks per parallel task of those redone between two homicides: a run's stale picks are a
/// few hundred at one agent per person, which tasks of [`PICKS_PER_TASK`] left to one thread.
const REDONE_PER_TASK: usize = 64;

/// The month's victim-cell weights: per type and region, the cumulative (people x risk) over
/// the region's cells of the victim pool, and the same for elder abuse (people 60+). Built once
/// a month before any victim is drawn; read by the draws and by the expected counts.
///
/// Shared, not copied: the expected victims, computed beside the rest of the month, hold the
/// same tables (about 270 kB a month, whose copy took as long as a parallel pass at 20,000
/// agents), and the next month's weighing rewrites them in place once that work is done.
#[derive(Resource, Clone, Debug, Default)]
pub struct VictimWeights(Arc<WeightTables>);

impl std::ops::Deref for VictimWeights {
    type Target = WeightTables;
    fn deref(&self) -> &WeightTables {
        &self.0
    }
}

impl VictimWeights {
    /// The tables, shared with whoever else reads this month's weights.
    pub(crate) fn shared(&self) -> Arc<WeightTables> {
        Arc::clone(&self.0)
    }
}

/// The weights' tables (see [`VictimWeights`]).
#[derive(Clone, Debug, Default)]
pub struct WeightTables {
    /// `cumulative[type][region][k]`: weights of cells `0..=k` of the region.
    pub cumulative: [Vec<Vec<f64>>; OFFENCE_TYPES],
    /// `elder[region][k]`: people 60+ in cells `0..=k` of the region.
    pub elder: Vec<Vec<f64>>,
}

impl WeightTables {
    /// Weight of cell `k` of region `r` for type `c`.
    #[inline]
    pub fn weight(&self, c: usize, r: usize, k: usize) -> f64 {
        let cum = &self.cumulative[c][r];
        cum[k] - if k > 0 { cum[k - 1] } else { 0.0 }
    }

    /// Total weight of region `r` for type `c`.
    #[inline]
    pub fn total(&self, c: usize, r: usize) -> f64 {
        *self.cumulative[c][r].last().unwrap_or(&0.0)
    }

    /// The region of a victim of type `c` whose uniform is `u`, regions in proportion to their
    /// total weights (the last region if every weight is zero).
    pub fn pick_region(&self, c: usize, u: f64) -> usize {
        let regions = self.cumulative[c].len();
        let national: f64 = (0..regions).map(|r| self.total(c, r)).sum();
        let mut target = u * national;
        for r in 0..regions {
            target -= self.total(c, r);
            if target < 0.0 {
                return r;
            }
        }
        regions.saturating_sub(1)
    }

    /// People 60+ in cell `k` of region `r`, and in the region.
    #[inline]
    pub fn elder(&self, r: usize, k: usize) -> (f64, f64) {
        let cum = &self.elder[r];
        let here = cum[k] - if k > 0 { cum[k - 1] } else { 0.0 };
        (here, *cum.last().unwrap_or(&0.0))
    }
}

/// Displacement multiplier of victimisation risk for type `c`.
pub(crate) fn displaced_risk(
    p: &crate::params::ModelParams,
    effects: &PolicyEffects,
    c: usize,
) -> f64 {
    match OffenceType::from_index(c) {
        OffenceType::Trafficking => {
            1.0 + (p.crime.displaced_trafficking_multiplier - 1.0) * effects.displaced_trafficking
        }
        OffenceType::Gbv => p.crime.displaced_gbv_multiplier,
        OffenceType::Fraud => p.justice.digital_access_displaced_multiplier,
        _ => 1.0,
    }
}

/// Weighs the victim pool's cells for the month.
pub(crate) fn weigh_victim_cells(
    params: Res<Params>,
    effects: Res<PolicyEffects>,
    calendar: Res<Calendar>,
    tables: Res<CrimeTables>,
    pool: Res<VictimPool>,
    mut weights: ResMut<VictimWeights>,
) {
    let p = &params.0;
    let t = &*tables;
    let now = calendar.now();
    let regions = p.regions.len();
    let per_region = pool.cells_per_region();
    // Copies only if last month's expected victims still held the tables (they never do: they
    // are collected before the month ends) or a snapshot shares them.
    let WeightTables { cumulative, elder } = Arc::make_mut(&mut weights.0);
    for by_region in cumulative.iter_mut() {
        by_region.resize_with(regions, Vec::new);
        for cells in by_region.iter_mut() {
            cells.resize(per_region, 0.0);
        }
    }
    elder.resize_with(regions, Vec::new);
    for cells in elder.iter_mut() {
        cells.resize(per_region, 0.0);
    }
    let mult: [f64; OFFENCE_TYPES] = std::array::from_fn(|c| displaced_risk(p, &effects, c));
    let fraud = OffenceType::Fraud.index();
    // Each region's cells are weighed on their own (a running sum per region and type), so the
    // regions are shared out between threads with the same result: the month's longest serial
    // stretch on the calling thread at 20,000 agents before.
    let mut by_type = cumulative.each_mut().map(|by_region| by_region.iter_mut());
    let by_region: Vec<RegionCells<'_>> = elder
        .iter_mut()
        .map(|cells| RegionCells {
            out: by_type
                .each_mut()
                .map(|regions| &mut regions.next().expect("a table per region")[..per_region]),
            elders: &mut cells[..per_region],
        })
        .collect();
    let pool = &*pool;
    let in_burn_in = calendar.in_burn_in();
    by_region
        .into_par_iter()
        .enumerate()
        .for_each(|(r, RegionCells { mut out, elders })| {
            // Online fraud reaches the region's people who are online.
            let settled: [f64; OFFENCE_TYPES] = std::array::from_fn(|c| {
                if c == fraud {
                    crate::digital::regional_mean_access(p, r, now)
                } else {
                    1.0
                }
            });
            // One pass over the cells with a running sum per type: the types' sums are
            // independent chains, and an empty cell (most displaced cells, cohorts not yet
            // born) adds nothing.
            let when_displaced: [f64; OFFENCE_TYPES] =
                std::array::from_fn(|c| settled[c] * mult[c]);
            let mut sums = [0.0f64; OFFENCE_TYPES];
            let mut elder_sum = 0.0;
            for k in 0..per_region {
                let (sex, cohort, displaced) = pool.decode(k);
                // In a burn-in, cohorts not yet born are in the table but cannot be victims.
                let unborn = in_burn_in && !pool.cohort_born_by(cohort, now);
                let n = if unborn {
                    0.0
                } else {
                    pool.count(r * per_region + k) as f64
                };
                if n > 0.0 {
                    let age = (pool.cohort_age(cohort, now) as usize).min(AGE_BINS - 1);
                    let m = if displaced { &when_displaced } else { &settled };
                    for c in 0..OFFENCE_TYPES {
                        sums[c] += n * t.victim_age[c][age] * t.victim_sex[c][sex] * m[c];
                    }
                    if age >= 60 {
                        elder_sum += n;
                    }
                }
                for (cells, sum) in out.iter_mut().zip(&sums) {
                    cells[k] = *sum;
                }
                elders[k] = elder_sum;
            }
        });
}

/// One region's cumulative weights being written: by type, and the people 60+.
struct RegionCells<'a> {
    out: [&'a mut [f64]; OFFENCE_TYPES],
    elders: &'a mut [f64],
}

/// Cells a pick may read and still be checked against the month's homicides; a pick that
/// read more (many failed attempts) is simply redone in order.
const READ_SLOTS: usize = 2;

/// One offence's victim pick: the victim's region, the victim's row and cell within the region
/// (or none), and the pool cells the pick read.
#[derive(Clone, Copy, Debug)]
struct Pick {
    region: u8,
    victim: Option<(u32, u32)>,
    read: [u32; READ_SLOTS],
    reads: u8,
}

impl Pick {
    /// Whether the pick read a cell a homicide has changed since (or more cells than it kept).
    fn stale(&self, changed: &[bool]) -> bool {
        let reads = usize::from(self.reads);
        reads > READ_SLOTS || self.read[..reads].iter().any(|&c| changed[c as usize])
    }
}

/// Settles the month's picks in the offences' order, from `picks` made against the pool as it
/// stood at the month's start: a homicide's victim leaves the pool at once (`kill` takes them
/// out of it, when `killing`), and a later pick that read a cell a homicide changed is redone
/// against the pool as it then stands (`regions`: the pool's regions). The offences go in runs
/// that each end with a homicide, the only offence that changes the pool: within a run the
/// pool stands, so the picks the homicides before it made stale are redone together
/// ([`redo_stale`]) before the run's homicide. The same picks as making them one offence after
/// another.
fn settle_picks(
    offences: &[Offence],
    picks: &mut [Option<Pick>],
    (killing, regions): (bool, usize),
    (key, weights, elder_abuse_share): (MonthKey, &VictimWeights, f64),
    pool: &mut VictimPool,
    mut kill: impl FnMut(&mut VictimPool, u32),
) {
    let per_region = pool.cells_per_region();
    let mut changed = vec![false; regions * per_region];
    let mut start = 0;
    while start < offences.len() {
        let end = if killing {
            offences[start..]
                .iter()
                .position(|o| o.kind == OffenceType::Homicide)
                .map_or(offences.len(), |i| start + i + 1)
        } else {
            offences.len()
        };
        let run = start..end;
        start = end;
        redo_stale(
            &offences[run.clone()],
            &mut picks[run.clone()],
            &changed,
            (key, weights, pool, elder_abuse_share),
        );
        let last = run.end - 1;
        if !killing || offences[last].kind != OffenceType::Homicide {
            continue;
        }
        if let Some(Pick {
            region,
            victim: Some((victim, k)),
            ..
        }) = picks[last]
        {
            kill(pool, victim);
            changed[usize::from(region) * per_region + k as usize] = true;
        }
    }
}

/// Picks again, against `pool` as it stands, the victims of those of `offences` whose pick in
/// `picks` read a cell that a homicide has changed since (`changed`), in parallel as the first
/// picks were. At one agent per person a month has about 350 homicides, and by the month's end
/// a few in a hundred of the pool's cells have lost someone: a quarter of the picks were
/// redone, one after another, each waiting for memory (54 ms a month on the calling thread).
fn redo_stale(
    offences: &[Offence],
    picks: &mut [Option<Pick>],
    changed: &[bool],
    (key, weights, pool, elder_abuse_share): (MonthKey, &VictimWeights, &VictimPool, f64),
) {
    let stale: Vec<usize> = picks
        .iter()
        .enumerate()
        .filter(|(_, pick)| pick.is_some_and(|pick| pick.stale(changed)))
        .map(|(i, _)| i)
        .collect();
    if stale.is_empty() {
        return;
    }
    let again: Vec<Offence> = stale.iter().map(|&i| offences[i]).collect();
    let redone = pick_victims(
        &again,
        REDONE_PER_TASK,
        key,
        (weights, pool),
        elder_abuse_share,
    );
    for (i, pick) in stale.into_iter().zip(redone) {
        picks[i] = pick;
    }
}

/// Picks victims for `offences` against `pool` as it stands, in parallel tasks of `per_task`
/// offences ([`pick_run`]), in the offences' order. Each task writes its own part of the list:
/// collected from the tasks' own lists, the picks were copied into one on the calling thread
/// at the end.
fn pick_victims(
    offences: &[Offence],
    per_task: usize,
    key: MonthKey,
    (weights, pool): (&VictimWeights, &VictimPool),
    elder_abuse_share: f64,
) -> Vec<Option<Pick>> {
    let mut picks = vec![None; offences.len()];
    picks
        .par_chunks_mut(per_task)
        .zip(offences.par_chunks(per_task))
        .job_per_chunk()
        .for_each(|(picks, run)| pick_run(run, picks, key, (weights, pool), elder_abuse_share));
    picks
}

/// Picks victims for a run of offences against `pool` as it stands, into `picks`. Everyone in
/// a cell has the same risk: one weighted cell pick and one uniform pick in the cell, retried
/// only when it falls on the offender. In three steps: where each pick's first row lies (small
/// tables), every such row read in one run, then the rest. The row is the one read at a random
/// place of a large table: read one pick at a time, each waited for the memory (three quarters
/// of a pick's time at a million agents); read in a run of independent reads, the waits
/// overlap.
fn pick_run(
    offences: &[Offence],
    picks: &mut [Option<Pick>],
    key: MonthKey,
    (weights, pool): (&VictimWeights, &VictimPool),
    elder_abuse_share: f64,
) {
    let started: Vec<Option<(Search<'_>, Option<Seat>)>> = offences
        .iter()
        .map(|o| {
            o.kind.has_victim().then(|| {
                let mut search = Search::new(o, key, weights, elder_abuse_share);
                let first = search.locate(o, key, pool, 0);
                (search, first)
            })
        })
        .collect();
    let rows: Vec<Option<u32>> = started
        .iter()
        .map(|s| match s {
            Some((_, Some(seat))) => Some(pool.nth(seat.cell, seat.index)),
            _ => None,
        })
        .collect();
    for (((pick, s), row), o) in picks.iter_mut().zip(started).zip(rows).zip(offences) {
        *pick = s.map(|(search, first)| search.finish(o, key, pool, first.zip(row)));
    }
}

/// A pick under way: the offence's victim region and the cumulative weights of its cells there.
struct Search<'a> {
    pick: Pick,
    cumulative: &'a [f64],
    total: f64,
}

/// Where one attempt of a pick lands: the attempt, the cell (in the pool and within the region)
/// and the person's place in the cell.
#[derive(Clone, Copy)]
struct Seat {
    attempt: u32,
    cell: usize,
    k: usize,
    index: usize,
}

impl<'a> Search<'a> {
    fn new(o: &Offence, key: MonthKey, weights: &'a VictimWeights, elder_abuse_share: f64) -> Self {
        let c = o.kind.index();
        let r = if o.kind.reaches_nationally() {
            weights.pick_region(c, to_unit(o.bits(key, REGION_DRAW)))
        } else {
            o.region as usize
        };
        let elder_path =
            o.kind == OffenceType::Assault && to_unit(o.bits(key, 0)) < elder_abuse_share;
        let cumulative = if elder_path {
            &weights.elder[r]
        } else {
            &weights.cumulative[c][r]
        };
        Search {
            pick: Pick {
                region: r as u8,
                victim: None,
                read: [0; READ_SLOTS],
                reads: 0,
            },
            cumulative,
            total: *cumulative.last().unwrap_or(&0.0),
        }
    }

    /// The first attempt from `from` on that lands on a cell with people (cells only lose
    /// people during the month: an empty cell stays empty), noting the cell as read; none when
    /// the attempts run out or no one has a weight.
    fn locate(&mut self, o: &Offence, key: MonthKey, pool: &VictimPool, from: u32) -> Option<Seat> {
        if self.total <= 0.0 {
            return None;
        }
        let cum = self.cumulative;
        let first_cell = usize::from(self.pick.region) * pool.cells_per_region();
        (from..MAX_ATTEMPTS).find_map(|attempt| {
            let target = to_unit(o.bits(key, 1 + 2 * attempt)) * self.total;
            let k = cum.partition_point(|&x| x <= target).min(cum.len() - 1);
            let cell = first_cell + k;
            let size = pool.count(cell);
            if size == 0 {
                return None;
            }
            let pick = &mut self.pick;
            if usize::from(pick.reads) < READ_SLOTS {
                pick.read[usize::from(pick.reads)] = cell as u32;
            }
            pick.reads = pick.reads.saturating_add(1);
            // Through i64: one instruction, where a conversion to usize is several (the value
            // is in [0, size)).
            let drawn = (to_unit(o.bits(key, 2 + 2 * attempt)) * size as f64) as i64 as usize;
            Some(Seat {
                attempt,
                cell,
                k,
                index: drawn.min(size - 1),
            })
        })
    }

    /// The pick, from the attempt that landed at `seat` on row `row`: the row is the victim
    /// unless it is the offender, when the next attempts are tried.
    fn finish(
        mut self,
        o: &Offence,
        key: MonthKey,
        pool: &VictimPool,
        seat: Option<(Seat, u32)>,
    ) -> Pick {
        let mut seat = seat;
        while let Some((at, row)) = seat {
            if row != o.offender_row {
                self.pick.victim = Some((row, at.k as u32));
                break;
            }
            seat = self
                .locate(o, key, pool, at.attempt + 1)
                .map(|next| (next, pool.nth(next.cell, next.index)));
        }
        self.pick
    }
}

/// Picks a victim for every offence that has one.
///
/// The picks come first, in parallel, against the pool as it stood at the start of the month.
/// In the buffer's order, a homicide victim then leaves the pool at once, as later picks must
/// not find them, and any later pick that read a cell a homicide changed is redone against the
/// pool as it now stands (those between two homicides together, [`redo_stale`]): the same
/// victims as picking one offence after another, on any number of threads. The victims'
/// histories are written beside the justice stages ([`crate::systems::histories`]).
pub fn choose_victims(
    params: Res<Params>,
    calendar: Res<Calendar>,
    tables: Res<CrimeTables>,
    weights: Res<VictimWeights>,
    mut pool: ResMut<VictimPool>,
    mut buffer: ResMut<OffenceBuffer>,
    mut census: ResMut<Census>,
    mut vacancies: ResMut<Vacancies>,
    mut tally: ResMut<MonthTally>,
    mut expectation: ResMut<ExpectationTask>,
    queue: Res<BackgroundQueue>,
    mut histories: ResMut<HistoryTask>,
    mut persons: ResMut<Persons>,
) {
    use rayon::prelude::*;
    if persons.is_empty() {
        return;
    }
    let demo = &mut persons.demo;
    let p = &params.0;
    let now = calendar.now();
    let year_start = now - (calendar.month_of_year() - 1) as i16;
    let key = MonthKey::new(p.scenario.seed, Stream::Victimisation, calendar.key());
    let elder_abuse_share = p.crime.elder_abuse_share;
    // A few allocations a month, outside the loops.
    let mut picks = pick_victims(
        &buffer.0,
        PICKS_PER_TASK,
        key,
        (&weights, &pool),
        elder_abuse_share,
    );
    // The expected victims are computed beside the serial work from here on.
    expectation.start(&queue);
    // In a burn-in, whose persons are all alive at the start, a homicide's death is not
    // simulated.
    let killing = !calendar.in_burn_in();
    settle_picks(
        &buffer.0,
        &mut picks,
        (killing, p.regions.len()),
        (key, &weights, elder_abuse_share),
        &mut pool,
        |pool, victim| {
            // The victim dies.
            let d = demo[victim as usize];
            pool.remove(victim, &d);
            demo[victim as usize].slot = Slot::Vacant;
            vacancies.0.push(victim);
            census.remove(d.region, d.sex, d.birth_month);
            let years = d.age_years(now);
            tally.deaths_by_age[hist_index(d.region, d.sex.index(), years)] += 1;
            tally.flows.deaths += 1;
        },
    );
    // The victims into the offences, with the draws that depend on the offence alone: whether
    // a gender-based violence was sexual and a property crime a robbery; in parallel, with the
    // list of victims (in the buffer's order, none where an offence has no victim) carrying
    // what the histories need of each offence. Each task writes its own part of the list:
    // collected from lists of the tasks' own, the victims were copied into one on the calling
    // thread at the end (0.3 ms a month at a million agents, on one thread or two).
    let (sexual_share, robbery_share) = (p.crime.gbv_sexual_share, tables.robbery_share);
    let mut victims = histories.victims_buffer();
    buffer
        .0
        .par_iter_mut()
        .zip(picks.par_iter())
        .jobs_of(PICKS_PER_TASK)
        .map(|(o, pick)| {
            let pick = pick.as_ref()?;
            let (victim, k) = pick.victim?;
            o.victim_row = victim;
            match o.kind {
                OffenceType::Gbv => o.sexual = to_unit(o.bits(key, SEXUAL_DRAW)) < sexual_share,
                OffenceType::Property => {
                    o.robbery = to_unit(o.bits(key, ROBBERY_DRAW)) < robbery_share;
                }
                _ => {}
            }
            Some(Victimised {
                row: victim,
                region: pick.region,
                cell: k,
                incident: Incident::of(o),
            })
        })
        .collect_into_vec(&mut victims);
    let no_victim = picks
        .par_iter()
        .jobs_of(PICKS_PER_TASK)
        .filter(|pick| pick.is_some_and(|pick| pick.victim.is_none()))
        .count();
    tally.flows.no_victim += no_victim as u64;
    // Their histories and the counts of first victimisations of the year are written beside
    // the justice stages (`systems::histories`).
    histories.set_victims(victims, now, year_start, pool.layout());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pool::people_in_few_cells;

    /// Weights of the pool's cells in proportion to their people, for every type.
    fn weights_of(pool: &VictimPool, regions: usize) -> VictimWeights {
        let per_region = pool.cells_per_region();
        let cumulative = |r: usize| {
            let mut sum = 0.0;
            (0..per_region)
                .map(|k| {
                    sum += pool.count(r * per_region + k) as f64;
                    sum
                })
                .collect::<Vec<f64>>()
        };
        let by_region: Vec<Vec<f64>> = (0..regions).map(cumulative).collect();
        VictimWeights(Arc::new(WeightTables {
            cumulative: std::array::from_fn(|_| by_region.clone()),
            elder: by_region,
        }))
    }

    /// A regression test of the picks redone in runs between homicides: they must be the picks
    /// of one offence after another, each against the pool as the homicides before it left it.
    #[test]
    fn picks_settled_in_runs_are_those_made_one_offence_after_another() {
        // Few cells, so that the cell a homicide changes is often read by later picks.
        let demo = people_in_few_cells(600);
        let regions = 2;
        let start = VictimPool::rebuild(&demo, 120);
        let weights = weights_of(&start, regions);
        let key = MonthKey::new(11, Stream::Victimisation, 7);
        let elder_share = 0.3;
        // One offence in five a homicide, each by an offender of their own (an offender's
        // draws are keyed by their id).
        let offences: Vec<Offence> = (0..2_000u32)
            .map(|i| {
                let kind = match i % 5 {
                    0 => OffenceType::Homicide,
                    1 => OffenceType::Gbv,
                    _ => OffenceType::Assault,
                };
                Offence::committed(kind, (i % 2) as u8, i % 600, 10_000 + i)
            })
            .collect();
        let mut pool = start.clone();
        let one_by_one: Vec<Option<(u32, u32)>> = offences
            .iter()
            .map(|o| {
                let pick = pick_victims(
                    std::slice::from_ref(o),
                    1,
                    key,
                    (&weights, &pool),
                    elder_share,
                )[0]
                .expect("every type here has a victim");
                if let (OffenceType::Homicide, Some((victim, _))) = (o.kind, pick.victim) {
                    pool.remove(victim, &demo[victim as usize]);
                }
                pick.victim
            })
            .collect();
        let mut pool = start.clone();
        let first = pick_victims(
            &offences,
            PICKS_PER_TASK,
            key,
            (&weights, &pool),
            elder_share,
        );
        let mut picks = first.clone();
        let mut killed = 0;
        settle_picks(
            &offences,
            &mut picks,
            (true, regions),
            (key, &weights, elder_share),
            &mut pool,
            |pool, victim| {
                pool.remove(victim, &demo[victim as usize]);
                killed += 1;
            },
        );
        let victim = |p: &Option<Pick>| p.and_then(|p| p.victim);
        let settled: Vec<Option<(u32, u32)>> = picks.iter().map(victim).collect();
        assert_eq!(settled, one_by_one);
        // A hard case: hundreds of homicides, and many first picks they made wrong.
        let changed = first
            .iter()
            .zip(&settled)
            .filter(|(f, s)| victim(f) != **s)
            .count();
        assert!(killed > 300, "{killed} homicides with a victim");
        assert!(changed > 200, "{changed} picks changed by the homicides");
    }
}
