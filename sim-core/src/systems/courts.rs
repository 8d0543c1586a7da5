//! Pre-trial and courts (docs/model.md section 4.9, stage 10): charging, pre-trial detention or bail,
//! and regional courts disposing cases within their monthly capacity, detained cases first.
//!
//! A charged case needs a procedural time (log-normal) before it can be disposed; ready cases
//! wait for capacity, detained defendants first, then oldest first. Pre-trial detention raises
//! the conviction probability (Leslie & Pope 2017). Infrastructure damage removes capacity.
//! Children are often diverted and, like women, detained less often (`crate::leniency`).
//!
//! Reads: `Params`, `Calendar`, `CrimeTables`, `Suspects`. Writes: `Courts`, `Prisons` (pre-trial
//! detainees), `Convicted`, `Justice`, `Demographics.slot`, `MonthTally`. Stream: `Stream::Courts`.

use bevy_ecs::prelude::*;
use rayon::prelude::*;

use crate::Params;
use crate::calendar::Calendar;
use crate::crime_tables::CrimeTables;
use crate::custody::{enter_custody, release_detainee, release_from_roster, same_person};
use crate::interventions::PolicyEffects;
use crate::justice::{Convicted, CourtCase, Courts, Inmate, Prisons, Suspect, Suspects, Verdict};
use crate::leniency;
use crate::metrics::{DISPOSITION_BINS, MonthTally};
use crate::par::Jobs;
use crate::params::ModelParams;
use crate::person::{Demographics, JusticeState, MonthNo, NEVER, Socioeconomic};
use crate::persons::Persons;
use crate::pool::VictimPool;
use crate::prefetch::{par_map_ahead, prefetch};
use crate::rng::{MonthKey, Stream, standard_normal, to_unit};

/// Backlog cases per parallel task of the check that each defendant is still there.
const CASES_PER_TASK: usize = 4096;

/// Suspects per parallel task of charging's decisions (each a few keyed draws and a read, about
/// 0.1 us): a million agents have about 1,000 suspects a month, which tasks of 1,024 left to
/// one thread (0.10 ms per month on one thread or two; 0.07 on two with tasks of 256).
const SUSPECTS_PER_TASK: usize = 256;

/// Suspects between the one charged and the one whose rows are asked of memory.
const ROWS_AHEAD: usize = 8;

/// What charging decides for one suspect, from their row and their draws alone.
#[derive(Clone, Copy, Debug)]
enum Charging {
    /// The row no longer holds the suspect (they died meanwhile).
    Gone,
    /// Below the age of responsibility, diverted, or not charged: free again.
    NotCharged,
    /// Charged: the case is ready for disposition in `ready`; `detained` on remand.
    Charged {
        ready: MonthNo,
        detained: bool,
        region: u8,
    },
}

/// The month's constants of charging.
struct ChargeMonth<'a> {
    p: &'a ModelParams,
    effects: &'a PolicyEffects,
    tables: &'a CrimeTables,
    key: MonthKey,
    now: MonthNo,
}

impl ChargeMonth<'_> {
    /// Charging's decision for suspect `s`: every draw is keyed by the suspect, and the rows it
    /// reads are changed by nobody else's charge (a person is a suspect once a month), so the
    /// suspects are decided in parallel.
    fn decide(&self, s: &Suspect, demo: &[Demographics], socio: &[Socioeconomic]) -> Charging {
        let (p, effects, key, now) = (self.p, self.effects, self.key, self.now);
        if !same_person(demo, s.row, s.id) {
            return Charging::Gone;
        }
        let c = s.kind.index();
        let d = &demo[s.row as usize];
        let age = d.age_years(now);
        let under_age = age < p.justice.age_of_criminal_responsibility as u32;
        let diverted = to_unit(key.bits(s.id, 4)) < leniency::diversion(&p.justice, age);
        if under_age || diverted || to_unit(key.bits(s.id, 0)) >= p.crime.types[c].charge {
            return Charging::NotCharged;
        }
        // Digital justice: with remote hearings a connected defendant's first appearance is by
        // video and the case is handled remotely; online legal information reaches connected
        // defendants. One draw of its own, taken only when either runs: a defendant is reached
        // by a measure at intensity x when it falls below x times their access.
        let (remote, informing) = (effects.remote_hearings, effects.online_legal_information);
        let (video, informed) = if remote > 0.0 || informing > 0.0 {
            let connected = crate::digital::access(p, d, &socio[s.row as usize], now);
            let u = to_unit(key.bits(s.id, 5));
            (u < remote * connected, u < informing * connected)
        } else {
            (false, false)
        };
        let (mut risk, cut) = if video {
            (
                1.0 + p.justice.video_detention_risk,
                1.0 - p.justice.remote_procedure_cut,
            )
        } else {
            (1.0, 1.0)
        };
        if informed {
            risk *= 1.0 - effects.online_legal_effect;
        }
        let held = self.tables.detention[c] * leniency::custody(&p.justice, d.sex.index(), age);
        let detained = to_unit(key.bits(s.id, 1)) < held * effects.detention * risk;
        let z = standard_normal(to_unit(key.bits(s.id, 2)), to_unit(key.bits(s.id, 3)));
        let (mu, sigma) = self.tables.procedure;
        let months = ((mu + sigma * z).exp() * cut).round().clamp(1.0, 600.0) as i32;
        Charging::Charged {
            ready: (i32::from(now) + months).min(i32::from(MonthNo::MAX)) as MonthNo,
            detained,
            region: d.region,
        }
    }
}

