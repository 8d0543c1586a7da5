//! The 23 built-in intervention mechanisms (docs/model.md section 4.12), each a type
//! implementing [`Mechanism`]: what it changes in the month's [`PolicyEffects`] and what its cost
//! is counted on. Effect sizes, ranges, costs and sources are in the `scenarios` catalogue; the
//! few fixed numbers here cite their source.

use crate::interventions::{
    CostBasis, Intervention, Mechanism, PolicyEffects, Programme, combine_programme,
};
use crate::offence::OffenceType;

/// One twelfth: yearly per-person costs booked each month.
const PER_YEAR: f64 = 1.0 / 12.0;

/// Share of the at-risk group reached by youth mentoring: the top 30% of offending propensity.
pub const AT_RISK_SHARE: f64 = 0.3;
/// Share of young men targeted by focused deterrence: the top 10% of offending propensity.
pub const HIGH_RISK_SHARE: f64 = 0.1;

/// Minor offences that community sentences replace custody for.
const MINOR: [OffenceType; 3] = [
    OffenceType::Assault,
    OffenceType::Property,
    OffenceType::Drug,
];

/// `1 - effect * x`: a cut at intensity `x`.
fn cut(iv: &Intervention, x: f64) -> f64 {
    1.0 - iv.effect * x
}

/// Area-wide measures are costed per 100,000 people a year.
fn per_100k(b: &CostBasis, x: f64) -> f64 {
    b.population / 1e5 * x * PER_YEAR
}

