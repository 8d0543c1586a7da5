//! Scenario text -> validated [`ModelParams`]: walks the spanned TOML tree key by key, sets
//! table parameters and structured keys, and reports every problem with its position.
//!
//! Resolution starts from [`ModelParams::baseline`], so a file only names what differs; a file
//! that lists `[[regions]]` replaces the baseline's regions.

use std::collections::HashMap;
use std::ops::Range;

use sim_core::ModelParams;
use sim_core::offence::OffenceType;
use sim_core::params::{Field, MAX_NAME_CHARS, MAX_TEXT_CHARS, PARAMETERS, RegionParams, fmt_num};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::catalogue::{self, CATALOGUE, Entry};
use crate::error::{ScenarioError, ScenarioErrors, suggest, unknown_among};
use crate::observed::{MAX_OBSERVED, Observed, ROLES};
use crate::reader::Reader;
use crate::schema::{SCENARIO_KEYS, SECTIONS, STRUCTURED_KEYS, Value, set_structured};
use crate::targets::{self, Direction, Goal, Target};

/// Resolved parameters plus where each key was written, for placing later errors.
pub struct Resolved {
    /// The parameters.
    pub params: ModelParams,
    /// The scenario's targets.
    pub targets: Vec<Target>,
    /// Published figures the scenario is compared with.
    pub observed: Vec<Observed>,
    /// Byte span of each key path written in the file.
    pub spans: HashMap<String, Range<usize>>,
}

/// Position of a byte offset as 1-based (line, column).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Walks the document; collects errors instead of stopping at the first.
struct Walker<'t> {
    /// Spans and problems, as every input file records them.
    r: Reader<'t>,
    /// Interventions as written (defaults are filled once the horizon is known).
    interventions: Vec<PendingIntervention>,
    targets: Vec<Target>,
    observed: Vec<Observed>,
}

/// An intervention entry before the scenario's horizon is known.
struct PendingIntervention {
    entry: &'static Entry,
    coverage: Option<f64>,
    start_year: Option<f64>,
    end_year: Option<f64>,
    ramp_months: Option<f64>,
    effect: Option<f64>,
    unit_cost: Option<f64>,
    span: Range<usize>,
    index: usize,
}

impl<'t> Walker<'t> {
    fn error(&mut self, span: Option<Range<usize>>, key: &str, value: String, problem: String) {
        self.r.error(span, key, value, problem);
    }

    fn unknown(&mut self, span: Range<usize>, key: &str, candidates: Vec<String>) {
        let problem = match suggest(key, candidates.iter().map(String::as_str)) {
            Some(s) => format!("unknown key; did you mean '{s}'?"),
            None => {
                let parent = key.rsplit_once('.').map_or("", |(p, _)| p);
                let here: Vec<&str> = candidates
                    .iter()
                    .filter_map(|c| c.strip_prefix(parent).and_then(|c| c.strip_prefix('.')))
                    .filter(|c| !c.contains('.'))
                    .collect();
                if here.is_empty() || here.len() > 12 {
                    "unknown key".to_string()
                } else {
                    format!("unknown key; allowed here: {}", here.join(", "))
                }
            }
        };
        self.error(Some(span), key, String::new(), problem);
    }

    fn walk_document(&mut self, doc: &DeTable<'_>, p: &mut ModelParams) {
        for (k, v) in sorted(doc) {
            let key = k.get_ref().as_ref();
            self.r.spans.insert(key.to_string(), k.span());
            match key {
                "regions" => self.walk_regions(v, p),
                "interventions" => self.walk_interventions(v, p),
                "targets" => self.walk_targets(v),
                "observed" => self.walk_observed(v),
                "policy_changes" => self.walk_policy_changes(v, p),
                _ if SECTIONS.contains(&key) => match v.get_ref() {
                    DeValue::Table(t) => self.walk_table(key, t, p),
                    other => self.error(
                        Some(v.span()),
                        key,
                        show(other),
                        format!("must be a table ([{key}])"),
                    ),
                },
                _ => {
                    let known = SECTIONS.iter().map(|s| s.to_string()).collect();
                    self.unknown(k.span(), key, known);
                }
            }
        }
    }

    fn walk_table(&mut self, prefix: &str, table: &DeTable<'_>, p: &mut ModelParams) {
        for (k, v) in sorted(table) {
            let path = format!("{prefix}.{}", k.get_ref().as_ref());
            self.r.spans.insert(path.clone(), k.span());
            if let DeValue::Table(t) = v.get_ref() {
                self.walk_table(&path, t, p);
                continue;
            }
            self.set_leaf(&path, v, k.span(), p);
        }
    }

