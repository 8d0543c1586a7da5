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

mod table;

use std::fmt;

use crate::offence::{OFFENCE_TYPES, OffenceType};

pub use table::PARAMETERS;

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
    /// One value per offence type (`crime.<type>.<name>`, e.g. `crime.homicide.clearance`).
    Offence(fn(&mut OffenceParams) -> &mut f64),
}

impl fmt::Debug for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Global(_) => f.write_str("Global"),
            Field::Region(_) => f.write_str("Region"),
            Field::Offence(_) => f.write_str("Offence"),
        }
    }
}

/// A parameter's default: one value, or one per offence type.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Defaults {
    /// The same default everywhere.
    Scalar(f64),
    /// Defaults by offence type, in [`OffenceType::ALL`] order.
    PerOffence([f64; OFFENCE_TYPES]),
}

impl Defaults {
    /// The default for offence type `i` (or the scalar default).
    pub fn value(&self, i: usize) -> f64 {
        match self {
            Defaults::Scalar(x) => *x,
            Defaults::PerOffence(v) => v[i],
        }
    }

    /// Human form for docs and templates.
    pub fn describe(&self) -> String {
        match self {
            Defaults::Scalar(x) => fmt_num(*x),
            Defaults::PerOffence(v) => OffenceType::NAMES
                .iter()
                .zip(v)
                .map(|(n, x)| format!("{n} {}", fmt_num(*x)))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// One scalar parameter.
#[derive(Clone, Copy, Debug)]
pub struct ParamSpec {
    /// Key path in a scenario file, e.g. `demography.total_fertility_rate`. Region parameters are
    /// written `regions.<name>` and set inside each `[[regions]]` entry; offence parameters are
    /// written `crime.*.<name>` and set as `crime.<type>.<name>`.
    pub key: &'static str,
    /// Unit, spelled out (`years`, `per 1000 per year`, `fraction`).
    pub unit: &'static str,
    /// Default value(s).
    pub default: Defaults,
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

    /// The key's last part (the name inside its table).
    pub fn name(&self) -> &'static str {
        self.key.rsplit('.').next().unwrap_or(self.key)
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

    /// "between MIN and MAX (UNIT)".
    pub fn allowed(&self) -> String {
        format!(
            "between {} and {} ({})",
            fmt_num(self.min),
            fmt_num(self.max),
            self.unit
        )
    }

    /// The concrete key paths this spec stands for (`crime.*.x` expands to one per type).
    pub fn concrete_keys(&self) -> Vec<String> {
        match self.field {
            Field::Offence(_) => OffenceType::NAMES
                .iter()
                .map(|n| self.key.replace('*', n))
                .collect(),
            _ => vec![self.key.to_string()],
        }
    }
}

/// A key path resolved against the table.
#[derive(Clone, Copy, Debug)]
pub struct KeyRef {
    /// The parameter.
    pub spec: &'static ParamSpec,
    /// `Some(i)` for `regions[i].x`; `None` for `regions.x` (every region) and non-region keys.
    pub region: Option<usize>,
    /// Offence type index for `crime.<type>.x`.
    pub offence: Option<usize>,
}

/// Resolves a key path: `demography.x`, `regions.x`, `regions[2].x` or `crime.homicide.x`.
pub fn lookup(key_path: &str) -> Option<KeyRef> {
    if let Some(rest) = key_path.strip_prefix("regions[")
        && let Some((idx, tail)) = rest.split_once("].")
    {
        let i = idx.parse::<usize>().ok()?;
        let s = spec(&format!("regions.{tail}"))?;
        return matches!(s.field, Field::Region(_)).then_some(KeyRef {
            spec: s,
            region: Some(i),
            offence: None,
        });
    }
    if let Some(s) = spec(key_path) {
        return (!matches!(s.field, Field::Offence(_))).then_some(KeyRef {
            spec: s,
            region: None,
            offence: None,
        });
    }
    let parts: Vec<&str> = key_path.split('.').collect();
    if parts.len() == 3 && parts[0] == "crime" {
        let t = OffenceType::NAMES.iter().position(|n| *n == parts[1])?;
        let s = spec(&format!("crime.*.{}", parts[2]))?;
        return Some(KeyRef {
            spec: s,
            region: None,
            offence: Some(t),
        });
    }
    None
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
    /// ISO 4217 code of the currency every cost parameter is in (`USD`, `GBP`); outputs name
    /// it beside every cost.
    pub currency: String,
    /// The year whose prices the costs are in (real terms: costs are not inflated over the run).
    pub price_year: i32,
    /// The country's UN M49 numeric code (`"826"`), written as the reference area of
    /// `sdg.csv`; empty for a synthetic country.
    pub ref_area: String,
}

/// Whether `code` has the form of a UN M49 numeric area code (one to three digits).
pub fn is_m49(code: &str) -> bool {
    (1..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit())
}

/// Currency of the cost defaults of the parameter table: they are order-of-magnitude
/// assumptions for a middle-income country, expressed in US dollars.
pub const DEFAULT_CURRENCY: &str = "USD";

/// Price year of the cost defaults of the parameter table.
pub const DEFAULT_PRICE_YEAR: i32 = 2024;

impl ScenarioMeta {
    /// How outputs name the unit of costs: "USD, 2024 prices".
    pub fn cost_unit(&self) -> String {
        format!("{}, {} prices", self.currency, self.price_year)
    }

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
    /// Unemployment rate of the labour force (fraction).
    pub unemployment_rate: f64,
    /// Gini coefficient of income (0-1).
    pub gini: f64,
    /// Police officers per 100,000 population.
    pub police_per_100k: f64,
    /// Share of people using the internet (fraction): reach of remote hearings and online
    /// legal information.
    pub digital_access: f64,
    /// Growth of internet use a year, on the logit scale (log odds a year): adoption follows a
    /// logistic curve from `digital_access` at the start.
    pub digital_access_growth: f64,
    /// Relative weight of the region in the national prison-bed stock (times population share).
    pub prison_bed_weight: f64,
    /// Hazard events a year by type, in [`Hazard::ALL`] order (flood, storm, drought, heatwave).
    pub hazard_per_year: [f64; HAZARDS],
    /// Median share of the region's people affected by one event, by hazard type.
    pub hazard_affected_share: [f64; HAZARDS],
    /// Position of the region (km east), for the gravity rule of displacement.
    pub x_km: f64,
    /// Position of the region (km north).
    pub y_km: f64,
    /// Standard deviation of monthly mean temperature around its climatology (degrees C).
    pub temperature_sd_c: f64,
    /// Annual mean temperature (degrees C).
    pub mean_temperature_c: f64,
    /// Half the difference between the warmest and coldest month (degrees C).
    pub seasonal_amplitude_c: f64,
}

/// Climate hazard types (docs/model.md section 4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Hazard {
    /// Riverine and coastal floods (and landslides).
    Flood = 0,
    /// Tropical storms and cyclones.
    Storm = 1,
    /// Droughts: slow onset, lasting months.
    Drought = 2,
    /// Heatwaves.
    Heatwave = 3,
}

/// Number of hazard types.
pub const HAZARDS: usize = 4;

impl Hazard {
    /// All hazards, in index order.
    pub const ALL: [Hazard; HAZARDS] = [
        Hazard::Flood,
        Hazard::Storm,
        Hazard::Drought,
        Hazard::Heatwave,
    ];
    /// Names used in keys and outputs.
    pub const NAMES: [&'static str; HAZARDS] = ["flood", "storm", "drought", "heatwave"];

    /// Name.
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// A warming pathway: global warming above the start year (degrees C) by calendar year,
/// linear between the listed years and flat beyond them.
#[derive(Clone, Debug, PartialEq)]
pub struct Pathway {
    /// Name (`ssp1-2.6`, `ssp2-4.5`, `ssp5-8.5` or `table` for a user table).
    pub name: String,
    /// Calendar years, strictly increasing.
    pub years: Vec<f64>,
    /// Warming above the start (degrees C) at each year.
    pub warming: Vec<f64>,
}

impl Pathway {
    /// The named SSP pathways: warming above 2025 of about +0.3, +0.6 and +0.9 C by 2050
    /// (IPCC AR6 WG1 SPM, Table SPM.1 means for 2041-2060 against 2021-2040), continued to 2100.
    pub fn named(name: &str) -> Option<Pathway> {
        let points: &[(f64, f64)] = match name {
            "ssp1-2.6" => &[(2025.0, 0.0), (2050.0, 0.3), (2100.0, 0.4)],
            "ssp2-4.5" => &[(2025.0, 0.0), (2050.0, 0.6), (2100.0, 1.4)],
            "ssp5-8.5" => &[(2025.0, 0.0), (2050.0, 0.9), (2100.0, 3.0)],
            _ => return None,
        };
        Some(Pathway {
            name: name.to_string(),
            years: points.iter().map(|p| p.0).collect(),
            warming: points.iter().map(|p| p.1).collect(),
        })
    }

    /// Names of the built-in pathways.
    pub const NAMES: [&'static str; 3] = ["ssp1-2.6", "ssp2-4.5", "ssp5-8.5"];

    /// Warming above the start at a (fractional) calendar year.
    pub fn warming(&self, year: f64) -> f64 {
        let (ys, ws) = (&self.years, &self.warming);
        match ys.iter().position(|y| *y > year) {
            None => ws.last().copied().unwrap_or(0.0),
            Some(0) => ws[0],
            Some(i) => ws[i - 1] + (ws[i] - ws[i - 1]) * (year - ys[i - 1]) / (ys[i] - ys[i - 1]),
        }
    }
}

/// Climate shocks and displacement (docs/model.md sections 4.1-4.2).
#[derive(Clone, Debug, PartialEq)]
pub struct ClimateParams {
    /// Warming pathway.
    pub pathway: Pathway,
    /// Frequency and severity rise per degree of warming, by hazard: `1 + k * dT`.
    pub warming_sensitivity: [f64; HAZARDS],
    /// Spread of event severity (standard deviation of log affected share).
    pub severity_log_sd: f64,
    /// Share of affected people who are displaced, by hazard.
    pub displaced_share: [f64; HAZARDS],
    /// Mean months before displaced people return home, by hazard.
    pub return_months: [f64; HAZARDS],
    /// Share of people displaced by floods and storms who never return.
    pub never_return_share: f64,
    /// Share of people displaced by drought who move permanently to another region's towns.
    pub drought_permanent_share: f64,
    /// Months of a drought (its displacement is spread over them).
    pub drought_months: f64,
    /// Share of displaced people who stay in their own region.
    pub stay_in_region_share: f64,
    /// Urban pull in the gravity rule: destination weight grows by `1 + pull * urban share`.
    pub urban_pull: f64,
    /// Probability that a displaced worker loses their job.
    pub job_loss_share: f64,
    /// Month-to-month autocorrelation of the temperature anomaly.
    pub anomaly_autocorrelation: f64,
    /// Anomaly added in a heatwave month (standard deviations).
    pub heatwave_anomaly_sd: f64,
    /// Affected share above which an event damages courts and prisons.
    pub severe_threshold: f64,
    /// Court capacity lost per unit of affected share in a severe event.
    pub court_damage_per_severity: f64,
    /// Prison beds lost per unit of affected share in a severe event.
    pub prison_damage_per_severity: f64,
    /// Mean months to repair damaged courts and prisons.
    pub repair_months: f64,
    /// Share of displacement avoided by early warning and adaptation (policy lever).
    pub adaptation: f64,
    /// Share of infrastructure damage avoided by resilient construction (policy lever).
    pub resilience: f64,
    /// In-custody mortality rise in heatwave months (prisons without cooling).
    pub prison_heat_mortality_effect: f64,
    /// Strength of the link from a degraded ecosystem buffer to flood severity (0: none).
    pub ecosystem_link: f64,
    /// Ecosystem buffer lost per environmental offence per 1000 people of the region.
    pub ecosystem_loss_per_offence_per_1000: f64,
    /// Share of the lost buffer recovered each year.
    pub ecosystem_recovery_per_year: f64,
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

/// Employment (docs/model.md section 4.4).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EconomyParams {
    /// Monthly probability that an unemployed person finds work.
    pub job_finding_per_month: f64,
    /// Share of people aged 15-24 not in education, employment or training.
    pub youth_neet_share: f64,
    /// Share of 15-17-year-olds in education.
    pub enrolment_15_17: f64,
    /// Share of 18-24-year-olds in education.
    pub enrolment_18_24: f64,
    /// Age at which people leave the labour force (years).
    pub retirement_age: f64,
}

/// Parameters of one offence type (docs/model.md sections 4.5-4.10).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OffenceParams {
    /// Age at which offending peaks (years).
    pub peak_age: f64,
    /// Age above the peak at which offending has fallen to half the peak (years).
    pub half_peak_age: f64,
    /// Share of offenders who are male.
    pub male_share: f64,
    /// Probability that the victim reports it (homicide: that it is discovered).
    pub report: f64,
    /// Probability that police detect an unreported offence themselves.
    pub proactive: f64,
    /// Probability that a recorded offence is cleared with ample police capacity.
    pub clearance: f64,
    /// Probability that a suspect is charged.
    pub charge: f64,
    /// Probability of conviction at disposition for a defendant at liberty.
    pub conviction: f64,
    /// Probability of a custodial sentence on conviction (before the calibrated scale).
    pub custody: f64,
    /// Median custodial sentence (months).
    pub sentence_median_months: f64,
    /// Spread of custodial sentences (standard deviation of log months).
    pub sentence_log_sd: f64,
    /// Share of custodial sentences that are life or indeterminate: the drawn length is the
    /// minimum term, and release follows at `justice.indeterminate_release_per_month`.
    pub indeterminate_share: f64,
    /// Relative propensity of pre-trial detention (before the calibrated scale).
    pub detention: f64,
    /// Mean delay between offence and arrest for offences prosecuted late (years).
    pub prosecution_delay_years: f64,
    /// Share of victims who are male.
    pub victim_male_share: f64,
    /// Age at which the risk of being a victim peaks (years).
    pub victim_peak_age: f64,
    /// Age above the peak at which victimisation risk has halved (years).
    pub victim_half_peak_age: f64,
}

/// Offending and victimisation (docs/model.md sections 4.5-4.6); observed year-one values that the
/// base hazards are aligned to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CrimeParams {
    /// Standard deviation of log offending propensity (log scale).
    pub propensity_log_sd: f64,
    /// Youngest age at which offences are simulated (years).
    pub min_age: f64,
    /// Age below the peak at which offending is half its peak (years): the early-adolescent rise.
    pub rise_half_age: f64,
    /// Offending multiplier for unemployed and NEET people.
    pub unemployed_multiplier: f64,
    /// Elasticity of homicide and assault with respect to the regional Gini.
    pub gini_elasticity: f64,
    /// Elasticity of offending with respect to the past year's clearance rate (certainty).
    pub deterrence_elasticity: f64,
    /// Relative rise of interpersonal violence per standard deviation of temperature anomaly.
    pub heat_effect_per_sd: f64,
    /// Share of non-lethal violence victims drawn among people aged 60 and over (elder abuse).
    pub elder_abuse_share: f64,
    /// Share of gender-based violence victimisations that are sexual violence (the rest is
    /// physical partner violence).
    pub gbv_sexual_share: f64,
    /// Trafficking victimisation multiplier for displaced people.
    pub displaced_trafficking_multiplier: f64,
    /// Gender-based violence victimisation multiplier for displaced people.
    pub displaced_gbv_multiplier: f64,
    /// Offending multiplier for displaced people (sensitivity only; default 1).
    pub displaced_offending_multiplier: f64,
    /// Observed year one: victims of intentional homicide per 100,000 per year.
    pub homicide_rate_per_100k: f64,
    /// Observed year one: share of people 15+ who suffered non-lethal violence in 12 months (%).
    pub violence_prevalence_pct: f64,
    /// Observed year one: share of women 15-49 who suffered gender-based violence in 12 months (%).
    pub gbv_prevalence_women_pct: f64,
    /// Observed year one: share of people who suffered a property crime in 12 months (%).
    pub property_victimisation_pct: f64,
    /// Observed year one: share of people 15+ who suffered a robbery in 12 months (%), a part
    /// of property crime.
    pub robbery_victimisation_pct: f64,
    /// Observed year one: recorded drug offences per 100,000 per year.
    pub drug_recorded_per_100k: f64,
    /// Observed year one: detected victims of trafficking per 100,000 per year.
    pub trafficking_detected_per_100k: f64,
    /// Observed year one: recorded environmental offences per 100,000 per year.
    pub environment_recorded_per_100k: f64,
    /// Observed year one: share of people 15+ who were victims of online fraud in 12 months (%).
    pub fraud_victimisation_pct: f64,
    /// Per-type parameters, in [`OffenceType::ALL`] order.
    pub types: [OffenceParams; OFFENCE_TYPES],
}

/// Police, courts and sentencing (docs/model.md sections 4.7-4.10).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JusticeParams {
    /// Observed year one: share of victims of violence who reported to the police (%).
    pub violence_reporting_pct: f64,
    /// Reporting multiplier for displaced victims.
    pub displaced_reporting_multiplier: f64,
    /// Police clearance capacity as a share of the year-one workload.
    pub police_capacity_ratio: f64,
    /// Exponent of the capacity effect on clearance: min(1, capacity/workload)^gamma.
    pub clearance_capacity_gamma: f64,
    /// Policy multiplier on every region's police clearance capacity.
    pub police_capacity_multiplier: f64,
    /// Cost of one police officer for a year (currency units).
    pub police_cost_per_officer_year: f64,
    /// Court disposition capacity as a share of the year-one caseload.
    pub court_capacity_ratio: f64,
    /// Policy multiplier on every region's court capacity.
    pub court_capacity_multiplier: f64,
    /// Median procedural time from charge to a case being ready for disposition (months).
    pub procedure_months: f64,
    /// Spread of procedural times (standard deviation of log months).
    pub procedure_log_sd: f64,
    /// Rise in conviction probability for defendants detained before trial.
    pub detained_conviction_boost: f64,
    /// Age of criminal responsibility: younger suspects are diverted, not charged (years).
    pub age_of_criminal_responsibility: f64,
    /// Share of chargeable suspects under 18 diverted from prosecution.
    pub juvenile_diversion: f64,
    /// Pre-trial detention and custody of offenders under 18, relative to adults.
    pub juvenile_custody_multiplier: f64,
    /// Pre-trial detention and custody of women, relative to men.
    pub female_custody_multiplier: f64,
    /// Custodial sentence lengths of women, relative to men.
    pub female_sentence_multiplier: f64,
    /// Cost of one court disposition (currency units).
    pub court_cost_per_case: f64,
    /// Length of a community sentence (months).
    pub community_sentence_months: f64,
    /// Multiplier on every custodial sentence length.
    pub severity_multiplier: f64,
    /// Share of a sentence served before parole eligibility.
    pub parole_eligibility_fraction: f64,
    /// Monthly probability of parole once eligible.
    pub parole_grant_per_month: f64,
    /// Monthly probability of release, after the minimum term, of a life or indeterminate
    /// sentence.
    pub indeterminate_release_per_month: f64,
    /// Years of justice burn-in before the start (whole years; 0 = none).
    pub burn_in_years: f64,
    /// Elasticity of proactive detection to police per person, relative to the national mean.
    pub detection_presence_elasticity: f64,
    /// Digital access of rural people relative to the region's.
    pub digital_access_rural_multiplier: f64,
    /// Digital access of people 65 and over relative to the region's.
    pub digital_access_older_multiplier: f64,
    /// Digital access of displaced people relative to the region's.
    pub digital_access_displaced_multiplier: f64,
    /// Share of procedural time saved for a defendant whose case is heard remotely.
    pub remote_procedure_cut: f64,
    /// Relative rise of pre-trial detention for a defendant whose first appearance is by video.
    pub video_detention_risk: f64,
}

/// Prisons, ageing and release (docs/model.md section 4.11).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PrisonParams {
    /// Observed year one: prisoners per 100,000 population.
    pub prison_population_per_100k: f64,
    /// Observed year one: unsentenced share of prisoners (%).
    pub unsentenced_share_pct: f64,
    /// Observed year one: prisoners per 100 beds (%).
    pub occupancy_pct: f64,
    /// Occupancy above which prisoners are transferred to other regions (%).
    pub transfer_threshold_pct: f64,
    /// Years by which prisoners' health resembles older people's.
    pub custody_age_offset_years: f64,
    /// Observed year one: deaths in custody a year per 100,000 prisoners (all causes).
    pub deaths_in_custody_per_100k: f64,
    /// Share of year-one deaths in custody from natural causes (illness).
    pub natural_death_share: f64,
    /// Relative rise of in-custody mortality per unit of occupancy above 1.
    pub overcrowding_mortality_effect: f64,
    /// Relative rise of post-release reoffending per unit of occupancy above 1 at release.
    pub overcrowding_reoffending_effect: f64,
    /// Cost of one prisoner-month under 50 (currency units).
    pub cost_per_prisoner_month: f64,
    /// Cost multiplier for prisoners aged 50 and over.
    pub older_cost_multiplier: f64,
    /// Age from which a prisoner counts as older (years).
    pub older_age: f64,
    /// Share of released prisoners re-arrested within 3 years (the reoffending alignment target
    /// unless `proven_reoffending_1y_target` is set).
    pub rearrest_3y_target: f64,
    /// Share of released prisoners proven to reoffend within a year (a new offence charged
    /// within 12 months of release and convicted within 18 months); when above zero it is the
    /// reoffending alignment target instead of re-arrest.
    pub proven_reoffending_1y_target: f64,
    /// Decay time of the post-release reoffending multiplier (months).
    pub post_release_decay_months: f64,
    /// Multiplier of the post-release excess for people released at 65 and over.
    pub older_release_multiplier: f64,
    /// Yearly growth of custodial admissions before the start (%); 0 is a steady state.
    pub growth_before_start_pct: f64,
}

/// The simulated crime victimisation survey (docs/model.md, "How the indicators are measured"):
/// a stratified sample of persons 15+ in households asked each December about the past 12
/// months.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SurveyParams {
    /// Persons selected each year (in persons of the real population; 0 = no survey).
    pub issued_sample: f64,
    /// Share of selected persons who respond.
    pub response_rate: f64,
    /// Probability that a victimisation 13-24 months before the interview is placed inside
    /// the 12-month reference period (forward telescoping).
    pub telescoping: f64,
    /// Probability that a victimisation inside the reference period is not recalled.
    pub recall_loss: f64,
    /// Probability that a victim of gender-based violence does not disclose it.
    pub gbv_under_disclosure: f64,
}

