//! `cjsim sensitivity OUTDIR`: sensitivity indices with bootstrap intervals of every kept
//! indicator and year of a finished sweep (Morris measures, Sobol indices, or partial rank
//! correlation coefficients for Latin-hypercube and grid designs); `sensitivity.csv` and
//! tornado charts.

use std::path::PathBuf;

use clap::Args;

use crate::error::CliResult;
use crate::sweep::results::{self, DEFAULT_BOOTSTRAP};
use crate::sweep::store;

/// Arguments of `cjsim sensitivity`.
#[derive(Args, Debug)]
pub struct SensitivityArgs {
    /// Results folder of a finished sweep.
    pub dir: PathBuf,
    /// Bootstrap resamples for the 95% intervals (0: none).
    #[arg(long, default_value_t = DEFAULT_BOOTSTRAP)]
    pub bootstrap: u32,
    /// No summary.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs `cjsim sensitivity`.
pub fn run(args: SensitivityArgs) -> CliResult<()> {
    let m = results::read_manifest(&args.dir)?;
    let rec = store::read_all(&args.dir.join("runs"), m.design.width())?;
    let runs = results::complete_runs(&m, &rec)?;
    let charts = results::write_sensitivity(&args.dir, &m, &runs, args.bootstrap)?;
    if !args.quiet {
        println!(
            "cjsim sensitivity: {} factors x {} indicators x {} years ({} design, {} bootstrap resamples)",
            m.design.factors.len(),
            m.design.indicators.len(),
            m.design.report_years.len(),
            m.design.design.word(),
            args.bootstrap
        );
        println!(
            "  wrote {}/sensitivity.csv and {charts} tornado charts in charts/",
            args.dir.display()
        );
    }
    Ok(())
}
