//! The synthetic population: the initial persons, and the newcomers (newborns, immigrants) that
//! fill vacant rows each month.
//!
//! Every attribute of a new person is drawn from [`Stream::Population`] keyed by the person's
//! id only, so a person is the same in every intervention arm and on every thread count.

use bevy_ecs::prelude::Resource;

use crate::params::ModelParams;
use crate::person::{
    Demographics, Employment, MonthNo, PersonBundle, PersonId, Sex, Slot, Socioeconomic,
    person_bundle,
};
use crate::persons::Persons;
use crate::rng::{MonthKey, Stream, standard_normal};
use crate::tables::DemographyTables;

/// Rows left by the dead and emigrants, reused by newcomers (last freed, first reused).
#[derive(Resource, Clone, Debug, Default)]
pub struct Vacancies(pub Vec<u32>);

/// The next unused person id.
#[derive(Resource, Clone, Copy, Debug)]
pub struct NextId(pub u32);

/// How a newcomer arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrival {
    /// Born this month.
    Birth,
    /// Immigrated this month.
    Immigrant,
}

/// A person to be placed this month.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Newcomer {
    /// Region of residence.
    pub region: u8,
    /// Sex.
    pub sex: Sex,
    /// Month of birth.
    pub birth_month: MonthNo,
    /// Birth or immigration.
    pub arrival: Arrival,
}

/// This month's newcomers, in a deterministic order (births by mother's row, then immigrants).
#[derive(Resource, Clone, Debug, Default)]
pub struct Newcomers(pub Vec<Newcomer>);

/// Index of the first draw of [`Stream::Population`] used for a person's attributes.
const DRAW_PROPENSITY: u32 = 0;
const DRAW_URBAN: u32 = 2;
const DRAW_REGION: u32 = 3;
const DRAW_AGE_CELL: u32 = 4;
const DRAW_AGE_WITHIN: u32 = 5;

/// Attributes drawn for a person from their id: propensity and urban residence.
pub(crate) fn new_person(
    p: &ModelParams,
    key: MonthKey,
    id: u32,
    region: u8,
    sex: Sex,
    birth_month: MonthNo,
    now: MonthNo,
) -> PersonBundle {
    let sd = p.crime.propensity_log_sd;
    let z = standard_normal(
        key.uniform(id, DRAW_PROPENSITY),
        key.uniform(id, DRAW_PROPENSITY + 1),
    );
    // Log-normal with mean 1: exp(sd z - sd^2 / 2).
    let propensity = (sd * z - 0.5 * sd * sd).exp() as f32;
    let urban = key.uniform(id, DRAW_URBAN) < p.regions[region as usize].urban_share;
    let age_years = (i32::from(now) - i32::from(birth_month)).max(0) / 12;
    person_bundle(
        Demographics {
            id: PersonId(id),
            birth_month,
            sex,
            region,
            slot: Slot::Alive,
            displaced: false,
        },
        Socioeconomic {
            propensity,
            employment: employment_by_age(age_years as u32),
            urban,
        },
    )
}

/// Labour-market status from age alone, for people entering the population; the economy stage
/// refines it.
pub(crate) fn employment_by_age(age_years: u32) -> Employment {
    match age_years {
        0..=14 => Employment::Child,
        15..=64 => Employment::Employed,
        _ => Employment::Retired,
    }
}

/// Picks an index from cumulative weights (the last entry is the total) with a uniform `u`.
pub(crate) fn pick_cumulative(cumulative: &[f64], u: f64) -> usize {
    let total = *cumulative.last().unwrap_or(&0.0);
    let target = u * total;
    cumulative
        .partition_point(|&c| c <= target)
        .min(cumulative.len().saturating_sub(1))
}

/// Running sums of `weights`.
pub fn cumulative(weights: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut acc = 0.0;
    weights
        .into_iter()
        .map(|w| {
            acc += w.max(0.0);
            acc
        })
        .collect()
}

/// How the persons of the start are drawn: each from its id alone (keyed draws), so they can be
/// drawn in any order, on any number of threads.
struct InitialDraws<'a> {
    p: &'a ModelParams,
    tables: &'a DemographyTables,
    key: MonthKey,
    /// Five-year age groups per sex.
    groups: usize,
    /// Cumulative shares of the (sex, age group) cells: men's groups, then women's.
    cells: Vec<f64>,
    /// Cumulative population shares of the regions.
    regions: Vec<f64>,
}

