//! The victims' and reporters' histories (stages 7 and 8, recorded beside the justice stages):
//! each victim's history of the month's offences against them and of what they reported, and the
//! counts of first victimisations and first reports of the year, by output group.
//!
//! The Victimisation stage lists the month's victims ([`HistoryTask::set_victims`]) and the
//! Reporting stage the victims whose report or detected trafficking changes a history
//! ([`HistoryTask::start`]); from there the histories are written by a background task,
//! which the Metrics stage waits for ([`collect_histories`]) before the month is recorded.
//! Nothing between reads the histories: the justice stages read who is where and what they
//! did, never what was done to them. So the experience column is lent to the task for those
//! stages (the only time the person table's columns differ in length; see
//! [`crate::persons`]) and given back before the survey reads it.
//!
//! Why in the background: the histories are writes at random places of the table (about
//! 18,000 a month at a million agents, 1.2 ms on one thread), while the justice stages are
//! mostly serial work of the calling thread, during which the other threads waited. In a
//! [`crate::par::lone_run`] the task goes through the table's blocks in order, giving way to
//! the month's parallel passes every [`YIELD_UPDATES`] updates; once the Metrics stage asks
//! for the result, what is left goes in parallel, the calling thread taking its share.
//!
//! The same histories and counts as writing them in place: each row's updates are made in the
//! offences' order (a row's victim updates, then its reporter updates, which change other
//! fields), and the counts are integers, the same sums in any order.
//!
//! Reads: `Calendar`, `VictimPool` (the cells' layout). Writes: `Experience.victim`,
//! `MonthTally` (victims, first victimisations and reports by group). Stream: none.

use bevy_ecs::prelude::*;

use crate::metrics::{Counter, GroupCounts, MonthTally, group_indices};
use crate::offence::{NO_ROW, Offence, OffenceType};
use crate::par::{
    Background, BackgroundQueue, ByBlock, Pace, block_rows, blocks_until_hurried, touch,
};
use crate::person::{
    Experience, MonthNo, VictimHistory, first_this_year, first_violence_this_year,
};
use crate::persons::Persons;
use crate::pool::CellLayout;

/// Updates between two looks for the pool's other work (each takes about 0.07 us at a
/// million agents, a wait for memory).
const YIELD_UPDATES: usize = 64;

/// A realised victim: the victim's row, region and pool cell within it, and the offence.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Victimised {
    pub(crate) row: u32,
    pub(crate) region: u8,
    pub(crate) cell: u32,
    /// What the victim's history needs of the offence, copied from it once its draws are made
    /// (the histories go through the victims by rows of the table, and the offences' buffer
    /// read in that order was a wait for memory per victim at one agent per person: 50 ms of
    /// the 1:1 month, now 30).
    pub(crate) incident: Incident,
}

/// The offence's attributes that a victim's history records.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Incident {
    kind: OffenceType,
    sexual: bool,
    robbery: bool,
}

impl Incident {
    pub(crate) fn of(o: &Offence) -> Self {
        Incident {
            kind: o.kind,
            sexual: o.sexual,
            robbery: o.robbery,
        }
    }
}

/// A reported non-lethal violence or a recorded trafficking offence whose victim's history and
/// group counts are updated after the draws, each victim's in the buffer's order. It carries
/// what the update needs of the offence, so that the update, which goes by blocks of the
/// table's rows, does not read the buffer at scattered places.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Known {
    pub(crate) trafficking: bool,
    pub(crate) sexual: bool,
    pub(crate) victim: u32,
    /// The victim's output groups ([`group_indices`]).
    pub(crate) groups: [usize; 4],
}

/// What the histories' updates counted.
#[derive(Default)]
struct HistoryTally {
    victims: u64,
    homicide_victims: u64,
    violence_victims_15plus: u64,
    gbv_victims_women_15_49: u64,
    groups: GroupCounts,
}

impl HistoryTally {
    /// Both tallies' counts together.
    fn plus(mut self, other: HistoryTally) -> Self {
        self.victims += other.victims;
        self.homicide_victims += other.homicide_victims;
        self.violence_victims_15plus += other.violence_victims_15plus;
        self.gbv_victims_women_15_49 += other.gbv_victims_women_15_49;
        self.groups.merge(&other.groups);
        self
    }

