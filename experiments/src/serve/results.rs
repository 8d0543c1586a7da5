//! The results of a dashboard run as JSON: the same tables `cjsim compare` writes (written to a
//! scratch folder that is removed afterwards), the viz crate's charts drawn from them, and the
//! numbers the page shows beside the charts.

use std::path::Path;
use std::time::Instant;

use serde::Serialize;
use sim_core::Outcome;
use sim_core::indicators::YEAR_COLUMNS;

use super::request::ValidRun;
use crate::cmd::compare::{ComparisonInputs, write_compare_folder};
use crate::output::StagedDir;
use crate::provenance::ArmInfo;
use crate::scorecard::ScoreLine;

/// Indicators shown as headline cards and trajectory charts, in page order.
pub const HEADLINE: &[&str] = &[
    "homicide_rate_per_100k",
    "violence_prevalence_pct",
    "unsentenced_share_pct",
    "prison_occupancy_pct",
    "older_prisoner_share_pct",
    "court_backlog_cases",
    "displaced_stock",
];

/// Name of the intervention arm in tables.
pub const ARM: &str = "interventions";

/// One headline number.
#[derive(Debug, Serialize)]
pub struct Headline {
    /// Indicator column.
    pub indicator: &'static str,
    /// Its unit.
    pub unit: &'static str,
    /// What it means.
    pub meaning: &'static str,
    /// Year.
    pub year: i32,
    /// Baseline median.
    pub baseline: Option<f64>,
    /// Arm median (when interventions are on).
    pub arm: Option<f64>,
    /// Median paired difference, arm minus baseline.
    pub difference: Option<f64>,
    /// 5th percentile of the paired difference.
    pub difference_q05: Option<f64>,
    /// 95th percentile of the paired difference.
    pub difference_q95: Option<f64>,
}

/// Costs against what is averted, cumulative to the last year.
#[derive(Debug, Default, Serialize)]
pub struct Costs {
    /// Year the sums run to.
    pub year: i32,
    /// Intervention cost (currency).
    pub intervention_cost: Option<f64>,
    /// Change in police, court and prison costs (currency).
    pub justice_cost_change: Option<f64>,
    /// Homicides averted (persons).
    pub homicides_averted: Option<f64>,
    /// Victimisations averted (persons).
    pub victimisations_averted: Option<f64>,
    /// Intervention cost per homicide averted (none when nothing is averted).
    pub cost_per_homicide_averted: Option<f64>,
    /// Intervention cost per victimisation averted.
    pub cost_per_victimisation_averted: Option<f64>,
}

/// A chart.
#[derive(Debug, Serialize)]
pub struct ChartView {
    /// File stem (`trajectory_unsentenced_share_pct`).
    pub name: String,
    /// Title.
    pub title: String,
    /// Inline SVG.
    pub svg: String,
}

