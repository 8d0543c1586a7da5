//! Resolved model parameters and the parameter table, the single source of every scalar default.
//!
//! Two parts:
//! - [`ModelParams`]: the resolved, validated parameters a [`crate::Simulation`] is built from.
//!   It has no `Deserialize` and no `Default`: [`ModelParams::baseline`] builds it from the table.
//! - [`PARAMETERS`]: one row per scalar parameter with its key path, unit, default, allowed range,
//!   meaning and source kind. Scenario files, `--set` overrides, sweeps, the generated
//!   `docs/parameters.md` and the commented scenario template all read this table, so a default
//!   lives in exactly one place.
//!
//! **Architecture Invariant:** sim-core knows nothing about TOML or files; `scenarios` turns a file
//! into `ModelParams` by walking the same key paths this table declares.

use std::fmt;

/// Where a default value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A published figure: the citation.
    Cited(&'static str),
    /// Arithmetic on other figures: the derivation.
    Derived(&'static str),
    /// Solved at run start so that year-one outputs match observed values.
    Calibrated(&'static str),
    /// No good estimate exists: an exposed assumption, a default target of sensitivity analysis.
    Assumption(&'static str),
}

impl Source {
    /// Short kind name: `cited`, `derived`, `calibrated`, `assumption`.
    pub fn kind(&self) -> &'static str {
        match self {
            Source::Cited(_) => "cited",
            Source::Derived(_) => "derived",
            Source::Calibrated(_) => "calibrated",
            Source::Assumption(_) => "assumption",
        }
    }

    /// The citation, derivation or reasoning.
    pub fn text(&self) -> &'static str {
        match self {
            Source::Cited(s)
            | Source::Derived(s)
            | Source::Calibrated(s)
            | Source::Assumption(s) => s,
        }
    }
}

/// Which part of [`ModelParams`] a table row addresses.
#[derive(Clone, Copy)]
pub enum Field {
    /// One value for the whole country.
    Global(fn(&mut ModelParams) -> &mut f64),
    /// One value per region (`[[regions]]` entries in a scenario file).
    Region(fn(&mut RegionParams) -> &mut f64),
}

impl fmt::Debug for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Global(_) => f.write_str("Global"),
            Field::Region(_) => f.write_str("Region"),
        }
    }
}

/// One scalar parameter.
#[derive(Clone, Copy, Debug)]
pub struct ParamSpec {
    /// Key path in a scenario file, e.g. `demography.total_fertility_rate`; region parameters are
    /// written `regions.<name>` and set inside each `[[regions]]` entry.
    pub key: &'static str,
    /// Unit, spelled out (`years`, `per 1000 per year`, `fraction`).
    pub unit: &'static str,
    /// Default value.
    pub default: f64,
    /// Smallest allowed value (inclusive).
    pub min: f64,
    /// Largest allowed value (inclusive).
    pub max: f64,
    /// Whether only whole numbers are allowed.
    pub integer: bool,
    /// One line: what the parameter means in the model.
    pub meaning: &'static str,
    /// Where the default comes from.
    pub source: Source,
    /// The field it sets.
    pub field: Field,
}

impl ParamSpec {
    /// The section of a scenario file the key lives in (`demography`, `regions`, ...).
    pub fn section(&self) -> &'static str {
        self.key.split('.').next().unwrap_or(self.key)
    }

    /// The key inside its section.
    pub fn name(&self) -> &'static str {
        self.key.split_once('.').map_or(self.key, |(_, n)| n)
    }

    /// Whether `value` is allowed; `Err` carries the human statement of what is allowed.
    pub fn check(&self, value: f64) -> Result<(), String> {
        if !value.is_finite() || value < self.min || value > self.max {
            return Err(self.allowed());
        }
        if self.integer && value.fract() != 0.0 {
            return Err(format!("a whole number, {}", self.allowed()));
        }
        Ok(())
    }

    /// "between MIN and MAX UNIT".
    pub fn allowed(&self) -> String {
        format!(
            "between {} and {} ({})",
            fmt_num(self.min),
            fmt_num(self.max),
            self.unit
        )
    }
}

/// Formats a number without a trailing `.0` and without scientific notation for everyday sizes.
pub fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// Looks a parameter up by its key path.
pub fn spec(key: &str) -> Option<&'static ParamSpec> {
    PARAMETERS.iter().find(|p| p.key == key)
}

