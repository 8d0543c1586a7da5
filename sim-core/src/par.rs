//! Deterministic chunked parallelism over the person table.
//!
//! **Architecture Invariant:** chunk boundaries depend only on the number of rows (never on the
//! thread count), and no output depends on where they fall: per-chunk results are exact
//! (integers, fixed point) or lists in row order, collected in chunk order, and floating-point
//! totals are summed after collection. So 1, 2 or N threads, and any chunk size, give
//! byte-identical results (`tests/determinism.rs` checks both).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::offence::NO_ROW;

/// Most rows per chunk: large enough to amortise scheduling (about 10-50 us of work per chunk).
const MAX_CHUNK: usize = 8192;

/// Fewest rows per chunk.
const MIN_CHUNK: usize = 1024;

/// Rows per chunk for a table of `rows` rows: about 32 chunks (a power of two between 1,024
/// and 8,192 rows), so that small populations, such as the dashboard's 20,000 agents, still
/// split evenly over the threads (with a fixed 8,192 they made three chunks, two of them on one
/// thread) and large ones amortise scheduling. Depends on the row count only, never on the
/// threads; every per-chunk result is exact (integers, fixed point) or kept in row order, so
/// the chunk size changes no output.
pub(crate) fn chunk_rows(rows: usize) -> usize {
    match FIXED_CHUNK_ROWS.get() {
        0 => (rows / 32).next_power_of_two().clamp(MIN_CHUNK, MAX_CHUNK),
        fixed => fixed,
    }
}

thread_local! {
    /// A chunk size forced by [`fix_chunk_rows_on_this_thread`] (0: none).
    static FIXED_CHUNK_ROWS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Forces the chunk size of the systems run on this thread (0 restores the default), so that a
/// test can check that no output depends on where chunks begin. Not for use outside tests.
#[doc(hidden)]
pub fn fix_chunk_rows_on_this_thread(rows: usize) {
    FIXED_CHUNK_ROWS.set(rows);
}

/// How a parallel pass is cut into rayon jobs.
///
/// Why: rayon cuts a pass adaptively, into about twice as many jobs as threads at the start and
/// further only where a job is stolen, and a job once begun runs to its end on its thread. On
/// two threads a pass of a hundred chunks became jobs of a quarter of the pass each, and one
/// thread often finished while the other was still in such a job: under `perf`, a quarter of
/// the offending pass's samples on two threads had the other thread idle, and one in seven of
/// all the step's samples. Chunks ([`chunk_rows`]) and tasks (the `..._PER_TASK` constants) are
/// sized to amortise scheduling already, so they can be jobs of their own.
///
/// Scheduling only: no output depends on how a pass is cut (the module's Architecture
/// Invariant).
pub(crate) trait Jobs: IndexedParallelIterator {
    /// One job per item (per chunk of rows, or task of items).
    fn job_per_chunk(self) -> rayon::iter::MaxLen<Self> {
        self.with_max_len(1)
    }

    /// Jobs of `items` to `2 * items` items: a task of at least `items`, and never more than
    /// about that.
    fn jobs_of(self, items: usize) -> rayon::iter::MaxLen<rayon::iter::MinLen<Self>> {
        self.with_min_len(items).with_max_len(items)
    }
}

impl<I: IndexedParallelIterator> Jobs for I {}

/// Visits `items` (a pass's chunks) with one job per thread, each job taking the next item
/// left until none is, and commits their results in the items' order ([`InChunkOrder`]).
/// `init` makes a job's working state.
///
/// Why: a pass whose results were collected and then merged on the calling thread left the
/// other threads idle during the merge (the offending pass's offences, a copy of some 18,000 at
/// a million agents). Committed in order inside a pass cut in halves by rayon, the results of
/// the second half, begun at the middle of the table, waited for the first thread to reach
/// the middle, and half the commits still came at the pass's end on one thread. Taken in turn,
/// the chunks end roughly in their order and each is committed as it ends, so that only the
/// last chunk's commit remains once the pass ends: the second thread's idle time in the
/// offending stage went from 0.13 to 0.04-0.05 ms a month at a million agents on two threads.
/// A thread busy elsewhere when the pass begins takes its share when it comes; the pass never
/// waits for it.
pub(crate) fn in_turn<T: Send, S, R: Send>(
    items: Vec<T>,
    init: impl Fn() -> S + Sync,
    visit: impl Fn(&mut S, usize, T) -> R + Sync,
    commit: impl FnMut(R) + Send,
) {
    let count = items.len();
    let left = Mutex::new(items.into_iter().enumerate());
    let order = InChunkOrder::new(commit);
    let jobs = rayon::current_num_threads().min(count);
    (0..jobs).into_par_iter().job_per_chunk().for_each(|_| {
        let mut state = init();
        loop {
            // Taken in a statement of its own, so that the lock is released before the visit.
            let next = left.lock().unwrap_or_else(|e| e.into_inner()).next();
            let Some((i, item)) = next else { break };
            let result = visit(&mut state, i, item);
            order.deliver(i, result);
        }
    });
    order.finish(count);
}

/// Hands the results of a pass's chunks to `commit` in chunk order, each as soon as every chunk
/// before it is in, on the thread whose result completes that prefix (under a lock, so one
/// commit runs at a time). Results that come early wait in a short list. The order of the
/// commits is the chunks', whatever the threads ([`in_turn`]).
struct InChunkOrder<T, F> {
    state: Mutex<Ordered<T, F>>,
}

/// The next chunk to commit, the results that came before their turn, and the commit.
struct Ordered<T, F> {
    next: usize,
    early: Vec<(usize, T)>,
    commit: F,
}

impl<T, F: FnMut(T)> InChunkOrder<T, F> {
    /// Commits with `commit`, beginning with chunk 0.
    fn new(commit: F) -> Self {
        InChunkOrder {
            state: Mutex::new(Ordered {
                next: 0,
                early: Vec::new(),
                commit,
            }),
        }
    }

    /// Delivers chunk `chunk`'s result: commits it, and the early results that follow it, if
    /// its turn has come; otherwise keeps it until then.
    fn deliver(&self, chunk: usize, result: T) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if chunk != state.next {
            state.early.push((chunk, result));
            return;
        }
        let Ordered {
            next,
            early,
            commit,
        } = &mut *state;
        commit(result);
        *next += 1;
        while let Some(at) = early.iter().position(|(c, _)| *c == *next) {
            commit(early.swap_remove(at).1);
            *next += 1;
        }
    }

    /// Ends the pass of `chunks` chunks, every one of which has delivered its result (and so
    /// has been committed).
    fn finish(self, chunks: usize) {
        let state = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        assert!(
            state.next == chunks && state.early.is_empty(),
            "chunk {} of {chunks} never delivered its result",
            state.next
        );
    }
}

