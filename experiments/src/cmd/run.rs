//! `cjsim run`: one scenario, one or more replications, written to a result folder.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use sim_core::ModelParams;
use sim_core::indicators::Estimator;

use crate::error::{CliError, CliResult};
use crate::output::{StagedDir, fmt_cell, write_report, write_results};
use crate::precision::Replications;
use crate::progress;

/// Which scenario to run and the command-line overrides of it; shared by `run` and `compare`.
#[derive(Args, Debug, Clone, Default)]
pub struct ScenarioChoice {
    /// Scenario file (TOML) or built-in name; the built-in default when omitted.
    pub scenario: Option<String>,
    /// Seed of every random stream (overrides scenario.seed); replication r uses seed + r.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Number of agents (overrides scenario.agents), or `real`: one agent per person of the
    /// scenario's real population (at most 50,000,000).
    #[arg(long, value_parser = parse_agents)]
    pub agents: Option<Agents>,
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
        if let Some(Agents::Count(x)) = self.agents {
            overrides.push(format!("scenario.agents={x}"));
        }
        if let Some(x) = self.years {
            overrides.push(format!("scenario.years={x}"));
        }
        overrides.extend(self.set.iter().cloned());
        s.apply_overrides(&overrides)?;
        if self.agents == Some(Agents::Real) {
            let persons = s.params.scenario.real_population.round();
            let one_to_one = scenarios::overrides::Override::number("scenario.agents", persons);
            if let Err(e) = s.apply(std::slice::from_ref(&one_to_one)) {
                return Err(CliError::BadInput(format!(
                    "--agents real: {} has a real population of {} persons; {}",
                    s.params.scenario.name,
                    viz::style::readable(persons),
                    e.0.first()
                        .map_or(String::new(), |i| format!("agents {}", i.problem))
                )));
            }
        }
        Ok(s)
    }
}

/// `--agents`: a number of agents, or one per person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Agents {
    /// This many agents.
    Count(u32),
    /// One agent per person of the scenario's real population.
    Real,
}

fn parse_agents(s: &str) -> Result<Agents, String> {
    if s.eq_ignore_ascii_case("real") {
        return Ok(Agents::Real);
    }
    s.parse()
        .map(Agents::Count)
        .map_err(|_| "must be a whole number of agents or `real` (one per person)".into())
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
    /// Which counts the crime indicators come from: `expected` (sums of the probabilities the
    /// model drew against, given each month's state: no Monte Carlo noise) or `realised` (the
    /// simulated events).
    #[arg(long, default_value = "expected", value_parser = parse_estimator)]
    pub estimator: Estimator,
    /// Language of report.html and the charts: en (English), fr (French) or es (Spanish).
    /// The tables are the same in every language.
    #[arg(long, default_value = "en", value_parser = parse_lang)]
    pub lang: viz::Lang,
}

fn parse_estimator(s: &str) -> Result<Estimator, String> {
    Estimator::parse(s).ok_or_else(|| format!("must be one of {}", Estimator::NAMES.join(", ")))
}

/// Parses `--lang`.
pub fn parse_lang(s: &str) -> Result<viz::Lang, String> {
    viz::Lang::parse(s).ok_or_else(|| format!("must be {}", viz::i18n::CODES))
}

/// How many replications to run; shared by `run` and `compare`.
#[derive(Args, Debug, Clone, Default)]
pub struct ReplicationArgs {
    /// Replications: a number (run in parallel, arms sharing seeds; outputs give means with
    /// 90% confidence intervals and single-run bands), or `auto` with --precision
    /// [default: 1 for run, 10 for compare].
    #[arg(long, value_name = "N|auto")]
    pub reps: Option<String>,
    /// With --reps auto: add replications until the 90% confidence interval of every headline
    /// indicator (run) or of every arm's effect on it (compare) is within this share of its
    /// level, at 2030 and the last year, e.g. 2%.
    #[arg(long, value_name = "PERCENT")]
    pub precision: Option<String>,
    /// With --reps auto: stop at this many replications even if the precision is not reached.
    #[arg(long, default_value_t = 200)]
    pub max_reps: u32,
}

impl ReplicationArgs {
    /// The replications asked for, `default` when none.
    pub fn resolve(&self, default: u32) -> CliResult<Replications> {
        crate::precision::replications(
            self.reps.as_deref(),
            self.precision.as_deref(),
            self.max_reps,
            default,
        )
    }
}

