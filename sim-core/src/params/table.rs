//! The parameter table: every scalar parameter with unit, default, range, meaning and source.

use super::*;

macro_rules! global {
    ($key:literal, $($f:ident).+ ; $unit:literal, $default:expr, [$min:expr, $max:expr], $integer:expr, $source:expr, $meaning:literal) => {
        ParamSpec {
            key: $key,
            unit: $unit,
            default: Defaults::Scalar($default),
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
            default: Defaults::Scalar($default),
            min: $min,
            max: $max,
            integer: false,
            meaning: $meaning,
            source: $source,
            field: Field::Region(|r| &mut r.$f),
        }
    };
}

macro_rules! global_at {
    ($key:literal, $access:expr ; $unit:literal, $default:expr, [$min:expr, $max:expr], $source:expr, $meaning:literal) => {
        ParamSpec {
            key: $key,
            unit: $unit,
            default: Defaults::Scalar($default),
            min: $min,
            max: $max,
            integer: false,
            meaning: $meaning,
            source: $source,
            field: Field::Global($access),
        }
    };
}

macro_rules! region_at {
    ($key:literal, $access:expr ; $unit:literal, $default:expr, [$min:expr, $max:expr], $source:expr, $meaning:literal) => {
        ParamSpec {
            key: $key,
            unit: $unit,
            default: Defaults::Scalar($default),
            min: $min,
            max: $max,
            integer: false,
            meaning: $meaning,
            source: $source,
            field: Field::Region($access),
        }
    };
}

macro_rules! offence {
    ($name:literal, $f:ident ; $unit:literal, [$($d:expr),+ $(,)?], [$min:expr, $max:expr], $source:expr, $meaning:literal) => {
        ParamSpec {
            key: concat!("crime.*.", $name),
            unit: $unit,
            default: Defaults::PerOffence([$($d),+]),
            min: $min,
            max: $max,
            integer: false,
            meaning: $meaning,
            source: $source,
            field: Field::Offence(|t| &mut t.$f),
        }
    };
}

use Source::{Assumption, Cited, Derived};

