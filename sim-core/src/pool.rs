//! Free people (alive, not in custody) grouped by region, sex, birth-year cohort and
//! displacement, kept up to date by the events that change membership: deaths, emigration,
//! newcomers, custody entries and exits, displacement and moves.
//!
//! Victimisation draws victims from it: everyone in a cell shares the same risk (within a birth
//! year), so a victim is one weighted cell pick and one uniform pick, with no scan of the
//! population and no rejection. Grouping by birth year (not age) means ageing never moves anyone.
//!
//! **Architecture Invariant:** every change of a person's slot, region or displacement goes
//! through [`VictimPool::add`] / [`VictimPool::remove`], directly or recorded in
//! [`PoolChanges`] and applied in the same order before anyone reads the pool; tests rebuild it
//! every month and compare. The rows it sees change are also handed to the offending pass
//! (`take_touched`), which revisits them: its running sums rely on this invariant too.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use bevy_ecs::prelude::Resource;

use crate::census::EARLIEST_BIRTH;
use crate::huge_pages::reserve_advised;
use crate::params::MAX_REGIONS;
use crate::person::{Demographics, MonthNo, Slot};
use crate::prefetch::prefetch;

/// Marks a row that is not in the pool.
const ABSENT: u32 = u32::MAX;

/// How the pool's cells are numbered: enough to say who a cell holds, without its members (for
/// work that runs beside the month's changes to the pool).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct CellLayout {
    cohorts: usize,
}

impl CellLayout {
    /// (sex, cohort, displaced) of the `k`-th cell of a region.
    #[inline]
    pub(crate) fn decode(self, k: usize) -> (usize, usize, bool) {
        ((k >> 1) / self.cohorts, (k >> 1) % self.cohorts, k & 1 == 1)
    }

    /// Age in whole years at `now` of a birth-year cohort (taken at its middle).
    #[inline]
    pub(crate) fn cohort_age(cohort: usize, now: MonthNo) -> u32 {
        let middle = i32::from(EARLIEST_BIRTH) + 12 * cohort as i32 + 6;
        ((i32::from(now) - middle).max(0) / 12) as u32
    }
}

/// Free people by cell. Written only through its methods.
#[derive(Resource, Clone, Debug, Default)]
pub struct VictimPool {
    cells: Vec<Vec<u32>>,
    position: Vec<u32>,
    cohorts: usize,
    /// Rows added or removed since the offending pass last took them ([`Self::take_touched`]):
    /// whoever changes slot, region or displacement is here, so the pass revisits them (see
    /// [`crate::systems::offending`]).
    touched: Vec<u32>,
}

impl VictimPool {
    /// An empty pool for births up to month `last_month`.
    pub fn new(last_month: u32) -> Self {
        let cohorts =
            ((i32::from(last_month as MonthNo) - i32::from(EARLIEST_BIRTH)) / 12 + 1) as usize;
        VictimPool {
            cells: vec![Vec::new(); MAX_REGIONS * 2 * cohorts * 2],
            position: Vec::new(),
            cohorts,
            touched: Vec::new(),
        }
    }

    /// Birth-year cohort index of a birth month.
    #[inline]
    pub fn cohort(&self, birth_month: MonthNo) -> usize {
        (((i32::from(birth_month) - i32::from(EARLIEST_BIRTH)) / 12).max(0) as usize)
            .min(self.cohorts - 1)
    }

    /// Number of birth-year cohorts.
    pub fn cohorts(&self) -> usize {
        self.cohorts
    }

    /// Cell of (region, sex, cohort, displaced).
    #[inline]
    pub fn cell(&self, region: u8, sex: usize, cohort: usize, displaced: bool) -> usize {
        ((((region as usize) * 2 + sex) * self.cohorts + cohort) << 1) | usize::from(displaced)
    }

    /// Cells per region (contiguous: region r covers `r * cells_per_region ..`).
    pub fn cells_per_region(&self) -> usize {
        2 * self.cohorts * 2
    }

    /// (sex, cohort, displaced) of the `k`-th cell of a region.
    #[inline]
    pub fn decode(&self, k: usize) -> (usize, usize, bool) {
        self.layout().decode(k)
    }

    /// Age in whole years at `now` of a birth-year cohort (taken at its middle).
    #[inline]
    pub fn cohort_age(&self, cohort: usize, now: MonthNo) -> u32 {
        CellLayout::cohort_age(cohort, now)
    }

    /// The cells' layout, without their members.
    pub(crate) fn layout(&self) -> CellLayout {
        CellLayout {
            cohorts: self.cohorts,
        }
    }

