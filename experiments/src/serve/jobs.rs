//! The run queue behind `cjsim serve`: a fixed number of worker threads take validated
//! requests first come, first served; at most that many run at once, the rest wait with a
//! visible position. Identical requests share one job (and its cached result), finished run
//! sets are cached so that switching an intervention on reruns only the arm, and a job can be
//! cancelled while it waits or between two simulated months.
//!
//! **Architecture Invariant:** HTTP handlers only take the lock briefly to read or enqueue;
//! simulations run on the workers (and the rayon pool they use), never on the async runtime.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;
use sim_core::snapshot::Snapshot;
use sim_core::{ModelParams, Outcome, Simulation};

use super::request::ValidRun;
use super::results;

/// Finished run sets kept for reuse.
const RUN_SET_CACHE: usize = 32;
/// Baseline snapshots kept for branching arms from (one per replication and branch month; a
/// medium-size snapshot is about 10 MB).
const SNAPSHOT_CACHE: usize = 24;
/// Finished jobs kept (their results stay available and serve identical requests).
const FINISHED_KEPT: usize = 200;
/// Jobs that may wait at once; more are refused with 503.
pub const MAX_QUEUE: usize = 200;
/// Jobs one client (address) may have waiting at once; more are refused with 429, so that
/// one client cannot fill the queue for everyone else.
pub const MAX_QUEUED_PER_CLIENT: usize = 20;

/// Where a job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Waiting for a worker.
    Queued,
    /// Running.
    Running,
    /// Finished; results available.
    Done,
    /// Failed; see the message.
    Failed,
    /// Cancelled before it finished.
    Cancelled,
}

/// `GET /api/status/{id}`.
#[derive(Clone, Debug, Serialize)]
pub struct StatusView {
    /// Job id: random, so that only who submitted a job (or was told its id) can see or
    /// cancel it.
    pub id: String,
    /// State.
    pub status: State,
    /// 1-based place in the queue while queued.
    pub position: Option<usize>,
    /// Share of the simulated months done (0-1).
    pub progress: f64,
    /// Seconds the job ran (when finished).
    pub seconds: Option<f64>,
    /// Why it failed.
    pub error: Option<String>,
    /// Whether the result came from the cache of identical requests.
    pub cached: bool,
    /// Whether early results (up to the target year) are ready while the run goes on.
    pub early: bool,
}

/// `GET /api/stats`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Stats {
    /// Jobs that may run at once.
    pub workers: usize,
    /// Running now.
    pub running: usize,
    /// Waiting now.
    pub queued: usize,
    /// Most jobs that ever ran at once.
    pub peak_running: usize,
    /// Jobs finished (done, failed or cancelled).
    pub finished: u64,
    /// Requests answered from the cache of identical requests.
    pub cache_hits: u64,
    /// Speculative runs accepted.
    pub speculative_started: u64,
    /// Speculative runs that a request then asked for (running or done by then).
    pub speculative_used: u64,
}

struct Job {
    key: String,
    client: IpAddr,
    /// A guess not (yet) asked for (see [`Priority::Speculative`]).
    speculative: bool,
    run: Arc<ValidRun>,
    state: State,
    progress: Arc<AtomicU64>,
    total_months: Arc<AtomicU64>,
    cancel: Arc<AtomicBool>,
    result: Option<Arc<String>>,
    early: Early,
    error: Option<String>,
    started: Option<Instant>,
    seconds: Option<f64>,
}

#[derive(Default)]
struct Inner {
    jobs: HashMap<String, Job>,
    queue: VecDeque<String>,
    by_key: HashMap<String, String>,
    finished_order: VecDeque<String>,
    running: usize,
    peak: usize,
    finished: u64,
    cache_hits: u64,
    speculative_started: u64,
    speculative_used: u64,
    shutdown: bool,
}

impl Inner {
    /// Whether the queue's first job is a guess and a requested job is running.
    fn guess_must_wait(&self) -> bool {
        self.queue
            .front()
            .is_some_and(|id| self.jobs[id].speculative)
            && self
                .jobs
                .values()
                .any(|j| !j.speculative && j.state == State::Running)
    }

