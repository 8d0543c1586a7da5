//! `cjsim sweep FILE`: run a design of parameter points (or its dry run, one of its runs, one
//! shard of it, or its Slurm scripts).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Args;

use crate::error::{CliError, CliResult, io_error};
use crate::progress::{RunProgress, human_seconds};
use crate::sweep::results::{self, TableArgs, write_atomic};
use crate::sweep::slurm::{SlurmJob, sh_quote};
use crate::sweep::spec::{self, ReadOptions};
use crate::sweep::store::{self, ChunkWriter};
use crate::sweep::{ExecOptions, Manifest, Plan, Shard, execute};

/// Arguments of `cjsim sweep`.
#[derive(Args, Debug)]
pub struct SweepArgs {
    /// The sweep file (TOML): base scenario, factors, design, replications, outputs.
    pub file: PathBuf,
    /// Runs at once [default: all cores].
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Print the design, the number of runs and an estimated time; run nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Run one run alone, POINT:REPLICATION, and print its rows (the folder is not touched).
    #[arg(long, value_name = "POINT:REP")]
    pub only: Option<String>,
    /// Run shard K of N (every N-th run); merge the shards with `cjsim merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Write Slurm scripts (a job array of shards and a dependent merge job) and print the
    /// command that submits them.
    #[arg(long)]
    pub slurm: bool,
    /// Tasks in the Slurm job array [default: the runs, at most 32].
    #[arg(long, requires = "slurm")]
    pub array_size: Option<u32>,
    /// Results folder (overrides output.folder).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Refuse designs with more runs than this (overrides sweep.max_runs; default 100000).
    #[arg(long)]
    pub max_runs: Option<u64>,
    /// Table options.
    #[command(flatten)]
    pub tables: TableArgs,
    /// No progress and no summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Resume a folder whose runs were made by other model code (another commit or build);
    /// its results and the new ones may not be comparable.
    #[arg(long)]
    pub allow_model_change: bool,
    /// Longest time a finished run waits before it is written to disk (seconds).
    #[arg(long, default_value_t = 5.0, hide = true)]
    pub flush_secs: f64,
}

/// Runs `cjsim sweep`.
pub fn run(args: SweepArgs) -> CliResult<()> {
    run_watched(args, &crate::simulate::Unwatched)
}

/// Runs `cjsim sweep`, telling `watch` of each finished run and stopping between runs when it
/// asks (the Python package's sweeps).
pub fn run_watched(args: SweepArgs, watch: &dyn crate::simulate::Watch) -> CliResult<()> {
    let opts = ReadOptions {
        max_runs: args.max_runs,
        out: args.out.clone(),
    };
    let spec = spec::read(&args.file, &opts)?;
    let jobs = crate::limits::threads("--jobs", args.jobs)?;
    let shard = args.shard.as_deref().map(Shard::parse).transpose()?;
    let plan = Plan::new(spec);
    if let Some(only) = &args.only {
        return run_only(&plan, only);
    }
    if args.dry_run {
        return dry_run(&plan, jobs, shard);
    }
    let out = plan.spec.output.clone();
    claim_folder(&out, &plan, args.allow_model_change)?;
    if args.slurm {
        return write_slurm(&plan, &args, &out);
    }
    let d = &plan.manifest.design;
    let runs_dir = out.join("runs");
    let tag = shard.map_or_else(|| "local".to_string(), |s| s.tag());
    let writer = ChunkWriter::open(&runs_dir, &tag)?;
    let recorded = store::read_all(&runs_dir, d.width())?;
    let todo: Vec<(u64, u32)> = d
        .all_runs()
        .filter(|(p, r)| shard.is_none_or(|s| s.owns(d.run_index(*p, *r))))
        .filter(|k| !recorded.runs.contains_key(k))
        .collect();
    let mine = d
        .all_runs()
        .filter(|(p, r)| shard.is_none_or(|s| s.owns(d.run_index(*p, *r))))
        .count();
    if !args.quiet {
        let part = shard.map_or(String::new(), |s| format!(" shard {}/{}", s.index, s.count));
        eprintln!(
            "cjsim sweep {}{part}: {} runs to do of {mine} ({} already recorded), {jobs} at once",
            d.name,
            todo.len(),
            mine - todo.len()
        );
    }
    let started = Instant::now();
    let progress = RunProgress::new(todo.len() as u64, "runs", args.quiet);
    let exec = ExecOptions {
        jobs,
        flush_every: Duration::from_secs_f64(args.flush_secs.max(0.0)),
    };
    execute(&plan, &todo, writer, &exec, &progress, watch)?;
    progress.finish();
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(s) = shard {
        if !args.quiet {
            println!(
                "shard {}/{}: {} runs in {elapsed:.1} s; when every shard is done: cjsim merge {}",
                s.index,
                s.count,
                todo.len(),
                sh_quote(&out.display().to_string())
            );
        }
        return Ok(());
    }
    let done = results::assemble(&out, &plan.manifest, &args.tables)?;
    if !args.quiet {
        println!(
            "cjsim sweep {}: {} design, {} points x {} replications = {} runs ({} run now in {elapsed:.1} s, {:.2} runs/s)",
            d.name,
            d.design.word(),
            d.points,
            d.replications,
            d.runs,
            todo.len(),
            todo.len() as f64 / elapsed.max(1e-9)
        );
        println!(
            "  wrote {}/ (manifest.json, {})",
            out.display(),
            done.files.join(", ")
        );
    }
    Ok(())
}