    /// Whether anyone of a birth-year cohort is born by `now` (in a justice burn-in, the
    /// persons of the start include people not yet born).
    #[inline]
    pub fn cohort_born_by(&self, cohort: usize, now: MonthNo) -> bool {
        i32::from(EARLIEST_BIRTH) + 12 * cohort as i32 <= i32::from(now)
    }

    /// The cell a person belongs to.
    #[inline]
    pub fn cell_of(&self, d: &Demographics) -> usize {
        self.cell(
            d.region,
            d.sex.index(),
            self.cohort(d.birth_month),
            d.displaced,
        )
    }

    /// Adds a free person (call with their attributes after the change).
    pub fn add(&mut self, row: u32, d: &Demographics) {
        self.touched.push(row);
        self.insert(row, d);
    }

    /// Removes a person (call with their attributes before the change).
    pub fn remove(&mut self, row: u32, d: &Demographics) {
        self.touched.push(row);
        self.take_out(row, d);
    }

    /// The rows touched since the last call, for the offending pass to revisit.
    pub(crate) fn take_touched(&mut self) -> Vec<u32> {
        std::mem::take(&mut self.touched)
    }

    /// [`Self::add`] without noting the row (changes recorded in [`PoolChanges`] were noted
    /// there).
    fn insert(&mut self, row: u32, d: &Demographics) {
        let r = row as usize;
        if self.position.len() <= r {
            let more = r + 1 - self.position.len();
            reserve_advised(&mut self.position, more);
            self.position.resize(r + 1, ABSENT);
        }
        debug_assert_eq!(self.position[r], ABSENT, "row {row} already in the pool");
        let c = self.cell_of(d);
        self.position[r] = self.cells[c].len() as u32;
        self.cells[c].push(row);
    }

    /// [`Self::remove`] without noting the row.
    fn take_out(&mut self, row: u32, d: &Demographics) {
        let r = row as usize;
        let Some(&pos) = self.position.get(r) else {
            return;
        };
        if pos == ABSENT {
            return;
        }
        let c = self.cell_of(d);
        let cell = &mut self.cells[c];
        debug_assert_eq!(
            cell.get(pos as usize),
            Some(&row),
            "row {row} not in its cell"
        );
        cell.swap_remove(pos as usize);
        if let Some(&moved) = cell.get(pos as usize) {
            self.position[moved as usize] = pos;
        }
        self.position[r] = ABSENT;
    }

    /// Asks memory for the person's entry of the positions, which [`Self::remove`] and
    /// [`Self::add`] read or write (a hint: nothing changes).
    #[inline]
    pub(crate) fn prefetch_position(&self, row: u32) {
        if let Some(at) = self.position.get(row as usize) {
            prefetch(at);
        }
    }

    /// People in a cell.
    #[inline]
    pub fn count(&self, cell: usize) -> usize {
        self.cells[cell].len()
    }

    /// The `i`-th person (row) of a cell.
    #[inline]
    pub fn nth(&self, cell: usize, i: usize) -> u32 {
        self.cells[cell][i]
    }

    /// Free people by (region, sex, age in years at `now`, displaced), from the cells.
    pub fn classes(&self, now: MonthNo) -> Vec<(u8, usize, u32, bool, u64)> {
        let mut out = Vec::new();
        for (cell, rows) in self.cells.iter().enumerate() {
            if rows.is_empty() {
                continue;
            }
            let region = (cell / self.cells_per_region()) as u8;
            let (sex, cohort, displaced) = self.decode(cell % self.cells_per_region());
            let age = self.cohort_age(cohort, now);
            out.push((region, sex, age, displaced, rows.len() as u64));
        }
        out
    }

    /// A pool built from scratch from the person table.
    pub fn rebuild(demo: &[Demographics], last_month: u32) -> Self {
        let mut pool = VictimPool::new(last_month);
        // Room for the table's growth, advised for huge pages before it is written: each
        // change to the pool reads and writes a person's entry at a random place (at one
        // agent per person 200 MB of entries, 50,000 ordinary pages).
        reserve_advised(&mut pool.position, demo.len() + demo.len() / 2);
        pool.position.resize(demo.len(), ABSENT);
        for (row, d) in demo.iter().enumerate() {
            if d.slot == Slot::Alive {
                pool.insert(row as u32, d);
            }
        }
        pool
    }

