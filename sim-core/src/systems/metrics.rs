//! Metrics (stage 14): turns the month's tallies and the census into a [`MonthRow`] and the
//! monthly histograms, then resets the tallies. No behaviour happens here, and no person is
//! scanned: the census is kept current by the events that change it.
//!
//! Reads: every stage's `MonthTally`, `Census`. Writes: `Recorder`, `MonthTally` (reset).

use bevy_ecs::prelude::*;

use crate::calendar::Calendar;
use crate::census::Census;
use crate::metrics::{
    AGE_BINS, DISPOSITION_BINS, ExpectedGroups, GROUPS, GroupCounts, GroupStocks, MonthRow,
    MonthTally, Recorder, YearRecord, group_indices, hist_index,
};
use crate::pool::VictimPool;

/// Adds the month to the current year's record and closes the year in December.
fn accumulate_year(
    calendar: &Calendar,
    census: &Census,
    pool: Option<&VictimPool>,
    tally: &MonthTally,
    recorder: &mut Recorder,
    regions: usize,
) {
    let year = recorder.current_year.get_or_insert_with(|| YearRecord {
        year: calendar.year(),
        groups: GroupCounts::default(),
        expected_groups: ExpectedGroups::default(),
        offences_by_age: [0; AGE_BINS],
        disposition_months: vec![0; DISPOSITION_BINS],
        end: GroupStocks::default(),
        population: [0; GROUPS],
    });
    year.groups.merge(&tally.groups);
    year.expected_groups.merge(&tally.expected_groups);
    for (a, b) in year.offences_by_age.iter_mut().zip(&tally.offences_by_age) {
        *a += b;
    }
    for m in &tally.disposition_months {
        year.disposition_months[*m as usize] += 1;
    }
    if calendar.month_of_year() == 12 {
        year.end = tally.group_stocks.clone();
        year.population = population_by_group(census, pool, calendar, regions);
        let done = recorder.current_year.take().expect("just filled");
        recorder.years.push(done);
    }
}

/// Living population by group. The displacement dimension counts free people from the victim
/// pool (which knows who is displaced); people in custody are counted as not displaced.
fn population_by_group(
    census: &Census,
    pool: Option<&VictimPool>,
    calendar: &Calendar,
    regions: usize,
) -> [u64; GROUPS] {
    let hist = census.age_hist(calendar.now());
    let mut out = [0u64; GROUPS];
    for r in 0..regions {
        for sex in 0..2 {
            for age in 0..AGE_BINS as u32 {
                let n = u64::from(hist[hist_index(r as u8, sex, age)]);
                if n == 0 {
                    continue;
                }
                for g in group_indices(sex, age, r as u8, false) {
                    out[g] += n;
                }
            }
        }
    }
    if let Some(pool) = pool {
        let displaced_group = group_indices(0, 0, 0, true)[3];
        for (_, _, _, displaced, n) in pool.classes(calendar.now()) {
            if displaced {
                out[displaced_group] += n;
                out[displaced_group - 1] -= n;
            }
        }
    }
    out
}

/// Number of regions, for the Metrics stage.
#[derive(Resource, Clone, Copy, Debug)]
pub struct RegionCount(pub usize);

/// Records the month and resets the tallies.
pub fn record_month(
    calendar: Res<Calendar>,
    regions: Res<RegionCount>,
    census: Res<Census>,
    pool: Option<Res<VictimPool>>,
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
        flows: f,
        stocks: tally.stocks,
    });
    recorder.population.push(hist);
    recorder.deaths.push(tally.deaths_by_age.clone());
    recorder.births_by_mother_age.push(f.births_by_mother_age);
    accumulate_year(
        &calendar,
        &census,
        pool.as_deref(),
        &tally,
        &mut recorder,
        regions.0,
    );
    tally.reset();
}
