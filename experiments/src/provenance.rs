//! `run.json`: what produced a result folder, complete enough to rerun it.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sim_core::ModelParams;

use scenarios::Scenario;

/// The provenance record written as `run.json`.
#[derive(Serialize)]
pub struct Provenance {
    /// cjsim version.
    pub cjsim_version: &'static str,
    /// Git commit the binary was built from, when known.
    pub git_commit: Option<&'static str>,
    /// SHA-256 of the cjsim binary that ran (the model code, exactly).
    pub binary_sha256: String,
    /// The command that was run (`run`, `compare`, ...).
    pub command: String,
    /// Scenario identity.
    pub scenario: ScenarioInfo,
    /// Seed of the (first) run.
    pub seed: u64,
    /// Agents at the start.
    pub agents: u32,
    /// Real persons per agent.
    pub scale: f64,
    /// First year and number of years.
    pub start_year: i32,
    /// Number of simulated years.
    pub years: u32,
    /// Worker threads used (results do not depend on it).
    pub threads: usize,
    /// ISO 4217 code of every cost in the outputs.
    pub currency: String,
    /// The year whose prices the costs are in.
    pub price_year: i32,
    /// Every scalar parameter by key path (regions as `regions[i].key`).
    pub parameters: serde_json::Map<String, serde_json::Value>,
    /// `source = "..."` texts by section.
    pub sources: serde_json::Map<String, serde_json::Value>,
    /// The fully resolved scenario file; `cjsim run` on it reproduces the run.
    pub resolved_scenario: String,
    /// Files in the folder.
    pub files: Vec<String>,
    /// Year-one values the alignment could not reach exactly.
    pub alignment_warnings: Vec<String>,
    /// Replications per arm (seeds `seed`, `seed + 1`, ...).
    pub replications: u32,
    /// Which counts the crime indicators come from: `expected` or `realised`.
    pub estimator: &'static str,
    /// With `--reps auto`: the precision asked for and reached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<crate::precision::PrecisionRecord>,
    /// Comparison arms: name and interventions (empty for a plain run).
    pub arms: Vec<ArmInfo>,
}

/// One arm of a comparison in `run.json`.
#[derive(Clone, Debug, Serialize)]
pub struct ArmInfo {
    /// Arm name.
    pub name: String,
    /// Interventions with their coverage, start and end years.
    pub interventions: Vec<String>,
}

/// Scenario identity in `run.json`.
#[derive(Serialize)]
pub struct ScenarioInfo {
    /// Scenario name.
    pub name: String,
    /// File path or `builtin:<name>`.
    pub origin: String,
    /// SHA-256 of the scenario text as read.
    pub sha256: String,
    /// `--set` overrides, in order.
    pub overrides: Vec<String>,
}

/// Every scalar parameter as a flat JSON map.
pub fn parameter_map(p: &ModelParams) -> serde_json::Map<String, serde_json::Value> {
    p.scalar_values()
        .into_iter()
        .map(|(k, v)| (k, v.into()))
        .collect()
}

impl Provenance {
    /// The record for `scenario` run with `threads` threads.
    pub fn new(command: &str, scenario: &Scenario, threads: usize, files: Vec<String>) -> Self {
        let p = &scenario.params;
        Provenance {
            cjsim_version: env!("CARGO_PKG_VERSION"),
            git_commit: option_env!("CJSIM_GIT_COMMIT"),
            binary_sha256: ModelIdentity::current().binary_sha256,
            command: command.to_string(),
            scenario: ScenarioInfo {
                name: p.scenario.name.clone(),
                origin: scenario.origin.clone(),
                sha256: scenario.hash.clone(),
                overrides: scenario.overrides.clone(),
            },
            seed: p.scenario.seed,
            agents: p.scenario.agents,
            scale: p.scenario.scale(),
            start_year: p.scenario.start_year,
            years: p.scenario.years,
            threads,
            currency: p.scenario.currency.clone(),
            price_year: p.scenario.price_year,
            parameters: parameter_map(p),
            sources: p
                .sources
                .iter()
                .map(|(k, v)| (k.clone(), v.clone().into()))
                .collect(),
            resolved_scenario: scenario.resolved_toml(),
            files,
            alignment_warnings: Vec::new(),
            replications: 1,
            estimator: "expected",
            precision: None,
            arms: Vec::new(),
        }
    }

    /// Pretty JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("provenance is plain data") + "\n"
    }
}

/// Which model code produced a result: the git commit the binary was built from and a hash of
/// the binary itself (a rebuild after any change to the model gives another hash, even without
/// a commit).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelIdentity {
    /// Git commit (`git rev-parse --short=12 HEAD` at build time), when known.
    #[serde(default)]
    pub git_commit: Option<String>,
    /// SHA-256 of the running executable, hex; empty when it cannot be read.
    #[serde(default)]
    pub binary_sha256: String,
}

/// The file that holds the model code when it is not the executable: the Python extension
/// module sets it before any identity is taken (the executable there is the interpreter, the
/// same for every cjsim version).
static MODEL_FILE: OnceLock<std::path::PathBuf> = OnceLock::new();

impl ModelIdentity {
    /// Names the file holding the model code (the Python extension module); call it before
    /// the first [`ModelIdentity::current`]. Returns false if an identity was already named.
    pub fn set_model_file(path: std::path::PathBuf) -> bool {
        MODEL_FILE.set(path).is_ok()
    }

    /// The identity of the model code this process runs: its executable, or the file named by
    /// [`ModelIdentity::set_model_file`] (hashed once).
    pub fn current() -> ModelIdentity {
        static ID: OnceLock<ModelIdentity> = OnceLock::new();
        ID.get_or_init(|| ModelIdentity {
            git_commit: option_env!("CJSIM_GIT_COMMIT").map(String::from),
            binary_sha256: MODEL_FILE
                .get()
                .map_or_else(std::env::current_exe, |p| Ok(p.clone()))
                .and_then(std::fs::read)
                .map(|bytes| {
                    Sha256::digest(&bytes)
                        .iter()
                        .map(|b| format!("{b:02x}"))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .clone()
    }

    /// Short description for messages.
    pub fn describe(&self) -> String {
        format!(
            "commit {}, binary {}",
            self.git_commit.as_deref().unwrap_or("unknown"),
            if self.binary_sha256.is_empty() {
                "unknown"
            } else {
                &self.binary_sha256[..12]
            }
        )
    }
}