/// Runs `f` with the current rayon pool's other workers kept awake until it returns, for a
/// caller whose work is one simulation (or a few) on a dedicated pool.
///
/// Why: a month alternates parallel passes over the persons with short serial stages (the
/// expected victims, the courts, the metrics). An idle rayon worker goes to sleep after a few
/// tens of microseconds, and waking it for the next pass costs about as long again on a
/// virtual machine: at the dashboard's 20,000 agents each pass's second thread started its
/// first chunk about 38 us late, a quarter of the month's time on 2 threads. Here each other
/// worker runs a task that takes pending work as soon as it appears (`rayon::yield_now`) and
/// otherwise spins, yielding the core to the operating system every few rounds so that other
/// programs are not starved. The price is a busy core while `f` runs serial code.
///
/// Scheduling only: which thread runs a chunk never changes an output (see the module's
/// Architecture Invariant). Outside a rayon pool, or with one thread, this just calls `f`.
pub fn with_workers_awake<R>(f: impl FnOnce() -> R) -> R {
    let threads = rayon::current_num_threads();
    let Some(home) = rayon::current_thread_index().filter(|_| threads > 1) else {
        return f();
    };
    let done = AtomicBool::new(false);
    rayon::in_place_scope(|scope| {
        for _ in 1..threads {
            scope.spawn(|_| stay_awake(&done, home));
        }
        // Set when `f` returns or unwinds, so that the scope never waits on a spinning task.
        let _done = SetOnDrop(&done);
        f()
    })
}

/// Sets its flag when dropped.
struct SetOnDrop<'a>(&'a AtomicBool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
    }
}

/// Idle rounds between two yields of the core to the operating system.
const SPINS_PER_YIELD: u32 = 64;

/// Takes the pool's pending work until `done`; returns at once on the thread `home` that runs
/// the caller (which can pick its own spawned task up while it waits inside a pass).
fn stay_awake(done: &AtomicBool, home: usize) {
    if rayon::current_thread_index() == Some(home) {
        return;
    }
    let mut idle = 0u32;
    while !done.load(Ordering::Acquire) {
        if let Some(rayon::Yield::Executed) = rayon::yield_now() {
            idle = 0;
            continue;
        }
        idle += 1;
        if idle.is_multiple_of(SPINS_PER_YIELD) {
            std::thread::yield_now();
        } else {
            std::hint::spin_loop();
        }
    }
}

