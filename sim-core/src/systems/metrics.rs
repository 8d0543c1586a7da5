//! Metrics (stage 14): counts the living population by region, sex and age, turns the month's
//! tallies into a [`MonthRow`], and resets the tallies. No behaviour happens here.
//!
//! Reads: every stage's `MonthTally`, `Demographics`. Writes: `Recorder`, `Census`,
//! `MonthTally` (reset).

use bevy_ecs::prelude::*;
use rayon::prelude::*;

use crate::calendar::Calendar;
use crate::metrics::{
    AGE_BINS, AgeHist, Census, EMPTY_HIST, MonthRow, MonthTally, Recorder, add_hist, hist_index,
};
use crate::par::CHUNK;
use crate::params::MAX_REGIONS;
use crate::person::{Demographics, Slot};

/// Records the month and resets the tallies.
pub fn record_month(
    calendar: Res<Calendar>,
    mut tally: ResMut<MonthTally>,
    mut recorder: ResMut<Recorder>,
    mut census: ResMut<Census>,
    persons: Query<&Demographics>,
) {
    let now = calendar.now();
    let mut hist: Box<AgeHist> = Box::new(EMPTY_HIST);
    if let Some(demo) = persons
        .contiguous_iter()
        .expect("person queries are dense")
        .next()
    {
        let parts: Vec<Box<AgeHist>> = demo
            .par_chunks(CHUNK)
            .map(|demo| {
                let mut h: Box<AgeHist> = Box::new(EMPTY_HIST);
                for d in demo {
                    if d.slot == Slot::Alive {
                        h[hist_index(d.region, d.sex.index(), d.age_years(now))] += 1;
                    }
                }
                h
            })
            .collect();
        for part in &parts {
            add_hist(&mut hist, part);
        }
    }
    let mut by_region = [0u64; MAX_REGIONS];
    let (mut male, mut old) = (0u64, 0u64);
    for (i, &n) in hist.iter().enumerate() {
        let n = u64::from(n);
        by_region[i / (2 * AGE_BINS)] += n;
        if (i / AGE_BINS) % 2 == 0 {
            male += n;
        }
        if i % AGE_BINS >= 60 {
            old += n;
        }
    }
    let alive: u64 = by_region.iter().sum();
    let f = tally.flows;
    recorder.months.push(MonthRow {
        year: calendar.year(),
        month: calendar.month_of_year(),
        population: alive,
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
    *census = Census { alive, by_region };
    tally.reset();
}
