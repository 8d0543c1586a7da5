//! Vital clocks: each person's next month of death, emigration and (for women) birth, drawn as
//! waiting times and kept in the person table, so that the monthly demography pass only
//! compares three months per person instead of drawing a hash and reading two tables.
//!
//! The monthly hazards are those of [`DemographyTables`](crate::tables::DemographyTables) and
//! never change during a run (they depend on age and sex only), so a waiting time drawn from
//! the cumulative hazard gives exactly the distribution of the month-by-month draws it
//! replaces: a person at risk from month `t` with monthly probabilities `q_t, q_{t+1}, ...`
//! has the event in month `t + k` for the first `k` with `H_t + ... + H_{t+k} >= E`, where
//! `H = -ln(1 - q)` and `E` is a standard exponential draw; then `P(no event through t + k)
//! = exp(-(H_t + ... + H_{t+k})) = (1 - q_t) ... (1 - q_{t+k})`.
//!
//! A clock is drawn when the person first meets the demography stage ([`VitalMonths::UNDRAWN`]
//! is earlier than any month) and again whenever the month it holds has passed without the
//! event: that happens only to people who were in custody in that month (whose mortality is the
//! prison stage's; they neither give birth nor emigrate there). By the memorylessness of the
//! monthly hazards, a clock that has not yet rung holds the right conditional distribution for
//! whoever is still at risk, and a fresh one drawn on the first month back in the community
//! holds it for them: a release never carries a death drawn for the months in custody.

use crate::lifetable::GompertzMakeham;
use crate::person::{MonthNo, Sex};

/// A month later than any run reaches: the event does not happen.
pub(crate) const NO_EVENT: MonthNo = MonthNo::MAX;

/// One person's vital clocks: the months of their next events (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct VitalMonths {
    /// Month of death from the life table (in the community).
    pub(crate) death: MonthNo,
    /// Month of emigration ([`NO_EVENT`] without net emigration).
    pub(crate) emigration: MonthNo,
    /// Month of the next birth ([`NO_EVENT`] for men and after the fertile ages).
    pub(crate) birth: MonthNo,
}

impl VitalMonths {
    /// Clocks not yet drawn: earlier than any month, so the first demography pass draws them.
    pub(crate) const UNDRAWN: VitalMonths = VitalMonths {
        death: MonthNo::MIN,
        emigration: MonthNo::MIN,
        birth: MonthNo::MIN,
    };

    /// Clocks of a row the demography stage vacates: nothing to look at until a newcomer takes
    /// it. (Rows vacated by deaths in custody or homicide keep their last clocks, which the
    /// stage's check of the slot passes over.)
    pub(crate) const VACANT: VitalMonths = VitalMonths {
        death: NO_EVENT,
        emigration: NO_EVENT,
        birth: NO_EVENT,
    };

    /// The month of the earliest of the three.
    #[inline(always)]
    pub(crate) fn next(&self) -> MonthNo {
        self.death.min(self.emigration).min(self.birth)
    }
}

/// The cumulative hazards the clocks are drawn from.
#[derive(Clone, Debug)]
pub(crate) struct VitalHazards {
    /// By sex, the life table's cumulative monthly hazard `-ln(1 - q)` summed over the
    /// completed months of age before each index (one more entry than months in the table).
    death: [Vec<f64>; 2],
    /// Monthly emigration hazard per person (0 without net emigration).
    emigration: f64,
    /// Monthly birth hazard of a woman by completed year of age (0 outside the fertile ages).
    birth: Vec<f64>,
    /// The first completed year of age with a birth hazard (the walk for a birth starts
    /// there: the years before add nothing).
    first_fertile: u32,
    /// By sex, where the death search starts and ends ([`Guide`]).
    death_guide: [Guide; 2],
}

/// Buckets of a cumulative hazard's values, each knowing the first month whose cumulative
/// hazard reaches its lower edge: the death search looks only within its target's bucket (a
/// month or a few) instead of over the whole life table (1,500 months: eleven dependent steps
/// of a binary search, most of the first month's time at one agent per person, when
/// everyone's clocks are drawn). The buckets are the high bits of the values' binary
/// representation (a positive float's bits grow with its value), 128 to an octave, so that
/// the months spread evenly over them from the first months' small hazards to the last ones'
/// large, and a target's bucket is exact, with no rounding.
#[derive(Clone, Debug, Default)]
struct Guide {
    /// The bucket of the first edge.
    base: u64,
    /// `first[j]`: the number of entries below the lower edge of bucket `base + j`.
    first: Vec<u32>,
}

/// Bits below a [`Guide`]'s bucket (52 bits of mantissa less 7: 128 buckets an octave).
const GUIDE_SHIFT: u32 = 45;

