//! The calendar resource: which month the simulation is in.

use bevy_ecs::prelude::Resource;

use crate::person::MonthNo;

/// The current simulated month. Written only by [`crate::Simulation::step`] after the Metrics
/// stage; every system reads it.
#[derive(Resource, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Calendar {
    /// Months since the start (0 = January of `start_year`).
    pub month_index: u32,
    /// First simulated calendar year.
    pub start_year: i32,
}

impl Calendar {
    /// Calendar year of the current month.
    pub fn year(&self) -> i32 {
        self.start_year + (self.month_index / 12) as i32
    }

    /// Calendar month of the current month, 1-12.
    pub fn month_of_year(&self) -> u32 {
        self.month_index % 12 + 1
    }

    /// The current month as a [`MonthNo`] for person fields.
    pub fn now(&self) -> MonthNo {
        self.month_index as MonthNo
    }

    /// Year index since the start (0 for the first year).
    pub fn year_index(&self) -> u32 {
        self.month_index / 12
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_map_to_calendar_dates() {
        let c = Calendar {
            month_index: 13,
            start_year: 2025,
        };
        assert_eq!((c.year(), c.month_of_year(), c.year_index()), (2026, 2, 1));
    }
}
