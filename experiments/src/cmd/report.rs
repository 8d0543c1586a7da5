//! `cjsim report DIR`: redraws the charts and `report.html` of a result folder from its tables.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{CliError, CliResult, io_error};

/// Builds the report of `dir`, replacing `dir/charts/` and `dir/report.html` only once every
/// chart is drawn.
pub fn run(dir: PathBuf) -> CliResult<()> {
    if !dir.is_dir() {
        return Err(CliError::BadInput(format!(
            "{}: not a result folder (run `cjsim run` or `cjsim compare` first)",
            dir.display()
        )));
    }
    let built = viz::build(&dir).map_err(|e| CliError::BadInput(e.to_string()))?;
    let staging = dir.join(format!(".charts.partial-{}", std::process::id()));
    let write =
        |path: &Path, bytes: &[u8]| fs::write(path, bytes).map_err(|e| io_error("write", path, e));
    let result = (|| {
        fs::create_dir_all(&staging).map_err(|e| io_error("create", &staging, e))?;
        for f in &built.figures {
            write(&staging.join(format!("{}.svg", f.name)), f.svg.as_bytes())?;
            write(&staging.join(format!("{}.png", f.name)), &f.png)?;
        }
        let html_tmp = dir.join(format!(".report.html.partial-{}", std::process::id()));
        write(&html_tmp, built.html.as_bytes())?;
        let charts = dir.join("charts");
        if charts.exists() {
            fs::remove_dir_all(&charts).map_err(|e| io_error("replace", &charts, e))?;
        }
        fs::rename(&staging, &charts).map_err(|e| io_error("move into place", &charts, e))?;
        fs::rename(&html_tmp, dir.join("report.html"))
            .map_err(|e| io_error("move into place", &dir.join("report.html"), e))
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result?;
    println!(
        "wrote {}/report.html and {} charts",
        dir.display(),
        built.figures.len()
    );
    Ok(())
}