/// Creates the folder and its manifest, or checks that the manifest there describes this
/// same sweep run by the same model code (so that resuming never mixes two designs or two
/// models). A folder that is neither empty nor a sweep folder of cjsim's is refused.
fn claim_folder(out: &Path, plan: &Plan, allow_model_change: bool) -> CliResult<()> {
    crate::outdir::claim_sweep_folder(out, |dir| results::read_manifest(dir).is_ok())?;
    let path = out.join("manifest.json");
    if path.exists() {
        let old: Manifest = results::read_manifest(out)?;
        if old.design != plan.manifest.design || old.cjsim_version != plan.manifest.cjsim_version {
            let what = if old.cjsim_version != plan.manifest.cjsim_version {
                format!(
                    "it was made by cjsim {}, this is {}",
                    old.cjsim_version, plan.manifest.cjsim_version
                )
            } else {
                "its design, factors, seeds, base scenario or outputs differ from this file's"
                    .to_string()
            };
            return Err(CliError::BadInput(format!(
                "{} holds the results of another sweep ({what}); give another --out or delete the folder",
                out.display()
            )));
        }
        return check_same_model(out, &old, allow_model_change);
    }
    let json = serde_json::to_string_pretty(&plan.manifest).expect("plain data") + "\n";
    write_atomic(
        &out.join("base-scenario.toml"),
        plan.spec.base.resolved_toml().as_bytes(),
    )?;
    write_atomic(&path, json.as_bytes())
}

/// Refuses to add to (or merge) runs of `m` with model code other than this binary's,
/// unless `allow` says so.
pub fn check_same_model(dir: &Path, m: &Manifest, allow: bool) -> CliResult<()> {
    let now = crate::provenance::ModelIdentity::current();
    if allow || m.model == now {
        return Ok(());
    }
    Err(CliError::BadInput(format!(
        "{}: its runs were made by other model code ({}) than this cjsim ({}); results of \
         different model code are not mixed. Rerun into another folder, or pass \
         --allow-model-change if you know the change does not alter results",
        dir.display(),
        m.model.describe(),
        now.describe()
    )))
}

/// `--only POINT:REP`: one run, its rows on stdout.
fn run_only(plan: &Plan, only: &str) -> CliResult<()> {
    let d = &plan.manifest.design;
    let bad = || {
        CliError::BadInput(format!(
            "--only {only}: must be POINT:REP with POINT below {} and REP below {}",
            d.points, d.replications
        ))
    };
    let (p, r) = only.split_once(':').ok_or_else(bad)?;
    let (p, r): (u64, u32) = (
        p.trim().parse().map_err(|_| bad())?,
        r.trim().parse().map_err(|_| bad())?,
    );
    if p >= d.points || r >= d.replications {
        return Err(bad());
    }
    let rec = plan.run(p, r)?;
    let mut text = results::long_header(&plan.manifest);
    results::long_rows(&plan.manifest, &rec, &mut text);
    std::io::stdout()
        .write_all(text.as_bytes())
        .map_err(|e| CliError::Internal(format!("cannot write to stdout: {e}")))
}

