//! Using the crates as a library: collectors a researcher registers on a simulation land in
//! the results (a column of the yearly table and `collected.csv`) without editing cjsim.
//! Plumbing, not science: the collector counts living agents at each year's end, which must
//! equal December's population in `timeseries.csv`.

use experiments::results::{RunInputs, of_run};
use sim_core::Simulation;
use sim_core::persons::Persons;

fn living(world: &sim_core::bevy_ecs::world::World) -> f64 {
    let persons = world.resource::<Persons>();
    persons.demographics().iter().filter(|d| d.alive()).count() as f64
}

fn outcomes(scenario: &scenarios::Scenario, collect: bool) -> Vec<sim_core::Outcome> {
    (0..2u64)
        .map(|r| {
            let mut p = scenario.params.clone();
            p.scenario.seed += r;
            let mut sim = Simulation::new(p).unwrap();
            if collect {
                sim.collect("living_agents", living);
            }
            sim.run_to_end()
        })
        .collect()
}

#[test]
fn a_registered_collector_lands_in_the_yearly_table_and_collected_csv() {
    let mut scenario = scenarios::load(scenarios::DEFAULT_SCENARIO).unwrap();
    scenario
        .apply_overrides(&["scenario.agents=3000".into(), "scenario.years=3".into()])
        .unwrap();
    let runs = outcomes(&scenario, true);
    let a = of_run(&RunInputs {
        scenario: &scenario,
        outcomes: &runs,
        threads: 1,
        precision: None,
        report: false,
    });
    let yearly = a.results.get("indicators_yearly.csv").unwrap();
    let col = yearly
        .column("living_agents")
        .expect("the collector's column");
    let long = a.results.get("collected.csv").expect("collected.csv");
    assert_eq!(long.len(), 2 * 3, "two replications x three years");
    assert!(a.files.iter().any(|f| f == "collected.csv"));
    // The mean over replications of the collector equals that of December's population.
    let months = |o: &sim_core::Outcome| {
        o.recorder
            .months
            .iter()
            .filter(|m| m.month == 12)
            .map(|m| m.population as f64)
            .collect::<Vec<_>>()
    };
    let decembers: Vec<Vec<f64>> = runs.iter().map(months).collect();
    for (i, year) in (0..yearly.len()).zip(2025..) {
        let mean = (decembers[0][i] + decembers[1][i]) / 2.0;
        let got = yearly.number(i, col).unwrap();
        assert!((got - mean).abs() < 1e-6, "{year}: {got} vs {mean}");
        assert!(got > 0.9 * 3000.0 && got < 1.1 * 3000.0);
    }
    // Without collectors the tables are those of `cjsim run`.
    let plain = outcomes(&scenario, false);
    let b = of_run(&RunInputs {
        scenario: &scenario,
        outcomes: &plain,
        threads: 1,
        precision: None,
        report: false,
    });
    assert!(b.results.get("collected.csv").is_none());
    let header = &b.results.get("indicators_yearly.csv").unwrap().header;
    assert_eq!(header.len(), sim_core::indicators::YEAR_COLUMNS.len());
}
