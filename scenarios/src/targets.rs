//! SDG targets (docs/model.md section 6): an indicator, a year, and either a level or a change
//! against a reference value (e.g. the Pathfinders' goal to halve violent deaths by 2030 against
//! 2015).

/// Whether the target is met at or below, or at or above, its threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Met when the indicator is at most the threshold (reductions).
    AtMost,
    /// Met when the indicator is at least the threshold (increases).
    AtLeast,
}

impl Direction {
    /// `down` or `up`, as written in scenario files.
    pub fn word(self) -> &'static str {
        match self {
            Direction::AtMost => "down",
            Direction::AtLeast => "up",
        }
    }

    /// Whether `value` meets `threshold`.
    pub fn met(self, value: f64, threshold: f64) -> bool {
        match self {
            Direction::AtMost => value <= threshold,
            Direction::AtLeast => value >= threshold,
        }
    }
}

/// How a target is stated.
#[derive(Clone, Debug, PartialEq)]
pub enum Goal {
    /// An absolute level.
    Level(f64),
    /// A change in percent against a reference value observed in a reference year.
    Change {
        /// Change in percent (negative: a reduction).
        change_pct: f64,
        /// Reference value.
        reference_value: f64,
        /// Year of the reference value.
        reference_year: i32,
    },
}

/// One target of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// Column of `indicators_yearly.csv`.
    pub indicator: String,
    /// Year by which it should be met.
    pub year: i32,
    /// Level or change.
    pub goal: Goal,
    /// Met at most or at least the threshold.
    pub direction: Direction,
    /// One line for the scorecard.
    pub description: String,
    /// Where the target comes from.
    pub source: String,
}

impl Target {
    /// The value the indicator must reach.
    pub fn threshold(&self) -> f64 {
        match self.goal {
            Goal::Level(x) => x,
            Goal::Change {
                change_pct,
                reference_value,
                ..
            } => reference_value * (1.0 + change_pct / 100.0),
        }
    }

    /// A readable statement of the target.
    pub fn statement(&self) -> String {
        let op = match self.direction {
            Direction::AtMost => "<=",
            Direction::AtLeast => ">=",
        };
        let how = match self.goal {
            Goal::Level(_) => String::new(),
            Goal::Change {
                change_pct,
                reference_value,
                reference_year,
            } => format!(
                " ({change_pct:+}% against {} in {reference_year})",
                sim_core::params::fmt_num(reference_value)
            ),
        };
        format!(
            "{} {op} {:.4} by {}{how}",
            self.indicator,
            self.threshold(),
            self.year
        )
    }
}

/// Indicators a target may name: the yearly columns other than the year and population.
pub fn target_indicators() -> impl Iterator<Item = &'static str> {
    sim_core::indicators::YEAR_COLUMNS
        .iter()
        .map(|c| c.name)
        .filter(|n| *n != "year" && *n != "population")
}