/// `GET /api/results/{id}`.
#[derive(Debug, Serialize)]
pub struct Results {
    /// Scenario name.
    pub scenario: String,
    /// Warming pathway.
    pub pathway: String,
    /// Agents per run.
    pub agents: u32,
    /// Replications per arm (common random numbers).
    pub replications: u32,
    /// First and last simulated year.
    pub years: (i32, i32),
    /// Interventions and coverage.
    pub interventions: Vec<(String, f64)>,
    /// Headline numbers at the checkpoint years.
    pub headline: Vec<Headline>,
    /// Scorecard lines of the baseline and the arm.
    pub scorecard: Vec<ScoreLine>,
    /// Costs (when interventions are on).
    pub costs: Option<Costs>,
    /// Charts.
    pub charts: Vec<ChartView>,
    /// Seconds from the start of the job to these results.
    pub seconds: f64,
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Builds the results of `run` from its run sets (baseline first); `scratch` is a folder that
/// exists only while the tables are drawn.
pub fn build(
    scratch: &Path,
    run: &ValidRun,
    sets: &[std::sync::Arc<Vec<Outcome>>],
    started: Instant,
) -> Result<String, String> {
    let p = &run.scenario.params;
    let first = p.scenario.start_year;
    let last = first + p.scenario.years as i32 - 1;
    let mut checkpoints: Vec<i32> = Vec::new();
    if (first..=last).contains(&2030) {
        checkpoints.push(2030);
    }
    if !checkpoints.contains(&last) {
        checkpoints.push(last);
    }
    let mut named: Vec<(&str, &[Outcome])> = vec![("baseline", sets[0].as_slice())];
    if sets.len() > 1 {
        named.push((ARM, sets[1].as_slice()));
    }
    let dir = StagedDir::new(scratch, "compare", false).map_err(|e| e.to_string())?;
    let infos = if run.interventions.is_empty() {
        Vec::new()
    } else {
        vec![ArmInfo {
            name: ARM.into(),
            interventions: run
                .interventions
                .iter()
                .map(|(n, c)| format!("{n} (coverage {c})"))
                .collect(),
        }]
    };
    let (_, scorecard) = write_compare_folder(
        &dir,
        &ComparisonInputs {
            scenario: &run.scenario,
            arms: &named,
            infos,
            checkpoints: &checkpoints,
            threads: rayon::current_num_threads(),
            replications: run.replications,
            report: false,
        },
    )
    .map_err(|e| e.to_string())?;
    let built = viz::build(&dir.path("")).map_err(|e| e.to_string())?;
    let comparison = read_comparison(&dir.path("comparison.csv"))?;
    drop(dir);
    let scale = p.scenario.scale();
    let mut headline = Vec::new();
    for &name in HEADLINE {
        let col = YEAR_COLUMNS
            .iter()
            .find(|c| c.name == name)
            .expect("headline indicators are columns");
        for &year in &checkpoints {
            let base = crate::scorecard::values(&sets[0], name, year, scale);
            let row = comparison
                .iter()
                .find(|r| r.indicator == name && r.year == year);
            headline.push(Headline {
                indicator: col.name,
                unit: col.unit,
                meaning: col.meaning,
                year,
                baseline: finite(crate::replicate::quantile(&base, 0.5)),
                arm: row.and_then(|r| r.arm),
                difference: row.and_then(|r| r.difference),
                difference_q05: row.and_then(|r| r.difference_q05),
                difference_q95: row.and_then(|r| r.difference_q95),
            });
        }
    }
    let costs = comparison.iter().find(|r| r.year == last).map(|r| Costs {
        year: last,
        intervention_cost: r.intervention_cost,
        justice_cost_change: r.justice_cost_change,
        homicides_averted: r.homicides_averted,
        victimisations_averted: r.victimisations_averted,
        cost_per_homicide_averted: r.cost_per_homicide_averted,
        cost_per_victimisation_averted: r.cost_per_victimisation_averted,
    });
    let wanted: Vec<String> = HEADLINE
        .iter()
        .map(|n| format!("trajectory_{n}"))
        .chain([
            format!("comparison_{last}"),
            format!("cost_per_homicide_averted_{last}"),
            "prison_pyramid".to_string(),
        ])
        .collect();
    let charts = wanted
        .iter()
        .filter_map(|w| built.figures.iter().find(|f| f.name == *w))
        .map(|f| ChartView {
            name: f.name.clone(),
            title: f.title.clone(),
            svg: viz::report::inline_svg(&f.svg),
        })
        .collect();
    let results = Results {
        scenario: p.scenario.name.clone(),
        pathway: run.pathway.clone(),
        agents: p.scenario.agents,
        replications: run.replications,
        years: (first, last),
        interventions: run.interventions.clone(),
        headline,
        scorecard,
        costs,
        charts,
        seconds: started.elapsed().as_secs_f64(),
    };
    serde_json::to_string(&results).map_err(|e| e.to_string())
}

/// One row of `comparison.csv`.
struct ComparisonRow {
    indicator: String,
    year: i32,
    arm: Option<f64>,
    difference: Option<f64>,
    difference_q05: Option<f64>,
    difference_q95: Option<f64>,
    intervention_cost: Option<f64>,
    justice_cost_change: Option<f64>,
    homicides_averted: Option<f64>,
    victimisations_averted: Option<f64>,
    cost_per_homicide_averted: Option<f64>,
    cost_per_victimisation_averted: Option<f64>,
}

fn read_comparison(path: &Path) -> Result<Vec<ComparisonRow>, String> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| e.to_string())?;
    let header = reader.headers().map_err(|e| e.to_string())?.clone();
    let col = |name: &str| header.iter().position(|h| h == name);
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| e.to_string())?;
        let num = |name: &str| {
            col(name)
                .and_then(|i| rec.get(i))
                .and_then(|s| s.parse::<f64>().ok())
                .filter(|x| x.is_finite())
        };
        rows.push(ComparisonRow {
            indicator: col("indicator")
                .and_then(|i| rec.get(i))
                .unwrap_or("")
                .to_string(),
            year: num("year").map_or(0, |y| y as i32),
            arm: num("arm_value"),
            difference: num("difference"),
            difference_q05: num("difference_q05"),
            difference_q95: num("difference_q95"),
            intervention_cost: num("intervention_cost"),
            justice_cost_change: num("justice_cost_change"),
            homicides_averted: num("homicides_averted"),
            victimisations_averted: num("victimisations_averted"),
            cost_per_homicide_averted: num("cost_per_homicide_averted"),
            cost_per_victimisation_averted: num("cost_per_victimisation_averted"),
        });
    }
    Ok(rows)
}
