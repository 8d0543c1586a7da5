//! SDG 16 indicators (docs/model.md section 5), computed yearly from the recorded monthly rows and
//! year records, and disaggregated by sex, age group, region and displacement status.
//!
//! Definitions:
//! - 16.1.1 homicide victims per 100,000 per year (mean population of the year);
//! - 16.1.3 distinct victims of non-lethal violence (assault, gender-based violence) in the
//!   calendar year as a share of people aged 15+;
//! - 16.2.2 trafficking victims per 100,000: true, and detected (the offence became known);
//! - 16.3.1 share of the year's violence victims who reported at least once;
//! - 16.3.2 unsentenced detainees as a share of prisoners on 31 December (people awaiting a
//!   first-instance decision; sentenced people are counted as sentenced);
//! - prison population rate, occupancy and older shares on 31 December;
//! - reconviction within 2 years of the cohort released two years earlier.
//!
//! The crime indicators (homicide, violence, gender-based violence, property victimisation,
//! trafficking true and detected, reporting, recorded violence) and deaths in custody are
//! computed by default from *expected* counts: the sums of the probabilities the model drew
//! against, given the state of each month ([`Estimator::Expected`], see `systems/offending.rs`
//! and `systems/expected_victims.rs`). They have the same mean as the realised counts but none
//! of the draws' Monte Carlo noise, so at one agent per 250 persons a homicide rate is not
//! a count of a handful of simulated deaths. [`Estimator::Realised`] gives the counts of the
//! simulated events themselves. Stocks (prisoners, backlog, displaced) are realised either way.

use crate::justice::ReleaseCohorts;
use crate::metrics::{
    AGE_BINS, Column, Counter, DISPOSITION_BINS, GROUPS, Measure, Recorder, SDG_AGE_GROUPS,
    group_label, hist_index, pct,
};
use crate::offence::OffenceType;
use crate::params::{MAX_REGIONS, ModelParams};
use crate::person::MonthNo;

/// Which counts the crime indicators come from (see the module doc).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Estimator {
    /// Sums of the probabilities drawn against, given each month's state (the default).
    #[default]
    Expected,
    /// The simulated events.
    Realised,
}

impl Estimator {
    /// Names on the command line and in provenance.
    pub const NAMES: [&'static str; 2] = ["expected", "realised"];

    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            Estimator::Expected => "expected",
            Estimator::Realised => "realised",
        }
    }

    /// The estimator named `s`.
    pub fn parse(s: &str) -> Option<Estimator> {
        match s {
            "expected" => Some(Estimator::Expected),
            "realised" | "realized" => Some(Estimator::Realised),
            _ => None,
        }
    }
}

