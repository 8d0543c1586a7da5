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
