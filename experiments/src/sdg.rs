//! `sdg.csv`: the run's SDG 16 and 5.2.1 indicators in the layout of the UN SDG Global
//! Database's downloads (SDMX-CSV 1.0 of the dataflow `IAEG-SDGs:DF_SDG_GLH`), with the
//! official series codes, so the modelled values load into the same tools as the published
//! ones. Every observation is marked as modelled (`NATURE = M`, `OBS_STATUS = E`).
//!
//! Series and their definitions are listed in docs/outputs.md with the SDG metadata they were
//! checked against.

use sim_core::indicators::{YEAR_COLUMNS, YearRow};
use sim_core::{ModelParams, Outcome};
use viz::results::{Cell, Table};

/// The dataflow whose layout the file follows: agency, identifier and the version of the UN
/// SDG data structure the columns were taken from.
pub const SDG_DATAFLOW: &str = "IAEG-SDGs:DF_SDG_GLH(1.24)";

/// The dimensions of `DF_SDG_GLH` in key order (FREQ ... PRODUCT), then the time dimension.
pub const SDG_DIMENSIONS: [&str; 15] = [
    "FREQ",
    "REPORTING_TYPE",
    "SERIES",
    "REF_AREA",
    "SEX",
    "AGE",
    "URBANISATION",
    "INCOME_WEALTH_QUANTILE",
    "EDUCATION_LEV",
    "OCCUPATION",
    "CUST_BREAKDOWN",
    "COMPOSITE_BREAKDOWN",
    "DISABILITY_STATUS",
    "ACTIVITY",
    "PRODUCT",
];

/// The attributes of the UN downloads, in their column order.
pub const SDG_ATTRIBUTES: [&str; 16] = [
    "OBS_STATUS",
    "UNIT_MULT",
    "UNIT_MEASURE",
    "BASE_PER",
    "NATURE",
    "TIME_DETAIL",
    "COMMENT_OBS",
    "TIME_COVERAGE",
    "UPPER_BOUND",
    "LOWER_BOUND",
    "SOURCE_DETAIL",
    "COMMENT_TS",
    "GEO_INFO_URL",
    "GEO_INFO_TYPE",
    "CUST_BREAKDOWN_LB",
    "DATA_LAST_UPDATE",
];

/// One SDG series the model produces.
struct Series {
    /// Official series code.
    code: &'static str,
    /// SDG indicator, for the comment.
    indicator: &'static str,
    /// `indicators_yearly.csv` column it is read from.
    column: &'static str,
    /// SDMX unit code.
    unit: &'static str,
    /// AGE code (`_T` for all ages).
    age: &'static str,
    /// Whether the values are counts of persons (the column times the population / 100,000).
    count_from_rate: bool,
    /// Whether the series is also given by sex.
    by_sex: bool,
    /// How the model's measure differs from the official definition, if it does.
    note: &'static str,
}

const SERIES: [Series; 9] = [
    Series {
        code: "VC_IHR_PSRC",
        indicator: "16.1.1",
        column: "homicide_rate_per_100k",
        unit: "PER_100000_POP",
        age: "_T",
        count_from_rate: false,
        by_sex: true,
        note: "",
    },
    Series {
        code: "VC_HTF_DETV",
        indicator: "16.2.2",
        column: "trafficking_detected_per_100k",
        unit: "NUMBER",
        age: "_T",
        count_from_rate: true,
        by_sex: false,
        note: "",
    },
    Series {
        code: "VC_VOV_PHYL",
        indicator: "16.1.3",
        column: "physical_violence_pct",
        unit: "PT",
        age: "Y_GE15",
        count_from_rate: false,
        by_sex: false,
        note: "",
    },
    Series {
        code: "VC_VOV_ROBB",
        indicator: "16.1.3",
        column: "robbery_victimisation_pct",
        unit: "PT",
        age: "Y_GE15",
        count_from_rate: false,
        by_sex: false,
        note: "",
    },
    Series {
        code: "VC_VOV_SEXL",
        indicator: "16.1.3",
        column: "sexual_violence_pct",
        unit: "PT",
        age: "Y_GE15",
        count_from_rate: false,
        by_sex: false,
        note: "",
    },
    Series {
        code: "VC_PRR_PHYV",
        indicator: "16.3.1",
        column: "reporting_rate_physical_pct",
        unit: "PT",
        age: "_T",
        count_from_rate: false,
        by_sex: false,
        note: "",
    },
    Series {
        code: "VC_PRR_SEXV",
        indicator: "16.3.1",
        column: "reporting_rate_sexual_pct",
        unit: "PT",
        age: "_T",
        count_from_rate: false,
        by_sex: false,
        note: "the model gives sexual and partner violence one reporting probability",
    },
    Series {
        code: "VC_PRS_UNSNT",
        indicator: "16.3.2",
        column: "unsentenced_share_pct",
        unit: "PT",
        age: "_T",
        count_from_rate: false,
        by_sex: false,
        note: "",
    },
    Series {
        code: "VC_VAW_MARR",
        indicator: "5.2.1",
        column: "gbv_prevalence_women_pct",
        unit: "PT",
        age: "Y15T49",
        count_from_rate: false,
        by_sex: false,
        note: "the model's gender-based violence includes non-partner sexual violence and its \
               denominator is all women 15-49, not ever-partnered women",
    },
];

