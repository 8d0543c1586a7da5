//! Plain-data results handed across the model boundary: one [`MonthRow`] per month, age
//! histograms, and the column dictionary that names and documents every output column.
//!
//! **Architecture Invariant:** counts in a [`MonthRow`] are agents; [`Column::value`] turns them
//! into real-person equivalents with the run's scale, so rates and published counts are computed
//! on real persons (docs/model.md section 1) while accounting tests can work on exact integers.

use bevy_ecs::prelude::Resource;

use crate::offence::OFFENCE_TYPES;
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
pub(crate) const EMPTY_HIST: AgeHist = [0; MAX_REGIONS * 2 * AGE_BINS];

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
    /// Adults (25+) in the labour force (free persons).
    pub labour_force: u64,
    /// Unemployed adults (25+).
    pub unemployed: u64,
    /// People aged 15-24 (free persons).
    pub youth: u64,
    /// People aged 15-24 not in education, employment or training.
    pub youth_neet: u64,
    /// Offences by type (true, all victimisations).
    pub offences: [u64; OFFENCE_TYPES],
    /// Offences with a victim.
    pub victims: u64,
    /// Homicide victims.
    pub homicide_victims: u64,
    /// Offences for which no victim could be drawn.
    pub no_victim: u64,
    /// Distinct victims of non-lethal violence aged 15+ (first victimisation of the year).
    pub violence_victims_15plus: u64,
    /// Distinct women 15-49 victims of gender-based violence (first of the year).
    pub gbv_victims_women_15_49: u64,
    /// Offences reported by victims (homicides discovered).
    pub reported: u64,
    /// Unreported offences detected proactively by the police.
    pub detected: u64,
    /// Recorded offences by type (reported or detected).
    pub recorded: [u64; OFFENCE_TYPES],
    /// Recorded offences cleared.
    pub cleared: u64,
    /// New suspects from this month's clearances.
    pub suspects: u64,
    /// Arrests for offences cleared earlier (prosecution delays).
    pub delayed_arrests: u64,
    /// Suspects charged.
    pub charged: u64,
    /// Charged defendants detained before trial.
    pub detained: u64,
    /// Court dispositions.
    pub dispositions: u64,
    /// Convictions.
    pub convictions: u64,
    /// Of which for homicide (the funnel of homicide: convictions per victim).
    pub homicide_convictions: u64,
    /// Acquittals and dismissals at disposition.
    pub acquittals: u64,
    /// Cases dropped because the defendant died.
    pub dropped: u64,
    /// Custodial sentences.
    pub custodial: u64,
    /// Community sentences.
    pub community: u64,
    /// Admissions to sentenced custody (including conversions from pre-trial detention).
    pub admissions: u64,
    /// Releases from custody (sentence end, parole, time served, acquittal of detainees).
    pub releases: u64,
    /// Releases on parole.
    pub paroles: u64,
    /// Deaths in custody.
    pub deaths_in_custody: u64,
    /// Of which not from natural causes (suicide, homicide, accidents, intoxication).
    pub deaths_in_custody_other: u64,
    /// Entries into custody (pre-trial detentions and custodial sentences of bailed defendants).
    pub custody_entries: u64,
    /// Exits from custody (every release and death in custody).
    pub custody_exits: u64,
    /// Months in custody of this month's exits, summed.
    pub custody_exit_months: u64,
    /// Prisoners transferred between regions.
    pub transfers: u64,
    /// People affected by hazard events.
    pub affected: u64,
    /// People newly displaced.
    pub newly_displaced: u64,
    /// Displaced people who returned home.
    pub returned: u64,
    /// Displaced people who settled where they went.
    pub resettled: u64,
    /// Population-weighted mean temperature anomaly (degrees C).
    pub temperature_anomaly_c: f64,
    /// Convictions of people under 25 (the family-therapy caseload).
    pub youth_convictions: u64,
    /// Early releases of older prisoners.
    pub early_releases: u64,
    /// Cost of interventions in the month (currency, real terms).
    pub intervention_cost: f64,
    /// Prison cost in the month (currency, real terms).
    pub prison_cost: f64,
    /// Police cost in the month (currency, real terms).
    pub police_cost: f64,
    /// Court cost in the month (currency, real terms).
    pub court_cost: f64,
    /// The expected counts of the month given its state (see [`crate::expected`]).
    pub expected: ExpectedFlows,
}

