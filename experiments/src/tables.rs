//! Tables across replications and arms: median yearly indicators, quantile bands, paired
//! differences between arms, and intervention costs against what they avert.

use sim_core::Outcome;
use sim_core::indicators::{YEAR_COLUMNS, YearRow};
use sim_core::metrics::MonthRow;

use crate::error::CliResult;
use crate::output::{StagedDir, csv_field, fmt_cell};
use crate::replicate::quantile;

/// Quantiles written in the band tables.
pub const BANDS: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

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

/// `indicators_yearly.csv` as the median across replications.
pub fn write_median_yearly(
    dir: &StagedDir,
    file: &str,
    outcomes: &[Outcome],
    scale: f64,
) -> CliResult<()> {
    let header: Vec<&str> = YEAR_COLUMNS.iter().map(|c| c.name).collect();
    let mut text = header.join(",") + "\n";
    for year in years(outcomes) {
        let cells: Vec<String> = YEAR_COLUMNS
            .iter()
            .map(|c| {
                let v: Vec<f64> = outcomes
                    .iter()
                    .filter_map(|o| year_row(o, year))
                    .map(|y| c.value(y, scale))
                    .collect();
                fmt_cell(quantile(&v, 0.5))
            })
            .collect();
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    dir.write(file, text.as_bytes())
}

/// Rows of the long band table for one arm: `arm,year,indicator,q05,q25,q50,q75,q95`.
pub fn band_rows(arm: &str, outcomes: &[Outcome], scale: f64, out: &mut String) {
    for year in years(outcomes) {
        for c in YEAR_COLUMNS.iter().skip(1) {
            let v: Vec<f64> = outcomes
                .iter()
                .filter_map(|o| year_row(o, year))
                .map(|y| c.value(y, scale))
                .collect();
            let q: Vec<String> = BANDS.iter().map(|b| fmt_cell(quantile(&v, *b))).collect();
            out.push_str(&format!(
                "{},{year},{},{}\n",
                csv_field(arm),
                c.name,
                q.join(",")
            ));
        }
    }
}

/// Header of the band table.
pub const BAND_HEADER: &str = "arm,year,indicator,q05,q25,q50,q75,q95\n";

/// Sum of a monthly quantity from the start to the end of `year`.
fn cumulative(o: &Outcome, year: i32, f: impl Fn(&MonthRow) -> f64) -> f64 {
    o.recorder
        .months
        .iter()
        .filter(|m| m.year <= year)
        .map(f)
        .sum()
}

/// Victimisations of the kinds interventions aim to avert: homicide, assault, GBV, property,
/// trafficking (true counts).
fn victimisations(m: &MonthRow) -> f64 {
    m.flows.offences[..5].iter().sum::<u64>() as f64
}

/// `comparison.csv`: per arm, indicator and checkpoint year, the paired difference from the
/// baseline (median and 90% interval across replications), and costs against what is averted.
pub fn write_comparison(
    dir: &StagedDir,
    file: &str,
    arms: &[(&str, &[Outcome])],
    checkpoints: &[i32],
    scale: f64,
) -> CliResult<()> {
    let mut text = String::from(
        "arm,indicator,year,baseline,arm_value,difference,difference_q05,difference_q95,\
         intervention_cost,justice_cost_change,homicides_averted,victimisations_averted,\
         cost_per_homicide_averted,cost_per_victimisation_averted\n",
    );
    let (_, base) = &arms[0];
    for (name, outcomes) in &arms[1..] {
        for &year in checkpoints {
            let paired = |f: &dyn Fn(&Outcome) -> f64| -> Vec<f64> {
                outcomes
                    .iter()
                    .zip(base.iter())
                    .map(|(a, b)| f(a) - f(b))
                    .collect()
            };
            let cost: Vec<f64> = outcomes
                .iter()
                .map(|o| cumulative(o, year, |m| m.flows.intervention_cost))
                .collect();
            let justice = paired(&|o| {
                cumulative(o, year, |m| {
                    m.flows.prison_cost + m.flows.police_cost + m.flows.court_cost
                })
            });
            let homicides: Vec<f64> =
                paired(&|o| cumulative(o, year, |m| m.flows.homicide_victims as f64))
                    .iter()
                    .map(|d| -d * scale)
                    .collect();
            let victims: Vec<f64> = paired(&|o| cumulative(o, year, victimisations))
                .iter()
                .map(|d| -d * scale)
                .collect();
            let (cost_m, homicides_m, victims_m) = (
                quantile(&cost, 0.5),
                quantile(&homicides, 0.5),
                quantile(&victims, 0.5),
            );
            let per = |averted: f64| {
                if averted > 0.0 {
                    cost_m / averted
                } else {
                    f64::NAN
                }
            };
            for c in YEAR_COLUMNS.iter().skip(1) {
                let value = |o: &Outcome| year_row(o, year).map_or(f64::NAN, |y| c.value(y, scale));
                let b: Vec<f64> = base.iter().map(value).collect();
                let a: Vec<f64> = outcomes.iter().map(value).collect();
                let d: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x - y).collect();
                text.push_str(&format!(
                    "{},{},{year},{},{},{},{},{},{},{},{},{},{},{}\n",
                    csv_field(name),
                    c.name,
                    fmt_cell(quantile(&b, 0.5)),
                    fmt_cell(quantile(&a, 0.5)),
                    fmt_cell(quantile(&d, 0.5)),
                    fmt_cell(quantile(&d, 0.05)),
                    fmt_cell(quantile(&d, 0.95)),
                    fmt_cell(cost_m),
                    fmt_cell(quantile(&justice, 0.5)),
                    fmt_cell(homicides_m),
                    fmt_cell(victims_m),
                    fmt_cell(per(homicides_m)),
                    fmt_cell(per(victims_m)),
                ));
            }
        }
    }
    dir.write(file, text.as_bytes())
}