impl<'a> InitialDraws<'a> {
    fn new(p: &'a ModelParams, tables: &'a DemographyTables) -> Self {
        let a = &p.demography.age_structure;
        InitialDraws {
            p,
            tables,
            key: MonthKey::new(p.scenario.seed, Stream::Population, 0),
            groups: a.male.len(),
            cells: cumulative(a.male.iter().chain(a.female.iter()).copied()),
            regions: cumulative(p.regions.iter().map(|r| r.population_share)),
        }
    }

    /// The person with id `id`: age and sex from the age structure, region from the shares.
    fn person(&self, id: u32) -> PersonBundle {
        let (key, groups) = (self.key, self.groups);
        let cell = pick_cumulative(&self.cells, key.uniform(id, DRAW_AGE_CELL));
        let (sex, group) = if cell < groups {
            (Sex::Male, cell)
        } else {
            (Sex::Female, cell - groups)
        };
        let u = key.uniform(id, DRAW_AGE_WITHIN);
        let age_months = if group + 1 < groups {
            group as u32 * 60 + (u * 60.0) as u32
        } else {
            let cdf = &self.tables.open_group_cdf[sex.index()];
            group as u32 * 60 + pick_cumulative(cdf, u) as u32
        };
        let region = pick_cumulative(&self.regions, key.uniform(id, DRAW_REGION)) as u8;
        new_person(self.p, key, id, region, sex, -(age_months as MonthNo), 0)
    }
}

/// The initial population one person after another: persons with ids `0..agents`, ages and
/// sexes from the age structure, regions from the shares. The serial reference of
/// [`initial_persons`].
#[cfg(test)]
pub(crate) fn initial_population<'a>(
    p: &'a ModelParams,
    tables: &'a DemographyTables,
) -> impl ExactSizeIterator<Item = PersonBundle> + 'a {
    let draws = InitialDraws::new(p, tables);
    (0..p.scenario.agents).map(move |id| draws.person(id))
}

/// The person table of the start: the rows of [`initial_population`], drawn in parallel
/// (serially they were a third of the set-up at 1e7 agents: about 110 ns a person).
pub(crate) fn initial_persons(p: &ModelParams, tables: &DemographyTables) -> Persons {
    let draws = InitialDraws::new(p, tables);
    Persons::from_fn(p.scenario.agents, |id| draws.person(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_follow_weights() {
        let c = cumulative([1.0, 0.0, 3.0]);
        assert_eq!(pick_cumulative(&c, 0.0), 0);
        assert_eq!(pick_cumulative(&c, 0.24), 0);
        assert_eq!(pick_cumulative(&c, 0.26), 2);
        assert_eq!(pick_cumulative(&c, 0.999), 2);
    }

    #[test]
    fn initial_population_matches_structure_and_shares() {
        let mut p = ModelParams::baseline();
        p.scenario.agents = 200_000;
        let t = DemographyTables::new(&p).unwrap();
        let people: Vec<_> = initial_population(&p, &t).collect();
        assert_eq!(people.len(), 200_000);
        let n = people.len() as f64;
        let region0 = people.iter().filter(|b| b.0.region == 0).count() as f64 / n;
        assert!((region0 - 0.35).abs() < 0.005, "{region0}");
        let under5 = people.iter().filter(|b| b.0.age_years(0) < 5).count() as f64 / n;
        let want: f64 = p.demography.age_structure.male[0] + p.demography.age_structure.female[0];
        assert!((under5 - want).abs() < 0.003, "{under5} vs {want}");
        let mean_prop: f64 = people
            .iter()
            .map(|b| f64::from(b.1.propensity))
            .sum::<f64>()
            / n;
        assert!((mean_prop - 1.0).abs() < 0.02, "{mean_prop}");
        // Ids are stable: the same seed builds the same people.
        assert_eq!(
            initial_population(&p, &t).nth(123).unwrap().0,
            people[123].0
        );
    }

    /// The table drawn in parallel is the one drawn person after person, row for row, on any
    /// number of threads (rayon splits the rows differently with each).
    #[test]
    fn the_parallel_table_is_the_serial_one() {
        let mut p = ModelParams::baseline();
        p.scenario.agents = 30_001;
        let t = DemographyTables::new(&p).unwrap();
        let serial = Persons::from_rows(initial_population(&p, &t));
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let parallel = pool.install(|| initial_persons(&p, &t));
            assert!(parallel == serial, "{threads} threads");
        }
    }
}
