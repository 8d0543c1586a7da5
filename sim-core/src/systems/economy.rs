//! Economy (docs/model.md section 4.4, stage 4): employment status by age and region.
//!
//! Children (< 15) are outside the labour market; at 15, 18 and 25 people are re-sorted into
//! education or the labour market with the scenario's enrolment shares; young people outside
//! education are NEET with the scenario's NEET share (scaled by the region's unemployment); adults
//! move between work and unemployment at rates whose steady state is the region's unemployment
//! rate; at the retirement age people retire.
//!
//! The monthly update ([`LabourMonth`]) is applied by the offending pass to each person it
//! visits, before their hazard is weighed (see [`LabourMonth`] for why); the labour-market
//! counts are the pass's running counts.
//!
//! Reads: `Params`, `Calendar`, `Demographics`. Writes: `Socioeconomic.employment`, `MonthTally`.
//! Streams: `Stream::Economy` for the life-stage changes and the flip clocks (the month of each
//! person's next flip between work and unemployment, a geometric waiting time: see
//! [`crate::tempo`]).

use bevy_ecs::prelude::*;

use crate::calendar::Calendar;
use crate::metrics::MonthTally;
use crate::par::Jobs;
use crate::params::{MAX_REGIONS, ModelParams};
use crate::person::{Demographics, Employment, MonthNo, Slot, Socioeconomic};
use crate::rng::{MonthKey, Stream, halves, threshold, unit32};
use crate::tempo::{NEVER_VISIT, first_event};

/// Monthly rates of one labour-market group in one region.
#[derive(Clone, Copy, Debug, Default)]
struct Rates {
    /// Probability of being jobless when entering the labour market.
    jobless: f64,
    /// Log of the monthly chance of staying, by current status: employed people lose work
    /// with the separation rate, unemployed people find it with the finding rate, others never
    /// flip (0). The flip clocks are geometric draws with it.
    stay_log: [f64; 5],
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
            // The probabilities at the resolution of a 32-bit threshold, as when each month
            // had its own draw.
            let stay_log = |p: f64| (-unit32(threshold(p))).ln_1p();
            let mut by_status = [0.0; 5];
            by_status[Employment::Employed as usize] = stay_log(f * u / (1.0 - u));
            by_status[Employment::Unemployed as usize] = stay_log(f);
            Rates {
                jobless: u,
                stay_log: by_status,
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
    use rayon::prelude::*;
    let rates = LabourRates::new(p);
    let key = MonthKey::new(p.scenario.seed, Stream::Economy, u32::MAX);
    // Each person's from their own draws, so in parallel (a third of a second on one thread
    // for a whole country).
    demo.par_iter()
        .zip(socio.par_iter_mut())
        .jobs_of(PERSONS_PER_TASK)
        .for_each(|(d, s)| {
            if d.slot == Slot::Vacant {
                return;
            }
            let years = d.age_years(0);
            let (u1, u2) = halves(key.bits(d.id.0, 0));
            // At 18-24 the share still studying is enrolment_18_24: draw "was a student at
            // 15-17" with the 15-17 share so the product gives it.
            let was_student = halves(key.bits(d.id.0, 1)).0 < rates.student_15;
            s.employment = rates.entry_status(years, d.region as usize, was_student, (u1, u2));
        });
}

/// Persons per parallel task of [`initial_employment`].
const PERSONS_PER_TASK: usize = 4096;

/// National labour-market stocks counted during the update:
/// `[adults in labour force, unemployed adults, youth, NEET youth]`.
pub(crate) type LabourCounts = [u32; 4];

/// Persons by life stage (0: under 15, 1: 15-24, 2: 25 and over) and status, from which the
/// four [`LabourCounts`] are read: the running count the offending pass keeps over everyone
/// free, and each chunk's changes to it (signed) during a pass.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct LabourTally([i64; 15]);

impl LabourTally {
    /// The class of a person aged `years` with status `status` (an index below 15).
    #[inline(always)]
    pub(crate) fn class(years: u32, status: Employment) -> u8 {
        let stage = u8::from(years >= LABOUR_STAGE_FIRST_AGE) + u8::from(years >= 25);
        stage * 5 + status as u8
    }

    /// Adds `n` (1 or -1) persons of class `class`.
    #[inline(always)]
    pub(crate) fn add(&mut self, class: u8, n: i64) {
        self.0[usize::from(class)] += n;
    }