/// Arguments of `cjsim run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// The scenario and its overrides.
    #[command(flatten)]
    pub choice: ScenarioChoice,
    /// How many replications.
    #[command(flatten)]
    pub replications: ReplicationArgs,
    /// Result folder [default: out/<scenario-name>/].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Threads, progress and report.
    #[command(flatten)]
    pub controls: RunControls,
    /// Predict the run's time and memory from short pilots on this machine; run nothing and
    /// write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `--dry-run`: what would run, and how long and how much memory it would take here.
fn dry_run(params: &ModelParams, reps: &Replications, threads: usize) -> CliResult<()> {
    let s = &params.scenario;
    let runs = match reps {
        Replications::Fixed(n) => *n,
        Replications::Auto { max, .. } => *max,
    };
    let burn_in = params.justice.burn_in_years as u32;
    println!(
        "cjsim run --dry-run: {} from {}, {} years{}, {} agents (1 agent = {:.1} persons), {} replication(s){}",
        s.name,
        s.start_year,
        s.years,
        if burn_in > 0 {
            format!(" after a {burn_in}-year justice burn-in")
        } else {
            String::new()
        },
        viz::style::readable(f64::from(s.agents)),
        s.scale(),
        runs,
        if matches!(reps, Replications::Auto { .. }) {
            " at most (--reps auto)"
        } else {
            ""
        }
    );
    let e = crate::estimate::of(params)?;
    let at_once = (threads as u32).min(runs).max(1);
    // Replications run side by side; one replication uses every thread.
    let wall = |one_core: f64| {
        if runs > 1 {
            one_core * f64::from(runs) / f64::from(at_once)
        } else {
            one_core / threads as f64
        }
    };
    println!(
        "  time: about {} per replication on one core (from {}); \
         about {} in all on {threads} thread(s), if the step scaled perfectly",
        e.one_core(),
        e.pilots(),
        crate::estimate::seconds_range(wall(e.seconds_one_core_low), wall(e.seconds_one_core))
    );
    match e.peak_bytes(s.agents, at_once) {
        Some(bytes) => println!(
            "  memory: about {:.0} bytes per agent, and the person table {} over the run with the population; peak about {:.2} GB with {at_once} replication(s) held at once",
            e.memory.map_or(0.0, |m| m.0),
            if e.growth > 1.005 {
                format!("grows by {:.0}%", (e.growth - 1.0) * 100.0)
            } else {
                "does not grow".to_string()
            },
            bytes / 1e9
        ),
        None => println!("  memory: no estimate (it reads /proc/self/status, on Linux)"),
    }
    Ok(())
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
    let reps = args.replications.resolve(1)?;
    let scenario = args.choice.load()?;
    let params = scenario.params.clone();
    check_params(&params, &scenario.origin)?;
    let (pool, threads) = pool(args.controls.threads)?;
    if args.dry_run {
        return dry_run(&params, &reps, threads);
    }
    let name = params.scenario.name.clone();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(&name));
    let dir = StagedDir::new(&out, "run", args.controls.force)?;
    let started = Instant::now();
    let scale = params.scenario.scale();
    let watch = progress::BarWatch::new(args.controls.quiet, "90% CI half-width", "the level");
    let (outcomes, precision) = pool.install(|| {
        crate::simulate::replications(&params, reps, args.controls.estimator, &watch)
    })?;
    let reps = outcomes.len() as u32;
    let elapsed = started.elapsed().as_secs_f64();
    let first = &outcomes[0];
    let report = !args.controls.no_report && params.modules.justice;
    let assembled = crate::results::of_run(&crate::results::RunInputs {
        scenario: &scenario,
        outcomes: &outcomes,
        threads,
        precision: precision.clone(),
        report,
    });
    write_results(&dir, &assembled.results)?;
    if report {
        write_report(&dir, &assembled.results, args.controls.lang)?;
    }
    let files = assembled.files;
    let warnings = &first.warnings;
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
            reps,
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
        if let Some(p) = &precision {
            println!("  {}", p.summary());
        }
        for w in warnings {
            println!("  alignment warning: {w}");
        }
        println!("  wrote {}/ ({})", out.display(), files.join(", "));
    }
    Ok(())
}
