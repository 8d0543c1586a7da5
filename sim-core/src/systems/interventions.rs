//! Interventions (docs/model.md section 4.12, stage 5): the policies in force this month, in three
//! systems: the effects start neutral, the interventions act on them (and book their costs on
//! each one's cost basis, and open the beds construction adds), then the scenario's policy
//! timeline (sentencing and its crime trends) acts on top. Leaving the interventions out
//! ([`crate::builder::Part::Interventions`]) leaves the timeline in force.
//!
//! Reads: `Params`, `Calendar`, `Census`, `Recorder` (last month's flows for event-based costs),
//! `CrimeTables` (programme multipliers solved at setup).
//! Writes: `PolicyEffects`, `Prisons.beds_multiplier`, `MonthTally`.

use bevy_ecs::prelude::*;

use crate::Params;
use crate::calendar::Calendar;
use crate::census::Census;
use crate::crime_tables::CrimeTables;
use crate::interventions::{CostBasis, PolicyEffects};
use crate::justice::{Courts, Prisons};
use crate::metrics::{AGE_BINS, MonthTally, Recorder, hist_index};

/// Starts the month's policy effects from neutral: nothing is in force until the systems after
/// it say so.
pub fn reset_policy_effects(mut effects: ResMut<PolicyEffects>) {
    *effects = PolicyEffects::default();
}

/// The policy timeline of the scenario (custody and sentence lengths by offence type, shares of
/// indeterminate sentences, crime trends, historic prosecutions) on top of the interventions.
pub fn apply_policy_timeline(
    params: Res<Params>,
    calendar: Res<Calendar>,
    mut effects: ResMut<PolicyEffects>,
) {
    let p = &params.0;
    let policy = crate::policy_changes::in_force(
        &p.policy_changes,
        p.scenario.start_year,
        calendar.month_index,
    );
    for (e, c) in effects.custody.iter_mut().zip(policy.custody) {
        *e *= c;
    }
    effects.sentence_length = policy.length;
    effects.historic_arrests = policy.historic;
    if policy.moves_offending() {
        effects.offending_by_age = policy.offending;
    }
    for (t, share) in effects.indeterminate_share.iter_mut().enumerate() {
        *share = policy.indeterminate_share[t].unwrap_or(p.crime.types[t].indeterminate_share);
    }
}

/// The interventions in force this month: their effects on the mechanisms, their costs on each
/// one's cost basis, and the beds construction opens (paid for when they open).
pub fn apply_interventions(
    params: Res<Params>,
    calendar: Res<Calendar>,
    census: Res<Census>,
    recorder: Res<Recorder>,
    tables: Option<Res<CrimeTables>>,
    mut effects: ResMut<PolicyEffects>,
    mut justice: (Option<ResMut<Prisons>>, Option<Res<Courts>>),
    mut tally: ResMut<MonthTally>,
) {
    let p = &params.0;
    let month = calendar.month_index;
    let multipliers = tables
        .as_deref()
        .map_or(&[][..], |t| &t.programme_multiplier);
    effects.add_interventions(&p.interventions, multipliers, p.scenario.start_year, month);
    if p.interventions.is_empty() {
        return;
    }
    let scale = p.scenario.scale();
    let hist = census.age_hist(calendar.now());
    let count = |sexes: &[usize], lo: u32, hi: u32| -> f64 {
        let mut n = 0u64;
        for r in 0..p.regions.len() {
            for &s in sexes {
                for a in lo..=hi.min(AGE_BINS as u32 - 1) {
                    n += u64::from(hist[hist_index(r as u8, s, a)]);
                }
            }
        }
        n as f64 * scale
    };
    let basis = CostBasis {
        scale,
        population: census.alive() as f64 * scale,
        youth_10_24: count(&[0, 1], 10, 24),
        young_men_15_34: count(&[0], 15, 34),
        last: recorder.months.last().map(|m| m.flows).unwrap_or_default(),
        prisoners: last_prisoners(&recorder) * scale,
        occupancy: recorder.months.last().map_or(1.0, |m| {
            if m.stocks.beds > 0.0 {
                m.stocks.prisoners as f64 / m.stocks.beds
            } else {
                1.0
            }
        }),
        court_capacity: justice
            .1
            .as_ref()
            .map_or(0.0, |c| c.capacity.iter().sum::<f64>())
            * p.justice.court_capacity_multiplier,
    };
    let mut cost = 0.0;
    for iv in &p.interventions {
        let x = iv.intensity(p.scenario.start_year, month);
        if x <= 0.0 {
            continue;
        }
        cost += iv.mechanism.cost_units(&basis, iv, x) * iv.unit_cost;
    }
    if let Some(prisons) = justice.0.as_mut() {
        // Construction: beds added this month are paid for when they open.
        let previous_beds = prisons.beds_multiplier;
        let base: f64 = prisons.beds.iter().sum::<f64>() * scale;
        let added = (effects.beds - previous_beds).max(0.0) * base;
        if let Some(c) = p.interventions.iter().find(|i| i.mechanism.builds_beds()) {
            cost += added * c.unit_cost;
        }
        prisons.beds_multiplier = effects.beds;
    }
    tally.flows.intervention_cost = cost;
}

fn last_prisoners(recorder: &Recorder) -> f64 {
    recorder
        .months
        .last()
        .map_or(0.0, |m| m.stocks.prisoners as f64)
}
