//! `cjsim run`: one scenario, one or more replications, written to a result folder.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use clap::Args;
use sim_core::indicators::{self, YEAR_COLUMNS};
use sim_core::metrics::MONTH_COLUMNS;
use sim_core::{ModelParams, Outcome, Simulation};

use crate::error::{CliError, CliResult};
use crate::output::{
    StagedDir, fmt_cell, write_events, write_group_table, write_prison_ages, write_report,
    write_table,
};
use crate::progress;
use crate::provenance::Provenance;
use crate::replicate::run_all;
use crate::scorecard;
use crate::tables::{BAND_HEADER, band_rows, write_median_yearly};

/// Which scenario to run and the command-line overrides of it; shared by `run` and `compare`.
#[derive(Args, Debug, Clone, Default)]
pub struct ScenarioChoice {
    /// Scenario file (TOML) or built-in name; the built-in default when omitted.
    pub scenario: Option<String>,
    /// Seed of every random stream (overrides scenario.seed); replication r uses seed + r.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Number of agents (overrides scenario.agents).
    #[arg(long)]
    pub agents: Option<u32>,
    /// Number of simulated years (overrides scenario.years).
    #[arg(long)]
    pub years: Option<u32>,
    /// Override a parameter, KEY=VALUE (repeatable), e.g. --set demography.total_fertility_rate=1.8
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

impl ScenarioChoice {
    /// The chosen scenario (or the default) with the overrides applied, checked like the file.
    pub fn load(&self) -> CliResult<scenarios::Scenario> {
        let mut s = scenarios::load(
            self.scenario
                .as_deref()
                .unwrap_or(scenarios::DEFAULT_SCENARIO),
        )?;
        let mut overrides = Vec::new();
        if let Some(x) = self.seed {
            overrides.push(format!("scenario.seed={x}"));
        }
        if let Some(x) = self.agents {
            overrides.push(format!("scenario.agents={x}"));
        }
        if let Some(x) = self.years {
            overrides.push(format!("scenario.years={x}"));
        }
        overrides.extend(self.set.iter().cloned());
        s.apply_overrides(&overrides)?;
        Ok(s)
    }
}

/// How a run reports: worker threads, progress and the report; shared by `run` and `compare`.
#[derive(Args, Debug, Clone, Default)]
pub struct RunControls {
    /// Worker threads (results are identical for any number).
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bar and no summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Skip the charts and report.html.
    #[arg(long)]
    pub no_report: bool,
    /// Replace the --out folder even if it is a cjsim result folder that holds files cjsim
    /// did not write, or another command's results (never a folder cjsim did not write).
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `cjsim run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// The scenario and its overrides.
    #[command(flatten)]
    pub choice: ScenarioChoice,
    /// Replications (run in parallel; outputs give medians and quantile bands).
    #[arg(long, default_value_t = 1)]
    pub reps: u32,
    /// Result folder [default: out/<scenario-name>/].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Threads, progress and report.
    #[command(flatten)]
    pub controls: RunControls,
}

/// A rayon pool with `threads` threads (default: all cores).
pub fn pool(threads: Option<usize>) -> CliResult<(rayon::ThreadPool, usize)> {
    let n = crate::limits::threads("--threads", threads)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .map_err(|e| CliError::Internal(format!("cannot start {n} threads: {e}")))?;
    Ok((pool, n))
}

/// Checks that a simulation can be built from `params` (bad input is reported before any
/// output folder exists).
pub fn check_params(params: &ModelParams, origin: &str) -> CliResult<()> {
    let issues = params.check();
    if issues.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = issues.iter().map(|i| format!("{origin}: {i}")).collect();
    Err(CliError::BadInput(lines.join("\n")))
}

/// Runs `cjsim run`.
pub fn run(args: RunArgs) -> CliResult<()> {
    crate::limits::replications("--reps", args.reps)?;
    let scenario = args.choice.load()?;
    let params = scenario.params.clone();
    check_params(&params, &scenario.origin)?;
    let (pool, threads) = pool(args.controls.threads)?;
    let name = params.scenario.name.clone();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(&name));
    let dir = StagedDir::new(&out, "run", args.controls.force)?;
    let started = Instant::now();
    let outcomes: Vec<Outcome> = if args.reps == 1 {
        let bar = progress::bar(
            u64::from(params.scenario.months()),
            "months",
            args.controls.quiet,
        );
        let sim = Simulation::new(params.clone()).map_err(|issues| {
            CliError::BadInput(
                issues
                    .iter()
                    .map(|i| format!("{}: {i}", scenario.origin))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        })?;
        let o = pool.install(|| {
            let mut sim = sim;
            while !sim.finished() {
                sim.step();
                bar.set_position(u64::from(sim.calendar().month_index));
            }
            sim.into_outcome()
        });
        bar.finish_and_clear();
        vec![o]
    } else {
        let bar = progress::bar(u64::from(args.reps), "runs", args.controls.quiet);
        let count = AtomicU64::new(0);
        let tick = || bar.set_position(count.fetch_add(1, Ordering::Relaxed) + 1);
        let mut all = pool.install(|| run_all(std::slice::from_ref(&params), args.reps, &tick))?;
        bar.finish_and_clear();
        all.remove(0)
    };
    let elapsed = started.elapsed().as_secs_f64();
    let scale = params.scenario.scale();
    let first = &outcomes[0];
    write_table(
        &dir,
        "timeseries.csv",
        MONTH_COLUMNS,
        &first.recorder.months,
        scale,
    )?;
    let mut files = vec!["run.json".to_string(), "timeseries.csv".to_string()];
    if params.modules.justice {
        if args.reps == 1 {
            write_table(
                &dir,
                "indicators_yearly.csv",
                YEAR_COLUMNS,
                &first.years,
                scale,
            )?;
        } else {
            write_median_yearly(&dir, "indicators_yearly.csv", &outcomes, scale)?;
        }
        let mut bands = String::from(BAND_HEADER);
        band_rows("baseline", &outcomes, scale, &mut bands);
        dir.write("indicators_quantiles.csv", bands.as_bytes())?;
        write_group_table(
            &dir,
            "by_group.csv",
            &indicators::by_group(&first.recorder, &params),
        )?;
        write_prison_ages(&dir, "prison_ages.csv", &first.recorder, scale)?;
        files.extend(
            [
                "indicators_yearly.csv",
                "indicators_quantiles.csv",
                "by_group.csv",
                "prison_ages.csv",
            ]
            .map(String::from),
        );
        let lines = scorecard::score("baseline", &scenario.targets, &outcomes, scale);
        dir.write(
            "scorecard.json",
            (serde_json::to_string_pretty(&lines).expect("plain data") + "\n").as_bytes(),
        )?;
        dir.write("scorecard.md", scorecard::markdown(&lines).as_bytes())?;
        files.extend(["scorecard.json", "scorecard.md"].map(String::from));
    }
    if params.modules.climate {
        write_events(&dir, "events.csv", &first.events, &params)?;
        files.push("events.csv".into());
    }
    let warnings = first.warnings.clone();
    let report = !args.controls.no_report && params.modules.justice;
    if report {
        files.extend(["report.html", "charts/"].map(String::from));
    }
    let mut prov = Provenance::new("run", &scenario, threads, files.clone());
    prov.alignment_warnings = warnings.clone();
    prov.replications = args.reps;
    dir.write("run.json", prov.to_json().as_bytes())?;
    if report {
        write_report(&dir)?;
    }
    let out = dir.commit()?;
    if !args.controls.quiet {
        let (a, b) = (first.recorder.months.first(), first.recorder.months.last());
        let m = |x: f64| format!("{:.2} M", x * scale / 1e6);
        println!(
            "cjsim run: {name} ({}), seed {}",
            scenario.origin, params.scenario.seed
        );
        println!(
            "  {} agents x {} years x {} replication(s) (1 agent = {} persons), {threads} threads, {elapsed:.1} s",
            params.scenario.agents,
            params.scenario.years,
            args.reps,
            fmt_cell(scale)
        );
        if let (Some(a), Some(b)) = (a, b) {
            println!(
                "  population {} ({}-{:02}) -> {} ({}-{:02})",
                m(a.population as f64),
                a.year,
                a.month,
                m(b.population as f64),
                b.year,
                b.month
            );
        }
        if let Some(y) = first.years.first() {
            println!(
                "  {}: homicide {:.1} per 100k, unsentenced {:.0}%, prisoners {:.0} per 100k, occupancy {:.0}%",
                y.year,
                y.homicide_rate_per_100k,
                y.unsentenced_share_pct,
                y.prison_population_per_100k,
                y.prison_occupancy_pct
            );
        }
        for w in &warnings {
            println!("  alignment warning: {w}");
        }
        println!("  wrote {}/ ({})", out.display(), files.join(", "));
    }
    Ok(())
}