    /// Whether two pools hold the same people in the same cells (order within cells aside).
    pub fn same_members(&self, other: &VictimPool) -> bool {
        self.cells.len() == other.cells.len()
            && self.cells.iter().zip(&other.cells).all(|(a, b)| {
                let (mut a, mut b) = (a.clone(), b.clone());
                a.sort_unstable();
                b.sort_unstable();
                a == b
            })
    }
}

/// A change to the pool, recorded to be applied later, in order.
#[derive(Clone, Copy, Debug)]
enum Change {
    Add(u32, Demographics),
    Remove(u32, Demographics),
}

impl Change {
    fn apply(self, pool: &mut VictimPool) {
        match self {
            Change::Add(row, d) => pool.insert(row, &d),
            Change::Remove(row, d) => pool.take_out(row, &d),
        }
    }

    /// Asks memory for the person's entry of the pool's positions, which applying the change
    /// reads or writes (a hint: no byte of the pool changes).
    #[inline]
    fn prefetch(self, pool: &VictimPool) {
        let (Change::Add(row, _) | Change::Remove(row, _)) = self;
        pool.prefetch_position(row);
    }

    /// Asks memory for the cell entry a removal will take out, from the person's position as
    /// it stands (changes between now and the removal may move it: then the hint is wasted).
    #[inline]
    fn prefetch_entry(self, pool: &VictimPool) {
        if let Change::Remove(row, d) = self
            && let Some(&pos) = pool.position.get(row as usize)
            && let Some(entry) = pool.cells[pool.cell_of(&d)].get(pos as usize)
        {
            prefetch(entry);
        }
    }
}

/// Changes between the one applied and the one whose position entry is asked of memory, and
/// the one whose cell entry is.
const POSITION_AHEAD: usize = 16;
const ENTRY_AHEAD: usize = 8;

/// Applies `changes` to `pool` in their order, asking memory for the entries of the changes
/// ahead: each change reads and writes entries at random places of tables too large for the
/// caches (the positions, 4 bytes a person), and one after another each waited for memory (a
/// month's million changes at one agent per person took 60-130 ms). `pause` is called before
/// every [`PAUSE_CHANGES`] changes.
fn apply_all(changes: &[Change], pool: &mut VictimPool, mut pause: impl FnMut()) {
    for (k, change) in changes.iter().enumerate() {
        if k % PAUSE_CHANGES == 0 {
            pause();
        }
        if let Some(ahead) = changes.get(k + POSITION_AHEAD) {
            ahead.prefetch(pool);
        }
        if let Some(ahead) = changes.get(k + ENTRY_AHEAD) {
            ahead.prefetch_entry(pool);
        }
        change.apply(pool);
    }
}

/// Changes between two looks for the pool's other work (about 10 µs of changes at a million
/// agents).
const PAUSE_CHANGES: usize = 64;

/// Changes recorded before they are sent to be applied (about 40 µs of work at a million
/// agents).
const BATCH_CHANGES: usize = 256;

/// The pool's changes from the month's first stages (displacement, deaths, newcomers), applied
/// in their order beside the month's work until victimisation reads the pool (stage 7).
///
/// Why: each change touches two or three rows of large tables at random (about 150 ns at
/// 1,000,000 agents), and these stages make about 8,000 a month (2,000 to 27,000): about
/// 1.2 ms a month of serial work. From the start of the month ([`PoolChanges::start`]) the
/// pool is out with an applier, and every [`BATCH_CHANGES`] changes recorded are sent to it.
/// Until [`PoolChanges::hurry`] (once the last are recorded), in a [`crate::par::lone_run`],
/// the applier gives way to the pool's other work every [`PAUSE_CHANGES`] changes: it runs where the other threads would
/// wait for the calling thread's serial work (the recording loops themselves, the lists of
/// deaths and newcomers); after it, it runs through, beside the offending pass, and the
/// victimisation stage waits for it ([`PoolChanges::finish`]). The changes are applied in the
/// order they were made, so the pool's order, and every victim drawn from it, is as before.
/// Scratch: empty between months (a snapshot never holds changes in flight).
#[derive(Resource, Default)]
pub struct PoolChanges {
    recorded: Vec<Change>,
    /// The rows of the changes recorded, and of the pool's own changes since the last
    /// offending pass (moved here when the changes start): the rows the pass revisits.
    touched: Vec<u32>,
    /// The pool and the changes sent to it, while the pool is out.
    applier: Option<Arc<Applier>>,
    /// The applied batches' buffers between months, for next month's batches.
    spare: Vec<Vec<Change>>,
}

