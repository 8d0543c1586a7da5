//! Region-level conditions that vary month by month and feed behaviour: the temperature anomaly
//! (climate stage) and national prison occupancy (prisons stage).

use bevy_ecs::prelude::Resource;

use crate::params::MAX_REGIONS;

/// Conditions of the current month by region. Written by the Climate stage (temperature) and
/// the Prisons stage (occupancy); read by offending and in-custody mortality.
#[derive(Resource, Clone, Debug)]
pub struct RegionConditions {
    /// Monthly temperature anomaly (standard deviations of the month's climatology).
    pub temperature_anomaly: [f64; MAX_REGIONS],
    /// National prison occupancy at the end of last month (prisoners per bed).
    pub national_occupancy: f64,
    /// Whether a heatwave hits the region this month.
    pub heatwave: [bool; MAX_REGIONS],
}

impl RegionConditions {
    /// A month with no temperature anomaly at the given occupancy.
    pub fn calm(occupancy: f64) -> Self {
        RegionConditions {
            temperature_anomaly: [0.0; MAX_REGIONS],
            national_occupancy: occupancy,
            heatwave: [false; MAX_REGIONS],
        }
    }
}
