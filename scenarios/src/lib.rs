//! Scenario files (TOML) -> validated [`sim_core::ModelParams`]; the built-in scenarios.
//!
//! The only crate that knows the file format. A scenario's scalar keys are the key paths of
//! the parameter table ([`sim_core::params::PARAMETERS`]); [`schema`] adds the structured keys.
//! Every problem is reported with file, line and column, key path, value and what is allowed.
//!
//! ```
//! let s = scenarios::builtin("coastal-middle-income").unwrap();
//! assert_eq!(s.params.regions.len(), 6);
//! ```

pub mod catalogue;
pub mod error;
pub mod observed;
pub mod overrides;
pub mod reader;
pub mod render;
pub mod resolve;
pub mod schema;
pub mod targets;

use std::path::Path;

use sha2::{Digest, Sha256};
use sim_core::ModelParams;

pub use error::{ScenarioError, ScenarioErrors};

/// A resolved scenario with its provenance.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// The validated parameters (overrides included once applied).
    pub params: ModelParams,
    /// Where it came from: a path, or `builtin:<name>`.
    pub origin: String,
    /// The scenario text as read.
    pub text: String,
    /// SHA-256 of the text, hex.
    pub hash: String,
    /// `--set` overrides applied after reading, in order.
    pub overrides: Vec<String>,
    /// Targets of the scenario (docs/model.md section 6).
    pub targets: Vec<targets::Target>,
    /// Published figures the scenario is compared with (`[[observed]]`).
    pub observed: Vec<observed::Observed>,
}

/// A scenario shipped inside the binary.
pub struct Builtin {
    /// Name (`cjsim run NAME`).
    pub name: &'static str,
    /// One line for `cjsim scenarios list`.
    pub summary: &'static str,
    /// The TOML text.
    pub text: &'static str,
}

/// The built-in scenarios; the first is the default.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "coastal-middle-income",
        summary: "Default: coastal middle-income country, 50 million people, six regions",
        text: include_str!("../data/coastal-middle-income.toml"),
    },
    Builtin {
        name: "ageing-high-income",
        summary: "England-and-Wales/Japan-like: low homicide, long sentences, older prisoners, heatwaves",
        text: include_str!("../data/ageing-high-income.toml"),
    },
    Builtin {
        name: "climate-exposed-low-income",
        summary: "High displacement, low court capacity, over 60% unsentenced, occupancy near 180%",
        text: include_str!("../data/climate-exposed-low-income.toml"),
    },
    Builtin {
        name: "england-wales-2002",
        summary: "Hindcast: England and Wales 2002-2021, sentence inflation and the ageing of the prison population",
        text: include_str!("../data/england-wales-2002.toml"),
    },
    Builtin {
        name: "high-violence-urban",
        summary: "Homicide near 30 per 100k, organised violence, low clearance, crowded prisons",
        text: include_str!("../data/high-violence-urban.toml"),
    },
];

/// Name of the default scenario.
pub const DEFAULT_SCENARIO: &str = "coastal-middle-income";

/// SHA-256 of `text`, lower-case hex.
pub fn content_hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Resolves scenario `text`, labelled `origin` in errors.
pub fn from_str(origin: &str, text: &str) -> Result<Scenario, ScenarioErrors> {
    let resolved = resolve::resolve(origin, text)?;
    Ok(Scenario {
        params: resolved.params,
        origin: origin.to_string(),
        text: text.to_string(),
        hash: content_hash(text),
        overrides: Vec::new(),
        targets: resolved.targets,
        observed: resolved.observed,
    })
}

/// A built-in scenario by name.
pub fn builtin(name: &str) -> Result<Scenario, ScenarioErrors> {
    match BUILTINS.iter().find(|b| b.name == name) {
        Some(b) => from_str(&format!("builtin:{}", b.name), b.text),
        None => {
            let names: Vec<&str> = BUILTINS.iter().map(|b| b.name).collect();
            let hint = match error::suggest(name, names.iter().copied()) {
                Some(s) => format!("; did you mean '{s}'?"),
                None => format!("; built-in scenarios: {}", names.join(", ")),
            };
            Err(ScenarioError {
                file: name.to_string(),
                position: None,
                key_path: String::new(),
                value: String::new(),
                problem: format!("no such scenario file or built-in scenario{hint}"),
            }
            .into())
        }
    }
}

/// Largest scenario or sweep file read (bytes); the built-in scenarios are about 10 KB.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// Reads a text file of at most [`MAX_FILE_BYTES`] (read with that cap, so `/dev/zero` or a
/// huge file costs nothing); `what` names its kind in errors. Text that is not UTF-8 is an
/// error at the line and column of the first bad byte.
pub fn read_text_file(path: &Path, what: &str) -> Result<String, ScenarioError> {
    use std::io::Read as _;
    let label = path.display().to_string();
    let file =
        std::fs::File::open(path).map_err(|e| ScenarioError::unreadable(&label, what, &e))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(ScenarioError::file(
            &label,
            format!("cannot read the {what}: it is a folder"),
        ));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ScenarioError::unreadable(&label, what, &e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ScenarioError::file(
            &label,
            format!("the {what} is larger than 1 MB; scenario and sweep files are at most 1 MB"),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&e.as_bytes()[..valid]).to_string();
        ScenarioError {
            file: label.clone(),
            position: Some(resolve::line_col(&text, valid)),
            key_path: String::new(),
            value: String::new(),
            problem: format!("cannot read the {what}: not UTF-8 text (a bad byte here)"),
        }
    })
}

/// Reads and resolves a scenario file.
pub fn load_file(path: &Path) -> Result<Scenario, ScenarioErrors> {
    let label = path.display().to_string();
    let text = read_text_file(path, "scenario file")?;
    from_str(&label, &text)
}

/// A scenario named on the command line: an existing file path, or a built-in name.
pub fn load(name_or_path: &str) -> Result<Scenario, ScenarioErrors> {
    let path = Path::new(name_or_path);
    let looks_like_file = name_or_path.ends_with(".toml") || name_or_path.contains('/');
    if path.exists() || looks_like_file {
        load_file(path)
    } else {
        builtin(name_or_path)
    }
}

impl Scenario {
    /// Applies `KEY=VALUE` overrides in order, checked like the file.
    pub fn apply_overrides(&mut self, overrides: &[String]) -> Result<(), ScenarioErrors> {
        self.apply_each(overrides, |p, text| {
            overrides::Override::parse(text)
                .and_then(|o| o.apply(p))
                .map(|()| text.clone())
        })
    }

    /// Applies typed overrides in order, checked like the file; `run.json` records each as
    /// its `KEY=VALUE` assignment.
    pub fn apply(&mut self, overrides: &[overrides::Override]) -> Result<(), ScenarioErrors> {
        self.apply_each(overrides, |p, o| o.apply(p).map(|()| o.assignment()))
    }

    /// Applies each item with `one`, which returns the assignment to record; collects every
    /// problem.
    fn apply_each<T>(
        &mut self,
        items: &[T],
        one: impl Fn(&mut ModelParams, &T) -> Result<String, ScenarioError>,
    ) -> Result<(), ScenarioErrors> {
        let mut errors = Vec::new();
        for item in items {
            match one(&mut self.params, item) {
                Ok(text) => self.overrides.push(text),
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ScenarioErrors(errors))
        }
    }

    /// The fully resolved scenario as TOML; reading it back gives the same parameters.
    pub fn resolved_toml(&self) -> String {
        render::to_toml(&self.params, false)
            + &render::targets_toml(&self.targets)
            + &render::observed_toml(&self.observed)
    }
}
