//! Scenario text -> validated [`ModelParams`]: walks the spanned TOML tree key by key, sets
//! table parameters and structured keys, and reports every problem with its position.
//!
//! Resolution starts from [`ModelParams::baseline`], so a file only names what differs; a file
//! that lists `[[regions]]` replaces the baseline's regions.

use std::collections::HashMap;
use std::ops::Range;

use sim_core::ModelParams;
use sim_core::params::{Field, PARAMETERS, RegionParams, fmt_num};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::error::{ScenarioError, ScenarioErrors, suggest};
use crate::schema::{SCENARIO_KEYS, SECTIONS, STRUCTURED_KEYS, Value, set_structured};

/// Resolved parameters plus where each key was written, for placing later errors.
pub struct Resolved {
    /// The parameters.
    pub params: ModelParams,
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
    file: &'t str,
    text: &'t str,
    errors: Vec<ScenarioError>,
    spans: HashMap<String, Range<usize>>,
}

impl<'t> Walker<'t> {
    fn error(&mut self, span: Option<Range<usize>>, key: &str, value: String, problem: String) {
        self.errors.push(ScenarioError {
            file: self.file.to_string(),
            position: span.map(|s| line_col(self.text, s.start)),
            key_path: key.to_string(),
            value,
            problem,
        });
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
            self.spans.insert(key.to_string(), k.span());
            match key {
                "regions" => self.walk_regions(v, p),
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
            self.spans.insert(path.clone(), k.span());
            if let DeValue::Table(t) = v.get_ref()
                && !is_leaf_key(&path)
            {
                self.walk_table(&path, t, p);
                continue;
            }
            self.set_leaf(&path, v, k.span(), p);
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
                self.spans.insert(path.clone(), k.span());
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
            let problem = match suggest(name, known.iter().map(String::as_str)) {
                Some(s) => format!("unknown region key; did you mean '{s}'?"),
                None => format!("unknown region key; allowed: {}", known.join(", ")),
            };
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

/// Whether a table value at `path` is itself a value (none yet: every table is a section).
fn is_leaf_key(_path: &str) -> bool {
    false
}

/// Region-scoped keys as written inside `[[regions]]`.
fn region_keys() -> impl Iterator<Item = &'static str> {
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

/// A TOML number as f64 (integers included); `None` for anything else.
fn number(v: &DeValue<'_>) -> Option<f64> {
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

fn value(v: &DeValue<'_>) -> Value {
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
fn show(v: &DeValue<'_>) -> String {
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

/// Parses and resolves scenario `text` read from `file`.
pub fn resolve(file: &str, text: &str) -> Result<Resolved, ScenarioErrors> {
    let doc = DeTable::parse(text).map_err(|e| {
        ScenarioErrors(vec![ScenarioError {
            file: file.to_string(),
            position: e.span().map(|s| line_col(text, s.start)),
            key_path: String::new(),
            value: String::new(),
            problem: format!("not valid TOML: {}", e.message().trim()),
        }])
    })?;
    let mut walker = Walker {
        file,
        text,
        errors: Vec::new(),
        spans: HashMap::new(),
    };
    let mut params = ModelParams::baseline();
    walker.walk_document(doc.get_ref(), &mut params);
    // Sources are kept sorted by section so a resolved file reads back identically.
    params.sources.sort();
    if walker.errors.is_empty() {
        for issue in params.check() {
            let span = span_of(&walker.spans, &issue.key_path);
            walker.error(
                span,
                &issue.key_path,
                issue.value,
                format!("must be {}", issue.allowed),
            );
        }
    }
    if walker.errors.is_empty() {
        Ok(Resolved {
            params,
            spans: walker.spans,
        })
    } else {
        let mut errors = walker.errors;
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

/// Applies one `KEY=VALUE` override (the value in TOML syntax) to resolved parameters, with
/// the same checks as a file. Region parameters take `regions[i].KEY` or `regions.KEY` (all).
pub fn apply_override(p: &mut ModelParams, assignment: &str) -> Result<(), ScenarioError> {
    let err = |key: &str, value: &str, problem: String| ScenarioError {
        file: "--set".into(),
        position: None,
        key_path: key.to_string(),
        value: value.to_string(),
        problem,
    };
    let Some((key, raw)) = assignment.split_once('=') else {
        return Err(err(
            assignment,
            "",
            "must be written KEY=VALUE, e.g. demography.total_fertility_rate=1.8".into(),
        ));
    };
    let (key, raw) = (key.trim(), raw.trim());
    // A bare word (`scenario.name=test`) is taken as a string.
    let quoted = crate::render::quote(raw);
    let parsed = DeValue::parse(raw)
        .or_else(|_| DeValue::parse(&quoted))
        .map_err(|e| {
            err(
                key,
                raw,
                format!("not a TOML value: {}", e.message().trim()),
            )
        })?;
    let v = parsed.get_ref();
    let is_region = key.starts_with("regions[") || key.starts_with("regions.");
    if let Some(k) = sim_core::params::lookup(key) {
        let spec = k.spec;
        let x = number(v).ok_or_else(|| {
            err(
                key,
                &show(v),
                format!("must be a number {}", spec.allowed()),
            )
        })?;
        return p
            .set(key, x)
            .map_err(|i| err(key, &show(v), format!("must be {}", i.allowed)));
    }
    if !is_region {
        match set_structured(p, key, &value(v)) {
            Some(Ok(())) => {
                let issues = p.check();
                return match issues.into_iter().next() {
                    Some(i) => Err(err(&i.key_path, &i.value, format!("must be {}", i.allowed))),
                    None => Ok(()),
                };
            }
            Some(Err(problem)) => return Err(err(key, &show(v), problem)),
            None => {}
        }
    }
    let mut known = known_keys();
    known.extend(region_keys().map(|k| format!("regions.{k}")));
    let problem = match suggest(key, known.iter().map(String::as_str)) {
        Some(s) => format!("unknown key; did you mean '{s}'?"),
        None => "unknown key (see `cjsim scenarios init` for every key)".into(),
    };
    Err(err(key, raw, problem))
}

/// Formats a number for messages and files.
pub fn num(x: f64) -> String {
    fmt_num(x)
}