/// Charges suspects and decides pre-trial detention.
///
/// The decisions come first, in parallel: each reads the suspect's row, at a random place of
/// the person table (at one agent per person about 50,000 suspects a month, whose reads one
/// after another were most of this stage). They are then applied in the suspects' order.
pub fn charge_suspects(
    params: Res<Params>,
    effects: Res<PolicyEffects>,
    calendar: Res<Calendar>,
    tables: Res<CrimeTables>,
    suspects: Res<Suspects>,
    mut courts: ResMut<Courts>,
    mut prisons: ResMut<Prisons>,
    mut pool: ResMut<VictimPool>,
    mut tally: ResMut<MonthTally>,
    mut persons: ResMut<Persons>,
) {
    if persons.is_empty() {
        return;
    }
    let Persons {
        demo,
        justice,
        socio,
        ..
    } = &mut *persons;
    let p = &params.0;
    let now = calendar.now();
    let month = ChargeMonth {
        p,
        effects: &effects,
        tables: &tables,
        key: MonthKey::new(p.scenario.seed, Stream::Courts, calendar.key()),
        now,
    };
    let decisions: Vec<Charging> = {
        let (demo, socio): (&[Demographics], &[Socioeconomic]) = (demo, socio);
        par_map_ahead(
            &suspects.0,
            SUSPECTS_PER_TASK,
            |a| {
                prefetch(&demo[a.row as usize]);
                prefetch(&socio[a.row as usize]);
            },
            |s| month.decide(s, demo, socio),
        )
    };
    for (k, (s, decision)) in suspects.0.iter().zip(decisions).enumerate() {
        if let Some(ahead) = suspects.0.get(k + ROWS_AHEAD) {
            prefetch(&demo[ahead.row as usize]);
            prefetch(&justice[ahead.row as usize]);
            pool.prefetch_position(ahead.row);
        }
        let (ready, detained, region) = match decision {
            Charging::Gone => continue,
            Charging::NotCharged => {
                justice[s.row as usize].state = JusticeState::Free;
                continue;
            }
            Charging::Charged {
                ready,
                detained,
                region,
            } => (ready, detained, region),
        };
        tally.flows.charged += 1;
        courts.queues[s.region as usize].push(CourtCase {
            row: s.row,
            id: s.id,
            kind: s.kind,
            charged: now,
            ready,
            detained,
            historic: s.historic,
        });
        if detained {
            tally.flows.detained += 1;
            tally.flows.custody_entries += 1;
            enter_custody(
                demo,
                justice,
                &mut pool,
                s.row,
                JusticeState::PretrialDetained,
            );
            prisons.roster.push(Inmate {
                row: s.row,
                id: s.id,
                kind: s.kind,
                home_region: region,
                prison_region: region,
                sentenced: false,
                since: now,
                until: NEVER,
                parole_from: NEVER,
            });
        } else {
            justice[s.row as usize].state = JusticeState::OnBail;
        }
    }
}