    /// The entries of an array of tables, or an error naming what is expected.
    fn array_of_tables<'a, 'i>(
        &mut self,
        key: &str,
        v: &'a Spanned<DeValue<'i>>,
    ) -> Vec<(usize, &'a Spanned<DeValue<'i>>, &'a DeTable<'i>)> {
        let DeValue::Array(items) = v.get_ref() else {
            self.error(
                Some(v.span()),
                key,
                show(v.get_ref()),
                format!("must be an array of tables ([[{key}]] entries)"),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.get_ref() {
                DeValue::Table(t) => out.push((i, item, t)),
                other => self.error(
                    Some(item.span()),
                    &format!("{key}[{i}]"),
                    show(other),
                    "must be a table".into(),
                ),
            }
        }
        out
    }

    /// A number in `[lo, hi]` at `path`, or an error.
    fn number_in(
        &mut self,
        path: &str,
        v: &Spanned<DeValue<'_>>,
        lo: f64,
        hi: f64,
        unit: &str,
    ) -> Option<f64> {
        match number(v.get_ref()) {
            Some(x) if x.is_finite() && (lo..=hi).contains(&x) => Some(x),
            _ => {
                self.error(
                    Some(v.span()),
                    path,
                    show(v.get_ref()),
                    format!(
                        "must be a number between {} and {} ({unit})",
                        num(lo),
                        num(hi)
                    ),
                );
                None
            }
        }
    }

    fn walk_interventions(&mut self, v: &Spanned<DeValue<'_>>, _p: &mut ModelParams) {
        for (i, item, t) in self.array_of_tables("interventions", v) {
            let mut name = None;
            let mut pending = PendingIntervention {
                entry: &CATALOGUE[0],
                coverage: None,
                start_year: None,
                end_year: None,
                ramp_months: None,
                effect: None,
                unit_cost: None,
                span: item.span(),
                index: i,
            };
            let mut values = Vec::new();
            for (k, v) in sorted(t) {
                let key = k.get_ref().as_ref().to_string();
                let path = format!("interventions[{i}].{key}");
                self.r.spans.insert(path.clone(), k.span());
                match key.as_str() {
                    "name" => match v.get_ref() {
                        DeValue::String(s) => match catalogue::entry(s) {
                            Some(e) => name = Some(e),
                            None => {
                                let problem = match suggest(s, catalogue::names()) {
                                    Some(n) => {
                                        format!("unknown intervention '{s}'; did you mean '{n}'?")
                                    }
                                    None => format!(
                                        "unknown intervention '{s}'; the catalogue has: {}",
                                        catalogue::names().collect::<Vec<_>>().join(", ")
                                    ),
                                };
                                self.error(Some(v.span()), &path, format!("{s:?}"), problem);
                            }
                        },
                        other => self.error(
                            Some(v.span()),
                            &path,
                            show(other),
                            "must be a string".into(),
                        ),
                    },
                    "source" => {}
                    k if INTERVENTION_FIELDS.contains(&k) => values.push((key, path, v)),
                    _ => {
                        let known = [
                            "name",
                            "coverage",
                            "start_year",
                            "end_year",
                            "ramp_months",
                            "effect",
                            "unit_cost",
                            "source",
                        ];
                        let problem = unknown_among("intervention key", &key, known);
                        self.error(Some(k.span()), &path, String::new(), problem);
                    }
                }
            }
            let Some(entry) = name else {
                if !t.iter().any(|(k, _)| k.get_ref().as_ref() == "name") {
                    self.error(
                        Some(item.span()),
                        &format!("interventions[{i}].name"),
                        String::new(),
                        "is missing: name an intervention of the catalogue (`cjsim interventions`)"
                            .into(),
                    );
                }
                continue;
            };
            pending.entry = entry;
            for (key, path, v) in values {
                let (lo, hi, unit) = intervention_field_range(entry, &key).expect("filtered above");
                let x = self.number_in(&path, v, lo, hi, &unit);
                match key.as_str() {
                    "coverage" => pending.coverage = x,
                    "start_year" => pending.start_year = x,
                    "end_year" => pending.end_year = x,
                    "ramp_months" => pending.ramp_months = x,
                    "effect" => pending.effect = x,
                    _ => pending.unit_cost = x,
                }
            }
            self.interventions.push(pending);
        }
    }

    /// `[[policy_changes]]`: year, offence (a type or "all"), custody, sentence_length and
    /// offending multipliers (1 when omitted), the age band of the offending trend, source. Years are checked against the start year with the
    /// other cross-field rules.
    fn walk_policy_changes(&mut self, v: &Spanned<DeValue<'_>>, p: &mut ModelParams) {
        use sim_core::policy_changes::{MULTIPLIER_RANGE, PolicyChange};
        const KEYS: [&str; 13] = [
            "year",
            "offence",
            "custody",
            "sentence_length",
            "indeterminate_share",
            "offending",
            "from_age",
            "to_age",
            "historic_arrests_per_100k",
            "historic_lag_years",
            "historic_custody",
            "historic_sentence_months",
            "source",
        ];
        for (i, item, t) in self.array_of_tables("policy_changes", v) {
            let mut change = PolicyChange::neutral(f64::NAN, None);
            let (mut from_age, mut to_age) = (None, None);
            for (k, v) in sorted(t) {
                let key = k.get_ref().as_ref().to_string();
                let path = format!("policy_changes[{i}].{key}");
                self.r.spans.insert(path.clone(), k.span());
                let (lo, hi) = MULTIPLIER_RANGE;
                match key.as_str() {
                    "year" => {
                        if let Some(x) = self.number_in(&path, v, 1900.0, 2200.0, "calendar year") {
                            change.year = x;
                        }
                    }
                    "custody" => {
                        if let Some(x) = self.number_in(&path, v, lo, hi, "multiplier") {
                            change.custody = x;
                        }
                    }
                    "sentence_length" => {
                        if let Some(x) = self.number_in(&path, v, lo, hi, "multiplier") {
                            change.sentence_length = x;
                        }
                    }
                    "indeterminate_share" => {
                        change.indeterminate_share = self.number_in(&path, v, 0.0, 1.0, "fraction");
                    }
                    "offending" => {
                        if let Some(x) = self.number_in(&path, v, lo, hi, "multiplier") {
                            change.offending = x;
                        }
                    }
                    "historic_arrests_per_100k" => {
                        change.historic_arrests_per_100k =
                            self.number_in(&path, v, 0.0, 1000.0, "arrests a year per 100,000");
                    }
                    "historic_custody" => {
                        change.historic_custody = self.number_in(&path, v, 0.0, 1.0, "probability");
                    }
                    "historic_sentence_months" => {
                        change.historic_sentence_months =
                            self.number_in(&path, v, 1.0, 1200.0, "months");
                    }
                    "historic_lag_years" => {
                        if let Some(x) = self.number_in(&path, v, 1.0, 60.0, "years") {
                            change.historic_lag_years = x;
                        }
                    }
                    "from_age" | "to_age" => {
                        let oldest = f64::from(sim_core::metrics::AGE_BINS as u32 - 1);
                        let age = self.number_in(&path, v, 0.0, oldest, "age in whole years");
                        if let Some(a) = age {
                            if a.fract() != 0.0 {
                                self.error(
                                    Some(v.span()),
                                    &path,
                                    fmt_num(a),
                                    "must be a whole number of years".into(),
                                );
                            } else if key == "from_age" {
                                from_age = Some(a as u32);
                            } else {
                                to_age = Some(a as u32);
                            }
                        }
                    }
                    "offence" | "source" => match v.get_ref() {
                        DeValue::String(s) if key == "source" => change.source = s.to_string(),
                        DeValue::String(s) if s == "all" => change.offence = None,
                        DeValue::String(s) => {
                            match OffenceType::NAMES.iter().position(|n| n == s) {
                                Some(t) => change.offence = Some(OffenceType::from_index(t)),
                                None => {
                                    let names = OffenceType::NAMES.iter().copied().chain(["all"]);
                                    let problem = unknown_among("offence type", s, names);
                                    self.error(Some(v.span()), &path, format!("{s:?}"), problem);
                                }
                            }
                        }
                        other => self.error(
                            Some(v.span()),
                            &path,
                            show(other),
                            "must be a string".into(),
                        ),
                    },
                    _ => {
                        let problem = unknown_among("policy change key", &key, KEYS);
                        self.error(Some(k.span()), &path, String::new(), problem);
                    }
                }
            }
            if !t.iter().any(|(k, _)| k.get_ref().as_ref() == "year") {
                self.error(
                    Some(item.span()),
                    &format!("policy_changes[{i}].year"),
                    String::new(),
                    "is missing: the calendar year from which the change applies".into(),
                );
                continue;
            }
            if from_age.is_some() || to_age.is_some() {
                change.ages = Some((
                    from_age.unwrap_or(0),
                    to_age.unwrap_or(sim_core::metrics::AGE_BINS as u32 - 1),
                ));
            }
            if change.year.is_finite() {
                p.policy_changes.push(change);
            }
        }
    }

    /// Fills interventions' defaults from the scenario horizon and checks their years.
    fn finish_interventions(&mut self, p: &mut ModelParams) {
        for pi in std::mem::take(&mut self.interventions) {
            let mut iv = pi.entry.for_scenario(p);
            if let Some(x) = pi.coverage {
                iv.coverage = x;
            }
            if let Some(x) = pi.start_year {
                iv.start_year = x;
            }
            if let Some(x) = pi.end_year {
                iv.end_year = x;
            }
            if let Some(x) = pi.ramp_months {
                iv.ramp_months = x;
            }
            if let Some(x) = pi.effect {
                iv.effect = x;
            }
            if let Some(x) = pi.unit_cost {
                iv.unit_cost = x;
            }
            if iv.end_year < iv.start_year {
                let path = format!("interventions[{}].end_year", pi.index);
                let span = self.r.spans.get(&path).cloned().or(Some(pi.span.clone()));
                self.error(
                    span,
                    &path,
                    num(iv.end_year),
                    format!("must not be before start_year ({})", num(iv.start_year)),
                );
            }
            p.interventions.push(iv);
        }
    }

    fn walk_targets(&mut self, v: &Spanned<DeValue<'_>>) {
        for (i, item, t) in self.array_of_tables("targets", v) {
            let mut indicator = None;
            let mut year = None;
            let mut level = None;
            let mut change = None;
            let mut reference_value = None;
            let mut reference_year = None;
            let mut direction = None;
            let mut description = String::new();
            let mut source = String::new();
            for (k, v) in sorted(t) {
                let key = k.get_ref().as_ref().to_string();
                let path = format!("targets[{i}].{key}");
                self.r.spans.insert(path.clone(), k.span());
                match (key.as_str(), v.get_ref()) {
                    ("indicator", DeValue::String(s)) => {
                        indicator = self.indicator(&path, v, s, "targets name");
                    }
                    ("year", _) => year = self.number_in(&path, v, 1900.0, 2200.0, "calendar year"),
                    ("level", _) => {
                        level = self.number_in(&path, v, -1e12, 1e12, "indicator units")
                    }
                    ("change_pct", _) => change = self.number_in(&path, v, -100.0, 1e6, "%"),
                    ("reference_value", _) => {
                        reference_value = self.number_in(&path, v, -1e12, 1e12, "indicator units")
                    }
                    ("reference_year", _) => {
                        reference_year = self.number_in(&path, v, 1900.0, 2200.0, "calendar year")
                    }
                    ("direction", DeValue::String(s)) => match s.as_ref() {
                        "down" => direction = Some(Direction::AtMost),
                        "up" => direction = Some(Direction::AtLeast),
                        _ => self.error(
                            Some(v.span()),
                            &path,
                            format!("{s:?}"),
                            "must be \"down\" (at most) or \"up\" (at least)".into(),
                        ),
                    },
                    ("description", DeValue::String(s)) => description = s.to_string(),
                    ("source", DeValue::String(s)) => source = s.to_string(),
                    ("indicator" | "direction" | "description" | "source", other) => self.error(
                        Some(v.span()),
                        &path,
                        show(other),
                        "must be a string".into(),
                    ),
                    _ => {
                        let known = [
                            "indicator",
                            "year",
                            "level",
                            "change_pct",
                            "reference_value",
                            "reference_year",
                            "direction",
                            "description",
                            "source",
                        ];
                        let problem = unknown_among("target key", &key, known);
                        self.error(Some(k.span()), &path, String::new(), problem);
                    }
                }
            }
            let here = Some(item.span());
            let path = format!("targets[{i}]");
            let goal = match (level, change, reference_value) {
                (Some(l), None, _) => Some(Goal::Level(l)),
                (None, Some(c), Some(r)) => Some(Goal::Change {
                    change_pct: c,
                    reference_value: r,
                    reference_year: reference_year.map_or(0, |y| y as i32),
                }),
                (None, Some(_), None) => {
                    self.error(here.clone(), &format!("{path}.reference_value"), String::new(), "is missing: a change_pct target needs the reference_value (and reference_year) it changes from".into());
                    None
                }
                (Some(_), Some(_), _) => {
                    self.error(
                        here.clone(),
                        &path,
                        String::new(),
                        "must give either level or change_pct, not both".into(),
                    );
                    None
                }
                (None, None, _) => {
                    self.error(
                        here.clone(),
                        &path,
                        String::new(),
                        "must give a level or a change_pct".into(),
                    );
                    None
                }
            };
            if indicator.is_none() && !t.iter().any(|(k, _)| k.get_ref().as_ref() == "indicator") {
                self.error(
                    here.clone(),
                    &format!("{path}.indicator"),
                    String::new(),
                    "is missing: name a column of indicators_yearly.csv".into(),
                );
            }
            if year.is_none() && !t.iter().any(|(k, _)| k.get_ref().as_ref() == "year") {
                self.error(
                    here.clone(),
                    &format!("{path}.year"),
                    String::new(),
                    "is missing: the year the target is for".into(),
                );
            }
            if let (Some(indicator), Some(year), Some(goal)) = (indicator, year, goal) {
                let direction = direction.unwrap_or(match goal {
                    Goal::Change { change_pct, .. } if change_pct > 0.0 => Direction::AtLeast,
                    _ => Direction::AtMost,
                });
                self.targets.push(Target {
                    indicator,
                    year: year as i32,
                    goal,
                    direction,
                    description,
                    source,
                });
            }
        }
    }

    /// An indicator named in `[[targets]]` or `[[observed]]`: a column of
    /// `indicators_yearly.csv`, or an error with the nearest name (`hint` begins the fallback
    /// message).
    fn indicator(
        &mut self,
        path: &str,
        v: &Spanned<DeValue<'_>>,
        name: &str,
        hint: &str,
    ) -> Option<String> {
        if targets::target_indicators().any(|n| n == name) {
            return Some(name.to_string());
        }
        let problem = match suggest(name, targets::target_indicators()) {
            Some(n) => format!("unknown indicator '{name}'; did you mean '{n}'?"),
            None => format!("unknown indicator; {hint} a column of indicators_yearly.csv"),
        };
        self.error(Some(v.span()), path, format!("{name:?}"), problem);
        None
    }

    /// `[[observed]]`: indicator, year, value, role and source, all required.
    fn walk_observed(&mut self, v: &Spanned<DeValue<'_>>) {
        const KEYS: [&str; 5] = ["indicator", "year", "value", "role", "source"];
        for (i, item, t) in self.array_of_tables("observed", v) {
            if i >= MAX_OBSERVED {
                self.error(
                    Some(item.span()),
                    "observed",
                    format!("{} entries", i + 1),
                    format!("must list at most {MAX_OBSERVED} published figures"),
                );
                return;
            }
            let (mut indicator, mut year, mut value, mut role, mut source) =
                (None, None, None, None, None);
            for (k, v) in sorted(t) {
                let key = k.get_ref().as_ref().to_string();
                let path = format!("observed[{i}].{key}");
                self.r.spans.insert(path.clone(), k.span());
                match (key.as_str(), v.get_ref()) {
                    ("indicator", DeValue::String(s)) => {
                        indicator = self.indicator(&path, v, s, "name");
                    }
                    ("year", _) => {
                        if let Some(y) = self.number_in(&path, v, 1900.0, 2200.0, "calendar year") {
                            if y.fract() == 0.0 {
                                year = Some(y as i32);
                            } else {
                                let problem = "must be a whole calendar year".to_string();
                                self.error(Some(v.span()), &path, fmt_num(y), problem);
                            }
                        }
                    }
                    ("value", _) => {
                        value = self.number_in(&path, v, -1e12, 1e12, "indicator units")
                    }
                    ("role", DeValue::String(s)) => match ROLES.iter().position(|r| r == s) {
                        Some(k) => role = Some(k == 0),
                        None => {
                            let problem = unknown_among("role", s, ROLES);
                            self.error(Some(v.span()), &path, format!("{s:?}"), problem);
                        }
                    },
                    ("source", DeValue::String(s)) => source = Some(s.to_string()),
                    ("indicator" | "role" | "source", other) => self.error(
                        Some(v.span()),
                        &path,
                        show(other),
                        "must be a string".into(),
                    ),
                    _ => {
                        let problem = unknown_among("observed key", &key, KEYS);
                        self.error(Some(k.span()), &path, String::new(), problem);
                    }
                }
            }
            let present = |name: &str| t.iter().any(|(k, _)| k.get_ref().as_ref() == name);
            for (name, what) in [
                ("indicator", "a column of indicators_yearly.csv"),
                ("year", "the calendar year of the published value"),
                ("value", "the published value in the indicator's units"),
                (
                    "role",
                    "\"in-sample\" if it set a parameter, \"out-of-sample\" if it is held out",
                ),
                ("source", "where the published value comes from"),
            ] {
                if !present(name) {
                    self.error(
                        Some(item.span()),
                        &format!("observed[{i}].{name}"),
                        String::new(),
                        format!("is missing: {what}"),
                    );
                }
            }
            if let (Some(indicator), Some(year), Some(value), Some(in_sample), Some(source)) =
                (indicator, year, value, role, source)
            {
                self.observed.push(Observed {
                    indicator,
                    year,
                    value,
                    in_sample,
                    source,
                });
            }
        }
    }

    fn walk_regions(&mut self, v: &Spanned<DeValue<'_>>, p: &mut ModelParams) {
        let DeValue::Array(items) = v.get_ref() else {
            self.error(
                Some(v.span()),
                "regions",
                show(v.get_ref()),
                "must be an array of tables ([[regions]] entries)".into(),
            );
            return;
        };
        p.regions.clear();
        for (i, item) in items.iter().enumerate() {
            let DeValue::Table(t) = item.get_ref() else {
                self.error(
                    Some(item.span()),
                    &format!("regions[{i}]"),
                    show(item.get_ref()),
                    "must be a table with a name and region parameters".into(),
                );
                continue;
            };
            let mut region = RegionParams::baseline("");
            for (k, v) in sorted(t) {
                let name = k.get_ref().as_ref();
                let path = format!("regions[{i}].{name}");
                self.r.spans.insert(path.clone(), k.span());
                match (name, v.get_ref()) {
                    ("name", DeValue::String(s)) => region.name = s.to_string(),
                    ("name", other) => self.error(
                        Some(v.span()),
                        &path,
                        show(other),
                        "must be a string".into(),
                    ),
                    ("source", DeValue::String(s)) => p.sources.push((path, s.to_string())),
                    _ => self.set_region_param(&path, name, v, k.span(), &mut region),
                }
            }
            if region.name.is_empty() {
                self.error(
                    Some(item.span()),
                    &format!("regions[{i}].name"),
                    String::new(),
                    "is missing: every region needs a name".into(),
                );
            }
            p.regions.push(region);
        }
    }

    fn set_region_param(
        &mut self,
        path: &str,
        name: &str,
        v: &Spanned<DeValue<'_>>,
        key_span: Range<usize>,
        region: &mut RegionParams,
    ) {
        let key = format!("regions.{name}");
        let Some(spec) = PARAMETERS.iter().find(|s| s.key == key) else {
            let mut known: Vec<String> = region_keys().map(|k| k.to_string()).collect();
            known.extend(["name".to_string(), "source".to_string()]);
            let problem = unknown_among("region key", name, known.iter().map(String::as_str));
            self.error(Some(key_span), path, String::new(), problem);
            return;
        };
        let Field::Region(field) = spec.field else {
            return;
        };
        match number(v.get_ref()) {
            Some(x) => match spec.check(x) {
                Ok(()) => *field(region) = x,
                Err(allowed) => self.error(
                    Some(v.span()),
                    path,
                    show(v.get_ref()),
                    format!("must be {allowed}"),
                ),
            },
            None => self.error(
                Some(v.span()),
                path,
                show(v.get_ref()),
                format!("must be a number {}", spec.allowed()),
            ),
        }
    }

    fn set_leaf(
        &mut self,
        path: &str,
        v: &Spanned<DeValue<'_>>,
        key_span: Range<usize>,
        p: &mut ModelParams,
    ) {
        if path.ends_with(".source") {
            match v.get_ref() {
                DeValue::String(s) => {
                    let section = path.trim_end_matches(".source").to_string();
                    p.sources.push((section, s.to_string()));
                }
                other => self.error(
                    Some(v.span()),
                    path,
                    show(other),
                    "must be a string citing the values' sources".into(),
                ),
            }
            return;
        }
        if let Some(k) = sim_core::params::lookup(path)
            && !matches!(k.spec.field, Field::Region(_))
        {
            let spec = k.spec;
            match number(v.get_ref()) {
                Some(x) => {
                    if let Err(issue) = p.set(path, x) {
                        self.error(
                            Some(v.span()),
                            path,
                            show(v.get_ref()),
                            format!("must be {}", issue.allowed),
                        );
                    }
                }
                None => self.error(
                    Some(v.span()),
                    path,
                    show(v.get_ref()),
                    format!("must be a number {}", spec.allowed()),
                ),
            }
            return;
        }
        match set_structured(p, path, &value(v.get_ref())) {
            Some(Ok(())) => {}
            Some(Err(problem)) => self.error(Some(v.span()), path, show(v.get_ref()), problem),
            None => self.unknown(key_span, path, known_keys()),
        }
    }
}

/// Region-scoped keys as written inside `[[regions]]`.
pub(crate) fn region_keys() -> impl Iterator<Item = &'static str> {
    PARAMETERS
        .iter()
        .filter(|s| matches!(s.field, Field::Region(_)))
        .map(|s| s.name())
}

