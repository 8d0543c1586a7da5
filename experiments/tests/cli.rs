//! End-to-end checks of the `cjsim` binary: outputs, determinism across thread counts, and bad
//! input (clear message, exit code 2, no output folder left behind).

use crate::common;

use common::cjsim;
use std::process::Output;

fn tempdir(name: &str) -> std::path::PathBuf {
    common::tempdir("cli", name)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

#[test]
fn run_writes_provenance_and_a_monthly_table() {
    let dir = tempdir("run");
    let o = cjsim(
        &["run", "--agents", "3000", "--years", "2", "--out", "r"],
        &dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let ts = std::fs::read_to_string(dir.join("r/timeseries.csv")).unwrap();
    let lines: Vec<&str> = ts.lines().collect();
    assert!(lines[0].starts_with("year,month,population,"));
    assert_eq!(lines.len(), 1 + 24);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("r/run.json")).unwrap()).unwrap();
    assert_eq!(json["scenario"]["name"], "coastal-middle-income");
    assert_eq!(json["agents"], 3000);
    assert_eq!(json["scenario"]["sha256"].as_str().unwrap().len(), 64);
    assert!(json["parameters"]["demography.total_fertility_rate"].is_number());
    // The resolved scenario in run.json reruns to the same table.
    std::fs::write(
        dir.join("again.toml"),
        json["resolved_scenario"].as_str().unwrap(),
    )
    .unwrap();
    let o = cjsim(&["run", "again.toml", "--out", "r2", "-q"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        ts,
        std::fs::read_to_string(dir.join("r2/timeseries.csv")).unwrap()
    );
}

#[test]
fn outputs_are_byte_identical_on_one_and_two_threads() {
    let dir = tempdir("threads");
    for t in ["1", "2"] {
        let o = cjsim(
            &[
                "run",
                "--agents",
                "20000",
                "--years",
                "3",
                "--threads",
                t,
                "--out",
                t,
                "-q",
            ],
            &dir,
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let a = std::fs::read(dir.join("1/timeseries.csv")).unwrap();
    let b = std::fs::read(dir.join("2/timeseries.csv")).unwrap();
    assert!(a.len() > 1000);
    assert_eq!(a, b);
}

/// Runs `cjsim run FILE` on `text` and checks the exit code, the message and that no output
/// folder (or staging folder) is left.
fn rejects(name: &str, text: Option<&str>, expected: &str) {
    let dir = tempdir(name);
    if let Some(t) = text {
        std::fs::write(dir.join("s.toml"), t).unwrap();
    }
    let o = cjsim(&["run", "s.toml", "--out", "out/r"], &dir);
    assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
    assert_eq!(stderr(&o).trim(), format!("error: {expected}"), "{name}");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != "s.toml")
        .collect();
    assert!(leftovers.is_empty(), "{name}: left {leftovers:?}");
}

#[test]
fn bad_input_gives_one_clear_message_exit_2_and_no_output() {
    rejects(
        "missing",
        None,
        "s.toml: cannot read the scenario file: no such file",
    );
    rejects(
        "malformed",
        Some("[scenario\nname = \"x\"\n"),
        "s.toml:1:10: not valid TOML: unclosed table, expected `]`",
    );
    rejects(
        "unknown",
        Some("[scenario]\nname = \"x\"\nseeds = 3\n"),
        "s.toml:3:1: scenario.seeds: unknown key; did you mean 'scenario.seed'?",
    );
    rejects(
        "negative",
        Some("[scenario]\nname = \"x\"\n[[regions]]\nname = \"a\"\npopulation_share = -1\n"),
        "s.toml:5:20: regions[0].population_share = -1: must be between 0 and 1 (fraction)",
    );
    rejects(
        "sum",
        Some(
            "[scenario]\nname = \"x\"\n[[regions]]\nname = \"a\"\npopulation_share = 0.6\n[[regions]]\nname = \"b\"\npopulation_share = 0.3\n",
        ),
        "s.toml:5:1: regions.population_share = shares summing to 0.9: must be shares summing to 1 (within 0.001)",
    );
}

#[test]
fn bad_overrides_and_flags_exit_2() {
    let dir = tempdir("flags");
    let o = cjsim(
        &["run", "--set", "demography.total_fertility_rate=-3"],
        &dir,
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).trim(),
        "error: --set: demography.total_fertility_rate = -3: must be between 0.5 and 8 (children per woman)"
    );
    let o = cjsim(&["run", "--threads", "0"], &dir);
    assert_eq!(o.status.code(), Some(2));
    let o = cjsim(&["run", "--bogus"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}

#[test]
fn scenarios_init_writes_a_template_that_validates_and_runs() {
    let dir = tempdir("init");
    let o = cjsim(&["scenarios", "init", "mine"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = cjsim(&["scenarios", "validate", "mine.toml"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = cjsim(
        &["run", "mine.toml", "--agents", "1000", "--years", "1", "-q"],
        &dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.join("out/mine/timeseries.csv").exists());
    let o = cjsim(&["scenarios", "list"], &dir);
    assert!(String::from_utf8_lossy(&o.stdout).contains("coastal-middle-income"));
}

#[test]
fn run_draws_a_report_and_report_redraws_it_or_changes_nothing() {
    let dir = tempdir("report");
    let o = cjsim(
        &[
            "run", "--agents", "5000", "--years", "3", "--out", "r", "-q",
        ],
        &dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(dir.join("r/report.html")).unwrap();
    assert!(html.contains("id=\"scorecard\"") && html.contains("<svg"));
    assert!(dir.join("r/charts/overview.png").exists());
    // A malformed table: a clear error, exit 2, and the existing report untouched.
    let q = std::fs::read_to_string(dir.join("r/indicators_quantiles.csv")).unwrap();
    std::fs::write(
        dir.join("r/indicators_quantiles.csv"),
        q.replacen("q95", "top", 1),
    )
    .unwrap();
    let o = cjsim(&["report", "r"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("indicators_quantiles.csv: no column 'q95' in the header"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("r/report.html")).unwrap(),
        html
    );
    assert!(
        std::fs::read_dir(dir.join("r")).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains("partial"))
    );
    // Repaired, it redraws.
    std::fs::write(dir.join("r/indicators_quantiles.csv"), q).unwrap();
    let o = cjsim(&["report", "r"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    // The run drew its report from the results in memory; redrawn from the written tables,
    // it is the same bytes (numbers in memory are held as their cells read back).
    assert_eq!(
        std::fs::read_to_string(dir.join("r/report.html")).unwrap(),
        html,
        "the report redrawn from the folder differs from the one drawn in memory"
    );
    let o = cjsim(
        &[
            "run",
            "--agents",
            "5000",
            "--years",
            "2",
            "--out",
            "n",
            "-q",
            "--no-report",
        ],
        &dir,
    );
    assert!(o.status.success());
    assert!(!dir.join("n/report.html").exists());
}

/// The memory prediction follows the population: the person table of a scenario whose
/// population grows by about a fifth in ten years is predicted that much larger at its end, and
/// one whose population shrinks keeps the rows it starts with (vacated rows are taken by
/// newcomers first, and the table is never given back). Science of the table, not plumbing:
/// the growth comes from a whole-length pilot of each scenario.
#[test]
fn the_memory_prediction_follows_the_population() {
    let mut p = sim_core::ModelParams::baseline();
    p.scenario.agents = 5_000;
    p.scenario.years = 10;
    p.demography.net_migration_per_1000 = 20.0;
    let growing = experiments::estimate::of(&p).unwrap();
    p.demography.net_migration_per_1000 = -20.0;
    let shrinking = experiments::estimate::of(&p).unwrap();
    assert!(growing.growth > 1.15, "growth {}", growing.growth);
    assert!(
        (1.0..1.01).contains(&shrinking.growth),
        "growth {}",
        shrinking.growth
    );
    if let (Some(a), Some(b)) = (
        growing.peak_bytes(1_000_000, 1),
        shrinking.peak_bytes(1_000_000, 1),
    ) {
        assert!(a > 1.1 * b, "{a} against {b}");
    }
}

/// `--dry-run` predicts time and memory from pilots and writes nothing; `--agents real` asks for
/// one agent per person, and a population above the agent bound is refused with its size.
#[test]
fn a_dry_run_predicts_time_and_memory_and_writes_nothing() {
    let dir = tempdir("dry-run");
    let o = cjsim(
        &["run", "--dry-run", "--agents", "real", "--years", "2"],
        &dir,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        out.contains("50.00 million agents (1 agent = 1.0 persons)"),
        "{out}"
    );
    assert!(
        out.contains("time: about") && out.contains("per replication on one core"),
        "{out}"
    );
    assert!(out.contains("memory: about") && out.contains("GB"), "{out}");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "nothing written"
    );
    let o = cjsim(
        &["run", "england-wales-2002", "--dry-run", "--agents", "real"],
        &dir,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("real population of 52.60 million persons"),
        "{}",
        stderr(&o)
    );
    let o = cjsim(&["run", "--agents", "many"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("or `real`"), "{}", stderr(&o));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}