/// Disposes ready cases within each region's capacity, detained defendants first.
pub fn dispose_cases(
    params: Res<Params>,
    effects: Res<PolicyEffects>,
    calendar: Res<Calendar>,
    mut courts: ResMut<Courts>,
    mut prisons: ResMut<Prisons>,
    mut pool: ResMut<VictimPool>,
    mut convicted: ResMut<Convicted>,
    mut tally: ResMut<MonthTally>,
    mut persons: ResMut<Persons>,
) {
    convicted.0.clear();
    if persons.is_empty() {
        return;
    }
    let Persons { demo, justice, .. } = &mut *persons;
    let p = &params.0;
    let now = calendar.now();
    let key = MonthKey::new(p.scenario.seed, Stream::Courts, calendar.key());
    let boost = p.justice.detained_conviction_boost;
    let scale = p.scenario.scale();
    let mut freed_detainees: Vec<(u32, u32)> = Vec::new();
    let Courts {
        queues,
        capacity,
        capacity_lost,
        credit,
    } = &mut *courts;
    // Each region's queue in order, detained first, then the oldest ready case, ids breaking
    // ties (a stable sort: the same order on any number of threads); and whether each
    // defendant is still the person charged (rows are reused after deaths), for every case of
    // the backlog: rows at random places of the table, read in parallel, so that the threads
    // share out the waits for memory (at one agent per person the backlog's reads were most
    // of this serial stage). Nothing below changes who a row holds, or whether they live.
    // All regions in one parallel pass, each region's sort and reads in parallel within it:
    // a pass for each region and step was ten forks and joins a month.
    let presence: Vec<Vec<bool>> = {
        let demo: &[Demographics] = demo;
        queues
            .par_iter_mut()
            .job_per_chunk()
            .map(|queue| {
                queue.par_sort_by_key(|c| (c.ready > now, !c.detained, c.ready, c.charged, c.id));
                par_map_ahead(
                    queue,
                    CASES_PER_TASK,
                    |a| prefetch(&demo[a.row as usize]),
                    |c| same_person(demo, c.row, c.id),
                )
            })
            .collect()
    };
    for ((r, queue), present) in queues.iter_mut().enumerate().zip(presence) {
        // Remote hearings add capacity in proportion to how connected the region is.
        let remote = 1.0
            + effects.remote_capacity_gain
                * effects.remote_hearings
                * crate::digital::regional_access(p, r, now);
        let available = capacity[r]
            * p.justice.court_capacity_multiplier
            * effects.court_capacity
            * remote
            * (1.0 - capacity_lost[r])
            + credit[r];
        let mut slots = available.floor().max(0.0) as usize;
        credit[r] = available - slots as f64;
        let mut kept = Vec::with_capacity(queue.len());
        for (case, present) in queue.drain(..).zip(present) {
            if !present {
                tally.flows.dropped += 1;
                continue;
            }
            if case.ready > now || slots == 0 {
                kept.push(case);
                continue;
            }
            slots -= 1;
            tally.flows.dispositions += 1;
            let waited = (i32::from(now) - i32::from(case.charged)).max(0) as u32;
            tally
                .disposition_months
                .push(waited.min(DISPOSITION_BINS as u32 - 1));
            let c = case.kind.index();
            let mut conviction = p.crime.types[c].conviction;
            if case.detained {
                conviction = (conviction + boost).min(1.0);
            }
            let draw = to_unit(key.bits(case.id, 0x100 + case.charged as u16 as u32));
            if draw < conviction {
                tally.flows.convictions += 1;
                tally.flows.homicide_convictions +=
                    u64::from(case.kind == crate::offence::OffenceType::Homicide);
                let remand = if case.detained { waited as i32 } else { 0 };
                convicted.0.push(Verdict {
                    row: case.row,
                    id: case.id,
                    kind: case.kind,
                    region: r as u8,
                    remand_months: remand,
                    charged: case.charged,
                    historic: case.historic,
                });
            } else {
                tally.flows.acquittals += 1;
                if case.detained {
                    release_detainee(demo, justice, &mut pool, case.row, JusticeState::Free);
                    freed_detainees.push((case.row, case.id));
                } else {
                    justice[case.row as usize].state = JusticeState::Free;
                }
            }
        }
        *queue = kept;
    }
    release_from_roster(&mut prisons, &mut freed_detainees, now, &mut tally.flows);
    tally.flows.court_cost =
        tally.flows.dispositions as f64 * scale * p.justice.court_cost_per_case;
    tally.stocks.backlog = courts.backlog() as u64;
    let total: f64 = courts.capacity.iter().sum();
    let lost: f64 = courts
        .capacity
        .iter()
        .zip(&courts.capacity_lost)
        .map(|(c, l)| c * l)
        .sum();
    tally.stocks.court_capacity_lost_pct = if total > 0.0 {
        100.0 * lost / total
    } else {
        0.0
    };
}