    /// Updates the history `h` of the victim `v` and counts the victimisation, and the
    /// victim's first of its kind this year.
    fn victim(&mut self, v: &Victimised, h: &mut VictimHistory, month: &Month) {
        let (now, year_start) = (month.now, month.year_start);
        let (sex, cohort, displaced) = month.layout.decode(v.cell as usize);
        let years = CellLayout::cohort_age(cohort, now);
        let groups = group_indices(sex, years, v.region, displaced);
        let o = v.incident;
        self.victims += 1;
        match o.kind {
            OffenceType::Homicide => {
                self.homicide_victims += 1;
                self.groups.add(Counter::HomicideVictims, &groups);
            }
            OffenceType::Assault | OffenceType::Gbv => {
                let (any, series) = first_violence_this_year(
                    &mut h.last_sexual,
                    &mut h.last_physical,
                    o.sexual,
                    now,
                    year_start,
                );
                if any {
                    self.groups.add(Counter::ViolenceVictims, &groups);
                    self.violence_victims_15plus += u64::from(years >= 15);
                }
                if series {
                    let counter = if o.sexual {
                        Counter::SexualVictims
                    } else {
                        Counter::PhysicalVictims
                    };
                    self.groups.add(counter, &groups);
                }
                if o.kind == OffenceType::Gbv && first_this_year(&mut h.last_gbv, now, year_start) {
                    self.groups.add(Counter::GbvVictims, &groups);
                    let woman = sex == 1 && (15..50).contains(&years);
                    self.gbv_victims_women_15_49 += u64::from(woman);
                }
            }
            OffenceType::Trafficking => {
                self.groups.add(Counter::TraffickingVictims, &groups);
            }
            OffenceType::Property => {
                if first_this_year(&mut h.last_property, now, year_start) {
                    self.groups.add(Counter::PropertyVictims, &groups);
                }
                if o.robbery && first_this_year(&mut h.last_robbery, now, year_start) {
                    self.groups.add(Counter::RobberyVictims, &groups);
                }
            }
            OffenceType::Fraud => {
                if first_this_year(&mut h.last_fraud, now, year_start) {
                    self.groups.add(Counter::FraudVictims, &groups);
                }
            }
            OffenceType::Drug | OffenceType::Environment => {}
        }
    }

    /// Updates the reporting history `h` of the victim of `k` and counts their first report
    /// of the year (a victim reporting twice in a month counts once), or the detected
    /// trafficking.
    fn known(&mut self, k: &Known, h: &mut VictimHistory, month: &Month) {
        if k.trafficking {
            self.groups.add(Counter::TraffickingDetected, &k.groups);
            return;
        }
        let (any, series) = first_violence_this_year(
            &mut h.last_reported_sexual,
            &mut h.last_reported_physical,
            k.sexual,
            month.now,
            month.year_start,
        );
        if any {
            self.groups.add(Counter::ViolenceReporters, &k.groups);
        }
        if series {
            let counter = if k.sexual {
                Counter::SexualReporters
            } else {
                Counter::PhysicalReporters
            };
            self.groups.add(counter, &k.groups);
        }
    }
}

/// The month's constants of the histories.
#[derive(Clone, Copy, Debug, Default)]
struct Month {
    now: MonthNo,
    year_start: MonthNo,
    layout: CellLayout,
}

/// Everything the task reads and writes, owned: the lent experience column and the month's
/// lists (kept with their buffers for the next month).
#[derive(Default)]
struct Work {
    experience: Vec<Experience>,
    victims: Vec<Option<Victimised>>,
    known: Vec<Known>,
    month: Month,
}

/// The month's histories: the victims and reports listed so far, then the task writing them.
/// Scratch: its lists are empty between months.
#[derive(Resource, Default)]
pub struct HistoryTask {
    pending: Box<Work>,
    in_flight: Option<Background<(Box<Work>, HistoryTally)>>,
}

impl HistoryTask {
    /// A buffer for the month's victims (last month's, emptied).
    pub(crate) fn victims_buffer(&mut self) -> Vec<Option<Victimised>> {
        let mut victims = std::mem::take(&mut self.pending.victims);
        victims.clear();
        victims
    }

    /// Lists the month's victims, one entry per offence in the buffer's order (none where an
    /// offence has no victim).
    pub(crate) fn set_victims(
        &mut self,
        victims: Vec<Option<Victimised>>,
        now: MonthNo,
        year_start: MonthNo,
        layout: CellLayout,
    ) {
        self.pending.victims = victims;
        self.pending.month = Month {
            now,
            year_start,
            layout,
        };
    }

