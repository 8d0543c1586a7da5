//! The scenario file format: which keys exist beyond the scalar parameter table.
//!
//! A scenario file is TOML. Its scalar keys are exactly the key paths of
//! [`sim_core::params::PARAMETERS`] (region-scoped ones inside `[[regions]]` entries), so the
//! table is the schema for them. This module lists the *structured* keys the table cannot hold
//! (names, arrays, tables of years) and how each is read and written.

use sim_core::ModelParams;

/// Top-level sections, in the order they are written.
pub const SECTIONS: &[&str] = &[
    "scenario",
    "regions",
    "demography",
    "economy",
    "crime",
    "justice",
    "prisons",
    "survey",
    "climate",
    "interventions",
    "policy_changes",
    "targets",
    "observed",
];

/// A structured (non-scalar-table) key: its path and what it holds.
pub struct StructuredKey {
    /// Key path.
    pub key: &'static str,
    /// The kind of value and its meaning, for errors and the template.
    pub expects: &'static str,
}

/// Structured keys under sections other than `[scenario]` and `[[regions]]`.
pub const STRUCTURED_KEYS: &[StructuredKey] = &[
    StructuredKey {
        key: "demography.fertility_pattern",
        expects: "an array of 7 non-negative weights for ages 15-19 ... 45-49",
    },
    StructuredKey {
        key: "demography.age_structure.male",
        expects: "an array of 17-21 shares by 5-year age group from 0-4 (last open-ended)",
    },
    StructuredKey {
        key: "demography.age_structure.female",
        expects: "an array of 17-21 shares by 5-year age group from 0-4 (last open-ended)",
    },
    StructuredKey {
        key: "climate.pathway",
        expects: "a warming pathway name (ssp1-2.6, ssp2-4.5, ssp5-8.5), or a table with years and warming_c",
    },
    StructuredKey {
        key: "climate.pathway.years",
        expects: "an array of calendar years in increasing order",
    },
    StructuredKey {
        key: "climate.pathway.warming_c",
        expects: "an array of warming above the start year (degrees C), one per year",
    },
];

/// Keys of the `[scenario]` table and what each holds.
pub const SCENARIO_KEYS: &[StructuredKey] = &[
    StructuredKey {
        key: "scenario.name",
        expects: "a name of letters, digits, '-', '_' or '.' (names the output folder)",
    },
    StructuredKey {
        key: "scenario.description",
        expects: "a string",
    },
    StructuredKey {
        key: "scenario.start_year",
        expects: "a whole number between 1900 and 2200",
    },
    StructuredKey {
        key: "scenario.years",
        expects: "a whole number between 1 and 200",
    },
    StructuredKey {
        key: "scenario.agents",
        expects: "a whole number between 100 and 50000000",
    },
    StructuredKey {
        key: "scenario.seed",
        expects: "a whole number between 0 and 2^63-1",
    },
    StructuredKey {
        key: "scenario.real_population",
        expects: "a number of persons, at least the number of agents",
    },
    StructuredKey {
        key: "scenario.currency",
        expects: "the ISO 4217 code of the costs' currency, three capital letters (\"USD\", \"GBP\")",
    },
    StructuredKey {
        key: "scenario.ref_area",
        expects: "the country's UN M49 numeric code as text, one to three digits (\"826\"), or \"\" for a synthetic country",
    },
    StructuredKey {
        key: "scenario.price_year",
        expects: "the year whose prices the costs are in, a whole number between 1900 and 2200",
    },
];

/// A value read from the file, reduced to what the schema needs.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A number (integer or float in the file).
    Number(f64),
    /// A string.
    Text(String),
    /// An array of numbers.
    Numbers(Vec<f64>),
    /// Anything else (booleans, dates, mixed arrays, tables).
    Other(&'static str),
}

