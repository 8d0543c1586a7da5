//! `run.json`: what produced a result folder, complete enough to rerun it.

use serde::Serialize;
use sim_core::ModelParams;

use scenarios::Scenario;

/// The provenance record written as `run.json`.
#[derive(Serialize)]
pub struct Provenance {
    /// cjsim version.
    pub cjsim_version: &'static str,
    /// Git commit the binary was built from, when known.
    pub git_commit: Option<&'static str>,
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
            arms: Vec::new(),
        }
    }

    /// Pretty JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("provenance is plain data") + "\n"
    }
}
