//! Plain-data results handed across the model boundary: one [`MonthRow`] per month, age
//! histograms, and the column dictionary that names and documents every output column.
//!
//! **Architecture Invariant:** counts in a [`MonthRow`] are agents; [`Column::value`] turns them
//! into real-person equivalents with the run's scale, so rates and published counts are computed
//! on real persons (MODEL.md section 1) while accounting tests can work on exact integers.

use bevy_ecs::prelude::Resource;

use crate::params::MAX_REGIONS;

/// Single years of age kept in histograms; the last bin is 100 and over.
pub const AGE_BINS: usize = 101;

/// Index of (region, sex, age in years) in a flattened [`AgeHist`].
#[inline(always)]
pub fn hist_index(region: u8, sex: usize, age_years: u32) -> usize {
    ((region as usize) * 2 + sex) * AGE_BINS + (age_years as usize).min(AGE_BINS - 1)
}

/// Counts by region, sex and single year of age (flattened, see [`hist_index`]).
pub type AgeHist = [u32; MAX_REGIONS * 2 * AGE_BINS];

/// An empty histogram.
pub const EMPTY_HIST: AgeHist = [0; MAX_REGIONS * 2 * AGE_BINS];

/// Adds `b` into `a`, element by element.
pub fn add_hist(a: &mut AgeHist, b: &AgeHist) {
    for (x, y) in a.iter_mut().zip(b.iter()) {
        *x += *y;
    }
}

/// Sums a histogram over regions and sexes for ages `lo..=hi`.
pub fn hist_sum(h: &AgeHist, regions: usize, sexes: &[usize], lo: u32, hi: u32) -> u64 {
    let mut s = 0u64;
    for r in 0..regions {
        for &sex in sexes {
            for age in lo..=hi.min(AGE_BINS as u32 - 1) {
                s += u64::from(h[hist_index(r as u8, sex, age)]);
            }
        }
    }
    s
}

/// The month's flow counts (agents), filled by the stages.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Flows {
    /// Live births.
    pub births: u64,
    /// Deaths (all causes, all places).
    pub deaths: u64,
    /// Immigrants placed.
    pub immigrants: u64,
    /// Emigrants removed.
    pub emigrants: u64,
    /// Births by mother's 5-year age group 15-19 ... 45-49.
    pub births_by_mother_age: [u64; 7],
}

/// The month's counters, written by the behaviour stages and read (then reset) by Metrics.
#[derive(Resource, Clone, Debug)]
pub struct MonthTally {
    /// Flow counts.
    pub flows: Flows,
    /// Deaths by region, sex and age.
    pub deaths_by_age: Box<AgeHist>,
}

impl MonthTally {
    /// All counters at zero.
    pub fn new() -> Self {
        MonthTally {
            flows: Flows::default(),
            deaths_by_age: Box::new(EMPTY_HIST),
        }
    }

    /// Clears every counter, keeping the histogram's allocation.
    pub fn reset(&mut self) {
        self.flows = Flows::default();
        self.deaths_by_age.fill(0);
    }
}

impl Default for MonthTally {
    fn default() -> Self {
        Self::new()
    }
}

/// One month of results, in agents (see the module doc).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MonthRow {
    /// Calendar year.
    pub year: i32,
    /// Calendar month 1-12.
    pub month: u32,
    /// Living agents at the end of the month.
    pub population: u64,
    /// Living male agents.
    pub population_male: u64,
    /// Living agents aged 60 and over.
    pub population_60plus: u64,
    /// Live births in the month.
    pub births: u64,
    /// Deaths in the month.
    pub deaths: u64,
    /// Immigrants in the month.
    pub immigrants: u64,
    /// Emigrants in the month.
    pub emigrants: u64,
}

/// How a column's value relates to the stored number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// A count of agents, reported in real-person equivalents (times the run's scale).
    Count,
    /// A value reported as stored (dates, rates, shares).
    Value,
}

/// One output column: its name, unit, meaning and how to read it from a row.
#[derive(Clone, Copy)]
pub struct Column<R> {
    /// snake_case name with its unit.
    pub name: &'static str,
    /// Unit.
    pub unit: &'static str,
    /// What the column means.
    pub meaning: &'static str,
    /// Count (scaled) or value.
    pub measure: Measure,
    /// Reads the raw number from a row.
    pub get: fn(&R) -> f64,
}

impl<R> Column<R> {
    /// The reported value: counts times `scale`, other values as stored.
    pub fn value(&self, row: &R, scale: f64) -> f64 {
        let v = (self.get)(row);
        match self.measure {
            Measure::Count => v * scale,
            Measure::Value => v,
        }
    }
}

macro_rules! count {
    ($name:literal, $field:ident, $meaning:literal) => {
        Column {
            name: $name,
            unit: "persons",
            meaning: $meaning,
            measure: Measure::Count,
            get: |r: &MonthRow| r.$field as f64,
        }
    };
}

/// The columns of `timeseries.csv`, in order.
pub static MONTH_COLUMNS: &[Column<MonthRow>] = &[
    Column {
        name: "year",
        unit: "calendar year",
        meaning: "Calendar year.",
        measure: Measure::Value,
        get: |r| f64::from(r.year),
    },
    Column {
        name: "month",
        unit: "1-12",
        meaning: "Calendar month.",
        measure: Measure::Value,
        get: |r| f64::from(r.month),
    },
    count!(
        "population",
        population,
        "Living population at the end of the month."
    ),
    count!(
        "population_male",
        population_male,
        "Living male population at the end of the month."
    ),
    count!(
        "population_60plus",
        population_60plus,
        "Living population aged 60 and over at the end of the month."
    ),
    count!("births", births, "Live births in the month."),
    count!(
        "deaths",
        deaths,
        "Deaths in the month, all causes and places."
    ),
    count!(
        "immigrants",
        immigrants,
        "International immigrants in the month."
    ),
    count!(
        "emigrants",
        emigrants,
        "International emigrants in the month."
    ),
];

/// Everything recorded over a run: the monthly rows and the monthly age histograms that the
/// yearly indicators and the by-group table are computed from.
#[derive(Resource, Clone, Debug, Default)]
pub struct Recorder {
    /// One row per simulated month.
    pub months: Vec<MonthRow>,
    /// Living agents by region, sex and age at the end of each month.
    pub population: Vec<Box<AgeHist>>,
    /// Deaths by region, sex and age in each month.
    pub deaths: Vec<Box<AgeHist>>,
    /// Births by mother's 5-year age group (15-19 ... 45-49) in each month.
    pub births_by_mother_age: Vec<[u64; 7]>,
}
