//! The population stock by region, sex and birth month, kept up to date by the events that
//! change it (deaths, emigration, births, immigration, moves between regions).
//!
//! Counting by birth month instead of age means ageing never changes the stock: the monthly
//! age histogram is derived from the cohorts in O(cohorts) (about 40k bins), so no stage has to
//! scan every person just to count them.
//!
//! **Architecture Invariant:** every change of a person's slot, region or birth month goes
//! through [`Census::add`], [`Census::remove`] or [`Census::relocate`]; the accounting tests
//! recount the person table every month and compare.

use bevy_ecs::prelude::Resource;

use crate::metrics::{AGE_BINS, AgeHist, EMPTY_HIST, hist_index};
use crate::params::MAX_REGIONS;
use crate::person::{MonthNo, Sex};

/// Earliest birth month the census tracks (125 years before the start).
pub(crate) const EARLIEST_BIRTH: MonthNo = -1500;

/// Living persons by region, sex and birth month. Written only through its methods.
#[derive(Resource, Clone, Debug, PartialEq)]
pub struct Census {
    /// Counts indexed by `(region * 2 + sex) * span + (birth_month - EARLIEST_BIRTH)`.
    cohorts: Vec<u32>,
    span: usize,
    alive: u64,
    by_region: [u64; MAX_REGIONS],
}

impl Census {
    /// An empty census for births up to month `last_month`.
    pub fn new(last_month: u32) -> Self {
        let span = (i32::from(last_month as MonthNo) - i32::from(EARLIEST_BIRTH) + 1) as usize;
        Census {
            cohorts: vec![0; MAX_REGIONS * 2 * span],
            span,
            alive: 0,
            by_region: [0; MAX_REGIONS],
        }
    }

    #[inline]
    fn index(&self, region: u8, sex: Sex, birth_month: MonthNo) -> usize {
        let offset = (i32::from(birth_month) - i32::from(EARLIEST_BIRTH))
            .clamp(0, self.span as i32 - 1) as usize;
        (region as usize * 2 + sex.index()) * self.span + offset
    }

    /// A person joins (birth, immigration, initial population).
    #[inline]
    pub fn add(&mut self, region: u8, sex: Sex, birth_month: MonthNo) {
        let i = self.index(region, sex, birth_month);
        self.cohorts[i] += 1;
        self.alive += 1;
        self.by_region[region as usize] += 1;
    }

    /// A person leaves (death, emigration).
    #[inline]
    pub fn remove(&mut self, region: u8, sex: Sex, birth_month: MonthNo) {
        let i = self.index(region, sex, birth_month);
        debug_assert!(self.cohorts[i] > 0, "census underflow");
        self.cohorts[i] -= 1;
        self.alive -= 1;
        self.by_region[region as usize] -= 1;
    }

    /// A person moves from region `from` to region `to`.
    #[inline]
    pub fn relocate(&mut self, from: u8, to: u8, sex: Sex, birth_month: MonthNo) {
        self.remove(from, sex, birth_month);
        self.add(to, sex, birth_month);
    }

    /// Living persons.
    pub fn alive(&self) -> u64 {
        self.alive
    }

    /// Living persons by region.
    pub fn by_region(&self) -> &[u64; MAX_REGIONS] {
        &self.by_region
    }

    /// Living persons by region, sex and completed years of age at month `now`.
    ///
    /// Each year of age is twelve consecutive birth months, so a bin is the sum of one slice of
    /// the cohort counts: no division per birth month, and regions nobody lives in are skipped.
    pub fn age_hist(&self, now: MonthNo) -> Box<AgeHist> {
        let mut h: Box<AgeHist> = Box::new(EMPTY_HIST);
        // Offset of the birth month of someone aged 0 months at `now`.
        let newborn = i32::from(now) - i32::from(EARLIEST_BIRTH);
        let span = self.span as i32;
        // Birth-month offsets of a bin, clamped to the table: ages are taken as 0 for births
        // after `now` (the unborn of a burn-in) and the last bin holds everyone older.
        let births_of = |age: usize| -> std::ops::Range<usize> {
            let age = age as i32;
            let first = if age == AGE_BINS as i32 - 1 {
                0
            } else {
                newborn - 12 * age - 11
            };
            let last = if age == 0 {
                span - 1
            } else {
                newborn - 12 * age
            };
            let (first, end) = (first.clamp(0, span), (last + 1).clamp(0, span));
            first as usize..end.max(first) as usize
        };
        for group in 0..MAX_REGIONS * 2 {
            let (region, sex) = ((group / 2) as u8, group % 2);
            if self.by_region[region as usize] == 0 {
                continue;
            }
            let row = &self.cohorts[group * self.span..(group + 1) * self.span];
            for age in 0..AGE_BINS {
                h[hist_index(region, sex, age as u32)] = row[births_of(age)].iter().sum();
            }
        }
        h
    }

    /// [`Census::age_hist`] one birth month at a time: the definition the fast version is
    /// tested against.
    #[cfg(test)]
    fn age_hist_by_month(&self, now: MonthNo) -> Box<AgeHist> {
        let mut h: Box<AgeHist> = Box::new(EMPTY_HIST);
        for group in 0..MAX_REGIONS * 2 {
            let (region, sex) = ((group / 2) as u8, group % 2);
            let row = &self.cohorts[group * self.span..(group + 1) * self.span];
            for (offset, &n) in row.iter().enumerate() {
                let birth = i32::from(EARLIEST_BIRTH) + offset as i32;
                let age = ((i32::from(now) - birth).max(0) / 12) as u32;
                h[hist_index(region, sex, age.min(AGE_BINS as u32 - 1))] += n;
            }
        }
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ageing_moves_counts_between_ages_without_events() {
        let mut c = Census::new(24);
        c.add(1, Sex::Female, -11);
        c.add(1, Sex::Female, -120);
        let h0 = c.age_hist(0);
        assert_eq!(h0[hist_index(1, 1, 0)], 1);
        assert_eq!(h0[hist_index(1, 1, 10)], 1);
        let h1 = c.age_hist(1);
        assert_eq!(h1[hist_index(1, 1, 1)], 1, "turned one");
        c.relocate(1, 3, Sex::Female, -11);
        c.remove(1, Sex::Female, -120);
        assert_eq!(c.alive(), 1);
        assert_eq!(c.by_region()[3], 1);
    }

    #[test]
    fn slice_sums_equal_the_month_by_month_histogram() {
        let last = 300;
        let mut c = Census::new(last);
        // Births from before the earliest tracked month to after `now`, in three regions.
        let mut state = 12345u64;
        for _ in 0..20_000 {
            state = crate::rng::fmix64(state);
            let birth = (state % 1_900) as i32 - 1_600;
            let region = ((state >> 20) % 3) as u8 * 4;
            let sex = if (state >> 40) & 1 == 0 {
                Sex::Male
            } else {
                Sex::Female
            };
            c.add(region, sex, birth as MonthNo);
        }
        for now in [-20, 0, 1, 11, 12, 13, 150, 299, 300] {
            assert_eq!(c.age_hist(now), c.age_hist_by_month(now), "month {now}");
        }
    }
}
