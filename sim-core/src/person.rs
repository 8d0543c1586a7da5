//! The person's components, grouped by which systems read them together: each is one column
//! of the person table ([`crate::persons::Persons`]), so a system streams only the columns it
//! reads.
//!
//! **Architecture Invariant:** every person row carries exactly the components of
//! [`person_bundle`]. States that change often (alive or vacant, justice state, displacement)
//! are enum fields written in place, never a change of which columns a person has.
//!
//! Dead or emigrated persons leave a *vacant* row that the next newborn or immigrant reuses
//! with a fresh [`PersonId`]; rows are never removed, so a row index stays valid for the run.

/// A month number relative to the first simulated month (month 0 = January of the start year).
pub type MonthNo = i16;

/// "Never happened" for month fields.
pub const NEVER: MonthNo = MonthNo::MIN;

/// Stable identity of a person for the whole run; random draws are keyed by it. A reused row
/// gets a new id. Stored in [`Demographics`]: every system that needs the id reads that column
/// anyway.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PersonId(pub u32);

/// Sex recorded at birth.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Sex {
    /// Male.
    Male = 0,
    /// Female.
    Female = 1,
}

impl Sex {
    /// Both sexes, in index order.
    pub const ALL: [Sex; 2] = [Sex::Male, Sex::Female];

    /// Index 0 (male) or 1 (female) for tables.
    #[inline(always)]
    pub fn index(self) -> usize {
        self as usize
    }

    /// Lower-case label for outputs.
    pub fn label(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
}

/// Whether a row holds a living person, and where they live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Slot {
    /// A living person in the community.
    Alive,
    /// A living person in custody (pre-trial or sentenced): no offending or victimisation in the
    /// community, mortality handled by the Prisons stage.
    InCustody,
    /// Free for the next newborn or immigrant (the previous occupant died or emigrated).
    Vacant,
}

/// Read by nearly every system: who and where the person is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Demographics {
    /// Stable identity.
    pub id: PersonId,
    /// Month of birth ([`MonthNo`], negative for people born before the run); age is derived.
    pub birth_month: MonthNo,
    /// Sex.
    pub sex: Sex,
    /// Region index of residence.
    pub region: u8,
    /// Alive or vacant row.
    pub slot: Slot,
    /// Currently displaced by a climate shock: a copy of `Experience.displacement.state ==
    /// Displaced`, kept here (in padding bytes) because victimisation and reporting read it for
    /// every candidate victim. Written only by the Displacement stage.
    pub displaced: bool,
}

impl Demographics {
    /// Age in completed months at simulation month `now`.
    #[inline(always)]
    pub fn age_months(&self, now: MonthNo) -> u32 {
        (i32::from(now) - i32::from(self.birth_month)).max(0) as u32
    }

    /// Age in completed years at simulation month `now`.
    #[inline(always)]
    pub fn age_years(&self, now: MonthNo) -> u32 {
        self.age_months(now) / 12
    }

    /// Whether the row holds a living person (in the community or in custody).
    #[inline(always)]
    pub fn alive(&self) -> bool {
        self.slot != Slot::Vacant
    }
}

/// Labour-market status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Employment {
    /// Under working age.
    Child,
    /// In education.
    Student,
    /// Working (formal or informal).
    Employed,
    /// Unemployed, or for the young, not in education, employment or training (NEET).
    Unemployed,
    /// Retired or otherwise out of the labour force by age.
    Retired,
}

/// Read by the economy, offending and intervention stages.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Socioeconomic {
    /// Persistent individual offending propensity, log-normal with mean 1 (docs/model.md section 2).
    pub propensity: f32,
    /// Labour-market status.
    pub employment: Employment,
    /// Lives in an urban area.
    pub urban: bool,
    // No enrolment state: whether a programme reaches a person is a fixed counter-based draw per
    // (person, programme) compared with coverage, so enrolment is stable over time and shared
    // across intervention arms without storing anything (see `systems::offending::Reach`).
}

/// Where a person stands in the criminal-justice system (docs/model.md section 2). One field, so a
/// transition is a write, never an archetype move.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JusticeState {
    /// No open case.
    Free,
    /// Arrested this month, awaiting the charging decision.
    Suspect,
    /// Charged and held in pre-trial detention.
    PretrialDetained,
    /// Charged and released pending trial.
    OnBail,
    /// Serving a custodial sentence until the given month.
    Imprisoned {
        /// Month of release at sentence end.
        until: MonthNo,
    },
    /// Serving a community sentence until the given month.
    Community {
        /// Month the sentence ends.
        until: MonthNo,
    },
}

/// Read by the justice stages.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Justice {
    /// Current state.
    pub state: JusticeState,
    /// Month of the last release from prison ([`NEVER`] if never released).
    pub last_release: MonthNo,
    /// Month of the last arrest ([`NEVER`] if never arrested).
    pub last_arrest: MonthNo,
    /// Month of the last conviction ([`NEVER`] if never convicted).
    pub last_conviction: MonthNo,
    /// Number of convictions so far (saturating).
    pub convictions: u8,
}

impl Justice {
    /// A person with no justice history.
    pub const CLEAN: Justice = Justice {
        state: JusticeState::Free,
        last_release: NEVER,
        last_arrest: NEVER,
        last_conviction: NEVER,
        convictions: 0,
    };
}