/// Reads `column` of a year row, in reported units.
fn column_value(column: &str, row: &YearRow, scale: f64) -> f64 {
    YEAR_COLUMNS
        .iter()
        .find(|c| c.name == column)
        .map_or(f64::NAN, |c| c.value(row, scale))
}

/// Values of one series in one year over replications.
fn yearly_values(outcomes: &[Outcome], year: i32, s: &Series, scale: f64) -> Vec<f64> {
    outcomes
        .iter()
        .filter_map(|o| o.years.iter().find(|y| y.year == year))
        .map(|y| {
            let v = column_value(s.column, y, scale);
            if s.count_from_rate {
                v * column_value("population", y, scale) / 100_000.0
            } else {
                v
            }
        })
        .filter(|v| v.is_finite())
        .collect()
}

/// Values of a by-group indicator for one sex in one year over replications.
fn sex_values(
    groups: &[Vec<sim_core::indicators::GroupRow>],
    column: &str,
    year: i32,
    sex: &str,
) -> Vec<f64> {
    groups
        .iter()
        .filter_map(|rows| {
            rows.iter().find(|r| {
                r.year == year && r.indicator == column && r.dimension == "sex" && r.group == sex
            })
        })
        .map(|r| r.value)
        .filter(|v| v.is_finite())
        .collect()
}

/// `sdg.csv` for the replications `outcomes` of the scenario `params`.
pub fn sdg_table(params: &ModelParams, outcomes: &[Outcome], ref_area: &str) -> Table {
    let mut header: Vec<&str> = vec!["DATAFLOW"];
    header.extend(SDG_DIMENSIONS);
    header.extend(["TIME_PERIOD", "OBS_VALUE"]);
    header.extend(SDG_ATTRIBUTES);
    let mut t = Table::new("", &header);
    let scale = params.scenario.scale();
    let years: Vec<i32> = outcomes
        .first()
        .map(|o| o.years.iter().map(|y| y.year).collect())
        .unwrap_or_default();
    let groups: Vec<_> = if SERIES.iter().any(|s| s.by_sex) {
        outcomes.iter().map(|o| o.by_group(params)).collect()
    } else {
        Vec::new()
    };
    let source = format!(
        "cjsim {} simulation of scenario {}, mean of {} replication(s)",
        env!("CARGO_PKG_VERSION"),
        params.scenario.name,
        outcomes.len()
    );
    for s in &SERIES {
        for &year in &years {
            let mut cuts = vec![("_T", yearly_values(outcomes, year, s, scale))];
            if s.by_sex {
                cuts.push(("M", sex_values(&groups, s.column, year, "male")));
                cuts.push(("F", sex_values(&groups, s.column, year, "female")));
            }
            for (sex, values) in cuts {
                if values.is_empty() {
                    continue;
                }
                let (mean, (low, high)) = crate::measured::mean_and_range(&values);
                let comment = if s.note.is_empty() {
                    format!("SDG {}", s.indicator)
                } else {
                    format!("SDG {}; {}", s.indicator, s.note)
                };
                let mut row: Vec<Cell> = vec![Cell::from(SDG_DATAFLOW)];
                row.extend([
                    Cell::from("A"),
                    Cell::from("N"),
                    Cell::from(s.code),
                    Cell::from(ref_area),
                    Cell::from(sex),
                    Cell::from(s.age),
                ]);
                row.extend((0..9).map(|_| Cell::from("_T")));
                row.extend([year.into(), mean.into()]);
                row.extend([
                    Cell::from("E"),
                    Cell::Number(0.0),
                    Cell::from(s.unit),
                    Cell::from(""),
                    Cell::from("M"),
                    Cell::from(""),
                    Cell::from(comment),
                    Cell::from(""),
                    high.into(),
                    low.into(),
                    Cell::from(source.as_str()),
                    Cell::from(""),
                    Cell::from(""),
                    Cell::from(""),
                    Cell::from(""),
                    Cell::from(""),
                ]);
                t.push(row);
            }
        }
    }
    t
}
