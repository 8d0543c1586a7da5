//! Precision on demand: `--reps auto --precision 2%` runs replications in batches until the
//! 90% confidence interval of every headline indicator (for `run`) or of every arm's effect on
//! it (for `compare`) is within the target, at each checkpoint year, or `--max-reps` is
//! reached; the precision reached is printed and recorded in `run.json`.
//!
//! For a level, the half-width is taken relative to the level; for an effect, relative to the
//! baseline's level (an effect near zero has no meaningful relative precision of its own).

use serde::Serialize;
use sim_core::Outcome;
use sim_core::indicators::YEAR_COLUMNS;
use sim_core::stats::{MIN_REPLICATIONS, summarise};

use crate::error::{CliError, CliResult};
use crate::limits::MAX_REPLICATIONS;

/// The indicators whose precision `--precision` controls: the SDG 16 headlines and the prison
/// population.
pub const HEADLINE: &[&str] = &[
    "homicide_rate_per_100k",
    "violence_prevalence_pct",
    "reporting_rate_pct",
    "trafficking_detected_per_100k",
    "unsentenced_share_pct",
    "prison_population_per_100k",
];

/// How many replications to run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Replications {
    /// Exactly this many.
    Fixed(u32),
    /// In batches until `target` (relative half-width of the 90% CI) or `max` replications.
    Auto {
        /// Relative half-width wanted, e.g. 0.02.
        target: f64,
        /// Most replications.
        max: u32,
    },
}

/// Reads `--reps N|auto`, `--precision P%` and `--max-reps N`; `default` when `--reps` is not
/// given and no precision is asked for.
pub fn replications(
    reps: Option<&str>,
    precision: Option<&str>,
    max_reps: u32,
    default: u32,
) -> CliResult<Replications> {
    let target = precision.map(parse_precision).transpose()?;
    match (reps, target) {
        (Some("auto"), t) | (None, t @ Some(_)) => {
            let target = t.ok_or_else(|| {
                CliError::BadInput(
                    "--reps auto: needs --precision, e.g. --precision 2% (the 90% confidence \
                     interval of each headline indicator within 2% of its level)"
                        .into(),
                )
            })?;
            crate::limits::replications("--max-reps", max_reps)?;
            if max_reps < MIN_REPLICATIONS as u32 {
                return Err(CliError::BadInput(format!(
                    "--max-reps {max_reps}: must be at least {MIN_REPLICATIONS} for --reps auto"
                )));
            }
            Ok(Replications::Auto {
                target,
                max: max_reps,
            })
        }
        (Some(n), None) => {
            let n: u32 = n.parse().map_err(|_| {
                CliError::BadInput(format!(
                    "--reps {}: must be a whole number from 1 to {MAX_REPLICATIONS}, or auto",
                    sim_core::params::clip(n)
                ))
            })?;
            Ok(Replications::Fixed(crate::limits::replications(
                "--reps", n,
            )?))
        }
        (Some(n), Some(_)) => Err(CliError::BadInput(format!(
            "--reps {}: --precision goes with --reps auto",
            sim_core::params::clip(n)
        ))),
        (None, None) => Ok(Replications::Fixed(default)),
    }
}

/// Parses `2%` or `0.02` into 0.02; between 0.01% and 50%.
pub fn parse_precision(s: &str) -> CliResult<f64> {
    let bad = || {
        CliError::BadInput(format!(
            "--precision {}: must be a percentage between 0.01% and 50%, e.g. 2%",
            sim_core::params::clip(s)
        ))
    };
    let x = match s.trim().strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map_err(|_| bad())? / 100.0,
        None => s.trim().parse::<f64>().map_err(|_| bad())?,
    };
    if (0.0001..=0.5).contains(&x) {
        Ok(x)
    } else {
        Err(bad())
    }
}

/// The precision reached for one indicator in one year.
#[derive(Clone, Debug, Serialize)]
pub struct Reached {
    /// Arm (`baseline` for a level; the arm's name for an effect).
    pub arm: String,
    /// Indicator column.
    pub indicator: String,
    /// Checkpoint year.
    pub year: i32,
    /// Half-width of the 90% CI, as a share of the (baseline) level.
    pub relative_half_width: f64,
    /// Whether it is within the target.
    pub met: bool,
}

/// Values of column `indicator` in `year` over replications.
fn values(outcomes: &[Outcome], indicator: &str, year: i32, scale: f64) -> Vec<f64> {
    crate::scorecard::values(outcomes, indicator, year, scale)
}

