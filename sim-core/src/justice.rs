//! The justice system's compact stocks and queues: suspects, court cases, convictions, the prison
//! roster, community supervision, delayed arrests and release cohorts.
//!
//! People enter these lists by row and id; a row whose id no longer matches (the person died and
//! the row was reused) is dropped when reached. Stages touch only these short lists, never the
//! whole population: most people have no case in a given month.

use bevy_ecs::prelude::Resource;

use crate::offence::OffenceType;
use crate::person::{MonthNo, NEVER};

/// A person arrested this month, awaiting the charging decision.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Suspect {
    /// Row of the person.
    pub row: u32,
    /// Id of the person.
    pub id: u32,
    /// Offence.
    pub kind: OffenceType,
    /// Region of the case.
    pub region: u8,
    /// An offence prosecuted decades later through the timeline's historic prosecutions.
    pub historic: bool,
}

/// This month's suspects, filled by Policing and emptied by Courts.
#[derive(Resource, Clone, Debug, Default)]
pub struct Suspects(pub Vec<Suspect>);

/// An arrest that happens later than the offence (docs/model.md 4.11: prosecution long after the act).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DelayedArrest {
    /// Month the arrest happens.
    pub due: MonthNo,
    /// Suspect to arrest.
    pub suspect: Suspect,
}

/// Arrests waiting for their month: by month due, each month's in the order they were decided.
///
/// Kept by month because at one agent per person about 375,000 wait at any time, of which a
/// few thousand come due a month: finding them in one list meant going through it all every
/// month (4-5 ms of the serial policing stage).
#[derive(Resource, Clone, Debug, Default, PartialEq)]
pub struct DelayedArrests {
    by_month: std::collections::BTreeMap<MonthNo, Vec<Suspect>>,
}

impl DelayedArrests {
    /// Arrests to make later, in the order given.
    pub fn from_arrests(arrests: impl IntoIterator<Item = DelayedArrest>) -> Self {
        let mut delayed = DelayedArrests::default();
        for a in arrests {
            delayed.push(a);
        }
        delayed
    }

    /// Adds an arrest after those decided before it.
    pub fn push(&mut self, a: DelayedArrest) {
        self.by_month.entry(a.due).or_default().push(a.suspect);
    }

    /// Takes out the arrests due in `now` or before, the earlier months' first, each month's
    /// in the order they were decided. (Taken every month, and each decided for a later
    /// month, the arrests due are those of `now` alone, in the order decided.)
    pub fn take_due(&mut self, now: MonthNo) -> Vec<DelayedArrest> {
        let later = match now.checked_add(1) {
            Some(next) => self.by_month.split_off(&next),
            None => std::collections::BTreeMap::new(),
        };
        let due = std::mem::replace(&mut self.by_month, later);
        due.into_iter()
            .flat_map(|(due, suspects)| {
                suspects
                    .into_iter()
                    .map(move |suspect| DelayedArrest { due, suspect })
            })
            .collect()
    }

    /// Arrests waiting.
    pub fn len(&self) -> usize {
        self.by_month.values().map(Vec::len).sum()
    }

    /// Whether no arrest is waiting.
    pub fn is_empty(&self) -> bool {
        self.by_month.is_empty()
    }
}

/// A charged case waiting in a regional court.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CourtCase {
    /// Defendant's row.
    pub row: u32,
    /// Defendant's id.
    pub id: u32,
    /// Offence.
    pub kind: OffenceType,
    /// Month charged.
    pub charged: MonthNo,
    /// Month the case is ready for disposition (after procedural time).
    pub ready: MonthNo,
    /// Whether the defendant is held in pre-trial detention.
    pub detained: bool,
    /// A historic prosecution (see [`Suspect::historic`]).
    pub historic: bool,
}

