//! Sweeps: a design of parameter points, replicated, run in parallel, recorded in chunks that
//! survive a kill, shardable over machines or a Slurm job array, and summarised as a long
//! results table, quantiles per point and global sensitivity indices.
//!
//! Flow: [`spec::read`] checks the sweep file -> [`Plan::new`] fixes the points and writes
//! nothing -> [`execute`] runs what is not yet recorded into a [`store::ChunkWriter`] ->
//! [`results::assemble`] checks that every run is there exactly once and writes the tables.

pub mod design;
pub mod parquet;
pub mod results;
pub mod sensitivity;
pub mod slurm;
pub mod spec;
pub mod store;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sim_core::ModelParams;
use sim_core::indicators::YEAR_COLUMNS;
use sim_core::rng::fmix64;

use crate::error::{CliError, CliResult};
use crate::progress::RunProgress;
use spec::{Design, Factor, Level, SweepSpec};
use store::{ChunkWriter, RunRecord};

/// Format tag of `manifest.json`.
pub const MANIFEST_FORMAT: &str = "cjsim-sweep/1";

/// `manifest.json`: what the sweep is, enough to merge, summarise and analyse its results
/// without the sweep file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`MANIFEST_FORMAT`].
    pub format: String,
    /// cjsim version that ran it (runs of different versions are not mixed).
    pub cjsim_version: String,
    /// The model code that ran it: resume and merge refuse another (unless told
    /// `--allow-model-change`), since a rebuilt model may give other results.
    #[serde(default)]
    pub model: crate::provenance::ModelIdentity,
    /// The sweep file as given.
    pub sweep_file: String,
    /// SHA-256 of the sweep file.
    pub sweep_sha256: String,
    /// Everything that determines the results.
    pub design: DesignRecord,
}

/// The part of the manifest that determines the results: two sweeps with equal records give
/// equal results, so a folder may be resumed only by a sweep with the same record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DesignRecord {
    /// Sweep name.
    pub name: String,
    /// Design and its size.
    pub design: Design,
    /// Factors in column order.
    pub factors: Vec<Factor>,
    /// Replications per point.
    pub replications: u32,
    /// Sweep seed.
    pub seed: u64,
    /// Whether replication r of every point shares one seed.
    pub common_random_numbers: bool,
    /// Base scenario origin.
    pub base_scenario: String,
    /// SHA-256 of the resolved base scenario (with the sweep's fixed settings).
    pub base_sha256: String,
    /// Agents per run in the base scenario.
    pub agents: u32,
    /// First simulated year.
    pub start_year: i32,
    /// Simulated years.
    pub years: u32,
    /// Indicators kept, in column order.
    pub indicators: Vec<String>,
    /// Years kept.
    pub report_years: Vec<i32>,
    /// Points of the design.
    pub points: u64,
    /// Runs (points x replications).
    pub runs: u64,
    /// Unit-cube coordinates of each point.
    pub unit_points: Vec<Vec<f64>>,
    /// Factor values of each point.
    pub values: Vec<Vec<Level>>,
}

impl DesignRecord {
    /// Values per run.
    pub fn width(&self) -> usize {
        self.indicators.len() * self.report_years.len()
    }

    /// Run number of (point, replication) in the sweep's canonical order.
    pub fn run_index(&self, point: u64, replication: u32) -> u64 {
        point * u64::from(self.replications) + u64::from(replication)
    }

    /// Every (point, replication) in canonical order.
    pub fn all_runs(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        (0..self.points).flat_map(move |p| (0..self.replications).map(move |r| (p, r)))
    }
}

/// A sweep ready to run: the validated file and its points.
pub struct Plan {
    /// The sweep file.
    pub spec: SweepSpec,
    /// The manifest (points included).
    pub manifest: Manifest,
}

impl Plan {
    /// Computes the design's points and values.
    pub fn new(spec: SweepSpec) -> Plan {
        let unit_points = design::points(&spec.design, &spec.factors, spec.seed);
        let values = unit_points
            .iter()
            .map(|u| spec.factors.iter().zip(u).map(|(f, x)| f.at(*x)).collect())
            .collect();
        let p = &spec.base.params;
        let manifest = Manifest {
            format: MANIFEST_FORMAT.into(),
            cjsim_version: env!("CARGO_PKG_VERSION").into(),
            model: crate::provenance::ModelIdentity::current(),
            sweep_file: spec.file.clone(),
            sweep_sha256: spec.file_hash.clone(),
            design: DesignRecord {
                name: spec.name.clone(),
                design: spec.design.clone(),
                factors: spec.factors.clone(),
                replications: spec.replications,
                seed: spec.seed,
                common_random_numbers: spec.common_random_numbers,
                base_scenario: spec.base.origin.clone(),
                base_sha256: scenarios::content_hash(&spec.base.resolved_toml()),
                agents: p.scenario.agents,
                start_year: p.scenario.start_year,
                years: p.scenario.years,
                indicators: spec.indicators.iter().map(|s| s.to_string()).collect(),
                report_years: spec.years.clone(),
                points: spec.points,
                runs: spec.runs(),
                unit_points,
                values,
            },
        };
        Plan { spec, manifest }
    }

    /// The seed of (point, replication): with common random numbers, `seed + r` for every
    /// point (as `cjsim run --reps` would use); otherwise a hash of (seed, point, r).
    pub fn run_seed(&self, point: u64, replication: u32) -> u64 {
        run_seed(&self.manifest.design, point, replication)
    }

