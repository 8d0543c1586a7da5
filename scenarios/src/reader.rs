//! The one TOML reader of cjsim's input files (scenarios and sweeps): it records where each
//! key was written, reads typed values, and collects every problem with its file, line,
//! column, key path and value instead of stopping at the first.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::error::ScenarioError;
use crate::resolve::{number, show};

/// A value was present but wrong; the problem is in [`Reader::errors`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recorded;

/// Collects problems with their positions while a file is read.
pub struct Reader<'t> {
    /// The file's name, for messages.
    pub file: &'t str,
    /// The file's text, for line and column numbers.
    pub text: &'t str,
    /// Every problem found so far.
    pub errors: Vec<ScenarioError>,
    /// Where each key path was written.
    pub spans: HashMap<String, Range<usize>>,
}

impl<'t> Reader<'t> {
    /// A reader of `text`, read from `file`, with no problems yet.
    pub fn new(file: &'t str, text: &'t str) -> Self {
        Reader {
            file,
            text,
            errors: Vec::new(),
            spans: HashMap::new(),
        }
    }

    /// Records a problem at `span` (line and column computed from the text).
    pub fn error(&mut self, span: Option<Range<usize>>, key: &str, value: String, problem: String) {
        self.errors.push(ScenarioError::at(
            self.file, self.text, span, key, value, problem,
        ));
    }

    /// Reports keys of `t` (at `path`) that are not in `known`, with a suggestion.
    pub fn unknown_keys(&mut self, t: &DeTable<'_>, path: &str, known: &[&str]) {
        for (k, _) in t.iter() {
            let name = k.get_ref().as_ref();
            if known.contains(&name) {
                continue;
            }
            let full = if path.is_empty() {
                name.to_string()
            } else {
                format!("{path}.{name}")
            };
            let problem = match crate::error::suggest(name, known.iter().copied()) {
                Some(s) => format!("unknown key; did you mean '{s}'?"),
                None => format!("unknown key; allowed here: {}", known.join(", ")),
            };
            self.error(Some(k.span()), &full, String::new(), problem);
        }
    }

    /// The value at `key` of `t`, recording its span under `path.key`.
    pub fn get<'a, 'i>(
        &mut self,
        t: &'a DeTable<'i>,
        path: &str,
        key: &str,
    ) -> Option<&'a Spanned<DeValue<'i>>> {
        let (k, v) = t.get_key_value(key)?;
        self.spans.insert(format!("{path}.{key}"), k.span());
        Some(v)
    }

    /// The string at `key` of `t`.
    pub fn string(&mut self, t: &DeTable<'_>, path: &str, key: &str) -> Option<String> {
        let v = self.get(t, path, key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            other => {
                self.error(
                    Some(v.span()),
                    &format!("{path}.{key}"),
                    show(other),
                    "must be a string".into(),
                );
                None
            }
        }
    }

    /// A whole number in `[lo, hi]`; `Err(Recorded)` when present but wrong.
    pub fn whole(
        &mut self,
        t: &DeTable<'_>,
        path: &str,
        key: &str,
        lo: u64,
        hi: u64,
        meaning: &str,
    ) -> Result<Option<u64>, Recorded> {
        let Some(v) = self.get(t, path, key) else {
            return Ok(None);
        };
        match number(v.get_ref()) {
            Some(x) if x.fract() == 0.0 && x >= lo as f64 && x <= hi as f64 => Ok(Some(x as u64)),
            _ => {
                self.error(
                    Some(v.span()),
                    &format!("{path}.{key}"),
                    show(v.get_ref()),
                    format!("must be a whole number between {lo} and {hi} ({meaning})"),
                );
                Err(Recorded)
            }
        }
    }

    /// The boolean at `key` of `t`.
    pub fn boolean(&mut self, t: &DeTable<'_>, path: &str, key: &str) -> Option<bool> {
        let v = self.get(t, path, key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                self.error(
                    Some(v.span()),
                    &format!("{path}.{key}"),
                    show(other),
                    "must be true or false".into(),
                );
                None
            }
        }
    }

    /// The table at `key` of `t`.
    pub fn table<'a, 'i>(
        &mut self,
        t: &'a DeTable<'i>,
        path: &str,
        key: &str,
    ) -> Option<&'a DeTable<'i>> {
        let v = self.get(t, path, key)?;
        match v.get_ref() {
            DeValue::Table(inner) => Some(inner),
            other => {
                let full = if path.is_empty() {
                    key.to_string()
                } else {
                    format!("{path}.{key}")
                };
                self.error(Some(v.span()), &full, show(other), "must be a table".into());
                None
            }
        }
    }

    /// The span of `path` or its nearest recorded ancestor.
    pub fn span(&self, path: &str) -> Option<Range<usize>> {
        let mut p = path;
        loop {
            if let Some(s) = self.spans.get(p) {
                return Some(s.clone());
            }
            p = p.rsplit_once('.')?.0;
        }
    }
}
