//! The sweep file (TOML): the base scenario, the factors and their ranges, the design, the
//! replications and what to keep. Everything is checked here, before any run starts, and every
//! problem names the file, line and column, key path, value and what is allowed.
//!
//! ```toml
//! [sweep]
//! name = "courts"
//! base = "coastal-middle-income"   # built-in name, or a path relative to this file
//! design = "sobol"                 # grid | lhs | morris | sobol
//! base_samples = 64                # sobol: N (runs N x (factors + 2) points)
//! replications = 2
//! seed = 1
//! agents = 20000                   # optional: scenario.agents for every run
//!
//! [sweep.set]                      # optional: other scenario keys fixed for every run
//! "climate.pathway" = "ssp5-8.5"
//!
//! [output]
//! indicators = ["unsentenced_share_pct", "court_backlog_cases"]
//! years = [2030, 2050]
//!
//! [[factors]]
//! key = "justice.court_capacity_multiplier"
//! min = 0.5
//! max = 1.5
//!
//! [[factors]]
//! key = "interventions.legal_aid.coverage"
//! levels = [0.0, 0.5, 1.0]
//! ```

use std::ops::Range;
use std::path::{Path, PathBuf};

use scenarios::reader::{Reader, Recorded};
use scenarios::resolve::{number, show};
use scenarios::{Scenario, ScenarioErrors};
use serde::{Deserialize, Serialize};
use sim_core::indicators::YEAR_COLUMNS;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Default ceiling on the number of runs (`--max-runs` overrides it).
pub const DEFAULT_MAX_RUNS: u64 = 100_000;

/// Scenario keys a factor may not vary: they change the output's shape or its random numbers.
const FIXED_KEYS: &[(&str, &str)] = &[
    (
        "scenario.seed",
        "seeds come from the sweep's seed, point and replication",
    ),
    (
        "scenario.start_year",
        "every run must report the same calendar years",
    ),
    (
        "scenario.years",
        "every run must report the same calendar years",
    ),
    ("scenario.name", "it does not change the model"),
    ("scenario.description", "it does not change the model"),
];

/// How the points of the design are chosen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Design {
    /// Every combination of the factors' levels (last factor varies fastest).
    Grid,
    /// Latin hypercube of `samples` points.
    Lhs {
        /// Number of points.
        samples: u32,
    },
    /// Morris elementary effects: `trajectories` one-at-a-time paths on a `levels`-level grid.
    Morris {
        /// r, the number of trajectories (each of factors + 1 points).
        trajectories: u32,
        /// p, the number of grid levels (even).
        levels: u32,
    },
    /// Saltelli's scheme for Sobol indices: N base samples, N x (factors + 2) points.
    Sobol {
        /// N.
        base_samples: u32,
    },
}

impl Design {
    /// The design and its size in words.
    pub fn describe(&self) -> String {
        match self {
            Design::Grid => "grid (every combination of levels)".into(),
            Design::Lhs { samples } => format!("Latin hypercube of {samples} points"),
            Design::Morris {
                trajectories,
                levels,
            } => format!("Morris, {trajectories} trajectories on a {levels}-level grid"),
            Design::Sobol { base_samples } => {
                format!("Sobol (Saltelli sampling), N = {base_samples} base samples")
            }
        }
    }

    /// The design's name as written in the file.
    pub fn word(&self) -> &'static str {
        match self {
            Design::Grid => "grid",
            Design::Lhs { .. } => "lhs",
            Design::Morris { .. } => "morris",
            Design::Sobol { .. } => "sobol",
        }
    }
}

/// One level of a factor: a number or a name (e.g. a warming pathway).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Level {
    /// A number.
    Number(f64),
    /// A name.
    Text(String),
}

impl Level {
    /// The override setting `key` to this level.
    pub fn at(&self, key: &str) -> scenarios::overrides::Override {
        use scenarios::overrides::Override;
        match self {
            Level::Number(x) => Override::number(key, *x),
            Level::Text(s) => Override::text(key, s.as_str()),
        }
    }