/// What the calling thread and the task applying the changes share.
struct Applier {
    state: Mutex<Queue>,
    /// A task is applying the changes (it holds the pool).
    running: AtomicBool,
    /// No more changes are coming this month: the task no longer gives way.
    urgent: AtomicBool,
    /// The pool's threads have no other run's work ([`crate::par::lone_run`]): the task may
    /// give way to the month's passes.
    lone: bool,
}

/// The changes sent and not yet applied, and the pool while no task applies them.
#[derive(Default)]
struct Queue {
    batches: VecDeque<Vec<Change>>,
    pool: Option<VictimPool>,
    /// Applied batches' buffers, for the next batches.
    spent: Vec<Vec<Change>>,
}

impl Applier {
    fn queue(&self) -> std::sync::MutexGuard<'_, Queue> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Applies the batches sent, in order, until there are none; then puts the pool back.
    fn drain(&self) {
        let mut pool = self
            .queue()
            .pool
            .take()
            .expect("a task starts with the pool in");
        loop {
            let batch = {
                let mut queue = self.queue();
                match queue.batches.pop_front() {
                    Some(batch) => batch,
                    None => {
                        queue.pool = Some(pool);
                        // Under the lock: a batch sent after this starts a new task.
                        self.running.store(false, Ordering::Release);
                        return;
                    }
                }
            };
            apply_all(&batch, &mut pool, || {
                if !self.urgent.load(Ordering::Acquire) {
                    crate::par::give_way(self.lone);
                }
            });
            let mut batch = batch;
            batch.clear();
            self.queue().spent.push(batch);
        }
    }
}

impl PoolChanges {
    /// Records [`VictimPool::add`].
    pub fn add(&mut self, row: u32, d: &Demographics) {
        self.touched.push(row);
        self.record(Change::Add(row, *d));
    }

    /// Records [`VictimPool::remove`].
    pub fn remove(&mut self, row: u32, d: &Demographics) {
        self.touched.push(row);
        self.record(Change::Remove(row, *d));
    }

    fn record(&mut self, change: Change) {
        self.recorded.push(change);
        if self.recorded.len() >= BATCH_CHANGES {
            self.send();
        }
    }

    /// The rows whose slot, region or displacement changed since the last offending pass (the
    /// pool's own changes are moved here by [`Self::start`]).
    pub(crate) fn take_touched(&mut self) -> Vec<u32> {
        std::mem::take(&mut self.touched)
    }

    /// Takes the pool out, to an applier of the changes recorded from now on: `pool` is empty
    /// until [`PoolChanges::finish`] puts it back.
    pub fn start(&mut self, pool: &mut VictimPool) {
        self.touched.append(&mut pool.take_touched());
        let queue = Queue {
            pool: Some(std::mem::take(pool)),
            spent: std::mem::take(&mut self.spare),
            ..Queue::default()
        };
        let applier = Arc::new(Applier {
            state: Mutex::new(queue),
            running: AtomicBool::new(false),
            urgent: AtomicBool::new(false),
            lone: crate::par::may_give_way(),
        });
        self.applier = Some(applier);
        // The changes recorded before (none in a month: those of a test) go first.
        self.send();
    }

    /// Sends the changes recorded to the applier, and starts a task applying them if none
    /// runs (without an applier, they stay recorded).
    fn send(&mut self) {
        let Some(applier) = &self.applier else {
            return;
        };
        if self.recorded.is_empty() {
            return;
        }
        let mut queue = applier.queue();
        let next = queue.spent.pop().unwrap_or_default();
        queue
            .batches
            .push_back(std::mem::replace(&mut self.recorded, next));
        if !applier.running.swap(true, Ordering::AcqRel) {
            let applier = Arc::clone(applier);
            rayon::spawn(move || applier.drain());
        }
    }

    /// Sends the last changes of the month's first stages: from here on the applier runs
    /// through, beside the stages that never read the pool (employment, interventions,
    /// offending).
    pub fn hurry(&mut self) {
        self.send();
        if let Some(applier) = &self.applier {
            applier.urgent.store(true, Ordering::Release);
        }
    }

    /// Puts the pool back with every change applied (applying any still recorded), taking the
    /// pool's pending work while the applier finishes (so a pool of one thread applies them
    /// here).
    pub fn finish(&mut self, pool: &mut VictimPool) {
        self.hurry();
        if let Some(applier) = self.applier.take() {
            crate::par::help_until(|| !applier.running.load(Ordering::Acquire));
            let mut queue = applier.queue();
            debug_assert!(queue.batches.is_empty(), "an applier stops with none left");
            *pool = queue.pool.take().expect("the pool is back once applied");
            self.spare = std::mem::take(&mut queue.spent);
        }
        for change in self.recorded.drain(..) {
            change.apply(pool);
        }
    }
}

