//! The scorecard (MODEL.md section 6): per target, the value in the target year across
//! replications (median and 90% interval), whether the median is on track, and the probability
//! of meeting it (the share of replications that do).

use scenarios::targets::Target;
use serde::Serialize;
use sim_core::Outcome;
use sim_core::indicators::YEAR_COLUMNS;

use crate::replicate::quantile;

/// One line of a scorecard.
#[derive(Clone, Debug, Serialize)]
pub struct ScoreLine {
    /// Arm (`baseline` for a plain run).
    pub arm: String,
    /// Indicator column.
    pub indicator: String,
    /// Target year.
    pub year: i32,
    /// The target in words.
    pub target: String,
    /// Description from the scenario.
    pub description: String,
    /// Threshold value.
    pub threshold: f64,
    /// `down` (at most) or `up` (at least).
    pub direction: &'static str,
    /// Median across replications (null when the year is not simulated).
    pub median: Option<f64>,
    /// 5th percentile.
    pub q05: Option<f64>,
    /// 95th percentile.
    pub q95: Option<f64>,
    /// `on track`, `off track` or `not simulated`.
    pub status: &'static str,
    /// Share of replications meeting the target.
    pub probability: Option<f64>,
    /// Number of replications.
    pub replications: usize,
}

/// Values of `indicator` in `year` across replications (counts scaled to persons).
pub fn values(outcomes: &[Outcome], indicator: &str, year: i32, scale: f64) -> Vec<f64> {
    let Some(col) = YEAR_COLUMNS.iter().find(|c| c.name == indicator) else {
        return Vec::new();
    };
    outcomes
        .iter()
        .filter_map(|o| o.years.iter().find(|y| y.year == year))
        .map(|y| col.value(y, scale))
        .collect()
}

/// The scorecard of one arm.
pub fn score(arm: &str, targets: &[Target], outcomes: &[Outcome], scale: f64) -> Vec<ScoreLine> {
    targets
        .iter()
        .map(|t| {
            let v = values(outcomes, &t.indicator, t.year, scale);
            let threshold = t.threshold();
            let simulated = !v.is_empty() && v.iter().any(|x| !x.is_nan());
            let median = simulated.then(|| quantile(&v, 0.5));
            let met = v.iter().filter(|x| t.direction.met(**x, threshold)).count();
            ScoreLine {
                arm: arm.to_string(),
                indicator: t.indicator.clone(),
                year: t.year,
                target: t.statement(),
                description: t.description.clone(),
                threshold,
                direction: t.direction.word(),
                median,
                q05: simulated.then(|| quantile(&v, 0.05)),
                q95: simulated.then(|| quantile(&v, 0.95)),
                status: match median {
                    None => "not simulated",
                    Some(m) if t.direction.met(m, threshold) => "on track",
                    Some(_) => "off track",
                },
                probability: simulated.then(|| met as f64 / v.len() as f64),
                replications: v.len(),
            }
        })
        .collect()
}

/// `scorecard.md`: one table for all arms.
pub fn markdown(lines: &[ScoreLine]) -> String {
    let mut out = String::from(
        "# Scorecard\n\nValue in the target year: median across replications with the 5-95% range; \
         on track when the median meets the target; probability = share of replications meeting it.\n\n\
         | arm | target | median | 5-95% | status | probability |\n|---|---|---|---|---|---|\n",
    );
    let f = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{v:.2}"));
    for l in lines {
        out.push_str(&format!(
            "| {} | {}{} | {} | {} to {} | {} | {} |\n",
            l.arm,
            l.target,
            if l.description.is_empty() {
                String::new()
            } else {
                format!(" ({})", l.description)
            },
            f(l.median),
            f(l.q05),
            f(l.q95),
            l.status,
            l.probability
                .map_or("-".into(), |p| format!("{:.0}%", 100.0 * p)),
        ));
    }
    out
}