/// Expected counts of a month: for each count drawn from probabilities the model computes,
/// the sum of those probabilities given the month's state (agents). The dynamics use the
/// realised draws; these carry none of their Monte Carlo noise.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ExpectedFlows {
    /// Offences by type.
    pub offences: [f64; OFFENCE_TYPES],
    /// Recorded offences by type (reported or proactively detected).
    pub recorded: [f64; OFFENCE_TYPES],
    /// Homicide victims.
    pub homicide_victims: f64,
    /// New distinct victims of non-lethal violence aged 15+ (first victimisation of the year).
    pub violence_victims_15plus: f64,
    /// New distinct women 15-49 victims of gender-based violence (first of the year).
    pub gbv_victims_women_15_49: f64,
    /// Deaths in custody.
    pub deaths_in_custody: f64,
}

/// Month-end stocks of the justice system (agents), written by the stages that own them.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stocks {
    /// Everyone in custody.
    pub prisoners: u64,
    /// Pre-trial detainees.
    pub pretrial: u64,
    /// Prisoners aged at or above the older age (50 by default).
    pub prisoners_older: u64,
    /// Prisoners aged 65 and over.
    pub prisoners_65plus: u64,
    /// Pending court cases.
    pub backlog: u64,
    /// People serving community sentences or parole.
    pub supervised: u64,
    /// Usable prison beds.
    pub beds: f64,
    /// People currently displaced.
    pub displaced: u64,
    /// Share of national court capacity out of use after damage (%).
    pub court_capacity_lost_pct: f64,
    /// Share of national prison beds out of use after damage (%).
    pub prison_beds_lost_pct: f64,
    /// Occupancy by region: prisoners held per usable bed (0 where a region has no beds).
    pub occupancy_by_region: [f64; MAX_REGIONS],
}

/// Sex, 7 age groups, regions and displacement status: the disaggregation dimensions.
pub const GROUPS: usize = 2 + SDG_AGE_GROUPS.len() + MAX_REGIONS + 2;

/// The age groups of the disaggregated outputs: (first age, last age, label).
pub const SDG_AGE_GROUPS: [(u32, u32, &str); 7] = [
    (0, 14, "0-14"),
    (15, 17, "15-17"),
    (18, 24, "18-24"),
    (25, 34, "25-34"),
    (35, 49, "35-49"),
    (50, 64, "50-64"),
    (65, 200, "65+"),
];

/// The four group indices (sex, age group, region, displacement) of one person.
#[inline]
pub fn group_indices(sex: usize, age_years: u32, region: u8, displaced: bool) -> [usize; 4] {
    let age = SDG_AGE_GROUPS
        .iter()
        .position(|(lo, hi, _)| (*lo..=*hi).contains(&age_years))
        .unwrap_or(SDG_AGE_GROUPS.len() - 1);
    [
        sex,
        2 + age,
        2 + SDG_AGE_GROUPS.len() + region as usize,
        2 + SDG_AGE_GROUPS.len() + MAX_REGIONS + usize::from(displaced),
    ]
}

/// (dimension, group label) of a group index, given the region names.
pub fn group_label(g: usize, regions: &[String]) -> Option<(&'static str, String)> {
    let n_age = SDG_AGE_GROUPS.len();
    Some(match g {
        0 => ("sex", "male".into()),
        1 => ("sex", "female".into()),
        _ if g < 2 + n_age => ("age_group", SDG_AGE_GROUPS[g - 2].2.into()),
        _ if g < 2 + n_age + MAX_REGIONS => ("region", regions.get(g - 2 - n_age)?.clone()),
        _ if g == 2 + n_age + MAX_REGIONS => ("displacement", "not_displaced".into()),
        _ => ("displacement", "displaced".into()),
    })
}

