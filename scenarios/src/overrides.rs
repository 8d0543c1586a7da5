//! Overrides of a resolved scenario, typed and parsed once: `--set KEY=VALUE` on the command
//! line, `Scenario.set()` in Python, a sweep's factor levels and the dashboard's choices all
//! become an [`Override`] (a key path and a value) and are applied by one function, with the
//! checks a scenario file gets. Text is parsed only where text comes in (`--set`); a sweep or
//! the dashboard builds its overrides from numbers and names directly.

use sim_core::ModelParams;
use sim_core::params::{MAX_NAME_CHARS, MAX_TEXT_CHARS, fmt_num};
use toml::de::DeValue;

use crate::error::{ScenarioError, clip, suggest};
use crate::resolve::{known_keys, region_keys, set_intervention_field, show, value};
use crate::schema::{Value, set_structured};

/// One override: a key path (`justice.court_capacity_multiplier`, `regions[0].urban_share`,
/// `interventions.legal_aid.coverage`, `climate.pathway`) and its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    /// Key path.
    pub key: String,
    /// The value.
    pub value: Value,
    /// The value as the user wrote it, for messages (`"ssp5-8.5"`, `0.8`).
    pub shown: String,
}

impl Override {
    /// Parses `KEY=VALUE` (the value in TOML syntax; a bare word is a string), bounding the
    /// key and the value before anything else reads them.
    pub fn parse(assignment: &str) -> Result<Override, ScenarioError> {
        let Some((key, raw)) = assignment.split_once('=') else {
            return Err(problem(
                assignment,
                "",
                "must be written KEY=VALUE, e.g. demography.total_fertility_rate=1.8".into(),
            ));
        };
        let (key, raw) = (key.trim(), raw.trim());
        let n = key.chars().count();
        if n > MAX_NAME_CHARS {
            return Err(problem(
                &clip(key),
                "",
                format!("the key is {n} characters long; keys are at most {MAX_NAME_CHARS}"),
            ));
        }
        let n = raw.chars().count();
        if n > MAX_TEXT_CHARS {
            return Err(problem(
                key,
                &format!("a value of {n} characters"),
                format!("must be at most {MAX_TEXT_CHARS} characters"),
            ));
        }
        // A bare word (`scenario.name=test`) is taken as a string.
        let quoted = crate::render::quote(raw);
        let parsed = DeValue::parse(raw)
            .or_else(|_| DeValue::parse(&quoted))
            .map_err(|e| {
                problem(
                    key,
                    raw,
                    format!("not a TOML value: {}", e.message().trim()),
                )
            })?;
        let v = parsed.get_ref();
        Ok(Override {
            key: key.to_string(),
            value: value(v),
            shown: show(v),
        })
    }

    /// `key` set to the number `x`.
    pub fn number(key: impl Into<String>, x: f64) -> Override {
        Override {
            key: key.into(),
            value: Value::Number(x),
            shown: fmt_num(x),
        }
    }

    /// `key` set to the text `s`.
    pub fn text(key: impl Into<String>, s: impl Into<String>) -> Override {
        let s = s.into();
        Override {
            key: key.into(),
            shown: format!("{s:?}"),
            value: Value::Text(s),
        }
    }