    /// The value as a table cell.
    pub fn cell(&self) -> String {
        match self {
            Level::Number(x) => format!("{x}"),
            Level::Text(s) => s.clone(),
        }
    }
}

/// The values a factor takes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Domain {
    /// A list of levels (numbers or names).
    Levels(Vec<Level>),
    /// A continuous range.
    Range {
        /// Lower end.
        min: f64,
        /// Upper end.
        max: f64,
        /// Sampled uniformly on a log scale (`log-uniform`) rather than linearly.
        log: bool,
        /// Grid designs: number of evenly spaced values from min to max.
        steps: Option<u32>,
    },
}

/// A factor of the design.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    /// Column name in the results (defaults to the key).
    pub name: String,
    /// Scenario key path it sets (`justice.court_capacity_multiplier`,
    /// `interventions.legal_aid.coverage`, `climate.pathway`, ...).
    pub key: String,
    /// Its values.
    pub domain: Domain,
}

impl Factor {
    /// The factor's value at unit coordinate `u` in [0, 1]: linear or log-linear within a
    /// range; level `floor(u x count)` of a list (so u = i / (count - 1) gives level i).
    pub fn at(&self, u: f64) -> Level {
        match &self.domain {
            Domain::Levels(levels) => {
                let i = ((u * levels.len() as f64) as usize).min(levels.len() - 1);
                levels[i].clone()
            }
            Domain::Range { min, max, log, .. } => Level::Number(if *log {
                (min.ln() + u * (max.ln() - min.ln())).exp()
            } else {
                min + u * (max - min)
            }),
        }
    }

    /// Grid designs: the number of values the factor takes.
    pub fn grid_count(&self) -> u32 {
        match &self.domain {
            Domain::Levels(l) => l.len() as u32,
            Domain::Range { steps, .. } => steps.unwrap_or(2),
        }
    }
}

/// A validated sweep.
#[derive(Clone, Debug)]
pub struct SweepSpec {
    /// The sweep file as given.
    pub file: String,
    /// SHA-256 of its text.
    pub file_hash: String,
    /// Name (names the default output folder).
    pub name: String,
    /// The base scenario with the sweep's fixed settings applied.
    pub base: Scenario,
    /// The design.
    pub design: Design,
    /// The factors, in file order.
    pub factors: Vec<Factor>,
    /// Replications per point.
    pub replications: u32,
    /// Seed of the design's sampling and of the runs.
    pub seed: u64,
    /// Whether replication r of every point uses the same seed (common random numbers), so
    /// points differ only by their factors; otherwise each (point, replication) has its own.
    pub common_random_numbers: bool,
    /// Indicators kept (YEAR_COLUMNS names).
    pub indicators: Vec<&'static str>,
    /// Calendar years kept.
    pub years: Vec<i32>,
    /// Output folder.
    pub output: PathBuf,
    /// Number of points of the design.
    pub points: u64,
}

impl SweepSpec {
    /// Total number of runs.
    pub fn runs(&self) -> u64 {
        self.points * u64::from(self.replications)
    }
}

/// Number of points a design has with `factors`, or `None` on overflow.
pub fn point_count(design: &Design, factors: &[Factor]) -> Option<u64> {
    let k = factors.len() as u64;
    match design {
        Design::Grid => factors
            .iter()
            .try_fold(1u64, |acc, f| acc.checked_mul(u64::from(f.grid_count()))),
        Design::Lhs { samples } => Some(u64::from(*samples)),
        Design::Morris { trajectories, .. } => u64::from(*trajectories).checked_mul(k + 1),
        Design::Sobol { base_samples } => u64::from(*base_samples).checked_mul(k + 2),
    }
}

/// Options from the command line that change how a sweep file is read.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// `--max-runs` (overrides `sweep.max_runs`).
    pub max_runs: Option<u64>,
    /// `--out` (overrides `output.folder`).
    pub out: Option<PathBuf>,
}