/// `--dry-run`: the design and an estimate, nothing run.
fn dry_run(plan: &Plan, jobs: usize, shard: Option<Shard>) -> CliResult<()> {
    let d = &plan.manifest.design;
    println!("sweep {} ({})", d.name, plan.spec.file);
    println!(
        "  base scenario {}: {} agents x {} years from {}",
        d.base_scenario, d.agents, d.years, d.start_year
    );
    println!("  design: {}", d.design.describe());
    for f in &d.factors {
        println!("  factor {}: {}", f.name, describe(&f.domain));
    }
    println!(
        "  {} points x {} replications = {} runs; seeds {}",
        d.points,
        d.replications,
        d.runs,
        if d.common_random_numbers {
            "shared by every point (common random numbers)"
        } else {
            "independent for every point and replication"
        }
    );
    println!(
        "  keeps {} indicators x {} years = {} rows per run, {} rows in all",
        d.indicators.len(),
        d.report_years.len(),
        d.width(),
        d.width() as u64 * d.runs
    );
    let mine = match shard {
        Some(s) => {
            let n = d
                .all_runs()
                .filter(|(p, r)| s.owns(d.run_index(*p, *r)))
                .count() as u64;
            println!("  shard {}/{}: {n} runs", s.index, s.count);
            n
        }
        None => d.runs,
    };
    let estimate = crate::estimate::of(&plan.spec.base.params)?;
    let per_run = estimate.seconds_one_core;
    let parallel = jobs.min(mine.max(1) as usize) as f64;
    println!(
        "  estimated time: {} per run on one core (from {}), \
         at most about {} for {mine} runs with --jobs {jobs}",
        estimate.one_core(),
        estimate.pilots(),
        human_seconds(per_run * mine as f64 / parallel)
    );
    println!("  output folder: {}", plan.spec.output.display());
    Ok(())
}

fn describe(domain: &crate::sweep::spec::Domain) -> String {
    use crate::sweep::spec::Domain;
    match domain {
        Domain::Levels(l) => format!(
            "levels {}",
            l.iter().map(|x| x.cell()).collect::<Vec<_>>().join(", ")
        ),
        Domain::Range {
            min,
            max,
            log,
            steps,
        } => format!(
            "{} {min} to {max}{}",
            if *log { "log-uniform" } else { "uniform" },
            steps.map_or(String::new(), |s| format!(" in {s} steps"))
        ),
    }
}

/// `--slurm`: writes the job scripts and prints how to submit them.
fn write_slurm(plan: &Plan, args: &SweepArgs, out: &Path) -> CliResult<()> {
    let d = &plan.manifest.design;
    let tasks = args
        .array_size
        .unwrap_or_else(|| d.runs.min(32) as u32)
        .max(1);
    if u64::from(tasks) > d.runs {
        return Err(CliError::BadInput(format!(
            "--array-size {tasks}: the sweep has only {} runs",
            d.runs
        )));
    }
    let cpus = args.jobs.unwrap_or(1).max(1) as u32;
    let abs = |p: &Path, what: &str| {
        std::fs::canonicalize(p).map_err(|e| io_error(&format!("find the {what}"), p, e))
    };
    let cjsim = std::env::current_exe()
        .map_err(|e| CliError::Internal(format!("cannot find the cjsim binary: {e}")))?;
    let sweep_file = abs(&args.file, "sweep file")?;
    let out = abs(out, "results folder")?;
    let per_run = crate::estimate::of(&plan.spec.base.params)
        .ok()
        .map(|e| e.seconds_one_core);
    let runs_per_task = d.runs.div_ceil(u64::from(tasks)) as f64;
    let mem_mb = u64::from(cpus) * (u64::from(d.agents) * 400 / 1_000_000 + 200) + 200;
    let job = SlurmJob {
        cjsim: &cjsim,
        sweep_file: &sweep_file,
        out: &out,
        tasks,
        cpus,
        task_seconds: per_run.map(|s| s * runs_per_task),
        mem_mb,
        name: &d.name,
    };
    let dir = out.join("slurm");
    std::fs::create_dir_all(&dir).map_err(|e| io_error("create", &dir, e))?;
    write_atomic(&dir.join("array.sbatch"), job.array_script().as_bytes())?;
    write_atomic(&dir.join("merge.sbatch"), job.merge_script().as_bytes())?;
    write_atomic(&dir.join("submit.sh"), job.submit_script().as_bytes())?;
    println!(
        "wrote {}/ (array.sbatch: {tasks} tasks x {cpus} CPUs; merge.sbatch; submit.sh)",
        dir.display()
    );
    println!("submit with:");
    println!(
        "  bash {}",
        sh_quote(&dir.join("submit.sh").display().to_string())
    );
    println!("or by hand:");
    println!(
        "  jid=$(sbatch --parsable {}) && sbatch --dependency=afterok:${{jid%%;*}} {}",
        sh_quote(&dir.join("array.sbatch").display().to_string()),
        sh_quote(&dir.join("merge.sbatch").display().to_string())
    );
    Ok(())
}