/// Every key path a file may set outside `[[regions]]`.
pub fn known_keys() -> Vec<String> {
    PARAMETERS
        .iter()
        .filter(|s| !matches!(s.field, Field::Region(_)))
        .flat_map(|s| s.concrete_keys())
        .chain(STRUCTURED_KEYS.iter().map(|k| k.key.to_string()))
        .chain(SCENARIO_KEYS.iter().map(|k| k.key.to_string()))
        .collect()
}

/// Entries of a table in file order.
fn sorted<'a, 'i>(
    t: &'a DeTable<'i>,
) -> Vec<(
    &'a Spanned<toml::de::DeString<'i>>,
    &'a Spanned<DeValue<'i>>,
)> {
    let mut v: Vec<_> = t.iter().collect();
    v.sort_by_key(|(k, _)| k.span().start);
    v
}

/// A TOML number as f64 (integers included); `None` for anything else (NaN for a malformed one).
pub fn number(v: &DeValue<'_>) -> Option<f64> {
    match v {
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            let radix = i.radix();
            let body = match radix {
                16 => digits.trim_start_matches("0x"),
                8 => digits.trim_start_matches("0o"),
                2 => digits.trim_start_matches("0b"),
                _ => &digits,
            };
            i64::from_str_radix(body, radix).ok().map(|x| x as f64)
        }
        DeValue::Float(f) => {
            let s = f.as_str().replace('_', "");
            match s.as_str() {
                "inf" | "+inf" => Some(f64::INFINITY),
                "-inf" => Some(f64::NEG_INFINITY),
                "nan" | "+nan" | "-nan" => Some(f64::NAN),
                _ => s.parse().ok(),
            }
        }
        _ => None,
    }
}