/// Reads and validates a sweep file.
pub fn read(path: &Path, opts: &ReadOptions) -> Result<SweepSpec, ScenarioErrors> {
    let label = path.display().to_string();
    let text = scenarios::read_text_file(path, "sweep file")?;
    let dir = path.parent().unwrap_or(Path::new("."));
    parse(&label, &text, dir, opts)
}

/// Parses and validates sweep `text` read from `file`; a relative `base` path is taken from
/// `dir` (the sweep file's folder).
pub fn parse(
    file: &str,
    text: &str,
    dir: &Path,
    opts: &ReadOptions,
) -> Result<SweepSpec, ScenarioErrors> {
    let doc = DeTable::parse(text)
        .map_err(|e| ScenarioErrors(vec![scenarios::resolve::toml_error(file, text, &e)]))?;
    let mut r = Reader::new(file, text);
    let root = doc.get_ref();
    r.unknown_keys(root, "", &["sweep", "output", "factors"]);
    let empty = DeTable::default();
    let sweep = match r.table(root, "", "sweep") {
        Some(t) => t,
        None => {
            if !root.contains_key("sweep") {
                r.error(
                    None,
                    "sweep",
                    String::new(),
                    "is missing: a sweep file starts with a [sweep] table (name, base, design)"
                        .into(),
                );
            }
            &empty
        }
    };
    r.unknown_keys(
        sweep,
        "sweep",
        &[
            "name",
            "base",
            "design",
            "samples",
            "trajectories",
            "levels",
            "base_samples",
            "replications",
            "seed",
            "common_random_numbers",
            "max_runs",
            "agents",
            "years",
            "set",
        ],
    );
    let name = read_name(&mut r, sweep);
    let design = read_design(&mut r, sweep);
    let replications = r
        .whole(sweep, "sweep", "replications", 1, 10_000, "runs per point")
        .ok()
        .map(|x| x.unwrap_or(1) as u32);
    let seed = r
        .whole(sweep, "sweep", "seed", 0, (1 << 53) - 1, "the sweep's seed")
        .ok()
        .map(|x| x.unwrap_or(1));
    let crn = r
        .boolean(sweep, "sweep", "common_random_numbers")
        .unwrap_or(true);
    let max_runs = r
        .whole(
            sweep,
            "sweep",
            "max_runs",
            1,
            u64::MAX >> 12,
            "ceiling on runs",
        )
        .ok()
        .flatten();
    let max_runs = opts.max_runs.or(max_runs).unwrap_or(DEFAULT_MAX_RUNS);
    let base = read_base(&mut r, sweep, dir);
    let factors = read_factors(&mut r, root, design.as_ref());
    let (indicators, years, folder) = read_output(&mut r, root, base.as_ref());
    if let (Some(base), Some(factors)) = (&base, &factors) {
        check_factor_keys(&mut r, base, factors);
    }
    if !r.errors.is_empty() {
        r.errors.sort_by_key(|e| e.position);
        return Err(ScenarioErrors(r.errors));
    }
    let (name, design, factors, base) = (
        name.expect("no errors"),
        design.expect("no errors"),
        factors.expect("no errors"),
        base.expect("no errors"),
    );
    let replications = replications.expect("no errors");
    let points = point_count(&design, &factors);
    let runs = points.and_then(|p| p.checked_mul(u64::from(replications)));
    if runs.is_none_or(|n| n > max_runs) {
        let shown = runs.map_or("more than 2^64".to_string(), |n| n.to_string());
        let span = r.span("sweep.design");
        r.error(
            span,
            "sweep.design",
            format!("{:?}", design.word()),
            format!(
                "is too large: {} points x {replications} replications = {shown} runs, above \
                 the limit of {max_runs} (sweep.max_runs or --max-runs); use fewer samples, \
                 levels or replications, or raise the limit",
                points.map_or("too many".to_string(), |p| p.to_string()),
            ),
        );
        return Err(ScenarioErrors(r.errors));
    }
    let output = opts
        .out
        .clone()
        .or(folder)
        .unwrap_or_else(|| PathBuf::from("out").join(format!("sweep-{name}")));
    Ok(SweepSpec {
        file: file.to_string(),
        file_hash: scenarios::content_hash(text),
        name,
        base,
        design,
        factors,
        replications,
        seed: seed.expect("no errors"),
        common_random_numbers: crn,
        indicators: indicators.expect("no errors"),
        years: years.expect("no errors"),
        output,
        points: points.expect("checked above"),
    })
}