    /// The parameters of (point, replication).
    pub fn params(&self, point: u64, replication: u32) -> CliResult<ModelParams> {
        let d = &self.manifest.design;
        let mut p = self.spec.base.params.clone();
        for (f, v) in d.factors.iter().zip(&d.values[point as usize]) {
            v.at(&f.key).apply(&mut p).map_err(|e| {
                CliError::BadInput(format!(
                    "{}: point {point}: {e} (the combination of factor values is not valid)",
                    self.spec.file
                ))
            })?;
        }
        p.scenario.seed = self.run_seed(point, replication);
        Ok(p)
    }

    /// Runs (point, replication) and keeps the sweep's values.
    pub fn run(&self, point: u64, replication: u32) -> CliResult<RunRecord> {
        let p = self.params(point, replication)?;
        let seed = p.scenario.seed;
        let scale = p.scenario.scale();
        let sim = crate::replicate::new_simulation(p).map_err(|issues| {
            CliError::BadInput(format!("{}: point {point}: {issues}", self.spec.file))
        })?;
        let outcome = sim.run_to_end();
        let d = &self.manifest.design;
        let mut values = Vec::with_capacity(d.width());
        for name in &d.indicators {
            let col = YEAR_COLUMNS
                .iter()
                .find(|c| c.name == name)
                .expect("validated indicator");
            for &y in &d.report_years {
                let v = outcome
                    .years
                    .iter()
                    .find(|r| r.year == y)
                    .map_or(f64::NAN, |r| col.value(r, scale));
                values.push(v);
            }
        }
        Ok(RunRecord {
            point,
            replication,
            seed,
            values,
        })
    }
}

/// See [`Plan::run_seed`]. Seeds stay below 2^53 so that JSON readers keep them exact.
pub fn run_seed(d: &DesignRecord, point: u64, replication: u32) -> u64 {
    if d.common_random_numbers {
        d.seed.wrapping_add(u64::from(replication)) & ((1 << 53) - 1)
    } else {
        fmix64(fmix64(d.seed ^ 0x7377_6565_7021) ^ point)
            .wrapping_add(fmix64(u64::from(replication) ^ 0x7265_706c))
            & ((1 << 53) - 1)
    }
}

/// A shard: K of N (1-based), taking every run whose canonical index is K - 1 modulo N.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// K.
    pub index: u32,
    /// N.
    pub count: u32,
}

impl Shard {
    /// Parses `K/N`.
    pub fn parse(s: &str) -> CliResult<Shard> {
        let bad = || {
            CliError::BadInput(format!(
                "--shard {s}: must be K/N with 1 <= K <= N, e.g. --shard 2/4"
            ))
        };
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (u32, u32) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// The writer tag of this shard.
    pub fn tag(&self) -> String {
        format!("shard-{}-of-{}", self.index, self.count)
    }

    /// Whether run number `i` belongs to this shard.
    pub fn owns(&self, i: u64) -> bool {
        i % u64::from(self.count) == u64::from(self.index - 1)
    }
}

/// How [`execute`] runs.
pub struct ExecOptions {
    /// Runs at once (one thread each).
    pub jobs: usize,
    /// Longest time a finished run waits in memory before it is written to a chunk.
    pub flush_every: Duration,
}

/// Runs `todo` on `jobs` threads, recording finished runs through `writer` at least every
/// `flush_every`. Stops at the first failure, or before the next run once `watch` asks to stop
/// (runs recorded so far stay recorded: running the sweep again resumes it).
pub fn execute(
    plan: &Plan,
    todo: &[(u64, u32)],
    writer: ChunkWriter,
    opts: &ExecOptions,
    progress: &RunProgress,
    watch: &dyn crate::simulate::Watch,
) -> CliResult<()> {
    watch.start(todo.len() as u64, "runs");
    let counter = crate::simulate::RunCounter::new(watch, 0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs)
        .build()
        .map_err(|e| CliError::Internal(format!("cannot start {} threads: {e}", opts.jobs)))?;
    let writer = Mutex::new(writer);
    let pending: Mutex<(Vec<RunRecord>, Instant)> = Mutex::new((Vec::new(), Instant::now()));
    let failure: Mutex<Option<CliError>> = Mutex::new(None);
    let fail = |e: CliError| {
        let mut f = failure.lock().expect("not poisoned");
        if f.is_none() {
            *f = Some(e);
        }
    };
    pool.install(|| {
        // One run per task, in canonical order, so that `--jobs` threads each hold one run.
        todo.par_iter().with_max_len(1).for_each(|&(point, rep)| {
            if failure.lock().expect("not poisoned").is_some() {
                return;
            }
            if watch.cancelled() {
                fail(CliError::Cancelled);
                return;
            }
            match plan.run(point, rep) {
                Ok(rec) => {
                    let batch = {
                        let mut g = pending.lock().expect("not poisoned");
                        g.0.push(rec);
                        if g.1.elapsed() >= opts.flush_every || g.0.len() >= 4096 {
                            g.1 = Instant::now();
                            Some(std::mem::take(&mut g.0))
                        } else {
                            None
                        }
                    };
                    if let Some(b) = batch
                        && let Err(e) = writer.lock().expect("not poisoned").append(&b)
                    {
                        fail(e);
                    }
                    progress.tick();
                    counter.tick();
                }
                Err(e) => fail(e),
            }
        });
    });
    let rest = std::mem::take(&mut pending.lock().expect("not poisoned").0);
    writer.lock().expect("not poisoned").append(&rest)?;
    match failure.into_inner().expect("not poisoned") {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
