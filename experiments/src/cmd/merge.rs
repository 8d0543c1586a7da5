//! `cjsim merge OUTDIR`: gathers the runs of every shard of a sweep, checks that none is
//! missing or recorded twice with different results, and writes the sweep's tables.

use std::path::PathBuf;

use clap::Args;

use crate::error::CliResult;
use crate::sweep::results::{self, TableArgs};

/// Arguments of `cjsim merge`.
#[derive(Args, Debug)]
pub struct MergeArgs {
    /// Results folder of a (sharded) sweep.
    pub dir: PathBuf,
    /// Table options.
    #[command(flatten)]
    pub tables: TableArgs,
    /// Merge runs made by other model code than this binary's (another commit or build).
    #[arg(long)]
    pub allow_model_change: bool,
    /// No summary.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs `cjsim merge`.
pub fn run(args: MergeArgs) -> CliResult<()> {
    let m = results::read_manifest(&args.dir)?;
    crate::cmd::sweep::check_same_model(&args.dir, &m, args.allow_model_change)?;
    let done = results::assemble(&args.dir, &m, &args.tables)?;
    if !args.quiet {
        println!(
            "cjsim merge: {} runs of sweep {} complete",
            m.design.runs, m.design.name
        );
        if done.duplicates > 0 {
            println!(
                "  {} runs were recorded twice with identical results (kept once)",
                done.duplicates
            );
        }
        println!(
            "  wrote {}/ ({})",
            args.dir.display(),
            done.files.join(", ")
        );
    }
    Ok(())
}
