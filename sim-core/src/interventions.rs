//! Interventions (docs/model.md section 4.12): the policies a scenario switches on, and how each
//! changes a mechanism of the model. Effects act on hazards, probabilities and capacities, never
//! on outputs. Several interventions on the same mechanism combine multiplicatively.
//!
//! An intervention's *intensity* at a date is its coverage times its ramp-up (linear over
//! `ramp_months` from the start year) between its start and end years. Whether a person is
//! reached by a person-level programme is a fixed draw per (person, programme): reached while
//! eligible if the draw is below the intensity. That keeps arms comparable (the same people are
//! reached first as coverage grows) and needs no stored enrolment state.
//!
//! The catalogue (names, default effects, ranges, costs, sources) lives in the `scenarios`
//! crate; this module defines the [`Mechanism`] hook and how effects combine, and
//! [`crate::mechanisms`] the 23 built-in mechanisms.

use bevy_ecs::prelude::Resource;

use crate::offence::OFFENCE_TYPES;

/// What an intervention does to the model: the hook a new intervention implements. The 19 of
/// the catalogue are in [`crate::mechanisms`]; a researcher's own is one more type implementing
/// this trait, put in an [`Intervention`] (the `scenarios` catalogue registers names for them).
pub trait Mechanism: Send + Sync + 'static {
    /// A stable identifier of the mechanism (its catalogue name), used to compare parameters.
    fn id(&self) -> &'static str;

    /// Changes the month's combined policy effects `e` for `iv` in force at intensity `x`
    /// (coverage times ramp-up, above 0). `reached_multiplier` is the offending multiplier of
    /// the people a person-level programme reaches (solved at setup for in-prison programmes,
    /// `1 - effect` otherwise).
    fn apply(&self, e: &mut PolicyEffects, iv: &Intervention, x: f64, reached_multiplier: f64);

    /// Units of the cost basis used this month at intensity `x` (persons reached, cases, beds,
    /// or population in 100,000s for area-wide measures), in real persons.
    fn cost_units(&self, basis: &CostBasis, iv: &Intervention, x: f64) -> f64;

    /// Whether its effect is a cut in reoffending after an in-prison programme: the offending
    /// multiplier of reached people is then solved at setup so that 3-year re-arrest falls by
    /// the effect.
    fn in_prison_programme(&self) -> bool {
        false
    }

    /// Whether it adds prison beds, paid for when they open (at the unit cost per bed).
    fn builds_beds(&self) -> bool {
        false
    }
}

impl std::fmt::Debug for dyn Mechanism {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// A mechanism as a value of an [`Intervention`]: compared by its id.
#[derive(Clone, Copy)]
pub struct MechanismRef(pub &'static dyn Mechanism);

impl PartialEq for MechanismRef {
    fn eq(&self, other: &Self) -> bool {
        self.0.id() == other.0.id()
    }
}

impl std::fmt::Debug for MechanismRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.id())
    }
}

impl std::ops::Deref for MechanismRef {
    type Target = dyn Mechanism;
    fn deref(&self) -> &Self::Target {
        self.0
    }
}

/// What the month's intervention costs are counted on (real persons): the people in the target
/// groups, last month's flows, the prison population and occupancy, court capacity.
#[derive(Clone, Debug, Default)]
pub struct CostBasis {
    /// Real persons per agent.
    pub scale: f64,
    /// Living population (persons).
    pub population: f64,
    /// People aged 10-24 (persons).
    pub youth_10_24: f64,
    /// Men aged 15-34 (persons).
    pub young_men_15_34: f64,
    /// Last month's flows (agents).
    pub last: crate::metrics::Flows,
    /// Prisoners at the end of last month (persons).
    pub prisoners: f64,
    /// Prisoners per bed at the end of last month.
    pub occupancy: f64,
    /// Court dispositions a month at year-one capacity times the scenario's multiplier
    /// (agents).
    pub court_capacity: f64,
}

/// Person-level programmes: each has its own draw per person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Programme {
    /// Youth mentoring.
    Mentoring = 0,
    /// Family therapy.
    FamilyTherapy = 1,
    /// Focused deterrence.
    FocusedDeterrence = 2,
    /// Drug-treatment diversion.
    DrugDiversion = 3,
    /// CBT in prison.
    Cbt = 4,
    /// Prison education.
    Education = 5,
}