/// Reads a word of each of `rows` (rows of [`NO_ROW`] are passed over) in one run
/// of independent reads, before code that visits them one at a time with much work in between:
/// rows at random places of a large table each wait for memory, and in such a run the waits
/// overlap (a prefetch without `unsafe`; the victims' histories at a million agents took 0.8-0.9
/// ms a month with it, 1.2-1.8 ms without).
pub(crate) fn touch(rows: impl Iterator<Item = u32>, read: impl Fn(usize) -> u32) {
    let mut words = 0u32;
    for row in rows {
        if row != NO_ROW {
            words ^= read(row as usize);
        }
    }
    std::hint::black_box(words);
}

/// Fewest updates a block of [`block_rows`] should carry on average: each waits for memory
/// (about 0.1-0.2 us), and a rayon job taken by the other thread costs a few microseconds on a
/// virtual machine. With a block per chunk, a month's 1,300 newcomers at a million agents were
/// 123 jobs of about ten rows each, 0.17 ms on one thread or two.
const UPDATES_PER_BLOCK: usize = 256;

/// Rows per block for `updates` updates of rows at random places of a table of `table_rows`
/// rows, applied by blocks in parallel ([`ByBlock`]): a power of two of the table's chunks
/// ([`chunk_rows`]), as few as give each block about [`UPDATES_PER_BLOCK`] updates, and a single
/// block for a handful (waking the other threads would cost more than the writes). Depends on
/// the counts only; no output depends on where blocks begin.
pub(crate) fn block_rows(table_rows: usize, updates: usize) -> usize {
    let chunk = chunk_rows(table_rows);
    let chunks = table_rows.div_ceil(chunk).max(1);
    let per_block = (UPDATES_PER_BLOCK * chunks)
        .div_ceil(updates.max(1))
        .next_power_of_two()
        .min(chunks.next_power_of_two());
    chunk * per_block
}

/// Goes through `table` by blocks of `rows_per_block` rows, `visit(counts, b, rows, pause)`
/// updating block `b`'s rows and counting into `counts`: the blocks one after another in their
/// order until `hurried()`, the visits calling `pause` between updates; the remaining blocks in
/// parallel from there (`pause` then does nothing). The counts of each run of
/// blocks are added with `plus`: integer counts give the same sums however the blocks went.
///
/// For background work that writes at random places of a table (`systems::histories`): block
/// after block on the one thread that took it, giving way to the month's passes from `pause`
/// (see [`give_way`]), and in parallel with the calling thread once the month needs the result.
pub(crate) fn blocks_until_hurried<T: Send, A: Default + Send>(
    table: &mut [T],
    rows_per_block: usize,
    hurried: &dyn Fn() -> bool,
    pause: &mut dyn FnMut(),
    visit: impl Fn(&mut A, usize, &mut [T], &mut dyn FnMut()) + Sync,
    plus: impl Fn(A, A) -> A + Sync + Send,
) -> A {
    let mut counts = A::default();
    let mut rest = table;
    let mut b = 0;
    while !rest.is_empty() && !hurried() {
        let n = rows_per_block.min(rest.len());
        let (rows, tail) = std::mem::take(&mut rest).split_at_mut(n);
        visit(&mut counts, b, rows, pause);
        rest = tail;
        b += 1;
    }
    let first = b;
    let others = rest
        .par_chunks_mut(rows_per_block)
        .enumerate()
        .job_per_chunk()
        .fold(A::default, |mut counts, (i, rows)| {
            visit(&mut counts, first + i, rows, &mut || {});
            counts
        })
        .reduce(A::default, &plus);
    plus(counts, others)
}

/// Items (updates of some rows of the person table) grouped by the table's blocks of
/// `rows_per_block` rows, each block's items in their original order: for applying them with
/// the blocks in parallel (`par_chunks_mut` of the same size), where each item writes only its
/// own row.
pub(crate) struct ByBlock {
    starts: Vec<usize>,
    order: Vec<u32>,
}