/// Every scalar parameter of the model. Order: by scenario-file section, as in docs/model.md.
pub static PARAMETERS: &[ParamSpec] = &[
    region!("regions.population_share", population_share; "fraction", 0.25, [0.0, 1.0],
        Derived("scenario input: the region's share of the national population; shares sum to 1"),
        "Share of the national population living in the region at the start."),
    region!("regions.urban_share", urban_share; "fraction", 0.57, [0.0, 1.0],
        Cited("UN DESA World Urbanization Prospects 2018: 57% of the world urban by 2023 (interpolated)"),
        "Share of the region's people living in urban areas."),
    region!("regions.unemployment_rate", unemployment_rate; "fraction", 0.05, [0.0, 0.6],
        Cited("ILO World Employment and Social Outlook: Trends 2024: global unemployment rate 5.1% in 2023"),
        "Unemployment rate of the region's labour force (sets the employment transition rates)."),
    region!("regions.gini", gini; "index 0-1", 0.38, [0.15, 0.75],
        Cited("World Bank Poverty and Inequality Platform: median national Gini about 0.36-0.40"),
        "Gini coefficient of income; homicide and assault scale with it across regions."),
    region!("regions.police_per_100k", police_per_100k; "officers per 100,000", 300.0, [0.0, 2000.0],
        Cited("UNODC crime statistics: median of about 300 police officers per 100,000 population"),
        "Police officers; a region's clearance capacity is proportional to its officers."),
    region!("regions.digital_access", digital_access; "fraction", 0.67, [0.0, 1.0],
        Cited("ITU, Facts and Figures 2023: 67% of the world's population uses the internet (93% in high-income, 27% in low-income countries)"),
        "Share of people using the internet: where remote hearings and online legal information can reach (courts are taken to be as connected as their region), and who online fraud can reach."),
    region!("regions.digital_access_growth", digital_access_growth; "log odds per year", 0.11, [-1.0, 2.0],
        Derived("ITU, Facts and Figures 2021 and 2023: world internet use 54% (2019), 63% (2021), 67% (2023): logit growth 0.137 a year over 2019-2023 and 0.088 over 2021-2023; their midpoint"),
        "Growth of internet use on the logit scale: adoption follows a logistic curve from regions.digital_access (online fraud grows with it)."),
    region!("regions.prison_bed_weight", prison_bed_weight; "relative weight", 1.0, [0.0, 10.0],
        Assumption("beds follow population unless a scenario says otherwise"),
        "Region's share of the national prison beds, relative to its population share."),
    region_at!("regions.flood_per_year", |r| &mut r.hazard_per_year[0]; "events per year", 0.5, [0.0, 24.0],
        Assumption("generic exposure; scenarios set each region's observed frequency (EM-DAT, IDMC GRID event counts)"),
        "Base annual frequency of flood events in the region (before warming)."),
    region_at!("regions.flood_affected_share", |r| &mut r.hazard_affected_share[0]; "fraction", 0.02, [0.0, 1.0],
        Assumption("median share of a region's people affected by one event; order of magnitude from EM-DAT affected counts"),
        "Median share of the region's people affected by one flood event (log-normal severity)."),
    region_at!("regions.storm_per_year", |r| &mut r.hazard_per_year[1]; "events per year", 0.2, [0.0, 24.0],
        Assumption("generic exposure; scenarios set each region's observed frequency (EM-DAT, IDMC GRID event counts)"),
        "Base annual frequency of storm events in the region (before warming)."),
    region_at!("regions.storm_affected_share", |r| &mut r.hazard_affected_share[1]; "fraction", 0.03, [0.0, 1.0],
        Assumption("median share of a region's people affected by one event; order of magnitude from EM-DAT affected counts"),
        "Median share of the region's people affected by one storm event (log-normal severity)."),
    region_at!("regions.drought_per_year", |r| &mut r.hazard_per_year[2]; "events per year", 0.05, [0.0, 24.0],
        Assumption("generic exposure; scenarios set each region's observed frequency (EM-DAT, IDMC GRID event counts)"),
        "Base annual frequency of drought events in the region (before warming)."),
    region_at!("regions.drought_affected_share", |r| &mut r.hazard_affected_share[2]; "fraction", 0.1, [0.0, 1.0],
        Assumption("median share of a region's people affected by one event; order of magnitude from EM-DAT affected counts"),
        "Median share of the region's people affected by one drought event (log-normal severity)."),
    region_at!("regions.heatwave_per_year", |r| &mut r.hazard_per_year[3]; "events per year", 0.3, [0.0, 24.0],
        Assumption("generic exposure; scenarios set each region's observed frequency (EM-DAT, IDMC GRID event counts)"),
        "Base annual frequency of heatwave events in the region (before warming)."),
    region_at!("regions.heatwave_affected_share", |r| &mut r.hazard_affected_share[3]; "fraction", 0.1, [0.0, 1.0],
        Assumption("median share of a region's people affected by one event; order of magnitude from EM-DAT affected counts"),
        "Median share of the region's people affected by one heatwave event (log-normal severity)."),
    region!("regions.x_km", x_km; "km", 0.0, [-1e5, 1e5],
        Assumption("regions without coordinates are treated as equally distant"),
        "Position east, for distances in the gravity rule of displacement."),
    region!("regions.y_km", y_km; "km", 0.0, [-1e5, 1e5],
        Assumption("regions without coordinates are treated as equally distant"),
        "Position north, for distances in the gravity rule of displacement."),
    region!("regions.temperature_sd_c", temperature_sd_c; "degrees C", 1.0, [0.05, 10.0],
        Assumption("standard deviation of monthly mean temperature around climatology, typical of tropical and subtropical stations"),
        "Monthly temperature variability: one standard deviation of anomaly."),
    region!("regions.mean_temperature_c", mean_temperature_c; "degrees C", 25.0, [-30.0, 45.0],
        Assumption("warm-climate default"),
        "Annual mean temperature (for the reported temperature series)."),
    region!("regions.seasonal_amplitude_c", seasonal_amplitude_c; "degrees C", 3.0, [0.0, 30.0],
        Assumption("tropical seasonal cycle"),
        "Half the difference between the warmest and the coldest month."),
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
    global!("economy.job_finding_per_month", economy.job_finding_per_month;
        "per month", 0.2, [0.01, 1.0], false,
        Assumption("mean unemployment spell of about 5 months, in the range of ILO labour-flow estimates"),
        "Monthly probability that an unemployed person finds work; separations follow from the unemployment rate."),
    global!("economy.youth_neet_share", economy.youth_neet_share;
        "fraction", 0.235, [0.0, 0.8], false,
        Cited("ILO: 23.5% of young people aged 15-24 were not in employment, education or training in 2022 (SDG Report 2023: about 1 in 4)"),
        "Share of people aged 15-24 who are NEET (modelled as unemployed)."),
    global!("economy.enrolment_15_17", economy.enrolment_15_17;
        "fraction", 0.75, [0.0, 1.0], false,
        Cited("UNESCO Institute for Statistics: upper-secondary-age out-of-school rate about 30% worldwide (2022)"),
        "Share of 15-17-year-olds in education."),
    global!("economy.enrolment_18_24", economy.enrolment_18_24;
        "fraction", 0.3, [0.0, 1.0], false,
        Assumption("tertiary gross enrolment about 40% worldwide (UNESCO UIS), of which a part is older than 24"),
        "Share of 18-24-year-olds in education."),
    global!("economy.retirement_age", economy.retirement_age;
        "years", 65.0, [40.0, 80.0], true,
        Assumption("a common statutory retirement age"),
        "Age at which people leave the labour force."),
    global!("crime.propensity_log_sd", crime.propensity_log_sd;
        "log scale", 0.8, [0.0, 3.0], false,
        Assumption("docs/model.md section 2: sd 0.8 on the log scale makes about 5-10% of a cohort commit about half of offences (Wolfgang, Figlio & Sellin 1972)"),
        "Spread of the persistent, log-normal individual offending propensity (mean 1)."),
    global!("crime.min_age", crime.min_age;
        "years", 10.0, [5.0, 18.0], false,
        Assumption("offending before 10 is negligible in recorded data; minimum ages of criminal responsibility are 10-14 in most countries"),
        "Youngest age at which offences are simulated."),
    global!("crime.rise_half_age", crime.rise_half_age;
        "years", 15.0, [8.0, 30.0], false,
        Assumption("offending rises steeply through early adolescence: at 10-12 a small fraction of the late-teen peak, at 13-14 about a third (Farrington 1986; arrest rates by single year of age in the FBI Uniform Crime Reports)"),
        "Age below the peak at which offending is half its peak (types peaking earlier rise a year before their peak)."),
    global!("crime.unemployed_multiplier", crime.unemployed_multiplier;
        "ratio", 1.5, [1.0, 5.0], false,
        Assumption("individual unemployment and NEET status go with more offending, modestly (e.g. Raphael & Winter-Ebmer 2001 at area level)"),
        "Offending multiplier for unemployed and NEET people."),
    global!("crime.gini_elasticity", crime.gini_elasticity;
        "elasticity", 1.5, [0.0, 4.0], false,
        Cited("Fajnzylber, Lederman & Loayza 2002: cross-national elasticity of homicide to the Gini around 1 to 2 (functional form an assumption)"),
        "Homicide and assault scale with (regional Gini / national mean Gini)^elasticity."),
    global!("crime.deterrence_elasticity", crime.deterrence_elasticity;
        "elasticity", 0.3, [0.0, 2.0], false,
        Assumption("certainty of apprehension deters, severity adds little (Nagin 2013); crime-police elasticities about 0.3-0.5 (Chalfin & McCrary 2017)"),
        "Offending scales with (past-year regional clearances per offence committed / year-one rate)^-elasticity."),
    global!("crime.heat_effect_per_sd", crime.heat_effect_per_sd;
        "fraction per s.d.", 0.024, [0.0, 0.2], false,
        Cited("Burke, Hsiang & Miguel 2015 meta-analysis: interpersonal violence +2.4% per standard deviation warmer"),
        "Rise of homicide, assault and gender-based violence per standard deviation of monthly temperature anomaly."),
    global!("crime.gbv_sexual_share", crime.gbv_sexual_share;
        "fraction", 0.25, [0.0, 1.0], false,
        Derived("Crime Survey for England and Wales, year ending March 2020 (ONS): 773,000 adults 16-74 sexually assaulted (including attempts) and 2.3 million who experienced domestic abuse in the last year; 0.77 / (0.77 + 2.3) = 0.25, counting the overlap once"),
        "Share of gender-based and partner violence victimisations that are sexual violence; the rest is physical partner violence. Splits SDG 16.1.3 and 16.3.1 into their physical and sexual series."),
    global!("crime.elder_abuse_share", crime.elder_abuse_share;
        "fraction", 0.15, [0.0, 1.0], false,
        Assumption("WHO 2022: about 1 in 6 people aged 60+ experienced abuse in the past year; share of non-lethal violence victims who are 60+"),
        "Share of non-lethal violence victims drawn among people aged 60 and over (elder abuse)."),
    global!("crime.displaced_trafficking_multiplier", crime.displaced_trafficking_multiplier;
        "ratio", 3.0, [1.0, 20.0], false,
        Assumption("docs/model.md 4.2: displaced people are over-represented among trafficking victims (UNODC GLOTIP 2022); size unknown"),
        "Trafficking victimisation risk of displaced people relative to others."),
    global!("crime.displaced_gbv_multiplier", crime.displaced_gbv_multiplier;
        "ratio", 1.5, [1.0, 10.0], false,
        Assumption("docs/model.md 4.2: gender-based violence rises in displacement; size unknown"),
        "Gender-based violence victimisation risk of displaced women relative to others."),
    global!("crime.displaced_offending_multiplier", crime.displaced_offending_multiplier;
        "ratio", 1.0, [0.5, 3.0], false,
        Assumption("docs/model.md 4.2: no default increase; evidence does not support one. For sensitivity analysis only"),
        "Offending multiplier for displaced people."),
    global!("crime.homicide_rate_per_100k", crime.homicide_rate_per_100k;
        "victims per 100,000 per year", 5.8, [0.05, 150.0], false,
        Cited("UNODC Global Study on Homicide 2023: 5.8 per 100,000 worldwide in 2021"),
        "Observed year-one homicide rate (SDG 16.1.1); the homicide base hazard is solved to match it."),
    global!("crime.violence_prevalence_pct", crime.violence_prevalence_pct;
        "% of people 15+ per year", 5.0, [0.1, 60.0], false,
        Assumption("past-year physical or sexual violence in victimisation surveys is typically 2-10%"),
        "Observed year-one share of people 15+ who suffered non-lethal violence (SDG 16.1.3); assault is solved to match it."),
    global!("crime.gbv_prevalence_women_pct", crime.gbv_prevalence_women_pct;
        "% of women 15-49 per year", 10.0, [0.1, 60.0], false,
        Derived("Sardinha et al. 2022 (WHO): 13% of ever-partnered women 15-49 suffered partner violence in the past 12 months; about 10% of all women 15-49"),
        "Observed year-one share of women 15-49 who suffered gender-based or partner violence; GBV is solved to match it."),
    global!("crime.property_victimisation_pct", crime.property_victimisation_pct;
        "% of people per year", 8.0, [0.1, 60.0], false,
        Assumption("victimisation surveys find property crime against about 5-20% of households a year (International Crime Victims Survey)"),
        "Observed year-one share of people who suffered a property crime; property offending is solved to match it."),
    global!("crime.robbery_victimisation_pct", crime.robbery_victimisation_pct;
        "% of people 15+ per year", 1.0, [0.0, 30.0], false,
        Cited("International Crime Victims Survey 2004-05 (van Dijk, van Kesteren & Smit 2007): one-year robbery prevalence about 1% on average across the participating countries"),
        "Observed year-one share of people 15+ robbed (SDG 16.1.3, VC_VOV_ROBB); the share of property offences that are robberies (ICCS 0401) is solved to match it."),
    global!("crime.drug_recorded_per_100k", crime.drug_recorded_per_100k;
        "offences per 100,000 per year", 150.0, [0.1, 5000.0], false,
        Assumption("recorded drug offences are of the order of 100-300 per 100,000 in UNODC crime statistics"),
        "Observed year-one recorded drug offences; drug offending is solved to match them."),
    global!("crime.trafficking_detected_per_100k", crime.trafficking_detected_per_100k;
        "victims per 100,000 per year", 0.7, [0.001, 100.0], false,
        Cited("UNODC Global Report on Trafficking in Persons 2022: about 50,000 detected victims a year, about 0.6-0.7 per 100,000"),
        "Observed year-one detected trafficking victims (SDG 16.2.2); trafficking is solved to match them."),
    global!("crime.environment_recorded_per_100k", crime.environment_recorded_per_100k;
        "offences per 100,000 per year", 10.0, [0.01, 2000.0], false,
        Assumption("few crimes that affect the environment are recorded; order of magnitude only"),
        "Observed year-one recorded environmental offences; environmental offending is solved to match them."),
    global!("crime.fraud_victimisation_pct", crime.fraud_victimisation_pct;
        "% of people 15+", 3.8, [0.0, 60.0], false,
        Derived("NAO, Progress combatting fraud (2022): 6.6% of people 16+ in England and Wales were victims of fraud in the year to June 2022 (CSEW), about 80% of it cyber-enabled, where 93% use the internet (ITU 2023, high-income); scaled to the default 67% internet use: 6.6 x 0.8 x 0.67 / 0.93 = 3.8%"),
        "Observed year-one share of people 15+ who were victims of online fraud in 12 months; online fraud is solved to match it (0 switches it off)."),
    offence!("peak_age", peak_age; "years", [21.0, 21.0, 30.0, 17.0, 32.0, 20.0, 35.0, 28.0], [12.0, 70.0],
        Cited("Hirschi & Gottfredson 1983; Farrington 1986: property peaks about 16-18, violence 18-24; partner violence later (25-40), trafficking networks older (25-45); online fraud assumed older (peak 28, half by 45)"),
        "Age at which offending of this type peaks."),
    offence!("half_peak_age", half_peak_age; "years", [33.0, 32.0, 45.0, 27.0, 50.0, 30.0, 55.0, 45.0], [14.0, 95.0],
        Cited("Hirschi & Gottfredson 1983; Farrington 1986: offending falls to half its peak by the late 20s to mid 30s"),
        "Age above the peak at which offending has fallen to half the peak."),
    offence!("male_share", male_share; "fraction", [0.90, 0.80, 0.92, 0.80, 0.62, 0.85, 0.85, 0.75], [0.05, 0.995],
        Cited("UNODC Global Study on Homicide 2023: about 90% of homicide suspects male; UNODC GLOTIP 2022: about 60-65% of convicted traffickers male; others from recorded-crime profiles (online fraud assumed 75%)"),
        "Share of offenders who are male."),
    offence!("report", report; "probability", [1.0, 0.35, 0.12, 0.40, 0.05, 0.0, 0.05, 0.15], [0.0, 1.0],
        Cited("victimisation surveys: violence reported about 30-50%, sexual and partner violence often under 15% (docs/model.md 4.7); homicide is nearly always discovered; fraud: 15% of incidents reported to Action Fraud or the police (ONS, Nature of fraud and computer misuse, year ending March 2019)"),
        "Probability that the victim reports (homicide: that it becomes known to the police)."),
    offence!("proactive", proactive; "probability", [0.0, 0.01, 0.01, 0.01, 0.04, 0.10, 0.03, 0.0], [0.0, 1.0],
        Assumption("docs/model.md 4.8: proactive detection is small except for drug and trafficking offences, where it is the main route; none for online fraud (industry referrals are not modelled)"),
        "Probability that police detect an unreported offence themselves."),
    offence!("clearance", clearance; "probability", [0.60, 0.45, 0.35, 0.15, 0.40, 0.90, 0.30, 0.02], [0.0, 1.0],
        Derived("docs/model.md 4.8: assault 40-50%, property 10-20%; homicide set so that report x clearance x charge x conviction gives about 43 convictions per 100 victims (UNODC Global Study on Homicide 2013); online fraud: clearance 0.02 x charge 0.25 = 0.5% of recorded frauds charged, as 4,816 charges for 987,000 recorded frauds (NAO, Progress combatting fraud, 2022)"),
        "Probability that a recorded offence is cleared when police capacity is ample."),
    offence!("charge", charge; "probability", [0.90, 0.60, 0.50, 0.60, 0.60, 0.70, 0.50, 0.25], [0.0, 1.0],
        Assumption("attrition between suspect and charge; order of magnitude from criminal-justice flow statistics; online fraud see clearance"),
        "Probability that a suspect is charged."),
    offence!("conviction", conviction; "probability", [0.72, 0.55, 0.45, 0.60, 0.45, 0.70, 0.50, 0.80], [0.0, 1.0],
        Assumption("conviction rates of charged cases; homicide set for the 43-per-100 funnel (UNODC 2013)"),
        "Probability of conviction at disposition for a defendant at liberty."),
    offence!("custody", custody; "probability", [0.95, 0.35, 0.40, 0.30, 0.80, 0.35, 0.20, 0.30], [0.0, 1.0],
        Assumption("relative use of custody by offence; scaled at start so the prison population matches its observed rate"),
        "Relative probability of a custodial sentence on conviction (times the calibrated custody scale)."),
    offence!("sentence_median_months", sentence_median_months; "months", [144.0, 12.0, 24.0, 8.0, 60.0, 18.0, 12.0, 15.0], [0.5, 600.0],
        Assumption("log-normal custodial sentences with long tails; medians of the order seen in sentencing statistics"),
        "Median custodial sentence."),
    offence!("sentence_log_sd", sentence_log_sd; "log months", [0.6, 0.8, 0.8, 0.8, 0.6, 0.8, 0.8, 0.8], [0.0, 2.0],
        Assumption("long-tailed sentence distributions (docs/model.md 4.10)"),
        "Spread of custodial sentence lengths."),
    offence!("indeterminate_share", indeterminate_share; "fraction", [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 1.0],
        Assumption("life and indeterminate sentences exist in some systems only; none unless a scenario sets them"),
        "Share of custodial sentences that are life or indeterminate (the drawn length is then the minimum term)."),
    offence!("detention", detention; "relative probability", [0.90, 0.30, 0.35, 0.25, 0.70, 0.40, 0.20, 0.10], [0.0, 1.0],
        Assumption("serious offences are remanded more often; scaled at start so the unsentenced share matches its observed value"),
        "Relative probability of pre-trial detention (times the calibrated detention scale)."),
    offence!("prosecution_delay_years", prosecution_delay_years; "years", [0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 40.0],
        Assumption("docs/model.md 4.11: many sexual offences are prosecuted long after the act; zero for other types"),
        "Mean delay between offence and arrest (exponential)."),
    offence!("victim_male_share", victim_male_share; "fraction", [0.80, 0.60, 0.05, 0.50, 0.40, 0.50, 0.50, 0.50], [0.0, 1.0],
        Cited("UNODC Global Study on Homicide 2023: about 80% of homicide victims male; UNODC GLOTIP 2022: about 60% of trafficking victims women and girls"),
        "Share of victims who are male."),
    offence!("victim_peak_age", victim_peak_age; "years", [25.0, 22.0, 28.0, 35.0, 16.0, 30.0, 30.0, 60.0], [0.5, 90.0],
        Cited("UNODC Global Study on Homicide 2023: victimisation peaks among young adults; UNODC GLOTIP 2022: about a third of trafficking victims are children; online fraud: risk per person online rises into later life (Age UK 2015, Only the tip of the iceberg: older people are targeted by scams), times online access, which is lower at 65+; no victims under 15"),
        "Age at which the risk of victimisation peaks."),
    offence!("victim_half_peak_age", victim_half_peak_age; "years", [45.0, 40.0, 45.0, 75.0, 30.0, 60.0, 60.0, 110.0], [1.0, 110.0],
        Assumption("spread of victimisation risk above its peak"),
        "Age above the peak at which victimisation risk has halved."),
    global!("justice.violence_reporting_pct", justice.violence_reporting_pct;
        "% of victims", 35.0, [1.0, 100.0], false,
        Cited("docs/model.md 4.7: victims of violence report about 30-50% in most victimisation surveys (SDG 16.3.1)"),
        "Observed year-one share of violence victims who reported (SDG 16.3.1); reporting of assault and GBV is scaled to match."),
    global!("justice.displaced_reporting_multiplier", justice.displaced_reporting_multiplier;
        "ratio", 0.6, [0.0, 1.0], false,
        Assumption("docs/model.md 4.2: displaced victims report less (x0.6)"),
        "Reporting probability of displaced victims relative to others."),
    global!("justice.police_capacity_ratio", justice.police_capacity_ratio;
        "ratio", 0.85, [0.05, 5.0], false,
        Assumption("police in middle-income countries clear fewer cases than they record; capacity below workload"),
        "Year-one police clearance capacity as a share of recorded workload."),
    global!("justice.clearance_capacity_gamma", justice.clearance_capacity_gamma;
        "exponent", 0.5, [0.0, 3.0], false,
        Assumption("docs/model.md 4.8: clearance times min(1, capacity / workload)^gamma"),
        "How strongly a shortfall of police capacity lowers clearance."),
    global!("justice.police_capacity_multiplier", justice.police_capacity_multiplier;
        "ratio", 1.0, [0.0, 10.0], false,
        Assumption("policy lever: 1 leaves year-one police capacity unchanged (police_per_100k only distributes capacity across regions)"),
        "Multiplier on every region's police clearance capacity."),
    global!("justice.police_cost_per_officer_year", justice.police_cost_per_officer_year;
        "currency units per year", 12000.0, [0.0, 1e6], false,
        Assumption("salary and overheads of an officer in a middle-income country, order of magnitude"),
        "Cost of one police officer for a year."),
    global!("justice.court_capacity_ratio", justice.court_capacity_ratio;
        "ratio", 1.05, [0.05, 5.0], false,
        Assumption("courts roughly keep pace with their caseload in year one"),
        "Year-one court disposition capacity as a share of the caseload."),
    global!("justice.court_capacity_multiplier", justice.court_capacity_multiplier;
        "ratio", 1.0, [0.0, 10.0], false,
        Assumption("policy lever: 1 leaves year-one capacity unchanged"),
        "Multiplier on every region's court disposition capacity."),
    global!("justice.procedure_months", justice.procedure_months;
        "months", 6.0, [0.5, 60.0], false,
        Assumption("median procedural time from charge to disposition without queueing, middle-income systems"),
        "Median procedural time from charge to a case being ready for disposition."),
    global!("justice.procedure_log_sd", justice.procedure_log_sd;
        "log months", 0.7, [0.0, 2.0], false,
        Assumption("case durations are long-tailed"),
        "Spread of procedural times."),
    global!("justice.detained_conviction_boost", justice.detained_conviction_boost;
        "probability points", 0.13, [0.0, 0.5], false,
        Cited("Leslie & Pope 2017: pre-trial detention raises conviction by about 13 points, mostly through guilty pleas; Dobbie, Goldin & Yang 2018 similar"),
        "Rise in conviction probability for defendants detained before trial."),
    global!("justice.age_of_criminal_responsibility", justice.age_of_criminal_responsibility;
        "years", 12.0, [7.0, 18.0], true,
        Cited("minimum ages of criminal responsibility are 12-14 in most countries; the UN Committee on the Rights of the Child recommends at least 14 (General Comment 24, 2019)"),
        "Suspects younger than this are diverted, not charged."),
    global!("justice.juvenile_diversion", justice.juvenile_diversion;
        "probability", 0.5, [0.0, 1.0], false,
        Assumption("diversion of children from prosecution is the norm (UN CRC General Comment 24, 2019); in England and Wales out-of-court disposals are about half of children's proven offences (Youth Justice Statistics)"),
        "Share of chargeable suspects under 18 diverted from prosecution."),
    global!("justice.juvenile_custody_multiplier", justice.juvenile_custody_multiplier;
        "ratio", 0.15, [0.0, 1.0], false,
        Assumption("detention of children is a last resort (UN CRC art. 37(b)); in England and Wales about 5% of children's sentences are custodial against about a third of adults' (Youth Justice Statistics; Criminal Justice Statistics)"),
        "Pre-trial detention and custody of offenders under 18, relative to adults."),
    global!("justice.female_custody_multiplier", justice.female_custody_multiplier;
        "ratio", 0.5, [0.0, 2.0], false,
        Derived("MoJ, Women and the Criminal Justice System 2019: women sentenced for indictable offences receive immediate custody about half as often as men"),
        "Pre-trial detention and custody of women, relative to men."),
    global!("justice.female_sentence_multiplier", justice.female_sentence_multiplier;
        "ratio", 0.6, [0.1, 2.0], false,
        Derived("MoJ, Women and the Criminal Justice System 2019: women's average custodial sentence for indictable offences is about 10 months against about 18 for men"),
        "Custodial sentence lengths of women, relative to men."),
    global!("justice.court_cost_per_case", justice.court_cost_per_case;
        "currency units", 500.0, [0.0, 1e6], false,
        Assumption("cost of one disposition, order of magnitude"),
        "Cost of one court disposition."),
    global!("justice.community_sentence_months", justice.community_sentence_months;
        "months", 12.0, [1.0, 120.0], false,
        Assumption("typical length of a community order"),
        "Length of a community sentence."),
    global!("justice.severity_multiplier", justice.severity_multiplier;
        "ratio", 1.0, [0.1, 5.0], false,
        Assumption("policy lever for sentencing reform: 1 keeps the sentence distributions"),
        "Multiplier on every custodial sentence length."),
    global!("justice.parole_eligibility_fraction", justice.parole_eligibility_fraction;
        "fraction of sentence", 0.5, [0.0, 1.0], false,
        Assumption("many systems allow release at one half to two thirds of a sentence"),
        "Share of a sentence served before parole eligibility."),
    global!("justice.parole_grant_per_month", justice.parole_grant_per_month;
        "per month", 0.1, [0.0, 1.0], false,
        Assumption("discretionary release is granted to a minority each month"),
        "Monthly probability of parole once eligible."),
    global!("justice.indeterminate_release_per_month", justice.indeterminate_release_per_month;
        "per month", 0.02, [0.001, 1.0], false,
        Assumption("life and indeterminate sentences end only when a parole board directs release after the minimum term; in England and Wales most are held for years beyond it (about four on average here)"),
        "Monthly probability of release after the minimum term of a life or indeterminate sentence."),
    global!("justice.burn_in_years", justice.burn_in_years;
        "years", 0.0, [0.0, 40.0], true,
        Assumption("a common way to start an agent-based model (a warm-up period whose outputs are discarded); 0 keeps the drawn steady-state stocks of year one, which suits projections; a hindcast that must reproduce who was in prison at its start sets about ten years"),
        "Years of justice burn-in before the start. The justice stocks drawn at set-up are moved that far back, and offending, policing, courts, sentencing, prisons and reoffending run on the persons of the start (at their ages then) with demography, climate and interventions off; nothing of it is reported. Who is in prison, on bail and recently released at the start then comes from the model's own flows (young people released and coming back), not from the first-offence weights of the set-up draw."),
    global!("justice.detection_presence_elasticity", justice.detection_presence_elasticity;
        "elasticity", 1.0, [0.0, 3.0], false,
        Cited("Lum & Isaac 2016 (Significance): Oakland drug arrests followed where police patrolled, not drug use as estimated from the National Survey on Drug Use and Health; Ensign et al. 2018 (FAT*): incidents are discovered in proportion to police presence"),
        "Elasticity of proactive detection (offences police find without a report: drug offences above all) to a region's police per person relative to the national mean; 1 is proportional."),
    global!("justice.digital_access_rural_multiplier", justice.digital_access_rural_multiplier;
        "ratio", 0.62, [0.0, 1.0], false,
        Derived("ITU, Facts and Figures 2023: 81% of urban and 50% of rural people use the internet; 50 / 81 = 0.62"),
        "Digital access of rural people relative to their region's."),
    global!("justice.digital_access_older_multiplier", justice.digital_access_older_multiplier;
        "ratio", 0.75, [0.0, 1.0], false,
        Derived("ONS, Internet users UK 2020: 92% of adults were recent internet users, 86% of people 65-74 and 54% of those 75+; about 0.75 for 65+ as a whole"),
        "Digital access of people 65 and over relative to their region's."),
    global!("justice.digital_access_displaced_multiplier", justice.digital_access_displaced_multiplier;
        "ratio", 0.5, [0.0, 1.0], false,
        Cited("UNHCR, Connecting Refugees (2016): refugees are 50% less likely than the general population to have an internet-enabled phone"),
        "Digital access of displaced people relative to their region's."),
    global!("justice.remote_procedure_cut", justice.remote_procedure_cut;
        "fraction", 0.2, [0.0, 0.6], false,
        Assumption("remote and digital case handling saves travel, adjournments and listing delays; no robust estimate of the saving in time to disposition exists, a target of sensitivity analysis"),
        "Share of procedural time saved when a defendant's case is heard remotely (with `remote_hearings`)."),
    global!("justice.video_detention_risk", justice.video_detention_risk;
        "relative rise", 0.25, [0.0, 0.51], false,
        Assumption("Diamond et al. 2010 (J. Crim. Law & Criminology): after Cook County moved bail hearings to video, bail amounts rose 51% on average for the offences affected; how much of that becomes detention is unknown, so the default is half, the range up to the whole rise"),
        "Relative rise of pre-trial detention for a defendant whose first appearance is by video (with `remote_hearings`)."),
    global!("survey.issued_sample", survey.issued_sample;
        "persons a year", 55_000.0, [0.0, 10_000_000.0], true,
        Derived("about 35,000 interviews a year in the Crime Survey for England and Wales (ONS, Crime in England and Wales QMI, 2019) divided by its 64% response rate; the UNODC-UNECE Manual on Victimization Surveys (2010) leaves the size to the precision wanted"),
        "Persons aged 15+ in households selected for the crime victimisation survey each year (stratified by region in proportion to its population); 0 runs no survey."),
    global!("survey.response_rate", survey.response_rate;
        "fraction", 0.64, [0.01, 1.0], false,
        Cited("ONS, Crime Survey for England and Wales data quality review (June 2024): response rate 64% in the year ending March 2020, 42% in 2022-23"),
        "Share of selected persons who respond. Non-response is at random within regions, and respondents are weighted to their region's population."),
    global!("survey.telescoping", survey.telescoping;
        "probability", 0.19, [0.0, 1.0], false,
        Derived("ISTAT Multipurpose Survey 2001 bounding experiment (Muratore, UNECE-UNODC meeting 2006): burglary prevalence 3.1% with a 12-month question alone, 2.6% when bounded by a 3-year question, a 19% excess; with a stable prevalence the excess equals this probability"),
        "Probability that a victimisation 13-24 months before the interview is remembered as inside the 12-month reference period (forward telescoping)."),
    global!("survey.recall_loss", survey.recall_loss;
        "probability", 0.0, [0.0, 1.0], false,
        Assumption("the Portland forward record check (Schneider 1977) found completeness did not decline with the time since the incident; a target of sensitivity analysis"),
        "Probability that a victimisation inside the reference period is not recalled."),
    global!("survey.gbv_under_disclosure", survey.gbv_under_disclosure;
        "probability", 0.0, [0.0, 1.0], false,
        Assumption("0 assumes a self-completion module, which the UNODC-UNECE Manual recommends for violence against women; face-to-face questions found far fewer victims of partner violence than the self-completion module of the 1996 British Crime Survey (Mirrlees-Black 1999)"),
        "Probability that a victim of gender-based or partner violence does not disclose it; such a victim also answers no to the violence question when that violence was her latest."),
    global_at!("climate.flood.warming_sensitivity", |p| &mut p.climate.warming_sensitivity[0]; "per degree C", 0.3, [0.0, 5.0],
        Assumption("docs/model.md 4.1: frequency and severity scale by 1 + k dT; k 0.3 for floods and storms, 0.5 heatwaves, 0.2 droughts"),
        "Rise of flood frequency and severity per degree of warming."),
    global_at!("climate.flood.displaced_share", |p| &mut p.climate.displaced_share[0]; "fraction", 0.2, [0.0, 1.0],
        Assumption("share of affected people displaced; calibrated so exposed countries displace 0.2-1.5% of people a year (IDMC GRID 2023-2025)"),
        "Share of people affected by a flood who are displaced."),
    global_at!("climate.flood.return_months", |p| &mut p.climate.return_months[0]; "months", 1.5, [0.05, 600.0],
        Cited("docs/model.md 4.2: returns after floods and storms are front-loaded (over a third within a week, US household surveys); much slower after droughts"),
        "Mean months before people displaced by a flood return home."),
    global_at!("climate.storm.warming_sensitivity", |p| &mut p.climate.warming_sensitivity[1]; "per degree C", 0.3, [0.0, 5.0],
        Assumption("docs/model.md 4.1: frequency and severity scale by 1 + k dT; k 0.3 for floods and storms, 0.5 heatwaves, 0.2 droughts"),
        "Rise of storm frequency and severity per degree of warming."),
    global_at!("climate.storm.displaced_share", |p| &mut p.climate.displaced_share[1]; "fraction", 0.3, [0.0, 1.0],
        Assumption("share of affected people displaced; calibrated so exposed countries displace 0.2-1.5% of people a year (IDMC GRID 2023-2025)"),
        "Share of people affected by a storm who are displaced."),
    global_at!("climate.storm.return_months", |p| &mut p.climate.return_months[1]; "months", 3.0, [0.05, 600.0],
        Cited("docs/model.md 4.2: returns after floods and storms are front-loaded (over a third within a week, US household surveys); much slower after droughts"),
        "Mean months before people displaced by a storm return home."),
    global_at!("climate.drought.warming_sensitivity", |p| &mut p.climate.warming_sensitivity[2]; "per degree C", 0.2, [0.0, 5.0],
        Assumption("docs/model.md 4.1: frequency and severity scale by 1 + k dT; k 0.3 for floods and storms, 0.5 heatwaves, 0.2 droughts"),
        "Rise of drought frequency and severity per degree of warming."),
    global_at!("climate.drought.displaced_share", |p| &mut p.climate.displaced_share[2]; "fraction", 0.1, [0.0, 1.0],
        Assumption("share of affected people displaced; calibrated so exposed countries displace 0.2-1.5% of people a year (IDMC GRID 2023-2025)"),
        "Share of people affected by a drought who are displaced."),
    global_at!("climate.drought.return_months", |p| &mut p.climate.return_months[2]; "months", 24.0, [0.05, 600.0],
        Cited("docs/model.md 4.2: returns after floods and storms are front-loaded (over a third within a week, US household surveys); much slower after droughts"),
        "Mean months before people displaced by a drought return home."),
    global_at!("climate.heatwave.warming_sensitivity", |p| &mut p.climate.warming_sensitivity[3]; "per degree C", 0.5, [0.0, 5.0],
        Assumption("docs/model.md 4.1: frequency and severity scale by 1 + k dT; k 0.3 for floods and storms, 0.5 heatwaves, 0.2 droughts"),
        "Rise of heatwave frequency and severity per degree of warming."),
    global_at!("climate.heatwave.displaced_share", |p| &mut p.climate.displaced_share[3]; "fraction", 0.0, [0.0, 1.0],
        Assumption("share of affected people displaced; calibrated so exposed countries displace 0.2-1.5% of people a year (IDMC GRID 2023-2025)"),
        "Share of people affected by a heatwave who are displaced."),
    global_at!("climate.heatwave.return_months", |p| &mut p.climate.return_months[3]; "months", 1.0, [0.05, 600.0],
        Cited("docs/model.md 4.2: returns after floods and storms are front-loaded (over a third within a week, US household surveys); much slower after droughts"),
        "Mean months before people displaced by a heatwave return home."),
    global!("climate.severity_log_sd", climate.severity_log_sd; "log share", 0.8, [0.0, 3.0], false,
        Assumption("event severities are log-normal with long tails (docs/model.md 4.1)"),
        "Spread of event severity."),
    global!("climate.never_return_share", climate.never_return_share; "fraction", 0.17, [0.0, 1.0], false,
        Cited("docs/model.md 4.2: about one in six people displaced by floods and storms never return (US household surveys)"),
        "Share of people displaced by floods and storms who settle where they went."),
    global!("climate.drought_permanent_share", climate.drought_permanent_share; "fraction", 0.5, [0.0, 1.0], false,
        Assumption("droughts drive permanent rural-to-urban moves (Groundswell, World Bank 2021); share unknown"),
        "Share of people displaced by drought who move permanently to another region's towns."),
    global!("climate.drought_months", climate.drought_months; "months", 6.0, [1.0, 60.0], true,
        Assumption("slow-onset droughts last a season or more"),
        "Duration of a drought; its displacement is spread over these months."),
    global!("climate.stay_in_region_share", climate.stay_in_region_share; "fraction", 0.6, [0.0, 1.0], false,
        Assumption("most disaster displacement is local (IDMC)"),
        "Share of displaced people who stay in their own region (camps, towns)."),
    global!("climate.urban_pull", climate.urban_pull; "ratio", 2.0, [0.0, 20.0], false,
        Assumption("gravity rule: destination population x (1 + pull x urban share) / distance"),
        "Pull of urban regions on people displaced elsewhere."),
    global!("climate.job_loss_share", climate.job_loss_share; "fraction", 0.6, [0.0, 1.0], false,
        Assumption("docs/model.md 4.2: displaced people lose employment with high probability"),
        "Probability that a displaced worker loses their job."),
    global!("climate.anomaly_autocorrelation", climate.anomaly_autocorrelation; "correlation", 0.5, [0.0, 0.99], false,
        Assumption("monthly temperature anomalies persist for a few months"),
        "Autocorrelation of the monthly temperature anomaly."),
    global!("climate.heatwave_anomaly_sd", climate.heatwave_anomaly_sd; "standard deviations", 2.0, [0.0, 10.0], false,
        Assumption("a heatwave month is about two standard deviations warmer"),
        "Temperature anomaly added in a heatwave month."),
    global!("climate.severe_threshold", climate.severe_threshold; "fraction", 0.1, [0.0, 1.0], false,
        Assumption("events affecting a tenth of a region damage public buildings"),
        "Affected share above which an event damages courts and prisons."),
    global!("climate.court_damage_per_severity", climate.court_damage_per_severity; "ratio", 3.0, [0.0, 20.0], false,
        Assumption("docs/model.md 4.2: severe events take court capacity out for months; size unknown"),
        "Court capacity lost per unit of affected share in a severe event (capped at 90%)."),
    global!("climate.prison_damage_per_severity", climate.prison_damage_per_severity; "ratio", 2.0, [0.0, 20.0], false,
        Assumption("docs/model.md 4.2: severe events take prison beds out; size unknown"),
        "Prison beds lost per unit of affected share in a severe event (capped at 90%)."),
    global!("climate.repair_months", climate.repair_months; "months", 12.0, [0.5, 240.0], false,
        Assumption("damaged public buildings are repaired over about a year"),
        "Mean months to repair damaged courts and prisons (exponential recovery)."),
    global!("climate.adaptation", climate.adaptation; "fraction", 0.0, [0.0, 1.0], false,
        Assumption("policy lever (early warning, resilient housing); 0 in the baseline"),
        "Share of displacement avoided by adaptation."),
    global!("climate.resilience", climate.resilience; "fraction", 0.0, [0.0, 1.0], false,
        Assumption("policy lever (resilient justice infrastructure); 0 in the baseline"),
        "Share of court and prison damage avoided by resilient construction."),
    global!("climate.prison_heat_mortality_effect", climate.prison_heat_mortality_effect; "fraction", 0.15, [0.0, 2.0], false,
        Cited("docs/model.md 4.5: deaths in prisons without cooling are about 15% higher on extreme-heat days (US studies)"),
        "Rise of in-custody mortality in a heatwave month."),
    global!("climate.ecosystem_link", climate.ecosystem_link; "ratio", 0.0, [0.0, 5.0], false,
        Assumption("docs/model.md 4.1 people-and-planet feedback; strength unknown, off by default so the climate stream is identical across arms"),
        "Flood severity rises by link x (1 - ecosystem buffer)."),
    global!("climate.ecosystem_loss_per_offence_per_1000", climate.ecosystem_loss_per_offence_per_1000; "buffer per offence per 1000 people", 0.05, [0.0, 10.0], false,
        Assumption("order of magnitude only"),
        "Ecosystem buffer lost for each environmental offence per 1000 people of the region."),
    global!("climate.ecosystem_recovery_per_year", climate.ecosystem_recovery_per_year; "per year", 0.1, [0.0, 1.0], false,
        Assumption("slow natural recovery"),
        "Share of the lost ecosystem buffer recovered each year."),
    global!("prisons.prison_population_per_100k", prisons.prison_population_per_100k;
        "prisoners per 100,000", 140.0, [1.0, 1500.0], false,
        Cited("World Prison Population List, 13th edition (2021): about 140 prisoners per 100,000 worldwide"),
        "Observed year-one prison population rate; custody is scaled at start to match it."),
    global!("prisons.unsentenced_share_pct", prisons.unsentenced_share_pct;
        "% of prisoners", 32.0, [1.0, 99.0], false,
        Cited("UNODC Data Matters 1 (2021): nearly one third of the 11.7 million prisoners of 2019 were unsentenced"),
        "Observed year-one unsentenced share (SDG 16.3.2); pre-trial detention is scaled at start to match it."),
    global!("prisons.occupancy_pct", prisons.occupancy_pct;
        "prisoners per 100 beds", 110.0, [10.0, 600.0], false,
        Cited("UNODC Data Matters 1 (2021): prisons are overcrowded in about half of the countries with data"),
        "Observed year-one occupancy; sets the number of prison beds."),
    global!("prisons.transfer_threshold_pct", prisons.transfer_threshold_pct;
        "prisoners per 100 beds", 150.0, [50.0, 1000.0], false,
        Assumption("prison services move prisoners away from a region once it is far over capacity"),
        "Occupancy above which prisoners are transferred to less crowded regions."),
    global!("prisons.custody_age_offset_years", prisons.custody_age_offset_years;
        "years", 10.0, [0.0, 30.0], false,
        Cited("UNODC Handbook on Prisoners with Special Needs: prisoners' health resembles people about 10 years older (the reason for the 50+ threshold)"),
        "In-custody mortality is that of people this many years older."),
    global!("prisons.deaths_in_custody_per_100k", prisons.deaths_in_custody_per_100k;
        "deaths per 100,000 prisoners a year", 330.0, [10.0, 5000.0], false,
        Cited("BJS, Mortality in State and Federal Prisons, 2001-2019 (2021): 330 deaths per 100,000 state prisoners in 2019"),
        "Observed year-one death rate in custody (all causes); natural mortality is scaled at start to match it."),
    global!("prisons.natural_death_share", prisons.natural_death_share;
        "fraction", 0.87, [0.0, 1.0], false,
        Cited("BJS, Mortality in State and Federal Prisons, 2001-2019 (2021): almost 87% of state prisoners who died in custody in 2001-2019 died of illness"),
        "Share of year-one deaths in custody from natural causes; the rest (suicide, homicide, accidents, intoxication) is a constant rate per prisoner."),
    global!("prisons.overcrowding_mortality_effect", prisons.overcrowding_mortality_effect;
        "per unit of excess occupancy", 0.5, [0.0, 5.0], false,
        Assumption("docs/model.md 4.11: overcrowding raises in-custody mortality; size unknown"),
        "Relative rise of in-custody mortality per unit of occupancy above 1."),
    global!("prisons.overcrowding_reoffending_effect", prisons.overcrowding_reoffending_effect;
        "per unit of excess occupancy", 0.2, [0.0, 5.0], false,
        Assumption("docs/model.md 4.11: overcrowding raises post-release reoffending; size unknown"),
        "Relative rise of the post-release reoffending excess per unit of occupancy above 1 at release."),
    global!("prisons.cost_per_prisoner_month", prisons.cost_per_prisoner_month;
        "currency units per month", 400.0, [0.0, 1e6], false,
        Assumption("cost of a prisoner-month in a middle-income country, order of magnitude"),
        "Cost of one prisoner-month for prisoners under the older age."),
    global!("prisons.older_cost_multiplier", prisons.older_cost_multiplier;
        "ratio", 2.0, [1.0, 4.0], false,
        Cited("docs/model.md 4.11: care for older prisoners costs 2-3 times as much; estimates range from +8% (US federal prisons) to x2"),
        "Cost multiplier for prisoners aged 50 and over."),
    global!("prisons.older_age", prisons.older_age;
        "years", 50.0, [40.0, 80.0], true,
        Cited("UNODC Handbook on Prisoners with Special Needs: older prisoners are 50 and over"),
        "Age from which a prisoner counts as older in indicators and costs."),
    global!("prisons.rearrest_3y_target", prisons.rearrest_3y_target;
        "fraction", 0.45, [0.01, 0.99], false,
        Assumption("middle-income default; BJS: 62% of US 2012 releases re-arrested within 3 years (68% of 2005 releases)"),
        "Share of released prisoners re-arrested within 3 years; the post-release multiplier is solved to match it (unless prisons.proven_reoffending_1y_target is set)."),
    global!("prisons.proven_reoffending_1y_target", prisons.proven_reoffending_1y_target;
        "fraction", 0.0, [0.0, 0.95], false,
        Cited("docs/model.md 4.11: about 25-35% one-year proven reoffending in an England-and-Wales-like archetype (Ministry of Justice proven reoffending statistics: an offence within 12 months of release, convicted within a further 6 months)"),
        "Share of released prisoners proven to reoffend within a year (new offence charged within 12 months of release, convicted within 18); when above 0 the post-release multiplier is solved to match it instead of the 3-year re-arrest target."),
    global!("prisons.post_release_decay_months", prisons.post_release_decay_months;
        "months", 12.0, [1.0, 120.0], false,
        Assumption("reoffending after release is front-loaded (BJS: the largest share of re-arrests in the first year)"),
        "Decay time tau of the post-release multiplier 1 + (m0 - 1) exp(-t / tau)."),
    global!("prisons.older_release_multiplier", prisons.older_release_multiplier;
        "ratio", 1.0, [0.0, 10.0], false,
        Assumption("docs/model.md 4.11: do not hard-wire 'old means harmless'; Japan-like archetypes raise it (releases at 65+ return more often)"),
        "Multiplier of the post-release excess for people released at 65 and over."),
    global!("prisons.growth_before_start_pct", prisons.growth_before_start_pct;
        "% a year", 0.0, [-20.0, 30.0], false,
        Assumption("a prison system in steady state at the start unless a scenario states how fast its admissions were growing (England and Wales: about 44,500 prisoners in 1993 and 70,800 in 2002, Home Office Prison Statistics)"),
        "Yearly growth of custodial admissions in the years before the start. Year-one prisoners are drawn from that growing flow, so recent admissions (younger people, shorter stays so far) outnumber old ones; 0 is a steady state."),
];