/// `n` living people in few cells of the pool (2 regions, both sexes, 3 birth years), for tests
/// of what changes in a cell do.
#[cfg(test)]
pub(crate) fn people_in_few_cells(n: u32) -> Vec<Demographics> {
    use crate::person::{PersonId, Sex};
    (0..n)
        .map(|i| Demographics {
            id: PersonId(i),
            birth_month: -12 * (i % 3) as MonthNo,
            sex: if i % 2 == 0 { Sex::Male } else { Sex::Female },
            region: (i % 5 % 2) as u8,
            slot: Slot::Alive,
            displaced: false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{MonthKey, Stream};

    /// 400 people in few cells, so that removals reorder cells.
    fn people() -> Vec<Demographics> {
        people_in_few_cells(400)
    }

    /// 3,000 moves of people in few cells (displacement, region, custody), each as the pool
    /// sees it: (row, before, after).
    fn moves() -> Vec<(u32, Demographics, Demographics)> {
        let mut demo = people();
        let key = MonthKey::new(7, Stream::Displacement, 3);
        (0..3000u32)
            .map(|step| {
                let row = (key.bits(step, 0) % demo.len() as u64) as u32;
                let before = demo[row as usize];
                let mut after = before;
                match step % 3 {
                    0 => after.displaced = !after.displaced,
                    1 => after.region = 1 - after.region,
                    _ => {
                        after.slot = if after.slot == Slot::Alive {
                            Slot::InCustody
                        } else {
                            Slot::Alive
                        }
                    }
                }
                demo[row as usize] = after;
                (row, before, after)
            })
            .collect()
    }

    /// A parallel pass of the kind the month runs while the changes apply.
    fn work_beside() {
        let beside: u64 = rayon::prelude::ParallelIterator::sum(
            rayon::prelude::IntoParallelIterator::into_par_iter(0..100_000u64),
        );
        assert_eq!(beside, 4_999_950_000);
    }

    #[test]
    fn changes_applied_beside_other_work_leave_the_cells_in_the_order_of_direct_changes() {
        // Victims are picked by their place in a cell, so the order within cells is output:
        // recorded changes must reproduce it exactly, not just the members. The changes are
        // recorded with the pool out (as in a month: sent in batches, applied while parallel
        // passes run, giving way to them in a lone run or not, hurried, then waited for), and
        // also all before the pool goes out.
        let moves = moves();
        let mut direct = VictimPool::rebuild(&people(), 120);
        let record =
            |changes: &mut PoolChanges,
             (row, before, after): &(u32, Demographics, Demographics)| {
                if before.slot == Slot::Alive {
                    changes.remove(*row, before);
                }
                if after.slot == Slot::Alive {
                    changes.add(*row, after);
                }
            };
        let mut direct_changes = PoolChanges::default();
        for m in &moves {
            record(&mut direct_changes, m);
        }
        for change in direct_changes.recorded.drain(..) {
            change.apply(&mut direct);
        }
        let cases = [1, 2].into_iter().flat_map(|threads| {
            [(true, true), (true, false), (false, false)]
                .map(|(out_first, lone)| (threads, out_first, lone))
        });
        for (threads, out_first, lone) in cases {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let mut changes = PoolChanges::default();
            let mut applied = VictimPool::rebuild(&people(), 120);
            let run = || {
                if !out_first {
                    for m in &moves {
                        record(&mut changes, m);
                    }
                }
                changes.start(&mut applied);
                assert!(
                    applied.cells.is_empty(),
                    "the pool is out while changes apply"
                );
                for (k, m) in moves.iter().enumerate().filter(|_| out_first) {
                    record(&mut changes, m);
                    if k % 700 == 0 {
                        work_beside();
                    }
                    if k == 2000 {
                        changes.hurry();
                    }
                }
                work_beside();
                changes.finish(&mut applied);
            };
            if lone {
                pool.install(|| crate::par::lone_run(run));
            } else {
                pool.install(run);
            }
            let case = format!("{threads} threads, pool out first: {out_first}, lone: {lone}");
            assert_eq!(applied.cells, direct.cells, "{case}");
            assert_eq!(applied.position, direct.position, "{case}");
            assert!(changes.recorded.is_empty() && changes.applier.is_none());
        }
    }
}
