//! The interface language of the report, the charts and the dashboard: English, French and
//! Spanish (three of the six official languages of the United Nations, those of most SDG 16
//! reporting).
//!
//! Text is written in English where it is used, wrapped in [`tr`] (or the [`t!`] macro for a
//! template with `{}` placeholders), and looked up in [`CATALOGUE`]. A tidy test reads the
//! sources and fails when a wrapped text has no entry, or an entry has a different number of
//! placeholders in a translation, so no text falls back to English silently.
//!
//! Numbers follow the language: `12,345.6` in English, `12 345,6` in French and Spanish (a
//! narrow no-break space between groups of three, as the Bureau international des poids et
//! mesures and the Real Academia Española recommend).

mod catalogue;

pub use catalogue::CATALOGUE;

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::OnceLock;

/// A language of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// French.
    Fr,
    /// Spanish.
    Es,
}

impl Lang {
    /// Every language, in menu order.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Fr, Lang::Es];

    /// The language of an ISO 639-1 code (`en`, `fr`, `es`; case-insensitive).
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }

    /// The ISO 639-1 code, as in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Es => "es",
        }
    }

    /// The language's name in itself, for a menu.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::Es => "Español",
        }
    }

    /// Writes a number formatted in English (`-12,345.6`) as this language writes it.
    pub fn number(self, english: &str) -> String {
        match self {
            Lang::En => english.to_string(),
            Lang::Fr | Lang::Es => english
                .chars()
                .map(|c| match c {
                    ',' => '\u{202f}',
                    '.' => ',',
                    other => other,
                })
                .collect(),
        }
    }
}

/// The allowed codes, for error messages.
pub const CODES: &str = "en, fr or es";

fn index() -> &'static HashMap<&'static str, (&'static str, &'static str)> {
    static INDEX: OnceLock<HashMap<&'static str, (&'static str, &'static str)>> = OnceLock::new();
    INDEX.get_or_init(|| {
        CATALOGUE
            .iter()
            .map(|(en, fr, es)| (*en, (*fr, *es)))
            .collect()
    })
}

/// `english` in `lang` (the English text itself when the catalogue lacks it; the tidy test
/// keeps that from happening for text in the sources).
pub fn tr(lang: Lang, english: &'static str) -> &'static str {
    match (lang, index().get(english)) {
        (Lang::Fr, Some((fr, _))) => fr,
        (Lang::Es, Some((_, es))) => es,
        _ => english,
    }
}

/// Fills the `{}` placeholders of `template` with `args`, in order.
pub fn fill(template: &str, args: &[&dyn Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16 * args.len());
    let mut rest = template;
    let mut args = args.iter();
    while let Some(at) = rest.find("{}") {
        out.push_str(&rest[..at]);
        if let Some(a) = args.next() {
            out.push_str(&a.to_string());
        }
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

/// `t!(lang, "Effect by {}", year)`: the template in `lang`, filled.
#[macro_export]
macro_rules! t {
    ($lang:expr, $en:literal $(, $arg:expr)* $(,)?) => {
        $crate::i18n::fill($crate::i18n::tr($lang, $en), &[$(&$arg as &dyn ::std::fmt::Display),*])
    };
}

/// The string literal that `rest` starts with (escapes undone), if it starts with one.
pub fn string_literal(rest: &str) -> Option<String> {
    let body = rest.strip_prefix('"')?;
    let mut text = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => text.push(chars.next()?),
            '"' => return Some(text),
            c => text.push(c),
        }
    }
    None
}

/// The English texts that source `code` wraps for translation: the string literal passed as
/// argument `arg` (counting from 0) of every call `opener` (`tr(`, `t!(`, or the page's `T(`).
/// The completeness tests read the sources with it, so no wrapped text can lack a translation.
pub fn wrapped_texts(code: &str, opener: &str, arg: usize) -> Vec<String> {
    let mut texts = Vec::new();
    for (at, _) in code.match_indices(opener) {
        // A whole name: not the end of `assert!(` or `str(`.
        let before = code[..at].chars().next_back().unwrap_or(' ');
        if before.is_alphanumeric() || before == '_' {
            continue;
        }
        let mut rest = &code[at + opener.len()..];
        for _ in 0..arg {
            match rest.find(',') {
                Some(comma) => rest = &rest[comma + 1..],
                None => rest = "",
            }
        }
        texts.extend(string_literal(rest.trim_start()));
    }
    texts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for l in Lang::ALL {
            assert_eq!(Lang::parse(l.code()), Some(l));
        }
        assert_eq!(Lang::parse("FR"), Some(Lang::Fr));
        assert_eq!(Lang::parse("de"), None);
    }

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(Lang::En.number("-12,345.6"), "-12,345.6");
        assert_eq!(Lang::Fr.number("-12,345.6"), "-12\u{202f}345,6");
        assert_eq!(Lang::Es.number("0.25"), "0,25");
    }

    #[test]
    fn templates_are_translated_then_filled() {
        assert_eq!(
            t!(Lang::En, "Effect by {} [90% CI]", 2030),
            "Effect by 2030 [90% CI]"
        );
        assert_eq!(
            t!(Lang::Fr, "Effect by {} [90% CI]", 2030),
            "Effet d'ici 2030 [IC à 90\u{a0}%]"
        );
        assert_eq!(fill("{} and {}", &[&1, &"two"]), "1 and two");
    }

    /// The English texts the sources wrap in `tr(lang, "...")` or `t!(lang, "...")`.
    fn wrapped_in_sources() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = vec![root.clone()];
        let mut texts = Vec::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy();
            if !name.ends_with(".rs") || name == "i18n.rs" || name == "catalogue.rs" {
                continue;
            }
            let code = std::fs::read_to_string(&path).unwrap();
            for opener in ["tr(", "t!("] {
                texts.extend(wrapped_texts(&code, opener, 1));
            }
        }
        texts
    }

    /// No text of the interface falls back to English: every text the sources wrap, and every
    /// title of the indicator tables, is in the catalogue.
    #[test]
    fn every_text_of_the_interface_is_translated() {
        let texts = wrapped_in_sources();
        assert!(texts.len() > 100, "found only {} texts", texts.len());
        let keys: std::collections::HashSet<&str> = CATALOGUE.iter().map(|c| c.0).collect();
        for t in &texts {
            assert!(keys.contains(t.as_str()), "no translation of {t:?}");
        }
        let tables = crate::HEADLINES
            .iter()
            .chain(crate::BY_GROUP)
            .flat_map(|(_, title, unit)| [*title, *unit])
            .chain(crate::FUNNEL_STEPS.iter().map(|s| s.0));
        for t in tables {
            assert!(keys.contains(t), "no translation of {t:?}");
        }
    }

    /// Every entry has a French and a Spanish text with the placeholders of the English one,
    /// and no English text is listed twice.
    #[test]
    fn the_catalogue_is_complete_and_consistent() {
        let mut seen = std::collections::HashSet::new();
        for (en, fr, es) in CATALOGUE {
            assert!(seen.insert(*en), "listed twice: {en}");
            for (lang, text) in [("fr", fr), ("es", es)] {
                assert!(!text.trim().is_empty(), "no {lang} for {en}");
                assert_eq!(
                    text.matches("{}").count(),
                    en.matches("{}").count(),
                    "placeholders of {lang} for {en}"
                );
            }
        }
    }
}
