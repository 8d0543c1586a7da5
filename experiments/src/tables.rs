//! Tables across replications and arms, computed in memory (the CSV files, the report and the
//! dashboard all read these rows): yearly means, the single-run bands beside the confidence
//! interval of the mean, paired effects with their confidence intervals, and costs against
//! what is averted.
//!
//! Two questions, two answers, always named apart (see `sim_core::stats`): the *effect* of an
//! arm is the mean paired difference from the baseline over replications, with its 90%
//! confidence interval; the *single-run spread* is the 5-95% range of single replications'
//! differences, the band of possible single futures.

use sim_core::Outcome;
use sim_core::indicators::{Estimator, YEAR_COLUMNS, YearRow};
use sim_core::metrics::MonthRow;
use sim_core::stats::{Summary, summarise};

use viz::results::{Cell, Table};

/// Years simulated (from the first replication).
fn years(outcomes: &[Outcome]) -> Vec<i32> {
    outcomes
        .first()
        .map(|o| o.years.iter().map(|y| y.year).collect())
        .unwrap_or_default()
}

fn year_row(o: &Outcome, year: i32) -> Option<&YearRow> {
    o.years.iter().find(|y| y.year == year)
}

/// `indicators_yearly.csv` as the mean across replications.
pub fn mean_yearly_table(outcomes: &[Outcome], scale: f64) -> Table {
    let header: Vec<&str> = YEAR_COLUMNS.iter().map(|c| c.name).collect();
    let mut t = Table::new("", &header);
    for year in years(outcomes) {
        t.push(YEAR_COLUMNS.iter().map(|c| {
            let v: Vec<f64> = outcomes
                .iter()
                .filter_map(|o| year_row(o, year))
                .map(|y| c.value(y, scale))
                .collect();
            Cell::Number(summarise(&v).mean)
        }));
    }
    t
}

/// One indicator in one year of one arm, over replications.
#[derive(Clone, Debug)]
pub struct BandRow {
    /// Arm.
    pub arm: String,
    /// Calendar year.
    pub year: i32,
    /// Indicator column.
    pub indicator: &'static str,
    /// Mean with its confidence interval, and the single-run quantiles.
    pub summary: Summary,
}

/// The band rows of one arm, every year and indicator.
pub fn bands(arm: &str, outcomes: &[Outcome], scale: f64) -> Vec<BandRow> {
    let mut rows = Vec::new();
    for year in years(outcomes) {
        for c in YEAR_COLUMNS.iter().skip(1) {
            let v: Vec<f64> = outcomes
                .iter()
                .filter_map(|o| year_row(o, year))
                .map(|y| c.value(y, scale))
                .collect();
            rows.push(BandRow {
                arm: arm.to_string(),
                year,
                indicator: c.name,
                summary: summarise(&v),
            });
        }
    }
    rows
}

/// An empty `indicators_quantiles.csv`, to which [`push_band_rows`] adds arms.
pub fn band_table() -> Table {
    Table::new(
        "",
        &[
            "arm",
            "year",
            "indicator",
            "replications",
            "mean",
            "mean_ci90_low",
            "mean_ci90_high",
            "q05",
            "q25",
            "q50",
            "q75",
            "q95",
        ],
    )
}

/// Appends band rows.
pub fn push_band_rows(rows: &[BandRow], t: &mut Table) {
    for r in rows {
        let s = &r.summary;
        t.push(
            [
                Cell::from(r.arm.as_str()),
                r.year.into(),
                Cell::from(r.indicator),
                s.n.into(),
                s.mean.into(),
                s.ci90.0.into(),
                s.ci90.1.into(),
            ]
            .into_iter()
            .chain(s.bands.iter().map(|x| Cell::Number(*x))),
        );
    }
}

/// Sum of a monthly quantity from the start to the end of `year`, each year's amount
/// discounted to the first year at `discount` a year (costs and outcomes alike, as in cost-
/// effectiveness analysis: WHO-CHOICE and the US Second Panel use 3%).
fn cumulative(o: &Outcome, year: i32, discount: f64, f: impl Fn(&MonthRow) -> f64) -> f64 {
    let first = o.recorder.months.first().map_or(year, |m| m.year);
    o.recorder
        .months
        .iter()
        .filter(|m| m.year <= year)
        .map(|m| f(m) / (1.0 + discount).powi(m.year - first))
        .sum()
}