    /// Cancels every speculative job: queued ones leave the queue at once, running ones stop
    /// within a simulated month (their worker records them as cancelled).
    fn cancel_speculative(&mut self) {
        let queued: Vec<String> = self
            .queue
            .iter()
            .filter(|id| self.jobs[*id].speculative)
            .cloned()
            .collect();
        for id in queued {
            self.cancel_queued(&id);
        }
        let running: Vec<(String, String)> = self
            .jobs
            .iter()
            .filter(|(_, j)| j.speculative && j.state == State::Running)
            .map(|(id, j)| (id.clone(), j.key.clone()))
            .collect();
        for (id, key) in running {
            self.jobs[&id].cancel.store(true, Ordering::Relaxed);
            // A request for the same run from now on starts afresh instead of joining a job
            // that is stopping.
            if self.by_key.get(&key) == Some(&id) {
                self.by_key.remove(&key);
            }
        }
    }

    /// Takes queued job `id` out of the queue as cancelled.
    fn cancel_queued(&mut self, id: &str) {
        self.queue.retain(|q| q != id);
        let key = {
            let job = self.jobs.get_mut(id).expect("exists");
            job.state = State::Cancelled;
            job.key.clone()
        };
        if self.by_key.get(&key).is_some_and(|k| k == id) {
            self.by_key.remove(&key);
        }
        self.finished += 1;
        self.finished_order.push_back(id.to_string());
    }
}

/// Outcomes of one parameter set, by replication.
type RunSet = Arc<Vec<Outcome>>;

/// Early results of a running job, written by its worker.
type Early = Arc<Mutex<Option<Arc<String>>>>;

/// What one replication produced: (parameter set, outcome) pairs; `Err(None)` when cancelled.
type Produced = Result<Vec<(usize, Outcome)>, Option<String>>;

/// The queue, its workers and the caches.
pub struct Jobs {
    inner: Mutex<Inner>,
    wake: Condvar,
    /// Woken whenever a job has news for a waiting status request (early results published,
    /// or the job finished, failed or was cancelled), so that the request answers at once
    /// instead of at its next look.
    news: tokio::sync::Notify,
    /// Signalled when a worker finishes a job (shutdown waits for the running ones).
    idle: Condvar,
    run_sets: Mutex<VecDeque<(String, RunSet)>>,
    snapshots: Mutex<VecDeque<(String, Arc<Snapshot>)>>,
    workers: usize,
    /// The threads every job's simulation runs on. A job runs inside this pool rather than
    /// handing each monthly pass from its worker thread to rayon's global pool: a pass started
    /// from outside a pool puts its caller to sleep and wakes it at the end, some 10-50 us each
    /// time, several times a month, which at the dashboard's size was a third of a month.
    /// `None` if the threads could not be started (jobs then use the global pool).
    pool: Option<rayon::ThreadPool>,
}

/// Why a submission was refused.
pub enum Refused {
    /// The queue is full.
    Full,
    /// This client has [`MAX_QUEUED_PER_CLIENT`] jobs waiting.
    ClientFull,
}

/// Whether a submitted run was asked for, or is the page's guess at the next request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Priority {
    /// Asked for: it runs in its turn and cancels every speculative run.
    Requested,
    /// A guess (the neighbouring position of the slider last moved): queued behind the
    /// requested runs and run only when none waits or runs, so that it starts the moment the
    /// request it follows ends; cancelled as soon as another run is asked for, unless it is
    /// that very run: then it becomes the request, already under way or done.
    Speculative,
}

