//! Climate (docs/model.md section 4.1, stage 1): hazard events per region and the monthly
//! temperature anomaly; damage to and repair of courts and prisons.
//!
//! Frequency and severity of each hazard scale with `1 + k_h * dT(t)`, dT from the warming
//! pathway. The anomaly (in standard deviations) is an AR(1) process plus the pathway trend plus
//! a heatwave boost; it feeds the heat effect on violence. Every draw comes from
//! `Stream::Climate` keyed only by (seed, region, month, hazard), never by anything an
//! intervention can change, so every arm sees the same shocks (common random numbers).
//!
//! Reads: `Params`, `Calendar`. Writes: `ClimateState`, `RegionConditions` (anomaly), `Courts`
//! and `Prisons` damage (when the justice module runs), `MonthTally`. Stream: `Stream::Climate`.

use bevy_ecs::prelude::*;

use crate::Params;
use crate::calendar::Calendar;
use crate::census::Census;
use crate::interventions::PolicyEffects;
use crate::justice::{Courts, Prisons};
use crate::metrics::MonthTally;
use crate::offence::{OffenceBuffer, OffenceType};
use crate::params::{HAZARDS, Hazard, MAX_REGIONS, ModelParams};
use crate::region::RegionConditions;
use crate::rng::{MonthKey, Stream, poisson, standard_normal, to_unit};

/// One hazard event.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HazardEvent {
    /// Month of the run (0-based).
    pub month_index: u32,
    /// Region index.
    pub region: u8,
    /// Hazard type.
    pub hazard: Hazard,
    /// Share of the region's people affected.
    pub severity: f64,
    /// People affected (agents).
    pub affected: u64,
    /// People displaced by it (agents), filled by the Displacement stage.
    pub displaced: u64,
    /// Share of the region's court capacity it took out.
    pub court_damage: f64,
    /// Share of the region's prison beds it took out.
    pub prison_damage: f64,
}

/// A drought in progress: it displaces people over its months.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Drought {
    /// Region.
    pub region: u8,
    /// Last month it lasts (inclusive).
    pub until: u32,
    /// Share of the region's people affected.
    pub severity: f64,
    /// Index of its event in the log.
    pub event: usize,
}

/// Climate state of the run. Written only by the Climate stage (and the displaced counts of
/// events by Displacement).
#[derive(Resource, Clone, Debug)]
pub struct ClimateState {
    /// AR(1) part of the temperature anomaly by region (standard deviations).
    pub noise: [f64; MAX_REGIONS],
    /// Events of the whole run, in order; this month's are at the end from `month_start`.
    pub log: Vec<HazardEvent>,
    /// Index in `log` of this month's first event.
    pub month_start: usize,
    /// Droughts in progress.
    pub droughts: Vec<Drought>,
    /// Ecosystem buffer by region (1 intact, 0 destroyed).
    pub buffer: [f64; MAX_REGIONS],
    /// Global warming above the start (degrees C) this month.
    pub warming: f64,
    /// Whether a heatwave hits each region this month.
    pub heatwave: [bool; MAX_REGIONS],
}

impl Default for ClimateState {
    fn default() -> Self {
        ClimateState {
            noise: [0.0; MAX_REGIONS],
            log: Vec::new(),
            month_start: 0,
            droughts: Vec::new(),
            buffer: [1.0; MAX_REGIONS],
            warming: 0.0,
            heatwave: [false; MAX_REGIONS],
        }
    }
}

impl ClimateState {
    /// This month's events.
    pub fn this_month(&self) -> &[HazardEvent] {
        &self.log[self.month_start..]
    }
}

/// Subject of a climate draw: region and hazard (slot `HAZARDS` is the temperature).
fn subject(region: usize, slot: usize) -> u32 {
    (region * (HAZARDS + 1) + slot) as u32
}

/// Global warming above the start year at the middle of month `month_index`.
pub(crate) fn warming_at(p: &ModelParams, month_index: u32) -> f64 {
    let start = f64::from(p.scenario.start_year);
    let t = start + (f64::from(month_index) + 0.5) / 12.0;
    p.climate.pathway.warming(t) - p.climate.pathway.warming(start)
}

