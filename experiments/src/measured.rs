//! The statistical system's view of a run: `survey.csv`, the crime victimisation survey's
//! estimates with their standard errors beside the true values.

use sim_core::Outcome;
use sim_core::survey::SURVEY_INDICATORS;
use viz::results::{Cell, Table};

/// Two-sided 95% normal quantile: surveys publish 95% confidence intervals.
const Z95: f64 = 1.959_963_984_540_054;

/// `survey.csv`: every arm's, replication's and year's survey estimates (empty when no arm ran
/// a survey).
pub fn survey_table(arms: &[(&str, &[Outcome])]) -> Option<Table> {
    let mut t = Table::new(
        "",
        &[
            "arm",
            "replication",
            "year",
            "indicator",
            "estimate",
            "standard_error",
            "ci95_low",
            "ci95_high",
            "true_value",
            "base_respondents",
            "respondents",
            "issued",
        ],
    );
    let mut any = false;
    for (arm, outcomes) in arms {
        for (rep, o) in outcomes.iter().enumerate() {
            for s in &o.recorder.surveys {
                for (name, e) in SURVEY_INDICATORS.iter().zip(&s.estimates) {
                    any = true;
                    t.push([
                        Cell::from(*arm),
                        Cell::from(rep + 1),
                        s.year.into(),
                        Cell::from(*name),
                        e.value.into(),
                        e.se.into(),
                        (e.value - Z95 * e.se).into(),
                        (e.value + Z95 * e.se).into(),
                        e.truth.into(),
                        Cell::Number(f64::from(e.base)),
                        Cell::Number(f64::from(s.respondents)),
                        Cell::Number(f64::from(s.issued)),
                    ]);
                }
            }
        }
    }
    any.then_some(t)
}