/// Counters that are disaggregated by group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counter {
    /// Homicide victims.
    HomicideVictims,
    /// Distinct victims of non-lethal violence in the calendar year.
    ViolenceVictims,
    /// Distinct violence victims who reported in the calendar year.
    ViolenceReporters,
    /// Distinct victims of gender-based violence in the calendar year.
    GbvVictims,
    /// Trafficking victims (true).
    TraffickingVictims,
    /// Trafficking victims detected (the offence became known to the police).
    TraffickingDetected,
    /// Distinct victims of property crime in the calendar year.
    PropertyVictims,
    /// Offences by offender group.
    Offences,
    /// Distinct victims of physical violence in the calendar year.
    PhysicalVictims,
    /// Distinct victims of sexual violence in the calendar year.
    SexualVictims,
    /// Distinct victims of physical violence who reported physical violence in the year.
    PhysicalReporters,
    /// Distinct victims of sexual violence who reported sexual violence in the year.
    SexualReporters,
    /// Arrests for cleared offences, by offender group (the equity indicators).
    Arrests,
    /// Distinct victims of online fraud in the calendar year.
    FraudVictims,
    /// Distinct victims of robbery in the calendar year.
    RobberyVictims,
}

/// Number of [`Counter`]s.
pub(crate) const COUNTERS: usize = 15;

/// Group counters: `values[counter][group]`.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupCounts {
    /// Counts.
    pub values: [[u64; GROUPS]; COUNTERS],
}

impl Default for GroupCounts {
    fn default() -> Self {
        GroupCounts {
            values: [[0; GROUPS]; COUNTERS],
        }
    }
}

impl GroupCounts {
    /// Adds one to `counter` for each of the person's groups.
    #[inline]
    pub fn add(&mut self, counter: Counter, groups: &[usize; 4]) {
        for g in groups {
            self.values[counter as usize][*g] += 1;
        }
    }

    /// Adds counts by group to `counter`.
    #[inline]
    pub fn add_counts(&mut self, counter: Counter, counts: &[u64; GROUPS]) {
        for (total, n) in self.values[counter as usize].iter_mut().zip(counts) {
            *total += n;
        }
    }

    /// Total of a counter (summed over the sex dimension, which covers everyone once).
    pub fn total(&self, counter: Counter) -> u64 {
        self.values[counter as usize][0] + self.values[counter as usize][1]
    }

    /// Total of a counter over people aged 15 and over (everyone but the 0-14 age group).
    pub fn total_15plus(&self, counter: Counter) -> u64 {
        self.total(counter) - self.values[counter as usize][2]
    }

    /// Adds another set of counts.
    pub fn merge(&mut self, o: &GroupCounts) {
        for (a, b) in self.values.iter_mut().zip(&o.values) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
    }
}

/// Expected counterparts of [`GroupCounts`] (see [`ExpectedFlows`]); offences by offender
/// group have none (they stay realised).
#[derive(Clone, Debug, PartialEq)]
pub struct ExpectedGroups {
    /// Expected counts: `values[counter][group]`.
    pub values: [[f64; GROUPS]; COUNTERS],
}

impl Default for ExpectedGroups {
    fn default() -> Self {
        ExpectedGroups {
            values: [[0.0; GROUPS]; COUNTERS],
        }
    }
}

impl ExpectedGroups {
    /// Adds `x` to `counter` for each of the groups.
    #[inline]
    pub fn add(&mut self, counter: Counter, groups: &[usize; 4], x: f64) {
        for g in groups {
            self.values[counter as usize][*g] += x;
        }
    }

    /// Total of a counter (over the sex dimension, which covers everyone once).
    pub fn total(&self, counter: Counter) -> f64 {
        self.values[counter as usize][0] + self.values[counter as usize][1]
    }

    /// Total of a counter over people aged 15 and over (everyone but the 0-14 age group).
    pub fn total_15plus(&self, counter: Counter) -> f64 {
        self.total(counter) - self.values[counter as usize][2]
    }

    /// Adds another set of expected counts.
    pub fn merge(&mut self, o: &ExpectedGroups) {
        for (a, b) in self.values.iter_mut().zip(&o.values) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
    }
}

/// Stocks by group at the end of a month (prisoners, pre-trial detainees, population).
#[derive(Clone, Debug, PartialEq)]
pub struct GroupStocks {
    /// Prisoners by group (region = region of the prison).
    pub prisoners: [u64; GROUPS],
    /// Pre-trial detainees by group.
    pub pretrial: [u64; GROUPS],
    /// Prisoners by sex and single year of age (for pyramids).
    pub prisoner_ages: [[u64; AGE_BINS]; 2],
    /// Prisoners held in each region (for occupancy).
    pub held_by_region: [u64; MAX_REGIONS],
    /// Usable beds by region.
    pub beds_by_region: [f64; MAX_REGIONS],
}