/// Draws this month's events and temperature anomalies; repairs and damages infrastructure.
#[allow(clippy::type_complexity)]
pub fn draw_climate(
    params: Res<Params>,
    calendar: Res<Calendar>,
    census: Res<Census>,
    mut state: ResMut<ClimateState>,
    mut conditions: ResMut<RegionConditions>,
    mut tally: ResMut<MonthTally>,
    mut justice: (Option<ResMut<Courts>>, Option<ResMut<Prisons>>),
    last_offences: Option<Res<OffenceBuffer>>,
    effects: Res<PolicyEffects>,
) {
    let p = &params.0;
    let c = &p.climate;
    let month = calendar.month_index;
    let key = MonthKey::new(p.scenario.seed, Stream::Climate, month);
    let dt = warming_at(p, month);
    state.warming = dt;
    state.month_start = state.log.len();
    let regions = p.regions.len();
    // Repairs first: damage decays towards zero.
    let repair = (-1.0 / c.repair_months).exp();
    if let Some(courts) = justice.0.as_mut() {
        courts.capacity_lost.iter_mut().for_each(|l| *l *= repair);
    }
    if let Some(prisons) = justice.1.as_mut() {
        prisons.beds_lost.iter_mut().for_each(|l| *l *= repair);
    }
    state.droughts.retain(|d| d.until >= month);
    let rho = c.anomaly_autocorrelation;
    for r in 0..regions {
        let region = &p.regions[r];
        // Events by hazard.
        state.heatwave[r] = false;
        for h in Hazard::ALL {
            let hi = h as usize;
            let scale = (1.0 + c.warming_sensitivity[hi] * dt).max(0.0);
            let rate = region.hazard_per_year[hi] * scale / 12.0;
            let n = poisson(rate, key, subject(r, hi));
            for k in 0..n as u32 {
                let z = standard_normal(
                    to_unit(key.bits(subject(r, hi), 10 + 2 * k)),
                    to_unit(key.bits(subject(r, hi), 11 + 2 * k)),
                );
                let mut severity =
                    region.hazard_affected_share[hi] * scale * (c.severity_log_sd * z).exp();
                if h == Hazard::Flood {
                    severity *= 1.0 + c.ecosystem_link * (1.0 - state.buffer[r]);
                }
                let severity = severity.min(0.9);
                let severe =
                    severity >= c.severe_threshold && matches!(h, Hazard::Flood | Hazard::Storm);
                let damage = |per: f64| {
                    if severe {
                        (per * severity).min(0.9)
                            * (1.0 - c.resilience)
                            * (1.0 - effects.resilience)
                    } else {
                        0.0
                    }
                };
                let (court_damage, prison_damage) = (
                    damage(c.court_damage_per_severity),
                    damage(c.prison_damage_per_severity),
                );
                if let Some(courts) = justice.0.as_mut() {
                    let l = &mut courts.capacity_lost[r];
                    *l = 1.0 - (1.0 - *l) * (1.0 - court_damage);
                }
                if let Some(prisons) = justice.1.as_mut() {
                    let l = &mut prisons.beds_lost[r];
                    *l = 1.0 - (1.0 - *l) * (1.0 - prison_damage);
                }
                let affected = (severity * census.by_region()[r] as f64).round() as u64;
                tally.flows.affected += affected;
                let event = HazardEvent {
                    month_index: month,
                    region: r as u8,
                    hazard: h,
                    severity,
                    affected,
                    displaced: 0,
                    court_damage,
                    prison_damage,
                };
                if h == Hazard::Drought {
                    let event_index = state.log.len();
                    state.droughts.push(Drought {
                        region: r as u8,
                        until: month + c.drought_months.round().max(1.0) as u32 - 1,
                        severity,
                        event: event_index,
                    });
                }
                if h == Hazard::Heatwave {
                    state.heatwave[r] = true;
                }
                state.log.push(event);
            }
        }
        // Temperature anomaly: AR(1) noise + warming trend + heatwave boost.
        let eps = standard_normal(
            to_unit(key.bits(subject(r, HAZARDS), 0)),
            to_unit(key.bits(subject(r, HAZARDS), 1)),
        );
        state.noise[r] = rho * state.noise[r] + (1.0 - rho * rho).sqrt() * eps;
        let heat = if state.heatwave[r] {
            c.heatwave_anomaly_sd
        } else {
            0.0
        };
        conditions.temperature_anomaly[r] = state.noise[r] + dt / region.temperature_sd_c + heat;
        conditions.heatwave[r] = state.heatwave[r];
    }
    // Ecosystem buffer: last month's environmental offences erode it, nature slowly repairs it.
    let recovery = c.ecosystem_recovery_per_year / 12.0;
    let mut env = [0u32; MAX_REGIONS];
    if let Some(offences) = last_offences {
        for o in offences
            .0
            .iter()
            .filter(|o| o.kind == OffenceType::Environment)
        {
            env[o.region as usize] += 1;
        }
    }
    for r in 0..regions {
        let per_1000 = census.by_region()[r].max(1) as f64 / 1000.0;
        let loss = c.ecosystem_loss_per_offence_per_1000 * f64::from(env[r]) / per_1000;
        let b = &mut state.buffer[r];
        *b = (*b + (1.0 - *b) * recovery - loss).clamp(0.0, 1.0);
    }
    // Reported series: population-weighted anomaly in degrees C.
    let (mut num, mut den) = (0.0, 0.0);
    for r in 0..regions {
        let w = census.by_region()[r] as f64;
        num += w * conditions.temperature_anomaly[r] * p.regions[r].temperature_sd_c;
        den += w;
    }
    tally.flows.temperature_anomaly_c = if den > 0.0 { num / den } else { 0.0 };
}