    /// The override as `KEY=VALUE` in TOML syntax (what `run.json` records; parsing it gives
    /// this override back).
    pub fn assignment(&self) -> String {
        let value = match &self.value {
            Value::Number(x) => fmt_num(*x),
            Value::Text(s) => crate::render::quote(s),
            Value::Numbers(xs) => format!(
                "[{}]",
                xs.iter()
                    .map(|x| fmt_num(*x))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Value::Other(_) => self.shown.clone(),
        };
        format!("{}={value}", self.key)
    }

    /// Applies the override to resolved parameters, with the checks a scenario file gets.
    /// Region parameters take `regions[i].KEY` or `regions.KEY` (all).
    pub fn apply(&self, p: &mut ModelParams) -> Result<(), ScenarioError> {
        let key = self.key.as_str();
        let shown = self.shown.as_str();
        let x = match self.value {
            Value::Number(x) => Some(x),
            _ => None,
        };
        let is_region = key.starts_with("regions[") || key.starts_with("regions.");
        if let Some(k) = sim_core::params::lookup(key) {
            let spec = k.spec;
            let x = x.ok_or_else(|| {
                problem(key, shown, format!("must be a number {}", spec.allowed()))
            })?;
            return p
                .set(key, x)
                .map_err(|i| problem(key, shown, format!("must be {}", i.allowed)));
        }
        if !is_region {
            match set_structured(p, key, &self.value) {
                Some(Ok(())) => {
                    let issues = p.check();
                    return match issues.into_iter().next() {
                        Some(i) => Err(problem(
                            &i.key_path,
                            &i.value,
                            format!("must be {}", i.allowed),
                        )),
                        None => Ok(()),
                    };
                }
                Some(Err(why)) => return Err(problem(key, shown, why)),
                None => {}
            }
        }
        if let Some(rest) = key.strip_prefix("interventions.") {
            return set_intervention_field(p, rest, x).map_err(|why| problem(key, shown, why));
        }
        let mut known = known_keys();
        known.extend(region_keys().map(|k| format!("regions.{k}")));
        let why = match suggest(key, known.iter().map(String::as_str)) {
            Some(s) => format!("unknown key; did you mean '{s}'?"),
            None => "unknown key (see `cjsim scenarios init` for every key)".into(),
        };
        let written = match &self.value {
            Value::Text(s) => s.clone(),
            _ => shown.to_string(),
        };
        Err(problem(key, &written, why))
    }
}

/// A problem with an override (the "file" is `--set`).
fn problem(key: &str, value: &str, problem: String) -> ScenarioError {
    ScenarioError {
        file: "--set".into(),
        position: None,
        key_path: key.to_string(),
        value: value.to_string(),
        problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A parsed override, its assignment text and the same override built from a number or a
    /// name are one thing: parsing the assignment gives it back.
    #[test]
    fn overrides_round_trip_through_their_assignment() {
        for text in [
            "justice.court_capacity_multiplier=0.8",
            "climate.pathway=\"ssp5-8.5\"",
            "regions[0].urban_share=0.9",
            "interventions.legal_aid.coverage=0.65",
        ] {
            let o = Override::parse(text).unwrap();
            assert_eq!(Override::parse(&o.assignment()).unwrap(), o, "{text}");
        }
        assert_eq!(
            Override::parse("justice.court_capacity_multiplier=0.8")
                .unwrap()
                .value,
            Override::number("justice.court_capacity_multiplier", 0.8).value
        );
        assert_eq!(
            Override::parse("climate.pathway=ssp5-8.5").unwrap().value,
            Override::text("climate.pathway", "ssp5-8.5").value
        );
    }

    /// A typed override gets the checks of a parsed one: the same parameters when valid, the
    /// same refusal when not.
    #[test]
    fn typed_and_parsed_overrides_apply_alike() {
        let base = ModelParams::baseline();
        let (mut a, mut b) = (base.clone(), base.clone());
        Override::parse("justice.court_capacity_multiplier=0.8")
            .unwrap()
            .apply(&mut a)
            .unwrap();
        Override::number("justice.court_capacity_multiplier", 0.8)
            .apply(&mut b)
            .unwrap();
        assert_eq!(a, b);
        let bad = Override::number("justice.court_capacity_multiplier", -1.0)
            .apply(&mut b)
            .unwrap_err();
        assert_eq!(bad.key_path, "justice.court_capacity_multiplier");
        assert!(bad.problem.starts_with("must be"), "{}", bad.problem);
        let text = Override::text("justice.court_capacity_multiplier", "many")
            .apply(&mut b)
            .unwrap_err();
        assert!(
            text.problem.starts_with("must be a number"),
            "{}",
            text.problem
        );
    }
}