/// Relative half-width of `hw` against `level`; zero when both are zero (nothing to resolve).
fn relative(hw: f64, level: f64) -> f64 {
    if hw == 0.0 {
        0.0
    } else if level.abs() > 0.0 {
        hw / level.abs()
    } else {
        f64::INFINITY
    }
}

/// Precision of the headline levels of one arm.
pub fn of_levels(outcomes: &[Outcome], years: &[i32], target: f64, scale: f64) -> Vec<Reached> {
    let mut out = Vec::new();
    for &year in years {
        for &ind in HEADLINE {
            let s = summarise(&values(outcomes, ind, year, scale));
            if s.n == 0 || s.mean.is_nan() {
                continue;
            }
            let r = relative(s.half_width(), s.mean);
            out.push(Reached {
                arm: "baseline".into(),
                indicator: ind.to_string(),
                year,
                relative_half_width: r,
                met: r <= target,
            });
        }
    }
    out
}

/// Precision of every arm's effect on the headlines, relative to the baseline level.
pub fn of_effects(
    arms: &[(&str, &[Outcome])],
    years: &[i32],
    target: f64,
    scale: f64,
) -> Vec<Reached> {
    let (_, base) = arms[0];
    let mut out = Vec::new();
    for (name, outcomes) in &arms[1..] {
        for &year in years {
            for &ind in HEADLINE {
                let b = values(base, ind, year, scale);
                let a = values(outcomes, ind, year, scale);
                if b.is_empty() || a.len() != b.len() {
                    continue;
                }
                let d: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x - y).collect();
                let (effect, level) = (summarise(&d), summarise(&b));
                if effect.n == 0 || level.mean.is_nan() {
                    continue;
                }
                let r = relative(effect.half_width(), level.mean);
                out.push(Reached {
                    arm: name.to_string(),
                    indicator: ind.to_string(),
                    year,
                    relative_half_width: r,
                    met: r <= target,
                });
            }
        }
    }
    out
}

/// How many replications to add after `n`: enough, by the square-root law, for the worst
/// half-width to reach the target, at least 5 and at most doubling at a time; 0 when met.
pub fn more_needed(n: u32, reached: &[Reached], target: f64, max: u32) -> u32 {
    let worst = reached
        .iter()
        .map(|r| r.relative_half_width)
        .fold(0.0f64, f64::max);
    if n >= max || (n as usize >= MIN_REPLICATIONS && worst <= target) {
        return 0;
    }
    if (n as usize) < MIN_REPLICATIONS {
        return (MIN_REPLICATIONS as u32 - n).min(max - n);
    }
    let wanted = if worst.is_finite() {
        (f64::from(n) * (worst / target).powi(2)).ceil() as u64
    } else {
        2 * u64::from(n)
    };
    let add = wanted.saturating_sub(u64::from(n)).clamp(5, u64::from(n)) as u32;
    add.min(max - n)
}

/// What `run.json` records about precision.
#[derive(Clone, Debug, Serialize)]
pub struct PrecisionRecord {
    /// Relative half-width asked for.
    pub target: f64,
    /// Most replications allowed.
    pub max_replications: u32,
    /// Replications run.
    pub replications: u32,
    /// Whether every headline met the target.
    pub met: bool,
    /// The worst relative half-width reached.
    pub worst: f64,
    /// Per indicator and year.
    pub reached: Vec<Reached>,
}

impl PrecisionRecord {
    /// The record of `reached` after `n` replications.
    pub fn new(target: f64, max: u32, n: u32, reached: Vec<Reached>) -> Self {
        let worst = reached
            .iter()
            .map(|r| r.relative_half_width)
            .fold(0.0f64, f64::max);
        PrecisionRecord {
            target,
            max_replications: max,
            replications: n,
            met: reached.iter().all(|r| r.met),
            worst,
            reached,
        }
    }

    /// One line for the terminal.
    pub fn summary(&self) -> String {
        let worst = self
            .reached
            .iter()
            .max_by(|a, b| a.relative_half_width.total_cmp(&b.relative_half_width));
        format!(
            "precision: {} replications; 90% CI half-width at most {:.2}% of the level{} (target {:.2}%){}",
            self.replications,
            100.0 * self.worst,
            worst.map_or(String::new(), |w| format!(
                " ({} {}{})",
                w.indicator,
                w.year,
                if w.arm == "baseline" {
                    String::new()
                } else {
                    format!(", effect of {}", w.arm)
                }
            )),
            100.0 * self.target,
            if self.met {
                String::new()
            } else {
                format!("; NOT reached within --max-reps {}", self.max_replications)
            }
        )
    }
}

