//! Displacement (docs/model.md section 4.2, stage 2): people displaced by this month's events stay in
//! their region or move by a gravity rule with urban pull; they return (front-loaded after floods
//! and storms, slowly after droughts) or settle; droughts drive permanent moves to towns;
//! displaced workers lose jobs. Damaged prisons send their excess prisoners elsewhere.
//!
//! Offending does not change with displacement by default (the evidence does not support it;
//! `crime.displaced_offending_multiplier` exists for sensitivity only). Victimisation and
//! reporting read the displaced flag.
//!
//! Reads: `Params`, `Calendar`, `ClimateState`. Writes: `Demographics` (region, displaced),
//! `Experience.displacement`, `Socioeconomic.employment`, `Displaced`, `Census`, `PoolChanges`,
//! `Prisons` (evacuation), `MonthTally`. Stream: `Stream::Displacement`.

use bevy_ecs::prelude::*;
use rayon::prelude::*;

use crate::Params;
use crate::bitmask::bits_of;
use crate::calendar::Calendar;
use crate::census::Census;
use crate::custody::same_person;
use crate::interventions::PolicyEffects;
use crate::justice::Prisons;
use crate::metrics::MonthTally;
use crate::par::{ByBlock, Jobs, block_rows, chunk_rows};
use crate::params::{Hazard, MAX_REGIONS, ModelParams};
use crate::person::{
    Demographics, DisplacementState, Employment, Experience, MonthNo, Slot, Socioeconomic,
};
use crate::persons::Persons;
use crate::pool::PoolChanges;
use crate::prefetch::{par_map_ahead, prefetch};
use crate::rng::{MonthKey, Stream, draw_threshold, to_unit};
use crate::systems::climate::ClimateState;

/// A displaced person and how their displacement ends.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DisplacedPerson {
    /// Row.
    pub row: u32,
    /// Id.
    pub id: u32,
    /// Month the displacement ends.
    pub until: MonthNo,
    /// Whether it ends by settling where they are (else by returning home).
    pub settles: bool,
}

/// Where a displacement entry stands this month.
#[derive(Clone, Copy)]
enum Status {
    /// The person died or left (the row may hold someone else), or is no longer displaced:
    /// the entry goes.
    Stale,
    /// Still displaced.
    Waiting,
    /// Returns or settles now.
    Due,
}

/// Displacement entries per parallel task (each a look at a random row of the person table, as
/// the prisons' and supervisions' tasks).
const ENTRIES_PER_TASK: usize = 256;

/// Everyone currently displaced, in order of displacement.
#[derive(Resource, Clone, Debug, Default)]
pub struct Displaced(pub Vec<DisplacedPerson>);

/// The census's and the victim pool's side of a person's move from `before` to `after`.
fn record_place(
    row: u32,
    before: &Demographics,
    after: &Demographics,
    census: &mut Census,
    pool: &mut Option<ResMut<PoolChanges>>,
) {
    let free = before.slot == Slot::Alive;
    if free && let Some(pool) = pool.as_mut() {
        pool.remove(row, before);
    }
    if after.region != before.region {
        census.relocate(before.region, after.region, before.sex, before.birth_month);
    }
    if free && let Some(pool) = pool.as_mut() {
        pool.add(row, after);
    }
}

/// How a due displacement ends for one person.
#[derive(Clone, Copy)]
struct Ending {
    row: u32,
    before: Demographics,
    to: u8,
    settles: bool,
}

impl Ending {
    /// The person once the displacement ends: in region `to`, no longer displaced.
    fn after(&self) -> Demographics {
        Demographics {
            region: self.to,
            displaced: false,
            ..self.before
        }
    }
}