    /// Adds another tally's counts.
    pub(crate) fn merge(&mut self, other: &LabourTally) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a += b;
        }
    }

    /// The counts: `[adults in labour force, unemployed adults, youth, NEET youth]`.
    pub(crate) fn counts(&self) -> LabourCounts {
        let (youth, adult) = (&self.0[5..10], &self.0[10..15]);
        let (employed, unemployed) = (
            Employment::Employed as usize,
            Employment::Unemployed as usize,
        );
        [
            (adult[employed] + adult[unemployed]) as u32,
            adult[unemployed] as u32,
            youth.iter().sum::<i64>() as u32,
            youth[unemployed] as u32,
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

/// Draw indices of `Stream::Economy` for the flip clock: drawn afresh (counting the month of
/// the visit), after a flip, after a life-stage change (index 0 is the stage change's status).
const DRAW_FLIP_FRESH: u32 = 1;
const DRAW_FLIP_AFTER_FLIP: u32 = 2;
const DRAW_FLIP_AFTER_STAGE: u32 = 3;

/// One month's employment transitions and life-stage changes, applied one visited person at a
/// time.
///
/// Why not a pass of its own: the update reads the same rows as the offending pass and must
/// come before it (unemployment raises the offending hazard), and nothing between the two
/// stages reads employment. The offending pass ([`super::offending::commit_offences`]) calls
/// [`LabourMonth::visit`] on each person it visits, just before weighing their hazard. The
/// flips between work and unemployment are clocks ([`crate::tempo`]): the rates are constant
/// by region, age group and status, so the month of the next flip is a geometric draw, made
/// again whenever one of the three changes.
pub(crate) struct LabourMonth<'a> {
    rates: &'a LabourRates,
    key: MonthKey,
    changes: [bool; 128],
}

impl<'a> LabourMonth<'a> {
    /// The month's transitions of a run seeded with `seed`, in the month of `calendar`.
    pub(crate) fn new(seed: u64, calendar: &Calendar, rates: &'a LabourRatesRes) -> Self {
        let rates = &rates.0;
        LabourMonth {
            rates,
            key: MonthKey::new(seed, Stream::Economy, calendar.key()),
            changes: stage_change_ages(rates.retirement_age),
        }
    }

    /// The month of `d`'s next flip, counting `from`, with their status in `s`.
    #[inline]
    fn next_flip(
        &self,
        d: &Demographics,
        s: &Socioeconomic,
        years: u32,
        from: MonthNo,
        draw: u32,
    ) -> MonthNo {
        let group = if (15..25).contains(&years) {
            &self.rates.youth[d.region as usize]
        } else {
            &self.rates.adult[d.region as usize]
        };
        let stay = group.stay_log[s.employment as usize];
        if stay >= 0.0 {
            return NEVER_VISIT;
        }
        first_event(from, stay, self.key.uniform(d.id.0, draw))
    }

    /// Updates the employment of the living person `d` (in the community: people in custody
    /// keep their status until release), aged `age` months, visited in month `now`: a flip
    /// when their clock rings, a new status on the birthdays that start a life stage. With
    /// `stale`, the flip clock is drawn afresh first (the month counts).
    #[inline]
    pub(crate) fn visit(
        &self,
        d: &Demographics,
        s: &mut Socioeconomic,
        age: u32,
        now: MonthNo,
        flip: &mut MonthNo,
        stale: bool,
    ) {
        let years = age / 12;
        if stale {
            *flip = self.next_flip(d, s, years, now, DRAW_FLIP_FRESH);
        }
        if *flip == now {
            s.employment = match s.employment {
                Employment::Employed => Employment::Unemployed,
                _ => Employment::Employed,
            };
            *flip = self.next_flip(d, s, years, now + 1, DRAW_FLIP_AFTER_FLIP);
        }
        if age.is_multiple_of(12) && self.changes[(years as usize).min(127)] {
            let was_student = s.employment == Employment::Student;
            let u = halves(self.key.bits(d.id.0, 0));
            s.employment = self
                .rates
                .entry_status(years, d.region as usize, was_student, u);
            *flip = self.next_flip(d, s, years, now + 1, DRAW_FLIP_AFTER_STAGE);
        }
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
