//! The intervention catalogue (docs/model.md section 4.12): every intervention a scenario or a
//! comparison arm can switch on, with the mechanism it changes, its default effect and plausible
//! range, who it reaches, its cost basis and its source.
//!
//! Effects act on mechanisms of the model (`sim_core::interventions`), never on outputs.
//! Interventions acting on the same mechanism combine multiplicatively: two programmes cutting
//! property offending by 20% and 10% cut it to 0.8 x 0.9 = 72% of its level.

use sim_core::interventions::{Intervention, MechanismRef};
use sim_core::mechanisms as m;

/// One row of the catalogue.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    /// Name used in scenario files and `--arm` (snake_case).
    pub name: &'static str,
    /// The mechanism in the model: the type implementing its hook.
    pub hook: MechanismRef,
    /// What changes, in the model's terms.
    pub mechanism: &'static str,
    /// Who is reached.
    pub targeting: &'static str,
    /// Default effect, in the unit of `effect_unit`.
    pub effect: f64,
    /// Plausible range of the effect (validation and sensitivity analysis).
    pub effect_range: (f64, f64),
    /// What the effect number means.
    pub effect_unit: &'static str,
    /// Default coverage of the target group at full scale.
    pub coverage: f64,
    /// Default months to full coverage.
    pub ramp_months: f64,
    /// Default cost per unit of `cost_basis` (currency units; an assumption unless cited).
    pub unit_cost: f64,
    /// What one unit of cost is.
    pub cost_basis: &'static str,
    /// Evidence for the effect.
    pub source: &'static str,
}