impl Default for GroupStocks {
    fn default() -> Self {
        GroupStocks {
            prisoners: [0; GROUPS],
            pretrial: [0; GROUPS],
            prisoner_ages: [[0; AGE_BINS]; 2],
            held_by_region: [0; MAX_REGIONS],
            beds_by_region: [0.0; MAX_REGIONS],
        }
    }
}

/// The month's counters, written by the behaviour stages and read (then reset) by Metrics.
#[derive(Resource, Clone, Debug)]
pub struct MonthTally {
    /// Flow counts.
    pub flows: Flows,
    /// Month-end stocks.
    pub stocks: Stocks,
    /// Deaths by region, sex and age.
    pub deaths_by_age: Box<AgeHist>,
    /// Offences by offender's age.
    pub offences_by_age: [u64; AGE_BINS],
    /// Disaggregated event counters.
    pub groups: GroupCounts,
    /// Their expected counterparts.
    pub expected_groups: ExpectedGroups,
    /// Stocks by group at the end of the month.
    pub group_stocks: GroupStocks,
    /// Months from charge to disposition of this month's dispositions.
    pub disposition_months: Vec<u32>,
}

impl MonthTally {
    /// All counters at zero.
    pub fn new() -> Self {
        MonthTally {
            flows: Flows::default(),
            stocks: Stocks::default(),
            deaths_by_age: Box::new(EMPTY_HIST),
            offences_by_age: [0; AGE_BINS],
            groups: GroupCounts::default(),
            expected_groups: ExpectedGroups::default(),
            group_stocks: GroupStocks::default(),
            disposition_months: Vec::new(),
        }
    }

    /// Clears every flow counter, keeping allocations; stocks are overwritten by their owners.
    pub fn reset(&mut self) {
        self.flows = Flows::default();
        self.deaths_by_age.fill(0);
        self.offences_by_age = [0; AGE_BINS];
        self.groups = GroupCounts::default();
        self.expected_groups = ExpectedGroups::default();
        self.disposition_months.clear();
    }
}

impl Default for MonthTally {
    fn default() -> Self {
        Self::new()
    }
}

/// What is recorded for a calendar year beyond its monthly rows.
#[derive(Clone, Debug, PartialEq)]
pub struct YearRecord {
    /// Calendar year.
    pub year: i32,
    /// Disaggregated event counts over the year.
    pub groups: GroupCounts,
    /// Their expected counterparts.
    pub expected_groups: ExpectedGroups,
    /// Offences by offender's age over the year.
    pub offences_by_age: [u64; AGE_BINS],
    /// Dispositions by months from charge (last bin: 240 and over).
    pub disposition_months: Vec<u64>,
    /// Stocks by group at the end of the year.
    pub end: GroupStocks,
    /// Population by group at the end of the year (displacement from the displaced stock).
    pub population: [u64; GROUPS],
}

/// Bins of the time-to-disposition histogram.
pub(crate) const DISPOSITION_BINS: usize = 241;

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
    /// The justice and economy flows of the month.
    pub flows: Flows,
    /// Month-end stocks.
    pub stocks: Stocks,
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
    ($name:literal, $meaning:literal, |$r:ident| $e:expr) => {
        Column {
            name: $name,
            unit: "persons",
            meaning: $meaning,
            measure: Measure::Count,
            get: |$r: &MonthRow| ($e) as f64,
        }
    };
}

macro_rules! value {
    ($name:literal, $unit:literal, $meaning:literal, |$r:ident| $e:expr) => {
        Column {
            name: $name,
            unit: $unit,
            meaning: $meaning,
            measure: Measure::Value,
            get: |$r: &MonthRow| ($e) as f64,
        }
    };
}

/// `part / whole * 100`, NaN when `whole` is zero.
pub fn pct(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        100.0 * part / whole
    } else {
        f64::NAN
    }
}

