//! What the charts read from the results of a run: bands, published figures, provenance. Every problem names the file, and for a bad
//! cell its line and column.

use std::collections::BTreeMap;

use crate::results::Results;

/// What went wrong reading tables or writing charts.
#[derive(Debug, thiserror::Error)]
pub enum VizError {
    /// A table the chart needs is not there.
    #[error("{file}: missing (it is written by `cjsim {by}`)")]
    Missing {
        /// The file.
        file: String,
        /// The command that writes it.
        by: &'static str,
    },
    /// A column the chart needs is not in the header.
    #[error("{file}: no column '{column}' in the header")]
    MissingColumn {
        /// The file.
        file: String,
        /// The column.
        column: String,
    },
    /// A cell is not a number.
    #[error("{file}:{line}: column '{column}' = {value:?}: not a number")]
    BadNumber {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// The column.
        column: String,
        /// The text found.
        value: String,
    },
    /// The file cannot be read or parsed.
    #[error("{file}: {reason}")]
    Unreadable {
        /// The file.
        file: String,
        /// Why.
        reason: String,
    },
    /// Drawing failed.
    #[error("chart {chart}: {reason}")]
    Drawing {
        /// The chart.
        chart: String,
        /// Why.
        reason: String,
    },
}

/// Quantile bands of one indicator for one arm, by year.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Band {
    /// Years.
    pub years: Vec<i32>,
    /// q05, q25, q50, q75, q95 of single runs by year.
    pub q: Vec<[f64; 5]>,
    /// Replications behind each year's quantiles (1 when the table does not say).
    pub n: Vec<usize>,
}

/// `indicators_quantiles.csv`: bands by (arm, indicator), arms in file order.
pub struct Bands {
    /// Arms in the order they appear.
    pub arms: Vec<String>,
    /// Bands by (arm, indicator).
    pub by: BTreeMap<(String, String), Band>,
}

impl Bands {
    /// The band table of a run or comparison.
    pub fn read(results: &Results) -> Result<Bands, VizError> {
        let t = results.table("indicators_quantiles.csv", "run or compare")?;
        let (arm, year, ind) = (t.column("arm")?, t.column("year")?, t.column("indicator")?);
        let qs = ["q05", "q25", "q50", "q75", "q95"]
            .map(|q| t.column(q))
            .into_iter()
            .collect::<Result<Vec<_>, _>>()?;
        let reps = t.column("replications").ok();
        let mut bands = Bands {
            arms: Vec::new(),
            by: BTreeMap::new(),
        };
        for i in 0..t.len() {
            let a = t.text(i, arm).to_string();
            if !bands.arms.contains(&a) {
                bands.arms.push(a.clone());
            }
            let y = t.number(i, year)? as i32;
            let mut q = [0.0; 5];
            for (k, c) in qs.iter().enumerate() {
                q[k] = t.number(i, *c)?;
            }
            let b = bands.by.entry((a, t.text(i, ind).to_string())).or_default();
            b.years.push(y);
            b.q.push(q);
            let n = match reps {
                Some(c) => t.number(i, c)?,
                None => 1.0,
            };
            b.n.push(if n.is_finite() && n >= 1.0 {
                n as usize
            } else {
                1
            });
        }
        Ok(bands)
    }

    /// The band of `indicator` for `arm`.
    pub fn get(&self, arm: &str, indicator: &str) -> Option<&Band> {
        self.by.get(&(arm.to_string(), indicator.to_string()))
    }
}

/// One published figure of `observed.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct Published {
    /// Indicator column.
    pub indicator: String,
    /// Calendar year.
    pub year: i32,
    /// Published value.
    pub value: f64,
    /// Whether it set a parameter (in-sample) rather than being held out.
    pub in_sample: bool,
    /// Where it comes from.
    pub source: String,
}

/// `observed.csv`, the scenario's published figures; empty when the results have none.
pub fn published(results: &Results) -> Result<Vec<Published>, VizError> {
    let Some(t) = results.get("observed.csv") else {
        return Ok(Vec::new());
    };
    let [indicator, year, value, role, source] =
        ["indicator", "year", "value", "role", "source"].map(|c| t.column(c));
    let (indicator, year, value, role, source) = (indicator?, year?, value?, role?, source?);
    (0..t.len())
        .map(|i| {
            Ok(Published {
                indicator: t.text(i, indicator).to_string(),
                year: t.number(i, year)? as i32,
                value: t.number(i, value)?,
                in_sample: t.text(i, role) == "in-sample",
                source: t.text(i, source).to_string(),
            })
        })
        .collect()
}

/// Provenance facts shown on charts and in the report.
#[derive(Clone, Debug, Default)]
pub struct Provenance {
    /// Scenario name.
    pub scenario: String,
    /// Seed of replication 0.
    pub seed: u64,
    /// cjsim version.
    pub version: String,
    /// The unit of costs, "USD, 2024 prices" ("currency units" for folders written before
    /// scenarios named a currency).
    pub cost_unit: String,
    /// The currency code alone ("" when unknown), put before amounts in sentences.
    pub currency: String,
    /// The whole `run.json`.
    pub json: serde_json::Value,
    /// The language the report and charts are written in.
    pub lang: crate::i18n::Lang,
}

impl Provenance {
    /// Reads `run.json`, for a report in `lang`.
    pub fn read(results: &Results, lang: crate::i18n::Lang) -> Result<Provenance, VizError> {
        let file = results.label("run.json");
        let text = results
            .document("run.json")
            .ok_or_else(|| VizError::Missing {
                file: file.clone(),
                by: "run or compare",
            })?;
        let json: serde_json::Value =
            serde_json::from_str(text).map_err(|e| VizError::Unreadable {
                file,
                reason: format!("not JSON: {e}"),
            })?;
        Ok(Provenance {
            scenario: json["scenario"]["name"].as_str().unwrap_or("?").to_string(),
            seed: json["seed"].as_u64().unwrap_or(0),
            version: json["cjsim_version"].as_str().unwrap_or("?").to_string(),
            cost_unit: match (json["currency"].as_str(), json["price_year"].as_i64()) {
                (Some(c), Some(y)) => crate::t!(lang, "{}, {} prices", c, y),
                _ => crate::i18n::tr(lang, "currency units").into(),
            },
            currency: json["currency"].as_str().unwrap_or("").to_string(),
            json,
            lang,
        })
    }

    /// The source line printed under every chart.
    pub fn source_line(&self) -> String {
        crate::t!(
            self.lang,
            "Source: cjsim {} simulation, scenario {}, seed {}",
            self.version,
            self.scenario,
            self.seed
        )
    }
}