impl Programme {
    /// Every programme, in order.
    pub(crate) const ALL: [Programme; PROGRAMMES] = [
        Programme::Mentoring,
        Programme::FamilyTherapy,
        Programme::FocusedDeterrence,
        Programme::DrugDiversion,
        Programme::Cbt,
        Programme::Education,
    ];
}

/// Number of [`Programme`]s.
pub(crate) const PROGRAMMES: usize = 6;

/// One intervention switched on in a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Intervention {
    /// Catalogue name.
    pub name: String,
    /// Mechanism.
    pub mechanism: MechanismRef,
    /// Share of the target group reached at full scale (0-1).
    pub coverage: f64,
    /// First year in force (January).
    pub start_year: f64,
    /// Last year in force (December).
    pub end_year: f64,
    /// Months to reach full coverage after the start.
    pub ramp_months: f64,
    /// Size of the effect in the catalogue's unit (usually a relative reduction, 0-1).
    pub effect: f64,
    /// Cost per unit of the catalogue's cost basis (currency).
    pub unit_cost: f64,
}

impl Intervention {
    /// Intensity (coverage times ramp-up) in month `month_index` of a run starting in
    /// `start_year`.
    pub fn intensity(&self, start_year: i32, month_index: u32) -> f64 {
        let t = f64::from(start_year) + f64::from(month_index) / 12.0;
        if t < self.start_year || t >= self.end_year + 1.0 {
            return 0.0;
        }
        let months_in = (t - self.start_year) * 12.0 + 1.0;
        let ramp = if self.ramp_months > 0.0 {
            (months_in / self.ramp_months).min(1.0)
        } else {
            1.0
        };
        self.coverage * ramp
    }
}

/// The month's combined policy effects, written by the Interventions stage and read by the
/// stages whose mechanisms they change. Neutral values (1 for multipliers, 0 for additions)
/// when no intervention is active.
#[derive(Resource, Clone, Debug, PartialEq)]
pub struct PolicyEffects {
    /// Offending multiplier by type from area policing (all regions).
    pub offending: [f64; OFFENCE_TYPES],
    /// Offending multiplier by age in years and type from the crime trends of the policy
    /// timeline; empty when there is none.
    pub offending_by_age: Vec<[f64; OFFENCE_TYPES]>,
    /// Historic prosecutions by type from the policy timeline.
    pub historic_arrests: [crate::policy_changes::Historic; OFFENCE_TYPES],
    /// Added reporting probability by type.
    pub report_add: [f64; OFFENCE_TYPES],
    /// Multiplier on proactive detection by type.
    pub detection: [f64; OFFENCE_TYPES],
    /// Multiplier on pre-trial detention.
    pub detention: f64,
    /// Multiplier on custody by type.
    pub custody: [f64; OFFENCE_TYPES],
    /// Multiplier on custodial sentence lengths.
    pub length: f64,
    /// Multiplier on sentence lengths by offence type from the policy timeline.
    pub sentence_length: [f64; OFFENCE_TYPES],
    /// Share of life and indeterminate sentences by offence type (scenario value or timeline).
    pub indeterminate_share: [f64; OFFENCE_TYPES],
    /// Multiplier on court capacity.
    pub court_capacity: f64,
    /// Share of police capacity allocated by recorded drug offences (`predictive_policing`).
    pub predictive_policing: f64,
    /// Share of police capacity allocated by drug offences committed (`survey_allocated_policing`).
    pub survey_policing: f64,
    /// Intensity of remote hearings (0-1): the share of connected defendants and courts that
    /// use them.
    pub remote_hearings: f64,
    /// Relative rise of a region's court capacity where every case is heard remotely.
    pub remote_capacity_gain: f64,
    /// Intensity of online legal information (0-1): the share of connected defendants it
    /// reaches.
    pub online_legal_information: f64,
    /// Relative reduction of pre-trial detention for a defendant it reaches.
    pub online_legal_effect: f64,
    /// Multiplier on prison beds.
    pub beds: f64,
    /// Share of displacement avoided.
    pub adaptation: f64,
    /// Share of infrastructure damage avoided.
    pub resilience: f64,
    /// Multiplier on the heat effect on in-custody mortality.
    pub prison_heat: f64,
    /// Multiplier on the excess trafficking risk of displaced people.
    pub displaced_trafficking: f64,
    /// Monthly probability of early release for eligible older prisoners (at or above the older
    /// age, past half their sentence).
    pub early_release_older: f64,
    /// Intensity and offending multiplier (for reached, eligible people) of each programme.
    pub programmes: [(f64, f64); PROGRAMMES],
}