fn read_name(r: &mut Reader, sweep: &DeTable<'_>) -> Option<String> {
    let Some(name) = r.string(sweep, "sweep", "name") else {
        if !sweep.contains_key("name") {
            r.error(
                None,
                "sweep.name",
                String::new(),
                "is missing: name the sweep (letters, digits, '-', '_', '.')".into(),
            );
        }
        return None;
    };
    if let Some(why) = sim_core::params::name_problem(&name) {
        let span = r.span("sweep.name");
        r.error(
            span,
            "sweep.name",
            format!("{name:?}"),
            format!("must be {why}"),
        );
        return None;
    }
    Some(name)
}

fn read_design(r: &mut Reader, sweep: &DeTable<'_>) -> Option<Design> {
    const DESIGNS: [&str; 4] = ["grid", "lhs", "morris", "sobol"];
    let Some(word) = r.string(sweep, "sweep", "design") else {
        if !sweep.contains_key("design") {
            r.error(
                None,
                "sweep.design",
                String::new(),
                "is missing: one of grid, lhs, morris, sobol".into(),
            );
        }
        return None;
    };
    // Which size keys each design takes.
    let sizes: &[(&str, &str)] = &[
        ("samples", "lhs"),
        ("trajectories", "morris"),
        ("levels", "morris"),
        ("base_samples", "sobol"),
    ];
    for (key, owner) in sizes {
        if sweep.contains_key(*key) && *owner != word {
            let span = r
                .span(&format!("sweep.{key}"))
                .or_else(|| sweep.get_key_value(*key).map(|(k, _)| k.span()));
            r.error(
                span,
                &format!("sweep.{key}"),
                String::new(),
                format!("applies to the {owner} design only, not {word}"),
            );
        }
    }
    let required = |r: &mut Reader, key: &str, lo: u64, hi: u64, meaning: &str, hint: &str| match r
        .whole(sweep, "sweep", key, lo, hi, meaning)
    {
        Ok(Some(x)) => Some(x as u32),
        Ok(None) => {
            let span = r.span("sweep.design");
            r.error(
                span,
                &format!("sweep.{key}"),
                String::new(),
                format!("is missing: the {word} design needs {key} = {hint}"),
            );
            None
        }
        Err(Recorded) => None,
    };
    match word.as_str() {
        "grid" => Some(Design::Grid),
        "lhs" => Some(Design::Lhs {
            samples: required(r, "samples", 2, 1 << 24, "points", "the number of points")?,
        }),
        "morris" => {
            let trajectories = required(
                r,
                "trajectories",
                2,
                1 << 20,
                "r, one-at-a-time paths",
                "r (10 to 50 is usual)",
            );
            let levels = match r.whole(sweep, "sweep", "levels", 2, 64, "p, grid levels") {
                Ok(Some(p)) if p % 2 == 0 => Some(p as u32),
                Ok(Some(p)) => {
                    let span = r.span("sweep.levels");
                    r.error(
                        span,
                        "sweep.levels",
                        p.to_string(),
                        "must be even (Morris's step of p / (2 (p - 1)) then visits every level equally)".into(),
                    );
                    None
                }
                Ok(None) => Some(4),
                Err(Recorded) => None,
            };
            Some(Design::Morris {
                trajectories: trajectories?,
                levels: levels?,
            })
        }
        "sobol" => Some(Design::Sobol {
            base_samples: required(
                r,
                "base_samples",
                2,
                1 << 24,
                "N base samples",
                "N (the sweep runs N x (factors + 2) points; 256 to 4096 is usual)",
            )?,
        }),
        _ => {
            let span = r.span("sweep.design");
            let hint = match scenarios::error::suggest(&word, DESIGNS) {
                Some(s) => format!("; did you mean '{s}'?"),
                None => String::new(),
            };
            r.error(
                span,
                "sweep.design",
                format!("{word:?}"),
                format!("must be one of grid, lhs, morris, sobol{hint}"),
            );
            None
        }
    }
}