/// Ends the displacements `due` (in order of displacement): settling where they are, or
/// returning to their region of origin. What each ending does is read in parallel (the rows are
/// at random places of large tables); the census, the pool's changes and the counts follow the
/// entries' order; the rows are written by blocks of the table in parallel (each ending writes
/// only its own person's row).
fn end_displacements(
    due: &[DisplacedPerson],
    demo: &mut [Demographics],
    socio: &mut [Socioeconomic],
    experience: &mut [Experience],
    census: &mut Census,
    pool: &mut Option<ResMut<PoolChanges>>,
    tally: &mut MonthTally,
) {
    if due.is_empty() {
        return;
    }
    let endings: Vec<Ending> = {
        let (demo, experience) = (&*demo, &*experience);
        par_map_ahead(
            due,
            ENTRIES_PER_TASK,
            |a| {
                prefetch(&demo[a.row as usize]);
                prefetch(&experience[a.row as usize]);
            },
            |e| {
                let before = demo[e.row as usize];
                let to = if e.settles {
                    before.region
                } else {
                    experience[e.row as usize].displacement.origin
                };
                Ending {
                    row: e.row,
                    before,
                    to,
                    settles: e.settles,
                }
            },
        )
    };
    write_by_block(
        &endings,
        |e| e.row,
        (demo, socio, experience),
        |e, d, _, x| {
            *d = e.after();
            x.displacement.state = if e.settles {
                DisplacementState::Resettled
            } else {
                DisplacementState::Returned
            };
        },
        || {
            for e in &endings {
                record_place(e.row, &e.before, &e.after(), census, pool);
                if e.settles {
                    tally.flows.resettled += 1;
                } else {
                    tally.flows.returned += 1;
                }
            }
        },
    );
}

/// Writes the rows of `items` (`row_of` each) by blocks of the table in parallel: each item
/// writes only its own person's row, and a block's items are written in their order. Runs
/// `records` (the census's and the pool's side, serial, in the items' order) beside the
/// writes: they touch different data, and the writes take the other threads' time meanwhile.
fn write_by_block<T: Sync>(
    items: &[T],
    row_of: impl Fn(&T) -> u32 + Sync + Copy,
    (demo, socio, experience): (&mut [Demographics], &mut [Socioeconomic], &mut [Experience]),
    write: impl Fn(&T, &mut Demographics, &mut Socioeconomic, &mut Experience) + Sync,
    records: impl FnOnce() + Send,
) {
    let writes = || {
        if items.is_empty() {
            return;
        }
        let rows_per_block = block_rows(demo.len(), items.len());
        let by_block = ByBlock::new(items.iter().map(row_of), demo.len(), rows_per_block);
        let by_block = &by_block;
        demo.par_chunks_mut(rows_per_block)
            .zip(socio.par_chunks_mut(rows_per_block))
            .zip(experience.par_chunks_mut(rows_per_block))
            .enumerate()
            .job_per_chunk()
            .for_each(|(b, ((demo, socio), experience))| {
                let first_row = b * rows_per_block;
                for &i in by_block.block(b) {
                    let item = &items[i as usize];
                    let k = row_of(item) as usize - first_row;
                    write(item, &mut demo[k], &mut socio[k], &mut experience[k]);
                }
            });
    };
    rayon::join(records, writes);
}

/// A newly displaced person's move, drawn from their own keyed draws.
#[derive(Clone, Copy)]
struct Arrival {
    row: u32,
    before: Demographics,
    dest: u8,
    until: MonthNo,
    settles: bool,
    /// The climate event that displaced them (an index of the climate log).
    event: usize,
    loses_job: bool,
}

impl Arrival {
    /// The person once displaced: in region `dest`, displaced.
    fn after(&self) -> Demographics {
        Demographics {
            region: self.dest,
            displaced: true,
            ..self.before
        }
    }
}

/// The month's constants of the newly displaced persons' draws.
struct ArrivalMonth<'a> {
    /// The displacing hazard and event by region (none where nothing displaces this month).
    cause: &'a [Option<(Hazard, usize)>; MAX_REGIONS],
    /// The gravity rule's destination weights by region of origin.
    targets: &'a [Vec<f64>],
    key: MonthKey,
    now: MonthNo,
    c: &'a crate::params::ClimateParams,
}