/// Declares a mechanism type with its id.
macro_rules! mechanism {
    ($(#[$doc:meta])* $name:ident, $id:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default)]
        pub struct $name;

        impl $name {
            /// Catalogue name.
            pub const ID: &'static str = $id;
        }
    };
}

mechanism!(
    /// Mentoring of at-risk 10-24-year-olds: their offending falls.
    YouthMentoring,
    "youth_mentoring"
);
mechanism!(
    /// Functional family therapy / multisystemic therapy for convicted youth: reoffending falls.
    FamilyTherapy,
    "family_therapy"
);
mechanism!(
    /// Problem-oriented policing: offending in treated areas falls.
    ProblemOrientedPolicing,
    "problem_oriented_policing"
);
mechanism!(
    /// Hot-spot policing: property crime and assault in hot spots fall.
    HotSpotPolicing,
    "hot_spot_policing"
);
mechanism!(
    /// Predictive policing: police capacity allocated across regions by last year's recorded
    /// drug offences (`crate::systems::deployment`).
    PredictivePolicing,
    "predictive_policing"
);
mechanism!(
    /// Police capacity allocated across regions by survey estimates of drug offending.
    SurveyAllocatedPolicing,
    "survey_allocated_policing"
);
mechanism!(
    /// Focused deterrence: serious violence among high-risk young men falls.
    FocusedDeterrence,
    "focused_deterrence"
);
mechanism!(
    /// Community policing and trust building: reporting rises.
    CommunityPolicing,
    "community_policing"
);
mechanism!(
    /// Victim support services: reporting of gender-based violence and trafficking rises.
    VictimSupport,
    "victim_support"
);
mechanism!(
    /// Legal aid at first appearance: pre-trial detention, custody and sentence length fall.
    LegalAid,
    "legal_aid"
);
mechanism!(
    /// Court capacity and remote hearings: dispositions per month rise.
    CourtCapacity,
    "court_capacity"
);
mechanism!(
    /// Remote hearings and digital case management: courts where people are connected dispose
    /// more cases, connected defendants' cases move faster, and video first appearances risk
    /// more pre-trial detention.
    RemoteHearings,
    "remote_hearings"
);
mechanism!(
    /// Online legal information: connected defendants learn their rights and the bail process,
    /// and fewer are detained before trial.
    OnlineLegalInformation,
    "online_legal_information"
);
mechanism!(
    /// Community sentences and electronic monitoring: custody for minor offences falls.
    CommunitySentences,
    "community_sentences"
);
mechanism!(
    /// Drug-treatment diversion: custody and reoffending of drug offenders fall.
    DrugTreatmentDiversion,
    "drug_treatment_diversion"
);
mechanism!(
    /// Cognitive-behavioural therapy in prison: reoffending after release falls.
    CbtInPrison,
    "cbt_in_prison"
);
mechanism!(
    /// Prison education: reoffending after release falls.
    PrisonEducation,
    "prison_education"
);
mechanism!(
    /// Early or compassionate release of older prisoners.
    EarlyReleaseOlder,
    "early_release_older"
);
mechanism!(
    /// Prison construction: beds rise after the build time.
    PrisonConstruction,
    "prison_construction"
);
mechanism!(
    /// Sentencing reform: sentence lengths fall.
    SentencingReform,
    "sentencing_reform"
);
mechanism!(
    /// Early warning and adaptation: displacement falls.
    EarlyWarning,
    "early_warning"
);
mechanism!(
    /// Resilient justice infrastructure (and prison cooling): damage and heat deaths fall.
    ResilientInfrastructure,
    "resilient_infrastructure"
);
mechanism!(
    /// Anti-trafficking protection: trafficking of displaced people falls, detection rises.
    AntiTrafficking,
    "anti_trafficking"
);

impl Mechanism for YouthMentoring {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn apply(&self, e: &mut PolicyEffects, _: &Intervention, x: f64, reached: f64) {
        combine_programme(e, Programme::Mentoring, x, reached);
    }
    fn cost_units(&self, b: &CostBasis, _: &Intervention, x: f64) -> f64 {
        b.youth_10_24 * AT_RISK_SHARE * x * PER_YEAR
    }
}

impl Mechanism for FamilyTherapy {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn apply(&self, e: &mut PolicyEffects, _: &Intervention, x: f64, reached: f64) {
        combine_programme(e, Programme::FamilyTherapy, x, reached);
    }
    fn cost_units(&self, b: &CostBasis, _: &Intervention, x: f64) -> f64 {
        b.last.youth_convictions as f64 * b.scale * x
    }
}

impl Mechanism for FocusedDeterrence {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn apply(&self, e: &mut PolicyEffects, _: &Intervention, x: f64, reached: f64) {
        combine_programme(e, Programme::FocusedDeterrence, x, reached);
    }
    fn cost_units(&self, b: &CostBasis, _: &Intervention, x: f64) -> f64 {
        b.young_men_15_34 * HIGH_RISK_SHARE * x * PER_YEAR
    }
}

/// The in-prison programmes are costed per prisoner a year, for the beds' share of prisoners
/// (crowding above capacity adds no places on the programme).
fn in_prison_units(b: &CostBasis, x: f64) -> f64 {
    b.prisoners * x * (1.0 / b.occupancy).min(1.0) * PER_YEAR
}

impl Mechanism for CbtInPrison {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn apply(&self, e: &mut PolicyEffects, _: &Intervention, x: f64, reached: f64) {
        combine_programme(e, Programme::Cbt, x, reached);
    }
    fn cost_units(&self, b: &CostBasis, _: &Intervention, x: f64) -> f64 {
        in_prison_units(b, x)
    }
    fn in_prison_programme(&self) -> bool {
        true
    }
}

impl Mechanism for PrisonEducation {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn apply(&self, e: &mut PolicyEffects, _: &Intervention, x: f64, reached: f64) {
        combine_programme(e, Programme::Education, x, reached);
    }
    fn cost_units(&self, b: &CostBasis, _: &Intervention, x: f64) -> f64 {
        in_prison_units(b, x)
    }
    fn in_prison_programme(&self) -> bool {
        true
    }
}

impl Mechanism for DrugTreatmentDiversion {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn apply(&self, e: &mut PolicyEffects, _: &Intervention, x: f64, reached: f64) {
        combine_programme(e, Programme::DrugDiversion, x, reached);
        e.custody[OffenceType::Drug.index()] *= 1.0 - 0.5 * x;
    }
    fn cost_units(&self, b: &CostBasis, _: &Intervention, x: f64) -> f64 {
        b.last.recorded[OffenceType::Drug.index()] as f64 * b.scale * x
    }
}

/// Area policing cuts homicide, assault and property offending.
fn area_policing(e: &mut PolicyEffects, iv: &Intervention, x: f64) {
    for t in [
        OffenceType::Homicide,
        OffenceType::Assault,
        OffenceType::Property,
    ] {
        e.offending[t.index()] *= cut(iv, x);
    }
}

impl Mechanism for ProblemOrientedPolicing {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn apply(&self, e: &mut PolicyEffects, iv: &Intervention, x: f64, _: f64) {
        area_policing(e, iv, x);
    }
    fn cost_units(&self, b: &CostBasis, _: &Intervention, x: f64) -> f64 {
        per_100k(b, x)
    }
}

impl Mechanism for HotSpotPolicing {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn apply(&self, e: &mut PolicyEffects, iv: &Intervention, x: f64, _: f64) {
        area_policing(e, iv, x);
    }
    fn cost_units(&self, b: &CostBasis, _: &Intervention, x: f64) -> f64 {
        per_100k(b, x)
    }
}

impl Mechanism for CommunityPolicing {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn apply(&self, e: &mut PolicyEffects, iv: &Intervention, x: f64, _: f64) {
        for t in [
            OffenceType::Assault,
            OffenceType::Gbv,
            OffenceType::Property,
            OffenceType::Trafficking,
        ] {
            e.report_add[t.index()] += iv.effect * x;
        }
    }
    fn cost_units(&self, b: &CostBasis, _: &Intervention, x: f64) -> f64 {
        per_100k(b, x)
    }
}

impl Mechanism for VictimSupport {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn apply(&self, e: &mut PolicyEffects, iv: &Intervention, x: f64, _: f64) {
        for t in [OffenceType::Gbv, OffenceType::Trafficking] {
            e.report_add[t.index()] += iv.effect * x;
        }
    }
    fn cost_units(&self, b: &CostBasis, _: &Intervention, x: f64) -> f64 {
        per_100k(b, x)
    }
}

impl Mechanism for LegalAid {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn apply(&self, e: &mut PolicyEffects, iv: &Intervention, x: f64, _: f64) {
        // Colbert et al. 2002: counsel at bail hearings more than doubled release;
        // Anderson, Buenaventura & Heaton 2019: custody -16%, length -24%.
        e.detention *= cut(iv, x);
        for c in e.custody.iter_mut() {
            *c *= 1.0 - 0.16 * x;
        }
        e.length *= 1.0 - 0.24 * x;
    }
    fn cost_units(&self, b: &CostBasis, _: &Intervention, x: f64) -> f64 {
        b.last.charged as f64 * b.scale * x
    }
}

impl Mechanism for PredictivePolicing {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn apply(&self, e: &mut PolicyEffects, iv: &Intervention, x: f64, _: f64) {
        e.predictive_policing = (e.predictive_policing + x).min(1.0);
        area_policing(e, iv, x);
    }
    fn cost_units(&self, b: &CostBasis, _: &Intervention, x: f64) -> f64 {
        per_100k(b, x)
    }
}

impl Mechanism for SurveyAllocatedPolicing {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn apply(&self, e: &mut PolicyEffects, iv: &Intervention, x: f64, _: f64) {
        e.survey_policing = (e.survey_policing + x).min(1.0);
        area_policing(e, iv, x);
    }
    fn cost_units(&self, b: &CostBasis, _: &Intervention, x: f64) -> f64 {
        per_100k(b, x)
    }
}

impl Mechanism for RemoteHearings {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn apply(&self, e: &mut PolicyEffects, iv: &Intervention, x: f64, _: f64) {
        // Regional capacity and each defendant's hearing are decided in the Courts stage from
        // digital access (`crate::digital`).
        e.remote_hearings = (e.remote_hearings + x).min(1.0);
        e.remote_capacity_gain = iv.effect;
    }
    fn cost_units(&self, b: &CostBasis, _: &Intervention, x: f64) -> f64 {
        b.last.charged as f64 * b.scale * x
    }
}

impl Mechanism for OnlineLegalInformation {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn apply(&self, e: &mut PolicyEffects, iv: &Intervention, x: f64, _: f64) {
        // Who is reached is decided in the Courts stage from digital access.
        e.online_legal_information = (e.online_legal_information + x).min(1.0);
        e.online_legal_effect = iv.effect;
    }
    fn cost_units(&self, b: &CostBasis, _: &Intervention, x: f64) -> f64 {
        per_100k(b, x)
    }
}

impl Mechanism for CourtCapacity {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn apply(&self, e: &mut PolicyEffects, iv: &Intervention, x: f64, _: f64) {
        e.court_capacity *= 1.0 + iv.effect * x;
    }
    fn cost_units(&self, b: &CostBasis, iv: &Intervention, x: f64) -> f64 {
        b.court_capacity * iv.effect * x * b.scale
    }
}

impl Mechanism for CommunitySentences {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn apply(&self, e: &mut PolicyEffects, iv: &Intervention, x: f64, _: f64) {
        for t in MINOR {
            e.custody[t.index()] *= cut(iv, x);
        }
    }
    fn cost_units(&self, b: &CostBasis, _: &Intervention, x: f64) -> f64 {
        b.last.community as f64 * b.scale * x
    }
}

impl Mechanism for EarlyReleaseOlder {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn apply(&self, e: &mut PolicyEffects, iv: &Intervention, x: f64, _: f64) {
        e.early_release_older = 1.0 - (1.0 - e.early_release_older) * (1.0 - iv.effect * x);
    }
    fn cost_units(&self, b: &CostBasis, _: &Intervention, _: f64) -> f64 {
        b.last.early_releases as f64 * b.scale
    }
}

impl Mechanism for PrisonConstruction {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn apply(&self, e: &mut PolicyEffects, iv: &Intervention, x: f64, _: f64) {
        e.beds *= 1.0 + iv.effect * x;
    }
    /// Beds are paid for when they open (see [`Mechanism::builds_beds`]), not monthly.
    fn cost_units(&self, _: &CostBasis, _: &Intervention, _: f64) -> f64 {
        0.0
    }
    fn builds_beds(&self) -> bool {
        true
    }
}

impl Mechanism for SentencingReform {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn apply(&self, e: &mut PolicyEffects, iv: &Intervention, x: f64, _: f64) {
        e.length *= cut(iv, x);
    }
    fn cost_units(&self, b: &CostBasis, _: &Intervention, x: f64) -> f64 {
        per_100k(b, x)
    }
}

impl Mechanism for EarlyWarning {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn apply(&self, e: &mut PolicyEffects, iv: &Intervention, x: f64, _: f64) {
        e.adaptation = 1.0 - (1.0 - e.adaptation) * cut(iv, x);
    }
    fn cost_units(&self, b: &CostBasis, _: &Intervention, x: f64) -> f64 {
        per_100k(b, x)
    }
}

impl Mechanism for ResilientInfrastructure {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn apply(&self, e: &mut PolicyEffects, iv: &Intervention, x: f64, _: f64) {
        e.resilience = 1.0 - (1.0 - e.resilience) * cut(iv, x);
        e.prison_heat *= 1.0 - x;
    }
    fn cost_units(&self, b: &CostBasis, _: &Intervention, x: f64) -> f64 {
        per_100k(b, x)
    }
}

impl Mechanism for AntiTrafficking {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn apply(&self, e: &mut PolicyEffects, iv: &Intervention, x: f64, _: f64) {
        e.displaced_trafficking *= cut(iv, x);
        e.detection[OffenceType::Trafficking.index()] *= 1.0 + x;
    }
    fn cost_units(&self, b: &CostBasis, _: &Intervention, x: f64) -> f64 {
        per_100k(b, x)
    }
}
