//! The results of a dashboard run as JSON: the comparison rows `cjsim compare` computes, the
//! viz crate's charts drawn from the same results, and the numbers the page shows beside the
//! charts. Everything stays in memory: nothing is written to or read back from the disk.

use std::time::Instant;

use serde::Serialize;
use sim_core::Outcome;
use sim_core::indicators::YEAR_COLUMNS;

use super::request::ValidRun;
use crate::provenance::ArmInfo;
use crate::results::{ComparisonInputs, of_comparison};
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
    /// Replications per arm.
    pub replications: usize,
    /// Baseline mean.
    pub baseline: Option<f64>,
    /// Arm mean (when interventions are on).
    pub arm: Option<f64>,
    /// The effect: the mean paired difference, arm minus baseline.
    pub difference: Option<f64>,
    /// 90% confidence interval of the effect (null with one replication).
    pub difference_ci90_low: Option<f64>,
    /// See `difference_ci90_low`.
    pub difference_ci90_high: Option<f64>,
    /// Whether the confidence interval excludes zero: a difference, not noise. Cards are
    /// coloured only when it does.
    pub detected: bool,
    /// 5th percentile of single runs' differences (the band of single futures).
    pub single_run_q05: Option<f64>,
    /// 95th percentile of single runs' differences.
    pub single_run_q95: Option<f64>,
}

