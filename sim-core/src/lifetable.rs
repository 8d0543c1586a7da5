//! Gompertz-Makeham mortality calibrated to life expectancy, and the monthly tables derived from it.
//!
//! The hazard at exact age `x` (years) is `mu(x) = A + B exp(C x)` (docs/model.md section 4.3). `A`
//! and `C` are parameters; `B` is solved by bisection so that the life expectancy at birth of the
//! *monthly* life table equals the scenario's value. The simulation applies exactly that monthly
//! table, so simulated deaths reproduce the target life expectancy in expectation.

/// Oldest age the tables cover (years); the hazard is far above 1 per year by then.
pub const MAX_AGE_YEARS: u32 = 125;
/// Number of month-of-age entries in a table.
pub const TABLE_MONTHS: usize = (MAX_AGE_YEARS * 12) as usize + 1;

/// A Gompertz-Makeham hazard.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GompertzMakeham {
    /// Age-independent term (per year).
    pub a: f64,
    /// Gompertz level (per year at age 0).
    pub b: f64,
    /// Gompertz slope (per year of age).
    pub c: f64,
}

impl GompertzMakeham {
    /// Cumulative hazard between exact ages `x0` and `x1` (years).
    pub fn cumulative(&self, x0: f64, x1: f64) -> f64 {
        self.a * (x1 - x0) + self.b / self.c * ((self.c * x1).exp() - (self.c * x0).exp())
    }

    /// Probability of dying within month of age `m` (from `m` to `m + 1` completed months).
    pub fn monthly_q(&self, m: u32) -> f64 {
        let x0 = f64::from(m) / 12.0;
        1.0 - (-self.cumulative(x0, x0 + 1.0 / 12.0)).exp()
    }

    /// Life expectancy at exact age `from_years`, integrating survival month by month with an
    /// exponential survival curve inside each month.
    pub fn life_expectancy(&self, from_years: f64) -> f64 {
        let mut alive = 1.0;
        let mut years = 0.0;
        let mut x = from_years;
        let step = 1.0 / 12.0;
        while x < f64::from(MAX_AGE_YEARS) && alive > 1e-12 {
            let h = self.cumulative(x, x + step);
            let lived = if h > 1e-12 {
                (1.0 - (-h).exp()) / h
            } else {
                1.0
            };
            years += alive * lived * step;
            alive *= (-h).exp();
            x += step;
        }
        years
    }

    /// Solves `B` so that life expectancy at birth equals `e0` for the given `A` and `C`.
    /// Returns `None` when no `B` in (1e-12, 10) gets there (e0 out of reach for this `A`).
    ///
    /// Each solve integrates a 1,500-month life table some 60 times (about 6 ms), and a scenario
    /// is solved by its validation and again by every simulation built from it, so the latest
    /// solutions are remembered: a pure function of its three arguments, whoever asks first.
    pub fn calibrate(e0: f64, a: f64, c: f64) -> Option<Self> {
        use std::sync::Mutex;
        /// Solutions kept (a few scenarios' two sexes).
        const REMEMBERED: usize = 16;
        type Solved = ([u64; 3], Option<GompertzMakeham>);
        static SOLVED: Mutex<Vec<Solved>> = Mutex::new(Vec::new());
        let key = [e0.to_bits(), a.to_bits(), c.to_bits()];
        let lock = || SOLVED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, gm)) = lock().iter().find(|(k, _)| *k == key) {
            return *gm;
        }
        let gm = Self::solve(e0, a, c);
        let mut solved = lock();
        if solved.len() == REMEMBERED {
            solved.remove(0);
        }
        solved.push((key, gm));
        gm
    }

    /// The bisection behind [`GompertzMakeham::calibrate`].
    fn solve(e0: f64, a: f64, c: f64) -> Option<Self> {
        let at = |log_b: f64| {
            GompertzMakeham {
                a,
                b: log_b.exp(),
                c,
            }
            .life_expectancy(0.0)
        };
        let (mut lo, mut hi) = ((1e-12f64).ln(), 10f64.ln());
        // Life expectancy falls as B rises.
        if at(lo) < e0 || at(hi) > e0 {
            return None;
        }
        for _ in 0..100 {
            let mid = 0.5 * (lo + hi);
            // Once the bounds are neighbouring floats the midpoint is one of them and no further
            // step changes either: stopping here gives the same answer as going on.
            if mid <= lo || mid >= hi {
                break;
            }
            if at(mid) > e0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Some(GompertzMakeham {
            a,
            b: (0.5 * (lo + hi)).exp(),
            c,
        })
    }
}