impl ByBlock {
    /// Groups items `0..rows.len()` by the block of `rows[i]`, in a table of `table_rows`;
    /// items whose row is [`NO_ROW`] are in no block.
    pub(crate) fn new(
        rows: impl Iterator<Item = u32> + Clone,
        table_rows: usize,
        rows_per_block: usize,
    ) -> Self {
        let blocks = table_rows.div_ceil(rows_per_block);
        // Blocks are a power of two of rows but in tests: a shift, where a division of each
        // row took tens of cycles on the calling thread.
        let shift = rows_per_block
            .is_power_of_two()
            .then(|| rows_per_block.trailing_zeros());
        let block_of = |row: u32| match shift {
            Some(shift) => (row >> shift) as usize,
            None => row as usize / rows_per_block,
        };
        let mut starts = vec![0usize; blocks + 1];
        for row in rows.clone().filter(|&row| row != NO_ROW) {
            starts[block_of(row) + 1] += 1;
        }
        for b in 0..blocks {
            starts[b + 1] += starts[b];
        }
        let mut next = starts.clone();
        let mut order = vec![0u32; starts[blocks]];
        for (i, row) in rows.enumerate().filter(|&(_, row)| row != NO_ROW) {
            let b = block_of(row);
            order[next[b]] = i as u32;
            next[b] += 1;
        }
        ByBlock { starts, order }
    }

    /// The items of block `b`, in their original order.
    #[inline]
    pub(crate) fn block(&self, b: usize) -> &[u32] {
        &self.order[self.starts[b]..self.starts[b + 1]]
    }
}

thread_local! {
    /// Set on the thread that runs [`lone_run`]'s closure, while it runs.
    static LONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, which steps one simulation that has the pool to itself: the pool's threads stay
/// awake between the month's passes ([`with_workers_awake`]), and the simulation's background
/// work (the victim pool's applier, the expected victims, the victims' histories) gives way to
/// the month's parallel passes every few microseconds ([`give_way`]), so that it runs where the
/// other threads would wait for the calling thread's serial work. Scheduling only: no output
/// depends on it.
///
/// Why only here: giving way runs whatever work the pool has pending, and while several runs
/// share the pool (the replications of `cjsim run`, a sweep's points, a comparison's arms) that
/// is mostly runs not yet started. A task that gave way started another run inside its own,
/// whose task did the same: 40 replications at 100,000 agents on two threads held 338 MB at
/// their peak instead of 70 MB, and took 13% longer.
pub fn lone_run<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            LONE.set(self.0);
        }
    }
    let _restore = Restore(LONE.replace(true));
    with_workers_awake(f)
}

/// Whether background work started on this thread now may give way ([`lone_run`]).
pub(crate) fn may_give_way() -> bool {
    LONE.get()
}

/// Runs one job of the pool's pending work, if any, when `allowed` (what [`may_give_way`] said
/// where the background work started).
pub(crate) fn give_way(allowed: bool) {
    if allowed {
        rayon::yield_now();
    }
}

/// Takes the pool's pending work until `done()`, which work started beside the caller makes
/// true (with one thread, that work is among what it takes), yielding the core when there is
/// none.
pub(crate) fn help_until(done: impl Fn() -> bool) {
    while !done() {
        if !matches!(rayon::yield_now(), Some(rayon::Yield::Executed)) {
            std::thread::yield_now();
        }
    }
}

/// A simulation's background work: pieces of work started beside the month's stages, run one
/// after another on one rayon task in the order they were started, each giving its result
/// once done ([`Background`]). For work whose inputs the month no longer changes and whose
/// result it needs only some stages later (the expected victims, the victims' histories), so
/// that serial work becomes work the month's parallel passes share out. In a [`lone_run`],
/// work that calls [`give_way`] every few microseconds gives way to the month's passes and
/// fills the calling thread's serial stretches instead (the victim pool's applier,
/// `PoolChanges`, runs in a task of its own in the same way).
///
/// Why one task, the pieces in turn: a piece that gives way runs whatever the pool has pending,
/// and a piece started on a task of its own was such work. The victims' histories, started
/// while the expected victims were under way, ran inside their giving way, and the expected
/// victims could go on only once the histories were done: at the month's end, after the
/// histories, their remainder ran on one thread while the calling thread waited (0.22 ms a
/// month at a million agents on two threads).
///
/// Waiting for a piece ([`Background::wait`]) sets the queue's hurry flag, which the pieces
/// read to finish in parallel ([`blocks_until_hurried`]), and takes the pool's pending work
/// meanwhile: with one thread the work runs there, where serial code would have run it. The
/// results are the same either way. A panic inside the work aborts the process (rayon's rule
/// for spawned work), as a panic inside a month would end the run.
#[derive(bevy_ecs::prelude::Resource, Clone, Default)]
pub struct BackgroundQueue {
    runner: Arc<Runner>,
}

/// A piece of background work, given the queue's hurry flag.
type Piece = Box<dyn FnOnce(&AtomicBool) + Send>;

