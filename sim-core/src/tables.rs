//! Lookup tables derived once from the parameters, so hot loops compare a random `u32` against
//! a precomputed threshold instead of calling `exp` per person.

use bevy_ecs::prelude::Resource;

use crate::lifetable::{GompertzMakeham, TABLE_MONTHS};
use crate::params::{ModelParams, ParamIssue, fmt_num};
use crate::person::Sex;
use crate::rng::threshold;
use crate::vital::VitalHazards;

/// Demography tables: monthly death thresholds by age, and the hazards of the vital clocks.
#[derive(Resource, Clone, Debug)]
pub struct DemographyTables {
    /// Calibrated hazards by sex.
    pub mortality: [GompertzMakeham; 2],
    /// Death threshold by sex and completed month of age.
    pub death: [Vec<u32>; 2],
    /// The cumulative hazards of death, emigration and birth that persons' vital clocks are
    /// drawn from (see [`crate::vital`]).
    pub(crate) clocks: VitalHazards,
    /// Probability that a newborn is male.
    pub p_male_birth: f64,
    /// Expected immigrants per living agent per month (0 when net migration is not positive).
    pub immigration_rate: f64,
    /// Inverse CDF of age in months within the open-ended top age group, by sex: cumulative
    /// survivor weights from the group's lower bound to the table's end.
    pub open_group_cdf: [Vec<f64>; 2],
}

impl DemographyTables {
    /// Builds the tables, solving the Gompertz level of each sex for its life expectancy.
    pub fn new(p: &ModelParams) -> Result<Self, ParamIssue> {
        let d = &p.demography;
        let mortality = Self::calibrate_mortality(p)?;
        let death = mortality.map(|gm| {
            (0..TABLE_MONTHS as u32)
                .map(|m| threshold(gm.monthly_q(m)))
                .collect::<Vec<_>>()
        });
        let pattern_sum: f64 = d.fertility_pattern.iter().sum();
        // Monthly birth probability of a woman by completed year of age.
        let mut birth = [0.0; 50];
        for (age, t) in birth.iter_mut().enumerate().skip(15) {
            let g = (age - 15) / 5;
            // ASFR of the group, per woman per year, so that 5 * sum(ASFR) = TFR.
            let asfr = d.total_fertility_rate * d.fertility_pattern[g] / pattern_sum / 5.0;
            *t = asfr / 12.0;
        }
        let rate = d.net_migration_per_1000 / 1000.0 / 12.0;
        let groups = d.age_structure.male.len().max(1);
        let open_start = (groups as u32 - 1) * 60;
        let open_group_cdf = mortality.map(|gm| {
            let mut alive = 1.0;
            let mut acc = 0.0;
            let mut cdf = Vec::new();
            for m in 0..TABLE_MONTHS as u32 {
                if m >= open_start {
                    acc += alive;
                    cdf.push(acc);
                }
                alive *= 1.0 - gm.monthly_q(m);
            }
            cdf.iter_mut().for_each(|x| *x /= acc);
            cdf
        });
        let clocks = VitalHazards::new(&mortality, TABLE_MONTHS as u32, (-rate).max(0.0), &birth);
        Ok(DemographyTables {
            mortality,
            death,
            clocks,
            p_male_birth: d.sex_ratio_at_birth / (100.0 + d.sex_ratio_at_birth),
            immigration_rate: rate.max(0.0),
            open_group_cdf,
        })
    }

    /// Solves the Gompertz level of each sex for its life expectancy at birth.
    pub fn calibrate_mortality(p: &ModelParams) -> Result<[GompertzMakeham; 2], ParamIssue> {
        let d = &p.demography;
        let mut mortality = [GompertzMakeham {
            a: 0.0,
            b: 0.0,
            c: 1.0,
        }; 2];
        for sex in Sex::ALL {
            let (key, e0) = match sex {
                Sex::Male => ("demography.life_expectancy_male", d.life_expectancy_male),
                Sex::Female => (
                    "demography.life_expectancy_female",
                    d.life_expectancy_female,
                ),
            };
            mortality[sex.index()] = GompertzMakeham::calibrate(
                e0,
                d.makeham_per_year,
                d.gompertz_slope_per_year,
            )
            .ok_or_else(|| {
                let reachable = GompertzMakeham {
                    a: d.makeham_per_year,
                    b: 1e-12,
                    c: d.gompertz_slope_per_year,
                }
                .life_expectancy(0.0);
                ParamIssue {
                    key_path: key.into(),
                    value: fmt_num(e0),
                    allowed: format!(
                        "a life expectancy reachable with makeham_per_year = {} (below {:.1} years)",
                        fmt_num(d.makeham_per_year),
                        reachable
                    ),
                }
            })?;
        }
        Ok(mortality)
    }

    /// Death threshold for a person of `sex` in completed month of age `age_months`, whose
    /// health resembles someone `extra_months` older.
    #[inline(always)]
    pub fn death_threshold(&self, sex: usize, age_months: u32, extra_months: u32) -> u32 {
        death_threshold_in(&self.death[sex], age_months + extra_months)
    }
}

/// The death threshold of completed month of age `age_months` in one sex's table (the last
/// month's beyond its end).
#[inline(always)]
pub(crate) fn death_threshold_in(table: &[u32], age_months: u32) -> u32 {
    table[(age_months as usize).min(table.len() - 1)]
}
