//! Output files: a staged directory renamed into place only when complete, CSV tables written
//! from the column dictionaries, and number formatting that is identical on every machine.
//!
//! **Architecture Invariant:** no output directory is ever left half-written: files go to a
//! hidden sibling `.NAME.partial-PID`, which replaces `NAME` by rename once everything is written,
//! and is removed if anything fails.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use sim_core::metrics::Column;

use crate::error::{CliError, CliResult, io_error};

/// A directory being written; becomes `target` on [`StagedDir::commit`], vanishes on drop.
pub struct StagedDir {
    staging: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl StagedDir {
    /// Creates the hidden staging directory next to `target`.
    pub fn new(target: &Path) -> CliResult<Self> {
        let name = target
            .file_name()
            .ok_or_else(|| {
                CliError::BadInput(format!(
                    "--out {}: must name a directory, e.g. out/run1",
                    target.display()
                ))
            })?
            .to_string_lossy()
            .to_string();
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if target.is_file() {
            return Err(CliError::BadInput(format!(
                "--out {}: is a file, not a directory",
                target.display()
            )));
        }
        fs::create_dir_all(parent).map_err(|e| io_error("create", parent, e))?;
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| io_error("clear", &staging, e))?;
        }
        fs::create_dir(&staging).map_err(|e| io_error("create", &staging, e))?;
        Ok(StagedDir {
            staging,
            target: target.to_path_buf(),
            committed: false,
        })
    }

    /// Path of a file inside the staging directory.
    pub fn path(&self, file: &str) -> PathBuf {
        if file.is_empty() {
            self.staging.clone()
        } else {
            self.staging.join(file)
        }
    }

    /// Writes a whole file.
    pub fn write(&self, file: &str, bytes: &[u8]) -> CliResult<()> {
        let p = self.path(file);
        if let Some(dir) = p.parent() {
            fs::create_dir_all(dir).map_err(|e| io_error("create", dir, e))?;
        }
        fs::write(&p, bytes).map_err(|e| io_error("write", &p, e))
    }

    /// Replaces the target directory with the staged one.
    pub fn commit(mut self) -> CliResult<PathBuf> {
        let old = self.target.with_file_name(format!(
            ".{}.old-{}",
            self.target
                .file_name()
                .unwrap_or_default()
                .to_string_lossy(),
            std::process::id()
        ));
        if self.target.exists() {
            fs::rename(&self.target, &old).map_err(|e| io_error("move aside", &self.target, e))?;
        }
        fs::rename(&self.staging, &self.target)
            .map_err(|e| io_error("move into place", &self.target, e))?;
        if old.exists() {
            fs::remove_dir_all(&old).map_err(|e| io_error("remove", &old, e))?;
        }
        self.committed = true;
        Ok(self.target.clone())
    }
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Formats a number for tables: whole numbers without a decimal point, others rounded to six
/// decimals, NaN as an empty cell. The same bits give the same text everywhere.
pub fn fmt_cell(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let r = (x * 1e6).round() / 1e6;
        if r.fract() == 0.0 && r.abs() < 1e15 {
            format!("{}", r as i64)
        } else {
            format!("{r}")
        }
    }
}

/// Writes `rows` as CSV with the given columns; counts are scaled to real persons.
pub fn write_table<R>(
    dir: &StagedDir,
    file: &str,
    columns: &[Column<R>],
    rows: &[R],
    scale: f64,
) -> CliResult<()> {
    let path = dir.path(file);
    let f = fs::File::create(&path).map_err(|e| io_error("create", &path, e))?;
    let mut w = BufWriter::new(f);
    let header: Vec<&str> = columns.iter().map(|c| c.name).collect();
    let mut text = header.join(",");
    text.push('\n');
    for row in rows {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| fmt_cell(c.value(row, scale)))
            .collect();
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    w.write_all(text.as_bytes())
        .and_then(|_| w.flush())
        .map_err(|e| io_error("write", &path, e))
}

/// Writes the long-form disaggregated table (`year,indicator,dimension,group,value`).
pub fn write_group_table(
    dir: &StagedDir,
    file: &str,
    rows: &[sim_core::indicators::GroupRow],
) -> CliResult<()> {
    let mut text = String::from("year,indicator,dimension,group,value\n");
    for r in rows {
        text.push_str(&format!(
            "{},{},{},{},{}\n",
            r.year,
            r.indicator,
            r.dimension,
            csv_field(&r.group),
            fmt_cell(r.value)
        ));
    }
    dir.write(file, text.as_bytes())
}