/// How a piece of background work may go: whether it gives way to the month's passes, and
/// whether it should now finish in parallel.
pub struct Pace<'a> {
    /// Started in a [`lone_run`].
    lone: bool,
    /// The queue's hurry flag.
    hurry: &'a AtomicBool,
}

impl Pace<'_> {
    /// Runs one job of the pool's pending work, in a [`lone_run`] ([`give_way`]).
    pub(crate) fn give_way(&self) {
        give_way(self.lone);
    }

    /// Whether the piece should finish in parallel now: the simulation waits for it, or it
    /// was started outside a [`lone_run`] (where nothing gives way, so going block by block on
    /// one thread gains nothing).
    pub(crate) fn hurried(&self) -> bool {
        !self.lone || self.hurry.load(Ordering::Acquire)
    }
}

/// The queue's pieces not yet begun, and whether a task runs them.
#[derive(Default)]
struct Runner {
    /// Pieces not yet begun, and whether a task is running them (both under the one lock, so
    /// that a piece queued as the task finds the queue empty is never left behind).
    pending: Mutex<(std::collections::VecDeque<Piece>, bool)>,
    /// Set while the simulation waits for a piece: the pieces then finish in parallel.
    hurry: AtomicBool,
}

impl Runner {
    /// Runs the pieces one after another until none is left.
    fn drain(&self) {
        loop {
            let piece = {
                let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
                match pending.0.pop_front() {
                    Some(piece) => piece,
                    None => {
                        pending.1 = false;
                        return;
                    }
                }
            };
            piece(&self.hurry);
        }
    }
}

impl BackgroundQueue {
    /// Starts `work` after the pieces started before it (on the current rayon pool, the global
    /// one outside any pool); `work` is given its [`Pace`], which knows whether it was started
    /// in a [`lone_run`].
    pub fn spawn<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Pace) -> T + Send + 'static,
    ) -> Background<T> {
        let shared = Arc::new(Shared {
            ready: AtomicBool::new(false),
            result: Mutex::new(None),
        });
        let done = Arc::clone(&shared);
        let lone = may_give_way();
        let piece: Piece = Box::new(move |hurry| {
            let value = work(&Pace { lone, hurry });
            *done.result.lock().unwrap_or_else(|e| e.into_inner()) = Some(value);
            done.ready.store(true, Ordering::Release);
        });
        let mut pending = self
            .runner
            .pending
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        pending.0.push_back(piece);
        if !pending.1 {
            pending.1 = true;
            let runner = Arc::clone(&self.runner);
            rayon::spawn(move || runner.drain());
        }
        Background {
            shared,
            runner: Arc::clone(&self.runner),
        }
    }
}

/// A piece of work started on a [`BackgroundQueue`], and its result once done.
pub struct Background<T> {
    shared: Arc<Shared<T>>,
    runner: Arc<Runner>,
}

/// What the work and its waiter share.
struct Shared<T> {
    ready: AtomicBool,
    result: Mutex<Option<T>>,
}

