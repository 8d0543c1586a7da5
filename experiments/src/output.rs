//! Output files: CSV tables written from the column dictionaries into a staged folder
//! ([`crate::outdir::StagedDir`]), and number formatting that is identical on every machine.

use std::fs;
use std::io::{BufWriter, Write};

use sim_core::metrics::Column;

use crate::error::{CliError, CliResult, io_error};
pub use crate::outdir::StagedDir;

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

/// Writes `observed.csv`, the scenario's published figures (`[[observed]]`), if it has any;
/// returns whether it wrote the file.
pub fn write_observed(
    dir: &StagedDir,
    observed: &[scenarios::observed::Observed],
) -> CliResult<bool> {
    if observed.is_empty() {
        return Ok(false);
    }
    let mut text = String::from("indicator,year,value,role,source\n");
    for o in observed {
        text.push_str(&format!(
            "{},{},{},{},{}\n",
            o.indicator,
            o.year,
            fmt_cell(o.value),
            o.role(),
            csv_field(&o.source)
        ));
    }
    dir.write("observed.csv", text.as_bytes())?;
    Ok(true)
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
}
