//! `cjsim scenarios list | show NAME | validate FILE | init NAME`.

use std::path::PathBuf;

use clap::Subcommand;

use crate::error::{CliError, CliResult};

/// Subcommands of `cjsim scenarios`.
#[derive(Subcommand, Debug)]
pub enum ScenariosCmd {
    /// List the built-in scenarios.
    List,
    /// Print a scenario (built-in name or file) fully resolved, every key included.
    Show {
        /// Built-in name or path.
        name: String,
    },
    /// Check a scenario file and report every problem.
    Validate {
        /// Path or built-in name.
        file: String,
    },
    /// Write a commented scenario template that runs as is.
    Init {
        /// Name of the new scenario (also the file name: NAME.toml).
        name: String,
        /// Where to write it [default: NAME.toml].
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// Runs a `cjsim scenarios` subcommand.
pub fn run(cmd: ScenariosCmd) -> CliResult<()> {
    match cmd {
        ScenariosCmd::List => {
            for b in scenarios::BUILTINS {
                let mark = if b.name == scenarios::DEFAULT_SCENARIO {
                    " (default)"
                } else {
                    ""
                };
                println!("{:<28} {}{mark}", b.name, b.summary);
            }
        }
        ScenariosCmd::Show { name } => {
            let s = scenarios::load(&name)?;
            print!("{}", s.resolved_toml());
        }
        ScenariosCmd::Validate { file } => {
            let s = scenarios::load(&file)?;
            sim_core::Simulation::new({
                let mut p = s.params.clone();
                p.scenario.agents = p.scenario.agents.min(1000);
                p.scenario.real_population = p.scenario.real_population.max(1000.0);
                p
            })
            .map_err(|issues| {
                CliError::BadInput(
                    issues
                        .iter()
                        .map(|i| format!("{}: {i}", s.origin))
                        .collect::<Vec<_>>()
                        .join("\n"),
                )
            })?;
            println!("{}: valid scenario '{}'", s.origin, s.params.scenario.name);
        }
        ScenariosCmd::Init { name, out } => {
            let mut p = sim_core::ModelParams::baseline();
            p.scenario.name = name.clone();
            p.scenario.description = format!("Scenario {name}, made from the cjsim template.");
            if !p.check().is_empty() {
                return Err(CliError::BadInput(format!(
                    "{name}: scenario names use letters, digits, '-', '_' or '.'"
                )));
            }
            let path = out.unwrap_or_else(|| PathBuf::from(format!("{name}.toml")));
            if path.exists() {
                return Err(CliError::BadInput(format!(
                    "{}: already exists; choose another name or --out",
                    path.display()
                )));
            }
            let text = scenarios::render::to_toml(&p, true);
            let tmp = path.with_extension("toml.partial");
            std::fs::write(&tmp, text)
                .and_then(|_| std::fs::rename(&tmp, &path))
                .map_err(|e| crate::error::io_error("write", &path, e))?;
            println!("wrote {}", path.display());
        }
    }
    Ok(())
}