/// Court queues and capacities by region. Written only by the Courts stage (and by climate
/// damage to `capacity_lost`).
#[derive(Resource, Clone, Debug, Default)]
pub struct Courts {
    /// Pending cases by region.
    pub queues: Vec<Vec<CourtCase>>,
    /// Year-one disposition capacity by region (cases per month), before multipliers.
    pub capacity: Vec<f64>,
    /// Share of capacity lost to infrastructure damage by region (0-1).
    pub capacity_lost: Vec<f64>,
    /// Unused fractional capacity carried to the next month, by region.
    pub credit: Vec<f64>,
}

impl Courts {
    /// Pending cases in all regions.
    pub fn backlog(&self) -> usize {
        self.queues.iter().map(Vec::len).sum()
    }
}

/// A conviction awaiting sentence.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Verdict {
    /// Row of the convicted person.
    pub row: u32,
    /// Id of the convicted person.
    pub id: u32,
    /// Offence.
    pub kind: OffenceType,
    /// Region of the court.
    pub region: u8,
    /// Months already spent in pre-trial detention (credited against a custodial sentence).
    pub remand_months: i32,
    /// Month the case was charged (for proven reoffending: when the new offence came to light).
    pub charged: MonthNo,
    /// A historic prosecution (see [`Suspect::historic`]).
    pub historic: bool,
}

/// This month's convictions, filled by Courts and emptied by Sentencing.
#[derive(Resource, Clone, Debug, Default)]
pub struct Convicted(pub Vec<Verdict>);

/// A person in custody: pre-trial or sentenced.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Inmate {
    /// Row.
    pub row: u32,
    /// Id.
    pub id: u32,
    /// Offence.
    pub kind: OffenceType,
    /// Region of residence.
    pub home_region: u8,
    /// Region of the prison holding the person.
    pub prison_region: u8,
    /// Sentenced (false: pre-trial detainee).
    pub sentenced: bool,
    /// Month custody began.
    pub since: MonthNo,
    /// Month of release at sentence end ([`NEVER`] while unsentenced).
    pub until: MonthNo,
    /// First month of parole eligibility ([`NEVER`] if none).
    pub parole_from: MonthNo,
}

/// The prison roster and beds. Written only by the Courts, Sentencing and Prisons stages (and
/// by climate damage to `beds_lost`, construction to `beds_multiplier`).
#[derive(Resource, Clone, Debug)]
pub struct Prisons {
    /// Everyone in custody.
    pub roster: Vec<Inmate>,
    /// Beds by region in year one.
    pub beds: Vec<f64>,
    /// Share of beds out of use after damage, by region (0-1).
    pub beds_lost: Vec<f64>,
    /// Multiplier on beds from construction programmes (written by the Interventions stage).
    pub beds_multiplier: f64,
    /// Scale on the life-table death rate of prisoners (at age plus the custody offset), set at
    /// start so that year-one natural deaths match the observed rate and its natural share.
    pub natural_mortality_scale: f64,
    /// Monthly probability of a death not from natural causes, per prisoner (set at start).
    pub other_death_probability: f64,
}

impl Prisons {
    /// Beds in use by region.
    pub fn usable_beds(&self, region: usize) -> f64 {
        self.beds[region] * self.beds_multiplier * (1.0 - self.beds_lost[region])
    }

    /// Inmates held in each region's prisons.
    pub fn held_by_region(&self) -> Vec<usize> {
        let mut held = vec![0; self.beds.len()];
        for i in &self.roster {
            held[i.prison_region as usize] += 1;
        }
        held
    }

    /// Occupancy (prisoners per bed) by region; infinite where a region holds prisoners without
    /// usable beds.
    pub fn occupancy(&self) -> Vec<f64> {
        self.held_by_region()
            .iter()
            .enumerate()
            .map(|(r, &n)| {
                let beds = self.usable_beds(r);
                if beds > 0.0 {
                    n as f64 / beds
                } else if n > 0 {
                    f64::INFINITY
                } else {
                    0.0
                }
            })
            .collect()
    }