impl Default for PolicyEffects {
    fn default() -> Self {
        PolicyEffects {
            offending: [1.0; OFFENCE_TYPES],
            offending_by_age: Vec::new(),
            historic_arrests: [crate::policy_changes::Historic::default(); OFFENCE_TYPES],
            report_add: [0.0; OFFENCE_TYPES],
            detection: [1.0; OFFENCE_TYPES],
            detention: 1.0,
            custody: [1.0; OFFENCE_TYPES],
            length: 1.0,
            sentence_length: [1.0; OFFENCE_TYPES],
            indeterminate_share: [0.0; OFFENCE_TYPES],
            court_capacity: 1.0,
            predictive_policing: 0.0,
            survey_policing: 0.0,
            remote_hearings: 0.0,
            remote_capacity_gain: 0.0,
            online_legal_information: 0.0,
            online_legal_effect: 0.0,
            beds: 1.0,
            adaptation: 0.0,
            resilience: 0.0,
            prison_heat: 1.0,
            displaced_trafficking: 1.0,
            early_release_older: 0.0,
            programmes: [(0.0, 1.0); PROGRAMMES],
        }
    }
}

impl PolicyEffects {
    /// Combines the interventions active in month `month_index`. `programme_multipliers[i]` is
    /// the offending multiplier of reached people for `list[i]` when it is a person-level
    /// programme (solved at setup for the in-prison programmes); `1 - effect` where it is
    /// missing.
    pub fn combine(
        list: &[Intervention],
        programme_multipliers: &[f64],
        start_year: i32,
        month_index: u32,
    ) -> Self {
        let mut e = PolicyEffects::default();
        e.add_interventions(list, programme_multipliers, start_year, month_index);
        e
    }

    /// Applies the interventions of `list` active in month `month_index` on top of these
    /// effects (see [`PolicyEffects::combine`]).
    pub fn add_interventions(
        &mut self,
        list: &[Intervention],
        programme_multipliers: &[f64],
        start_year: i32,
        month_index: u32,
    ) {
        let e = self;
        for (i, iv) in list.iter().enumerate() {
            let x = iv.intensity(start_year, month_index);
            if x <= 0.0 {
                continue;
            }
            let multiplier = programme_multipliers
                .get(i)
                .copied()
                .unwrap_or(1.0 - iv.effect);
            iv.mechanism.apply(e, iv, x, multiplier);
        }
    }
}

/// Adds a programme: reach combines as independent draws, effects multiplicatively.
pub fn combine_programme(e: &mut PolicyEffects, p: Programme, intensity: f64, multiplier: f64) {
    let slot = &mut e.programmes[p as usize];
    slot.0 = 1.0 - (1.0 - slot.0) * (1.0 - intensity);
    slot.1 *= multiplier;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offence::OffenceType;

    fn iv(mechanism: &'static dyn Mechanism, effect: f64) -> Intervention {
        Intervention {
            name: "x".into(),
            mechanism: MechanismRef(mechanism),
            coverage: 0.5,
            start_year: 2026.0,
            end_year: 2030.0,
            ramp_months: 12.0,
            effect,
            unit_cost: 0.0,
        }
    }

    #[test]
    fn intensity_ramps_up_and_stops_after_the_end_year() {
        let i = iv(&crate::mechanisms::LegalAid, 0.4);
        assert_eq!(i.intensity(2025, 11), 0.0);
        assert!((i.intensity(2025, 12) - 0.5 / 12.0).abs() < 1e-12);
        assert_eq!(i.intensity(2025, 12 + 11), 0.5);
        assert_eq!(i.intensity(2025, 12 * 5 + 11), 0.5);
        assert_eq!(i.intensity(2025, 12 * 6), 0.0);
    }

    #[test]
    fn effects_on_one_mechanism_combine_multiplicatively() {
        let list = [
            iv(&crate::mechanisms::ProblemOrientedPolicing, 0.2),
            iv(&crate::mechanisms::HotSpotPolicing, 0.1),
        ];
        let e = PolicyEffects::combine(&list, &[], 2025, 40);
        let p = OffenceType::Property.index();
        assert!((e.offending[p] - 0.9 * 0.95).abs() < 1e-12);
        assert_eq!(e.offending[OffenceType::Drug.index()], 1.0);
    }
}