pub(crate) fn value(v: &DeValue<'_>) -> Value {
    match v {
        DeValue::String(s) => Value::Text(s.to_string()),
        DeValue::Integer(_) | DeValue::Float(_) => Value::Number(number(v).unwrap_or(f64::NAN)),
        DeValue::Array(a) => {
            let nums: Option<Vec<f64>> = a.iter().map(|x| number(x.get_ref())).collect();
            nums.map_or(Value::Other("array"), Value::Numbers)
        }
        other => Value::Other(other.type_str()),
    }
}

/// A value as the user would recognise it in a message.
pub fn show(v: &DeValue<'_>) -> String {
    match v {
        DeValue::String(s) => format!("{s:?}"),
        DeValue::Integer(i) => i.as_str().to_string(),
        DeValue::Float(f) => f.as_str().to_string(),
        DeValue::Boolean(b) => b.to_string(),
        DeValue::Datetime(d) => d.to_string(),
        DeValue::Array(a) => {
            let items: Vec<String> = a.iter().take(8).map(|x| show(x.get_ref())).collect();
            let more = if a.len() > 8 { ", ..." } else { "" };
            format!("[{}{more}]", items.join(", "))
        }
        DeValue::Table(_) => "{...}".to_string(),
    }
}

/// A TOML syntax error in `text` (read from `file`) as a positioned error.
pub fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> ScenarioError {
    // The parser gives no position when nesting (dotted keys, tables) exceeds its recursion
    // limit: point at the first deeply nested line instead.
    let deep_line = || {
        text.lines()
            .position(|l| l.matches(['.', '[', '{']).count() >= 64)
            .map(|i| (i + 1, 1))
    };
    ScenarioError {
        file: file.to_string(),
        position: e.span().map(|s| line_col(text, s.start)).or_else(deep_line),
        key_path: String::new(),
        value: String::new(),
        problem: format!("not valid TOML: {}", e.message().trim()),
    }
}