    /// No prisons yet.
    pub fn empty() -> Self {
        Prisons {
            roster: Vec::new(),
            beds: Vec::new(),
            beds_lost: Vec::new(),
            beds_multiplier: 1.0,
            natural_mortality_scale: 1.0,
            other_death_probability: 0.0,
        }
    }

    /// Pre-trial detainees.
    pub fn pretrial(&self) -> usize {
        self.roster.iter().filter(|i| !i.sentenced).count()
    }
}

/// A community sentence being served.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Supervised {
    /// Row.
    pub row: u32,
    /// Id.
    pub id: u32,
    /// Month the sentence ends.
    pub until: MonthNo,
}

/// People serving community sentences (including parole), in order of starting.
#[derive(Resource, Clone, Debug, Default)]
pub struct Supervision(pub Vec<Supervised>);

/// Release cohorts: by month of release, how many were released and how many were re-arrested
/// or reconvicted within the follow-up windows of the indicators.
#[derive(Resource, Clone, Debug, Default)]
pub struct ReleaseCohorts {
    /// Month number of index 0 (negative: releases before the run).
    pub first_month: MonthNo,
    /// Releases by month.
    pub released: Vec<u32>,
    /// Of those, re-arrested within 36 months.
    pub rearrested_36: Vec<u32>,
    /// Of those, proven to reoffend within a year: charged within 12 months of release and
    /// convicted within 18 (the Ministry of Justice's proven reoffending measure).
    pub proven_12: Vec<u32>,
    /// Of those, reconvicted within 24 months.
    pub reconvicted_24: Vec<u32>,
}

impl ReleaseCohorts {
    /// Cohorts from `first_month` to `last_month`.
    pub fn new(first_month: MonthNo, last_month: MonthNo) -> Self {
        let n = (i32::from(last_month) - i32::from(first_month) + 1).max(1) as usize;
        ReleaseCohorts {
            first_month,
            released: vec![0; n],
            rearrested_36: vec![0; n],
            proven_12: vec![0; n],
            reconvicted_24: vec![0; n],
        }
    }

    fn index(&self, month: MonthNo) -> Option<usize> {
        let i = i32::from(month) - i32::from(self.first_month);
        (i >= 0 && (i as usize) < self.released.len()).then_some(i as usize)
    }

    /// Records a release in `month`.
    pub fn release(&mut self, month: MonthNo) {
        if let Some(i) = self.index(month) {
            self.released[i] += 1;
        }
    }

    /// Records the first arrest, in `now`, of someone released in `released` (if within 36 months).
    pub fn rearrest(&mut self, released: MonthNo, now: MonthNo) {
        if released == NEVER {
            return;
        }
        let gap = i32::from(now) - i32::from(released);
        if let Some(i) = self.index(released)
            && (0..36).contains(&gap)
        {
            self.rearrested_36[i] += 1;
        }
    }

    /// Records the first reconviction, in `now`, of someone released in `released`, for a case
    /// charged in `charged`.
    pub fn reconvict(&mut self, released: MonthNo, now: MonthNo, charged: MonthNo) {
        if released == NEVER {
            return;
        }
        let gap = i32::from(now) - i32::from(released);
        let charged_gap = i32::from(charged) - i32::from(released);
        if let Some(i) = self.index(released) {
            if (0..12).contains(&charged_gap) && (0..18).contains(&gap) {
                self.proven_12[i] += 1;
            }
            if (0..24).contains(&gap) {
                self.reconvicted_24[i] += 1;
            }
        }
    }

    /// (released, counted) summed over release months `from..=to` for one of the windows.
    pub fn rate(&self, from: MonthNo, to: MonthNo, counts: &[u32]) -> (u64, u64) {
        let (mut n, mut k) = (0u64, 0u64);
        for m in from..=to {
            if let Some(i) = self.index(m) {
                n += u64::from(self.released[i]);
                k += u64::from(counts[i]);
            }
        }
        (n, k)
    }
}