/// Default discount rate of costs and averted outcomes (a year).
pub const DEFAULT_DISCOUNT_RATE: f64 = 0.03;

/// Homicide victims of a month, by the outcome's estimator (agents).
fn homicides(m: &MonthRow, e: Estimator) -> f64 {
    match e {
        Estimator::Expected => m.flows.expected.homicide_victims,
        Estimator::Realised => m.flows.homicide_victims as f64,
    }
}

/// Victimisations of the kinds interventions aim to avert: homicide, assault, GBV, property,
/// trafficking (true counts, agents), by the outcome's estimator.
fn victimisations(m: &MonthRow, e: Estimator) -> f64 {
    match e {
        Estimator::Expected => m.flows.expected.offences[..5].iter().sum(),
        Estimator::Realised => m.flows.offences[..5].iter().sum::<u64>() as f64,
    }
}

/// What an arm costs and averts by a checkpoint year (cumulative from the start), over
/// replications; averted counts are paired (baseline minus arm, persons).
#[derive(Clone, Copy, Debug)]
pub struct Costs {
    /// Intervention cost (currency).
    pub intervention_cost: Summary,
    /// Change in police, court and prison costs, arm minus baseline (currency).
    pub justice_cost_change: Summary,
    /// Homicides averted (persons).
    pub homicides_averted: Summary,
    /// Victimisations averted (persons).
    pub victimisations_averted: Summary,
    /// Net cost: intervention cost plus the change in police, court and prison costs, paired by
    /// replication (currency).
    pub net_cost: Summary,
    /// Net cost per homicide averted with its 90% confidence interval (Fieller), when the
    /// interval of homicides averted lies above zero.
    pub net_per_homicide: Option<(f64, f64, f64)>,
    /// The discount rate applied to costs and averted counts (a year).
    pub discount_rate: f64,
}

impl Costs {
    /// Intervention cost per homicide averted: the mean cost over the mean averted, only when
    /// the confidence interval of homicides averted lies above zero ("not estimable" else).
    pub fn per_homicide_averted(&self) -> Option<f64> {
        per_averted(&self.intervention_cost, &self.homicides_averted)
    }

    /// Intervention cost per victimisation averted (as for homicides).
    pub fn per_victimisation_averted(&self) -> Option<f64> {
        per_averted(&self.intervention_cost, &self.victimisations_averted)
    }
}

fn per_averted(cost: &Summary, averted: &Summary) -> Option<f64> {
    (averted.ci90.0 > 0.0 && averted.mean > 0.0).then(|| cost.mean / averted.mean)
}

/// One indicator at one checkpoint for one arm, against the baseline.
#[derive(Clone, Debug)]
pub struct ComparisonRow {
    /// Arm.
    pub arm: String,
    /// Indicator column.
    pub indicator: &'static str,
    /// Checkpoint year.
    pub year: i32,
    /// The baseline's value over replications.
    pub baseline: Summary,
    /// The arm's value over replications.
    pub arm_value: Summary,
    /// Paired differences, arm minus baseline, replication by replication: the mean with its
    /// confidence interval is the effect; the quantiles are the single-run spread.
    pub effect: Summary,
    /// Costs and what is averted by the checkpoint.
    pub costs: Costs,
}

impl ComparisonRow {
    /// Whether the effect's 90% confidence interval excludes zero.
    pub fn effect_detected(&self) -> bool {
        self.effect.excludes(0.0)
    }
}