/// Every intervention, in docs/model.md order.
pub static CATALOGUE: &[Entry] = &[
    Entry {
        name: "youth_mentoring",
        hook: MechanismRef(&m::YouthMentoring),
        mechanism: "offending hazard of reached at-risk 10-24-year-olds (all offence types)",
        targeting: "people aged 10-24 in the top 30% of offending propensity",
        effect: 0.2,
        effect_range: (0.05, 0.35),
        effect_unit: "relative reduction of offending",
        coverage: 0.3,
        ramp_months: 24.0,
        unit_cost: 1500.0,
        cost_basis: "per participant-year",
        source: "Tolan et al. 2013 (Campbell review): mentoring cuts delinquency by about a fifth (d about 0.2)",
    },
    Entry {
        name: "family_therapy",
        hook: MechanismRef(&m::FamilyTherapy),
        mechanism: "offending hazard of reached convicted people under 25",
        targeting: "people aged 12-24 with a conviction",
        effect: 0.25,
        effect_range: (0.1, 0.35),
        effect_unit: "relative reduction of reoffending",
        coverage: 0.3,
        ramp_months: 24.0,
        unit_cost: 4000.0,
        cost_basis: "per enrolment (a conviction of someone under 25)",
        source: "Meta-analyses of functional family therapy and multisystemic therapy: reoffending about 20-30% lower",
    },
    Entry {
        name: "problem_oriented_policing",
        hook: MechanismRef(&m::ProblemOrientedPolicing),
        mechanism: "homicide, assault and property offending hazard in treated areas",
        targeting: "a share of each region's areas (coverage)",
        effect: 0.25,
        effect_range: (0.2, 0.34),
        effect_unit: "relative reduction of offending in treated areas",
        coverage: 0.3,
        ramp_months: 12.0,
        unit_cost: 50000.0,
        cost_basis: "per 100,000 population per year at full coverage",
        source: "Hinkle et al. 2020 (Campbell review): problem-oriented policing cuts crime in treated areas by about 20-34%",
    },
    Entry {
        name: "hot_spot_policing",
        hook: MechanismRef(&m::HotSpotPolicing),
        mechanism: "homicide, assault and property offending hazard in hot spots",
        targeting: "a share of each region's areas (coverage); crime diffuses benefits rather than moving",
        effect: 0.12,
        effect_range: (0.08, 0.16),
        effect_unit: "relative reduction of offending in hot spots",
        coverage: 0.3,
        ramp_months: 6.0,
        unit_cost: 30000.0,
        cost_basis: "per 100,000 population per year at full coverage",
        source: "Braga et al. 2019 (Campbell review): small effects, about 8-16%, with diffusion of benefits rather than displacement",
    },
    Entry {
        name: "predictive_policing",
        hook: MechanismRef(&m::PredictivePolicing),
        mechanism: "allocation of police capacity across regions in proportion to the last 12 months' recorded drug offences (coverage = share of capacity allocated so); homicide, assault and property offending where it patrols (effect)",
        targeting: "every region's police; proactive detection follows police per person (justice.detection_presence_elasticity)",
        effect: 0.0,
        effect_range: (0.0, 0.074),
        effect_unit: "relative reduction of homicide, assault and property offending at full coverage",
        coverage: 0.5,
        ramp_months: 6.0,
        unit_cost: 5000.0,
        cost_basis: "per 100,000 population per year at full coverage (software, analysts)",
        source: "Lum & Isaac 2016: a prediction tool trained on Oakland's recorded drug crime sends police where they already were, not where drug use is; Ensign et al. 2018: runaway feedback loops. Mohler et al. 2015: 7.4% fewer crimes with patrols at predicted hot spots (the top of the effect range; 0 by default, as regional reallocation targets no hot spot)",
    },
    Entry {
        name: "survey_allocated_policing",
        hook: MechanismRef(&m::SurveyAllocatedPolicing),
        mechanism: "allocation of police capacity across regions in proportion to drug offending as a self-report survey estimates it (coverage = share of capacity allocated so); homicide, assault and property offending (effect)",
        targeting: "every region's police",
        effect: 0.0,
        effect_range: (0.0, 0.074),
        effect_unit: "relative reduction of homicide, assault and property offending at full coverage",
        coverage: 0.5,
        ramp_months: 6.0,
        unit_cost: 5000.0,
        cost_basis: "per 100,000 population per year at full coverage (survey and analysts)",
        source: "Lum & Isaac 2016 used the National Survey on Drug Use and Health to estimate where drug use is; Ensign et al. 2018: allocation on data not produced by the police breaks the feedback loop",
    },
    Entry {
        name: "focused_deterrence",
        hook: MechanismRef(&m::FocusedDeterrence),
        mechanism: "homicide and assault hazard of reached high-risk young men",
        targeting: "men aged 15-34 in the top 10% of offending propensity (group-involved)",
        effect: 0.3,
        effect_range: (0.15, 0.45),
        effect_unit: "relative reduction of serious violence",
        coverage: 0.5,
        ramp_months: 12.0,
        unit_cost: 2000.0,
        cost_basis: "per participant-year",
        source: "Braga, Weisburd & Turchan 2018: moderate effects on serious violence, about 30%",
    },
    Entry {
        name: "community_policing",
        hook: MechanismRef(&m::CommunityPolicing),
        mechanism: "probability that victims of assault, GBV, property crime and trafficking report",
        targeting: "everyone (coverage = share of areas)",
        effect: 0.1,
        effect_range: (0.02, 0.2),
        effect_unit: "added reporting probability at full coverage",
        coverage: 0.5,
        ramp_months: 24.0,
        unit_cost: 20000.0,
        cost_basis: "per 100,000 population per year at full coverage",
        source: "Assumption (docs/model.md 4.12): trust-building raises reporting by some points",
    },
    Entry {
        name: "victim_support",
        hook: MechanismRef(&m::VictimSupport),
        mechanism: "probability that victims of gender-based violence and trafficking report",
        targeting: "victims of GBV and trafficking (coverage = share reached)",
        effect: 0.15,
        effect_range: (0.05, 0.3),
        effect_unit: "added reporting probability at full coverage",
        coverage: 0.5,
        ramp_months: 12.0,
        unit_cost: 15000.0,
        cost_basis: "per 100,000 population per year at full coverage",
        source: "Assumption (docs/model.md 4.12): victim services raise reporting of GBV",
    },
    Entry {
        name: "legal_aid",
        hook: MechanismRef(&m::LegalAid),
        mechanism: "pre-trial detention (effect), custody (-16%) and sentence length (-24%) of covered defendants",
        targeting: "charged defendants (coverage = share with counsel at first appearance)",
        effect: 0.5,
        effect_range: (0.3, 0.6),
        effect_unit: "relative reduction of pre-trial detention",
        coverage: 0.6,
        ramp_months: 12.0,
        unit_cost: 300.0,
        cost_basis: "per covered defendant",
        source: "Colbert, Paternoster & Bushway 2002: counsel at bail hearings more than doubled release on recognisance; Anderson, Buenaventura & Heaton 2019: custody -16%, length -24%",
    },
    Entry {
        name: "court_capacity",
        hook: MechanismRef(&m::CourtCapacity),
        mechanism: "court dispositions per month",
        targeting: "every regional court",
        effect: 0.25,
        effect_range: (0.05, 1.0),
        effect_unit: "relative rise of disposition capacity",
        coverage: 1.0,
        ramp_months: 12.0,
        unit_cost: 500.0,
        cost_basis: "per added disposition",
        source: "Scenario lever (docs/model.md 4.12): judges, staff, remote hearings",
    },
    Entry {
        name: "remote_hearings",
        hook: MechanismRef(&m::RemoteHearings),
        mechanism: "court dispositions per month in proportion to the region's digital access (effect); procedural time of connected defendants (justice.remote_procedure_cut); pre-trial detention after a video first appearance (justice.video_detention_risk)",
        targeting: "charged defendants with digital access (regions.digital_access, lower for rural, older and displaced people)",
        effect: 0.1,
        effect_range: (0.0, 0.3),
        effect_unit: "relative rise of court capacity where every case is heard remotely",
        coverage: 0.8,
        ramp_months: 12.0,
        unit_cost: 40.0,
        cost_basis: "per charged case offered a remote hearing",
        source: "Assumption on throughput and time (no robust estimate); the detention risk from Diamond et al. 2010: bail amounts rose 51% after Cook County moved bail hearings to video",
    },
    Entry {
        name: "online_legal_information",
        hook: MechanismRef(&m::OnlineLegalInformation),
        mechanism: "pre-trial detention of reached defendants (they know their rights and the bail process)",
        targeting: "charged defendants with digital access (regions.digital_access, lower for rural, older and displaced people); coverage = share of them reached",
        effect: 0.1,
        effect_range: (0.0, 0.3),
        effect_unit: "relative reduction of pre-trial detention of a reached defendant",
        coverage: 0.5,
        ramp_months: 12.0,
        unit_cost: 2000.0,
        cost_basis: "per 100,000 population per year at full coverage (website, chat and helpline)",
        source: "Assumption: information is weaker than counsel, which more than doubled release at bail hearings (Colbert, Paternoster & Bushway 2002), so a fifth of legal aid's default effect; reaches only connected people (ITU 2023)",
    },
    Entry {
        name: "community_sentences",
        hook: MechanismRef(&m::CommunitySentences),
        mechanism: "custody for assault, property and drug offences (replaced by community sentences or electronic monitoring)",
        targeting: "people convicted of minor offences",
        effect: 0.4,
        effect_range: (0.2, 0.7),
        effect_unit: "relative reduction of custody for minor offences",
        coverage: 1.0,
        ramp_months: 12.0,
        unit_cost: 1000.0,
        cost_basis: "per community sentence",
        source: "Di Tella & Schargrodsky 2013: reoffending after electronic monitoring lower than after prison (here through avoided post-release effects)",
    },
    Entry {
        name: "drug_treatment_diversion",
        hook: MechanismRef(&m::DrugTreatmentDiversion),
        mechanism: "custody of drug offenders (-50%) and drug reoffending of reached people with convictions",
        targeting: "people with convictions (drug offending)",
        effect: 0.2,
        effect_range: (0.1, 0.3),
        effect_unit: "relative reduction of drug reoffending (about -12 points of 60%)",
        coverage: 0.5,
        ramp_months: 12.0,
        unit_cost: 3000.0,
        cost_basis: "per recorded drug case",
        source: "Mitchell, Wilson, Eggers & MacKenzie 2012 (drug courts): reoffending about 12 points lower",
    },
    Entry {
        name: "cbt_in_prison",
        hook: MechanismRef(&m::CbtInPrison),
        mechanism: "offending hazard of reached people released in the last 5 years",
        targeting: "prisoners (places cut by overcrowding)",
        effect: 0.25,
        effect_range: (0.1, 0.35),
        effect_unit: "relative reduction of reoffending",
        coverage: 0.4,
        ramp_months: 12.0,
        unit_cost: 1200.0,
        cost_basis: "per participant-year in prison",
        source: "Lipsey, Landenberger & Wilson 2007: cognitive-behavioural programmes cut reoffending by about 25%",
    },
    Entry {
        name: "prison_education",
        hook: MechanismRef(&m::PrisonEducation),
        mechanism: "offending hazard of reached people released in the last 5 years",
        targeting: "prisoners (places cut by overcrowding)",
        effect: 0.25,
        effect_range: (0.15, 0.43),
        effect_unit: "relative reduction of reoffending (odds -43%, about -13 points)",
        coverage: 0.4,
        ramp_months: 12.0,
        unit_cost: 1400.0,
        cost_basis: "per participant-year in prison",
        source: "Davis et al. 2013 (RAND): education in prison lowers the odds of reoffending by 43%, about 13 points",
    },
    Entry {
        name: "early_release_older",
        hook: MechanismRef(&m::EarlyReleaseOlder),
        mechanism: "monthly release of sentenced older prisoners (50+) who have served half their time",
        targeting: "sentenced prisoners at or above the older age (50) past half of their sentence",
        effect: 0.2,
        effect_range: (0.05, 1.0),
        effect_unit: "monthly release probability of eligible prisoners at full coverage",
        coverage: 1.0,
        ramp_months: 6.0,
        unit_cost: 2000.0,
        cost_basis: "per early release (assessment and support)",
        source: "Scenario lever (docs/model.md 4.11): people released after 50 reoffend far less, following the age-crime curve",
    },
    Entry {
        name: "prison_construction",
        hook: MechanismRef(&m::PrisonConstruction),
        mechanism: "prison beds",
        targeting: "the national prison estate; beds open over the ramp (build time)",
        effect: 0.2,
        effect_range: (0.05, 1.0),
        effect_unit: "relative rise of beds",
        coverage: 1.0,
        ramp_months: 36.0,
        unit_cost: 30000.0,
        cost_basis: "per bed built",
        source: "Scenario lever (docs/model.md 4.12)",
    },
    Entry {
        name: "sentencing_reform",
        hook: MechanismRef(&m::SentencingReform),
        mechanism: "custodial sentence lengths",
        targeting: "every custodial sentence",
        effect: 0.2,
        effect_range: (0.05, 0.5),
        effect_unit: "relative reduction of sentence lengths",
        coverage: 1.0,
        ramp_months: 0.0,
        unit_cost: 1000.0,
        cost_basis: "per 100,000 population per year",
        source: "Scenario lever (docs/model.md 4.12); severity adds little deterrence (Nagin 2013)",
    },
    Entry {
        name: "early_warning",
        hook: MechanismRef(&m::EarlyWarning),
        mechanism: "displacement by climate hazards",
        targeting: "exposed people (coverage = share reached by warnings and resilient housing)",
        effect: 0.3,
        effect_range: (0.1, 0.6),
        effect_unit: "relative reduction of displacement at full coverage",
        coverage: 0.5,
        ramp_months: 24.0,
        unit_cost: 20000.0,
        cost_basis: "per 100,000 population per year at full coverage",
        source: "Assumption (docs/model.md 4.12)",
    },
    Entry {
        name: "resilient_infrastructure",
        hook: MechanismRef(&m::ResilientInfrastructure),
        mechanism: "damage to courts and prisons; heat deaths in prisons (cooling)",
        targeting: "court and prison buildings (coverage = share retrofitted)",
        effect: 0.5,
        effect_range: (0.2, 0.9),
        effect_unit: "relative reduction of damage at full coverage",
        coverage: 0.5,
        ramp_months: 36.0,
        unit_cost: 25000.0,
        cost_basis: "per 100,000 population per year at full coverage",
        source: "Assumption (docs/model.md 4.12); heat deaths in prisons without cooling about 15% higher on extreme-heat days (US studies)",
    },
    Entry {
        name: "anti_trafficking",
        hook: MechanismRef(&m::AntiTrafficking),
        mechanism: "excess trafficking risk of displaced people; proactive detection of trafficking (doubled at full coverage)",
        targeting: "displaced people and trafficking networks",
        effect: 0.5,
        effect_range: (0.2, 0.8),
        effect_unit: "relative reduction of displaced people's excess risk at full coverage",
        coverage: 0.5,
        ramp_months: 12.0,
        unit_cost: 10000.0,
        cost_basis: "per 100,000 population per year at full coverage",
        source: "Assumption (docs/model.md 4.12)",
    },
];

