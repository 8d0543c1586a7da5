//! Economy (docs/model.md section 4.4, stage 4): employment status by age and region.
//!
//! Children (< 15) are outside the labour market; at 15, 18 and 25 people are re-sorted into
//! education or the labour market with the scenario's enrolment shares; young people outside
//! education are NEET with the scenario's NEET share (scaled by the region's unemployment); adults
//! move between work and unemployment at rates whose steady state is the region's unemployment
//! rate; at the retirement age people retire.
//!
//! The monthly update ([`LabourMonth`]) is applied by the offending pass to each person it
//! visits, before their hazard is weighed (see [`LabourMonth`] for why).
//!
//! Reads: `Params`, `Calendar`, `Demographics`. Writes: `Socioeconomic.employment`, `MonthTally`.
//! Streams: `Stream::Economy` for the life-stage changes; the monthly flip takes the high half
//! of the offending pass's person draw (`Stream::Offending`).

use bevy_ecs::prelude::*;

use crate::calendar::Calendar;
use crate::metrics::MonthTally;
use crate::params::{MAX_REGIONS, ModelParams};
use crate::person::{Demographics, Employment, Slot, Socioeconomic};
use crate::rng::{MonthKey, Stream, halves, threshold, unit32};

/// Monthly rates of one labour-market group in one region.
#[derive(Clone, Copy, Debug, Default)]
struct Rates {
    /// Probability of being jobless when entering the labour market.
    jobless: f64,
    /// Monthly job loss threshold (employed -> unemployed).
    separation: u32,
    /// Monthly job finding threshold (unemployed -> employed).
    finding: u32,
}

/// Employment rates by region for young (15-24) and adult workers.
#[derive(Clone, Debug)]
pub(crate) struct LabourRates {
    youth: [Rates; MAX_REGIONS],
    adult: [Rates; MAX_REGIONS],
    student_15: u32,
    student_18: u32,
    retirement_age: u32,
}

impl LabourRates {
    /// Rates whose steady state reproduces the scenario's unemployment and NEET shares.
    pub fn new(p: &ModelParams) -> Self {
        let e = &p.economy;
        let f = e.job_finding_per_month;
        let mean_u = p
            .regions
            .iter()
            .map(|r| r.unemployment_rate * r.population_share)
            .sum::<f64>()
            .max(1e-9);
        // Share of 15-24s in education, weighting 15-17 (3 years) and 18-24 (7 years).
        let enrolled = (3.0 * e.enrolment_15_17 + 7.0 * e.enrolment_18_24) / 10.0;
        let youth_jobless = (e.youth_neet_share / (1.0 - enrolled).max(1e-9)).min(0.95);
        let rates = |u: f64| {
            let u = u.clamp(0.0, 0.95);
            Rates {
                jobless: u,
                separation: threshold(f * u / (1.0 - u)),
                finding: threshold(f),
            }
        };
        let mut youth = [Rates::default(); MAX_REGIONS];
        let mut adult = [Rates::default(); MAX_REGIONS];
        for (i, r) in p.regions.iter().enumerate() {
            adult[i] = rates(r.unemployment_rate);
            youth[i] = rates(youth_jobless * r.unemployment_rate / mean_u);
        }
        LabourRates {
            youth,
            adult,
            student_15: threshold(e.enrolment_15_17),
            student_18: threshold(e.enrolment_18_24 / e.enrolment_15_17.max(1e-9)),
            retirement_age: e.retirement_age as u32,
        }
    }

    /// The status of someone entering a new stage of life at `years` (15, 18, 25, retirement),
    /// or drawn afresh for the initial population; `was_student` matters at 18.
    fn entry_status(
        &self,
        years: u32,
        region: usize,
        was_student: bool,
        u: (u32, u32),
    ) -> Employment {
        let (u1, u2) = u;
        if years < LABOUR_STAGE_FIRST_AGE {
            return Employment::Child;
        }
        if years >= self.retirement_age {
            return Employment::Retired;
        }
        let studies = match years {
            15..=17 => u1 < self.student_15,
            18..=24 => was_student && u1 < self.student_18,
            _ => false,
        };
        if studies {
            return Employment::Student;
        }
        let r = if years < 25 {
            self.youth[region]
        } else {
            self.adult[region]
        };
        if unit32(u2) < r.jobless {
            Employment::Unemployed
        } else {
            Employment::Employed
        }
    }
}

/// Draws everyone's status at the start, as if each had passed through the life stages.
pub(crate) fn initial_employment(
    p: &ModelParams,
    demo: &[Demographics],
    socio: &mut [Socioeconomic],
) {
    let rates = LabourRates::new(p);
    let key = MonthKey::new(p.scenario.seed, Stream::Economy, u32::MAX);
    for (d, s) in demo.iter().zip(socio.iter_mut()) {
        if d.slot == Slot::Vacant {
            continue;
        }
        let years = d.age_years(0);
        let (u1, u2) = halves(key.bits(d.id.0, 0));
        // At 18-24 the share still studying is enrolment_18_24: draw "was a student at 15-17"
        // with the 15-17 share so the product gives it.
        let was_student = halves(key.bits(d.id.0, 1)).0 < rates.student_15;
        s.employment = rates.entry_status(years, d.region as usize, was_student, (u1, u2));
    }
}

/// National labour-market stocks counted during the update:
/// `[adults in labour force, unemployed adults, youth, NEET youth]`.
pub(crate) type LabourCounts = [u32; 4];