/// Most buckets of a [`Guide`] (128 octaves).
const MAX_GUIDE_BUCKETS: u64 = 1 << 14;

impl Guide {
    fn new(cumulative: &[f64]) -> Self {
        let smallest = cumulative.iter().copied().find(|&x| x > 0.0);
        let last = cumulative.last().copied().unwrap_or(0.0);
        let Some(smallest) = smallest.filter(|_| last.is_finite()) else {
            return Guide::default();
        };
        let bucket = |x: f64| x.to_bits() >> GUIDE_SHIFT;
        let base = bucket(smallest);
        // A life table spans about 20 octaves; a degenerate one gets no guide.
        if bucket(last) - base > MAX_GUIDE_BUCKETS {
            return Guide::default();
        }
        let first = (base..=bucket(last) + 1)
            .map(|k| {
                let edge = f64::from_bits(k << GUIDE_SHIFT);
                cumulative.partition_point(|&x| x < edge) as u32
            })
            .collect();
        Guide { base, first }
    }

    /// The number of entries of `cumulative` (nondecreasing, the one the guide was made of)
    /// below `target`: `cumulative.partition_point(|&x| x < target)`, found within the
    /// target's bucket, whose edges bound it below and above.
    fn below(&self, cumulative: &[f64], target: f64) -> usize {
        if self.first.is_empty() || !(target.is_sign_positive() && target.is_finite()) {
            return cumulative.partition_point(|&x| x < target);
        }
        let k = target.to_bits() >> GUIDE_SHIFT;
        let last = self.first.len() - 1;
        let (lo, hi) = if k < self.base {
            (0, self.first[0] as usize)
        } else {
            let j = ((k - self.base) as usize).min(last);
            let hi = self
                .first
                .get(j + 1)
                .map_or(cumulative.len(), |&h| h as usize);
            (self.first[j] as usize, hi)
        };
        lo + cumulative[lo..hi].partition_point(|&x| x < target)
    }
}

/// The month of life lived first and the cumulative hazard to reach, for a death clock drawn
/// at `age` completed months with the uniform `u` over the cumulative hazard `c` by month.
fn death_target(c: &[f64], age: u32, u: f64) -> (usize, f64) {
    let first = (age.saturating_sub(1) as usize).min(c.len() - 2);
    (first, c[first] + hazard(u))
}

/// The month of death from `from`, where `end` is the number of entries of `c` below `target`
/// (at least `first + 1`): within the table the month whose cumulative hazard reaches it,
/// beyond its end the last month's hazard carried on.
fn death_after(c: &[f64], first: usize, end: usize, target: f64, from: MonthNo) -> MonthNo {
    let months = c.len() - 1;
    let j = if end <= months {
        end - 1
    } else {
        let last = c[months] - c[months - 1];
        months - 1 + ((target - c[months]) / last).ceil().max(1.0) as usize
    };
    month_after(from, (j - first) as f64)
}

/// `-ln(1 - p)`: the hazard of a monthly probability (infinite at 1); of a uniform in [0, 1),
/// a standard exponential draw.
fn hazard(p: f64) -> f64 {
    -(-p.clamp(0.0, 1.0)).ln_1p()
}

/// `from` plus `months`, or [`NO_EVENT`] past the last representable month.
fn month_after(from: MonthNo, months: f64) -> MonthNo {
    let m = f64::from(from) + months;
    if m >= f64::from(NO_EVENT) {
        NO_EVENT
    } else {
        m as MonthNo
    }
}

impl VitalHazards {
    /// Hazards from the life tables by sex, the monthly emigration probability and the monthly
    /// birth probabilities of women by completed year of age.
    pub(crate) fn new(
        mortality: &[GompertzMakeham; 2],
        table_months: u32,
        emigration: f64,
        birth: &[f64],
    ) -> Self {
        let death = mortality.map(|gm| {
            let mut sum = 0.0;
            let mut cumulative = Vec::with_capacity(table_months as usize + 1);
            cumulative.push(0.0);
            for m in 0..table_months {
                sum += hazard(gm.monthly_q(m));
                cumulative.push(sum);
            }
            cumulative
        });
        let death_guide = [Guide::new(&death[0]), Guide::new(&death[1])];
        // Up to the last fertile age: the search for a birth ends there.
        let birth: Vec<f64> = birth[..birth.iter().rposition(|&p| p > 0.0).map_or(0, |i| i + 1)]
            .iter()
            .map(|&p| hazard(p))
            .collect();
        VitalHazards {
            death,
            death_guide,
            first_fertile: birth.iter().position(|&h| h != 0.0).unwrap_or(0) as u32,
            emigration: hazard(emigration),
            birth,
        }
    }

