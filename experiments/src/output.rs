//! Output tables built in memory from the column dictionaries and the model's records, and
//! [`write_results`], the adapter that writes them as CSV into a staged folder
//! ([`crate::outdir::StagedDir`]) with number formatting identical on every machine.

use sim_core::metrics::Column;

use crate::error::{CliError, CliResult};
pub use crate::outdir::StagedDir;

use viz::results::{Cell, Results, Table};
pub use viz::results::{csv_field, fmt_cell};

/// A table of `rows` with the given columns; counts are scaled to real persons.
pub fn column_table<R>(columns: &[Column<R>], rows: &[R], scale: f64) -> Table {
    let header: Vec<&str> = columns.iter().map(|c| c.name).collect();
    let mut t = Table::new("", &header);
    for row in rows {
        t.push(columns.iter().map(|c| Cell::Number(c.value(row, scale))));
    }
    t
}

/// Writes every table and document of `results` into `dir`.
pub fn write_results(dir: &StagedDir, results: &Results) -> CliResult<()> {
    for (name, text) in results.files() {
        dir.write(name, text.as_bytes())?;
    }
    Ok(())
}

/// The long-form disaggregated table (`year,indicator,dimension,group,value`).
pub fn group_table(rows: &[sim_core::indicators::GroupRow]) -> Table {
    let mut t = Table::new("", &["year", "indicator", "dimension", "group", "value"]);
    for r in rows {
        t.push([
            r.year.into(),
            Cell::from(r.indicator),
            Cell::from(r.dimension),
            Cell::from(r.group.as_str()),
            r.value.into(),
        ]);
    }
    t
}

/// `prison_ages.csv`: prisoners on 31 December by sex and 5-year age group (85+ last), scaled
/// to persons.
pub fn prison_ages_table(rec: &sim_core::Recorder, scale: f64) -> Table {
    let mut t = Table::new("", &["year", "sex", "age_group", "prisoners"]);
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
                t.push([
                    y.year.into(),
                    Cell::from(*sex),
                    label.into(),
                    (n as f64 * scale).into(),
                ]);
            }
        }
    }
    t
}

/// `observed.csv`, the scenario's published figures (`[[observed]]`), if it has any.
pub fn observed_table(observed: &[scenarios::observed::Observed]) -> Option<Table> {
    if observed.is_empty() {
        return None;
    }
    let mut t = Table::new("", &["indicator", "year", "value", "role", "source"]);
    for o in observed {
        t.push([
            Cell::from(o.indicator.as_str()),
            o.year.into(),
            o.value.into(),
            Cell::from(o.role()),
            Cell::from(o.source.as_str()),
        ]);
    }
    Some(t)
}

/// Draws the charts and the report of `results` in `lang` and writes them into `dir`.
pub fn write_report(dir: &StagedDir, results: &Results, lang: viz::Lang) -> CliResult<usize> {
    let built =
        viz::build_in(results, lang).map_err(|e| CliError::Internal(format!("report: {e}")))?;
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

/// The climate events log.
pub fn events_table(
    events: &[sim_core::systems::climate::HazardEvent],
    params: &sim_core::ModelParams,
) -> Table {
    let header: Vec<&str> = EVENT_COLUMNS.iter().map(|c| c.0).collect();
    let mut t = Table::new("", &header);
    let scale = params.scenario.scale();
    for e in events {
        t.push([
            (params.scenario.start_year + (e.month_index / 12) as i32).into(),
            Cell::Number(f64::from(e.month_index % 12 + 1)),
            Cell::from(params.regions[e.region as usize].name.as_str()),
            Cell::from(e.hazard.name()),
            e.severity.into(),
            (e.affected as f64 * scale).into(),
            (e.displaced as f64 * scale).into(),
            (100.0 * e.court_damage).into(),
            (100.0 * e.prison_damage).into(),
        ]);
    }
    t
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
