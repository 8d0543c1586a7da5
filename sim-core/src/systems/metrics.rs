//! Metrics (stage 14): turns the month's tallies and the census into a [`MonthRow`] and the
//! monthly histograms, then resets the tallies. No behaviour happens here, and no person is
//! scanned: the census is kept current by the events that change it.
//!
//! Reads: every stage's `MonthTally`, `Census`. Writes: `Recorder`, `MonthTally` (reset).

use bevy_ecs::prelude::*;

use crate::calendar::Calendar;
use crate::census::Census;
use crate::metrics::{AGE_BINS, MonthRow, MonthTally, Recorder};

/// Records the month and resets the tallies.
pub fn record_month(
    calendar: Res<Calendar>,
    census: Res<Census>,
    mut tally: ResMut<MonthTally>,
    mut recorder: ResMut<Recorder>,
) {
    let hist = census.age_hist(calendar.now());
    let (mut male, mut old) = (0u64, 0u64);
    for (i, &n) in hist.iter().enumerate() {
        let n = u64::from(n);
        if (i / AGE_BINS).is_multiple_of(2) {
            male += n;
        }
        if i % AGE_BINS >= 60 {
            old += n;
        }
    }
    let f = tally.flows;
    recorder.months.push(MonthRow {
        year: calendar.year(),
        month: calendar.month_of_year(),
        population: census.alive(),
        population_male: male,
        population_60plus: old,
        births: f.births,
        deaths: f.deaths,
        immigrants: f.immigrants,
        emigrants: f.emigrants,
    });
    recorder.population.push(hist);
    recorder.deaths.push(tally.deaths_by_age.clone());
    recorder.births_by_mother_age.push(f.births_by_mother_age);
    tally.reset();
}
