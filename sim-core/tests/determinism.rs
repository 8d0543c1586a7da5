//! Same parameters and seed give identical results on any thread count; seeds matter.

use crate::common::{params, run_on};

#[test]
fn one_and_two_threads_give_identical_results() {
    let mut p = params(30_000, 3, 5);
    p.demography.net_migration_per_1000 = 3.0;
    let a = run_on(p.clone(), 1);
    let b = run_on(p.clone(), 2);
    let c = run_on(p, 3);
    assert_eq!(a.months, b.months);
    assert_eq!(a.months, c.months);
    assert_eq!(a.population, b.population);
    assert_eq!(a.deaths, c.deaths);
}

/// Threads kept awake between passes take different chunks at different times, and the
/// background work of a lone run (the victim pool's changes, the expected victims, the victims'
/// histories) gives way to the passes at places that differ from run to run: none of it changes
/// an output, the same records (months, years by group, the survey) as one thread.
#[test]
fn threads_kept_awake_change_no_output() {
    let p = params(20_000, 2, 11);
    let one = run_on(p.clone(), 1);
    let debug = |r: &sim_core::metrics::Recorder| format!("{:?}{:?}", r.years, r.surveys);
    for threads in [2, 3] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let awake = pool.install(|| {
            sim_core::par::lone_run(|| sim_core::Simulation::new(p.clone()).unwrap().run())
        });
        assert_eq!(one.months, awake.months, "{threads} threads kept awake");
        assert_eq!(
            one.population, awake.population,
            "{threads} threads kept awake"
        );
        assert!(debug(&one) == debug(&awake), "{threads} threads kept awake");
    }
}

/// Where the person table's chunks begin changes nothing, person by person: exits leave the
/// victim pool and free their rows in row order, and every per-chunk sum is exact. (Deaths and
/// emigrants used to be applied chunk by chunk, deaths first, so a new chunk size changed the
/// order of the pool's cells and so who, within a cell, became a victim.)
#[test]
fn chunk_boundaries_change_no_output() {
    let mut p = params(30_000, 3, 9);
    p.demography.net_migration_per_1000 = -4.0;
    let run_with_chunks = |rows: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        pool.install(|| {
            sim_core::par::fix_chunk_rows_on_this_thread(rows);
            let sim = stepped(sim_core::Simulation::new(p.clone()).unwrap(), 36);
            sim_core::par::fix_chunk_rows_on_this_thread(0);
            (sim.persons().clone(), sim.into_outcome().recorder)
        })
    };
    let (persons, recorder) = run_with_chunks(0);
    for rows in [777, 8192] {
        let (fixed_persons, fixed) = run_with_chunks(rows);
        assert!(
            persons == fixed_persons,
            "persons differ at {rows} rows per chunk"
        );
        assert_eq!(recorder.months, fixed.months, "{rows} rows per chunk");
    }
}

#[test]
fn a_different_seed_gives_a_different_run() {
    let a = run_on(params(10_000, 2, 1), 1);
    let b = run_on(params(10_000, 2, 2), 1);
    assert_ne!(a.months, b.months);
}

/// Baseline parameters with climate and justice, in which a snapshot is taken in month 40.
fn snapshot_params() -> sim_core::ModelParams {
    let mut p = params(20_000, 6, 11);
    p.demography.net_migration_per_1000 = 3.0;
    p
}

fn intervention(
    mechanism: &'static dyn sim_core::interventions::Mechanism,
    name: &str,
    start_year: f64,
) -> sim_core::interventions::Intervention {
    sim_core::interventions::Intervention {
        name: name.into(),
        mechanism: sim_core::interventions::MechanismRef(mechanism),
        coverage: 0.6,
        start_year,
        end_year: 2100.0,
        ramp_months: 6.0,
        effect: 0.3,
        unit_cost: 100.0,
    }
}

/// Rows as text: indicators not yet defined are NaN, which equals nothing.
fn debug<T: std::fmt::Debug>(rows: &[T]) -> Vec<String> {
    rows.iter().map(|r| format!("{r:?}")).collect()
}

/// Steps `sim` to `month` and returns it.
fn stepped(mut sim: sim_core::Simulation, month: u32) -> sim_core::Simulation {
    while sim.calendar().month_index < month {
        sim.step();
    }
    sim
}

/// restore(snapshot(t)) continues byte-identically to the uninterrupted run, and the snapshot
/// can be restored twice.
#[test]
fn a_restored_snapshot_continues_exactly() {
    let p = snapshot_params();
    let whole = sim_core::Simulation::new(p.clone()).unwrap().run_to_end();
    let at = stepped(sim_core::Simulation::new(p).unwrap(), 40);
    let snap = at.snapshot();
    drop(at);
    assert_eq!(snap.month_index(), 40);
    for _ in 0..2 {
        let resumed = sim_core::Simulation::restore(&snap).run_to_end();
        assert_eq!(resumed.recorder.months, whole.recorder.months);
        assert_eq!(debug(&resumed.years), debug(&whole.years));
        assert_eq!(resumed.events, whole.events);
    }
}