impl ArrivalMonth<'_> {
    /// How the person `before` in row `row` (chosen this month) is displaced, from their own
    /// keyed draws: where to, until when, whether they will settle and whether they lose their
    /// job (`employment`: theirs). None in a region without a displacing event this month.
    fn arrival(&self, row: u32, before: Demographics, employment: Employment) -> Option<Arrival> {
        let (c, key) = (self.c, self.key);
        let origin = before.region as usize;
        let (hazard, event) = self.cause[origin]?;
        let u = |i: u32| to_unit(key.bits(before.id.0, i));
        let h = hazard as usize;
        let permanent = hazard == Hazard::Drought && u(1) < c.drought_permanent_share;
        let stays = !permanent && u(2) < c.stay_in_region_share;
        let dest = if stays {
            origin
        } else {
            pick(&self.targets[origin], u(3)).unwrap_or(origin)
        };
        let settles = permanent
            || (matches!(hazard, Hazard::Flood | Hazard::Storm) && u(4) < c.never_return_share);
        let months = (-u(5).max(1e-12).ln() * c.return_months[h]).ceil().max(1.0);
        let until = (i32::from(self.now) + months as i32).min(i32::from(MonthNo::MAX)) as MonthNo;
        let loses_job = employment == Employment::Employed && u(6) < c.job_loss_share;
        Some(Arrival {
            row,
            before,
            dest: dest as u8,
            until,
            settles,
            event,
            loses_job,
        })
    }
}

/// Destination weights of the gravity rule from `origin`: population x (1 + pull x urban
/// share) / distance, other regions only.
fn gravity(p: &ModelParams, census: &Census, origin: usize) -> Vec<f64> {
    let o = &p.regions[origin];
    p.regions
        .iter()
        .enumerate()
        .map(|(j, r)| {
            if j == origin {
                return 0.0;
            }
            let dist = ((r.x_km - o.x_km).powi(2) + (r.y_km - o.y_km).powi(2))
                .sqrt()
                .max(50.0);
            census.by_region()[j] as f64 * (1.0 + p.climate.urban_pull * r.urban_share) / dist
        })
        .collect()
}

fn pick(weights: &[f64], u: f64) -> Option<usize> {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return None;
    }
    let mut acc = 0.0;
    for (i, w) in weights.iter().enumerate() {
        acc += w;
        if u * total < acc {
            return Some(i);
        }
    }
    Some(weights.len() - 1)
}

