//! `cjsim interventions [NAME]`: the catalogue, with evidence and costs.

use crate::error::{CliError, CliResult};

/// Prints the catalogue, or one entry in full.
pub fn run(name: Option<String>) -> CliResult<()> {
    match name {
        None => {
            for e in scenarios::catalogue::CATALOGUE {
                println!("{:<26} {}", e.name, e.mechanism);
            }
            println!(
                "\n`cjsim interventions NAME` shows the effect, range, targeting, cost and source."
            );
        }
        Some(n) => {
            let e = scenarios::catalogue::entry(&n).ok_or_else(|| {
                CliError::BadInput(
                    match scenarios::error::suggest(&n, scenarios::catalogue::names()) {
                        Some(s) => format!("unknown intervention '{n}'; did you mean '{s}'?"),
                        None => format!("unknown intervention '{n}'"),
                    },
                )
            })?;
            println!(
                "{}\n  mechanism: {}\n  reaches:   {}",
                e.name, e.mechanism, e.targeting
            );
            println!(
                "  effect:    {} ({}; plausible {} to {})",
                e.effect, e.effect_unit, e.effect_range.0, e.effect_range.1
            );
            println!(
                "  coverage:  {} after {} months\n  cost:      {} {}\n  source:    {}",
                e.coverage, e.ramp_months, e.unit_cost, e.cost_basis, e.source
            );
        }
    }
    Ok(())
}
