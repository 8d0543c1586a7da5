//! `cjsim report DIR`: redraws the charts and `report.html` of a result folder from its tables.

use std::fs;
use std::path::PathBuf;

use crate::error::{CliError, CliResult, io_error};
use crate::outdir::{self, Marker};

/// Builds the report of `dir` in `lang`. `charts/` is replaced by one atomic exchange and `report.html`
/// by a rename, each only once complete; only folders cjsim wrote are touched.
pub fn run(dir: PathBuf, lang: viz::Lang) -> CliResult<()> {
    let Some(mut marker) = Marker::read(&dir).filter(|m| m.kind != "sweep") else {
        return Err(CliError::BadInput(format!(
            "{}: not a cjsim result folder (no {} marker); run `cjsim run` or `cjsim compare` first",
            dir.display(),
            outdir::MARKER
        )));
    };
    let built = viz::Results::load(&dir)
        .and_then(|r| viz::build_in(&r, lang))
        .map_err(|e| CliError::BadInput(e.to_string()))?;
    outdir::recover(&dir);
    let staging = dir.join(format!(".charts.cjsim-staging-{}", std::process::id()));
    let result = (|| {
        fs::create_dir(&staging).map_err(|e| io_error("create", &staging, e))?;
        // Marked, so that a staging folder left by a kill is recognised and removed.
        Marker::new(&marker.kind).write(&staging)?;
        for f in &built.figures {
            let svg = staging.join(format!("{}.svg", f.name));
            fs::write(&svg, f.svg.as_bytes()).map_err(|e| io_error("write", &svg, e))?;
            let png = staging.join(format!("{}.png", f.name));
            fs::write(&png, &f.png).map_err(|e| io_error("write", &png, e))?;
        }
        let marker = staging.join(outdir::MARKER);
        fs::remove_file(&marker).map_err(|e| io_error("finish", &marker, e))?;
        outdir::replace_subfolder(&staging, &dir, "charts")?;
        outdir::write_file_atomic(&dir.join("report.html"), built.html.as_bytes())
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result?;
    for f in ["charts", "report.html"] {
        if !marker.files.iter().any(|x| x == f) {
            marker.files.push(f.to_string());
        }
    }
    marker.files.sort();
    marker.write(&dir)?;
    println!(
        "wrote {}/report.html and {} charts",
        dir.display(),
        built.figures.len()
    );
    Ok(())
}
