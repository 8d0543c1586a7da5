//! Tidiness enforced by `cargo test`: every source file says what it is for, no test is hidden
//! or inverted, the generated docs are current, every parameter has a source.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if p.is_dir() {
            if name != "target" && !name.starts_with('.') && name != "out" {
                rust_files(&p, out);
            }
        } else if name.ends_with(".rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_source_file_opens_with_a_doc_line_and_no_test_is_hidden() {
    let mut files = Vec::new();
    for krate in [
        "sim-core",
        "scenarios",
        "viz",
        "experiments",
        "benches",
        "python",
    ] {
        rust_files(&root().join(krate), &mut files);
    }
    assert!(files.len() > 20);
    let mut problems = Vec::new();
    let banned = [concat!("#[should", "_panic"), concat!("#[ig", "nore")];
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let first = text.lines().next().unwrap_or("");
        if !first.starts_with("//!") {
            problems.push(format!("{}: first line is not a //! doc line", f.display()));
        }
        for b in banned {
            if text.contains(b) {
                problems.push(format!("{}: uses {b}", f.display()));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

fn check_generated(rel: &str, fresh: String) {
    let path = root().join(rel);
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{rel} is out of date: run `UPDATE_DOCS=1 cargo test -p experiments --test integration -- tidy::`"
    );
}

#[test]
fn generated_docs_are_current() {
    check_generated(
        "docs/parameters.md",
        experiments::docs::parameters_markdown(),
    );
    check_generated("docs/outputs.md", experiments::docs::outputs_markdown());
    check_generated(
        "docs/interventions.md",
        experiments::docs::interventions_markdown(),
    );
}

#[test]
fn every_parameter_has_a_unit_a_meaning_and_a_source() {
    for s in sim_core::params::PARAMETERS {
        assert!(!s.unit.is_empty(), "{}: no unit", s.key);
        assert!(s.meaning.len() > 10, "{}: no meaning", s.key);
        assert!(s.source.text().len() > 10, "{}: no source", s.key);
    }
}

/// The public items of sim-core (top-level `pub` items of every module; `pub(crate)` ones are
/// private to the model), one per line as `module kind name`.
fn sim_core_public_items() -> Vec<String> {
    let mut files = Vec::new();
    rust_files(&root().join("sim-core/src"), &mut files);
    let src = root().join("sim-core/src");
    let mut items = Vec::new();
    for f in files {
        let module = f
            .strip_prefix(&src)
            .unwrap()
            .with_extension("")
            .to_string_lossy()
            .replace('/', "::");
        let text = std::fs::read_to_string(&f).unwrap();
        for line in text.lines() {
            let Some(rest) = line.strip_prefix("pub ") else {
                continue;
            };
            let mut words = rest.split(|c: char| !(c.is_alphanumeric() || c == '_'));
            let kind = words.next().unwrap_or("");
            if !matches!(
                kind,
                "fn" | "struct" | "enum" | "const" | "static" | "type" | "trait" | "mod" | "use"
            ) {
                continue;
            }
            let name = if kind == "use" {
                rest.trim_end_matches(';')
                    .trim_start_matches("use ")
                    .to_string()
            } else {
                words.find(|w| !w.is_empty()).unwrap_or("").to_string()
            };
            items.push(format!("{module} {kind} {name}"));
        }
    }
    items.sort();
    items
}

/// sim-core's public API is reviewed: every public item is listed in `sim-core/public-api.txt`,
/// so an addition (or a removal) shows up in review. An item is public only if it is in the
/// prelude, used by another crate, or part of a public signature (a system users order their own
/// against, a resource their systems read); everything else is `pub(crate)`. After a reviewed
/// change: `UPDATE_DOCS=1 cargo test -p experiments --test integration -- tidy::`.
#[test]
fn sim_core_public_api_is_reviewed() {
    let fresh = sim_core_public_items().join("\n") + "\n";
    let path = root().join("sim-core/public-api.txt");
    if std::env::var("UPDATE_DOCS").is_ok() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let listed = std::fs::read_to_string(&path).unwrap_or_default();
    let old: Vec<&str> = listed.lines().collect();
    let new: Vec<&str> = fresh.lines().collect();
    let added: Vec<&&str> = new.iter().filter(|l| !old.contains(l)).collect();
    let removed: Vec<&&str> = old.iter().filter(|l| !new.contains(l)).collect();
    assert!(
        added.is_empty() && removed.is_empty(),
        "sim-core's public API changed; review it (make what other crates do not need \
         pub(crate)), then UPDATE_DOCS=1 cargo test -p experiments --test integration -- tidy::\nadded: {added:?}\n\
         removed: {removed:?}"
    );
}

/// The texts of the dashboard page: every `T("...")` and `TF("...")` of its script, the
/// headline labels, and the text of every element marked `data-i18n` (whitespace collapsed,
/// as the page collapses it).
fn page_texts() -> Vec<String> {
    let page = std::fs::read_to_string(root().join("experiments/src/serve/page.html")).unwrap();
    let mut texts = viz::i18n::wrapped_texts(&page, "T(", 0);
    texts.extend(viz::i18n::wrapped_texts(&page, "TF(", 0));
    for (at, _) in page.match_indices(" data-i18n>") {
        let rest = &page[at + " data-i18n>".len()..];
        let end = rest.find('<').unwrap();
        texts.push(rest[..end].split_whitespace().collect::<Vec<_>>().join(" "));
    }
    let labels = &page[page.find("const LABELS = {").unwrap()..];
    let labels = &labels[..labels.find("};").unwrap()];
    for (at, _) in labels.match_indices(":\"") {
        texts.extend(viz::i18n::string_literal(&labels[at + 1..]));
    }
    texts
}

/// The dashboard speaks every language of the report: each of its texts is in the catalogue
/// (viz::i18n), so switching to French or Spanish leaves no English behind.
#[test]
fn every_text_of_the_dashboard_is_translated() {
    let texts = page_texts();
    assert!(texts.len() > 50, "found only {} texts", texts.len());
    let keys: std::collections::HashSet<&str> = viz::i18n::CATALOGUE.iter().map(|c| c.0).collect();
    for t in texts.iter().map(String::as_str).chain(["small", "medium"]) {
        assert!(keys.contains(t), "no translation of {t:?}");
    }
}
