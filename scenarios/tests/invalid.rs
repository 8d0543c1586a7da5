//! Data-driven checks of bad scenario files: each file under `tests/invalid/` starts with
//! `# expect: MESSAGE` and must produce exactly that message (all messages, one per line).

use std::fs;

#[test]
fn every_invalid_file_gives_its_expected_message() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/invalid");
    let mut names: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    assert!(names.len() >= 10, "only {} cases", names.len());
    let mut failures = Vec::new();
    for name in &names {
        let text = fs::read_to_string(format!("{dir}/{name}")).unwrap();
        let expected: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# expect: "))
            .collect();
        assert!(!expected.is_empty(), "{name} has no '# expect:' line");
        let label = format!("invalid/{name}");
        match scenarios::from_str(&label, &text) {
            Ok(_) => failures.push(format!("{name}: accepted, expected an error")),
            Err(e) => {
                let got = e.to_string();
                if got != expected.join("\n") {
                    failures.push(format!(
                        "{name}:\n  expected: {}\n  got:      {got}",
                        expected.join("\n")
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_missing_file_is_named_in_the_error() {
    let e = scenarios::load_file(std::path::Path::new("no/such/scenario.toml")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "no/such/scenario.toml: cannot read the scenario file: no such file"
    );
}

#[test]
fn several_problems_are_reported_together_in_file_order() {
    let text = "[scenario]\nname = \"x\"\nyears = 0\n[demography]\ntotal_fertility_rate = 99\n";
    let e = scenarios::from_str("s.toml", text).unwrap_err();
    assert_eq!(e.0.len(), 2, "{e}");
    assert_eq!(e.0[0].key_path, "scenario.years");
    assert_eq!(e.0[1].key_path, "demography.total_fertility_rate");
}
