//! Issue 18, the statistical system's view: `survey.csv` holds a survey each year and
//! replication with intervals that mostly cover the truth, and `sdg.csv` is SDMX-CSV that a
//! real SDMX reader (the `sdmx1` package) parses, with the values of `indicators_yearly.csv`.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use crate::common::{cjsim, python_has, tempdir, text};

fn table(path: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect()
}

fn number(row: &HashMap<String, String>, column: &str) -> f64 {
    row[column]
        .parse()
        .unwrap_or_else(|_| panic!("{column} = {:?}", row[column]))
}

/// A five-year run of the default scenario at 20,000 agents with `reps` replications.
fn run_reps(name: &str, reps: &str) -> std::path::PathBuf {
    let dir = tempdir("measured", name);
    let args = [
        "run",
        "--agents",
        "20000",
        "--years",
        "5",
        "--reps",
        reps,
        "--no-report",
        "-q",
        "--out",
        "out",
    ];
    let o = cjsim(&args, &dir);
    assert!(o.status.success(), "{}", text(&o));
    dir.join("out")
}

/// The same with three replications.
fn run(name: &str) -> std::path::PathBuf {
    run_reps(name, "3")
}

#[test]
fn the_survey_is_reported_each_year_and_its_intervals_cover_the_truth() {
    let out = run("survey");
    let rows = table(&out.join("survey.csv"));
    // Plumbing: 3 replications x 5 years x 5 indicators.
    let indicators = sim_core::survey::SURVEY_INDICATORS.len();
    assert_eq!(indicators, 5);
    assert_eq!(rows.len(), 3 * 5 * indicators);
    let mut covered = 0;
    for r in &rows {
        let (low, high, truth) = (
            number(r, "ci95_low"),
            number(r, "ci95_high"),
            number(r, "true_value"),
        );
        assert!(low < high && number(r, "standard_error") > 0.0, "{r:?}");
        // The first year has no incident before the start to telescope; later years' default
        // telescoping (19%) biases prevalence up, so only the first year is checked for cover.
        if r["year"] == "2025" {
            covered += usize::from(low <= truth && truth <= high);
        }
        assert!(number(r, "respondents") < number(r, "issued"));
    }
    // 15 first-year intervals at 95%: 12 or more cover the truth unless the survey is biased
    // (a binomial(15, 0.95) gives fewer than 12 with probability 0.5%).
    assert!(
        covered >= 12,
        "{covered} of 15 first-year intervals cover the truth"
    );
}

/// `sdg.csv` read by sdmx1, as JSON; `None` when python3 with sdmx1 is missing outside CI.
fn read_with_sdmx1(path: &Path) -> Option<serde_json::Value> {
    if !python_has("sdmx.reader.csv", "sdmx1") {
        return None;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/read_sdmx.py");
    let o = Command::new("python3")
        .arg(script)
        .arg(path)
        .arg(experiments::sdg::SDG_DIMENSIONS.join(","))
        .arg(experiments::sdg::SDG_ATTRIBUTES.join(","))
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "sdmx1 rejects {}: {}",
        path.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    Some(serde_json::from_slice(&o.stdout).unwrap())
}

#[test]
fn sdg_csv_parses_as_sdmx_and_holds_the_yearly_indicators() {
    let out = run("sdg");
    let Some(read) = read_with_sdmx1(&out.join("sdg.csv")) else {
        return;
    };
    let rows = table(&out.join("sdg.csv"));
    let observations = read["observations"].as_array().unwrap();
    assert_eq!(
        observations.len(),
        rows.len(),
        "every row is an observation"
    );
    let yearly = table(&out.join("indicators_yearly.csv"));
    let value = |series: &str, sex: &str, year: &str| {
        observations
            .iter()
            .find(|o| {
                o["key"]["SERIES"] == series
                    && o["key"]["SEX"] == sex
                    && o["key"]["TIME_PERIOD"] == year
            })
            .unwrap_or_else(|| panic!("{series} {sex} {year}"))
    };
    for y in &yearly {
        let year = &y["year"];
        for (series, column) in [
            ("VC_IHR_PSRC", "homicide_rate_per_100k"),
            ("VC_PRS_UNSNT", "unsentenced_share_pct"),
            ("VC_VAW_MARR", "gbv_prevalence_women_pct"),
            ("VC_VOV_PHYL", "physical_violence_pct"),
            ("VC_VOV_SEXL", "sexual_violence_pct"),
            ("VC_VOV_ROBB", "robbery_victimisation_pct"),
            ("VC_PRR_PHYV", "reporting_rate_physical_pct"),
            ("VC_PRR_SEXV", "reporting_rate_sexual_pct"),
        ] {
            let o = value(series, "_T", year);
            assert_eq!(
                o["value"].as_f64().unwrap(),
                number(y, column),
                "{series} {year}"
            );
            assert_eq!(o["attributes"]["NATURE"], "M", "modelled");
        }
        // Homicide by sex brackets the total (men are most victims).
        let t = value("VC_IHR_PSRC", "_T", year)["value"].as_f64().unwrap();
        let m = value("VC_IHR_PSRC", "M", year)["value"].as_f64().unwrap();
        let f = value("VC_IHR_PSRC", "F", year)["value"].as_f64().unwrap();
        assert!(f < t && t < m, "{year}: women {f}, all {t}, men {m}");
    }
}

#[test]
fn administrative_statistics_add_up_to_the_other_tables() {
    // Plumbing: one replication, so every table describes the same run.
    let out = run_reps("admin", "1");
    let admin = table(&out.join("admin.csv"));
    let get = |year: &str, source: &str, statistic: &str| {
        admin
            .iter()
            .find(|r| r["year"] == year && r["source"] == source && r["statistic"] == statistic)
            .map(|r| number(r, "value"))
            .unwrap_or_else(|| panic!("{year} {source} {statistic}"))
    };
    let ages = table(&out.join("prison_ages.csv"));
    let yearly = table(&out.join("indicators_yearly.csv"));
    for y in &yearly {
        let year = y["year"].as_str();
        let prisoners = get(year, "prison_census", "prisoners");
        let by_age: f64 = ages
            .iter()
            .filter(|r| r["year"] == year)
            .map(|r| number(r, "prisoners"))
            .sum();
        assert!(
            (prisoners - by_age).abs() < 1e-6,
            "{year}: {prisoners} vs {by_age}"
        );
        let unsentenced = get(year, "prison_census", "unsentenced");
        let split = unsentenced + get(year, "prison_census", "sentenced");
        assert!((prisoners - split).abs() < 1e-6);
        let share = 100.0 * unsentenced / prisoners;
        assert!(
            (share - number(y, "unsentenced_share_pct")).abs() < 1e-4,
            "{year}"
        );
        // Recorded violence: homicide, assault and gender-based violence per 100,000.
        let violence: f64 = ["homicide", "assault", "gbv"]
            .iter()
            .map(|t| get(year, "police", t))
            .sum();
        let rate = 1e5 * violence / number(y, "population");
        let expected = number(y, "recorded_violence_per_100k");
        assert!(
            (rate - expected).abs() < 1e-6 * expected,
            "{year}: {rate} vs {expected}"
        );
        let pending = get(year, "courts", "pending_cases_31_december");
        assert!(
            (pending - number(y, "court_backlog_cases")).abs() < 1e-6,
            "{year}"
        );
    }
}