/// The base scenario with `agents`, `years` and `[sweep.set]` applied.
fn read_base(r: &mut Reader, sweep: &DeTable<'_>, dir: &Path) -> Option<Scenario> {
    let mut overrides = Vec::new();
    if let Ok(Some(a)) = r.whole(sweep, "sweep", "agents", 100, 50_000_000, "agents per run") {
        overrides.push(format!("scenario.agents={a}"));
    }
    if let Ok(Some(y)) = r.whole(sweep, "sweep", "years", 1, 200, "simulated years") {
        overrides.push(format!("scenario.years={y}"));
    }
    if let Some(set) = r.table(sweep, "sweep", "set") {
        for (k, v) in set.iter() {
            let raw = &r.text[v.span()];
            overrides.push(format!("{}={raw}", k.get_ref().as_ref()));
            r.spans
                .insert(format!("sweep.set.{}", k.get_ref().as_ref()), k.span());
        }
    }
    let Some(base) = r.string(sweep, "sweep", "base") else {
        if !sweep.contains_key("base") {
            r.error(
                None,
                "sweep.base",
                String::new(),
                "is missing: a built-in scenario name or a scenario file".into(),
            );
        }
        return None;
    };
    let as_path = dir.join(&base);
    let target = if Path::new(&base).is_relative() && as_path.exists() {
        as_path.display().to_string()
    } else {
        base.clone()
    };
    let mut scenario = match scenarios::load(&target) {
        Ok(s) => s,
        Err(e) => {
            let span = r.span("sweep.base");
            for inner in e.0 {
                r.error(
                    span.clone(),
                    "sweep.base",
                    format!("{base:?}"),
                    inner.to_string(),
                );
            }
            return None;
        }
    };
    for o in overrides {
        if let Err(e) = scenario.apply_overrides(std::slice::from_ref(&o)) {
            let key = o.split_once('=').map_or(o.as_str(), |x| x.0);
            let path = if key.starts_with("scenario.") && !sweep.contains_key("set") {
                key.replace("scenario.", "sweep.")
            } else {
                format!("sweep.set.{key}")
            };
            let span = r.span(&path).or_else(|| r.span("sweep"));
            for inner in e.0 {
                r.error(span.clone(), &path, inner.value, inner.problem);
            }
        }
    }
    Some(scenario)
}

fn read_factors(
    r: &mut Reader,
    root: &DeTable<'_>,
    design: Option<&Design>,
) -> Option<Vec<Factor>> {
    let Some(v) = r.get(root, "", "factors") else {
        r.error(
            None,
            "factors",
            String::new(),
            "is missing: add at least one [[factors]] entry with a key and levels or min/max"
                .into(),
        );
        return None;
    };
    let DeValue::Array(items) = v.get_ref() else {
        r.error(
            Some(v.span()),
            "factors",
            show(v.get_ref()),
            "must be an array of tables ([[factors]] entries)".into(),
        );
        return None;
    };
    if items.is_empty() {
        r.error(
            Some(v.span()),
            "factors",
            "[]".into(),
            "is empty: a sweep needs at least one factor".into(),
        );
        return None;
    }
    let errors_before = r.errors.len();
    let mut factors = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("factors[{i}]");
        let DeValue::Table(t) = item.get_ref() else {
            r.error(
                Some(item.span()),
                &path,
                show(item.get_ref()),
                "must be a table".into(),
            );
            continue;
        };
        r.spans.insert(path.clone(), item.span());
        if let Some(f) = read_factor(r, t, &path, item.span(), design) {
            factors.push(f);
        }
    }
    for i in 0..factors.len() {
        for j in 0..i {
            for (what, a, b) in [
                ("key", &factors[i].key, &factors[j].key),
                ("name", &factors[i].name, &factors[j].name),
            ] {
                if a == b {
                    let path = format!("factors[{i}].{what}");
                    let span = r.span(&path);
                    r.error(
                        span,
                        &path,
                        format!("{a:?}"),
                        format!("is already used by factors[{j}]; each factor needs its own"),
                    );
                }
            }
        }
    }
    (r.errors.len() == errors_before).then_some(factors)
}

