//! The `cjsim` command line: argument parsing and dispatch; exit codes are decided here
//! (0 ok, 2 bad input, 1 internal error).

use std::process::ExitCode;

use experiments::cmd;

use clap::{Parser, Subcommand};

/// cjsim: agent-based simulation of crime, climate-driven displacement, prison ageing and
/// criminal-justice capacity, reported as SDG 16 indicators.
#[derive(Parser, Debug)]
#[command(name = "cjsim", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run one scenario and write its result folder.
    Run(cmd::run::RunArgs),
    /// Compare intervention arms against the baseline (replications, common random numbers).
    Compare(cmd::compare::CompareArgs),
    /// Redraw the charts and report.html of a result folder.
    Report {
        /// Result folder of `cjsim run` or `cjsim compare`.
        dir: std::path::PathBuf,
        /// Language of report.html and the charts: en, fr or es.
        #[arg(long, default_value = "en", value_parser = cmd::run::parse_lang)]
        lang: viz::Lang,
    },
    /// List, show, validate or create scenarios.
    #[command(subcommand)]
    Scenarios(cmd::scenarios::ScenariosCmd),
    /// Run a sweep file: a design over parameters, replicated, resumable, shardable, Slurm-ready.
    Sweep(cmd::sweep::SweepArgs),
    /// Merge the shards of a sweep and write its tables.
    Merge(cmd::merge::MergeArgs),
    /// Morris or Sobol sensitivity indices of a finished sweep.
    Sensitivity(cmd::sensitivity::SensitivityArgs),
    /// The live workshop dashboard: a local web page and a JSON API.
    Serve(cmd::serve::ServeArgs),
    /// The intervention catalogue: mechanisms, effects, costs and sources.
    Interventions {
        /// Show one intervention in full.
        name: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => cmd::run::run(args),
        Command::Compare(args) => cmd::compare::run(args),
        Command::Scenarios(c) => cmd::scenarios::run(c),
        Command::Report { dir, lang } => cmd::report::run(dir, lang),
        Command::Sweep(args) => cmd::sweep::run(args),
        Command::Merge(args) => cmd::merge::run(args),
        Command::Sensitivity(args) => cmd::sensitivity::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Interventions { name } => cmd::interventions::run(name),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            for line in e.to_string().lines() {
                eprintln!("error: {line}");
            }
            ExitCode::from(e.exit_code())
        }
    }
}