/// Displaces, returns and settles people; evacuates damaged prisons.
pub fn displace_people(
    params: Res<Params>,
    calendar: Res<Calendar>,
    mut climate: ResMut<ClimateState>,
    mut displaced: ResMut<Displaced>,
    mut census: ResMut<Census>,
    mut pool: Option<ResMut<PoolChanges>>,
    mut prisons: Option<ResMut<Prisons>>,
    effects: Res<PolicyEffects>,
    mut tally: ResMut<MonthTally>,
    mut persons: ResMut<Persons>,
) {
    if persons.is_empty() {
        return;
    }
    let Persons {
        demo,
        socio,
        experience,
        ..
    } = &mut *persons;
    let p = &params.0;
    let c = &p.climate;
    let now = calendar.now();
    let month = calendar.month_index;
    let key = MonthKey::new(p.scenario.seed, Stream::Displacement, month);
    let regions = p.regions.len();

    // Returns and settlements that are due. Which entries are due, still waiting or stale (the
    // person died, or the row holds someone else) is read in parallel: it needs a look at each
    // entry's row, at random places of a large table. A person has at most one entry that is
    // not stale (the flag is set with the entry and cleared only when the entry ends), so no
    // ending changes another entry's status.
    let status: Vec<Status> = {
        let demo = &*demo;
        par_map_ahead(
            &displaced.0,
            ENTRIES_PER_TASK,
            |a| prefetch(&demo[a.row as usize]),
            |e| {
                if !same_person(demo, e.row, e.id) || !demo[e.row as usize].displaced {
                    Status::Stale
                } else if e.until > now {
                    Status::Waiting
                } else {
                    Status::Due
                }
            },
        )
    };
    let mut keep = Vec::with_capacity(displaced.0.len());
    let mut due = Vec::new();
    for (e, status) in displaced.0.drain(..).zip(status) {
        match status {
            Status::Stale => {}
            Status::Waiting => keep.push(e),
            Status::Due => due.push(e),
        }
    }
    end_displacements(
        &due,
        demo,
        socio,
        experience,
        &mut census,
        &mut pool,
        &mut tally,
    );
    displaced.0 = keep;

    // This month's displacement probability and dominant hazard by region.
    let mut prob = [0.0f64; MAX_REGIONS];
    let mut cause: [Option<(Hazard, usize)>; MAX_REGIONS] = [None; MAX_REGIONS];
    let mut best = [0.0f64; MAX_REGIONS];
    let start = climate.month_start;
    let mut add = |r: usize, h: Hazard, share: f64, event: usize| {
        prob[r] += share;
        if share > best[r] {
            best[r] = share;
            cause[r] = Some((h, event));
        }
    };
    for (i, e) in climate.log[start..].iter().enumerate() {
        if matches!(e.hazard, Hazard::Flood | Hazard::Storm | Hazard::Heatwave) {
            let share = e.severity * c.displaced_share[e.hazard as usize];
            add(e.region as usize, e.hazard, share, start + i);
        }
    }
    for d in &climate.droughts {
        let share = d.severity * c.displaced_share[Hazard::Drought as usize] / c.drought_months;
        add(d.region as usize, Hazard::Drought, share, d.event);
    }
    for pr in prob.iter_mut() {
        *pr = (*pr * (1.0 - c.adaptation) * (1.0 - effects.adaptation)).min(0.95);
    }
    if prob.iter().any(|x| *x > 0.0) {
        // 1 for a region whose people can be displaced this month (a table of every `u8`, so
        // that a region index needs no bounds check).
        let mut exposed = [0u8; 256];
        for (e, p) in exposed.iter_mut().zip(&prob) {
            *e = u8::from(*p > 0.0);
        }
        let targets: Vec<Vec<f64>> = (0..regions).map(|r| gravity(p, &census, r)).collect();
        let month = ArrivalMonth {
            cause: &cause,
            targets: &targets,
            key,
            now,
            c,
        };
        let below: [u64; MAX_REGIONS] = prob.map(draw_threshold);
        // One pass over the table finds who is displaced (keyed by person id) and draws how,
        // with the row in hand: drawn afterwards, each newly displaced person's row was read
        // again at a random place of the table (at 10 million agents 2-12 ms of a month with
        // a flood, on two threads).
        let rows_per_chunk = chunk_rows(demo.len());
        let chosen: Vec<Vec<Arrival>> = demo
            .par_chunks(rows_per_chunk)
            .zip(socio.par_chunks(rows_per_chunk))
            .enumerate()
            .job_per_chunk()
            .map(|(k, (chunk, socio))| {
                let mut out = Vec::new();
                let month = &month;
                // Who can be displaced is marked without a branch, 64 rows at a time, and only
                // they are drawn: a month's events usually hit one region of several, whose
                // people are scattered over the rows, so a branch on it was mispredicted for
                // about one person in six (2.6-6.7 ms a month at a million agents). The marks
                // are bytes gathered into bits ([`bits_of`]): a bit at a time, the look at
                // everyone took 1.6 ns a row, as bytes 0.7.
                for (b, rows) in chunk.chunks(64).enumerate() {
                    let mut open = [0u8; 64];
                    for (o, d) in open.iter_mut().zip(rows) {
                        *o = exposed[usize::from(d.region)]
                            & u8::from(d.slot == Slot::Alive)
                            & u8::from(!d.displaced);
                    }
                    let mut can = bits_of(&open);
                    // The draws decided first, as bits, and the few displaced drawn after: the
                    // decision is an integer compare with no branch.
                    let mut hit = 0u64;
                    while can != 0 {
                        let i = can.trailing_zeros() as usize;
                        can &= can - 1;
                        let d = &rows[i];
                        let bits = key.bits(d.id.0, 0) >> 11;
                        hit |= u64::from(bits < below[d.region as usize]) << i;
                    }
                    while hit != 0 {
                        let i = hit.trailing_zeros() as usize;
                        hit &= hit - 1;
                        let at = b * 64 + i;
                        let row = (k * rows_per_chunk + at) as u32;
                        out.extend(month.arrival(row, rows[i], socio[at].employment));
                    }
                }
                out
            })
            .collect();
        let arrivals: Vec<Arrival> = chosen.into_iter().flatten().collect();
        let mut per_event = vec![0u64; climate.log.len()];
        write_by_block(
            &arrivals,
            |a| a.row,
            (demo, socio, experience),
            |a, d, s, x| {
                *d = a.after();
                x.displacement.state = DisplacementState::Displaced;
                x.displacement.since = now;
                x.displacement.origin = a.before.region;
                if a.loses_job {
                    s.employment = Employment::Unemployed;
                }
            },
            || {
                for a in &arrivals {
                    per_event[a.event] += 1;
                    record_place(a.row, &a.before, &a.after(), &mut census, &mut pool);
                    displaced.0.push(DisplacedPerson {
                        row: a.row,
                        id: a.before.id.0,
                        until: a.until,
                        settles: a.settles,
                    });
                    tally.flows.newly_displaced += 1;
                }
            },
        );
        for (i, n) in per_event.into_iter().enumerate() {
            climate.log[i].displaced += n;
        }
    }
    tally.stocks.displaced = displaced.0.len() as u64;

    // Damaged prisons send prisoners beyond their usable beds (at the old occupancy) away.
    if let Some(prisons) = prisons.as_mut() {
        evacuate_damaged(prisons, &climate, regions, &mut tally);
    }
}