    /// The month of death of a person of `sex` aged `age` completed months at `from`, the first
    /// month they are at risk, given a uniform `u`. In a month the person lives the month of
    /// age `age - 1` (a newborn's first full month is 0), the life table's last month beyond
    /// its end.
    pub(crate) fn death_month(&self, sex: Sex, age: u32, from: MonthNo, u: f64) -> MonthNo {
        let c = &self.death[sex.index()];
        let (first, target) = death_target(c, age, u);
        // The first month j >= first with c[j + 1] >= target: the entries from first + 1 on
        // below the target are those below it anywhere (c never falls) past the first.
        let end = (first + 1).max(self.death_guide[sex.index()].below(c, target));
        death_after(c, first, end, target, from)
    }

    /// The month of emigration of a person at risk from `from`, given a uniform `u`.
    pub(crate) fn emigration_month(&self, from: MonthNo, u: f64) -> MonthNo {
        if self.emigration <= 0.0 {
            return NO_EVENT;
        }
        month_after(from, (hazard(u) / self.emigration).floor())
    }

    /// The month of the next birth of a person of `sex` aged `age` completed months at `from`,
    /// the first month at risk, given a uniform `u`. The hazard of a month is that of the
    /// completed year of age in it.
    pub(crate) fn birth_month(&self, sex: Sex, age: u32, from: MonthNo, u: f64) -> MonthNo {
        if sex != Sex::Female {
            return NO_EVENT;
        }
        // The years before the first fertile one take nothing from the hazard to reach (a
        // hazard of 0 times the months, subtracted): straight there.
        let fertile = 12 * self.first_fertile;
        let (age, waited) = if age < fertile {
            (fertile, f64::from(fertile - age))
        } else {
            (age, 0.0)
        };
        self.walk_births(hazard(u), age, waited, from)
    }