/// Abridged period life expectancy at birth from deaths and person-years by 5-year age group
/// (last group open-ended), the standard demographic method (constant hazard within a group).
/// Used by tests and outputs to measure what the simulation produced.
pub fn life_expectancy_from_rates(deaths: &[f64], exposure_years: &[f64]) -> f64 {
    let mut alive = 1.0;
    let mut e0 = 0.0;
    let n = deaths.len();
    for g in 0..n {
        let m = if exposure_years[g] > 0.0 {
            deaths[g] / exposure_years[g]
        } else {
            0.0
        };
        if g + 1 == n {
            // Open-ended group: survivors live 1/m more years on average.
            e0 += if m > 0.0 { alive / m } else { 0.0 };
            break;
        }
        let width = 5.0;
        let survive = (-m * width).exp();
        let lived = if m > 1e-12 {
            (1.0 - survive) / m
        } else {
            width
        };
        e0 += alive * lived;
        alive *= survive;
    }
    e0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calibration_hits_the_target_life_expectancy() {
        for e0 in [55.0, 70.8, 76.0, 84.0] {
            let gm = GompertzMakeham::calibrate(e0, 0.0005, 0.09).unwrap();
            assert!((gm.life_expectancy(0.0) - e0).abs() < 1e-6, "{e0}");
        }
    }

    #[test]
    fn hazard_rises_with_age_and_life_expectancy_falls() {
        let gm = GompertzMakeham::calibrate(72.0, 0.0005, 0.09).unwrap();
        assert!(gm.monthly_q(12 * 80) > gm.monthly_q(12 * 40));
        assert!(gm.life_expectancy(60.0) < gm.life_expectancy(30.0));
        // Mortality doubling time ln 2 / C = 7.7 years at old ages, where B exp(Cx) dominates A.
        let ratio = gm.monthly_q(12 * 87) / gm.monthly_q(12 * 80);
        assert!((ratio - (0.09f64 * 7.0).exp()).abs() < 0.1, "{ratio}");
    }

    /// The bisection as it was before it stopped early: 100 halvings whatever happens.
    fn full_bisection(e0: f64, a: f64, c: f64) -> f64 {
        let at = |log_b: f64| {
            GompertzMakeham {
                a,
                b: log_b.exp(),
                c,
            }
            .life_expectancy(0.0)
        };
        let (mut lo, mut hi) = ((1e-12f64).ln(), 10f64.ln());
        for _ in 0..100 {
            let mid = 0.5 * (lo + hi);
            if at(mid) > e0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        (0.5 * (lo + hi)).exp()
    }

    #[test]
    fn stopping_the_bisection_early_and_remembering_it_change_no_bit() {
        for (e0, a) in [
            (55.0, 0.0005),
            (70.8, 0.0005),
            (76.0, 0.001),
            (84.3, 0.0002),
        ] {
            let b = full_bisection(e0, a, 0.09);
            assert_eq!(
                GompertzMakeham::solve(e0, a, 0.09).unwrap().b.to_bits(),
                b.to_bits()
            );
            // The second ask comes from the memory.
            for _ in 0..2 {
                let gm = GompertzMakeham::calibrate(e0, a, 0.09).unwrap();
                assert_eq!(gm.b.to_bits(), b.to_bits(), "{e0}");
            }
        }
    }

    #[test]
    fn unreachable_life_expectancy_is_refused() {
        // With 5% background mortality a year nobody lives 90 years on average.
        assert!(GompertzMakeham::calibrate(90.0, 0.05, 0.09).is_none());
    }

    #[test]
    fn abridged_table_recovers_a_known_life_expectancy() {
        let gm = GompertzMakeham::calibrate(75.0, 0.0005, 0.09).unwrap();
        // Stationary population: exposure in each group = person-years lived in it.
        let mut deaths = vec![0.0; 21];
        let mut expo = vec![0.0; 21];
        let mut alive = 1.0;
        for m in 0..TABLE_MONTHS as u32 {
            let g = ((m / 60) as usize).min(20);
            let q = gm.monthly_q(m);
            expo[g] += alive * (1.0 - q / 2.0) / 12.0;
            deaths[g] += alive * q;
            alive *= 1.0 - q;
        }
        let e0 = life_expectancy_from_rates(&deaths, &expo);
        assert!((e0 - 75.0).abs() < 0.3, "{e0}");
    }
}
