//! A run request from the page or the API, and its validation: every field goes through the
//! same checks as a scenario file (`scenarios::overrides::Override::apply`), and each problem is
//! reported against the field that caused it so the page can show it next to that field.

use serde::{Deserialize, Serialize};
use sim_core::ModelParams;

/// Population sizes offered on the page: name and agents.
pub const SIZES: &[(&str, u32)] = &[("small", 20_000), ("medium", 100_000)];

/// Most replications a request may ask for.
pub const MAX_REPLICATIONS: u32 = 10;

/// Warming pathways offered on the page (besides the scenario's own).
pub const PATHWAYS: &[&str] = &["ssp1-2.6", "ssp2-4.5", "ssp5-8.5"];

/// `POST /api/run` body.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    /// Scenario name (`GET /api/scenarios`).
    pub scenario: String,
    /// Warming pathway; the scenario's own when absent or empty.
    #[serde(default)]
    pub pathway: Option<String>,
    /// `small` (20,000 agents) or `medium` (100,000).
    #[serde(default = "default_size")]
    pub size: String,
    /// Replications (1 to 10); arms share seeds.
    #[serde(default = "default_replications")]
    pub replications: u32,
    /// Interventions switched on, each with an optional coverage (0-1; catalogue default).
    #[serde(default)]
    pub interventions: Vec<Choice>,
    /// Language of the results' text and charts: `en` (when absent), `fr` or `es`.
    #[serde(default)]
    pub lang: Option<String>,
}

fn default_size() -> String {
    "small".into()
}

/// Replications when a request does not say: with common random numbers and expected counts,
/// enough to detect a 10% change in homicide at the default size (a test checks it).
pub const DEFAULT_REPLICATIONS: u32 = 3;

fn default_replications() -> u32 {
    DEFAULT_REPLICATIONS
}

/// One intervention switched on.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Catalogue name.
    pub name: String,
    /// Coverage (0-1).
    #[serde(default)]
    pub coverage: Option<f64>,
}

/// A problem with one field of a request.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldError {
    /// The field: `scenario`, `pathway`, `size`, `replications`, or the key path
    /// `interventions.NAME.coverage`.
    pub field: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

/// A validated request: what to run.
#[derive(Clone, Debug)]
pub struct ValidRun {
    /// The scenario with size and pathway applied (the baseline).
    pub scenario: scenarios::Scenario,
    /// The arm's parameters, when interventions are switched on.
    pub arm: Option<ModelParams>,
    /// The interventions with their coverage, in catalogue order.
    pub interventions: Vec<(String, f64)>,
    /// Replications.
    pub replications: u32,
    /// Pathway label.
    pub pathway: String,
    /// Size label.
    pub size: String,
    /// Language of the results' text and charts.
    pub lang: viz::Lang,
    /// Identity of the request (equal keys give equal results).
    pub key: String,
}