/// Persons of a chunk of rows by life stage (0: under 15, 1: 15-24, 2: 25 and over) and
/// status, from which the four [`LabourCounts`] are read at the end: counting a person is one
/// add to a small table in the cache. The four conditional adds it replaces compiled to about
/// twenty vector instructions per person.
#[derive(Clone, Copy, Default)]
pub(crate) struct LabourTally([[u32; 5]; 3]);

impl LabourTally {
    /// Counts a person aged `years` with status `status`.
    #[inline(always)]
    pub(crate) fn add(&mut self, years: u32, status: Employment) {
        let stage = usize::from(years >= LABOUR_STAGE_FIRST_AGE) + usize::from(years >= 25);
        self.0[stage][status as usize] += 1;
    }

    /// The counts: `[adults in labour force, unemployed adults, youth, NEET youth]`.
    pub(crate) fn counts(&self) -> LabourCounts {
        let [_, youth, adult] = &self.0;
        let (employed, unemployed) = (
            Employment::Employed as usize,
            Employment::Unemployed as usize,
        );
        [
            adult[employed] + adult[unemployed],
            adult[unemployed],
            youth.iter().sum(),
            youth[unemployed],
        ]
    }
}

/// The first age (completed years) at which anyone's employment can change: everyone younger
/// is a child, whom no monthly flip touches.
pub(crate) const LABOUR_STAGE_FIRST_AGE: u32 = 15;

/// Ages (completed years) at which people are re-sorted on their birthday month (a retirement
/// age below 15 sorts nobody: [`LabourRates::entry_status`] keeps under-15s children).
fn stage_change_ages(retirement: u32) -> [bool; 128] {
    let mut t = [false; 128];
    for a in [LABOUR_STAGE_FIRST_AGE, 18, 25, retirement] {
        if (a as usize) < t.len() {
            t[a as usize] = true;
        }
    }
    t
}

/// One month's employment transitions and life-stage changes, applied one person at a time.
///
/// Why not a pass of its own: the update reads the same rows as the offending pass and must
/// come before it (unemployment raises the offending hazard), and nothing between the two
/// stages reads employment. The offending pass ([`super::offending::commit_offences`]) calls
/// [`LabourMonth::update`] on each living person just before weighing their hazard, so the
/// rows are read once and each age computed once: at 1e6 agents a separate pass cost about
/// 6.5 ns per agent-month, mostly loop and load work the offending pass already does.
pub(crate) struct LabourMonth<'a> {
    rates: &'a LabourRates,
    key: MonthKey,
    /// Flip thresholds by region, youth (0/1) and current status: employed people lose work
    /// with the separation rate, unemployed people find it with the finding rate, others never
    /// flip.
    flip: [[[u32; 5]; 2]; MAX_REGIONS],
    changes: [bool; 128],
}

impl<'a> LabourMonth<'a> {
    /// The month's transitions of a run seeded with `seed`, in the month of `calendar`.
    pub(crate) fn new(seed: u64, calendar: &Calendar, rates: &'a LabourRatesRes) -> Self {
        let rates = &rates.0;
        let mut flip = [[[0u32; 5]; 2]; MAX_REGIONS];
        for (r, per_region) in flip.iter_mut().enumerate() {
            for (youth, t) in per_region.iter_mut().enumerate() {
                let g = if youth == 1 {
                    &rates.youth[r]
                } else {
                    &rates.adult[r]
                };
                t[Employment::Employed as usize] = g.separation;
                t[Employment::Unemployed as usize] = g.finding;
            }
        }
        LabourMonth {
            rates,
            key: MonthKey::new(seed, Stream::Economy, calendar.key()),
            flip,
            changes: stage_change_ages(rates.retirement_age),
        }
    }

    /// Updates the employment of the living person `d` (in the community: people in custody
    /// keep their status until release), aged `age` months, and counts them in `c`; `u` is the
    /// person's uniform 32 bits of the month for the flip between work and unemployment (the
    /// high half of the offending pass's draw, see [`super::offending`]).
    #[inline(always)]
    pub(crate) fn update(
        &self,
        d: &Demographics,
        s: &mut Socioeconomic,
        age: u32,
        u: u32,
        c: &mut LabourTally,
    ) {
        let years = age / 12;
        let r = d.region as usize;
        let youth = (15..25).contains(&years);
        if u < self.flip[r][usize::from(youth)][s.employment as usize] {
            s.employment = match s.employment {
                Employment::Employed => Employment::Unemployed,
                _ => Employment::Employed,
            };
        }
        if age.is_multiple_of(12) && self.changes[(years as usize).min(127)] {
            let was_student = s.employment == Employment::Student;
            let u = halves(self.key.bits(d.id.0, 0));
            s.employment = self.rates.entry_status(years, r, was_student, u);
        }
        c.add(years, s.employment);
    }
}

/// Adds one chunk's labour-market counts to the month's flows.
pub(crate) fn record_labour(tally: &mut MonthTally, c: &LabourCounts) {
    let f = &mut tally.flows;
    f.labour_force += u64::from(c[0]);
    f.unemployed += u64::from(c[1]);
    f.youth += u64::from(c[2]);
    f.youth_neet += u64::from(c[3]);
}

/// The labour-market rates as a resource.
#[derive(Resource, Clone, Debug)]
pub struct LabourRatesRes(pub(crate) LabourRates);