/// One year of indicators. Counts are agents (scaled to persons by the column dictionary).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct YearRow {
    /// Calendar year.
    pub year: i32,
    /// Mean living population over the year (agents).
    pub population: f64,
    /// SDG 16.1.1.
    pub homicide_rate_per_100k: f64,
    /// SDG 16.1.3 (non-lethal violence, people 15+).
    pub violence_prevalence_pct: f64,
    /// Gender-based violence against women 15-49.
    pub gbv_prevalence_women_pct: f64,
    /// Distinct victims of property crime as a share of the population.
    pub property_victimisation_pct: f64,
    /// SDG 16.1.3: distinct victims of robbery as a share of people 15+.
    pub robbery_victimisation_pct: f64,
    /// Distinct victims of online fraud as a share of people 15+.
    pub fraud_victimisation_pct: f64,
    /// Online frauds known to the police per 100,000.
    pub fraud_recorded_per_100k: f64,
    /// SDG 16.2.2, true victims.
    pub trafficking_victims_per_100k: f64,
    /// SDG 16.2.2, detected victims.
    pub trafficking_detected_per_100k: f64,
    /// SDG 16.3.1.
    pub reporting_rate_pct: f64,
    /// SDG 16.1.3 (a): physical violence, people 15+.
    pub physical_violence_pct: f64,
    /// SDG 16.1.3 (c): sexual violence, people 15+.
    pub sexual_violence_pct: f64,
    /// SDG 16.3.1 for physical violence.
    pub reporting_rate_physical_pct: f64,
    /// SDG 16.3.1 for sexual violence.
    pub reporting_rate_sexual_pct: f64,
    /// Highest over lowest arrests per offence committed across regions.
    pub arrest_disparity_region: f64,
    /// The same across sexes.
    pub arrest_disparity_sex: f64,
    /// The same across age groups.
    pub arrest_disparity_age: f64,
    /// The same between displaced and other people.
    pub arrest_disparity_displacement: f64,
    /// Recorded violence (homicide, assault, GBV) per 100,000: what statistics would show.
    pub recorded_violence_per_100k: f64,
    /// SDG 16.3.2.
    pub unsentenced_share_pct: f64,
    /// Prisoners per 100,000 on 31 December.
    pub prison_population_per_100k: f64,
    /// Prisoners per 100 usable beds on 31 December.
    pub prison_occupancy_pct: f64,
    /// Share of prisoners at or above the older age (50 by default).
    pub older_prisoner_share_pct: f64,
    /// Share of prisoners aged 65 and over.
    pub prisoners_65plus_share_pct: f64,
    /// Deaths in custody over the year (agents).
    pub deaths_in_custody: f64,
    /// Pending court cases on 31 December (agents).
    pub court_backlog_cases: f64,
    /// Median months from charge to disposition of the year's dispositions.
    pub median_months_to_disposition: f64,
    /// Reconviction within 2 years of people released two years earlier.
    pub reconviction_2y_pct: f64,
    /// Proven reoffending of people released two years before: charged within 12 months of
    /// release, convicted within 18.
    pub proven_reoffending_1y_pct: f64,
    /// Re-arrest within 3 years of people released three years earlier.
    pub rearrest_3y_pct: f64,
    /// Police, court and prison costs over the year (currency).
    pub justice_cost: f64,
    /// Unemployment rate of adults 25+ (mean of the months).
    pub unemployment_rate_pct: f64,
    /// People affected by climate hazards per 100,000 (13.1.1-like).
    pub disaster_affected_per_100k: f64,
    /// People newly displaced in the year (agents).
    pub newly_displaced: f64,
    /// People displaced on 31 December (agents).
    pub displaced_stock: f64,
    /// Mean share of court capacity out of use after damage (%).
    pub court_capacity_lost_pct: f64,
    /// Mean share of prison beds out of use after damage (%).
    pub prison_beds_lost_pct: f64,
    /// Mean monthly temperature anomaly (degrees C).
    pub mean_temperature_anomaly: f64,
}

macro_rules! col {
    ($name:literal, $unit:literal, $measure:expr, $meaning:literal, $field:ident) => {
        Column {
            name: $name,
            unit: $unit,
            meaning: $meaning,
            measure: $measure,
            get: |r: &YearRow| r.$field,
        }
    };
}

