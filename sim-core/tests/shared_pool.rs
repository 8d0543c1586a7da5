//! Runs sharing one rayon pool, as `cjsim run --reps`, sweeps and comparisons share theirs.

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use sim_core::Simulation;

use crate::common::params;

/// A regression test: the month's background tasks (the victim pool's applier, the expected
/// victims) give way to the pool's pending work so that a single run's threads do not wait; when
/// they did so while several runs shared the pool, that work was mostly runs not yet started,
/// and each task that gave way started one inside its own run, which did the same: 40
/// replications held several times the memory of the runs the pool's threads can step at once
/// (here all 24 runs were under way at once). They now give way only in `par::lone_run`. Each thread steps one run, and may take up one more while it waits inside a
/// month's parallel pass (rayon's threads take other work while they wait; 3 runs at most were
/// seen under way in 8 repeats).
#[test]
fn runs_sharing_a_pool_are_not_started_inside_one_another() {
    static ALIVE: AtomicUsize = AtomicUsize::new(0);
    static PEAK: AtomicUsize = AtomicUsize::new(0);
    let threads = 2;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        sim_core::par::with_workers_awake(|| {
            (0..24u32).into_par_iter().with_max_len(1).for_each(|seed| {
                let now = ALIVE.fetch_add(1, Ordering::SeqCst) + 1;
                PEAK.fetch_max(now, Ordering::SeqCst);
                let mut sim = Simulation::new(params(20_000, 2, u64::from(seed))).unwrap();
                while !sim.finished() {
                    sim.step();
                }
                ALIVE.fetch_sub(1, Ordering::SeqCst);
            });
        });
    });
    let peak = PEAK.load(Ordering::SeqCst);
    assert!(
        peak <= 2 * threads,
        "{peak} runs under way at once on {threads} threads"
    );
}
