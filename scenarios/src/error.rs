//! Scenario errors: every problem names the file, line and column, key path, value, and what is
//! allowed, and all problems of a file are reported together.

use std::fmt;

pub use sim_core::params::clip;

/// One problem in a scenario file or override.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// The file (or `--set`, or `builtin:<name>`).
    pub file: String,
    /// 1-based line and column of the offending key or value, when known.
    pub position: Option<(usize, usize)>,
    /// Key path, e.g. `regions[2].population_share`; empty for file-level problems.
    pub key_path: String,
    /// The offending value as written; empty when there is none (unknown key, missing file).
    pub value: String,
    /// What is wrong and what is allowed.
    pub problem: String,
}

impl ScenarioError {
    /// A problem with `key` = `value` at byte `span` of the file's `text` (line and column are
    /// worked out from it; none when the span is unknown).
    pub fn at(
        file: &str,
        text: &str,
        span: Option<std::ops::Range<usize>>,
        key: &str,
        value: String,
        problem: String,
    ) -> Self {
        ScenarioError {
            file: file.to_string(),
            position: span.map(|s| crate::resolve::line_col(text, s.start)),
            key_path: key.to_string(),
            value,
            problem,
        }
    }

    /// A file-level problem (no key, no position).
    pub fn file(file: &str, problem: String) -> Self {
        ScenarioError {
            file: file.to_string(),
            position: None,
            key_path: String::new(),
            value: String::new(),
            problem,
        }
    }

    /// A file that cannot be read; `what` names its kind ("scenario file", "sweep file").
    pub fn unreadable(file: &str, what: &str, e: &std::io::Error) -> Self {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".into(),
            std::io::ErrorKind::PermissionDenied => "permission denied".into(),
            std::io::ErrorKind::InvalidData => "not UTF-8 text".into(),
            std::io::ErrorKind::IsADirectory => "it is a folder".into(),
            _ => e.to_string(),
        };
        ScenarioError {
            file: file.to_string(),
            position: None,
            key_path: String::new(),
            value: String::new(),
            problem: format!("cannot read the {what}: {reason}"),
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", clip(&self.file))?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, ": ")?;
        if !self.key_path.is_empty() {
            write!(f, "{}", clip(&self.key_path))?;
            if !self.value.is_empty() {
                write!(f, " = {}", clip(&self.value))?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.problem)
    }
}

/// Every problem found in one scenario, in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioErrors(pub Vec<ScenarioError>);

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioErrors {}

impl From<ScenarioError> for ScenarioErrors {
    fn from(e: ScenarioError) -> Self {
        ScenarioErrors(vec![e])
    }
}

/// Longest input (characters) for which a "did you mean" suggestion is computed: longer ones
/// are no typo of any key or name, and comparing them would cost time in proportion to their
/// length.
pub const MAX_SUGGEST_CHARS: usize = 64;

/// The problem for a name that is not one of `allowed`: "unknown WHAT; did you mean 'x'?"
/// when one is close, else "unknown WHAT; allowed: a, b, c".
pub fn unknown_among<'a>(
    what: &str,
    got: &str,
    allowed: impl IntoIterator<Item = &'a str> + Clone,
) -> String {
    match suggest(got, allowed.clone()) {
        Some(s) => format!("unknown {what}; did you mean '{s}'?"),
        None => format!(
            "unknown {what}; allowed: {}",
            allowed.into_iter().collect::<Vec<_>>().join(", ")
        ),
    }
}

/// The closest candidate to `word`, if one is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if word.len() > 4 * MAX_SUGGEST_CHARS || word.chars().count() >= MAX_SUGGEST_CHARS {
        return None;
    }
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(word, c);
        let close = d <= (word.len().max(c.len()) / 3).max(2)
            || (word.len() >= 4 && (c.starts_with(word) || word.starts_with(c)));
        if close && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos_and_truncations_but_not_strangers() {
        let keys = ["legal_aid", "youth_mentoring", "total_fertility_rate"];
        assert_eq!(suggest("legal_aide", keys), Some("legal_aid"));
        assert_eq!(
            suggest("total_fertility", keys),
            Some("total_fertility_rate")
        );
        assert_eq!(suggest("youht_mentoring", keys), Some("youth_mentoring"));
        assert_eq!(suggest("zebra", keys), None);
    }

    #[test]
    fn long_inputs_get_no_suggestion_and_cost_no_time() {
        let long = "legal_aid".repeat(200_000);
        let started = std::time::Instant::now();
        assert_eq!(suggest(&long, ["legal_aid"]), None);
        assert!(started.elapsed().as_millis() < 50);
        assert_eq!(suggest(&"x".repeat(64), ["x"]), None);
        assert_eq!(suggest(&"x".repeat(63), ["x"]), Some("x"));
    }

    #[test]
    fn display_names_file_position_key_value_and_rule() {
        let e = ScenarioError {
            file: "s.toml".into(),
            position: Some((4, 3)),
            key_path: "regions[0].population_share".into(),
            value: "-0.2".into(),
            problem: "must be between 0 and 1 (fraction)".into(),
        };
        assert_eq!(
            e.to_string(),
            "s.toml:4:3: regions[0].population_share = -0.2: must be between 0 and 1 (fraction)"
        );
    }
}