    /// Adds the month's known offences that change a history (in the buffer's order) and starts
    /// writing the histories on `queue`, borrowing the experience column until
    /// [`collect_histories`].
    pub(crate) fn start(
        &mut self,
        queue: &BackgroundQueue,
        experience: &mut Vec<Experience>,
        known: impl IntoIterator<Item = Known>,
    ) {
        self.pending.known.clear();
        self.pending.known.extend(known);
        self.launch(queue, experience);
    }

    /// Starts the task on what is listed, unless it runs already.
    fn launch(&mut self, queue: &BackgroundQueue, experience: &mut Vec<Experience>) {
        if self.in_flight.is_some() {
            return;
        }
        let mut work = std::mem::take(&mut self.pending);
        work.experience = std::mem::take(experience);
        self.in_flight = Some(queue.spawn(move |pace| {
            let mut work = work;
            let tally = write_histories(&mut work, pace);
            (work, tally)
        }));
    }

    /// The histories written: gives the experience column back and returns the counts.
    fn finish(
        &mut self,
        queue: &BackgroundQueue,
        experience: &mut Vec<Experience>,
    ) -> HistoryTally {
        self.launch(queue, experience);
        let in_flight = self.in_flight.take().expect("just launched");
        let (mut work, tally) = in_flight.wait();
        *experience = std::mem::take(&mut work.experience);
        work.victims.clear();
        work.known.clear();
        self.pending = work;
        tally
    }
}

/// Writes the histories of `work`'s lists into its experience column, block by block of the
/// table's rows in order until `pace` is hurried (giving way every [`YIELD_UPDATES`] updates
/// in a lone run), the remaining blocks in parallel from there.
fn write_histories(work: &mut Work, pace: &Pace) -> HistoryTally {
    let Work {
        experience,
        victims,
        known,
        month,
    } = work;
    let (victims, known, month): (&[Option<Victimised>], &[Known], &Month) =
        (victims, known, month);
    let rows = experience.len();
    let rows_per_block = block_rows(rows, victims.len() + known.len());
    let victim_row = |v: &Option<Victimised>| v.as_ref().map_or(NO_ROW, |v| v.row);
    let by_victim = ByBlock::new(victims.iter().map(victim_row), rows, rows_per_block);
    let by_known = ByBlock::new(known.iter().map(|k| k.victim), rows, rows_per_block);
    // One block's updates, each list's in its order; `pause` between updates.
    let block =
        |t: &mut HistoryTally, b: usize, table: &mut [Experience], pause: &mut dyn FnMut()| {
            let first = (b * rows_per_block) as u32;
            let here = by_victim.block(b);
            let rows_of = |i: &u32| victim_row(&victims[*i as usize]) - first;
            touch(here.iter().map(rows_of), |r| {
                table[r].victim.last_property as u32
            });
            for i in here {
                if let Some(v) = &victims[*i as usize] {
                    t.victim(v, &mut table[(v.row - first) as usize].victim, month);
                    pause();
                }
            }
            let here = by_known.block(b);
            touch(
                here.iter().map(|&i| known[i as usize].victim - first),
                |r| table[r].victim.last_reported_physical as u32,
            );
            for &i in here {
                let k = &known[i as usize];
                t.known(k, &mut table[(k.victim - first) as usize].victim, month);
                pause();
            }
        };
    let mut updates = 0usize;
    let mut pause = || {
        updates += 1;
        if updates.is_multiple_of(YIELD_UPDATES) {
            pace.give_way();
        }
    };
    blocks_until_hurried(
        experience,
        rows_per_block,
        &|| pace.hurried(),
        &mut pause,
        block,
        HistoryTally::plus,
    )
}

/// Waits for the month's histories, gives the experience column back, and adds the counts to
/// the month's (taking the pool's pending work while waiting, and the remaining blocks' share).
pub fn collect_histories(
    queue: Res<BackgroundQueue>,
    mut task: ResMut<HistoryTask>,
    mut tally: ResMut<MonthTally>,
    mut persons: ResMut<Persons>,
) {
    if task.in_flight.is_none() && task.pending.victims.is_empty() && task.pending.known.is_empty()
    {
        return;
    }
    let t = task.finish(&queue, &mut persons.experience);
    let f = &mut tally.flows;
    f.victims += t.victims;
    f.homicide_victims += t.homicide_victims;
    f.violence_victims_15plus += t.violence_victims_15plus;
    f.gbv_victims_women_15_49 += t.gbv_victims_women_15_49;
    tally.groups.merge(&t.groups);
}