fn problem(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

/// Bounds on the request's free-text fields, checked before anything else looks at them (a
/// 2 MB name must cost no more than a short one).
fn oversized(req: &RunRequest) -> Vec<FieldError> {
    use sim_core::params::MAX_NAME_CHARS;
    let mut errors = Vec::new();
    let mut bound = |field: &str, value: &str| {
        let n = value.chars().count();
        if n > MAX_NAME_CHARS {
            errors.push(problem(
                field,
                format!("a name of {n} characters; names are at most {MAX_NAME_CHARS}"),
            ));
        }
    };
    bound("scenario", &req.scenario);
    bound("pathway", req.pathway.as_deref().unwrap_or(""));
    bound("size", &req.size);
    bound("lang", req.lang.as_deref().unwrap_or(""));
    for c in &req.interventions {
        bound("interventions", &c.name);
    }
    let most = scenarios::catalogue::CATALOGUE.len();
    if req.interventions.len() > most {
        errors.push(problem(
            "interventions",
            format!(
                "{} interventions; the catalogue has {most}",
                req.interventions.len()
            ),
        ));
    }
    errors
}

/// Checks `req` against the scenarios on offer.
pub fn validate(
    req: &RunRequest,
    offered: &[scenarios::Scenario],
) -> Result<ValidRun, Vec<FieldError>> {
    let too_long = oversized(req);
    if !too_long.is_empty() {
        return Err(too_long);
    }
    let mut errors = Vec::new();
    let found = offered
        .iter()
        .find(|s| s.params.scenario.name == req.scenario);
    if found.is_none() {
        let names: Vec<&str> = offered
            .iter()
            .map(|s| s.params.scenario.name.as_str())
            .collect();
        errors.push(problem(
            "scenario",
            format!(
                "unknown scenario {:?}; one of {}",
                req.scenario,
                names.join(", ")
            ),
        ));
    }
    let agents = SIZES.iter().find(|(n, _)| *n == req.size).map(|x| x.1);
    if agents.is_none() {
        errors.push(problem(
            "size",
            format!(
                "{:?}: must be small (20,000 agents) or medium (100,000)",
                req.size
            ),
        ));
    }
    if !(1..=MAX_REPLICATIONS).contains(&req.replications) {
        errors.push(problem(
            "replications",
            format!(
                "{}: must be a whole number from 1 to {MAX_REPLICATIONS}",
                req.replications
            ),
        ));
    }
    let lang = match req.lang.as_deref().filter(|l| !l.is_empty()) {
        None => viz::Lang::En,
        Some(code) => viz::Lang::parse(code).unwrap_or_else(|| {
            errors.push(problem(
                "lang",
                format!("{code:?}: must be {}", viz::i18n::CODES),
            ));
            viz::Lang::En
        }),
    };
    let pathway = req.pathway.clone().filter(|p| !p.is_empty());
    let mut scenario = found.cloned();
    if let Some(s) = scenario.as_mut() {
        use scenarios::overrides::Override;
        let mut overrides = Vec::new();
        if let Some(a) = agents {
            overrides.push(("size", Override::number("scenario.agents", f64::from(a))));
        }
        if let Some(p) = &pathway {
            overrides.push(("pathway", Override::text("climate.pathway", p.as_str())));
        }
        for (field, o) in overrides {
            if let Err(e) = s.apply(std::slice::from_ref(&o)) {
                for inner in e.0 {
                    errors.push(problem(
                        field,
                        format!("{}: {}", inner.value, inner.problem),
                    ));
                }
            }
        }
    }
    let mut chosen: Vec<(String, f64)> = Vec::new();
    let mut arm = scenario.as_ref().map(|s| s.params.clone());
    for c in &req.interventions {
        let field = format!("interventions.{}.coverage", c.name);
        if chosen.iter().any(|(n, _)| *n == c.name) {
            errors.push(problem(&field, format!("{} is switched on twice", c.name)));
            continue;
        }
        let Some(entry) = scenarios::catalogue::entry(&c.name) else {
            let hint = scenarios::error::suggest(&c.name, scenarios::catalogue::names())
                .map_or(String::new(), |s| format!("; did you mean '{s}'?"));
            errors.push(problem(
                &format!("interventions.{}", c.name),
                format!("unknown intervention {:?}{hint}", c.name),
            ));
            continue;
        };
        let coverage = c.coverage.unwrap_or(entry.coverage);
        if let Some(p) = arm.as_mut() {
            let o = scenarios::overrides::Override::number(field.as_str(), coverage);
            if let Err(e) = o.apply(p) {
                errors.push(problem(&field, format!("{}: {}", e.value, e.problem)));
                continue;
            }
        }
        chosen.push((c.name.clone(), coverage));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let scenario = scenario.expect("no errors");
    chosen.sort_by_key(|(n, _)| {
        scenarios::catalogue::names()
            .position(|m| m == n)
            .unwrap_or(usize::MAX)
    });
    let pathway = pathway.unwrap_or_else(|| "scenario default".into());
    let key = format!(
        "{}|{}|{}|{}|{}|{}",
        req.scenario,
        pathway,
        req.size,
        req.replications,
        lang.code(),
        chosen
            .iter()
            .map(|(n, c)| format!("{n}:{c}"))
            .collect::<Vec<_>>()
            .join(",")
    );
    Ok(ValidRun {
        arm: (!chosen.is_empty()).then(|| arm.expect("a scenario")),
        scenario,
        interventions: chosen,
        replications: req.replications,
        pathway,
        size: req.size.clone(),
        lang,
        key,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offered() -> Vec<scenarios::Scenario> {
        vec![scenarios::builtin("coastal-middle-income").unwrap()]
    }

    fn request(json: &str) -> RunRequest {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_good_request_builds_baseline_and_arm() {
        let r = request(
            r#"{"scenario":"coastal-middle-income","pathway":"ssp5-8.5","size":"medium",
                "replications":2,"interventions":[{"name":"legal_aid","coverage":0.8}]}"#,
        );
        let v = validate(&r, &offered()).unwrap();
        assert_eq!(v.scenario.params.scenario.agents, 100_000);
        let arm = v.arm.unwrap();
        assert_eq!(arm.interventions.len(), 1);
        assert_eq!(arm.interventions[0].coverage, 0.8);
        assert!(v.scenario.params.interventions.is_empty());
        // Same request, same key; another coverage, another key.
        let again = validate(&r, &offered()).unwrap();
        assert_eq!(again.key, v.key);
        let other = request(
            r#"{"scenario":"coastal-middle-income","pathway":"ssp5-8.5","size":"medium",
                "replications":2,"interventions":[{"name":"legal_aid","coverage":0.7}]}"#,
        );
        assert_ne!(validate(&other, &offered()).unwrap().key, v.key);
    }

    #[test]
    fn every_bad_field_is_reported_against_its_field() {
        let r = request(
            r#"{"scenario":"atlantis","size":"huge","replications":0,
                "interventions":[{"name":"legal_aid","coverage":1.5},{"name":"legal_ade"}]}"#,
        );
        let errors = validate(&r, &offered()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        // Coverage is checked against the chosen scenario, so only the unknown name is reported.
        assert_eq!(
            fields,
            [
                "scenario",
                "size",
                "replications",
                "interventions.legal_ade"
            ]
        );
        let r = request(
            r#"{"scenario":"coastal-middle-income","pathway":"ssp9",
                "interventions":[{"name":"legal_aid","coverage":1.5},{"name":"legal_ade"}]}"#,
        );
        let errors = validate(&r, &offered()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "pathway",
                "interventions.legal_aid.coverage",
                "interventions.legal_ade"
            ]
        );
        assert!(errors[1].message.contains("between 0 and 1"), "{errors:?}");
        assert!(errors[2].message.contains("did you mean 'legal_aid'"));
    }
}
