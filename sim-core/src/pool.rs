//! Free people (alive, not in custody) grouped by region, sex, birth-year cohort and
//! displacement, kept up to date by the events that change membership: deaths, emigration,
//! newcomers, custody entries and exits, displacement and moves.
//!
//! Victimisation draws victims from it: everyone in a cell shares the same risk (within a birth
//! year), so a victim is one weighted cell pick and one uniform pick, with no scan of the
//! population and no rejection. Grouping by birth year (not age) means ageing never moves anyone.
//!
//! **Architecture Invariant:** every change of a person's slot, region or displacement goes
//! through [`VictimPool::add`] / [`VictimPool::remove`]; tests rebuild it every month and compare.

use bevy_ecs::prelude::Resource;

use crate::census::EARLIEST_BIRTH;
use crate::params::MAX_REGIONS;
use crate::person::{Demographics, MonthNo, Slot};

/// Marks a row that is not in the pool.
const ABSENT: u32 = u32::MAX;

/// How the pool's cells are numbered: enough to say who a cell holds, without its members (for
/// work that runs beside the month's changes to the pool).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct CellLayout {
    cohorts: usize,
}

impl CellLayout {
    /// (sex, cohort, displaced) of the `k`-th cell of a region.
    #[inline]
    pub(crate) fn decode(self, k: usize) -> (usize, usize, bool) {
        ((k >> 1) / self.cohorts, (k >> 1) % self.cohorts, k & 1 == 1)
    }

    /// Age in whole years at `now` of a birth-year cohort (taken at its middle).
    #[inline]
    pub(crate) fn cohort_age(cohort: usize, now: MonthNo) -> u32 {
        let middle = i32::from(EARLIEST_BIRTH) + 12 * cohort as i32 + 6;
        ((i32::from(now) - middle).max(0) / 12) as u32
    }
}

/// Free people by cell. Written only through its methods.
#[derive(Resource, Clone, Debug, Default)]
pub struct VictimPool {
    cells: Vec<Vec<u32>>,
    position: Vec<u32>,
    cohorts: usize,
}

impl VictimPool {
    /// An empty pool for births up to month `last_month`.
    pub fn new(last_month: u32) -> Self {
        let cohorts =
            ((i32::from(last_month as MonthNo) - i32::from(EARLIEST_BIRTH)) / 12 + 1) as usize;
        VictimPool {
            cells: vec![Vec::new(); MAX_REGIONS * 2 * cohorts * 2],
            position: Vec::new(),
            cohorts,
        }
    }

    /// Birth-year cohort index of a birth month.
    #[inline]
    pub fn cohort(&self, birth_month: MonthNo) -> usize {
        (((i32::from(birth_month) - i32::from(EARLIEST_BIRTH)) / 12).max(0) as usize)
            .min(self.cohorts - 1)
    }

    /// Number of birth-year cohorts.
    pub fn cohorts(&self) -> usize {
        self.cohorts
    }

    /// Cell of (region, sex, cohort, displaced).
    #[inline]
    pub fn cell(&self, region: u8, sex: usize, cohort: usize, displaced: bool) -> usize {
        ((((region as usize) * 2 + sex) * self.cohorts + cohort) << 1) | usize::from(displaced)
    }

    /// Cells per region (contiguous: region r covers `r * cells_per_region ..`).
    pub fn cells_per_region(&self) -> usize {
        2 * self.cohorts * 2
    }

    /// (sex, cohort, displaced) of the `k`-th cell of a region.
    #[inline]
    pub fn decode(&self, k: usize) -> (usize, usize, bool) {
        self.layout().decode(k)
    }

    /// Age in whole years at `now` of a birth-year cohort (taken at its middle).
    #[inline]
    pub fn cohort_age(&self, cohort: usize, now: MonthNo) -> u32 {
        CellLayout::cohort_age(cohort, now)
    }

    /// The cells' layout, without their members.
    pub(crate) fn layout(&self) -> CellLayout {
        CellLayout {
            cohorts: self.cohorts,
        }
    }

    /// Whether anyone of a birth-year cohort is born by `now` (in a justice burn-in, the
    /// persons of the start include people not yet born).
    #[inline]
    pub fn cohort_born_by(&self, cohort: usize, now: MonthNo) -> bool {
        i32::from(EARLIEST_BIRTH) + 12 * cohort as i32 <= i32::from(now)
    }

    /// The cell a person belongs to.
    #[inline]
    pub fn cell_of(&self, d: &Demographics) -> usize {
        self.cell(
            d.region,
            d.sex.index(),
            self.cohort(d.birth_month),
            d.displaced,
        )
    }

    /// Adds a free person (call with their attributes after the change).
    pub fn add(&mut self, row: u32, d: &Demographics) {
        let r = row as usize;
        if self.position.len() <= r {
            self.position.resize(r + 1, ABSENT);
        }
        debug_assert_eq!(self.position[r], ABSENT, "row {row} already in the pool");
        let c = self.cell_of(d);
        self.position[r] = self.cells[c].len() as u32;
        self.cells[c].push(row);
    }

    /// Removes a person (call with their attributes before the change).
    pub fn remove(&mut self, row: u32, d: &Demographics) {
        let r = row as usize;
        let Some(&pos) = self.position.get(r) else {
            return;
        };
        if pos == ABSENT {
            return;
        }
        let c = self.cell_of(d);
        let cell = &mut self.cells[c];
        debug_assert_eq!(
            cell.get(pos as usize),
            Some(&row),
            "row {row} not in its cell"
        );
        cell.swap_remove(pos as usize);
        if let Some(&moved) = cell.get(pos as usize) {
            self.position[moved as usize] = pos;
        }
        self.position[r] = ABSENT;
    }

    /// People in a cell.
    #[inline]
    pub fn count(&self, cell: usize) -> usize {
        self.cells[cell].len()
    }

    /// The `i`-th person (row) of a cell.
    #[inline]
    pub fn nth(&self, cell: usize, i: usize) -> u32 {
        self.cells[cell][i]
    }

    /// Free people by (region, sex, age in years at `now`, displaced), from the cells.
    pub fn classes(&self, now: MonthNo) -> Vec<(u8, usize, u32, bool, u64)> {
        let mut out = Vec::new();
        for (cell, rows) in self.cells.iter().enumerate() {
            if rows.is_empty() {
                continue;
            }
            let region = (cell / self.cells_per_region()) as u8;
            let (sex, cohort, displaced) = self.decode(cell % self.cells_per_region());
            let age = self.cohort_age(cohort, now);
            out.push((region, sex, age, displaced, rows.len() as u64));
        }
        out
    }

    /// A pool built from scratch from the person table.
    pub fn rebuild(demo: &[Demographics], last_month: u32) -> Self {
        let mut pool = VictimPool::new(last_month);
        pool.position = vec![ABSENT; demo.len()];
        for (row, d) in demo.iter().enumerate() {
            if d.slot == Slot::Alive {
                pool.add(row as u32, d);
            }
        }
        pool
    }

    /// Whether two pools hold the same people in the same cells (order within cells aside).
    pub fn same_members(&self, other: &VictimPool) -> bool {
        self.cells.len() == other.cells.len()
            && self.cells.iter().zip(&other.cells).all(|(a, b)| {
                let (mut a, mut b) = (a.clone(), b.clone());
                a.sort_unstable();
                b.sort_unstable();
                a == b
            })
    }
}
