//! Issue 12: bounded, consistent validation. Every bad argument or file gets a message naming
//! what is wrong and exit code 2, quickly, whatever its size; duplicates, unusable names,
//! empty files and degenerate targets are errors in every entry point.

use crate::common;

use std::time::{Duration, Instant};

use common::{cjsim, text};

fn tempdir(name: &str) -> std::path::PathBuf {
    common::tempdir("badin", name)
}

/// Runs cjsim in `dir` and checks exit 2, a message containing `expected`, and an answer
/// within 2 seconds.
fn refused(dir: &std::path::Path, args: &[&str], expected: &str) {
    let started = Instant::now();
    let o = cjsim(args, dir);
    let took = started.elapsed();
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {t}");
    assert!(
        t.contains(expected),
        "{args:?}: expected {expected:?} in\n{t}"
    );
    assert!(took < Duration::from_secs(2), "{args:?} took {took:?}");
    assert!(
        t.len() < 4000,
        "{args:?}: the message echoes the input: {} bytes",
        t.len()
    );
}

const SCENARIO_HEAD: &str = "[scenario]\nname = \"x\"\n";

#[test]
fn duplicate_interventions_are_errors_everywhere() {
    let dir = tempdir("dups");
    refused(
        &dir,
        &["compare", "--arm", "x=legal_aid,legal_aid", "--reps", "1"],
        "legal_aid is listed twice",
    );
    refused(
        &dir,
        &[
            "compare",
            "--arm",
            "x=legal_aid:0.5,legal_aid:0.9",
            "--reps",
            "1",
        ],
        "listed twice",
    );
    std::fs::write(
        dir.join("d.toml"),
        format!(
            "{SCENARIO_HEAD}[[interventions]]\nname = \"legal_aid\"\n[[interventions]]\nname = \"legal_aid\"\n"
        ),
    )
    .unwrap();
    refused(
        &dir,
        &["scenarios", "validate", "d.toml"],
        "d.toml:6:1: interventions[1].name = \"legal_aid\": must be an intervention listed once",
    );
    assert!(!dir.join("out").exists());
}

#[test]
fn unusable_names_empty_files_and_degenerate_targets_are_refused() {
    let dir = tempdir("names");
    for (name, file) in [
        (".", "dot"),
        ("..", "dotdot"),
        ("a/b", "slash"),
        (".hidden", "hid"),
    ] {
        std::fs::write(
            dir.join(format!("{file}.toml")),
            format!("[scenario]\nname = \"{name}\"\n"),
        )
        .unwrap();
        refused(
            &dir,
            &["scenarios", "validate", &format!("{file}.toml")],
            "scenario.name",
        );
    }
    std::fs::write(dir.join("empty.toml"), "").unwrap();
    refused(
        &dir,
        &["scenarios", "validate", "empty.toml"],
        "empty.toml: scenario.name: is missing",
    );
    std::fs::write(
        dir.join("zero.toml"),
        format!("{SCENARIO_HEAD}[crime]\ngbv_prevalence_women_pct = 0\n"),
    )
    .unwrap();
    refused(
        &dir,
        &["scenarios", "validate", "zero.toml"],
        "crime.gbv_prevalence_women_pct = 0: must be between 0.1 and 60",
    );
    refused(
        &dir,
        &["run", "--set", "crime.homicide_rate_per_100k=0", "-q"],
        "must be between 0.05 and 150",
    );
    assert!(!dir.join("out").exists());
}

#[test]
fn huge_inputs_are_refused_quickly_without_suggestions() {
    let dir = tempdir("huge");
    refused(&dir, &["run", "--threads", "4294967296"], "--threads");
    refused(
        &dir,
        &["run", "--threads", "100000"],
        "must be between 1 and",
    );
    refused(&dir, &["run", "--reps", "4000000000"], "--reps");
    refused(&dir, &["run", "/dev/zero"], "larger than 1 MB");
    refused(
        &dir,
        &["scenarios", "validate", "/dev/zero"],
        "larger than 1 MB",
    );
    // A 900 KB name: under the file bound, over the name bound.
    std::fs::write(
        dir.join("long.toml"),
        format!("[scenario]\nname = \"{}\"\n", "n".repeat(900_000)),
    )
    .unwrap();
    refused(
        &dir,
        &["scenarios", "validate", "long.toml"],
        "must be at most 200 characters",
    );
    std::fs::write(
        dir.join("key.toml"),
        format!("{SCENARIO_HEAD}[crime]\n{} = 1\n", "k".repeat(900_000)),
    )
    .unwrap();
    refused(
        &dir,
        &["scenarios", "validate", "key.toml"],
        "keys are at most 200",
    );
    let key = format!("{}=1", "demography.".repeat(10_000));
    refused(&dir, &["run", "--set", &key], "keys are at most 200");
    let arm = format!("x={}", "legal_aide".repeat(10_000));
    refused(&dir, &["compare", "--arm", &arm], "too long");
    let arm = format!("x={}", "legal_aide".repeat(15));
    refused(&dir, &["compare", "--arm", &arm], "unknown intervention");
    assert!(!dir.join("out").exists());
}

#[test]
fn text_that_is_not_utf8_is_placed_and_bad_paths_exit_2() {
    let dir = tempdir("bytes");
    std::fs::write(dir.join("b.toml"), b"[scenario]\nname = \"x\xff\"\n").unwrap();
    refused(
        &dir,
        &["scenarios", "validate", "b.toml"],
        "b.toml:2:10: cannot read the scenario file: not UTF-8",
    );
    std::fs::write(dir.join("f"), "a file").unwrap();
    refused(
        &dir,
        &[
            "run", "--out", "f/sub", "--agents", "1000", "--years", "1", "-q",
        ],
        "f/sub",
    );
    refused(&dir, &["report", "nowhere"], "not a cjsim result folder");
}
