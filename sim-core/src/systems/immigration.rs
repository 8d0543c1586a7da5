//! International immigration (docs/model.md section 4.3, stage 3): a Poisson number of immigrants a
//! month, with regions from the population shares and young-adult ages.
//!
//! Reads: `Params`, `Calendar`, `DemographyTables`, `Census`. Writes: `Newcomers`.
//! Stream: `Stream::Migration` (keyed by month and arrival number).

use bevy_ecs::prelude::*;

use crate::Params;
use crate::calendar::Calendar;
use crate::census::Census;
use crate::person::{MonthNo, Sex};
use crate::population::{Arrival, Newcomer, Newcomers, cumulative, pick_cumulative};
use crate::rng::{MonthKey, Stream, poisson, standard_normal};
use crate::tables::DemographyTables;

/// Oldest age at which immigrants arrive (years).
const MAX_MIGRANT_AGE: f64 = 90.0;

/// Adds this month's immigrants to the newcomers.
pub fn arrive_immigrants(
    params: Res<Params>,
    calendar: Res<Calendar>,
    tables: Res<DemographyTables>,
    census: Res<Census>,
    mut newcomers: ResMut<Newcomers>,
) {
    if tables.immigration_rate <= 0.0 {
        return;
    }
    let p = &params.0;
    let key = MonthKey::new(p.scenario.seed, Stream::Migration, calendar.key());
    let n = poisson(
        census.alive() as f64 * tables.immigration_rate,
        key,
        u32::MAX,
    );
    let regions = cumulative(p.regions.iter().map(|r| r.population_share));
    let now = calendar.now();
    for k in 0..n as u32 {
        let region = pick_cumulative(&regions, key.uniform(k, 0)) as u8;
        let sex = if key.uniform(k, 1) < 0.5 {
            Sex::Male
        } else {
            Sex::Female
        };
        // Truncated normal by resampling; the last resort clamps (vanishingly rare).
        let mut age = p.demography.migrant_mean_age;
        for attempt in 0..16 {
            let z = standard_normal(
                key.uniform(k, 2 + 2 * attempt),
                key.uniform(k, 3 + 2 * attempt),
            );
            let a = p.demography.migrant_mean_age + p.demography.migrant_age_sd * z;
            if (0.0..MAX_MIGRANT_AGE).contains(&a) {
                age = a;
                break;
            }
        }
        let age_months = (age * 12.0) as i32;
        newcomers.0.push(Newcomer {
            region,
            sex,
            birth_month: (i32::from(now) - age_months) as MonthNo,
            arrival: Arrival::Immigrant,
        });
    }
}