/// The columns of `timeseries.csv`, in order.
pub static MONTH_COLUMNS: &[Column<MonthRow>] = &[
    value!("year", "calendar year", "Calendar year.", |r| r.year),
    value!("month", "1-12", "Calendar month.", |r| r.month),
    count!(
        "population",
        "Living population at the end of the month.",
        |r| r.population
    ),
    count!(
        "population_male",
        "Living male population at the end of the month.",
        |r| r.population_male
    ),
    count!(
        "population_60plus",
        "Living population aged 60 and over at the end of the month.",
        |r| r.population_60plus
    ),
    count!("births", "Live births in the month.", |r| r.births),
    count!(
        "deaths",
        "Deaths in the month, all causes and places (homicides and deaths in custody included).",
        |r| r.deaths
    ),
    count!(
        "immigrants",
        "International immigrants in the month.",
        |r| r.immigrants
    ),
    count!("emigrants", "International emigrants in the month.", |r| r
        .emigrants),
    value!(
        "unemployment_rate_pct",
        "%",
        "Unemployed share of the labour force aged 25 and over (free persons).",
        |r| pct(r.flows.unemployed as f64, r.flows.labour_force as f64)
    ),
    value!(
        "youth_neet_pct",
        "%",
        "Share of people aged 15-24 not in education, employment or training.",
        |r| pct(r.flows.youth_neet as f64, r.flows.youth as f64)
    ),
    count!(
        "offences_homicide",
        "Intentional homicides (ICCS 01), true count.",
        |r| r.flows.offences[0]
    ),
    count!(
        "offences_assault",
        "Assaults and other non-lethal violence (ICCS 02), true count.",
        |r| r.flows.offences[1]
    ),
    count!(
        "offences_gbv",
        "Gender-based, partner and sexual violence (ICCS 0201/03), true count.",
        |r| r.flows.offences[2]
    ),
    count!(
        "offences_property",
        "Property crimes (ICCS 04/05), true count.",
        |r| r.flows.offences[3]
    ),
    count!(
        "offences_trafficking",
        "Trafficking in persons (ICCS 0204), true count.",
        |r| r.flows.offences[4]
    ),
    count!(
        "offences_drug",
        "Drug offences (ICCS 06), true count.",
        |r| r.flows.offences[5]
    ),
    count!(
        "offences_environment",
        "Crimes that affect the environment (ICCS 10), true count.",
        |r| r.flows.offences[6]
    ),
    count!(
        "offences_fraud",
        "Online fraud (ICCS 07), true count.",
        |r| r.flows.offences[7]
    ),
    count!("victims", "Offences with an individual victim.", |r| r
        .flows
        .victims),
    count!(
        "homicide_victims",
        "Victims of intentional homicide.",
        |r| r.flows.homicide_victims
    ),
    count!(
        "reported",
        "Offences reported by victims (homicides discovered).",
        |r| r.flows.reported
    ),
    count!(
        "detected",
        "Unreported offences detected by the police.",
        |r| r.flows.detected
    ),
    count!(
        "recorded",
        "Offences known to the police (reported or detected).",
        |r| r.flows.recorded.iter().sum::<u64>()
    ),
    count!(
        "recorded_violence",
        "Recorded homicide, assault and gender-based violence.",
        |r| r.flows.recorded[0] + r.flows.recorded[1] + r.flows.recorded[2]
    ),
    count!(
        "clearances",
        "Recorded offences cleared (an offender identified).",
        |r| r.flows.cleared
    ),
    count!(
        "suspects",
        "Arrests following this month's clearances.",
        |r| r.flows.suspects
    ),
    count!(
        "delayed_arrests",
        "Arrests for offences cleared earlier (prosecution delays).",
        |r| r.flows.delayed_arrests
    ),
    count!("charges", "Suspects charged.", |r| r.flows.charged),
    count!(
        "detentions",
        "Charged defendants detained before trial.",
        |r| r.flows.detained
    ),
    count!("dispositions", "Court dispositions.", |r| r
        .flows
        .dispositions),
    count!("convictions", "Convictions.", |r| r.flows.convictions),
    count!(
        "homicide_convictions",
        "Convictions for homicide (persons convicted per homicide victim measure the funnel).",
        |r| r.flows.homicide_convictions
    ),
    count!("acquittals", "Acquittals and dismissals.", |r| r
        .flows
        .acquittals),
    count!("custodial_sentences", "Custodial sentences.", |r| r
        .flows
        .custodial),
    count!("community_sentences", "Community sentences.", |r| r
        .flows
        .community),
    count!("admissions", "Admissions to sentenced custody.", |r| r
        .flows
        .admissions),
    count!("releases", "Releases from custody.", |r| r.flows.releases),
    count!("paroles", "Releases on parole.", |r| r.flows.paroles),
    count!("deaths_in_custody", "Deaths in custody.", |r| r
        .flows
        .deaths_in_custody),
    count!(
        "deaths_in_custody_other",
        "Deaths in custody not from natural causes (suicide, homicide, accidents, intoxication).",
        |r| r.flows.deaths_in_custody_other
    ),
    count!(
        "custody_entries",
        "Entries into custody (pre-trial detentions, custodial sentences of bailed defendants).",
        |r| r.flows.custody_entries
    ),
    count!(
        "custody_exits",
        "Exits from custody (releases and deaths).",
        |r| r.flows.custody_exits
    ),
    count!(
        "transfers",
        "Prisoners transferred to another region.",
        |r| r.flows.transfers
    ),
    count!(
        "prisoners",
        "People in custody at the end of the month.",
        |r| r.stocks.prisoners
    ),
    count!(
        "pretrial",
        "Pre-trial detainees at the end of the month.",
        |r| r.stocks.pretrial
    ),
    count!(
        "prisoners_older",
        "Prisoners at or above the older age (50 by default).",
        |r| r.stocks.prisoners_older
    ),
    count!(
        "court_backlog",
        "Pending court cases at the end of the month.",
        |r| r.stocks.backlog
    ),
    count!(
        "supervised",
        "People serving community sentences or parole.",
        |r| r.stocks.supervised
    ),
    value!(
        "prison_occupancy_pct",
        "%",
        "Prisoners per 100 usable beds, national.",
        |r| pct(r.stocks.prisoners as f64, r.stocks.beds)
    ),
    count!(
        "disaster_affected",
        "People affected by climate hazard events.",
        |r| r.flows.affected
    ),
    count!(
        "newly_displaced",
        "People newly displaced by climate hazards.",
        |r| r.flows.newly_displaced
    ),
    count!("returned", "Displaced people who returned home.", |r| r
        .flows
        .returned),
    count!(
        "resettled",
        "Displaced people who settled where they went.",
        |r| r.flows.resettled
    ),
    count!(
        "displaced_stock",
        "People displaced at the end of the month.",
        |r| r.stocks.displaced
    ),
    value!(
        "court_capacity_lost_pct",
        "%",
        "Share of court capacity out of use after climate damage.",
        |r| r.stocks.court_capacity_lost_pct
    ),
    value!(
        "prison_beds_lost_pct",
        "%",
        "Share of prison beds out of use after climate damage.",
        |r| r.stocks.prison_beds_lost_pct
    ),
    value!(
        "mean_temperature_anomaly",
        "degrees C",
        "Population-weighted mean monthly temperature anomaly.",
        |r| r.flows.temperature_anomaly_c
    ),
    value!(
        "prison_cost",
        "currency",
        "Cost of custody in the month, real terms.",
        |r| r.flows.prison_cost
    ),
    value!(
        "police_cost",
        "currency",
        "Cost of the police in the month, real terms.",
        |r| r.flows.police_cost
    ),
    value!(
        "court_cost",
        "currency",
        "Cost of court dispositions in the month, real terms.",
        |r| r.flows.court_cost
    ),
    value!(
        "intervention_cost",
        "currency",
        "Cost of the interventions in force in the month, real terms.",
        |r| r.flows.intervention_cost
    ),
    count!(
        "early_releases",
        "Early releases of older prisoners (intervention).",
        |r| r.flows.early_releases
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
    /// One record per completed calendar year.
    pub years: Vec<YearRecord>,
    /// The year being accumulated.
    pub current_year: Option<YearRecord>,
    /// The crime victimisation survey of each completed year (empty without a survey).
    pub surveys: Vec<crate::survey::SurveyYear>,
}