/// Keys longer than [`MAX_NAME_CHARS`] characters and strings longer than [`MAX_TEXT_CHARS`]
/// anywhere in a parsed file: checked before anything else looks at them, so that no later step
/// (suggestions, messages, reports) spends time or memory in proportion to their length.
pub fn oversized(file: &str, text: &str, table: &DeTable<'_>) -> Vec<ScenarioError> {
    fn walk(
        file: &str,
        text: &str,
        path: &str,
        v: &Spanned<DeValue<'_>>,
        out: &mut Vec<ScenarioError>,
    ) {
        match v.get_ref() {
            DeValue::Table(t) => {
                for (k, v) in t.iter() {
                    let key = k.get_ref().as_ref();
                    let n = key.chars().count();
                    let child = if path.is_empty() {
                        key.to_string()
                    } else {
                        format!("{path}.{key}")
                    };
                    if n > MAX_NAME_CHARS {
                        out.push(ScenarioError::at(
                            file,
                            text,
                            Some(k.span()),
                            &child,
                            String::new(),
                            format!(
                                "the key is {n} characters long; keys are at most {MAX_NAME_CHARS}"
                            ),
                        ));
                        continue;
                    }
                    walk(file, text, &child, v, out);
                }
            }
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(file, text, &format!("{path}[{i}]"), item, out);
                }
            }
            DeValue::String(s) => {
                let n = s.chars().count();
                let is_text = path.ends_with("source") || path.ends_with("description");
                let limit = if is_text {
                    MAX_TEXT_CHARS
                } else {
                    MAX_NAME_CHARS
                };
                if n > limit {
                    out.push(ScenarioError::at(
                        file,
                        text,
                        Some(v.span()),
                        path,
                        format!("a string of {n} characters"),
                        format!(
                            "must be at most {limit} characters{}",
                            if is_text {
                                ""
                            } else {
                                " (names and keys are short)"
                            }
                        ),
                    ));
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    let root = Spanned::new(0..text.len(), DeValue::Table(table.clone()));
    walk(file, text, "", &root, &mut out);
    out
}

/// Parses and resolves scenario `text` read from `file`.
pub fn resolve(file: &str, text: &str) -> Result<Resolved, ScenarioErrors> {
    let doc = DeTable::parse(text).map_err(|e| ScenarioErrors(vec![toml_error(file, text, &e)]))?;
    let too_long = oversized(file, text, doc.get_ref());
    if !too_long.is_empty() {
        return Err(ScenarioErrors(too_long));
    }
    let mut walker = Walker {
        r: Reader::new(file, text),
        interventions: Vec::new(),
        targets: Vec::new(),
        observed: Vec::new(),
    };
    let mut params = ModelParams::baseline();
    walker.walk_document(doc.get_ref(), &mut params);
    walker.finish_interventions(&mut params);
    if !walker.r.spans.contains_key("scenario.name") {
        walker.error(
            walker.r.spans.get("scenario").cloned(),
            "scenario.name",
            String::new(),
            "is missing: every scenario file names itself ([scenario] name = \"...\"; the name \
             also names the output folder)"
                .into(),
        );
    }
    // Sources are kept sorted by section so a resolved file reads back identically.
    params.sources.sort();
    if walker.r.errors.is_empty() {
        for issue in params.check() {
            let span = span_of(&walker.r.spans, &issue.key_path);
            walker.error(
                span,
                &issue.key_path,
                issue.value,
                format!("must be {}", issue.allowed),
            );
        }
    }
    if walker.r.errors.is_empty() {
        Ok(Resolved {
            params,
            targets: walker.targets,
            observed: walker.observed,
            spans: walker.r.spans,
        })
    } else {
        let mut errors = walker.r.errors;
        errors.sort_by_key(|e| e.position);
        Err(ScenarioErrors(errors))
    }
}

/// The span of `key_path` or of its nearest written ancestor (`regions.population_share` falls
/// back to the first region's share, then to `regions`).
fn span_of(spans: &HashMap<String, Range<usize>>, key_path: &str) -> Option<Range<usize>> {
    if let Some(s) = spans.get(key_path) {
        return Some(s.clone());
    }
    if let Some(name) = key_path.strip_prefix("regions.")
        && let Some(s) = spans.get(&format!("regions[0].{name}"))
    {
        return Some(s.clone());
    }
    let mut path = key_path;
    while let Some((parent, _)) = path.rsplit_once('.') {
        if let Some(s) = spans.get(parent) {
            return Some(s.clone());
        }
        path = parent;
    }
    let top = key_path.split(['.', '[']).next().unwrap_or(key_path);
    spans.get(top).cloned()
}

/// Fields of an intervention that `interventions.NAME.FIELD` overrides may set.
pub const INTERVENTION_FIELDS: &[&str] = &[
    "coverage",
    "effect",
    "unit_cost",
    "start_year",
    "end_year",
    "ramp_months",
];

/// The allowed range and unit of intervention field `field` of `entry`.
fn intervention_field_range(entry: &Entry, field: &str) -> Option<(f64, f64, String)> {
    Some(match field {
        "coverage" => (0.0, 1.0, "fraction".into()),
        "start_year" | "end_year" => (1900.0, 2200.0, "calendar year".into()),
        "ramp_months" => (0.0, 600.0, "months".into()),
        "effect" => (
            entry.effect_range.0,
            entry.effect_range.1,
            format!("{} for {}", entry.effect_unit, entry.name),
        ),
        "unit_cost" => (0.0, 1e9, "currency units".into()),
        _ => return None,
    })
}

/// Sets `NAME.FIELD` (the part after `interventions.`) to `x`: the scenario's intervention of
/// that name, or the catalogue's defaults over the scenario horizon when the scenario has none.
/// This is how a sweep varies an intervention's coverage or effect.
pub(crate) fn set_intervention_field(
    p: &mut ModelParams,
    rest: &str,
    x: Option<f64>,
) -> Result<(), String> {
    let Some((name, field)) = rest.split_once('.') else {
        return Err(format!(
            "must be interventions.NAME.FIELD with FIELD one of {}",
            INTERVENTION_FIELDS.join(", ")
        ));
    };
    let entry = catalogue::entry(name).ok_or_else(|| match suggest(name, catalogue::names()) {
        Some(s) => format!("unknown intervention '{name}'; did you mean '{s}'?"),
        None => format!("unknown intervention '{name}'; see `cjsim interventions`"),
    })?;
    let (lo, hi, unit) = intervention_field_range(entry, field).ok_or_else(|| {
        unknown_among(
            &format!("intervention field '{field}'"),
            field,
            INTERVENTION_FIELDS.iter().copied(),
        )
    })?;
    let x = x
        .filter(|x| x.is_finite() && (lo..=hi).contains(x))
        .ok_or_else(|| {
            format!(
                "must be a number between {} and {} ({unit})",
                num(lo),
                num(hi)
            )
        })?;
    let i = match p.interventions.iter().position(|iv| iv.name == name) {
        Some(i) => i,
        None => {
            p.interventions.push(entry.for_scenario(p));
            p.interventions.len() - 1
        }
    };
    let iv = &mut p.interventions[i];
    match field {
        "coverage" => iv.coverage = x,
        "effect" => iv.effect = x,
        "unit_cost" => iv.unit_cost = x,
        "start_year" => iv.start_year = x,
        "end_year" => iv.end_year = x,
        _ => iv.ramp_months = x,
    }
    if iv.end_year < iv.start_year {
        return Err(format!(
            "leaves {name} ending ({}) before it starts ({})",
            num(iv.end_year),
            num(iv.start_year)
        ));
    }
    Ok(())
}

/// Formats a number for messages and files.
pub fn num(x: f64) -> String {
    fmt_num(x)
}
