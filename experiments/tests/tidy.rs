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
        "{rel} is out of date: run `UPDATE_DOCS=1 cargo test -p experiments --test tidy`"
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