/// Which parts of the model run. Switching a part off leaves its stage empty; used for
/// demography-only benchmarks and for tests that isolate one mechanism.
#[derive(Clone, Debug, PartialEq)]
pub struct Modules {
    /// Ageing, deaths, births, migration.
    pub demography: bool,
    /// Employment, offending, victimisation and the whole justice pipeline.
    pub justice: bool,
    /// Climate shocks, temperature and displacement.
    pub climate: bool,
    /// Interventions: their effects on the mechanisms and their costs (with `justice`).
    pub interventions: bool,
    /// The crime victimisation survey each December (with `justice`): an observation that
    /// nothing in the model reads.
    pub survey: bool,
}

impl Modules {
    /// Every module on.
    pub fn all() -> Self {
        Modules {
            demography: true,
            justice: true,
            climate: true,
            interventions: true,
            survey: true,
        }
    }

    /// Only demography (and metrics): for benchmarks and demographic tests.
    pub fn demography_only() -> Self {
        Modules {
            demography: true,
            justice: false,
            climate: false,
            interventions: false,
            survey: false,
        }
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
    /// Employment.
    pub economy: EconomyParams,
    /// Offending and victimisation.
    pub crime: CrimeParams,
    /// Police, courts, sentencing.
    pub justice: JusticeParams,
    /// Prisons and release.
    pub prisons: PrisonParams,
    /// The crime victimisation survey.
    pub survey: SurveyParams,
    /// Climate shocks and displacement.
    pub climate: ClimateParams,
    /// Interventions switched on (docs/model.md 4.12), in the order given.
    pub interventions: Vec<crate::interventions::Intervention>,
    /// Sentencing policy changes after the start year (`[[policy_changes]]`), in file order.
    pub policy_changes: Vec<crate::policy_changes::PolicyChange>,
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
                currency: DEFAULT_CURRENCY.into(),
                price_year: DEFAULT_PRICE_YEAR,
                ref_area: String::new(),
            },
            regions: Vec::new(),
            demography: DemographyParams {
                // UN WPP 2024 world pattern of age-specific fertility, 2023, relative shares.
                fertility_pattern: WORLD_FERTILITY_PATTERN,
                age_structure: world_age_structure_2023(),
                ..Default::default()
            },
            economy: EconomyParams::default(),
            crime: CrimeParams::default(),
            justice: JusticeParams::default(),
            prisons: PrisonParams::default(),
            survey: SurveyParams::default(),
            climate: ClimateParams {
                pathway: Pathway::named("ssp2-4.5").expect("built in"),
                warming_sensitivity: [0.0; HAZARDS],
                severity_log_sd: 0.0,
                displaced_share: [0.0; HAZARDS],
                return_months: [0.0; HAZARDS],
                never_return_share: 0.0,
                drought_permanent_share: 0.0,
                drought_months: 0.0,
                stay_in_region_share: 0.0,
                urban_pull: 0.0,
                job_loss_share: 0.0,
                anomaly_autocorrelation: 0.0,
                heatwave_anomaly_sd: 0.0,
                severe_threshold: 0.0,
                court_damage_per_severity: 0.0,
                prison_damage_per_severity: 0.0,
                repair_months: 0.0,
                adaptation: 0.0,
                resilience: 0.0,
                prison_heat_mortality_effect: 0.0,
                ecosystem_link: 0.0,
                ecosystem_loss_per_offence_per_1000: 0.0,
                ecosystem_recovery_per_year: 0.0,
            },
            interventions: Vec::new(),
            policy_changes: Vec::new(),
            modules: Modules::all(),
            sources: Vec::new(),
        };
        for spec in PARAMETERS {
            match spec.field {
                Field::Global(f) => *f(&mut p) = spec.default.value(0),
                Field::Offence(f) => {
                    for (i, t) in p.crime.types.iter_mut().enumerate() {
                        *f(t) = spec.default.value(i);
                    }
                }
                Field::Region(_) => {}
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

    /// Sets a parameter by key path (see [`lookup`]): `regions.x` sets every region,
    /// `regions[i].x` one, `crime.<type>.x` one offence type. The value is range-checked.
    pub fn set(&mut self, key_path: &str, value: f64) -> Result<(), ParamIssue> {
        let issue = |allowed: String| ParamIssue {
            key_path: key_path.to_string(),
            value: fmt_num(value),
            allowed,
        };
        let k = lookup(key_path).ok_or_else(|| issue("a known parameter key".into()))?;
        k.spec.check(value).map_err(issue)?;
        match (k.spec.field, k.region, k.offence) {
            (Field::Global(f), _, _) => *f(self) = value,
            (Field::Region(f), None, _) => self.regions.iter_mut().for_each(|r| *f(r) = value),
            (Field::Region(f), Some(i), _) => {
                let n = self.regions.len();
                let r = self
                    .regions
                    .get_mut(i)
                    .ok_or_else(|| issue(format!("a region index below {n}")))?;
                *f(r) = value;
            }
            (Field::Offence(f), _, Some(t)) => *f(&mut self.crime.types[t]) = value,
            (Field::Offence(_), _, None) => {
                return Err(issue("an offence type: crime.<type>.<name>".into()));
            }
        }
        Ok(())
    }

    /// Reads a parameter by key path (see [`ModelParams::set`]); `regions.x` reads region 0.
    pub fn get(&self, key_path: &str) -> Option<f64> {
        let k = lookup(key_path)?;
        let mut copy = self.clone();
        match k.spec.field {
            Field::Global(f) => Some(*f(&mut copy)),
            Field::Region(f) => copy.regions.get_mut(k.region.unwrap_or(0)).map(|r| *f(r)),
            Field::Offence(f) => k.offence.map(|t| *f(&mut copy.crime.types[t])),
        }
    }

    /// Every scalar parameter as (concrete key path, value), in table order.
    pub fn scalar_values(&self) -> Vec<(String, f64)> {
        let mut copy = self.clone();
        let mut out = Vec::new();
        for spec in PARAMETERS {
            match spec.field {
                Field::Global(f) => out.push((spec.key.to_string(), *f(&mut copy))),
                Field::Region(f) => {
                    for (i, r) in copy.regions.iter_mut().enumerate() {
                        out.push((format!("regions[{i}].{}", spec.name()), *f(r)));
                    }
                }
                Field::Offence(f) => {
                    for (i, t) in copy.crime.types.iter_mut().enumerate() {
                        out.push((spec.key.replace('*', OffenceType::NAMES[i]), *f(t)));
                    }
                }
            }
        }
        out
    }

    /// Checks what the table's ranges cannot: cross-field rules (shares sum to one, unique
    /// names, age structure shape) and every scalar's range. Returns every problem found.
    pub fn check(&self) -> Vec<ParamIssue> {
        let mut issues = Vec::new();
        for (key, v) in self.scalar_values() {
            let spec = lookup(&key).expect("scalar_values yields table keys").spec;
            if let Err(allowed) = spec.check(v) {
                issues.push(ParamIssue {
                    key_path: key,
                    value: fmt_num(v),
                    allowed,
                });
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
        if let Some(why) = name_problem(&s.name) {
            push("scenario.name", clip(&format!("{:?}", s.name)), why);
        }
        if s.description.chars().count() > MAX_TEXT_CHARS {
            push(
                "scenario.description",
                format!("{} characters", s.description.chars().count()),
                "at most 2000 characters",
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
        if !(s.currency.len() == 3 && s.currency.bytes().all(|b| b.is_ascii_uppercase())) {
            push(
                "scenario.currency",
                clip(&format!("{:?}", s.currency)),
                "an ISO 4217 code of three capital letters, e.g. \"USD\", \"GBP\", \"EUR\"",
            );
        }
        if !(s.ref_area.is_empty() || is_m49(&s.ref_area)) {
            push(
                "scenario.ref_area",
                clip(&format!("{:?}", s.ref_area)),
                "a UN M49 numeric code of one to three digits, e.g. \"826\", or empty",
            );
        }
        if !(1900..=2200).contains(&s.price_year) {
            push(
                "scenario.price_year",
                s.price_year.to_string(),
                "between 1900 and 2200",
            );
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
            } else if r.name.chars().count() > MAX_NAME_CHARS
                || r.name.chars().any(char::is_control)
            {
                push(
                    &format!("regions[{i}].name"),
                    clip(&format!("{:?}", r.name)),
                    "a name of at most 200 characters without control characters",
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
        let pw = &self.climate.pathway;
        let list = |v: &[f64]| {
            let items: Vec<String> = v.iter().map(|x| fmt_num(*x)).collect();
            format!("[{}]", items.join(", "))
        };
        if pw.years.is_empty() || pw.years.windows(2).any(|w| w[1] <= w[0]) {
            push(
                "climate.pathway.years",
                list(&pw.years),
                "calendar years in strictly increasing order, at least one",
            );
        }
        if pw.warming.len() != pw.years.len() {
            push(
                "climate.pathway.warming_c",
                format!("{} values for {} years", pw.warming.len(), pw.years.len()),
                "one warming value per year",
            );
        }
        if pw.warming.iter().any(|w| !w.is_finite() || w.abs() > 10.0) {
            push(
                "climate.pathway.warming_c",
                list(&pw.warming),
                "warming between -10 and 10 degrees C",
            );
        }
        for (key, text) in &self.sources {
            if text.chars().count() > MAX_TEXT_CHARS || key.chars().count() > MAX_NAME_CHARS {
                push(
                    &format!("{}.source", clip(key)),
                    format!("{} characters", text.chars().count()),
                    "a source text of at most 2000 characters",
                );
            }
        }
        self.check_interventions(&mut push);
        self.check_policy_changes(&mut push);
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

impl ModelParams {
    /// Policy changes: after the start year, multipliers in range, a known offence type.
    fn check_policy_changes(&self, push: &mut impl FnMut(&str, String, &str)) {
        let (lo, hi) = crate::policy_changes::MULTIPLIER_RANGE;
        let start = f64::from(self.scenario.start_year);
        for (i, c) in self.policy_changes.iter().enumerate() {
            let key = |f: &str| format!("policy_changes[{i}].{f}");
            if !(c.year > start && c.year <= 2200.0) || c.year.fract() != 0.0 {
                push(
                    &key("year"),
                    fmt_num(c.year),
                    "a whole year after the scenario's start_year (year one is the observed state) and at most 2200",
                );
            }
            if let Some(s) = c.indeterminate_share.filter(|s| !(0.0..=1.0).contains(s)) {
                push(
                    &key("indeterminate_share"),
                    fmt_num(s),
                    "a share between 0 and 1",
                );
            }
            if let Some((first, last)) = c.ages {
                if first > last || last > crate::metrics::AGE_BINS as u32 - 1 {
                    push(
                        &key("to_age"),
                        format!("{first}-{last}"),
                        "an age band whose first age is at most its last, and the last at most 100 (the oldest age bin)",
                    );
                }
                if c.custody != 1.0 || c.sentence_length != 1.0 || c.indeterminate_share.is_some() {
                    push(
                        &key("from_age"),
                        format!("{first}-{last}"),
                        "an age band with offending only (give sentencing changes in a policy change of their own)",
                    );
                }
            }
            if (c.historic_custody.is_some() || c.historic_sentence_months.is_some())
                && c.historic_arrests_per_100k.is_none()
            {
                push(
                    &key("historic_arrests_per_100k"),
                    String::new(),
                    "given with historic_custody and historic_sentence_months (they describe those arrests' sentences)",
                );
            }
            if let Some(x) = c.historic_custody.filter(|x| !(0.0..=1.0).contains(x)) {
                push(
                    &key("historic_custody"),
                    fmt_num(x),
                    "a probability between 0 and 1",
                );
            }
            if let Some(x) = c
                .historic_sentence_months
                .filter(|x| !(1.0..=1200.0).contains(x))
            {
                push(
                    &key("historic_sentence_months"),
                    fmt_num(x),
                    "a median sentence between 1 and 1200 months",
                );
            }
            if let Some(rate) = c.historic_arrests_per_100k {
                if !(0.0..=1000.0).contains(&rate) {
                    push(
                        &key("historic_arrests_per_100k"),
                        fmt_num(rate),
                        "arrests a year per 100,000 population between 0 and 1000",
                    );
                }
                if rate > 0.0 && !(1.0..=60.0).contains(&c.historic_lag_years) {
                    push(
                        &key("historic_lag_years"),
                        fmt_num(c.historic_lag_years),
                        "the mean years between a historic offence and its arrest, between 1 and 60 (required with historic_arrests_per_100k)",
                    );
                }
            }
            for (f, v) in [
                ("custody", c.custody),
                ("sentence_length", c.sentence_length),
                ("offending", c.offending),
            ] {
                if !(lo..=hi).contains(&v) {
                    push(&key(f), fmt_num(v), "a multiplier between 0 and 10");
                }
            }
            if c.source.chars().count() > MAX_TEXT_CHARS {
                push(
                    &key("source"),
                    clip(&c.source),
                    "a text of at most 2000 characters",
                );
            }
        }
    }

    /// Interventions: each listed once, coverage a share, years in order, effect and cost in
    /// range (the catalogue in `scenarios` narrows effects further, per intervention).
    fn check_interventions(&self, push: &mut impl FnMut(&str, String, &str)) {
        for (i, iv) in self.interventions.iter().enumerate() {
            let key = |f: &str| format!("interventions[{i}].{f}");
            if self.interventions[..i].iter().any(|o| o.name == iv.name) {
                push(
                    &key("name"),
                    clip(&format!("{:?}", iv.name)),
                    "an intervention listed once (it is listed twice; give one entry with the coverage wanted)",
                );
            }
            if !(0.0..=1.0).contains(&iv.coverage) {
                push(
                    &key("coverage"),
                    fmt_num(iv.coverage),
                    "between 0 and 1 (fraction)",
                );
            }
            if !(0.0..=1.0).contains(&iv.effect) {
                push(
                    &key("effect"),
                    fmt_num(iv.effect),
                    "between 0 and 1 (the catalogue's unit)",
                );
            }
            if !(iv.unit_cost.is_finite() && iv.unit_cost >= 0.0) {
                push(
                    &key("unit_cost"),
                    fmt_num(iv.unit_cost),
                    "a cost of at least 0",
                );
            }
            if !(iv.ramp_months.is_finite() && (0.0..=600.0).contains(&iv.ramp_months)) {
                push(
                    &key("ramp_months"),
                    fmt_num(iv.ramp_months),
                    "between 0 and 600 (months)",
                );
            }
            for (f, y) in [("start_year", iv.start_year), ("end_year", iv.end_year)] {
                if !(1900.0..=2200.0).contains(&y) {
                    push(&key(f), fmt_num(y), "between 1900 and 2200 (calendar year)");
                }
            }
            if iv.end_year < iv.start_year {
                push(
                    &key("end_year"),
                    fmt_num(iv.end_year),
                    "not before start_year",
                );
            }
        }
    }
}

/// Longest name or key (characters): scenario, region and arm names, key paths.
pub const MAX_NAME_CHARS: usize = 200;

/// Longest free text (characters): descriptions and source notes.
pub const MAX_TEXT_CHARS: usize = 2000;

/// Why `name` cannot name a scenario (it names the output folder), if it cannot.
pub fn name_problem(name: &str) -> Option<&'static str> {
    if name.trim().is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        || name.starts_with('.')
    {
        Some(
            "a name of 1-200 letters, digits, '-', '_' or '.', not starting with '.' (it names the output folder)",
        )
    } else {
        None
    }
}

/// `s` shortened for a message: long values are cut, with their length said.
pub fn clip(s: &str) -> String {
    const KEEP: usize = 60;
    let n = s.chars().count();
    if n <= KEEP + 20 {
        s.to_string()
    } else {
        let head: String = s.chars().take(KEEP).collect();
        format!("{head}... ({n} characters)")
    }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
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
                *f(&mut r) = spec.default.value(0);
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
            for t in 0..OFFENCE_TYPES {
                let d = s.default.value(t);
                assert!(s.check(d).is_ok(), "{} default {d}", s.key);
            }
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
        p.set("crime.homicide.clearance", 0.5).unwrap();
        assert_eq!(p.crime.types[0].clearance, 0.5);
        assert_eq!(p.get("crime.homicide.clearance"), Some(0.5));
        assert!(p.set("crime.murder.clearance", 0.5).is_err());
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
