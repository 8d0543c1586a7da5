//! Offence types (docs/model.md section 4.5) and the per-month buffer of offence records that moves
//! down the pipeline: offending -> victimisation -> reporting -> policing.

use bevy_ecs::prelude::Resource;

/// The offence types, each with its ICCS section so results line up with national statistics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum OffenceType {
    /// Intentional homicide (ICCS 01, acts leading to death).
    Homicide = 0,
    /// Assault and other non-lethal violence (ICCS 02, acts leading to harm).
    Assault = 1,
    /// Gender-based and intimate-partner violence, sexual violence (ICCS 0201 partner violence,
    /// 03 injurious acts of a sexual nature).
    Gbv = 2,
    /// Property crime (ICCS 04 and 05, acts against property).
    Property = 3,
    /// Trafficking in persons (ICCS 0204), perpetrated by networks.
    Trafficking = 4,
    /// Drug offences (ICCS 06).
    Drug = 5,
    /// Crimes that affect the environment: illegal logging, mining, waste (ICCS 10).
    Environment = 6,
    /// Online fraud (ICCS 07, acts involving fraud, deception or corruption, committed through
    /// a computer network): victims anywhere in the country who are online, offenders mostly
    /// out of reach.
    Fraud = 7,
}

/// Number of offence types.
pub const OFFENCE_TYPES: usize = 8;

impl OffenceType {
    /// All types in index order.
    pub const ALL: [OffenceType; OFFENCE_TYPES] = [
        OffenceType::Homicide,
        OffenceType::Assault,
        OffenceType::Gbv,
        OffenceType::Property,
        OffenceType::Trafficking,
        OffenceType::Drug,
        OffenceType::Environment,
        OffenceType::Fraud,
    ];

    /// Names used in scenario keys (`crime.homicide.clearance`) and output columns.
    pub const NAMES: [&'static str; OFFENCE_TYPES] = [
        "homicide",
        "assault",
        "gbv",
        "property",
        "trafficking",
        "drug",
        "environment",
        "fraud",
    ];

    /// The International Classification of Crime for Statistical Purposes (UNODC 2015)
    /// sections each type belongs to, in type order.
    pub const ICCS: [&'static str; OFFENCE_TYPES] =
        ["01", "02", "02/03", "04/05", "0204", "06", "10", "07"];

    /// Index for per-type tables.
    #[inline(always)]
    pub fn index(self) -> usize {
        self as usize
    }

    /// The type with index `i`.
    pub fn from_index(i: usize) -> OffenceType {
        Self::ALL[i]
    }

    /// Scenario and output name.
    pub fn name(self) -> &'static str {
        Self::NAMES[self.index()]
    }

    /// Non-lethal violence against a person that counts towards SDG 16.1.3 prevalence.
    pub fn is_nonlethal_violence(self) -> bool {
        matches!(self, OffenceType::Assault | OffenceType::Gbv)
    }

    /// Whether the offence has an individual victim (drug and environmental offences do not).
    pub fn has_victim(self) -> bool {
        !matches!(self, OffenceType::Drug | OffenceType::Environment)
    }

    /// Whether the victim is drawn from the whole country (online offences reach anyone who is
    /// online) rather than from the offender's region.
    pub fn reaches_nationally(self) -> bool {
        self == OffenceType::Fraud
    }

    /// Whether its clearances enter the certainty of being caught that deters offending
    /// (`Policing.deterrence`). Online fraud does not: its offenders are mostly out of reach, and
    /// its growth with digital adoption would otherwise read as a collapse of certainty for
    /// every other crime.
    pub fn signals_deterrence(self) -> bool {
        self != OffenceType::Fraud
    }

    /// Interpersonal violence, subject to the heat effect (Burke, Hsiang & Miguel 2015).
    pub fn is_interpersonal_violence(self) -> bool {
        matches!(
            self,
            OffenceType::Homicide | OffenceType::Assault | OffenceType::Gbv
        )
    }
}

/// "No person" for row fields of records.
pub const NO_ROW: u32 = u32::MAX;

/// One offence committed this month, filled in stage by stage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Offence {
    /// Type.
    pub kind: OffenceType,
    /// Region where it happened (the offender's region).
    pub region: u8,
    /// Offender's row and id.
    pub offender_row: u32,
    /// Offender's id (a row can be reused after a death).
    pub offender_id: u32,
    /// Victim's row, or [`NO_ROW`].
    pub victim_row: u32,
    /// Whether the violence was sexual (drawn for gender-based violence at victimisation).
    pub sexual: bool,
    /// Whether the property crime was a robbery (drawn at victimisation).
    pub robbery: bool,
    /// Whether the victim reported it (or, for homicide, it was discovered).
    pub reported: bool,
    /// Whether police learnt of it without a report (proactive detection).
    pub detected: bool,
    /// Whether it was cleared (an offender identified).
    pub cleared: bool,
}

impl Offence {
    /// An offence of type `kind` just committed in `region` by the person in row
    /// `offender_row` with id `offender_id`: no victim yet, and nothing yet decided about it.
    pub fn committed(kind: OffenceType, region: u8, offender_row: u32, offender_id: u32) -> Self {
        Offence {
            kind,
            region,
            offender_row,
            offender_id,
            victim_row: NO_ROW,
            sexual: false,
            robbery: false,
            reported: false,
            detected: false,
            cleared: false,
        }
    }

    /// Known to the police: reported or proactively detected (the *recorded* offences).
    pub fn recorded(&self) -> bool {
        self.reported || self.detected
    }

    /// This offence's `j`-th random bits in a stage's stream `key`: keyed by the offender and
    /// the type (a person commits at most one offence of a type a month), never by the
    /// offence's place in the buffer, so that an arm that adds or removes other offences leaves
    /// this one's draws unchanged (common random numbers).
    #[inline]
    pub fn bits(&self, key: crate::rng::MonthKey, j: u32) -> u64 {
        key.bits(self.offender_id, ((self.kind.index() as u32) << 16) | j)
    }
}

/// This month's offences, in a deterministic order (offender row order). Cleared by the
/// Offending stage at the start of each month, keeping its allocation.
#[derive(Resource, Clone, Debug, Default)]
pub struct OffenceBuffer(pub Vec<Offence>);