impl Jobs {
    /// Starts `workers` worker threads.
    pub fn start(workers: usize) -> Arc<Jobs> {
        let jobs = Arc::new(Jobs {
            inner: Mutex::new(Inner::default()),
            wake: Condvar::new(),
            news: tokio::sync::Notify::new(),
            idle: Condvar::new(),
            run_sets: Mutex::new(VecDeque::new()),
            snapshots: Mutex::new(VecDeque::new()),
            workers,
            pool: rayon::ThreadPoolBuilder::new()
                .thread_name(|i| format!("cjsim-sim-{i}"))
                .build()
                .ok(),
        });
        for i in 0..workers {
            let j = Arc::clone(&jobs);
            std::thread::Builder::new()
                .name(format!("cjsim-worker-{i}"))
                .spawn(move || j.work())
                .expect("worker thread starts");
        }
        jobs
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues `run` for `client`, or returns the job of an identical request (finished,
    /// queued or running).
    pub fn submit(
        &self,
        run: ValidRun,
        client: IpAddr,
        priority: Priority,
    ) -> Result<StatusView, Refused> {
        let mut g = self.lock();
        let requested = priority == Priority::Requested;
        if let Some(id) = g.by_key.get(&run.key).cloned() {
            if requested && g.jobs[&id].speculative {
                // The guess was right: it becomes the request, first in the queue if it still
                // waits, and the other guesses make way.
                g.jobs.get_mut(&id).expect("indexed jobs exist").speculative = false;
                g.speculative_used += 1;
                if let Some(at) = g.queue.iter().position(|q| *q == id) {
                    g.queue.remove(at);
                    g.queue.push_front(id.clone());
                }
                g.cancel_speculative();
            } else if requested {
                g.cache_hits += 1;
            }
            let mut v = view(&g, &id).expect("indexed jobs exist");
            v.cached = true;
            return Ok(v);
        }
        if requested {
            g.cancel_speculative();
        }
        if g.queue.len() >= MAX_QUEUE {
            return Err(Refused::Full);
        }
        let mine = g
            .queue
            .iter()
            .filter(|q| g.jobs[*q].client == client)
            .count();
        if mine >= MAX_QUEUED_PER_CLIENT {
            return Err(Refused::ClientFull);
        }
        let id = crate::outdir::random_hex(16);
        g.by_key.insert(run.key.clone(), id.clone());
        g.jobs.insert(
            id.clone(),
            Job {
                key: run.key.clone(),
                client,
                speculative: !requested,
                run: Arc::new(run),
                state: State::Queued,
                progress: Arc::new(AtomicU64::new(0)),
                total_months: Arc::new(AtomicU64::new(1)),
                cancel: Arc::new(AtomicBool::new(false)),
                result: None,
                early: Early::default(),
                error: None,
                started: None,
                seconds: None,
            },
        );
        g.queue.push_back(id.clone());
        g.speculative_started += u64::from(!requested);
        drop(g);
        self.wake.notify_one();
        Ok(view(&self.lock(), &id).expect("just inserted"))
    }

    /// Woken (every waiter) whenever some job has news: early results, or its end. Create the
    /// `notified()` future and `enable` it before reading a status, so that no news falls
    /// between the reading and the waiting.
    pub fn news(&self) -> &tokio::sync::Notify {
        &self.news
    }

    /// Status of job `id`.
    pub fn status(&self, id: &str) -> Option<StatusView> {
        view(&self.lock(), id)
    }

    /// The results of job `id` once done; otherwise its status.
    pub fn result(&self, id: &str) -> Option<Result<Arc<String>, StatusView>> {
        self.stored(id, |job| job.result.clone())
    }

    /// The early results of job `id` (up to the target year) once ready; otherwise its status.
    pub fn early(&self, id: &str) -> Option<Result<Arc<String>, StatusView>> {
        self.stored(id, |job| {
            job.early.lock().unwrap_or_else(|e| e.into_inner()).clone()
        })
    }

    /// What `slot` holds for job `id`, or the job's status when it holds nothing.
    fn stored(
        &self,
        id: &str,
        slot: impl Fn(&Job) -> Option<Arc<String>>,
    ) -> Option<Result<Arc<String>, StatusView>> {
        let g = self.lock();
        let found = slot(g.jobs.get(id)?);
        Some(found.ok_or_else(|| view(&g, id).expect("exists")))
    }

    /// Cancels job `id`: a queued job leaves the queue, a running one stops within a month of
    /// simulated time. Finished jobs are unaffected.
    pub fn cancel(&self, id: &str) -> Option<StatusView> {
        let mut g = self.lock();
        let state = g.jobs.get(id)?.state;
        match state {
            State::Queued => {
                g.cancel_queued(id);
                self.news.notify_waiters();
            }
            State::Running => {
                g.jobs[id].cancel.store(true, Ordering::Relaxed);
            }
            _ => {}
        }
        view(&g, id)
    }

    /// Counters.
    pub fn stats(&self) -> Stats {
        let g = self.lock();
        Stats {
            workers: self.workers,
            running: g.running,
            queued: g.queue.len(),
            peak_running: g.peak,
            finished: g.finished,
            cache_hits: g.cache_hits,
            speculative_started: g.speculative_started,
            speculative_used: g.speculative_used,
        }
    }

    /// Stops the workers once their current job ends; queued jobs are dropped.
    pub fn shutdown(&self) {
        let mut g = self.lock();
        g.shutdown = true;
        for j in g.jobs.values().filter(|j| j.state == State::Running) {
            j.cancel.store(true, Ordering::Relaxed);
        }
        drop(g);
        self.wake.notify_all();
        let mut g = self.lock();
        while g.running > 0 {
            g = self
                .idle
                .wait_timeout(g, std::time::Duration::from_secs(5))
                .map(|(g, _)| g)
                .unwrap_or_else(|e| e.into_inner().0);
        }
        drop(g);
    }

    /// A worker: takes the oldest queued job, runs it, records the outcome.
    fn work(&self) {
        loop {
            let (id, run, progress, total, cancel, early) = {
                let mut g = self.lock();
                // A guess waits while a requested job runs (on another worker): it must not
                // take the cores from it. The worker that finishes that job takes the guess.
                while (g.queue.is_empty() || g.guess_must_wait()) && !g.shutdown {
                    g = self.wake.wait(g).unwrap_or_else(|e| e.into_inner());
                }
                if g.shutdown {
                    return;
                }
                let id = g.queue.pop_front().expect("not empty");
                g.running += 1;
                g.peak = g.peak.max(g.running);
                let job = g.jobs.get_mut(&id).expect("queued jobs exist");
                job.state = State::Running;
                job.started = Some(Instant::now());
                (
                    id,
                    Arc::clone(&job.run),
                    Arc::clone(&job.progress),
                    Arc::clone(&job.total_months),
                    Arc::clone(&job.cancel),
                    Arc::clone(&job.early),
                )
            };
            let execute = || self.execute(&run, &progress, &total, &cancel, &early);
            let outcome = match &self.pool {
                // With one worker the job has the pool to itself: its threads stay awake
                // between the month's parallel passes instead of sleeping through each serial
                // stage (with more workers, a spinning thread would hold up another job).
                Some(pool) if self.workers == 1 => {
                    pool.install(|| sim_core::par::with_workers_awake(execute))
                }
                Some(pool) => pool.install(execute),
                None => execute(),
            };
            let mut g = self.lock();
            g.running -= 1;
            self.idle.notify_all();
            g.finished += 1;
            g.finished_order.push_back(id.clone());
            let key = {
                let job = g.jobs.get_mut(&id).expect("running jobs exist");
                job.seconds = job.started.map(|s| s.elapsed().as_secs_f64());
                match outcome {
                    Ok(json) => {
                        job.state = State::Done;
                        job.result = Some(Arc::new(json));
                        None
                    }
                    Err(None) => {
                        job.state = State::Cancelled;
                        Some(job.key.clone())
                    }
                    Err(Some(e)) => {
                        job.state = State::Failed;
                        job.error = Some(e);
                        Some(job.key.clone())
                    }
                }
            };
            // Only successes answer later identical requests.
            if let Some(k) = key
                && g.by_key.get(&k) == Some(&id)
            {
                g.by_key.remove(&k);
            }
            while g.finished_order.len() > FINISHED_KEPT {
                let old = g.finished_order.pop_front().expect("not empty");
                if let Some(job) = g.jobs.remove(&old)
                    && g.by_key.get(&job.key) == Some(&old)
                {
                    g.by_key.remove(&job.key);
                }
            }
            drop(g);
            self.news.notify_waiters();
        }
    }

    /// Runs (or takes from the cache) the baseline and the arm, then builds the results.
    /// `Err(None)` when cancelled.
    fn execute(
        &self,
        run: &ValidRun,
        progress: &AtomicU64,
        total: &AtomicU64,
        cancel: &AtomicBool,
        early: &Mutex<Option<Arc<String>>>,
    ) -> Result<String, Option<String>> {
        let started = Instant::now();
        let mut sets: Vec<&ModelParams> = vec![&run.scenario.params];
        if let Some(arm) = &run.arm {
            sets.push(arm);
        }
        let keys: Vec<String> = sets
            .iter()
            .map(|p| {
                format!(
                    "{}|{}",
                    scenarios::content_hash(&scenarios::render::to_toml(p, false)),
                    run.replications
                )
            })
            .collect();
        let mut found: Vec<Option<RunSet>> = keys.iter().map(|k| self.cached(k)).collect();
        let missing: Vec<usize> = (0..sets.len()).filter(|&i| found[i].is_none()).collect();

        // The arm branches from the baseline's snapshot at the month its interventions start
        // (the same result as a fresh run, without the set-up and the years before).
        let branch_at = run
            .arm
            .as_ref()
            .filter(|_| missing.contains(&1))
            .and_then(|arm| branch_month(&run.scenario.params, arm));
        // Months to simulate, for the progress bar.
        let months = u64::from(run.scenario.params.scenario.months());
        let per_replication_months = match branch_at {
            Some(m) => {
                let m = u64::from(m);
                (if missing.contains(&0) { months } else { m }) + (months - m)
            }
            None => months * missing.len() as u64,
        };
        total.store(
            (per_replication_months * u64::from(run.replications)).max(1),
            Ordering::Relaxed,
        );
        let step = |sim: &mut Simulation, until: u32| -> Result<(), Option<String>> {
            while sim.calendar().month_index < until && !sim.finished() {
                if cancel.load(Ordering::Relaxed) {
                    return Err(None);
                }
                sim.step();
                progress.fetch_add(1, Ordering::Relaxed);
            }
            Ok(())
        };
        let fresh = |s: usize, r: u32| -> Result<Outcome, Option<String>> {
            let mut p = sets[s].clone();
            p.scenario.seed = crate::replicate::replication_seed(p.scenario.seed, r);
            let mut sim = dashboard_simulation(p).map_err(Some)?;
            step(&mut sim, u32::MAX)?;
            Ok(crate::replicate::lighten(sim.into_outcome()))
        };
        // With one replication and the baseline at hand, the arm stops at the end of the target
        // year to publish early results, then goes on to the horizon (the instant mode).
        let first_year = run.scenario.params.scenario.start_year;
        let early_until = (run.replications == 1)
            .then(|| u32::try_from(results::TARGET_YEAR - first_year + 1).ok())
            .flatten()
            .map(|years| years * 12)
            .filter(|&m| branch_at.is_some_and(|b| b < m) && u64::from(m) < months);
        let publish_early = |sim: &Simulation, baseline: &[Outcome]| {
            if let Ok(json) = results::build_early(
                run,
                baseline,
                sim.outcome_so_far(),
                results::TARGET_YEAR,
                started,
            ) {
                *early.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(json));
                self.news.notify_waiters();
            }
        };
        let per_replication: Vec<Produced> = (0..run.replications)
            .into_par_iter()
            .with_max_len(1)
            .map(|r| {
                let mut out = Vec::new();
                let Some(month) = branch_at else {
                    for &s in &missing {
                        out.push((s, fresh(s, r)?));
                    }
                    return Ok(out);
                };
                let snap_key = format!("{}|{r}|{month}", keys[0]);
                let arm = run.arm.as_ref().expect("branching needs an arm");
                let branch = |snapshot: &Snapshot,
                              baseline: Option<&RunSet>|
                 -> Result<Outcome, Option<String>> {
                    let mut sim = Simulation::branch(snapshot, arm.interventions.clone())
                        .map_err(|issues| Some(format!("{issues:?}")))?;
                    if let (Some(until), Some(baseline)) = (early_until, baseline) {
                        step(&mut sim, until)?;
                        publish_early(&sim, baseline);
                    }
                    step(&mut sim, u32::MAX)?;
                    Ok(crate::replicate::lighten(sim.into_outcome()))
                };
                if let Some(snapshot) = self.cached_snapshot(&snap_key)
                    && !missing.contains(&0)
                {
                    out.push((1, branch(&snapshot, found[0].as_ref())?));
                    return Ok(out);
                }
                let mut p = sets[0].clone();
                p.scenario.seed = crate::replicate::replication_seed(p.scenario.seed, r);
                let mut sim = dashboard_simulation(p).map_err(Some)?;
                step(&mut sim, month)?;
                let snapshot = Arc::new(sim.snapshot());
                self.remember_snapshot(&snap_key, Arc::clone(&snapshot));
                // The rest of the baseline and the arm side by side.
                let (base, arm) = rayon::join(
                    || -> Result<Option<Outcome>, Option<String>> {
                        if !missing.contains(&0) {
                            return Ok(None);
                        }
                        step(&mut sim, u32::MAX)?;
                        Ok(Some(crate::replicate::lighten(sim.into_outcome())))
                    },
                    || branch(&snapshot, None),
                );
                if let Some(base) = base? {
                    out.push((0, base));
                }
                out.push((1, arm?));
                Ok(out)
            })
            .collect();
        let mut by_set: Vec<Vec<Outcome>> = vec![Vec::new(); sets.len()];
        for replication in per_replication {
            for (s, outcome) in replication? {
                by_set[s].push(outcome);
            }
        }
        for &s in &missing {
            let set = Arc::new(std::mem::take(&mut by_set[s]));
            self.remember(&keys[s], Arc::clone(&set));
            found[s] = Some(set);
        }
        let found: Vec<RunSet> = found.into_iter().map(|f| f.expect("filled")).collect();
        if cancel.load(Ordering::Relaxed) {
            return Err(None);
        }
        results::build(run, &found, started).map_err(Some)
    }

    fn cached_snapshot(&self, key: &str) -> Option<Arc<Snapshot>> {
        let g = self.snapshots.lock().unwrap_or_else(|e| e.into_inner());
        g.iter().find(|(k, _)| k == key).map(|(_, v)| Arc::clone(v))
    }

    fn remember_snapshot(&self, key: &str, snapshot: Arc<Snapshot>) {
        let mut g = self.snapshots.lock().unwrap_or_else(|e| e.into_inner());
        g.retain(|(k, _)| k != key);
        g.push_back((key.to_string(), snapshot));
        while g.len() > SNAPSHOT_CACHE {
            g.pop_front();
        }
    }

    fn cached(&self, key: &str) -> Option<RunSet> {
        let g = self.run_sets.lock().unwrap_or_else(|e| e.into_inner());
        g.iter().find(|(k, _)| k == key).map(|(_, v)| Arc::clone(v))
    }

    fn remember(&self, key: &str, set: RunSet) {
        let mut g = self.run_sets.lock().unwrap_or_else(|e| e.into_inner());
        g.retain(|(k, _)| k != key);
        g.push_back((key.to_string(), set));
        while g.len() > RUN_SET_CACHE {
            g.pop_front();
        }
    }
}

/// A simulation of `p` as the dashboard runs it: without the December victimisation survey,
/// which no dashboard view or downloaded report shows and which nothing else reads (so every
/// shown number is the command line's), at about a month's step a year saved.
fn dashboard_simulation(p: ModelParams) -> Result<Simulation, String> {
    crate::replicate::build(Simulation::builder(p).without(sim_core::builder::Part::Survey))
}

/// The month from which `arm` can branch from the baseline `base`: the first month any of
/// its interventions is in force, when the arm is the baseline plus interventions that start
/// after the first month; `None` otherwise (the arm then runs from the start).
fn branch_month(base: &ModelParams, arm: &ModelParams) -> Option<u32> {
    let mut plain = arm.clone();
    plain.interventions = base.interventions.clone();
    if plain != *base || !base.interventions.is_empty() {
        return None;
    }
    let start = arm.scenario.start_year;
    let first = (0..arm.scenario.months()).find(|&m| {
        arm.interventions
            .iter()
            .any(|iv| iv.intensity(start, m) > 0.0)
    })?;
    (first > 0).then_some(first)
}

fn view(g: &Inner, id: &str) -> Option<StatusView> {
    let job = g.jobs.get(id)?;
    let total = job.total_months.load(Ordering::Relaxed).max(1);
    let progress = match job.state {
        State::Done => 1.0,
        State::Queued => 0.0,
        _ => (job.progress.load(Ordering::Relaxed) as f64 / total as f64).min(1.0),
    };
    Some(StatusView {
        id: id.to_string(),
        status: job.state,
        position: g.queue.iter().position(|q| q == id).map(|p| p + 1),
        progress,
        seconds: job.seconds,
        error: job.error.clone(),
        cached: false,
        early: job
            .early
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some(),
    })
}

#[cfg(test)]
mod tests {
    use super::branch_month;

    /// An arm branches at the first month its interventions are in force (the catalogue's
    /// default start is the second year), and not at all when it differs otherwise.
    #[test]
    fn an_arm_branches_where_its_interventions_start() {
        let base = scenarios::builtin("coastal-middle-income").unwrap().params;
        let mut arm = base.clone();
        scenarios::overrides::Override::number("interventions.legal_aid.coverage", 0.8)
            .apply(&mut arm)
            .unwrap();
        assert_eq!(branch_month(&base, &arm), Some(12));
        let mut other = arm.clone();
        other.scenario.seed += 1;
        assert_eq!(branch_month(&base, &other), None, "not the same baseline");
        assert_eq!(branch_month(&base, &base), None, "no interventions");
    }
}
