//! Bounds on what the command line accepts, checked before any work: a thread count far beyond
//! the machine's cores only spawns threads until the process is killed.

use crate::error::{CliError, CliResult};

/// Cores of this machine (1 if unknown).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `n` threads (or runs at once, or workers) asked for with `flag`, within 1..=4 x cores;
/// the machine's cores when not given.
pub fn threads(flag: &str, n: Option<usize>) -> CliResult<usize> {
    let max = 4 * cores();
    match n {
        None => Ok(cores()),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(n) => Err(CliError::BadInput(format!(
            "{flag} {n}: must be between 1 and {max} (4 x the {} cores of this machine)",
            cores()
        ))),
    }
}

/// Most replications per arm: enough for any precision target, few enough that their
/// outcomes fit in memory.
pub const MAX_REPLICATIONS: u32 = 10_000;

/// Checks a replication count given with `flag`.
pub fn replications(flag: &str, n: u32) -> CliResult<u32> {
    if (1..=MAX_REPLICATIONS).contains(&n) {
        Ok(n)
    } else {
        Err(CliError::BadInput(format!(
            "{flag} {n}: must be between 1 and {MAX_REPLICATIONS}"
        )))
    }
}