/// A branch from a snapshot equals a fresh run with the branch's interventions when they start
/// at or after the snapshot: legal aid and in-prison CBT (whose set-up multiplier is solved
/// again from the set-up's releasees) from the fourth year.
#[test]
fn a_branch_equals_a_fresh_run_with_its_interventions() {
    use sim_core::mechanisms as K;
    let p = snapshot_params();
    let start = f64::from(p.scenario.start_year + 3);
    let ivs = vec![
        intervention(&K::LegalAid, "legal_aid", start),
        intervention(&K::CbtInPrison, "cbt_in_prison", start),
    ];
    let mut fresh_params = p.clone();
    fresh_params.interventions = ivs.clone();
    let fresh = sim_core::Simulation::new(fresh_params)
        .unwrap()
        .run_to_end();
    let baseline = stepped(sim_core::Simulation::new(p).unwrap(), 36);
    let branched = sim_core::Simulation::branch(&baseline.snapshot(), ivs)
        .unwrap()
        .run_to_end();
    assert_eq!(branched.recorder.months, fresh.recorder.months);
    assert_eq!(debug(&branched.years), debug(&fresh.years));
    // And the interventions did something after the branch point.
    let base_end = baseline.run_to_end();
    assert_eq!(
        base_end.recorder.months[..36],
        branched.recorder.months[..36]
    );
    assert_ne!(
        base_end.recorder.months[36..],
        branched.recorder.months[36..]
    );
}

/// A branch cannot change the past: an intervention already in force before the snapshot is
/// refused, naming the key.
#[test]
fn a_branch_refuses_interventions_in_force_before_it() {
    use sim_core::mechanisms as K;
    let p = snapshot_params();
    let early = f64::from(p.scenario.start_year + 1);
    let sim = stepped(sim_core::Simulation::new(p).unwrap(), 36);
    let Err(issues) = sim_core::Simulation::branch(
        &sim.snapshot(),
        vec![intervention(&K::LegalAid, "legal_aid", early)],
    ) else {
        panic!("a branch started before its snapshot was accepted");
    };
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0].key_path, "interventions[0].start_year");
}

/// A user's plugin: lights in region 0 cut every offending hazard there by a tenth, placed
/// between the month's hazard table and the drawing of offences.
struct Lights;

fn dim_region_zero(
    mut hazards: sim_core::bevy_ecs::prelude::ResMut<sim_core::systems::offending::HazardTable>,
) {
    use sim_core::systems::offending::hazard_cell;
    let table = &mut *hazards;
    for sex in 0..2 {
        for age in 0..100 {
            for unemployed in [false, true] {
                let cell = hazard_cell(0, sex, age, unemployed);
                for h in table.by_type[cell].iter_mut() {
                    *h *= 0.9;
                }
                table.total[cell] *= 0.9;
            }
        }
    }
}

impl sim_core::builder::Plugin for Lights {
    fn build(&self, sim: &mut sim_core::Simulation) {
        use sim_core::bevy_ecs::prelude::IntoScheduleConfigs;
        use sim_core::systems::offending::{build_hazard_table, commit_offences};
        sim.add_systems(
            dim_region_zero
                .after(build_hazard_table)
                .before(commit_offences)
                .in_set(sim_core::schedule::Stage::Offending),
        );
    }
}

/// A run with a plugin, snapshot at month 40 and restored with the plugin added again,
/// continues exactly as the uninterrupted run with the plugin; restored without it, it does
/// not (the plugin's systems are not in the snapshot).
#[test]
fn a_restored_snapshot_with_its_plugins_continues_exactly() {
    let p = snapshot_params();
    let whole = sim_core::Simulation::builder(p.clone())
        .with(Lights)
        .build()
        .unwrap()
        .run_to_end();
    let at = stepped(
        sim_core::Simulation::builder(p)
            .with(Lights)
            .build()
            .unwrap(),
        40,
    );
    let snap = at.snapshot();
    let resumed = sim_core::Simulation::restore_with(&snap, &[&Lights]).run_to_end();
    assert_eq!(resumed.recorder.months, whole.recorder.months);
    let without = sim_core::Simulation::restore(&snap).run_to_end();
    assert_ne!(without.recorder.months[40..], whole.recorder.months[40..]);
}

#[test]
fn the_outcome_so_far_is_the_whole_run_cut_at_the_same_year() {
    // Plumbing for the dashboard's early target-year results: a run stopped at the end of
    // its third year hands back what the whole run shows for those three years. The
    // reoffending rates are left out: their follow-up runs past the stop.
    let p = params(10_000, 5, 19);
    let last = p.scenario.start_year + 2;
    let mut sim = sim_core::Simulation::new(p.clone()).unwrap();
    while sim.calendar().month_index < 36 {
        sim.step();
    }
    let early = sim.outcome_so_far();
    let whole = sim_core::Simulation::new(p).unwrap().run_to_end();
    let cut = whole.truncated(last);
    assert_eq!(early.recorder.months, cut.recorder.months);
    assert_eq!(early.years.len(), 3);
    assert_eq!(cut.years.len(), 3);
    for (a, b) in early.years.iter().zip(&cut.years) {
        assert_eq!(a.year, b.year);
        assert_eq!(a.homicide_rate_per_100k, b.homicide_rate_per_100k);
        assert_eq!(a.violence_prevalence_pct, b.violence_prevalence_pct);
        assert_eq!(a.unsentenced_share_pct, b.unsentenced_share_pct);
        assert_eq!(a.prison_population_per_100k, b.prison_population_per_100k);
        assert_eq!(a.court_backlog_cases, b.court_backlog_cases);
    }
    // The run goes on after the early look, to the same end.
    while !sim.finished() {
        sim.step();
    }
    assert_eq!(sim.into_outcome().recorder.months, whole.recorder.months);
}
