//! Issue 12: a structured fuzz test of the scenario reader. Every built-in scenario is mutated
//! (lines deleted, duplicated, swapped; values replaced by hostile ones; keys misspelt; tables
//! and huge or deep values inserted; the text truncated or salted with bytes) and read. Nothing
//! may panic, every error must name the file, and no input may take 2 s to validate. Mutants
//! that still validate are built into a (small) simulation and run for a year: a valid file
//! must never crash the model either.
//!
//! The budget is `CJSIM_FUZZ_CASES` mutants (default 1500, a few seconds in CI). A longer run:
//! `CJSIM_FUZZ_CASES=200000 CJSIM_FUZZ_SEED=7 cargo test --release -p scenarios --test integration -- fuzz:: --nocapture`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use sim_core::rng::fmix64;

/// A small deterministic generator (SplitMix64).
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        fmix64(self.0)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

/// Values that have broken readers before, or could.
fn hostile_values() -> Vec<String> {
    let mut v: Vec<String> = [
        "-1",
        "0",
        "-0.0",
        "1e308",
        "-1e308",
        "1e-320",
        "nan",
        "-nan",
        "inf",
        "-inf",
        "\"\"",
        "\"x\"",
        "true",
        "false",
        "[]",
        "[1, 2, 3]",
        "[\"a\", 1]",
        "{}",
        "{ a = 1 }",
        "1979-05-27T07:32:00Z",
        "9223372036854775807",
        "-9223372036854775808",
        "0x7fffffff",
        "0o777",
        "0b101",
        "1_000_000",
        "\"ssp5-8.5\"",
        "\"..\"",
        "\"a/b\"",
        "\"\\u0000\"",
        "[[1, 2], [3]]",
        "\"ñ漢字🙂\"",
        "3.5",
        "50000000",
        "2200",
        "1899",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push(format!("\"{}\"", "a".repeat(300)));
    v.push(format!("\"{}\"", "b".repeat(5000)));
    v.push(format!("[{}]", vec!["1"; 3000].join(", ")));
    v.push(format!("{}1{}", "[".repeat(60), "]".repeat(60)));
    v.push(format!("{}1{}", "{ a = ".repeat(60), " }".repeat(60)));
    v
}

fn inserted_lines() -> Vec<String> {
    let mut v: Vec<String> = [
        "[scenario]",
        "[[regions]]",
        "[[regions]]\nname = \"new\"\npopulation_share = 0.1",
        "[[interventions]]\nname = \"legal_aid\"",
        "[[interventions]]\nname = \"legal_aid\"\ncoverage = 2",
        "[[targets]]\nindicator = \"homicide_rate_per_100k\"\nyear = 2030\nlevel = 0",
        "[[targets]]",
        "[crime]\nhomicide = 3",
        "x.y.z = 1",
        "[climate.pathway]\nyears = [2025, 2025]\nwarming_c = [0, 1]",
        "[demography.age_structure]\nmale = [1]\nfemale = []",
        "regions = 3",
        "[justice]\n[justice]",
        "name = \"dup\"\nname = \"dup\"",
        "\u{feff}",
        "\t\t\t",
        "# comment ñ",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push(format!("{} = 1", "k".repeat(400)));
    v.push(format!(
        "a = {}",
        "{ b = ".repeat(80) + "1" + &" }".repeat(80)
    ));
    v
}

/// One mutation of `text`.
fn mutate(g: &mut Gen, text: &str, values: &[String], lines_pool: &[String]) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    let n = lines.len();
    match g.below(9) {
        0 => {
            lines.remove(g.below(n));
        }
        1 => {
            let i = g.below(n);
            let l = lines[i].clone();
            lines.insert(i, l);
        }
        2 => {
            let (i, j) = (g.below(n), g.below(n));
            lines.swap(i, j);
        }
        3 => {
            // Replace the value of a `key = value` line.
            let with_value: Vec<usize> = (0..n).filter(|&i| lines[i].contains(" = ")).collect();
            if let Some(&i) = with_value.get(g.below(with_value.len())) {
                let key = lines[i].split(" = ").next().unwrap_or("").to_string();
                lines[i] = format!("{key} = {}", g.pick(values));
            }
        }
        4 => {
            // Misspell a key by one character.
            let with_value: Vec<usize> = (0..n).filter(|&i| lines[i].contains(" = ")).collect();
            if let Some(&i) = with_value.get(g.below(with_value.len())) {
                let (key, rest) = lines[i].split_once(" = ").unwrap();
                let mut chars: Vec<char> = key.chars().collect();
                if !chars.is_empty() {
                    let k = g.below(chars.len());
                    match g.below(3) {
                        0 => {
                            chars.remove(k);
                        }
                        1 => chars.insert(k, 'x'),
                        _ => chars[k] = 'q',
                    }
                }
                lines[i] = format!("{} = {rest}", chars.into_iter().collect::<String>());
            }
        }
        5 => {
            let l = g.pick(lines_pool).clone();
            lines.insert(g.below(n + 1), l);
        }
        6 => {
            // Truncate at a character boundary.
            let joined = lines.join("\n");
            let mut cut = g.below(joined.len() + 1);
            while !joined.is_char_boundary(cut) {
                cut -= 1;
            }
            return joined[..cut].to_string();
        }
        7 => {
            // Salt with characters TOML treats specially.
            let salt = [
                '"', '\'', '[', ']', '{', '}', '=', '#', '\\', '\n', '\r', '.', ',', '\0',
            ];
            let mut joined: Vec<char> = lines.join("\n").chars().collect();
            for _ in 0..1 + g.below(4) {
                let at = g.below(joined.len() + 1);
                joined.insert(at, *g.pick(&salt));
            }
            return joined.into_iter().collect();
        }
        _ => {
            // Replace a whole section header.
            let headers: Vec<usize> = (0..n).filter(|&i| lines[i].starts_with('[')).collect();
            if let Some(&i) = headers.get(g.below(headers.len())) {
                lines[i] = g.pick(lines_pool).clone();
            }
        }
    }
    lines.join("\n") + "\n"
}

#[test]
fn mutated_scenarios_never_panic_and_every_error_names_the_file() {
    let cases: usize = std::env::var("CJSIM_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500);
    let seed: u64 = std::env::var("CJSIM_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let values = hostile_values();
    let pool = inserted_lines();
    let mut g = Gen(seed);
    let (mut valid, mut invalid, mut ran) = (0usize, 0usize, 0usize);
    let mut slowest = (Duration::ZERO, String::new());
    for case in 0..cases {
        let base = &scenarios::BUILTINS[case % scenarios::BUILTINS.len()];
        let mut text = base.text.to_string();
        for _ in 0..1 + g.below(3) {
            text = mutate(&mut g, &text, &values, &pool);
        }
        let label = format!("fuzz-{case}.toml");
        let started = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| scenarios::from_str(&label, &text)));
        let took = started.elapsed();
        if took > slowest.0 {
            slowest = (took, label.clone());
        }
        let result = result.unwrap_or_else(|_| panic!("{label} panicked; input:\n{text}"));
        assert!(
            took < Duration::from_secs(2),
            "{label} took {took:?}; input:\n{text}"
        );
        match result {
            Err(errors) => {
                invalid += 1;
                assert!(!errors.0.is_empty());
                for e in &errors.0 {
                    assert_eq!(e.file, label, "{e}");
                    assert!(e.to_string().starts_with(&label), "{e}");
                    assert!(e.to_string().len() < 2000, "an error echoes its input: {e}");
                }
            }
            Ok(s) => {
                valid += 1;
                // Valid files must run too: a small model for a year, every few cases.
                if valid % 10 == 1 {
                    let mut p = s.params.clone();
                    p.scenario.agents = 300;
                    p.scenario.real_population = p.scenario.real_population.max(300.0);
                    p.scenario.years = 1;
                    let ran_ok = catch_unwind(AssertUnwindSafe(|| {
                        if let Ok(sim) = sim_core::Simulation::new(p) {
                            sim.run_to_end();
                        }
                    }));
                    assert!(
                        ran_ok.is_ok(),
                        "{label} validated but the model panicked:\n{text}"
                    );
                    ran += 1;
                }
            }
        }
    }
    println!(
        "fuzz: {cases} mutants (seed {seed}): {invalid} rejected, {valid} valid, {ran} run; \
         slowest validation {:?} ({})",
        slowest.0, slowest.1
    );
    assert!(
        invalid > cases / 4 && valid > cases / 20,
        "mutations too weak or too strong"
    );
}