/// Writes `prison_ages.csv`: prisoners on 31 December by sex and 5-year age group (85+ last),
/// scaled to persons.
pub fn write_prison_ages(
    dir: &StagedDir,
    file: &str,
    rec: &sim_core::Recorder,
    scale: f64,
) -> CliResult<()> {
    let mut text = String::from("year,sex,age_group,prisoners\n");
    for y in &rec.years {
        for (s, sex) in ["male", "female"].iter().enumerate() {
            for g in 0..18usize {
                let (lo, hi) = (g * 5, if g == 17 { 200 } else { g * 5 + 4 });
                let n: u64 = y.end.prisoner_ages[s][lo..=hi.min(sim_core::metrics::AGE_BINS - 1)]
                    .iter()
                    .sum();
                let label = if g == 17 {
                    "85+".to_string()
                } else {
                    format!("{lo}-{hi}")
                };
                text.push_str(&format!(
                    "{},{sex},{label},{}\n",
                    y.year,
                    fmt_cell(n as f64 * scale)
                ));
            }
        }
    }
    dir.write(file, text.as_bytes())
}

/// Draws the charts and the report of the tables already in `dir` and writes them there.
pub fn write_report(dir: &StagedDir) -> CliResult<usize> {
    let built =
        viz::build(&dir.path("")).map_err(|e| CliError::Internal(format!("report: {e}")))?;
    for f in &built.figures {
        dir.write(&format!("charts/{}.svg", f.name), f.svg.as_bytes())?;
        dir.write(&format!("charts/{}.png", f.name), &f.png)?;
    }
    dir.write("report.html", built.html.as_bytes())?;
    Ok(built.figures.len())
}

/// The columns of `events.csv` and their meaning (for the output dictionary).
pub const EVENT_COLUMNS: &[(&str, &str, &str)] = &[
    ("year", "calendar year", "Year of the event."),
    ("month", "1-12", "Month of the event."),
    ("region", "name", "Region hit."),
    ("hazard", "flood, storm, drought, heatwave", "Hazard type."),
    (
        "severity",
        "fraction",
        "Share of the region's people affected.",
    ),
    ("affected", "persons", "People affected."),
    (
        "displaced",
        "persons",
        "People displaced by the event (for droughts, over its months).",
    ),
    (
        "court_damage_pct",
        "%",
        "Share of the region's court capacity the event took out.",
    ),
    (
        "prison_damage_pct",
        "%",
        "Share of the region's prison beds the event took out.",
    ),
];

/// Writes the climate events log.
pub fn write_events(
    dir: &StagedDir,
    file: &str,
    events: &[sim_core::systems::climate::HazardEvent],
    params: &sim_core::ModelParams,
) -> CliResult<()> {
    let header: Vec<&str> = EVENT_COLUMNS.iter().map(|c| c.0).collect();
    let mut text = header.join(",") + "\n";
    let scale = params.scenario.scale();
    for e in events {
        text.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\n",
            params.scenario.start_year + (e.month_index / 12) as i32,
            e.month_index % 12 + 1,
            csv_field(&params.regions[e.region as usize].name),
            e.hazard.name(),
            fmt_cell(e.severity),
            fmt_cell(e.affected as f64 * scale),
            fmt_cell(e.displaced as f64 * scale),
            fmt_cell(100.0 * e.court_damage),
            fmt_cell(100.0 * e.prison_damage),
        ));
    }
    dir.write(file, text.as_bytes())
}

/// Quotes a CSV field when it contains a comma, quote or newline.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_formatted_stably() {
        assert_eq!(fmt_cell(12.0), "12");
        assert_eq!(fmt_cell(0.1 + 0.2), "0.3");
        assert_eq!(fmt_cell(f64::NAN), "");
        assert_eq!(fmt_cell(-2.5), "-2.5");
    }

    #[test]
    fn a_staged_directory_vanishes_unless_committed() {
        let base = std::env::temp_dir().join(format!("cjsim-staged-{}", std::process::id()));
        let target = base.join("run");
        {
            let d = StagedDir::new(&target).unwrap();
            d.write("a.txt", b"x").unwrap();
        }
        assert!(!target.exists());
        assert_eq!(
            fs::read_dir(&base).unwrap().count(),
            0,
            "staging left behind"
        );
        let d = StagedDir::new(&target).unwrap();
        d.write("a.txt", b"x").unwrap();
        d.commit().unwrap();
        assert_eq!(fs::read_to_string(target.join("a.txt")).unwrap(), "x");
        fs::remove_dir_all(&base).unwrap();
    }
}