/// The columns of `indicators_yearly.csv`, in order.
pub static YEAR_COLUMNS: &[Column<YearRow>] = &[
    Column {
        name: "year",
        unit: "calendar year",
        meaning: "Calendar year.",
        measure: Measure::Value,
        get: |r| f64::from(r.year),
    },
    col!(
        "population",
        "persons",
        Measure::Count,
        "Mean living population over the year.",
        population
    ),
    col!(
        "homicide_rate_per_100k",
        "victims per 100,000",
        Measure::Value,
        "SDG 16.1.1: victims of intentional homicide per 100,000 population.",
        homicide_rate_per_100k
    ),
    col!(
        "violence_prevalence_pct",
        "% of people 15+",
        Measure::Value,
        "SDG 16.1.3: people 15+ who suffered non-lethal physical or sexual violence (assault, gender-based violence) in the year.",
        violence_prevalence_pct
    ),
    col!(
        "gbv_prevalence_women_pct",
        "% of women 15-49",
        Measure::Value,
        "Women 15-49 who suffered gender-based or partner violence in the year.",
        gbv_prevalence_women_pct
    ),
    col!(
        "property_victimisation_pct",
        "% of people",
        Measure::Value,
        "People who suffered a property crime in the year.",
        property_victimisation_pct
    ),
    col!(
        "robbery_victimisation_pct",
        "% of people 15+",
        Measure::Value,
        "SDG 16.1.3: people 15+ robbed in the year (ICCS 0401, a part of property crime).",
        robbery_victimisation_pct
    ),
    col!(
        "fraud_victimisation_pct",
        "% of people 15+",
        Measure::Value,
        "People 15+ who suffered an online fraud in the year (ICCS 07).",
        fraud_victimisation_pct
    ),
    col!(
        "fraud_recorded_per_100k",
        "offences per 100,000",
        Measure::Value,
        "Online frauds reported to the police per 100,000: what recorded statistics would show.",
        fraud_recorded_per_100k
    ),
    col!(
        "trafficking_victims_per_100k",
        "victims per 100,000",
        Measure::Value,
        "SDG 16.2.2 (true): victims of trafficking in persons per 100,000.",
        trafficking_victims_per_100k
    ),
    col!(
        "trafficking_detected_per_100k",
        "victims per 100,000",
        Measure::Value,
        "SDG 16.2.2 (detected): trafficking victims whose case became known to the authorities, per 100,000.",
        trafficking_detected_per_100k
    ),
    col!(
        "reporting_rate_pct",
        "% of victims",
        Measure::Value,
        "SDG 16.3.1: victims of violence in the year who reported to the police.",
        reporting_rate_pct
    ),
    col!(
        "physical_violence_pct",
        "% of people 15+",
        Measure::Value,
        "SDG 16.1.3 (a): people 15+ who suffered physical violence (assault, or partner violence that was not sexual) in the year.",
        physical_violence_pct
    ),
    col!(
        "sexual_violence_pct",
        "% of people 15+",
        Measure::Value,
        "SDG 16.1.3 (c): people 15+ who suffered sexual violence in the year (a share `crime.gbv_sexual_share` of gender-based violence).",
        sexual_violence_pct
    ),
    col!(
        "reporting_rate_physical_pct",
        "% of victims",
        Measure::Value,
        "SDG 16.3.1 for physical violence: victims of physical violence in the year who reported it to the police.",
        reporting_rate_physical_pct
    ),
    col!(
        "reporting_rate_sexual_pct",
        "% of victims",
        Measure::Value,
        "SDG 16.3.1 for sexual violence: victims of sexual violence in the year who reported it to the police.",
        reporting_rate_sexual_pct
    ),
    col!(
        "arrest_disparity_region",
        "ratio",
        Measure::Value,
        "Equity: the highest region's arrests per offence committed divided by the lowest region's (1 = equal; by_group.csv has each region's arrests_per_100_offences).",
        arrest_disparity_region
    ),
    col!(
        "arrest_disparity_sex",
        "ratio",
        Measure::Value,
        "Equity: the higher sex's arrests per offence committed divided by the lower's.",
        arrest_disparity_sex
    ),
    col!(
        "arrest_disparity_age",
        "ratio",
        Measure::Value,
        "Equity: the highest age group's arrests per offence committed divided by the lowest's (age groups 15+ with offences).",
        arrest_disparity_age
    ),
    col!(
        "arrest_disparity_displacement",
        "ratio",
        Measure::Value,
        "Equity: arrests per offence committed of displaced people relative to others, the higher over the lower.",
        arrest_disparity_displacement
    ),
    col!(
        "recorded_violence_per_100k",
        "offences per 100,000",
        Measure::Value,
        "Recorded homicide, assault and gender-based violence per 100,000: what police statistics show (compare with the true prevalence).",
        recorded_violence_per_100k
    ),
    col!(
        "unsentenced_share_pct",
        "% of prisoners",
        Measure::Value,
        "SDG 16.3.2: unsentenced detainees as a share of prisoners on 31 December.",
        unsentenced_share_pct
    ),
    col!(
        "prison_population_per_100k",
        "prisoners per 100,000",
        Measure::Value,
        "Prisoners (sentenced and pre-trial) per 100,000 population on 31 December.",
        prison_population_per_100k
    ),
    col!(
        "prison_occupancy_pct",
        "prisoners per 100 beds",
        Measure::Value,
        "Prisoners per 100 usable beds on 31 December, national.",
        prison_occupancy_pct
    ),
    col!(
        "older_prisoner_share_pct",
        "% of prisoners",
        Measure::Value,
        "Prisoners aged 50 and over (the older age, UNODC) on 31 December.",
        older_prisoner_share_pct
    ),
    col!(
        "prisoners_65plus_share_pct",
        "% of prisoners",
        Measure::Value,
        "Prisoners aged 65 and over on 31 December.",
        prisoners_65plus_share_pct
    ),
    col!(
        "deaths_in_custody",
        "persons",
        Measure::Count,
        "Deaths in custody in the year.",
        deaths_in_custody
    ),
    col!(
        "court_backlog_cases",
        "cases",
        Measure::Count,
        "Pending court cases on 31 December.",
        court_backlog_cases
    ),
    col!(
        "median_months_to_disposition",
        "months",
        Measure::Value,
        "Median months from charge to disposition of the year's dispositions.",
        median_months_to_disposition
    ),
    col!(
        "reconviction_2y_pct",
        "% of releases",
        Measure::Value,
        "People released two years earlier who were reconvicted within 2 years (empty for the first two years).",
        reconviction_2y_pct
    ),
    col!(
        "proven_reoffending_1y_pct",
        "% of releases",
        Measure::Value,
        "People released two years earlier who were charged with a new offence within 12 months and convicted within 18 (the Ministry of Justice proven reoffending measure; empty for the first two years).",
        proven_reoffending_1y_pct
    ),
    col!(
        "rearrest_3y_pct",
        "% of releases",
        Measure::Value,
        "People released three years earlier who were re-arrested within 3 years (empty for the first three years).",
        rearrest_3y_pct
    ),
    col!(
        "justice_cost",
        "currency",
        Measure::Value,
        "Police, court and prison costs over the year (interventions excluded).",
        justice_cost
    ),
    col!(
        "unemployment_rate_pct",
        "%",
        Measure::Value,
        "Unemployed share of the labour force aged 25+ (mean of the months).",
        unemployment_rate_pct
    ),
    col!(
        "disaster_affected_per_100k",
        "persons per 100,000",
        Measure::Value,
        "People affected by climate hazard events in the year, per 100,000 (13.1.1-like).",
        disaster_affected_per_100k
    ),
    col!(
        "newly_displaced",
        "persons",
        Measure::Count,
        "People newly displaced by climate hazards in the year.",
        newly_displaced
    ),
    col!(
        "displaced_stock",
        "persons",
        Measure::Count,
        "People displaced on 31 December.",
        displaced_stock
    ),
    col!(
        "court_capacity_lost_pct",
        "%",
        Measure::Value,
        "Mean share of court capacity out of use after climate damage.",
        court_capacity_lost_pct
    ),
    col!(
        "prison_beds_lost_pct",
        "%",
        Measure::Value,
        "Mean share of prison beds out of use after climate damage.",
        prison_beds_lost_pct
    ),
    col!(
        "mean_temperature_anomaly",
        "degrees C",
        Measure::Value,
        "Mean monthly temperature anomaly (population-weighted).",
        mean_temperature_anomaly
    ),
];