/// A catalogue entry by name.
pub fn entry(name: &str) -> Option<&'static Entry> {
    CATALOGUE.iter().find(|e| e.name == name)
}

/// Names of all interventions.
pub fn names() -> impl Iterator<Item = &'static str> {
    CATALOGUE.iter().map(|e| e.name)
}

impl Entry {
    /// The intervention with the catalogue defaults, in force from the year after `start_year`
    /// to `end_year` (full horizon unless a scenario says otherwise).
    pub fn instantiate(&self, start_year: f64, end_year: f64) -> Intervention {
        Intervention {
            name: self.name.to_string(),
            mechanism: self.hook,
            coverage: self.coverage,
            start_year,
            end_year,
            ramp_months: self.ramp_months,
            effect: self.effect,
            unit_cost: self.unit_cost,
        }
    }
}

impl Entry {
    /// The intervention with the catalogue defaults over the horizon of scenario `p`: from the
    /// year after the start (so year one shows the baseline) to the last simulated year.
    pub fn for_scenario(&self, p: &sim_core::ModelParams) -> Intervention {
        let first = f64::from(p.scenario.start_year);
        let last = first + f64::from(p.scenario.years) - 1.0;
        self.instantiate((first + 1.0).min(last), last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_names_its_own_mechanism() {
        for e in CATALOGUE {
            assert_eq!(e.hook.id(), e.name, "{}", e.name);
        }
    }

    #[test]
    fn every_entry_is_sourced_unique_and_its_default_lies_in_its_range() {
        for (i, e) in CATALOGUE.iter().enumerate() {
            assert!(
                e.effect_range.0 <= e.effect && e.effect <= e.effect_range.1,
                "{}",
                e.name
            );
            assert!((0.0..=1.0).contains(&e.coverage), "{}", e.name);
            assert!(e.source.len() > 10, "{}", e.name);
            assert!(
                CATALOGUE[..i]
                    .iter()
                    .all(|o| o.name != e.name && o.hook != e.hook)
            );
        }
        assert_eq!(
            CATALOGUE.len(),
            23,
            "the 23 interventions of docs/interventions.md"
        );
    }
}