/// Scenario-level settings: identity, horizon, size, seed.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioMeta {
    /// Short name, used for the output folder (`out/<name>/`).
    pub name: String,
    /// One paragraph for reports.
    pub description: String,
    /// First simulated calendar year (runs start in January).
    pub start_year: i32,
    /// Number of simulated years.
    pub years: u32,
    /// Number of agents at the start.
    pub agents: u32,
    /// Seed of every random stream.
    pub seed: u64,
    /// Real population the agents stand for at the start (persons).
    pub real_population: f64,
}

impl ScenarioMeta {
    /// Real persons per agent.
    pub fn scale(&self) -> f64 {
        self.real_population / f64::from(self.agents.max(1))
    }

    /// Number of simulated months.
    pub fn months(&self) -> u32 {
        self.years * 12
    }
}

/// One region's parameters.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RegionParams {
    /// Region name, unique within a scenario.
    pub name: String,
    /// Share of the national population living here at the start (fraction; shares sum to 1).
    pub population_share: f64,
    /// Share of the region's people living in urban areas (fraction).
    pub urban_share: f64,
}

/// Population by sex and 5-year age group at the start: shares of the total population.
/// The last group is open-ended (e.g. 17 groups end with 80+, 21 groups with 100+).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AgeStructure {
    /// Male shares by 5-year group from 0-4.
    pub male: Vec<f64>,
    /// Female shares by 5-year group from 0-4.
    pub female: Vec<f64>,
}

/// Demography: mortality, fertility, migration.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DemographyParams {
    /// Life expectancy at birth, males (years).
    pub life_expectancy_male: f64,
    /// Life expectancy at birth, females (years).
    pub life_expectancy_female: f64,
    /// Total fertility rate (children per woman).
    pub total_fertility_rate: f64,
    /// Net international migration (per 1000 population per year; negative = net emigration).
    pub net_migration_per_1000: f64,
    /// Makeham (age-independent) mortality term (per year).
    pub makeham_per_year: f64,
    /// Gompertz slope: the rate at which adult mortality rises with age (per year of age).
    pub gompertz_slope_per_year: f64,
    /// Sex ratio at birth (males per 100 females).
    pub sex_ratio_at_birth: f64,
    /// Mean age of international migrants at the move (years).
    pub migrant_mean_age: f64,
    /// Standard deviation of migrants' ages (years).
    pub migrant_age_sd: f64,
    /// Relative age-specific fertility for 15-19, 20-24, ..., 45-49 (scaled to the TFR).
    pub fertility_pattern: [f64; 7],
    /// Population by sex and 5-year age group at the start.
    pub age_structure: AgeStructure,
}

/// Offending (MODEL.md section 4.5).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CrimeParams {
    /// Standard deviation of log offending propensity (log scale).
    pub propensity_log_sd: f64,
}

/// Which parts of the model run. Switching a part off leaves its stage empty; used for
/// demography-only benchmarks and for tests that isolate one mechanism.
#[derive(Clone, Debug, PartialEq)]
pub struct Modules {
    /// Ageing, deaths, births, migration.
    pub demography: bool,
}

impl Modules {
    /// Every module on.
    pub fn all() -> Self {
        Modules { demography: true }
    }

    /// Only demography (and metrics): for benchmarks and demographic tests.
    pub fn demography_only() -> Self {
        Modules { demography: true }
    }
}

/// Everything a [`crate::Simulation`] is built from, resolved and validated.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelParams {
    /// Identity, horizon, size and seed.
    pub scenario: ScenarioMeta,
    /// The regions of the country (1-12).
    pub regions: Vec<RegionParams>,
    /// Mortality, fertility, migration.
    pub demography: DemographyParams,
    /// Offending.
    pub crime: CrimeParams,
    /// Which stages run.
    pub modules: Modules,
    /// `source = "..."` strings of the scenario file by section, carried into provenance.
    pub sources: Vec<(String, String)>,
}

/// A parameter value outside what the model accepts, found by [`ModelParams::check`].
#[derive(Clone, Debug, PartialEq)]
pub struct ParamIssue {
    /// Key path, e.g. `regions[2].population_share` or `demography.age_structure.male`.
    pub key_path: String,
    /// The offending value as written.
    pub value: String,
    /// What is allowed.
    pub allowed: String,
}