impl<T: Send + 'static> Background<T> {
    /// The work's result, once it is done; the queue's work is hurried meanwhile (and no
    /// longer once it returns: the next month's pieces start unhurried).
    pub fn wait(self) -> T {
        self.runner.hurry.store(true, Ordering::Release);
        help_until(|| self.shared.ready.load(Ordering::Acquire));
        self.runner.hurry.store(false, Ordering::Release);
        self.shared
            .result
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .expect("finished work leaves its result")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a pool")
    }

    /// The sizes of the jobs a pass of `items` items is cut into (a fold makes one accumulator
    /// per job).
    fn job_sizes(
        threads: usize,
        items: usize,
        cut: impl Fn(rayon::range::Iter<usize>) -> Vec<usize> + Send + Sync,
    ) -> Vec<usize> {
        pool(threads).install(|| cut((0..items).into_par_iter()))
    }

    #[test]
    fn a_pass_cut_one_job_per_chunk_has_as_many_jobs_as_chunks() {
        for threads in [1, 2, 4] {
            let sizes = job_sizes(threads, 123, |pass| {
                pass.job_per_chunk()
                    .fold(|| 0, |n, _| n + 1)
                    .collect::<Vec<usize>>()
            });
            assert_eq!(sizes, vec![1; 123], "{threads} threads");
        }
    }

    /// A pass of `items` items taken in turn ([`in_turn`]) on `threads` threads, each item
    /// visited in `cost(item)`: the items visited (sorted), and the commits in turn, each with
    /// how many items had been visited when it came.
    fn pass_in_turn(
        threads: usize,
        items: usize,
        cost: impl Fn(usize) -> std::time::Duration + Sync,
    ) -> (Vec<usize>, Vec<(usize, usize)>) {
        let visited = AtomicUsize::new(0);
        let seen = Mutex::new(Vec::new());
        let mut commits = Vec::new();
        pool(threads).install(|| {
            in_turn(
                (0..items).collect(),
                || (),
                |_, i, item: usize| {
                    assert_eq!(i, item, "an item comes with its own index");
                    std::thread::sleep(cost(item));
                    seen.lock().expect("not poisoned").push(item);
                    visited.fetch_add(1, Ordering::SeqCst);
                    item
                },
                |item| commits.push((item, visited.load(Ordering::SeqCst))),
            )
        });
        let mut seen = seen.into_inner().expect("not poisoned");
        seen.sort_unstable();
        (seen, commits)
    }

    #[test]
    fn items_taken_in_turn_are_each_visited_once_and_committed_in_their_order() {
        for threads in [1, 2, 3] {
            // The later items the faster, so that they come before their turn.
            let (seen, commits) = pass_in_turn(threads, 40, |item| {
                std::time::Duration::from_micros(100 * (40 - item) as u64)
            });
            assert_eq!(seen, (0..40).collect::<Vec<_>>(), "{threads} threads");
            let order: Vec<usize> = commits.iter().map(|&(c, _)| c).collect();
            assert_eq!(order, (0..40).collect::<Vec<_>>(), "{threads} threads");
        }
        // On one thread the items come in order, and each is committed as it comes.
        let (_, commits) = pass_in_turn(1, 40, |_| std::time::Duration::ZERO);
        for (item, (committed, visited)) in commits.into_iter().enumerate() {
            assert_eq!((committed, visited), (item, item + 1));
        }
    }

    #[test]
    fn items_taken_in_turn_are_committed_as_they_end_not_at_the_end_of_the_pass() {
        // Items of equal cost end about in their order on any number of threads, and each is
        // committed soon after: typically when no more than the threads' other items have
        // ended. Cut in halves instead, the second half's items would wait for the first
        // half's last (a median lag of about a quarter of the items).
        for threads in [2, 3] {
            let (_, commits) = pass_in_turn(threads, 48, |_| std::time::Duration::from_millis(1));
            let mut lags: Vec<usize> = commits
                .iter()
                .map(|&(item, visited)| visited - (item + 1))
                .collect();
            lags.sort_unstable();
            let median = lags[lags.len() / 2];
            assert!(median <= threads, "{threads} threads: lags {lags:?}");
        }
    }

    #[test]
    fn items_taken_in_turn_are_visited_on_several_threads_at_once() {
        // A pass that visited one item at a time (its lock held through the visit, say) would
        // still visit each once and commit them in order: only the visits under way at once
        // tell. The visits sleep, so that the threads join the pass even on a busy machine.
        for threads in [2, 3] {
            let (under_way, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
            pool(threads).install(|| {
                in_turn(
                    (0..16 * threads).collect::<Vec<usize>>(),
                    || (),
                    |_, _, _| {
                        let now = under_way.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(4));
                        under_way.fetch_sub(1, Ordering::SeqCst);
                    },
                    |()| {},
                )
            });
            let most = most.into_inner();
            assert!(
                (2..=threads).contains(&most),
                "{threads} threads: at most {most} visits under way at once"
            );
        }
    }

    #[test]
    fn a_pass_whose_chunk_never_delivers_is_caught_at_the_end() {
        let caught = std::panic::catch_unwind(|| {
            let order = InChunkOrder::new(|_: usize| {});
            for chunk in [0, 1, 2, 4] {
                order.deliver(chunk, chunk);
            }
            order.finish(5);
        })
        .expect_err("a missing chunk is an error");
        let message = caught.downcast_ref::<String>().cloned().unwrap_or_default();
        assert!(
            message.contains("chunk 3 of 5 never delivered"),
            "{message}"
        );
    }

    #[test]
    fn a_pass_cut_in_jobs_of_n_items_has_jobs_of_n_to_2n_items() {
        for threads in [1, 2, 4] {
            for items in [1_000, 4_096, 10_000, 65_537] {
                let sizes = job_sizes(threads, items, |pass| {
                    pass.jobs_of(256)
                        .fold(|| 0, |n, _| n + 1)
                        .collect::<Vec<usize>>()
                });
                assert_eq!(sizes.iter().sum::<usize>(), items);
                assert!(
                    sizes.iter().all(|&n| (256..512).contains(&n)),
                    "{threads} threads, {items} items: jobs of {sizes:?}"
                );
            }
        }
    }

    #[test]
    fn blocks_of_updates_are_whole_chunks_with_enough_updates_each() {
        for table in [20_000usize, 1_000_000, 50_000_000] {
            let chunk = chunk_rows(table);
            assert!(block_rows(table, 30) >= table, "a handful: one block");
            assert_eq!(
                block_rows(table, table),
                chunk,
                "an update a row: a block a chunk"
            );
            for updates in [300usize, 1_300, 15_000, 100_000] {
                let rows = block_rows(table, updates);
                assert_eq!(rows % chunk, 0);
                let blocks = table.div_ceil(rows);
                // Enough updates a block on average, and as many blocks as that allows.
                assert!(
                    blocks == 1 || updates / blocks >= UPDATES_PER_BLOCK / 2,
                    "{table} rows, {updates} updates: {blocks} blocks"
                );
                assert!(
                    rows == chunk || updates / table.div_ceil(rows / 2) < UPDATES_PER_BLOCK,
                    "{table} rows, {updates} updates: blocks of {rows} rows could be halved"
                );
            }
        }
    }

    #[test]
    fn work_done_with_workers_awake_is_the_work_asked_for() {
        // Inside a pool of 1 or 3 threads and outside any pool: the same sum, with parallel
        // passes separated by serial work (which the awake threads must not disturb).
        let work = || {
            let mut total = 0u64;
            for pass in 0..50u64 {
                total += (0..10_000u64)
                    .into_par_iter()
                    .map(|i| i * pass)
                    .sum::<u64>();
                total = total.rotate_left(1);
            }
            total
        };
        let expected = work();
        assert_eq!(with_workers_awake(work), expected);
        for threads in [1, 3] {
            assert_eq!(pool(threads).install(|| with_workers_awake(work)), expected);
        }
    }

    /// Updates made by blocks are those made one item after another, on any number of
    /// threads and wherever the hurry comes (before the first update, within the first block,
    /// a few blocks in, never): each row gets its items in their order (the update does not
    /// commute), and the counts add up.
    #[test]
    fn updates_by_blocks_are_those_made_in_order_wherever_the_hurry_comes() {
        let key = crate::rng::MonthKey::new(5, crate::rng::Stream::Victimisation, 0);
        // 5,000 rows: several blocks. Items land on 300 rows, many of them twice.
        let rows = 5_000usize;
        let items: Vec<(u32, u64)> = (0..2_000u32)
            .map(|n| {
                let row = (key.uniform(n, 0) * 300.0) as u32 * 16;
                (row, u64::from(n))
            })
            .collect();
        let mut serial = vec![1u64; rows];
        for &(row, value) in &items {
            let x = &mut serial[row as usize];
            *x = x.wrapping_mul(31).wrapping_add(value);
        }
        let rows_per_block = chunk_rows(rows);
        assert!(rows.div_ceil(rows_per_block) >= 4, "several blocks");
        let by_block = ByBlock::new(items.iter().map(|&(row, _)| row), rows, rows_per_block);
        for threads in [1, 2, 3] {
            for hurried_after in [0, 1, 1_200, usize::MAX] {
                let mut table = vec![1u64; rows];
                let hurry = AtomicBool::new(hurried_after == 0);
                let mut paused = 0usize;
                let mut pause = || {
                    paused += 1;
                    if paused == hurried_after {
                        hurry.store(true, Ordering::Release);
                    }
                };
                let count = pool(threads).install(|| {
                    blocks_until_hurried(
                        &mut table,
                        rows_per_block,
                        &|| hurry.load(Ordering::Acquire),
                        &mut pause,
                        |count: &mut u64, b, block, pause| {
                            let first = b * rows_per_block;
                            for &i in by_block.block(b) {
                                let (row, value) = items[i as usize];
                                let x = &mut block[row as usize - first];
                                *x = x.wrapping_mul(31).wrapping_add(value);
                                *count += 1;
                                pause();
                            }
                        },
                        |a, b| a + b,
                    )
                });
                let case = format!("{threads} threads, hurried after {hurried_after}");
                assert_eq!(count, items.len() as u64, "{case}");
                assert!(table == serial, "{case}");
                // Before the hurry every update paused, and after it the block under way
                // finished: the rest went in parallel, without pauses.
                match hurried_after {
                    0 => assert_eq!(paused, 0, "{case}"),
                    usize::MAX => assert_eq!(paused, items.len(), "{case}"),
                    n => assert!((n..items.len()).contains(&paused), "{case}: {paused}"),
                }
            }
        }
    }

    #[test]
    fn a_panic_inside_reaches_the_caller_and_releases_the_threads() {
        // Without the flag set on unwinding, the scope would wait for the spinning task
        // forever: run it on its own thread and fail (rather than hang) if it never ends.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let pool = pool(2);
            let caught = pool
                .install(|| std::panic::catch_unwind(|| with_workers_awake(|| panic!("inside"))));
            // The pool still works afterwards.
            let after = pool.install(|| with_workers_awake(|| 7));
            let _ = tx.send((caught.is_err(), after));
        });
        let (caught, after) = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("with_workers_awake returns after a panic inside");
        assert!(caught);
        assert_eq!(after, 7);
    }

    #[test]
    fn background_work_gives_its_result_on_one_thread_on_three_and_outside_any_pool() {
        // On one thread nothing else can run the work: `wait` must run it, or it never ends.
        let work = |n: u64| (0..n).map(|i| i * i % 7).sum::<u64>();
        let expected = work(100_000);
        for threads in [1, 3] {
            let got = pool(threads).install(|| {
                let task = BackgroundQueue::default().spawn(move |_| work(100_000));
                let beside: u64 = (0..10_000u64).into_par_iter().sum();
                (task.wait(), beside)
            });
            assert_eq!(got, (expected, 49_995_000), "{threads} threads");
        }
        assert_eq!(
            BackgroundQueue::default()
                .spawn(move |_| work(100_000))
                .wait(),
            expected
        );
    }

    /// The pieces of a queue run in the order started, and waiting for one hurries the pieces
    /// before it: here the first goes on until hurried, so without the hurry the wait for the
    /// second would never end (run on a thread of its own, and failed after a minute). Once
    /// the waits return, the queue is no longer hurried.
    #[test]
    fn queued_pieces_run_in_order_and_waiting_hurries_them() {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for threads in [1, 2] {
                // In a lone run: outside one, pieces are hurried from the start.
                let outcome = pool(threads).install(|| {
                    lone_run(|| {
                        let queue = BackgroundQueue::default();
                        let log = Arc::new(Mutex::new(Vec::new()));
                        let first_log = Arc::clone(&log);
                        let first = queue.spawn(move |pace| {
                            while !pace.hurried() {
                                std::thread::yield_now();
                            }
                            first_log.lock().unwrap().push(1);
                        });
                        let second_log = Arc::clone(&log);
                        let second = queue.spawn(move |pace| {
                            second_log.lock().unwrap().push(2);
                            pace.hurried()
                        });
                        let second_hurried = second.wait();
                        first.wait();
                        let order = log.lock().unwrap().clone();
                        (
                            order,
                            second_hurried,
                            queue.runner.hurry.load(Ordering::Acquire),
                        )
                    })
                });
                let _ = tx.send((threads, outcome));
            }
        });
        for threads in [1, 2] {
            let (t, (order, second_hurried, still_hurried)) = rx
                .recv_timeout(std::time::Duration::from_secs(60))
                .expect("waiting for a piece hurries the pieces before it");
            assert_eq!(t, threads);
            assert_eq!(order, vec![1, 2], "{threads} threads");
            assert!(second_hurried, "{threads} threads");
            assert!(!still_hurried, "{threads} threads");
        }
    }

    #[test]
    fn items_by_block_are_every_item_once_in_their_order_within_each_block() {
        let rows = [17u32, 3, 40, 3, 0, 39, 20, 41];
        let by = ByBlock::new(rows.iter().copied(), 42, 10);
        let blocks: Vec<Vec<u32>> = (0..5).map(|b| by.block(b).to_vec()).collect();
        // Blocks 0-9, 10-19, 20-29, 30-39, 40-41.
        assert_eq!(
            blocks,
            [vec![1, 3, 4], vec![0], vec![6], vec![5], vec![2, 7]]
        );
        // Blocks of a power of two of rows (found by a shift): 0-15, 16-31, 32-41.
        let by = ByBlock::new(rows.iter().copied(), 42, 16);
        let blocks: Vec<Vec<u32>> = (0..3).map(|b| by.block(b).to_vec()).collect();
        assert_eq!(blocks, [vec![1, 3, 4], vec![0, 6], vec![2, 5, 7]]);
    }

    #[test]
    fn items_without_a_row_are_in_no_block_and_move_no_other() {
        let rows = [17u32, NO_ROW, 3, 40, NO_ROW, 3, 0];
        let by = ByBlock::new(rows.iter().copied(), 42, 10);
        let blocks: Vec<Vec<u32>> = (0..5).map(|b| by.block(b).to_vec()).collect();
        assert_eq!(blocks, [vec![2, 5, 6], vec![0], vec![], vec![], vec![3]]);
    }
}