    /// The month of the next birth from `from` of a woman aged `age` completed months after
    /// `waited` months, with the cumulative hazard `left` still to reach: her years of age
    /// walked one after another, each month of a year at that year's hazard.
    fn walk_births(&self, mut left: f64, mut age: u32, mut waited: f64, from: MonthNo) -> MonthNo {
        while let Some(&h) = self.birth.get((age / 12) as usize) {
            let months = 12 - age % 12;
            if h > 0.0 && left <= h * f64::from(months) {
                return month_after(from, waited + ((left / h).ceil().max(1.0) - 1.0));
            }
            left -= h * f64::from(months);
            age += months;
            waited += f64::from(months);
        }
        NO_EVENT
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{MonthKey, Stream};

    /// A Gompertz-Makeham hazard of about the shape of a real life table.
    const MORTALITY: GompertzMakeham = GompertzMakeham {
        a: 0.0005,
        b: 0.00003,
        c: 0.1,
    };

    fn hazards(emigration: f64) -> VitalHazards {
        let gm = MORTALITY;
        let mut birth = vec![0.0; 50];
        birth[15..50].iter_mut().for_each(|b| *b = 0.06 / 12.0);
        VitalHazards::new(&[gm, gm], 1501, emigration, &birth)
    }

    /// The share of draws for which `month(u)` is `from + k`, for k in 0..n.
    fn shares(n: usize, month: impl Fn(f64) -> MonthNo) -> Vec<f64> {
        let key = MonthKey::new(7, Stream::Demography, 0);
        let draws = 400_000;
        let mut counts = vec![0.0; n];
        for i in 0..draws {
            let k = i32::from(month(key.uniform(i, 0))) - 100;
            if (0..n as i32).contains(&k) {
                counts[k as usize] += 1.0;
            }
        }
        counts.iter().map(|c| c / f64::from(draws)).collect()
    }

    /// The death month by a binary search over the whole table from the first month, as
    /// before the guide: the same target and the same month from where the search ends.
    fn death_month_searched(
        v: &VitalHazards,
        sex: Sex,
        age: u32,
        from: MonthNo,
        u: f64,
    ) -> MonthNo {
        let c = &v.death[sex.index()];
        let (first, target) = death_target(c, age, u);
        let end = first + 1 + c[first + 1..].partition_point(|&x| x < target);
        death_after(c, first, end, target, from)
    }

    /// The birth month by walking every year from the person's age, as before the jump to the
    /// first fertile year.
    fn birth_month_walked(v: &VitalHazards, sex: Sex, age: u32, from: MonthNo, u: f64) -> MonthNo {
        if sex != Sex::Female {
            return NO_EVENT;
        }
        v.walk_births(hazard(u), age, 0.0, from)
    }

    #[test]
    fn the_guided_search_and_the_jump_give_the_months_of_the_full_walks() {
        // Every age of the table and beyond, both sexes, uniforms from 0 to just below 1 (the
        // tails: deaths past the table's end), with the model's own life tables and fertility
        // as well as the test's.
        let p = crate::params::ModelParams::baseline();
        let model = crate::tables::DemographyTables::new(&p).unwrap().clocks;
        let key = MonthKey::new(12, Stream::Demography, 3);
        for v in [hazards(0.001), model] {
            assert!(v.death_guide.iter().all(|g| g.first.len() > 100), "guided");
            for i in 0..200_000u32 {
                let age = i % 1600;
                let sex = if i % 2 == 0 { Sex::Male } else { Sex::Female };
                let u = match i % 7 {
                    0 => 0.0,
                    1 => 1.0 - f64::EPSILON,
                    2 => key.uniform(i, 0) * 1e-6,
                    _ => key.uniform(i, 0),
                };
                assert_eq!(
                    v.death_month(sex, age, 100, u),
                    death_month_searched(&v, sex, age, 100, u),
                    "death: sex {sex:?}, age {age}, u {u}"
                );
                assert_eq!(
                    v.birth_month(sex, age % 700, 100, u),
                    birth_month_walked(&v, sex, age % 700, 100, u),
                    "birth: age {age}, u {u}"
                );
            }
        }
    }

    #[test]
    fn death_months_follow_the_life_table_month_by_month() {
        // A person of 80 years and 5 months: the month lived first is the 965th of life.
        let gm = MORTALITY;
        let h = hazards(0.0);
        let age = 80 * 12 + 5;
        let got = shares(24, |u| h.death_month(Sex::Male, age, 100, u));
        let mut alive = 1.0;
        for (k, share) in got.iter().enumerate() {
            let q = gm.monthly_q(age - 1 + k as u32);
            let want = alive * q;
            alive *= 1.0 - q;
            // Binomial standard error of a share of 400,000 draws near 0.01: 1.6e-4.
            assert!(
                (share - want).abs() < 7e-4,
                "month {k}: {share} against {want}"
            );
        }
    }

    #[test]
    fn the_first_month_at_risk_is_the_month_of_age_lived_then() {
        // At 80 years and 5 months the month lived is month 964 of life: a draw just inside
        // its hazard dies in the first month, one just beyond it in the next.
        let gm = MORTALITY;
        let h = hazards(0.0);
        let first = hazard(gm.monthly_q(80 * 12 + 4));
        let u = |e: f64| 1.0 - (-e).exp();
        assert_eq!(
            h.death_month(Sex::Male, 80 * 12 + 5, 100, u(first * 0.999)),
            100
        );
        assert_eq!(
            h.death_month(Sex::Male, 80 * 12 + 5, 100, u(first * 1.001)),
            101
        );
    }

    #[test]
    fn beyond_the_life_table_the_last_month_goes_on() {
        let h = hazards(0.0);
        let at_end = h.death_month(Sex::Female, 1501 + 40, 0, 0.999_999);
        assert!((0..40).contains(&at_end), "{at_end}");
    }

    #[test]
    fn emigration_is_geometric_at_the_monthly_probability() {
        let h = hazards(0.01);
        let got = shares(3, |u| h.emigration_month(100, u));
        for (k, share) in got.iter().enumerate() {
            let want = 0.01 * 0.99f64.powi(k as i32);
            assert!(
                (share - want).abs() < 6e-4,
                "month {k}: {share} against {want}"
            );
        }
        assert_eq!(hazards(0.0).emigration_month(100, 0.5), NO_EVENT);
    }

    #[test]
    fn births_wait_for_the_fertile_ages_and_end_with_them() {
        let h = hazards(0.0);
        // A girl of 14 years and 11 months: no birth in her first month, then 0.5% a month.
        let got = shares(3, |u| h.birth_month(Sex::Female, 14 * 12 + 11, 100, u));
        assert_eq!(got[0], 0.0);
        assert!((got[1] - 0.005).abs() < 4e-4, "{}", got[1]);
        assert!((got[2] - 0.005 * 0.995).abs() < 4e-4, "{}", got[2]);
        assert_eq!(h.birth_month(Sex::Male, 25 * 12, 100, 0.5), NO_EVENT);
        assert_eq!(h.birth_month(Sex::Female, 50 * 12, 100, 0.0), NO_EVENT);
        // A last chance: the final month of age 49.
        assert_eq!(h.birth_month(Sex::Female, 50 * 12 - 1, 100, 0.0), 100);
    }
}
