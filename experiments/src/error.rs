//! The CLI's error kinds and their exit codes, decided in one place.

use std::fmt;

/// What went wrong, by whose fault: bad input (exit 2), an internal failure (exit 1), or a
/// stop on request (exit 130, as for an interrupt).
#[derive(Debug)]
pub enum CliError {
    /// The user's scenario, arguments or files are wrong; the message says how to fix them.
    BadInput(String),
    /// Something failed that the user could not have prevented (disk full, a bug).
    Internal(String),
    /// The job was stopped on request (Ctrl-C in Python) before it finished.
    Cancelled,
}

impl CliError {
    /// Process exit code: 2 for bad input, 1 for internal errors.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::BadInput(_) => 2,
            CliError::Internal(_) => 1,
            CliError::Cancelled => 130,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::BadInput(m) | CliError::Internal(m) => f.write_str(m),
            CliError::Cancelled => f.write_str("cancelled"),
        }
    }
}

impl From<scenarios::ScenarioErrors> for CliError {
    fn from(e: scenarios::ScenarioErrors) -> Self {
        CliError::BadInput(e.to_string())
    }
}

/// Result type of the CLI commands.
pub type CliResult<T> = Result<T, CliError>;

/// Wraps an I/O error on `path` as an internal error with context.
pub fn io_error(action: &str, path: &std::path::Path, e: std::io::Error) -> CliError {
    CliError::Internal(format!("cannot {action} {}: {e}", path.display()))
}