impl fmt::Display for ParamIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} = {}: must be {}",
            self.key_path, self.value, self.allowed
        )
    }
}

/// Tolerance for shares that must sum to one.
pub const SHARE_SUM_TOLERANCE: f64 = 1e-3;

/// Highest number of regions; region indices are stored in a `u8` and per-region tables stay small.
pub const MAX_REGIONS: usize = 12;

impl ModelParams {
    /// The baseline: every scalar at its table default, a generic four-region country and the
    /// world's 2023 age structure. Scenario files start from this and change what they name.
    pub fn baseline() -> Self {
        let mut p = ModelParams {
            scenario: ScenarioMeta {
                name: "baseline".into(),
                description: "Generic four-region country with the table defaults.".into(),
                start_year: 2025,
                years: 26,
                agents: 100_000,
                seed: 1,
                real_population: 50_000_000.0,
            },
            regions: Vec::new(),
            demography: DemographyParams {
                // UN WPP 2024 world pattern of age-specific fertility, 2023, relative shares.
                fertility_pattern: WORLD_FERTILITY_PATTERN,
                age_structure: world_age_structure_2023(),
                ..Default::default()
            },
            crime: CrimeParams::default(),
            modules: Modules::all(),
            sources: Vec::new(),
        };
        for spec in PARAMETERS {
            if let Field::Global(f) = spec.field {
                *f(&mut p) = spec.default;
            }
        }
        let shares = [0.35, 0.25, 0.22, 0.18];
        for (i, share) in shares.iter().enumerate() {
            let mut r = RegionParams::baseline(&format!("region-{}", i + 1));
            r.population_share = *share;
            p.regions.push(r);
        }
        p
    }

    /// Sets a parameter by key path; region parameters are addressed as `regions.<name>` (all
    /// regions) or `regions[i].<name>`. The value is range-checked against the table.
    pub fn set(&mut self, key_path: &str, value: f64) -> Result<(), ParamIssue> {
        let issue = |allowed: String| ParamIssue {
            key_path: key_path.to_string(),
            value: fmt_num(value),
            allowed,
        };
        let (region, key) = split_region_index(key_path);
        let spec = spec(&key).ok_or_else(|| issue("a known parameter key".into()))?;
        spec.check(value).map_err(issue)?;
        match (spec.field, region) {
            (Field::Global(f), None) => *f(self) = value,
            (Field::Region(f), None) => self.regions.iter_mut().for_each(|r| *f(r) = value),
            (Field::Region(f), Some(i)) => {
                let n = self.regions.len();
                let r = self
                    .regions
                    .get_mut(i)
                    .ok_or_else(|| issue(format!("a region index below {n}")))?;
                *f(r) = value;
            }
            (Field::Global(_), Some(_)) => return Err(issue("a region parameter".into())),
        }
        Ok(())
    }

    /// Reads a parameter by key path (see [`ModelParams::set`]); region parameters without an
    /// index read region 0.
    pub fn get(&mut self, key_path: &str) -> Option<f64> {
        let (region, key) = split_region_index(key_path);
        match spec(&key)?.field {
            Field::Global(f) => Some(*f(self)),
            Field::Region(f) => self.regions.get_mut(region.unwrap_or(0)).map(|r| *f(r)),
        }
    }

    /// Checks what the table's ranges cannot: cross-field rules (shares sum to one, unique
    /// names, age structure shape) and every scalar's range. Returns every problem found.
    pub fn check(&self) -> Vec<ParamIssue> {
        let mut issues = Vec::new();
        let mut copy = self.clone();
        for spec in PARAMETERS {
            match spec.field {
                Field::Global(f) => {
                    let v = *f(&mut copy);
                    if let Err(allowed) = spec.check(v) {
                        issues.push(ParamIssue {
                            key_path: spec.key.into(),
                            value: fmt_num(v),
                            allowed,
                        });
                    }
                }
                Field::Region(f) => {
                    for (i, r) in copy.regions.iter_mut().enumerate() {
                        let v = *f(r);
                        if let Err(allowed) = spec.check(v) {
                            issues.push(ParamIssue {
                                key_path: format!("regions[{i}].{}", spec.name()),
                                value: fmt_num(v),
                                allowed,
                            });
                        }
                    }
                }
            }
        }
        self.check_structure(&mut issues);
        issues
    }

