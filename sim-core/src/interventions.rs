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
//! crate; this module defines the mechanisms.

use bevy_ecs::prelude::Resource;

use crate::offence::{OFFENCE_TYPES, OffenceType};

/// The interventions the model knows, one per row of docs/model.md section 4.12.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InterventionKind {
    /// Mentoring of at-risk 10-24-year-olds: their offending falls.
    YouthMentoring,
    /// Functional family therapy / multisystemic therapy for convicted youth: reoffending falls.
    FamilyTherapy,
    /// Problem-oriented policing: offending in treated areas falls.
    ProblemOrientedPolicing,
    /// Hot-spot policing: property crime and assault in hot spots fall.
    HotSpotPolicing,
    /// Focused deterrence: serious violence among high-risk young men falls.
    FocusedDeterrence,
    /// Community policing and trust building: reporting rises.
    CommunityPolicing,
    /// Victim support services: reporting of gender-based violence and trafficking rises.
    VictimSupport,
    /// Legal aid at first appearance: pre-trial detention, custody and sentence length fall.
    LegalAid,
    /// Court capacity and remote hearings: dispositions per month rise.
    CourtCapacity,
    /// Community sentences and electronic monitoring: custody for minor offences falls.
    CommunitySentences,
    /// Drug-treatment diversion: custody and reoffending of drug offenders fall.
    DrugTreatmentDiversion,
    /// Cognitive-behavioural therapy in prison: reoffending after release falls.
    CbtInPrison,
    /// Prison education: reoffending after release falls.
    PrisonEducation,
    /// Early or compassionate release of older prisoners.
    EarlyReleaseOlder,
    /// Prison construction: beds rise after the build time.
    PrisonConstruction,
    /// Sentencing reform: sentence lengths fall.
    SentencingReform,
    /// Early warning and adaptation: displacement falls.
    EarlyWarning,
    /// Resilient justice infrastructure (and prison cooling): damage and heat deaths fall.
    ResilientInfrastructure,
    /// Anti-trafficking protection: trafficking of displaced people falls, detection rises.
    AntiTrafficking,
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

/// Number of [`Programme`]s.
pub const PROGRAMMES: usize = 6;

/// One intervention switched on in a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Intervention {
    /// Catalogue name.
    pub name: String,
    /// Mechanism.
    pub kind: InterventionKind,
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

/// Minor offences that community sentences replace custody for.
const MINOR: [OffenceType; 3] = [
    OffenceType::Assault,
    OffenceType::Property,
    OffenceType::Drug,
];

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
        for (i, iv) in list.iter().enumerate() {
            let x = iv.intensity(start_year, month_index);
            if x <= 0.0 {
                continue;
            }
            let cut = |eff: f64| 1.0 - eff * x;
            let multiplier = programme_multipliers
                .get(i)
                .copied()
                .unwrap_or(1.0 - iv.effect);
            let mut programme = |g: Programme| combine_programme(&mut e, g, x, multiplier);
            use InterventionKind as K;
            match iv.kind {
                K::YouthMentoring => programme(Programme::Mentoring),
                K::FamilyTherapy => programme(Programme::FamilyTherapy),
                K::FocusedDeterrence => programme(Programme::FocusedDeterrence),
                K::CbtInPrison => programme(Programme::Cbt),
                K::PrisonEducation => programme(Programme::Education),
                K::DrugTreatmentDiversion => {
                    programme(Programme::DrugDiversion);
                    e.custody[OffenceType::Drug.index()] *= 1.0 - 0.5 * x;
                }
                K::ProblemOrientedPolicing | K::HotSpotPolicing => {
                    for t in [
                        OffenceType::Homicide,
                        OffenceType::Assault,
                        OffenceType::Property,
                    ] {
                        e.offending[t.index()] *= cut(iv.effect);
                    }
                }
                K::CommunityPolicing => {
                    for t in [
                        OffenceType::Assault,
                        OffenceType::Gbv,
                        OffenceType::Property,
                        OffenceType::Trafficking,
                    ] {
                        e.report_add[t.index()] += iv.effect * x;
                    }
                }
                K::VictimSupport => {
                    for t in [OffenceType::Gbv, OffenceType::Trafficking] {
                        e.report_add[t.index()] += iv.effect * x;
                    }
                }
                K::LegalAid => {
                    // Colbert et al. 2002: counsel at bail hearings more than doubled release;
                    // Anderson, Buenaventura & Heaton 2019: custody -16%, length -24%.
                    e.detention *= cut(iv.effect);
                    for c in e.custody.iter_mut() {
                        *c *= 1.0 - 0.16 * x;
                    }
                    e.length *= 1.0 - 0.24 * x;
                }
                K::CourtCapacity => e.court_capacity *= 1.0 + iv.effect * x,
                K::CommunitySentences => {
                    for t in MINOR {
                        e.custody[t.index()] *= cut(iv.effect);
                    }
                }
                K::EarlyReleaseOlder => {
                    e.early_release_older =
                        1.0 - (1.0 - e.early_release_older) * (1.0 - iv.effect * x)
                }
                K::PrisonConstruction => e.beds *= 1.0 + iv.effect * x,
                K::SentencingReform => e.length *= cut(iv.effect),
                K::EarlyWarning => e.adaptation = 1.0 - (1.0 - e.adaptation) * cut(iv.effect),
                K::ResilientInfrastructure => {
                    e.resilience = 1.0 - (1.0 - e.resilience) * cut(iv.effect);
                    e.prison_heat *= 1.0 - x;
                }
                K::AntiTrafficking => {
                    e.displaced_trafficking *= cut(iv.effect);
                    e.detection[OffenceType::Trafficking.index()] *= 1.0 + x;
                }
            }
        }
        e
    }
}

/// Adds a programme: reach combines as independent draws, effects multiplicatively.
fn combine_programme(e: &mut PolicyEffects, p: Programme, intensity: f64, multiplier: f64) {
    let slot = &mut e.programmes[p as usize];
    slot.0 = 1.0 - (1.0 - slot.0) * (1.0 - intensity);
    slot.1 *= multiplier;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(kind: InterventionKind, effect: f64) -> Intervention {
        Intervention {
            name: "x".into(),
            kind,
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
        let i = iv(InterventionKind::LegalAid, 0.4);
        assert_eq!(i.intensity(2025, 11), 0.0);
        assert!((i.intensity(2025, 12) - 0.5 / 12.0).abs() < 1e-12);
        assert_eq!(i.intensity(2025, 12 + 11), 0.5);
        assert_eq!(i.intensity(2025, 12 * 5 + 11), 0.5);
        assert_eq!(i.intensity(2025, 12 * 6), 0.0);
    }

    #[test]
    fn effects_on_one_mechanism_combine_multiplicatively() {
        let list = [
            iv(InterventionKind::ProblemOrientedPolicing, 0.2),
            iv(InterventionKind::HotSpotPolicing, 0.1),
        ];
        let e = PolicyEffects::combine(&list, &[], 2025, 40);
        let p = OffenceType::Property.index();
        assert!((e.offending[p] - 0.9 * 0.95).abs() < 1e-12);
        assert_eq!(e.offending[OffenceType::Drug.index()], 1.0);
    }
}