fn read_factor(
    r: &mut Reader,
    t: &DeTable<'_>,
    path: &str,
    span: Range<usize>,
    design: Option<&Design>,
) -> Option<Factor> {
    r.unknown_keys(
        t,
        path,
        &[
            "key",
            "name",
            "levels",
            "min",
            "max",
            "distribution",
            "steps",
        ],
    );
    let key = r.string(t, path, "key");
    if key.is_none() && !t.contains_key("key") {
        r.error(
            Some(span.clone()),
            &format!("{path}.key"),
            String::new(),
            "is missing: the scenario key path this factor sets, e.g. justice.court_capacity_multiplier".into(),
        );
    }
    let name = r.string(t, path, "name");
    let grid = matches!(design, Some(Design::Grid));
    let has_range = t.contains_key("min") || t.contains_key("max");
    let domain = if let Some(v) = r.get(t, path, "levels") {
        if has_range {
            r.error(
                Some(v.span()),
                &format!("{path}.levels"),
                String::new(),
                "give either levels or min and max, not both".into(),
            );
            None
        } else {
            read_levels(r, v, &format!("{path}.levels"))
        }
    } else if has_range {
        read_range(r, t, path, grid)
    } else {
        r.error(
            Some(span),
            path,
            String::new(),
            "needs levels = [...] or min and max".into(),
        );
        None
    };
    if let Some(Domain::Levels(_)) = domain
        && (t.contains_key("distribution") || t.contains_key("steps"))
    {
        let span = r.span(path);
        r.error(
            span,
            &format!("{path}.distribution"),
            String::new(),
            "distribution and steps apply to a min/max range, not to levels".into(),
        );
    }
    let key = key?;
    Some(Factor {
        name: name.unwrap_or_else(|| key.clone()),
        key,
        domain: domain?,
    })
}

fn read_levels(r: &mut Reader, v: &Spanned<DeValue<'_>>, path: &str) -> Option<Domain> {
    let DeValue::Array(items) = v.get_ref() else {
        r.error(
            Some(v.span()),
            path,
            show(v.get_ref()),
            "must be an array of numbers or of names".into(),
        );
        return None;
    };
    if items.is_empty() {
        r.error(
            Some(v.span()),
            path,
            "[]".into(),
            "is empty: give at least one level".into(),
        );
        return None;
    }
    let mut levels = Vec::new();
    for item in items.iter() {
        match item.get_ref() {
            DeValue::String(s) => levels.push(Level::Text(s.to_string())),
            other => match number(other) {
                Some(x) if x.is_finite() => levels.push(Level::Number(x)),
                _ => {
                    r.error(
                        Some(item.span()),
                        path,
                        show(other),
                        "levels must be finite numbers or names".into(),
                    );
                    return None;
                }
            },
        }
    }
    let numbers = levels
        .iter()
        .filter(|l| matches!(l, Level::Number(_)))
        .count();
    if numbers != 0 && numbers != levels.len() {
        r.error(
            Some(v.span()),
            path,
            show(v.get_ref()),
            "mixes numbers and names; use one kind".into(),
        );
        return None;
    }
    for i in 0..levels.len() {
        if levels[..i].contains(&levels[i]) {
            r.error(
                Some(v.span()),
                path,
                levels[i].cell(),
                "appears twice".into(),
            );
            return None;
        }
    }
    Some(Domain::Levels(levels))
}