/// The comparison of every arm (after the first, the baseline) with the baseline, at each
/// checkpoint year, for every indicator.
pub fn comparison(
    arms: &[(&str, &[Outcome])],
    checkpoints: &[i32],
    scale: f64,
    discount: f64,
) -> Vec<ComparisonRow> {
    let (_, base) = &arms[0];
    let mut rows = Vec::new();
    for (name, outcomes) in &arms[1..] {
        let paired = |f: &dyn Fn(&Outcome) -> f64| -> Vec<f64> {
            outcomes
                .iter()
                .zip(base.iter())
                .map(|(a, b)| f(a) - f(b))
                .collect()
        };
        for &year in checkpoints {
            let cost: Vec<f64> = outcomes
                .iter()
                .map(|o| cumulative(o, year, discount, |m| m.flows.intervention_cost))
                .collect();
            let justice = paired(&|o| {
                cumulative(o, year, discount, |m| {
                    m.flows.prison_cost + m.flows.police_cost + m.flows.court_cost
                })
            });
            let averted = |f: fn(&MonthRow, Estimator) -> f64| -> Vec<f64> {
                paired(&|o| cumulative(o, year, discount, |m| f(m, o.estimator)))
                    .iter()
                    .map(|d| -d * scale)
                    .collect()
            };
            let net: Vec<f64> = cost.iter().zip(&justice).map(|(c, j)| c + j).collect();
            let homicides_averted = averted(homicides);
            let averted_homicides = summarise(&homicides_averted);
            let costs = Costs {
                intervention_cost: summarise(&cost),
                justice_cost_change: summarise(&justice),
                homicides_averted: averted_homicides,
                victimisations_averted: summarise(&averted(victimisations)),
                net_cost: summarise(&net),
                // Estimable only when homicides are averted: Fieller's interval exists whenever
                // the interval of what is averted excludes zero, on either side.
                net_per_homicide: sim_core::stats::ratio_ci90(&net, &homicides_averted)
                    .filter(|_| averted_homicides.ci90.0 > 0.0),
                discount_rate: discount,
            };
            for c in YEAR_COLUMNS.iter().skip(1) {
                let value = |o: &Outcome| year_row(o, year).map_or(f64::NAN, |y| c.value(y, scale));
                let b: Vec<f64> = base.iter().map(value).collect();
                let a: Vec<f64> = outcomes.iter().map(value).collect();
                let d: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x - y).collect();
                rows.push(ComparisonRow {
                    arm: name.to_string(),
                    indicator: c.name,
                    year,
                    baseline: summarise(&b),
                    arm_value: summarise(&a),
                    effect: summarise(&d),
                    costs,
                });
            }
        }
    }
    rows
}

/// Columns of `comparison.csv`.
pub const COMPARISON_COLUMNS: &[&str] = &[
    "arm",
    "indicator",
    "year",
    "replications",
    "baseline_mean",
    "arm_mean",
    "effect_mean",
    "effect_ci90_low",
    "effect_ci90_high",
    "effect_detected",
    "single_run_difference_q05",
    "single_run_difference_q95",
    "intervention_cost",
    "justice_cost_change",
    "homicides_averted",
    "homicides_averted_ci90_low",
    "homicides_averted_ci90_high",
    "victimisations_averted",
    "victimisations_averted_ci90_low",
    "victimisations_averted_ci90_high",
    "cost_per_homicide_averted",
    "cost_per_victimisation_averted",
    "net_cost",
    "net_cost_ci90_low",
    "net_cost_ci90_high",
    "net_cost_per_homicide_averted",
    "net_cost_per_homicide_averted_ci90_low",
    "net_cost_per_homicide_averted_ci90_high",
    "discount_rate",
];

/// `comparison.csv`: one line per row.
pub fn comparison_table(rows: &[ComparisonRow]) -> Table {
    let mut t = Table::new("", COMPARISON_COLUMNS);
    let f = |x: f64| Cell::Number(x);
    let opt = |x: Option<f64>| Cell::from(x);
    for r in rows {
        let c = &r.costs;
        let e = &r.effect;
        let detected = if e.n < 2 {
            ""
        } else if r.effect_detected() {
            "yes"
        } else {
            "no"
        };
        t.push([
            Cell::from(r.arm.as_str()),
            Cell::from(r.indicator),
            r.year.into(),
            e.n.into(),
            f(r.baseline.mean),
            f(r.arm_value.mean),
            f(e.mean),
            f(e.ci90.0),
            f(e.ci90.1),
            Cell::from(detected),
            f(e.bands[0]),
            f(e.bands[4]),
            f(c.intervention_cost.mean),
            f(c.justice_cost_change.mean),
            f(c.homicides_averted.mean),
            f(c.homicides_averted.ci90.0),
            f(c.homicides_averted.ci90.1),
            f(c.victimisations_averted.mean),
            f(c.victimisations_averted.ci90.0),
            f(c.victimisations_averted.ci90.1),
            opt(c.per_homicide_averted()),
            opt(c.per_victimisation_averted()),
            f(c.net_cost.mean),
            f(c.net_cost.ci90.0),
            f(c.net_cost.ci90.1),
            opt(c.net_per_homicide.map(|r| r.0)),
            opt(c.net_per_homicide.map(|r| r.1)),
            opt(c.net_per_homicide.map(|r| r.2)),
            f(c.discount_rate),
        ]);
    }
    t
}