/// Sets structured key `key` from `value`; `None` when `key` is not a structured key, else
/// `Some(Err(what is allowed))` when the value does not fit.
pub fn set_structured(p: &mut ModelParams, key: &str, value: &Value) -> Option<Result<(), String>> {
    let expects = STRUCTURED_KEYS
        .iter()
        .chain(SCENARIO_KEYS)
        .find(|k| k.key == key)?
        .expects;
    let bad = || Err(format!("must be {expects}"));
    let s = &mut p.scenario;
    let whole = |v: &Value, lo: f64, hi: f64| match v {
        Value::Number(x) if x.fract() == 0.0 && *x >= lo && *x <= hi => Some(*x),
        _ => None,
    };
    Some(match key {
        "scenario.name" => match value {
            Value::Text(t) => {
                s.name = t.clone();
                Ok(())
            }
            _ => bad(),
        },
        "scenario.description" => match value {
            Value::Text(t) => {
                s.description = t.clone();
                Ok(())
            }
            _ => bad(),
        },
        "scenario.currency" => match value {
            Value::Text(t) if t.len() == 3 && t.bytes().all(|b| b.is_ascii_uppercase()) => {
                s.currency = t.clone();
                Ok(())
            }
            _ => bad(),
        },
        "scenario.ref_area" => match value {
            Value::Text(t) if t.is_empty() || sim_core::params::is_m49(t) => {
                s.ref_area = t.clone();
                Ok(())
            }
            _ => bad(),
        },
        "scenario.price_year" => whole(value, 1900.0, 2200.0)
            .map(|x| s.price_year = x as i32)
            .map_or_else(bad, Ok),
        "scenario.start_year" => whole(value, 1900.0, 2200.0)
            .map(|x| s.start_year = x as i32)
            .map_or_else(bad, Ok),
        "scenario.years" => whole(value, 1.0, 200.0)
            .map(|x| s.years = x as u32)
            .map_or_else(bad, Ok),
        "scenario.agents" => whole(value, 100.0, 50_000_000.0)
            .map(|x| s.agents = x as u32)
            .map_or_else(bad, Ok),
        "scenario.seed" => whole(value, 0.0, 9.2e18)
            .map(|x| s.seed = x as u64)
            .map_or_else(bad, Ok),
        "scenario.real_population" => match value {
            Value::Number(x) if x.is_finite() && *x > 0.0 => {
                s.real_population = *x;
                Ok(())
            }
            _ => bad(),
        },
        "demography.fertility_pattern" => match value {
            Value::Numbers(v) if v.len() == 7 => {
                p.demography.fertility_pattern.copy_from_slice(v);
                Ok(())
            }
            _ => bad(),
        },
        "demography.age_structure.male" => match value {
            Value::Numbers(v) => {
                p.demography.age_structure.male = v.clone();
                Ok(())
            }
            _ => bad(),
        },
        "demography.age_structure.female" => match value {
            Value::Numbers(v) => {
                p.demography.age_structure.female = v.clone();
                Ok(())
            }
            _ => bad(),
        },
        "climate.pathway" => match value {
            Value::Text(t) => match sim_core::params::Pathway::named(t) {
                Some(pw) => {
                    p.climate.pathway = pw;
                    Ok(())
                }
                None => {
                    let names = sim_core::params::Pathway::NAMES;
                    Err(match crate::error::suggest(t, names.iter().copied()) {
                        Some(s) => format!("unknown pathway; did you mean '{s}'?"),
                        None => format!(
                            "unknown pathway; allowed: {}, or a table with years and warming_c",
                            names.join(", ")
                        ),
                    })
                }
            },
            _ => bad(),
        },
        "climate.pathway.years" => match value {
            Value::Numbers(v) => {
                p.climate.pathway.name = "table".into();
                p.climate.pathway.years = v.clone();
                Ok(())
            }
            _ => bad(),
        },
        "climate.pathway.warming_c" => match value {
            Value::Numbers(v) => {
                p.climate.pathway.name = "table".into();
                p.climate.pathway.warming = v.clone();
                Ok(())
            }
            _ => bad(),
        },
        _ => return None,
    })
}

/// The structured keys' current values as TOML text, for writing a resolved scenario.
pub fn structured_values(p: &ModelParams) -> Vec<(&'static str, String)> {
    let nums = |v: &[f64]| {
        let items: Vec<String> = v.iter().map(|x| sim_core::params::fmt_num(*x)).collect();
        format!("[{}]", items.join(", "))
    };
    let mut values = vec![
        (
            "demography.fertility_pattern",
            nums(&p.demography.fertility_pattern),
        ),
        (
            "demography.age_structure.male",
            nums(&p.demography.age_structure.male),
        ),
        (
            "demography.age_structure.female",
            nums(&p.demography.age_structure.female),
        ),
    ];
    // A named pathway by its name; anything else (a user table) by its points, so that the
    // resolved scenario reproduces the run either way.
    let pw = &p.climate.pathway;
    match sim_core::params::Pathway::named(&pw.name) {
        Some(named) if named == *pw => {
            values.push(("climate.pathway", crate::render::quote(&pw.name)))
        }
        _ => {
            values.push(("climate.pathway.years", nums(&pw.years)));
            values.push(("climate.pathway.warming_c", nums(&pw.warming)));
        }
    }
    values
}