fn read_range(r: &mut Reader, t: &DeTable<'_>, path: &str, grid: bool) -> Option<Domain> {
    let end = |r: &mut Reader, key: &str| -> Option<f64> {
        let full = format!("{path}.{key}");
        let Some(v) = r.get(t, path, key) else {
            let span = r.span(path);
            r.error(
                span,
                &full,
                String::new(),
                "is missing: a range needs both min and max".into(),
            );
            return None;
        };
        match number(v.get_ref()) {
            Some(x) if x.is_finite() => Some(x),
            _ => {
                r.error(
                    Some(v.span()),
                    &full,
                    show(v.get_ref()),
                    "must be a finite number".into(),
                );
                None
            }
        }
    };
    let (min, max) = (end(r, "min"), end(r, "max"));
    let log = match r.string(t, path, "distribution").as_deref() {
        None | Some("uniform") => Some(false),
        Some("log-uniform") => Some(true),
        Some(other) => {
            let span = r.span(&format!("{path}.distribution"));
            r.error(
                span,
                &format!("{path}.distribution"),
                format!("{other:?}"),
                "must be uniform or log-uniform".into(),
            );
            None
        }
    };
    let steps = match r.whole(t, path, "steps", 2, 10_000, "values from min to max") {
        Ok(s) => s.map(|s| s as u32),
        Err(Recorded) => return None,
    };
    if grid && steps.is_none() {
        let span = r.span(path);
        r.error(
            span,
            &format!("{path}.steps"),
            String::new(),
            "is missing: a grid needs steps = N (evenly spaced values from min to max) or levels"
                .into(),
        );
        return None;
    }
    if !grid && steps.is_some() {
        let span = r.span(&format!("{path}.steps"));
        r.error(
            span,
            &format!("{path}.steps"),
            String::new(),
            "applies to grid designs only (other designs sample the range)".into(),
        );
        return None;
    }
    let (min, max, log) = (min?, max?, log?);
    if min >= max {
        let span = r.span(&format!("{path}.max"));
        r.error(
            span,
            &format!("{path}.max"),
            format!("{max}"),
            format!("empty range: max must be above min ({min})"),
        );
        return None;
    }
    if log && min <= 0.0 {
        let span = r.span(&format!("{path}.min"));
        r.error(
            span,
            &format!("{path}.min"),
            format!("{min}"),
            "must be above 0 for a log-uniform distribution".into(),
        );
        return None;
    }
    Some(Domain::Range {
        min,
        max,
        log,
        steps,
    })
}

/// Tries every factor's extreme and interior values on the base scenario, so that an unknown
/// key or an out-of-range value is reported now, not in run 3,517.
fn check_factor_keys(r: &mut Reader, base: &Scenario, factors: &[Factor]) {
    for (i, f) in factors.iter().enumerate() {
        let path = format!("factors[{i}].key");
        let span = r.span(&path);
        if let Some((_, why)) = FIXED_KEYS.iter().find(|(k, _)| *k == f.key) {
            r.error(
                span,
                &path,
                format!("{:?}", f.key),
                format!("cannot be a factor: {why}"),
            );
            continue;
        }
        let probes: Vec<(Level, &str)> = match &f.domain {
            Domain::Levels(levels) => levels.iter().map(|l| (l.clone(), "levels")).collect(),
            Domain::Range { .. } => vec![
                (f.at(0.0), "min"),
                (f.at(1.0), "max"),
                (f.at(0.37), "the range (it must take fractional values)"),
            ],
        };
        for (level, which) in probes {
            let mut p = base.params.clone();
            if let Err(e) = level.at(&f.key).apply(&mut p) {
                let where_ = if e.key_path == f.key {
                    String::new()
                } else {
                    format!(" ({} = {})", e.key_path, e.value)
                };
                let problem = if e.problem.starts_with("unknown") {
                    e.problem
                } else {
                    format!("{which} {}{where_}: {}", level.cell(), e.problem)
                };
                r.error(span.clone(), &path, format!("{:?}", f.key), problem);
                break;
            }
        }
    }
}

