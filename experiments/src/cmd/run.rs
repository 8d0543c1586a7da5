//! `cjsim run`: one simulation of a scenario, written to a result folder.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use sim_core::Simulation;
use sim_core::indicators::{self, YEAR_COLUMNS};
use sim_core::metrics::MONTH_COLUMNS;

use crate::error::{CliError, CliResult};
use crate::output::{StagedDir, write_events, write_group_table, write_table};
use crate::progress;
use crate::provenance::Provenance;

/// Arguments of `cjsim run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// Scenario file (TOML) or built-in name; the built-in default when omitted.
    pub scenario: Option<String>,
    /// Seed of every random stream (overrides scenario.seed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Number of agents (overrides scenario.agents).
    #[arg(long)]
    pub agents: Option<u32>,
    /// Number of simulated years (overrides scenario.years).
    #[arg(long)]
    pub years: Option<u32>,
    /// Worker threads (results are identical for any number).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Result folder [default: out/<scenario-name>/].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Override a parameter, KEY=VALUE (repeatable), e.g. --set demography.total_fertility_rate=1.8
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// No progress bar and no summary.
    #[arg(long, short)]
    pub quiet: bool,
}

/// The scenario named by `scenario` (or the default) with the command-line overrides applied.
pub fn load_scenario(
    scenario: Option<&str>,
    seed: Option<u64>,
    agents: Option<u32>,
    years: Option<u32>,
    set: &[String],
) -> CliResult<scenarios::Scenario> {
    let mut s = scenarios::load(scenario.unwrap_or(scenarios::DEFAULT_SCENARIO))?;
    let mut overrides = Vec::new();
    if let Some(x) = seed {
        overrides.push(format!("scenario.seed={x}"));
    }
    if let Some(x) = agents {
        overrides.push(format!("scenario.agents={x}"));
    }
    if let Some(x) = years {
        overrides.push(format!("scenario.years={x}"));
    }
    overrides.extend(set.iter().cloned());
    s.apply_overrides(&overrides)?;
    Ok(s)
}

/// A rayon pool with `threads` threads (default: all cores).
pub fn pool(threads: Option<usize>) -> CliResult<(rayon::ThreadPool, usize)> {
    let n = match threads {
        Some(0) => {
            return Err(CliError::BadInput("--threads 0: must be at least 1".into()));
        }
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .map_err(|e| CliError::Internal(format!("cannot start {n} threads: {e}")))?;
    Ok((pool, n))
}

/// Runs `cjsim run`.
pub fn run(args: RunArgs) -> CliResult<()> {
    let scenario = load_scenario(
        args.scenario.as_deref(),
        args.seed,
        args.agents,
        args.years,
        &args.set,
    )?;
    let params = scenario.params.clone();
    let (pool, threads) = pool(args.threads)?;
    let name = params.scenario.name.clone();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(&name));
    let sim = Simulation::new(params.clone()).map_err(|issues| {
        let lines: Vec<String> = issues
            .iter()
            .map(|i| format!("{}: {i}", scenario.origin))
            .collect();
        CliError::BadInput(lines.join("\n"))
    })?;
    let dir = StagedDir::new(&out)?;
    let started = Instant::now();
    let bar = progress::bar(u64::from(params.scenario.months()), "months", args.quiet);
    let outcome = pool.install(|| {
        let mut sim = sim;
        while !sim.finished() {
            sim.step();
            bar.set_position(u64::from(sim.calendar().month_index));
        }
        sim.into_outcome()
    });
    let recorder = &outcome.recorder;
    bar.finish_and_clear();
    let elapsed = started.elapsed().as_secs_f64();
    let scale = params.scenario.scale();
    write_table(
        &dir,
        "timeseries.csv",
        MONTH_COLUMNS,
        &recorder.months,
        scale,
    )?;
    let mut files = vec!["run.json".to_string(), "timeseries.csv".to_string()];
    let warnings = outcome.warnings.clone();
    if params.modules.justice {
        write_table(
            &dir,
            "indicators_yearly.csv",
            YEAR_COLUMNS,
            &outcome.years,
            scale,
        )?;
        write_group_table(
            &dir,
            "by_group.csv",
            &indicators::by_group(recorder, &params),
        )?;
        files.push("indicators_yearly.csv".into());
        files.push("by_group.csv".into());
    }
    if params.modules.climate {
        write_events(&dir, "events.csv", &outcome.events, &params)?;
        files.push("events.csv".into());
    }
    let mut prov = Provenance::new("run", &scenario, threads, files.clone());
    prov.alignment_warnings = warnings.clone();
    dir.write("run.json", prov.to_json().as_bytes())?;
    let out = dir.commit()?;
    if !args.quiet {
        let first = recorder.months.first();
        let last = recorder.months.last();
        let births: u64 = recorder.months.iter().map(|m| m.births).sum();
        let deaths: u64 = recorder.months.iter().map(|m| m.deaths).sum();
        let m = |x: f64| format!("{:.2} M", x * scale / 1e6);
        println!(
            "cjsim run: {name} ({}), seed {}",
            scenario.origin, params.scenario.seed
        );
        println!(
            "  {} agents x {} years (1 agent = {} persons), {threads} threads, {elapsed:.1} s",
            params.scenario.agents,
            params.scenario.years,
            crate::output::fmt_cell(scale)
        );
        if let (Some(a), Some(b)) = (first, last) {
            println!(
                "  population {} ({}-{:02}) -> {} ({}-{:02}); births {}, deaths {}",
                m(a.population as f64),
                a.year,
                a.month,
                m(b.population as f64),
                b.year,
                b.month,
                m(births as f64),
                m(deaths as f64)
            );
        }
        for w in &warnings {
            println!("  alignment warning: {w}");
        }
        println!("  wrote {}/ ({})", out.display(), files.join(", "));
    }
    Ok(())
}
