//! The scorecard (docs/model.md section 6): per target, the value in the target year over
//! replications (the mean with its 90% confidence interval, and the 5-95% range of single
//! runs), whether the mean is on track, and the probability of meeting it (the share of
//! replications that do).
//!
//! With fewer than [`MIN_REPLICATIONS`] replications an interval or a share of replications
//! says nothing: the line then gives the value and says that it needs at least 5 replications,
//! never a zero-width range or a probability of 0 or 100%.

use scenarios::targets::Target;
use serde::Serialize;
use sim_core::Outcome;
use sim_core::indicators::YEAR_COLUMNS;
use sim_core::stats::{MIN_REPLICATIONS, summarise};

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
    /// Replications with a value.
    pub replications: usize,
    /// Mean across replications (null when the year is not simulated).
    pub mean: Option<f64>,
    /// 90% confidence interval of the mean (null with fewer than 5 replications).
    pub ci90_low: Option<f64>,
    /// See `ci90_low`.
    pub ci90_high: Option<f64>,
    /// 5th percentile of single runs (null with fewer than 5 replications).
    pub q05: Option<f64>,
    /// 95th percentile of single runs.
    pub q95: Option<f64>,
    /// `on track` or `off track` (by the mean), or `not simulated`.
    pub status: &'static str,
    /// Share of replications meeting the target (null with fewer than 5 replications).
    pub probability: Option<f64>,
    /// What the line cannot say, when it cannot (too few replications).
    pub note: String,
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
            let s = summarise(&v);
            let simulated = s.n > 0;
            let enough = s.n >= MIN_REPLICATIONS;
            let met = v.iter().filter(|x| t.direction.met(**x, threshold)).count();
            let when = |x: f64| (enough && x.is_finite()).then_some(x);
            ScoreLine {
                arm: arm.to_string(),
                indicator: t.indicator.clone(),
                year: t.year,
                target: t.statement(),
                description: t.description.clone(),
                threshold,
                direction: t.direction.word(),
                replications: s.n,
                mean: simulated.then_some(s.mean),
                ci90_low: when(s.ci90.0),
                ci90_high: when(s.ci90.1),
                q05: when(s.bands[0]),
                q95: when(s.bands[4]),
                status: match simulated.then_some(s.mean) {
                    None => "not simulated",
                    Some(m) if t.direction.met(m, threshold) => "on track",
                    Some(_) => "off track",
                },
                probability: (enough && simulated).then(|| met as f64 / v.len() as f64),
                note: if simulated && !enough {
                    format!(
                        "needs >= {MIN_REPLICATIONS} replications for an interval and a probability"
                    )
                } else {
                    String::new()
                },
            }
        })
        .collect()
}

/// `scorecard.md`: one table for all arms.
pub fn markdown(lines: &[ScoreLine]) -> String {
    let mut out = String::from(
        "# Scorecard\n\nValue in the target year: the mean across replications with its 90% \
         confidence interval (how precisely the model's expectation is known), and the 5-95% \
         range of single runs (how different one future could be). On track when the mean meets \
         the target; probability = share of replications meeting it. Intervals and \
         probabilities need at least 5 replications.\n\n\
         | arm | target | mean | 90% CI of the mean | 5-95% of single runs | status | probability |\n\
         |---|---|---|---|---|---|---|\n",
    );
    let f = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{v:.2}"));
    let range = |a: Option<f64>, b: Option<f64>, note: &str| match (a, b) {
        (Some(a), Some(b)) => format!("{a:.2} to {b:.2}"),
        _ if !note.is_empty() => note.to_string(),
        _ => "-".to_string(),
    };
    for l in lines {
        out.push_str(&format!(
            "| {} | {}{} | {} | {} | {} | {} | {} |\n",
            l.arm,
            l.target,
            if l.description.is_empty() {
                String::new()
            } else {
                format!(" ({})", l.description)
            },
            f(l.mean),
            range(l.ci90_low, l.ci90_high, &l.note),
            range(l.q05, l.q95, &l.note),
            l.status,
            l.probability.map_or_else(
                || if l.note.is_empty() {
                    "-".into()
                } else {
                    l.note.clone()
                },
                |p| format!("{:.0}%", 100.0 * p)
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> Target {
        scenarios::builtin("coastal-middle-income")
            .unwrap()
            .targets
            .into_iter()
            .next()
            .unwrap()
    }

    fn outcome_with(value: f64, t: &Target) -> Outcome {
        let p = {
            let mut p = sim_core::ModelParams::baseline();
            p.scenario.agents = 200;
            p.scenario.years = 1;
            p
        };
        let mut o = sim_core::Simulation::new(p).unwrap().run_to_end();
        let mut row = o.years[0].clone();
        row.year = t.year;
        let col = YEAR_COLUMNS
            .iter()
            .position(|c| c.name == t.indicator)
            .unwrap();
        // Set the target's indicator through the column dictionary's field order.
        set_field(&mut row, col, value);
        o.years = vec![row];
        o
    }

    /// Sets the value of column `col` of a year row (the columns are value columns here).
    fn set_field(row: &mut sim_core::indicators::YearRow, col: usize, value: f64) {
        match YEAR_COLUMNS[col].name {
            "homicide_rate_per_100k" => row.homicide_rate_per_100k = value,
            "unsentenced_share_pct" => row.unsentenced_share_pct = value,
            "violence_prevalence_pct" => row.violence_prevalence_pct = value,
            other => panic!("add {other} to the test"),
        }
    }

    /// Issue 13: with one replication the scorecard printed "5-95%: 11.16 to 11.16,
    /// probability 0%".
    #[test]
    fn fewer_than_five_replications_give_a_value_and_no_range_or_probability() {
        let t = target();
        let one = vec![outcome_with(11.16, &t)];
        let lines = score("baseline", std::slice::from_ref(&t), &one, 1.0);
        let l = &lines[0];
        assert_eq!(l.mean, Some(11.16));
        assert!(l.q05.is_none() && l.ci90_low.is_none() && l.probability.is_none());
        assert!(l.note.contains("needs >= 5 replications"));
        let md = markdown(&lines);
        assert!(
            !md.contains("11.16 to 11.16") && !md.contains("| 0% |"),
            "{md}"
        );
        // Five replications give both answers, and never a zero-width interval by accident.
        let five: Vec<Outcome> = [10.0, 11.0, 12.0, 11.5, 10.5]
            .iter()
            .map(|v| outcome_with(*v, &t))
            .collect();
        let l = &score("baseline", std::slice::from_ref(&t), &five, 1.0)[0];
        assert!(l.ci90_low.unwrap() < l.mean.unwrap() && l.mean.unwrap() < l.ci90_high.unwrap());
        assert!(l.q05.unwrap() < l.q95.unwrap());
        assert!(l.probability.is_some() && l.note.is_empty());
    }
}