    fn check_structure(&self, issues: &mut Vec<ParamIssue>) {
        let mut push = |k: &str, v: String, a: &str| {
            issues.push(ParamIssue {
                key_path: k.into(),
                value: v,
                allowed: a.into(),
            })
        };
        let s = &self.scenario;
        if s.name.trim().is_empty()
            || !s
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            push(
                "scenario.name",
                format!("{:?}", s.name),
                "a non-empty name of letters, digits, '-', '_' or '.'",
            );
        }
        if !(1900..=2200).contains(&s.start_year) {
            push(
                "scenario.start_year",
                s.start_year.to_string(),
                "between 1900 and 2200",
            );
        }
        if !(1..=200).contains(&s.years) {
            push("scenario.years", s.years.to_string(), "between 1 and 200");
        }
        if !(100..=50_000_000).contains(&s.agents) {
            push(
                "scenario.agents",
                s.agents.to_string(),
                "between 100 and 50000000",
            );
        }
        if !(s.real_population >= f64::from(s.agents) && s.real_population <= 2e10) {
            push(
                "scenario.real_population",
                fmt_num(s.real_population),
                "at least the number of agents and at most 2e10 persons",
            );
        }
        if self.regions.is_empty() || self.regions.len() > MAX_REGIONS {
            push(
                "regions",
                format!("{} regions", self.regions.len()),
                "between 1 and 12 regions",
            );
        }
        let total: f64 = self.regions.iter().map(|r| r.population_share).sum();
        if !self.regions.is_empty() && (total - 1.0).abs() > SHARE_SUM_TOLERANCE {
            push(
                "regions.population_share",
                format!("shares summing to {}", round6(total)),
                "shares summing to 1 (within 0.001)",
            );
        }
        for (i, r) in self.regions.iter().enumerate() {
            if r.name.trim().is_empty() {
                push(
                    &format!("regions[{i}].name"),
                    "\"\"".into(),
                    "a non-empty name",
                );
            }
            if self.regions[..i].iter().any(|o| o.name == r.name) {
                push(
                    &format!("regions[{i}].name"),
                    format!("{:?}", r.name),
                    "a name not used by another region",
                );
            }
        }
        let a = &self.demography.age_structure;
        for (sex, v) in [("male", &a.male), ("female", &a.female)] {
            let key = format!("demography.age_structure.{sex}");
            if !(MIN_AGE_GROUPS..=MAX_AGE_GROUPS).contains(&v.len()) {
                push(
                    &key,
                    format!("{} groups", v.len()),
                    "between 17 (0-4 to 80+) and 21 (0-4 to 100+) five-year groups",
                );
            }
            if let Some(x) = v.iter().find(|x| !(x.is_finite() && **x >= 0.0)) {
                push(&key, fmt_num(*x), "shares of at least 0");
            }
        }
        if a.male.len() != a.female.len() {
            push(
                "demography.age_structure",
                format!("{} male and {} female groups", a.male.len(), a.female.len()),
                "as many female as male groups",
            );
        }
        let total: f64 = a.male.iter().chain(&a.female).sum();
        if (total - 1.0).abs() > SHARE_SUM_TOLERANCE && (total - 100.0).abs() > 0.1 {
            push(
                "demography.age_structure",
                format!("shares summing to {}", round6(total)),
                "shares summing to 1 (or percentages summing to 100)",
            );
        }
        if let Err(issue) = crate::tables::DemographyTables::calibrate_mortality(self) {
            push(&issue.key_path, issue.value, &issue.allowed);
        }
        let f = &self.demography.fertility_pattern;
        if f.iter().any(|x| !(x.is_finite() && *x >= 0.0)) || f.iter().sum::<f64>() <= 0.0 {
            push(
                "demography.fertility_pattern",
                format!("{f:?}"),
                "seven non-negative weights (15-19 to 45-49) with a positive sum",
            );
        }
    }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Splits `regions[3].urban_share` into `(Some(3), "regions.urban_share")`.
fn split_region_index(key_path: &str) -> (Option<usize>, String) {
    if let Some(rest) = key_path.strip_prefix("regions[")
        && let Some((idx, tail)) = rest.split_once("].")
        && let Ok(i) = idx.parse::<usize>()
    {
        return (Some(i), format!("regions.{tail}"));
    }
    (None, key_path.to_string())
}