/// Reads `[output]`: the indicators and years kept, and the folder.
#[allow(clippy::type_complexity)]
fn read_output(
    r: &mut Reader,
    root: &DeTable<'_>,
    base: Option<&Scenario>,
) -> (Option<Vec<&'static str>>, Option<Vec<i32>>, Option<PathBuf>) {
    let empty = DeTable::default();
    let out = r.table(root, "", "output").unwrap_or(&empty);
    r.unknown_keys(out, "output", &["indicators", "years", "folder"]);
    let all: Vec<&'static str> = YEAR_COLUMNS
        .iter()
        .map(|c| c.name)
        .filter(|n| *n != "year")
        .collect();
    let indicators = match r.get(out, "output", "indicators") {
        None => Some(all.clone()),
        Some(v) => match v.get_ref() {
            DeValue::Array(items) if !items.is_empty() => {
                let mut chosen = Vec::new();
                let mut ok = true;
                for item in items.iter() {
                    let found = match item.get_ref() {
                        DeValue::String(s) => all.iter().find(|n| **n == s.as_ref()).copied(),
                        _ => None,
                    };
                    match found {
                        Some(n) if !chosen.contains(&n) => chosen.push(n),
                        Some(n) => {
                            r.error(
                                Some(item.span()),
                                "output.indicators",
                                format!("{n:?}"),
                                "appears twice".into(),
                            );
                            ok = false;
                        }
                        None => {
                            let shown = show(item.get_ref());
                            let word = shown.trim_matches('"');
                            let hint = match scenarios::error::suggest(word, all.iter().copied()) {
                                Some(s) => format!("did you mean '{s}'?"),
                                None => "see `cjsim` docs/outputs.md for the list".into(),
                            };
                            r.error(
                                Some(item.span()),
                                "output.indicators",
                                shown,
                                format!("unknown indicator; {hint}"),
                            );
                            ok = false;
                        }
                    }
                }
                ok.then_some(chosen)
            }
            other => {
                r.error(
                    Some(v.span()),
                    "output.indicators",
                    show(other),
                    "must be a non-empty array of indicator names".into(),
                );
                None
            }
        },
    };
    let span_of = |r: &Reader| r.span("output.years");
    let years = match (r.get(out, "output", "years"), base) {
        (_, None) => None,
        (None, Some(b)) => {
            let first = b.params.scenario.start_year;
            Some((first..first + b.params.scenario.years as i32).collect())
        }
        (Some(v), Some(b)) => {
            let first = b.params.scenario.start_year;
            let last = first + b.params.scenario.years as i32 - 1;
            let mut years = Vec::new();
            let mut ok = true;
            let items: Vec<&Spanned<DeValue<'_>>> = match v.get_ref() {
                DeValue::Array(a) if !a.is_empty() => a.iter().collect(),
                other => {
                    let span = span_of(r);
                    r.error(
                        span,
                        "output.years",
                        show(other),
                        "must be a non-empty array of calendar years".into(),
                    );
                    return (indicators, None, None);
                }
            };
            for item in items {
                match number(item.get_ref()) {
                    Some(y) if y.fract() == 0.0 && (first as f64..=last as f64).contains(&y) => {
                        if !years.contains(&(y as i32)) {
                            years.push(y as i32);
                        }
                    }
                    _ => {
                        r.error(
                            Some(item.span()),
                            "output.years",
                            show(item.get_ref()),
                            format!("must be a simulated year, {first} to {last}"),
                        );
                        ok = false;
                    }
                }
            }
            years.sort_unstable();
            ok.then_some(years)
        }
    };
    let folder = r.string(out, "output", "folder").map(PathBuf::from);
    (indicators, years, folder)
}
