//! `cjsim sensitivity OUTDIR`: Morris or Sobol indices, with bootstrap intervals, of every kept
//! indicator and year of a finished sweep; `sensitivity.csv` and tornado charts.

use std::path::PathBuf;

use clap::Args;

use crate::error::{CliError, CliResult};
use crate::sweep::results::{self, DEFAULT_BOOTSTRAP};
use crate::sweep::spec::Design;
use crate::sweep::store;

/// Arguments of `cjsim sensitivity`.
#[derive(Args, Debug)]
pub struct SensitivityArgs {
    /// Results folder of a finished morris or sobol sweep.
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
    if !matches!(
        m.design.design,
        Design::Morris { .. } | Design::Sobol { .. }
    ) {
        return Err(CliError::BadInput(format!(
            "{}: sensitivity indices need a morris or sobol design; this sweep is {}",
            args.dir.display(),
            m.design.design.word()
        )));
    }
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