impl RegionParams {
    /// A region with every region-scoped table default and no population yet.
    pub fn baseline(name: &str) -> Self {
        let mut r = RegionParams {
            name: name.to_string(),
            ..Default::default()
        };
        for spec in PARAMETERS {
            if let Field::Region(f) = spec.field {
                *f(&mut r) = spec.default;
            }
        }
        r
    }
}

/// Fewest and most 5-year age groups in an age structure (0-4 ... 80+ to 0-4 ... 100+).
pub const MIN_AGE_GROUPS: usize = 17;
/// See [`MIN_AGE_GROUPS`].
pub const MAX_AGE_GROUPS: usize = 21;

/// Relative age-specific fertility rates for 15-19 ... 45-49: UN World Population Prospects 2024,
/// world, 2023 (about 41, 136, 135, 98, 52, 16, 3 births per 1000 women), rounded.
pub const WORLD_FERTILITY_PATTERN: [f64; 7] = [0.041, 0.136, 0.135, 0.098, 0.052, 0.016, 0.003];

/// World population by sex and 5-year group, 2023, shares of the total (UN World Population
/// Prospects 2024, rounded to 0.1 percentage point; 100+ folded into 95+ for brevity).
pub fn world_age_structure_2023() -> AgeStructure {
    let male = [
        4.3, 4.4, 4.3, 4.1, 3.9, 3.9, 3.9, 3.6, 3.3, 3.0, 2.8, 2.4, 2.0, 1.6, 1.2, 0.7, 0.4, 0.2,
        0.1, 0.03,
    ];
    let female = [
        4.0, 4.1, 4.0, 3.8, 3.7, 3.7, 3.8, 3.5, 3.2, 3.0, 2.8, 2.5, 2.2, 1.9, 1.5, 1.0, 0.7, 0.4,
        0.16, 0.06,
    ];
    let total: f64 = male.iter().chain(female.iter()).sum();
    AgeStructure {
        male: male.iter().map(|x| x / total).collect(),
        female: female.iter().map(|x| x / total).collect(),
    }
}

macro_rules! global {
    ($key:literal, $($f:ident).+ ; $unit:literal, $default:expr, [$min:expr, $max:expr], $integer:expr, $source:expr, $meaning:literal) => {
        ParamSpec {
            key: $key,
            unit: $unit,
            default: $default,
            min: $min,
            max: $max,
            integer: $integer,
            meaning: $meaning,
            source: $source,
            field: Field::Global(|p| &mut p.$($f).+),
        }
    };
}

macro_rules! region {
    ($key:literal, $f:ident ; $unit:literal, $default:expr, [$min:expr, $max:expr], $source:expr, $meaning:literal) => {
        ParamSpec {
            key: $key,
            unit: $unit,
            default: $default,
            min: $min,
            max: $max,
            integer: false,
            meaning: $meaning,
            source: $source,
            field: Field::Region(|r| &mut r.$f),
        }
    };
}

use Source::{Assumption, Cited, Derived};