/// Mean over the year's months of the population hist summed over `regions` for one sex and an
/// age range.
fn mean_pop(
    rec: &Recorder,
    months: std::ops::Range<usize>,
    regions: usize,
    sexes: &[usize],
    lo: u32,
    hi: u32,
) -> f64 {
    let n = months.len().max(1) as f64;
    let mut total = 0.0;
    for m in months {
        let h = &rec.population[m];
        for r in 0..regions {
            for &s in sexes {
                for a in lo..=hi.min(AGE_BINS as u32 - 1) {
                    total += f64::from(h[hist_index(r as u8, s, a)]);
                }
            }
        }
    }
    total / n
}

/// Median of a histogram of months (NaN when empty).
fn median(hist: &[u64]) -> f64 {
    let total: u64 = hist.iter().sum();
    if total == 0 {
        return f64::NAN;
    }
    let half = total.div_ceil(2);
    let mut acc = 0;
    for (i, n) in hist.iter().enumerate() {
        acc += n;
        if acc >= half {
            return i as f64;
        }
    }
    (DISPOSITION_BINS - 1) as f64
}

/// Release-cohort rate for releases in `year_index` (0 = first year), as a percentage.
fn cohort_pct(c: &ReleaseCohorts, year_index: i32, counts: &[u32]) -> f64 {
    if year_index < 0 {
        return f64::NAN;
    }
    let from = (year_index * 12) as MonthNo;
    let (n, k) = c.rate(from, from + 11, counts);
    pct(k as f64, n as f64)
}