/// Police clearance capacity, deployment and the deterrence signal by region. Written by
/// Policing and, for the deployment, by `deployment::deploy_police` in the Interventions stage.
#[derive(Resource, Clone, Debug, Default)]
pub struct Policing {
    /// Clearance capacity by region as deployed this month (recorded offences a month).
    pub capacity: Vec<f64>,
    /// Clearance capacity by region from the regions' officers (the deployment without
    /// reallocation).
    pub base_capacity: Vec<f64>,
    /// Multiplier on proactive detection by region from police presence per person, relative
    /// to the national mean (`crate::systems::deployment`).
    pub detection: Vec<f64>,
    /// Drug offences committed and recorded in the last 12 months by region (ring buffers):
    /// what a self-report survey estimates and what the police database holds.
    pub window_drug: Vec<[f64; 12]>,
    /// See `window_drug`.
    pub window_drug_recorded: Vec<[f64; 12]>,
    /// Year-one expected clearances per offence committed by region (the deterrence reference).
    pub baseline_arrest_rate: Vec<f64>,
    /// Offences committed (recorded or not) and cleared in the last 12 months by region (ring
    /// buffers; filled with year-one expectations at start). Deterrence follows clearances per
    /// offence committed, the offender's chance of being caught, so more reporting never
    /// dilutes it.
    pub window_offences: Vec<[f64; 12]>,
    /// See `window_offences`.
    pub window_cleared: Vec<[f64; 12]>,
    /// Multiplier on offending from deterrence by region, updated monthly.
    pub deterrence: Vec<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offence::OffenceType;
    use crate::rng::{MonthKey, Stream};

    fn arrest(due: MonthNo, n: u32) -> DelayedArrest {
        DelayedArrest {
            due,
            suspect: Suspect {
                row: n,
                id: n,
                kind: OffenceType::Gbv,
                region: 0,
                historic: false,
            },
        }
    }

    /// Taken month by month, the arrests due are those a single list in the order decided
    /// gives when its due entries are taken out in order (the list they were kept in before):
    /// the same arrests in the same order, however the months interleave.
    #[test]
    fn arrests_come_due_in_their_month_in_the_order_decided() {
        let key = MonthKey::new(11, Stream::Policing, 0);
        let mut n = 0u32;
        let mut next = |months: u32| {
            n += 1;
            1 + (key.uniform(n, 0) * f64::from(months)) as MonthNo
        };
        // The start's pending arrests, due from the first month on.
        let start: Vec<DelayedArrest> = (0..300).map(|k| arrest(next(30), k)).collect();
        let mut list = start.clone();
        let mut delayed = DelayedArrests::from_arrests(start);
        let (mut busy_months, mut taken) = (0, 0);
        for now in 1..=60 {
            let (due, later): (Vec<_>, Vec<_>) = list.drain(..).partition(|a| a.due <= now);
            list = later;
            let got = delayed.take_due(now);
            assert_eq!(got, due, "month {now}");
            busy_months += usize::from(got.len() > 1);
            taken += got.len();
            assert_eq!(delayed.len(), list.len(), "month {now}");
            // This month's decisions, each for a later month.
            for k in 0..20 {
                let a = arrest(now + next(24), 1000 * now as u32 + k);
                list.push(a);
                delayed.push(a);
            }
        }
        assert!(
            busy_months > 40 && taken > 900,
            "{busy_months} months, {taken} arrests"
        );
        assert!(!delayed.is_empty());
    }

    /// After months without a look, the arrests due come the earlier months' first.
    #[test]
    fn arrests_overdue_come_by_month() {
        let mut delayed =
            DelayedArrests::from_arrests([arrest(5, 0), arrest(3, 1), arrest(9, 2), arrest(3, 3)]);
        let got: Vec<u32> = delayed.take_due(6).iter().map(|a| a.suspect.id).collect();
        assert_eq!(got, [1, 3, 0]);
        assert_eq!(delayed.len(), 1);
    }
}
