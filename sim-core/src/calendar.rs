//! The calendar resource: which month the simulation is in.

use bevy_ecs::prelude::Resource;

use crate::person::MonthNo;

/// Keys of the burn-in's months start here: far above any simulated month and below the
/// set-up's keys (`u32::MAX - k`), so no draw of the burn-in repeats a draw of the run.
const BURN_IN_KEYS: u32 = 0x8000_0000;

/// The current simulated month. Written only by [`crate::Simulation`] after the Metrics
/// stage; every system reads it.
///
/// A run may begin with a justice burn-in (`justice.burn_in_years`): months before the start,
/// simulated while `before_start > 0` to let the justice stocks fill from the model's own
/// flows. During it `month_index` stays 0 and [`Calendar::now`] is negative.
#[derive(Resource, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Calendar {
    /// Months since the start (0 = January of `start_year`).
    pub month_index: u32,
    /// First simulated calendar year.
    pub start_year: i32,
    /// Months of burn-in still to simulate before the start (0 once the run has started).
    pub before_start: u32,
}

impl Calendar {
    /// The calendar at the beginning of a run with `burn_in_months` before `start_year`.
    pub fn new(start_year: i32, burn_in_months: u32) -> Self {
        Calendar {
            month_index: 0,
            start_year,
            before_start: burn_in_months,
        }
    }

    /// Calendar year of the current month.
    pub fn year(&self) -> i32 {
        self.start_year + i32::from(self.now()).div_euclid(12)
    }

    /// Calendar month of the current month, 1-12.
    pub fn month_of_year(&self) -> u32 {
        i32::from(self.now()).rem_euclid(12) as u32 + 1
    }

    /// The current month as a [`MonthNo`] for person fields (negative in the burn-in).
    pub fn now(&self) -> MonthNo {
        (i64::from(self.month_index) - i64::from(self.before_start)) as MonthNo
    }

    /// Year index since the start (0 for the first year).
    pub fn year_index(&self) -> u32 {
        self.month_index / 12
    }

    /// Whether this month is part of the burn-in before the start.
    pub fn in_burn_in(&self) -> bool {
        self.before_start > 0
    }

    /// The month number random draws are keyed by: the month index from the start, and for
    /// burn-in months a range of their own.
    pub fn key(&self) -> u32 {
        if self.before_start > 0 {
            BURN_IN_KEYS + self.before_start
        } else {
            self.month_index
        }
    }

    /// Moves to the next month.
    pub fn advance(&mut self) {
        if self.before_start > 0 {
            self.before_start -= 1;
        } else {
            self.month_index += 1;
        }
    }
}

/// Run condition: the month is past the burn-in (demography, climate and interventions only run
/// then).
pub(crate) fn after_start(calendar: bevy_ecs::prelude::Res<Calendar>) -> bool {
    !calendar.in_burn_in()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_map_to_calendar_dates() {
        let c = Calendar {
            month_index: 13,
            start_year: 2025,
            before_start: 0,
        };
        assert_eq!((c.year(), c.month_of_year(), c.year_index()), (2026, 2, 1));
    }

    /// The burn-in's months come before the start: negative, in earlier years, and keyed apart
    /// from every month of the run.
    #[test]
    fn burn_in_months_precede_the_start() {
        let mut c = Calendar::new(2002, 24);
        assert_eq!((c.now(), c.year(), c.month_of_year()), (-24, 2000, 1));
        let mut keys = std::collections::HashSet::new();
        for _ in 0..24 {
            assert!(c.in_burn_in());
            assert!(keys.insert(c.key()));
            c.advance();
        }
        assert_eq!((c.now(), c.year(), c.month_index), (0, 2002, 0));
        assert!(!c.in_burn_in());
        for _ in 0..36 {
            assert!(
                keys.insert(c.key()),
                "month {} reuses a burn-in key",
                c.now()
            );
            c.advance();
        }
        assert_eq!(c.year(), 2005);
    }
}