/// Checkpoint years for precision: 2030 if simulated, and the last year.
pub fn checkpoint_years(start: i32, years: u32) -> Vec<i32> {
    let last = start + years as i32 - 1;
    let mut v = Vec::new();
    if (start..=last).contains(&2030) {
        v.push(2030);
    }
    if !v.contains(&last) {
        v.push(last);
    }
    v
}

/// Every headline indicator is a column of the yearly table.
pub fn headline_columns_exist() -> bool {
    HEADLINE
        .iter()
        .all(|h| YEAR_COLUMNS.iter().any(|c| c.name == *h))
}

/// Runs replications of every parameter set in batches until `measure` says every headline is
/// within `target` or `max` replications are done. `watch` is told of each run and, after each
/// batch, of the replications so far and the worst half-width.
pub fn run_to_precision(
    sets: &[sim_core::ModelParams],
    target: f64,
    max: u32,
    estimator: sim_core::indicators::Estimator,
    measure: &dyn Fn(&[Vec<Outcome>]) -> Vec<Reached>,
    watch: &dyn crate::simulate::Watch,
) -> CliResult<(Vec<Vec<Outcome>>, PrecisionRecord)> {
    let mut all: Vec<Vec<Outcome>> = sets.iter().map(|_| Vec::new()).collect();
    let mut n = 0u32;
    let mut reached = Vec::new();
    loop {
        let add = more_needed(n, &reached, target, max);
        if add == 0 {
            break;
        }
        let runs = crate::replicate::run_range(sets, n..n + add, watch)?;
        for (set, mut more) in all.iter_mut().zip(runs) {
            for o in &mut more {
                o.use_estimator(estimator);
            }
            set.extend(more);
        }
        n += add;
        reached = measure(&all);
        let worst = reached
            .iter()
            .map(|r| r.relative_half_width)
            .fold(0.0f64, f64::max);
        watch.batch(n, worst);
    }
    Ok((all, PrecisionRecord::new(target, max, n, reached)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_and_reps_parse_and_bad_ones_are_refused() {
        assert_eq!(parse_precision("2%").unwrap(), 0.02);
        assert_eq!(parse_precision("0.05").unwrap(), 0.05);
        assert!(parse_precision("0%").is_err() && parse_precision("x").is_err());
        assert_eq!(
            replications(Some("auto"), Some("1%"), 100, 1).unwrap(),
            Replications::Auto {
                target: 0.01,
                max: 100
            }
        );
        assert_eq!(
            replications(None, Some("1%"), 100, 1).unwrap(),
            Replications::Auto {
                target: 0.01,
                max: 100
            }
        );
        assert_eq!(
            replications(Some("7"), None, 100, 1).unwrap(),
            Replications::Fixed(7)
        );
        assert_eq!(
            replications(None, None, 100, 10).unwrap(),
            Replications::Fixed(10)
        );
        assert!(replications(Some("auto"), None, 100, 1).is_err());
        assert!(replications(Some("7"), Some("1%"), 100, 1).is_err());
        assert!(replications(Some("auto"), Some("1%"), 3, 1).is_err());
        assert!(headline_columns_exist());
    }

    fn reached(r: f64) -> Reached {
        Reached {
            arm: "baseline".into(),
            indicator: "x".into(),
            year: 2030,
            relative_half_width: r,
            met: false,
        }
    }

    #[test]
    fn batches_follow_the_square_root_law_within_bounds() {
        // Twice the target at n = 10 needs about 4 x 10 in all: add 30, capped at doubling.
        assert_eq!(more_needed(10, &[reached(0.04)], 0.02, 1000), 10);
        // Slightly above the target: at least 5 more.
        assert_eq!(more_needed(10, &[reached(0.021)], 0.02, 1000), 5);
        // Met: none. Below 5 replications: up to 5 first.
        assert_eq!(more_needed(10, &[reached(0.019)], 0.02, 1000), 0);
        assert_eq!(more_needed(1, &[reached(0.0)], 0.02, 1000), 4);
        // The cap stops it.
        assert_eq!(more_needed(40, &[reached(0.5)], 0.02, 50), 10);
        assert_eq!(more_needed(50, &[reached(0.5)], 0.02, 50), 0);
    }
}