/// Costs against what is averted, cumulative to a checkpoint year.
#[derive(Debug, Default, Serialize)]
pub struct Costs {
    /// Year the sums run to.
    pub year: i32,
    /// Intervention cost (currency).
    pub intervention_cost: Option<f64>,
    /// Change in police, court and prison costs (currency).
    pub justice_cost_change: Option<f64>,
    /// Homicides averted (persons), mean.
    pub homicides_averted: Option<f64>,
    /// 90% confidence interval of homicides averted.
    pub homicides_averted_ci90: Option<(f64, f64)>,
    /// Victimisations averted (persons), mean.
    pub victimisations_averted: Option<f64>,
    /// 90% confidence interval of victimisations averted.
    pub victimisations_averted_ci90: Option<(f64, f64)>,
    /// Intervention cost per homicide averted (none when its interval does not exclude zero).
    pub cost_per_homicide_averted: Option<f64>,
    /// Intervention cost per victimisation averted.
    pub cost_per_victimisation_averted: Option<f64>,
    /// Net cost (interventions plus the change in justice costs).
    pub net_cost: Option<f64>,
    /// Net cost per homicide averted with its 90% confidence interval (Fieller), when
    /// estimable.
    pub net_cost_per_homicide_averted: Option<(f64, f64, f64)>,
    /// Yearly discount rate of the costs and averted counts.
    pub discount_rate: f64,
    /// ISO 4217 code of the costs.
    pub currency: String,
    /// The year whose prices the costs are in.
    pub price_year: i32,
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
    /// Costs by the last year (when interventions are on).
    pub costs: Option<Costs>,
    /// Costs by each checkpoint year (2030 and the last year).
    pub costs_by_year: Vec<Costs>,
    /// Charts (none in early results).
    pub charts: Vec<ChartView>,
    /// Seconds from the start of the job to these results.
    pub seconds: f64,
    /// For early results: the last year, still being simulated (the results end at the
    /// target year); `None` when complete.
    pub pending_until: Option<i32>,
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// The target year of early results: the SDG targets' year.
pub const TARGET_YEAR: i32 = 2030;

/// Early results: `run`'s comparison up to `last_year`, from the baseline's runs (cut there)
/// and the arm's run so far, while the arm goes on to the horizon. Marked with the horizon
/// still pending. They carry no charts: the page keeps the last complete result's charts,
/// greyed, until the whole run's arrive, so that neither the server nor the browser draws
/// them twice per change while the arm still needs the cores.
pub fn build_early(
    run: &ValidRun,
    baseline: &[Outcome],
    arm: Outcome,
    last_year: i32,
    started: Instant,
) -> Result<String, String> {
    let p = &run.scenario.params.scenario;
    let horizon = p.start_year + p.years as i32 - 1;
    let mut early = run.clone();
    early.scenario.params.scenario.years = (last_year - p.start_year + 1).max(1) as u32;
    let base: Vec<Outcome> = baseline.iter().map(|o| o.truncated(last_year)).collect();
    let arm = vec![arm.truncated(last_year)];
    assemble(
        &early,
        &[std::sync::Arc::new(base), std::sync::Arc::new(arm)],
        started,
        Some(horizon),
        false,
    )
}

/// Builds the results of `run` from its run sets (baseline first), in memory.
pub fn build(
    run: &ValidRun,
    sets: &[std::sync::Arc<Vec<Outcome>>],
    started: Instant,
) -> Result<String, String> {
    assemble(run, sets, started, None, true)
}

/// The results of `run` from its run sets, marked with `pending_until` when early, with the
/// charts when `with_charts`.
fn assemble(
    run: &ValidRun,
    sets: &[std::sync::Arc<Vec<Outcome>>],
    started: Instant,
    pending_until: Option<i32>,
    with_charts: bool,
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
    let written = of_comparison(&ComparisonInputs {
        scenario: &run.scenario,
        arms: &named,
        infos,
        checkpoints: &checkpoints,
        discount_rate: crate::tables::DEFAULT_DISCOUNT_RATE,
        threads: rayon::current_num_threads(),
        precision: None,
        report: false,
    });
    let figures = if with_charts {
        viz::dashboard_figures(&written.results, run.lang).map_err(|e| e.to_string())?
    } else {
        Vec::new()
    };
    let scale = p.scenario.scale();
    let comparison = &written.rows;
    let mut headline = Vec::new();
    for &name in HEADLINE {
        let col = YEAR_COLUMNS
            .iter()
            .find(|c| c.name == name)
            .expect("headline indicators are columns");
        for &year in &checkpoints {
            let base =
                sim_core::stats::summarise(&crate::scorecard::values(&sets[0], name, year, scale));
            let row = comparison
                .iter()
                .find(|r| r.indicator == name && r.year == year);
            let effect = row.map(|r| r.effect);
            headline.push(Headline {
                indicator: col.name,
                unit: col.unit,
                meaning: col.meaning,
                year,
                replications: base.n,
                baseline: finite(base.mean),
                arm: row.and_then(|r| finite(r.arm_value.mean)),
                difference: effect.and_then(|e| finite(e.mean)),
                difference_ci90_low: effect.and_then(|e| finite(e.ci90.0)),
                difference_ci90_high: effect.and_then(|e| finite(e.ci90.1)),
                detected: row.is_some_and(|r| r.effect_detected()),
                single_run_q05: effect.and_then(|e| finite(e.bands[0])),
                single_run_q95: effect.and_then(|e| finite(e.bands[4])),
            });
        }
    }
    let costs_at = |year: i32| {
        comparison.iter().find(|r| r.year == year).map(|r| {
            let c = &r.costs;
            let ci = |s: &sim_core::stats::Summary| {
                (s.ci90.0.is_finite() && s.ci90.1.is_finite()).then_some(s.ci90)
            };
            Costs {
                year,
                intervention_cost: finite(c.intervention_cost.mean),
                justice_cost_change: finite(c.justice_cost_change.mean),
                homicides_averted: finite(c.homicides_averted.mean),
                homicides_averted_ci90: ci(&c.homicides_averted),
                victimisations_averted: finite(c.victimisations_averted.mean),
                victimisations_averted_ci90: ci(&c.victimisations_averted),
                cost_per_homicide_averted: c.per_homicide_averted(),
                cost_per_victimisation_averted: c.per_victimisation_averted(),
                net_cost: finite(c.net_cost.mean),
                net_cost_per_homicide_averted: c.net_per_homicide,
                discount_rate: c.discount_rate,
                currency: p.scenario.currency.clone(),
                price_year: p.scenario.price_year,
            }
        })
    };
    let costs = costs_at(last);
    let costs_by_year: Vec<Costs> = checkpoints.iter().filter_map(|y| costs_at(*y)).collect();
    let scorecard = written.lines;
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
        .filter_map(|w| figures.iter().find(|f| f.name == *w))
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
        costs_by_year,
        charts,
        seconds: started.elapsed().as_secs_f64(),
        pending_until,
    };
    serde_json::to_string(&results).map_err(|e| e.to_string())
}
