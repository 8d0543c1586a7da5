//! Police deployment (stage 5, after the interventions): where each month's clearance capacity
//! goes, and the police presence per person that proactive detection follows.
//!
//! Without reallocation a region keeps the capacity of its officers. Proactive detection of an
//! unreported offence (drug offences above all) scales with the region's police per person
//! relative to the national mean, to the power `justice.detection_presence_elasticity`: police
//! find what they are there to see (Lum & Isaac 2016).
//!
//! Two interventions reallocate capacity between regions, each at its intensity x, as a mix of
//! the officers' allocation and a target share: `predictive_policing` in proportion to the last
//! 12 months' recorded drug offences, the data a prediction tool is trained on, and
//! `survey_allocated_policing` in proportion to the drug offences committed, which a
//! self-report survey estimates without the police's eyes in it. Because recorded drug crime
//! follows the police, the first keeps whatever gap the deployment began with (or widens it
//! when the elasticity exceeds 1): the feedback loop of Lum & Isaac (2016) and Ensign et al.
//! (2018). The second follows the offences and closes it.
//!
//! Reads: `Params`, `PolicyEffects`. Writes: `Policing` (capacity, detection).

use bevy_ecs::prelude::*;

use crate::Params;
use crate::interventions::PolicyEffects;
use crate::justice::Policing;
use crate::params::ModelParams;

/// Proactive-detection multiplier by region for police `capacity` by region: police per person
/// relative to the national mean, to the power of the elasticity.
pub fn detection(p: &ModelParams, capacity: &[f64]) -> Vec<f64> {
    let total: f64 = capacity.iter().sum();
    let elasticity = p.justice.detection_presence_elasticity;
    p.regions
        .iter()
        .zip(capacity)
        .map(|(r, c)| {
            if total <= 0.0 || r.population_share <= 0.0 {
                return 1.0;
            }
            let presence = c / total / r.population_share;
            // Equal police per person everywhere is exactly 1, not 1 plus rounding.
            if (presence - 1.0).abs() < 1e-9 {
                1.0
            } else {
                presence.powf(elasticity)
            }
        })
        .collect()
}

/// Officers by region (per 100,000 of the national population): what the regions' clearance
/// capacity is proportional to before any reallocation.
pub(crate) fn officers(p: &ModelParams) -> Vec<f64> {
    p.regions
        .iter()
        .map(|r| r.police_per_100k * r.population_share)
        .collect()
}

/// The national proactive-detection multiplier of the officers' allocation: the regions'
/// multipliers weighed by population (exactly 1 when police per person are equal).
pub(crate) fn national_detection(p: &ModelParams) -> f64 {
    let mean: f64 = detection(p, &officers(p))
        .iter()
        .zip(&p.regions)
        .map(|(d, r)| d * r.population_share)
        .sum();
    if (mean - 1.0).abs() < 1e-9 { 1.0 } else { mean }
}

/// Moves `share` towards the shares of `target` with weight `x`.
fn mix_towards(share: &mut [f64], target: &[f64], x: f64) {
    let total: f64 = target.iter().sum();
    if x <= 0.0 || total <= 0.0 {
        return;
    }
    for (s, t) in share.iter_mut().zip(target) {
        *s = (1.0 - x) * *s + x * t / total;
    }
}

/// Deploys the month's police capacity.
pub fn deploy_police(
    params: Res<Params>,
    effects: Res<PolicyEffects>,
    mut policing: ResMut<Policing>,
) {
    let p = &params.0;
    let (predictive, survey) = (effects.predictive_policing, effects.survey_policing);
    if predictive <= 0.0 && survey <= 0.0 {
        if policing.capacity != policing.base_capacity {
            policing.capacity = policing.base_capacity.clone();
            policing.detection = detection(p, &policing.capacity);
        }
        return;
    }
    let total: f64 = policing.base_capacity.iter().sum();
    if total <= 0.0 {
        return;
    }
    let mut share: Vec<f64> = policing.base_capacity.iter().map(|c| c / total).collect();
    let recorded: Vec<f64> = policing
        .window_drug_recorded
        .iter()
        .map(|w| w.iter().sum())
        .collect();
    let committed: Vec<f64> = policing
        .window_drug
        .iter()
        .map(|w| w.iter().sum())
        .collect();
    mix_towards(&mut share, &recorded, predictive);
    mix_towards(&mut share, &committed, survey);
    policing.capacity = share.iter().map(|s| s * total).collect();
    policing.detection = detection(p, &policing.capacity);
}