/// The yearly indicators of a run, with the crime counts of `estimator`.
pub fn yearly(
    rec: &Recorder,
    cohorts: &ReleaseCohorts,
    p: &ModelParams,
    estimator: Estimator,
) -> Vec<YearRow> {
    let regions = p.regions.len();
    let mut rows = Vec::new();
    for (y, record) in rec.years.iter().enumerate() {
        let months = y * 12..(y * 12 + 12).min(rec.months.len());
        let ms = &rec.months[months.clone()];
        let Some(dec) = ms.last() else { continue };
        let pop = ms.iter().map(|m| m.population as f64).sum::<f64>() / ms.len() as f64;
        let sum = |f: &dyn Fn(&crate::metrics::MonthRow) -> u64| -> f64 {
            ms.iter().map(|m| f(m) as f64).sum()
        };
        let pop15 = mean_pop(rec, months.clone(), regions, &[0, 1], 15, 200);
        let women = mean_pop(rec, months.clone(), regions, &[1], 15, 49);
        let yi = y as i32;
        let fsum = |f: &dyn Fn(&crate::metrics::ExpectedFlows) -> f64| -> f64 {
            ms.iter().map(|m| f(&m.flows.expected)).sum()
        };
        let c = match estimator {
            Estimator::Expected => {
                let g = &record.expected_groups;
                CrimeCounts {
                    homicide_victims: fsum(&|e| e.homicide_victims),
                    violence_victims_15plus: fsum(&|e| e.violence_victims_15plus),
                    gbv_victims_women_15_49: fsum(&|e| e.gbv_victims_women_15_49),
                    property_victims: g.total(Counter::PropertyVictims),
                    fraud_victims_15plus: g.total_15plus(Counter::FraudVictims),
                    robbery_victims_15plus: g.total_15plus(Counter::RobberyVictims),
                    fraud_recorded: fsum(&|e| e.recorded[OffenceType::Fraud.index()]),
                    trafficking_victims: g.total(Counter::TraffickingVictims),
                    trafficking_detected: g.total(Counter::TraffickingDetected),
                    violence_reporters: g.total(Counter::ViolenceReporters),
                    violence_victims: g.total(Counter::ViolenceVictims),
                    physical_victims_15plus: g.total_15plus(Counter::PhysicalVictims),
                    sexual_victims_15plus: g.total_15plus(Counter::SexualVictims),
                    physical_victims: g.total(Counter::PhysicalVictims),
                    sexual_victims: g.total(Counter::SexualVictims),
                    physical_reporters: g.total(Counter::PhysicalReporters),
                    sexual_reporters: g.total(Counter::SexualReporters),
                    recorded_violence: fsum(&|e| e.recorded[0] + e.recorded[1] + e.recorded[2]),
                    deaths_in_custody: fsum(&|e| e.deaths_in_custody),
                }
            }
            Estimator::Realised => {
                let g = &record.groups;
                let total = |c: Counter| g.total(c) as f64;
                CrimeCounts {
                    homicide_victims: sum(&|m| m.flows.homicide_victims),
                    violence_victims_15plus: sum(&|m| m.flows.violence_victims_15plus),
                    gbv_victims_women_15_49: sum(&|m| m.flows.gbv_victims_women_15_49),
                    property_victims: total(Counter::PropertyVictims),
                    fraud_victims_15plus: g.total_15plus(Counter::FraudVictims) as f64,
                    robbery_victims_15plus: g.total_15plus(Counter::RobberyVictims) as f64,
                    fraud_recorded: sum(&|m| m.flows.recorded[OffenceType::Fraud.index()]),
                    trafficking_victims: total(Counter::TraffickingVictims),
                    trafficking_detected: total(Counter::TraffickingDetected),
                    violence_reporters: total(Counter::ViolenceReporters),
                    violence_victims: total(Counter::ViolenceVictims),
                    physical_victims_15plus: g.total_15plus(Counter::PhysicalVictims) as f64,
                    sexual_victims_15plus: g.total_15plus(Counter::SexualVictims) as f64,
                    physical_victims: total(Counter::PhysicalVictims),
                    sexual_victims: total(Counter::SexualVictims),
                    physical_reporters: total(Counter::PhysicalReporters),
                    sexual_reporters: total(Counter::SexualReporters),
                    recorded_violence: sum(&|m| {
                        m.flows.recorded[0] + m.flows.recorded[1] + m.flows.recorded[2]
                    }),
                    deaths_in_custody: sum(&|m| m.flows.deaths_in_custody),
                }
            }
        };
        rows.push(YearRow {
            year: record.year,
            population: pop,
            homicide_rate_per_100k: 1e5 * c.homicide_victims / pop,
            violence_prevalence_pct: pct(c.violence_victims_15plus, pop15),
            gbv_prevalence_women_pct: pct(c.gbv_victims_women_15_49, women),
            property_victimisation_pct: pct(c.property_victims, pop),
            fraud_victimisation_pct: pct(c.fraud_victims_15plus, pop15),
            robbery_victimisation_pct: pct(c.robbery_victims_15plus, pop15),
            fraud_recorded_per_100k: 1e5 * c.fraud_recorded / pop,
            trafficking_victims_per_100k: 1e5 * c.trafficking_victims / pop,
            trafficking_detected_per_100k: 1e5 * c.trafficking_detected / pop,
            reporting_rate_pct: pct(c.violence_reporters, c.violence_victims),
            physical_violence_pct: pct(c.physical_victims_15plus, pop15),
            sexual_violence_pct: pct(c.sexual_victims_15plus, pop15),
            reporting_rate_physical_pct: pct(c.physical_reporters, c.physical_victims),
            reporting_rate_sexual_pct: pct(c.sexual_reporters, c.sexual_victims),
            arrest_disparity_region: disparity(&record.groups, regions_groups(regions)),
            arrest_disparity_sex: disparity(&record.groups, 0..2),
            arrest_disparity_age: disparity(&record.groups, 3..2 + SDG_AGE_GROUPS.len()),
            arrest_disparity_displacement: disparity(
                &record.groups,
                2 + SDG_AGE_GROUPS.len() + MAX_REGIONS..GROUPS,
            ),
            recorded_violence_per_100k: 1e5 * c.recorded_violence / pop,
            unsentenced_share_pct: pct(dec.stocks.pretrial as f64, dec.stocks.prisoners as f64),
            prison_population_per_100k: 1e5 * dec.stocks.prisoners as f64 / dec.population as f64,
            prison_occupancy_pct: pct(dec.stocks.prisoners as f64, dec.stocks.beds),
            older_prisoner_share_pct: pct(
                dec.stocks.prisoners_older as f64,
                dec.stocks.prisoners as f64,
            ),
            prisoners_65plus_share_pct: pct(
                dec.stocks.prisoners_65plus as f64,
                dec.stocks.prisoners as f64,
            ),
            deaths_in_custody: c.deaths_in_custody,
            court_backlog_cases: dec.stocks.backlog as f64,
            median_months_to_disposition: median(&record.disposition_months),
            reconviction_2y_pct: cohort_pct(cohorts, yi - 2, &cohorts.reconvicted_24),
            proven_reoffending_1y_pct: cohort_pct(cohorts, yi - 2, &cohorts.proven_12),
            rearrest_3y_pct: cohort_pct(cohorts, yi - 3, &cohorts.rearrested_36),
            justice_cost: ms
                .iter()
                .map(|m| m.flows.prison_cost + m.flows.police_cost + m.flows.court_cost)
                .sum(),
            unemployment_rate_pct: ms
                .iter()
                .map(|m| pct(m.flows.unemployed as f64, m.flows.labour_force as f64))
                .sum::<f64>()
                / ms.len() as f64,
            disaster_affected_per_100k: 1e5 * sum(&|m| m.flows.affected) / pop,
            newly_displaced: sum(&|m| m.flows.newly_displaced),
            displaced_stock: dec.stocks.displaced as f64,
            court_capacity_lost_pct: ms
                .iter()
                .map(|m| m.stocks.court_capacity_lost_pct)
                .sum::<f64>()
                / ms.len() as f64,
            prison_beds_lost_pct: ms
                .iter()
                .map(|m| m.stocks.prison_beds_lost_pct)
                .sum::<f64>()
                / ms.len() as f64,
            mean_temperature_anomaly: ms
                .iter()
                .map(|m| m.flows.temperature_anomaly_c)
                .sum::<f64>()
                / ms.len() as f64,
        });
    }
    rows
}

