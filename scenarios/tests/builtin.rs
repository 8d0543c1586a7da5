//! Built-in scenarios validate and round-trip through their resolved form.

#[test]
fn every_builtin_resolves() {
    for b in scenarios::BUILTINS {
        let s = scenarios::builtin(b.name).unwrap_or_else(|e| panic!("{}: {e}", b.name));
        assert_eq!(s.params.scenario.name, b.name);
    }
    assert!(scenarios::builtin("coastal-middle-incom").is_err());
}

#[test]
fn resolved_toml_reads_back_to_the_same_parameters() {
    for b in scenarios::BUILTINS {
        let s = scenarios::builtin(b.name).unwrap();
        let again = scenarios::from_str("resolved.toml", &s.resolved_toml())
            .unwrap_or_else(|e| panic!("{e}\n{}", s.resolved_toml()));
        assert_eq!(again.params, s.params);
        assert_eq!(again.targets, s.targets);
        assert_eq!(again.observed, s.observed);
    }
}

#[test]
fn the_commented_template_is_itself_a_valid_scenario() {
    let base = sim_core::ModelParams::baseline();
    let text = scenarios::render::to_toml(&base, true);
    let s = scenarios::from_str("template.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.params, base);
}

#[test]
fn overrides_are_checked_like_the_file() {
    let mut s = scenarios::builtin("coastal-middle-income").unwrap();
    s.apply_overrides(&[
        "demography.total_fertility_rate=1.5".into(),
        "regions[2].urban_share=0.6".into(),
    ])
    .unwrap();
    assert_eq!(s.params.demography.total_fertility_rate, 1.5);
    assert_eq!(s.params.regions[2].urban_share, 0.6);
    let e = s
        .apply_overrides(&["demography.total_fertility_rat=1.5".into()])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "--set: demography.total_fertility_rat = 1.5: unknown key; did you mean 'demography.total_fertility_rate'?"
    );
    let e = s
        .apply_overrides(&["regions.urban_share=2".into()])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "--set: regions.urban_share = 2: must be between 0 and 1 (fraction)"
    );
}

#[test]
fn intervention_fields_can_be_overridden_by_key_path() {
    let mut s = scenarios::builtin("coastal-middle-income").unwrap();
    assert!(s.params.interventions.is_empty());
    // Absent from the scenario: added with the catalogue's defaults, then changed.
    s.apply_overrides(&["interventions.legal_aid.coverage=0.6".into()])
        .unwrap();
    s.apply_overrides(&["interventions.legal_aid.ramp_months=0".into()])
        .unwrap();
    assert_eq!(s.params.interventions.len(), 1);
    let iv = &s.params.interventions[0];
    let entry = scenarios::catalogue::entry("legal_aid").unwrap();
    assert_eq!(
        (iv.coverage, iv.ramp_months, iv.effect),
        (0.6, 0.0, entry.effect)
    );
    assert_eq!(iv.start_year, f64::from(s.params.scenario.start_year) + 1.0);
    for (bad, says) in [
        ("interventions.legal_aid.coverage=1.5", "between 0 and 1"),
        (
            "interventions.legal_aide.coverage=0.5",
            "did you mean 'legal_aid'",
        ),
        (
            "interventions.legal_aid.coverag=0.5",
            "did you mean 'coverage'",
        ),
        ("interventions.legal_aid=0.5", "interventions.NAME.FIELD"),
        ("interventions.legal_aid.end_year=2000", "before it starts"),
    ] {
        let e = s.apply_overrides(&[bad.into()]).unwrap_err().to_string();
        assert!(e.contains(says), "{bad}: {e}");
    }
}

/// A value inside `spec`'s range that differs from `now` (or `now` itself for a key that
/// admits only one value).
fn another_value(spec: &sim_core::params::ParamSpec, now: f64) -> f64 {
    let (lo, hi) = (spec.min, spec.max.min(spec.min.abs().max(1.0) * 1e6));
    let candidates = [now * 1.25 + 0.01, now * 0.5, (lo + hi) / 2.0, lo, hi];
    candidates
        .into_iter()
        .map(|v| if spec.integer { v.round() } else { v })
        .find(|v| *v != now && spec.check(*v).is_ok())
        .unwrap_or(now)
}

/// Issue 14: a resolved scenario (run.json's `scenario.toml`, `scenarios show`) reproduces the
/// parameters for every key a scenario, `--set` or a sweep factor can set: each scalar key in
/// turn, and each structured key (pathways named and tabled, age structures, fertility).
#[test]
fn every_key_survives_the_resolved_round_trip() {
    let structured = [
        "climate.pathway=\"ssp5-8.5\"",
        "climate.pathway=\"ssp1-2.6\"",
        "climate.pathway.years=[2020, 2040, 2100]",
        "climate.pathway.warming_c=[0, 0.7, 2.5]",
        "demography.fertility_pattern=[1, 2, 3, 3, 2, 1, 0.5]",
        "demography.age_structure.male=[7,7,7,7,7,7,7,7,7,6,6,6,5,4,3,2,1]",
        "scenario.description=\"round trip\"",
        "scenario.start_year=2002",
        "scenario.real_population=60000000",
        "interventions.legal_aid.coverage=0.6",
        "interventions.court_capacity.effect=0.3",
        "interventions.early_release_older.start_year=2030",
    ];
    let mut checked = 0;
    for b in scenarios::BUILTINS {
        let base = scenarios::builtin(b.name).unwrap();
        let mut cases: Vec<String> = structured.iter().map(|s| s.to_string()).collect();
        // Every scalar key on the default scenario (rendering does not depend on the scenario;
        // the others have the same keys), the structured ones on all.
        let scalars = if b.name == scenarios::DEFAULT_SCENARIO {
            base.params.scalar_values()
        } else {
            Vec::new()
        };
        for (key, now) in scalars {
            let spec = sim_core::params::lookup(&key).unwrap().spec;
            let v = another_value(spec, now);
            if v != now {
                cases.push(format!("{key}={}", sim_core::params::fmt_num(v)));
            }
        }
        for case in cases {
            let mut s = base.clone();
            // Some values break a cross-field rule (shares that must sum to one): those are
            // refused at the override, which is not what this test is about.
            if s.apply_overrides(std::slice::from_ref(&case)).is_err()
                || !s.params.check().is_empty()
            {
                continue;
            }
            let text = s.resolved_toml();
            let again = scenarios::from_str("resolved.toml", &text)
                .unwrap_or_else(|e| panic!("{}: after {case}: {e}", b.name));
            assert_eq!(again.params, s.params, "{}: {case} is lost", b.name);
            checked += 1;
        }
    }
    eprintln!("{checked} keys round-tripped");
    assert!(checked > 250, "only {checked} keys could be set");
}