/// Moves prisoners out of regions whose beds were damaged this month, keeping their occupancy at
/// its level before the damage; receivers are the least crowded regions, whatever their load.
fn evacuate_damaged(
    prisons: &mut Prisons,
    climate: &ClimateState,
    regions: usize,
    tally: &mut MonthTally,
) {
    for e in climate.this_month() {
        if e.prison_damage <= 0.0 {
            continue;
        }
        let from = e.region as usize;
        let held = prisons.held_by_region();
        let before = prisons.beds[from] * (1.0 - prisons.beds_lost[from]) / (1.0 - e.prison_damage);
        let occupancy_before = if before > 0.0 {
            held[from] as f64 / before
        } else {
            0.0
        };
        let allowed = (prisons.usable_beds(from) * occupancy_before).floor() as usize;
        let mut excess = held[from].saturating_sub(allowed);
        let mut held = held;
        for idx in (0..prisons.roster.len()).rev() {
            if excess == 0 {
                break;
            }
            if prisons.roster[idx].prison_region as usize != from {
                continue;
            }
            let to = (0..regions)
                .filter(|&r| r != from && prisons.usable_beds(r) > 0.0)
                .min_by(|&a, &b| {
                    let oa = held[a] as f64 / prisons.usable_beds(a);
                    let ob = held[b] as f64 / prisons.usable_beds(b);
                    oa.total_cmp(&ob).then(a.cmp(&b))
                });
            let Some(to) = to else {
                break;
            };
            prisons.roster[idx].prison_region = to as u8;
            held[from] -= 1;
            held[to] += 1;
            excess -= 1;
            tally.flows.transfers += 1;
        }
    }
}