/// The group indices of the regions.
fn regions_groups(regions: usize) -> std::ops::Range<usize> {
    let first = 2 + SDG_AGE_GROUPS.len();
    first..first + regions
}

/// Highest over lowest arrests per offence committed among `groups` (those with offences);
/// NaN when fewer than two groups have offences or the lowest has no arrests.
fn disparity(counts: &crate::metrics::GroupCounts, groups: std::ops::Range<usize>) -> f64 {
    let (arrests, offences) = (
        &counts.values[Counter::Arrests as usize],
        &counts.values[Counter::Offences as usize],
    );
    let rates: Vec<f64> = groups
        .filter(|&g| offences[g] > 0)
        .map(|g| arrests[g] as f64 / offences[g] as f64)
        .collect();
    let (lo, hi) = rates.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), &r| {
        (lo.min(r), hi.max(r))
    });
    if rates.len() < 2 || lo <= 0.0 {
        f64::NAN
    } else {
        hi / lo
    }
}

/// A year's crime counts (agents), from either estimator.
struct CrimeCounts {
    homicide_victims: f64,
    violence_victims_15plus: f64,
    gbv_victims_women_15_49: f64,
    property_victims: f64,
    fraud_victims_15plus: f64,
    robbery_victims_15plus: f64,
    fraud_recorded: f64,
    trafficking_victims: f64,
    trafficking_detected: f64,
    violence_reporters: f64,
    violence_victims: f64,
    physical_victims_15plus: f64,
    sexual_victims_15plus: f64,
    physical_victims: f64,
    sexual_victims: f64,
    physical_reporters: f64,
    sexual_reporters: f64,
    recorded_violence: f64,
    deaths_in_custody: f64,
}

