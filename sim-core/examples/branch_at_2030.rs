//! Branch at 2030: run the baseline once to January 2030, take a snapshot, and continue it
//! with different interventions from there. Each branch equals a fresh run with those
//! interventions (same seeds, common random numbers) but skips the set-up and the first five
//! years, which is how the dashboard answers a change of policy quickly.
//!
//! `cargo run --release -p sim-core --example branch_at_2030`

use sim_core::interventions::{Intervention, Mechanism, MechanismRef};
use sim_core::mechanisms;
use sim_core::{ModelParams, Simulation};

/// An intervention in force from January 2030, at 60% coverage after a six-month ramp.
fn from_2030(name: &str, mechanism: &'static dyn Mechanism, effect: f64) -> Intervention {
    Intervention {
        name: name.into(),
        mechanism: MechanismRef(mechanism),
        coverage: 0.6,
        start_year: 2030.0,
        end_year: 2040.0,
        ramp_months: 6.0,
        effect,
        unit_cost: 0.0,
    }
}

/// One arm's values: (arm, unsentenced share % in 2035, prisoners per 100,000 in 2035, 50+ share
/// % averaged over 2031-2040).
type Row = (String, f64, f64, f64);

/// The baseline and two branches from its January 2030 snapshot, at `agents` agents.
fn compare(agents: u32) -> Vec<Row> {
    let mut p = ModelParams::baseline();
    p.scenario.agents = agents;
    p.scenario.years = 11;
    let mut baseline = Simulation::new(p).expect("the baseline parameters are valid");
    let january_2030 = 12 * (2030 - baseline.params().scenario.start_year) as u32;
    while baseline.calendar().month_index < january_2030 {
        baseline.step();
    }
    let snapshot = baseline.snapshot();
    let arms = [
        ("baseline", Vec::new()),
        (
            "legal aid",
            vec![from_2030("legal_aid", &mechanisms::LegalAid, 0.3)],
        ),
        (
            "early release of older prisoners",
            vec![from_2030(
                "early_release_older",
                &mechanisms::EarlyReleaseOlder,
                0.2,
            )],
        ),
    ];
    arms.into_iter()
        .map(|(name, interventions)| {
            let outcome = Simulation::branch(&snapshot, interventions)
                .expect("interventions from 2030 may branch from a 2030 snapshot")
                .run_to_end();
            let y = outcome
                .years
                .iter()
                .find(|y| y.year == 2035)
                .expect("the run covers 2035");
            let later: Vec<f64> = outcome
                .years
                .iter()
                .filter(|y| y.year > 2030)
                .map(|y| y.older_prisoner_share_pct)
                .collect();
            (
                name.to_string(),
                y.unsentenced_share_pct,
                y.prison_population_per_100k,
                later.iter().sum::<f64>() / later.len() as f64,
            )
        })
        .collect()
}

fn main() {
    let clock = std::time::Instant::now();
    let rows = compare(200_000);
    let branched = clock.elapsed();
    let clock = std::time::Instant::now();
    let mut p = ModelParams::baseline();
    p.scenario.agents = 200_000;
    p.scenario.years = 11;
    p.interventions = vec![from_2030("legal_aid", &mechanisms::LegalAid, 0.3)];
    let fresh = Simulation::new(p).expect("valid").run_to_end();
    let fresh_time = clock.elapsed();
    assert_eq!(
        fresh
            .years
            .iter()
            .find(|y| y.year == 2035)
            .map(|y| y.prison_population_per_100k),
        Some(rows[1].2),
        "a branch equals a fresh run"
    );
    println!("Branching from a January 2030 snapshot (200,000 agents):");
    println!(
        "{:34} {:>12} {:>14} {:>14}",
        "arm", "unsentenced", "prisoners/100k", "aged 50+"
    );
    println!(
        "{:34} {:>12} {:>14} {:>14}",
        "", "2035", "2035", "2031-2040"
    );
    for (arm, unsentenced, prisoners, older) in rows {
        println!("{arm:34} {unsentenced:11.1}% {prisoners:14.1} {older:13.1}%");
    }
    println!(
        "Baseline to 2030 and three branches to 2035: {:.2} s; one fresh run with legal aid \
         (set-up and 2025-2035): {:.2} s; its 2035 value equals the branch's.",
        branched.as_secs_f64(),
        fresh_time.as_secs_f64()
    );
}

#[cfg(test)]
mod tests {
    use super::compare;

    /// Legal aid from 2030 cuts pre-trial detention, custody and sentence lengths, so fewer
    /// people are in prison in 2035 (the unsentenced share need not fall: the sentenced fall
    /// too); the early release of older prisoners lowers their share.
    #[test]
    fn the_branches_move_what_their_interventions_act_on() {
        let rows = compare(200_000);
        let (base, aid, release) = (&rows[0], &rows[1], &rows[2]);
        assert!(
            aid.2 < 0.95 * base.2,
            "prisoners {:.1} against {:.1}",
            aid.2,
            base.2
        );
        assert!(
            release.3 < base.3,
            "50+ {:.1}% against {:.1}%",
            release.3,
            base.3
        );
    }
}