/// Every scalar parameter of the model. Order: by scenario-file section, as in MODEL.md.
pub static PARAMETERS: &[ParamSpec] = &[
    region!("regions.population_share", population_share; "fraction", 0.25, [0.0, 1.0],
        Derived("scenario input: the region's share of the national population; shares sum to 1"),
        "Share of the national population living in the region at the start."),
    region!("regions.urban_share", urban_share; "fraction", 0.57, [0.0, 1.0],
        Cited("UN DESA World Urbanization Prospects 2018: 57% of the world urban by 2023 (interpolated)"),
        "Share of the region's people living in urban areas."),
    global!("demography.life_expectancy_male", demography.life_expectancy_male;
        "years", 70.8, [30.0, 95.0], false,
        Cited("UN World Population Prospects 2024: world male life expectancy at birth, 2023"),
        "Male life expectancy at birth; the Gompertz level is solved so the period life table matches it."),
    global!("demography.life_expectancy_female", demography.life_expectancy_female;
        "years", 76.0, [30.0, 95.0], false,
        Cited("UN World Population Prospects 2024: world female life expectancy at birth, 2023"),
        "Female life expectancy at birth; the Gompertz level is solved so the period life table matches it."),
    global!("demography.total_fertility_rate", demography.total_fertility_rate;
        "children per woman", 2.25, [0.5, 8.0], false,
        Cited("UN World Population Prospects 2024: world total fertility rate, 2024"),
        "Total fertility rate; scales the age-specific fertility pattern."),
    global!("demography.net_migration_per_1000", demography.net_migration_per_1000;
        "per 1000 population per year", 0.0, [-30.0, 30.0], false,
        Assumption("closed population unless a scenario gives its observed net migration rate"),
        "Net international migration; positive adds immigrants, negative removes emigrants."),
    global!("demography.makeham_per_year", demography.makeham_per_year;
        "per year", 0.0005, [0.0, 0.05], false,
        Assumption("age-independent background mortality of the order of 1e-4 to 1e-3 per year, as in fitted Gompertz-Makeham life tables"),
        "Makeham term A of the hazard A + B exp(C x)."),
    global!("demography.gompertz_slope_per_year", demography.gompertz_slope_per_year;
        "per year of age", 0.09, [0.04, 0.15], false,
        Cited("Gompertz slope about 0.085-0.1 per year in human adult mortality (mortality doubling time 7-8 years; Gavrilov & Gavrilova 1991; Missov et al. 2015)"),
        "Gompertz slope C of the hazard A + B exp(C x); B is solved from life expectancy."),
    global!("demography.sex_ratio_at_birth", demography.sex_ratio_at_birth;
        "males per 100 females", 105.0, [90.0, 125.0], false,
        Cited("WHO: expected sex ratio at birth about 105 males per 100 females"),
        "Sex ratio at birth."),
    global!("demography.migrant_mean_age", demography.migrant_mean_age;
        "years", 29.0, [0.0, 80.0], false,
        Assumption("migration flows peak among young adults (Rogers & Castro 1981 model schedules); mean about 29"),
        "Mean age of international migrants when they move."),
    global!("demography.migrant_age_sd", demography.migrant_age_sd;
        "years", 12.0, [1.0, 40.0], false,
        Assumption("spread of migrants' ages around the young-adult peak"),
        "Standard deviation of international migrants' ages (normal, truncated to 0-90)."),
    global!("crime.propensity_log_sd", crime.propensity_log_sd;
        "log scale", 0.8, [0.0, 3.0], false,
        Assumption("MODEL.md section 2: sd 0.8 on the log scale makes about 5-10% of a cohort commit about half of offences (Wolfgang, Figlio & Sellin 1972)"),
        "Spread of the persistent, log-normal individual offending propensity (mean 1)."),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baseline_passes_its_own_checks() {
        let p = ModelParams::baseline();
        assert_eq!(p.check(), Vec::<ParamIssue>::new());
    }

    #[test]
    fn every_default_lies_in_its_range_and_keys_are_unique() {
        for (i, s) in PARAMETERS.iter().enumerate() {
            assert!(
                s.check(s.default).is_ok(),
                "{} default {}",
                s.key,
                s.default
            );
            assert!(!s.source.text().is_empty(), "{} has no source", s.key);
            assert!(
                PARAMETERS[..i].iter().all(|o| o.key != s.key),
                "duplicate {}",
                s.key
            );
        }
    }

    #[test]
    fn set_and_get_by_key_path() {
        let mut p = ModelParams::baseline();
        p.set("demography.total_fertility_rate", 1.4).unwrap();
        assert_eq!(p.demography.total_fertility_rate, 1.4);
        p.set("regions[1].urban_share", 0.9).unwrap();
        assert_eq!(p.regions[1].urban_share, 0.9);
        assert_eq!(p.regions[0].urban_share, 0.57);
        assert_eq!(p.get("regions[1].urban_share"), Some(0.9));
        let err = p.set("demography.total_fertility_rate", -1.0).unwrap_err();
        assert_eq!(err.allowed, "between 0.5 and 8 (children per woman)");
        assert!(p.set("regions[9].urban_share", 0.5).is_err());
        assert!(p.set("demography.no_such_key", 0.5).is_err());
    }

    #[test]
    fn cross_field_rules_are_reported() {
        let mut p = ModelParams::baseline();
        p.regions[0].population_share = 0.9;
        p.regions[1].name = p.regions[0].name.clone();
        let issues = p.check();
        let keys: Vec<&str> = issues.iter().map(|i| i.key_path.as_str()).collect();
        assert!(keys.contains(&"regions.population_share"), "{keys:?}");
        assert!(keys.contains(&"regions[1].name"), "{keys:?}");
    }
}
