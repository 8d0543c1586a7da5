//! The results of a run or a comparison, assembled in memory as a [`viz::Results`]: every
//! table and document of a result folder. `cjsim run` and `cjsim compare` write them as a folder
//! ([`crate::output::write_results`]) and draw the report from them; `cjsim serve` draws the
//! dashboard from them without touching the disk.

use sim_core::Outcome;
use sim_core::indicators::YEAR_COLUMNS;
use sim_core::metrics::MONTH_COLUMNS;
use viz::Results;
use viz::results::{Cell, Table};

use crate::output::{column_table, events_table, group_table, observed_table, prison_ages_table};
use crate::precision::PrecisionRecord;
use crate::provenance::{ArmInfo, Provenance};
use crate::scorecard::{self, ScoreLine};
use crate::tables::{
    ComparisonRow, band_table, bands, comparison, comparison_table, mean_yearly_table,
    push_band_rows,
};

/// Results with the facts the command line prints and the dashboard shows beside them.
pub struct Assembled {
    /// The tables and documents.
    pub results: Results,
    /// The files of the result folder, as `run.json` lists them (with `report.html` and
    /// `charts/` when a report is asked for).
    pub files: Vec<String>,
    /// Scorecard lines of every arm.
    pub lines: Vec<ScoreLine>,
    /// The comparison with the baseline (empty for a run).
    pub rows: Vec<ComparisonRow>,
}

/// Everything the results of `cjsim run` are assembled from.
pub struct RunInputs<'a> {
    /// The scenario (parameters, targets, provenance).
    pub scenario: &'a scenarios::Scenario,
    /// Outcomes by replication.
    pub outcomes: &'a [Outcome],
    /// Threads used (provenance).
    pub threads: usize,
    /// With `--reps auto`: the precision asked for and reached.
    pub precision: Option<PrecisionRecord>,
    /// Whether a report will be drawn (listed in `run.json`).
    pub report: bool,
}

/// The results of one scenario's replications.
pub fn of_run(r: &RunInputs) -> Assembled {
    let params = &r.scenario.params;
    let scale = params.scenario.scale();
    let first = &r.outcomes[0];
    let mut results = Results::new();
    let mut lines = Vec::new();
    results.put_table(
        "timeseries.csv",
        column_table(MONTH_COLUMNS, &first.recorder.months, scale),
    );
    if params.modules.justice {
        let mut yearly = if r.outcomes.len() == 1 {
            column_table(YEAR_COLUMNS, &first.years, scale)
        } else {
            mean_yearly_table(r.outcomes, scale)
        };
        yearly = with_collected_means(yearly, r.outcomes);
        results.put_table("indicators_yearly.csv", yearly);
        let mut band = band_table();
        push_band_rows(&bands("baseline", r.outcomes, scale), &mut band);
        results.put_table("indicators_quantiles.csv", band);
        results.put_table("by_group.csv", group_table(&first.by_group(params)));
        results.put_table("prison_ages.csv", prison_ages_table(&first.recorder, scale));
        lines = scorecard::score("baseline", &r.scenario.targets, r.outcomes, scale);
        put_scorecard(&mut results, &lines);
        if let Some(t) = observed_table(&r.scenario.observed) {
            results.put_table("observed.csv", t);
        }
    }
    let files = close(
        &mut results,
        &Closing {
            command: "run",
            scenario: r.scenario,
            threads: r.threads,
            report: r.report,
            detail: first,
            arms: &[("baseline", r.outcomes)],
            precision: r.precision.clone(),
            infos: Vec::new(),
        },
    );
    Assembled {
        results,
        files,
        lines,
        rows: Vec::new(),
    }
}

/// Everything the results of a comparison are assembled from.
pub struct ComparisonInputs<'a> {
    /// The scenario (baseline parameters, targets, provenance).
    pub scenario: &'a scenarios::Scenario,
    /// (arm name, outcomes by replication), the baseline first.
    pub arms: &'a [(&'a str, &'a [Outcome])],
    /// The arms' interventions for `run.json`.
    pub infos: Vec<ArmInfo>,
    /// Checkpoint years of `comparison.csv`.
    pub checkpoints: &'a [i32],
    /// Yearly discount rate of costs and averted outcomes (a fraction).
    pub discount_rate: f64,
    /// Threads used (provenance).
    pub threads: usize,
    /// With `--reps auto`: the precision asked for and reached.
    pub precision: Option<PrecisionRecord>,
    /// Whether a report will be drawn (listed in `run.json`).
    pub report: bool,
}

/// The results of a comparison: its tables, the scorecard of every arm, and the baseline's
/// first replication in detail for the charts that show one run.
pub fn of_comparison(c: &ComparisonInputs) -> Assembled {
    let base = &c.scenario.params;
    let scale = base.scenario.scale();
    let rows = comparison(c.arms, c.checkpoints, scale, c.discount_rate);
    let mut results = Results::new();
    results.put_table("comparison.csv", comparison_table(&rows));
    let mut band = band_table();
    let mut lines = Vec::new();
    for (name, outcomes) in c.arms {
        push_band_rows(&bands(name, outcomes, scale), &mut band);
        lines.extend(scorecard::score(name, &c.scenario.targets, outcomes, scale));
    }
    results.put_table("indicators_quantiles.csv", band);
    put_scorecard(&mut results, &lines);
    let detail = &c.arms[0].1[0];
    results.put_table(
        "timeseries.csv",
        column_table(MONTH_COLUMNS, &detail.recorder.months, scale),
    );
    results.put_table("by_group.csv", group_table(&detail.by_group(base)));
    results.put_table(
        "prison_ages.csv",
        prison_ages_table(&detail.recorder, scale),
    );
    if let Some(t) = observed_table(&c.scenario.observed) {
        results.put_table("observed.csv", t);
    }
    let files = close(
        &mut results,
        &Closing {
            command: "compare",
            scenario: c.scenario,
            threads: c.threads,
            report: c.report,
            detail,
            arms: c.arms,
            precision: c.precision.clone(),
            infos: c.infos.clone(),
        },
    );
    Assembled {
        results,
        files,
        lines,
        rows,
    }
}