/// Displacement by climate shocks (docs/model.md section 4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum DisplacementState {
    /// Never displaced.
    Never,
    /// Displaced and not yet returned or resettled.
    Displaced,
    /// Displaced earlier and returned home.
    Returned,
    /// Displaced earlier and settled permanently elsewhere.
    Resettled,
}

/// Displacement history (part of [`Experience`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Displacement {
    /// Current state.
    pub state: DisplacementState,
    /// Month of the last displacement ([`NEVER`] if never displaced).
    pub since: MonthNo,
    /// Region of origin of the last displacement.
    pub origin: u8,
}

impl Displacement {
    /// Never displaced.
    pub const NONE: Displacement = Displacement {
        state: DisplacementState::Never,
        since: NEVER,
        origin: 0,
    };
}

/// Victimisation history, for the past-12-months prevalence indicators (SDG 16.1.3, 16.3.1)
/// (part of [`Experience`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VictimHistory {
    /// Month of the last physical violence (an assault, or partner violence that was not
    /// sexual).
    pub last_physical: MonthNo,
    /// Month of the last sexual violence.
    pub last_sexual: MonthNo,
    /// Month of the last gender-based or intimate-partner violence victimisation.
    pub last_gbv: MonthNo,
    /// Month the person last reported physical violence.
    pub last_reported_physical: MonthNo,
    /// Month the person last reported sexual violence.
    pub last_reported_sexual: MonthNo,
    /// Month of the last property crime against the person.
    pub last_property: MonthNo,
    /// Month of the last online fraud against the person.
    pub last_fraud: MonthNo,
    /// Month of the last robbery of the person.
    pub last_robbery: MonthNo,
}

impl VictimHistory {
    /// Never victimised.
    pub const NONE: VictimHistory = VictimHistory {
        last_physical: NEVER,
        last_sexual: NEVER,
        last_gbv: NEVER,
        last_reported_physical: NEVER,
        last_reported_sexual: NEVER,
        last_property: NEVER,
        last_fraud: NEVER,
        last_robbery: NEVER,
    };

    /// Month of the last violence of any kind (physical or sexual; SDG 16.1.3).
    #[inline]
    pub fn last_violence(&self) -> MonthNo {
        self.last_physical.max(self.last_sexual)
    }

    /// Month the person last reported violence of any kind (SDG 16.3.1).
    #[inline]
    pub fn last_reported(&self) -> MonthNo {
        self.last_reported_physical.max(self.last_reported_sexual)
    }
}

/// Sets the month `*last` of an event to `now`; whether it is the first such event since
/// `year_start` (what the yearly prevalence counts).
#[inline]
pub(crate) fn first_this_year(last: &mut MonthNo, now: MonthNo, year_start: MonthNo) -> bool {
    let first = *last < year_start;
    *last = now;
    first
}

/// Sets the month of a violence of one series (sexual if `sexual`, else physical) to `now`,
/// given the months of each series' latest: whether it is the first violence of either series
/// since `year_start`, and whether it is the first of its own series (the victims' and the
/// reporters' yearly counts alike).
#[inline]
pub(crate) fn first_violence_this_year(
    last_sexual: &mut MonthNo,
    last_physical: &mut MonthNo,
    sexual: bool,
    now: MonthNo,
    year_start: MonthNo,
) -> (bool, bool) {
    let any = (*last_sexual).max(*last_physical) < year_start;
    let last = if sexual { last_sexual } else { last_physical };
    (any, first_this_year(last, now, year_start))
}

/// What has happened to a person: displacement and victimisation. One component because the
/// victimisation and reporting stages read both together.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Experience {
    /// Displacement by climate shocks.
    pub displacement: Displacement,
    /// Victimisation history.
    pub victim: VictimHistory,
}

impl Experience {
    /// Never displaced, never victimised.
    pub const NONE: Experience = Experience {
        displacement: Displacement::NONE,
        victim: VictimHistory::NONE,
    };
}

/// The components of one person: one row of the person table, in column order.
pub type PersonBundle = (Demographics, Socioeconomic, Justice, Experience);

/// A new person with no history: used for the initial population, newborns and immigrants.
pub fn person_bundle(demo: Demographics, socio: Socioeconomic) -> PersonBundle {
    (demo, socio, Justice::CLEAN, Experience::NONE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hot_components_stay_small() {
        // DESIGN.md: fields updated every month live in small components (<= 32 B per agent).
        assert!(std::mem::size_of::<Demographics>() <= 12);
        assert!(std::mem::size_of::<Socioeconomic>() <= 8);
        assert!(std::mem::size_of::<Justice>() <= 12);
        // 20: online fraud's and robbery's months joined the victim history (issue 18).
        assert!(std::mem::size_of::<Experience>() <= 20);
    }

    #[test]
    fn age_is_derived_from_birth_month() {
        let d = Demographics {
            id: PersonId(0),
            birth_month: -25,
            sex: Sex::Female,
            region: 0,
            slot: Slot::Alive,
            displaced: false,
        };
        assert_eq!(d.age_months(0), 25);
        assert_eq!(d.age_years(11), 3);
    }
}