/// One row of `by_group.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupRow {
    /// Calendar year.
    pub year: i32,
    /// Indicator name.
    pub indicator: &'static str,
    /// Dimension: sex, age_group, region, displacement.
    pub dimension: &'static str,
    /// Group label.
    pub group: String,
    /// Value.
    pub value: f64,
}

/// The disaggregated indicators, long form: per year, indicator, dimension and group, with
/// the crime counts of `estimator`. Counts (population) are in persons.
pub fn by_group(rec: &Recorder, p: &ModelParams, estimator: Estimator) -> Vec<GroupRow> {
    let names: Vec<String> = p.regions.iter().map(|r| r.name.clone()).collect();
    let scale = p.scenario.scale();
    let mut rows = Vec::new();
    for record in &rec.years {
        let pop = &record.population;
        let realised = record.groups.values.map(|row| row.map(|x| x as f64));
        let g = match estimator {
            Estimator::Expected => {
                let mut g = record.expected_groups.values;
                // Offences by offender group have no expected counterpart.
                g[Counter::Offences as usize] = realised[Counter::Offences as usize];
                g
            }
            Estimator::Realised => realised,
        };
        let end = &record.end;
        for gi in 0..GROUPS {
            let Some((dimension, group)) = group_label(gi, &names) else {
                continue;
            };
            let n = pop[gi] as f64;
            let mut push = |indicator: &'static str, value: f64| {
                rows.push(GroupRow {
                    year: record.year,
                    indicator,
                    dimension,
                    group: group.clone(),
                    value,
                })
            };
            let per_100k = |x: f64| {
                if n > 0.0 { 1e5 * x / n } else { f64::NAN }
            };
            push("population", n * scale);
            push(
                "homicide_rate_per_100k",
                per_100k(g[Counter::HomicideVictims as usize][gi]),
            );
            push(
                "violence_prevalence_pct",
                pct(g[Counter::ViolenceVictims as usize][gi], n),
            );
            push(
                "gbv_prevalence_pct",
                pct(g[Counter::GbvVictims as usize][gi], n),
            );
            push(
                "reporting_rate_pct",
                pct(
                    g[Counter::ViolenceReporters as usize][gi],
                    g[Counter::ViolenceVictims as usize][gi],
                ),
            );
            push(
                "trafficking_victims_per_100k",
                per_100k(g[Counter::TraffickingVictims as usize][gi]),
            );
            push(
                "trafficking_detected_per_100k",
                per_100k(g[Counter::TraffickingDetected as usize][gi]),
            );
            // Victims of a kind as a share of the group.
            let share = |c: Counter| pct(g[c as usize][gi], n);
            push(
                "property_victimisation_pct",
                share(Counter::PropertyVictims),
            );
            push("robbery_victimisation_pct", share(Counter::RobberyVictims));
            push("fraud_victimisation_pct", share(Counter::FraudVictims));
            push(
                "offences_per_100k",
                per_100k(g[Counter::Offences as usize][gi]),
            );
            push(
                "arrests_per_100_offences",
                pct(
                    realised[Counter::Arrests as usize][gi],
                    realised[Counter::Offences as usize][gi],
                ),
            );
            push(
                "prison_population_per_100k",
                per_100k(end.prisoners[gi] as f64),
            );
            push(
                "unsentenced_share_pct",
                pct(end.pretrial[gi] as f64, end.prisoners[gi] as f64),
            );
            if dimension == "region" {
                let r = gi - 2 - crate::metrics::SDG_AGE_GROUPS.len();
                push(
                    "prison_occupancy_pct",
                    pct(end.held_by_region[r] as f64, end.beds_by_region[r]),
                );
            }
        }
    }
    rows
}