/// What closes every result set: the run described in detail and how the whole was made.
struct Closing<'a> {
    /// `run` or `compare`.
    command: &'static str,
    scenario: &'a scenarios::Scenario,
    threads: usize,
    /// Whether a report will be drawn (listed in `run.json`).
    report: bool,
    /// The baseline's first replication, shown in detail.
    detail: &'a Outcome,
    /// (arm name, outcomes by replication), the baseline first.
    arms: &'a [(&'a str, &'a [Outcome])],
    precision: Option<PrecisionRecord>,
    /// The arms' interventions (empty for a run).
    infos: Vec<ArmInfo>,
}

/// Adds the climate events and the collectors' values, then `run.json` listing every file;
/// returns the file list.
fn close(results: &mut Results, c: &Closing) -> Vec<String> {
    let params = &c.scenario.params;
    if params.modules.climate {
        results.put_table("events.csv", events_table(&c.detail.events, params));
    }
    if let Some(t) = collected_table(c.arms) {
        results.put_table("collected.csv", t);
    }
    if params.modules.justice {
        if let Some(t) = crate::measured::survey_table(c.arms) {
            results.put_table("survey.csv", t);
        }
        results.put_table(
            "admin.csv",
            crate::measured::admin_table(params, c.arms[0].1),
        );
        // The SDG database has no dimension for policy arms: the baseline's values.
        let area = if params.scenario.ref_area.is_empty() {
            "_X"
        } else {
            params.scenario.ref_area.as_str()
        };
        results.put_table("sdg.csv", crate::sdg::sdg_table(params, c.arms[0].1, area));
    }
    let mut files = file_list(results);
    if c.report {
        files.extend(["report.html", "charts/"].map(String::from));
    }
    let mut prov = Provenance::new(c.command, c.scenario, c.threads, files.clone());
    prov.alignment_warnings = c.detail.warnings.clone();
    prov.replications = c.arms.first().map_or(0, |a| a.1.len()) as u32;
    prov.estimator = c.detail.estimator.name();
    prov.precision = c.precision.clone();
    prov.arms = c.infos.clone();
    results.put_document("run.json", prov.to_json());
    files
}

/// The yearly table with one more column per collector a library user registered
/// ([`sim_core::Simulation::collect`]): its value at the end of each year, the mean over
/// replications. Unchanged when there are none.
fn with_collected_means(yearly: Table, outcomes: &[Outcome]) -> Table {
    let Some(first) = outcomes.first().filter(|o| !o.collected.is_empty()) else {
        return yearly;
    };
    let year_col = yearly.column("year").expect("the yearly table has years");
    let names: Vec<&str> = first.collected.iter().map(|c| c.name.as_str()).collect();
    let mut header: Vec<&str> = yearly.header.iter().map(String::as_str).collect();
    header.extend(&names);
    let mut t = Table::new("", &header);
    for i in 0..yearly.len() {
        let year = yearly.number(i, year_col).expect("numbers") as i32;
        let own = (0..yearly.header.len()).map(|c| match yearly.cells(c) {
            viz::results::Cells::Numbers(v) => Cell::Number(v[i]),
            viz::results::Cells::Texts(v) => Cell::from(v[i].clone()),
        });
        let collected = (0..names.len()).map(|k| {
            let v: Vec<f64> = outcomes
                .iter()
                .filter_map(|o| o.collected.get(k))
                .filter_map(|c| c.values.iter().find(|(y, _)| *y == year).map(|x| x.1))
                .collect();
            Cell::Number(sim_core::stats::summarise(&v).mean)
        });
        t.push(own.chain(collected).collect::<Vec<_>>());
    }
    t
}

/// `collected.csv`: every collector's value by arm, replication and year (long form), when a
/// library user registered collectors.
fn collected_table(arms: &[(&str, &[Outcome])]) -> Option<Table> {
    if arms
        .iter()
        .all(|(_, o)| o.iter().all(|o| o.collected.is_empty()))
    {
        return None;
    }
    let mut t = Table::new("", &["arm", "replication", "year", "collector", "value"]);
    for (arm, outcomes) in arms {
        for (r, o) in outcomes.iter().enumerate() {
            for c in &o.collected {
                for (year, value) in &c.values {
                    t.push([
                        Cell::from(*arm),
                        r.into(),
                        (*year).into(),
                        Cell::from(c.name.as_str()),
                        (*value).into(),
                    ]);
                }
            }
        }
    }
    Some(t)
}

/// `scorecard.json` and `scorecard.md`.
fn put_scorecard(results: &mut Results, lines: &[ScoreLine]) {
    results.put_document(
        "scorecard.json",
        serde_json::to_string_pretty(lines).expect("plain data") + "\n",
    );
    results.put_document("scorecard.md", scorecard::markdown(lines));
}

/// The files the results make, `run.json` (written last) first as the folder's index.
fn file_list(results: &Results) -> Vec<String> {
    std::iter::once("run.json")
        .chain(results.names())
        .map(String::from)
        .collect()
}
