//! Expected victimisation (stage 7, before the draws): the month's expected offences by region
//! and type ([`ExpectedOffending`]) spread over the victim pool's cells in proportion to the
//! same weights the draws use ([`VictimWeights`]), giving the expected victims by group, the
//! expected recorded offences, and each cell's per-person hazards of violence, gender-based
//! violence, property crime, online fraud and of a reported violence. Online fraud is spread
//! over the whole country's cells, as its victims are drawn.
//!
//! Prevalence (people victimised at least once in the calendar year) follows from the share of a
//! cell not yet hit since January, `S = exp(-H)` for the hazard `H` accumulated so far: in a
//! month with per-person hazard `h`, a cell of `n` people adds `n S (1 - exp(-h))` new victims
//! and `S` becomes `S exp(-h)`. Carrying `S` rather than `H` needs one exponential a month, not
//! two. These are conditional expectations given the state, with none of the draws' noise;
//! the draws themselves go on as before and drive the dynamics.
//!
//! Nothing else in the month reads them, so the work runs as a background task beside the rest
//! of the month ([`expect_victims`] starts it, [`collect_expected_victims`] adds its counts
//! before the month is recorded). The task owns a copy of what it reads that the month goes on
//! to change (the pool's counts), shares the month's weights (nothing changes them until next
//! month's weighing, after the collection), and its sums start from zero as the month's
//! counters do, so the counts are those of computing them in place, bit for bit.
//!
//! Reads: `Params`, `Calendar`, `CrimeTables`, `PolicyEffects`, `VictimPool`, `VictimWeights`,
//! `ExpectedOffending`, `Policing` (detection). Writes: `YearHazards`, `ExpectationTask`, and
//! (when collected) `MonthTally` (expected counts only).

use std::sync::Arc;

use bevy_ecs::prelude::*;

use crate::Params;
use crate::calendar::Calendar;
use crate::crime_tables::CrimeTables;
use crate::interventions::PolicyEffects;
use crate::justice::Policing;
use crate::metrics::{Counter, ExpectedGroups, MonthTally, group_indices};
use crate::offence::{OFFENCE_TYPES, OffenceType};
use crate::par::{Background, BackgroundQueue, Pace};
use crate::params::MAX_REGIONS;
use crate::person::MonthNo;
use crate::pool::{CellLayout, VictimPool};
use crate::systems::offending::ExpectedOffending;
use crate::systems::victimisation::{VictimWeights, WeightTables};

/// Per victim-pool cell, the share of its people not yet hit since January (1 in January), for
/// each series.
#[derive(Resource, Clone, Debug, Default)]
pub struct YearHazards {
    violence: Vec<f64>,
    reported_violence: Vec<f64>,
    gbv: Vec<f64>,
    property: Vec<f64>,
    fraud: Vec<f64>,
    robbery: Vec<f64>,
    physical: Vec<f64>,
    sexual: Vec<f64>,
    reported_physical: Vec<f64>,
    reported_sexual: Vec<f64>,
}

impl YearHazards {
    fn restart(&mut self, cells: usize) {
        for v in [
            &mut self.violence,
            &mut self.reported_violence,
            &mut self.gbv,
            &mut self.property,
            &mut self.fraud,
            &mut self.robbery,
            &mut self.physical,
            &mut self.sexual,
            &mut self.reported_physical,
            &mut self.reported_sexual,
        ] {
            v.clear();
            v.resize(cells, 1.0);
        }
    }
}

/// New people first hit this month in a cell of `n` people of whom the share `*unhit` has not
/// been hit this year, given this month's per-person hazard `h`; updates `*unhit`.
#[inline]
fn first_hits(n: f64, unhit: &mut f64, h: f64) -> f64 {
    // exp(-h) - 1, accurate for the small monthly hazards.
    let change = (-h).exp_m1();
    let new = n * *unhit * -change;
    *unhit += *unhit * change;
    new
}

const HOMICIDE: usize = OffenceType::Homicide as usize;
const ASSAULT: usize = OffenceType::Assault as usize;
const GBV: usize = OffenceType::Gbv as usize;
const PROPERTY: usize = OffenceType::Property as usize;
const TRAFFICKING: usize = OffenceType::Trafficking as usize;
const FRAUD: usize = OffenceType::Fraud as usize;

/// The month's expected victims being computed beside the rest of the month, and the buffers
/// of the last computation, kept for the next. Scratch: empty between months.
#[derive(Resource, Default)]
pub struct ExpectationTask {
    /// The inputs taken by [`expect_victims`], until [`ExpectationTask::start`].
    ready: Option<Box<Inputs>>,
    in_flight: Option<Background<(Box<Inputs>, Outputs)>>,
    spare: Option<Box<Inputs>>,
}

impl ExpectationTask {
    /// Starts the computation whose inputs [`expect_victims`] took (if not yet started).
    ///
    /// Why not at once: in a [`crate::par::lone_run`] the computation gives way to the month's
    /// parallel passes every few dozen cells, so it runs where the other threads would wait
    /// for the calling thread's serial work. Started where the inputs are taken, a thread began it
    /// while the victims' picks were still being shared out, and had finished it before the
    /// serial work that follows (the homicides' redone picks, the justice stages' lists),
    /// where the other thread then waited (about 0.45 ms of a month at a million agents).
    pub fn start(&mut self, queue: &BackgroundQueue) {
        if let Some(inputs) = self.ready.take() {
            self.in_flight = Some(queue.spawn(move |pace| {
                let mut inputs = inputs;
                let outputs = expectation(&mut inputs, pace);
                (inputs, outputs)
            }));
        }
    }
}

/// Everything the computation reads, owned: a copy of what the rest of the month changes (the
/// pool's counts), the month's weights (shared: nothing changes them until next month), the
/// year's shares not yet hit, and the month's rates.
#[derive(Default)]
struct Inputs {
    counts: Vec<u32>,
    /// The month's weights while the task runs; none between months, so that next month's
    /// weighing finds itself their only owner.
    weights: Option<Arc<WeightTables>>,
    hazards: YearHazards,
    layout: CellLayout,
    now: MonthNo,
    regions: usize,
    per_region: usize,
    expected: [[f64; OFFENCE_TYPES]; MAX_REGIONS],
    /// Reporting probability by type, for settled (0) and displaced (1) victims (the same in
    /// every region).
    report_of: [[f64; 2]; OFFENCE_TYPES],
    /// Recording probability (reported or proactively detected), likewise.
    recorded_of: Vec<[[f64; 2]; OFFENCE_TYPES]>,
    fraud_recorded: [f64; 2],
    frauds: f64,
    fraud_weight: f64,
    elder_share: f64,
    sexual_share: f64,
    robbery_share: f64,
}

/// The month's expected counts this stage writes: every one of them is 0 in the month's
/// tally until they are added.
#[derive(Default)]
struct Outputs {
    recorded: [f64; OFFENCE_TYPES],
    homicide_victims: f64,
    violence_victims_15plus: f64,
    gbv_victims_women_15_49: f64,
    groups: ExpectedGroups,
}

/// Offence types whose victims' weights the computation reads.
const WEIGHED: [usize; 6] = [HOMICIDE, TRAFFICKING, ASSAULT, GBV, PROPERTY, FRAUD];

/// Starts turning the month's expected offences into expected victims, reports and prevalence.
pub fn expect_victims(
    params: Res<Params>,
    effects: Res<PolicyEffects>,
    calendar: Res<Calendar>,
    tables: Res<CrimeTables>,
    pool: Res<VictimPool>,
    weights: Res<VictimWeights>,
    offending: Res<ExpectedOffending>,
    policing: Res<Policing>,
    mut hazards: ResMut<YearHazards>,
    mut task: ResMut<ExpectationTask>,
) {
    let p = &params.0;
    let regions = p.regions.len();
    let per_region = pool.cells_per_region();
    if calendar.month_of_year() == 1 || hazards.violence.len() != regions * per_region {
        hazards.restart(regions * per_region);
    }
    // The same probabilities the Reporting stage draws against.
    let report = |c: usize, displaced: bool| {
        let prob = (tables.report[c] + effects.report_add[c]).min(0.98);
        if displaced && c != HOMICIDE {
            prob * p.justice.displaced_reporting_multiplier
        } else {
            prob
        }
    };
    let recorded_at = |c: usize, displaced: bool, presence: f64| {
        let r = report(c, displaced);
        r + (1.0 - r) * p.crime.types[c].proactive * effects.detection[c] * presence
    };
    // Online fraud: the country's expected frauds reach every region's cells in proportion to
    // their national weight; detection follows the offenders' regions.
    let frauds: f64 = (0..regions).map(|r| offending.by_region[r][FRAUD]).sum();
    let fraud_presence = if frauds > 0.0 {
        (0..regions)
            .map(|r| offending.by_region[r][FRAUD] * policing.detection[r])
            .sum::<f64>()
            / frauds
    } else {
        0.0
    };
    let mut inputs = task.spare.take().unwrap_or_default();
    let i = &mut *inputs;
    i.counts.clear();
    i.counts
        .extend((0..regions * per_region).map(|cell| pool.count(cell) as u32));
    i.weights = Some(weights.shared());
    i.hazards = std::mem::take(&mut *hazards);
    i.layout = pool.layout();
    i.now = calendar.now();
    i.regions = regions;
    i.per_region = per_region;
    i.expected = offending.by_region;
    // The reporting and recording probabilities by type: computed once here rather than in
    // every cell.
    i.report_of = std::array::from_fn(|c| [report(c, false), report(c, true)]);
    i.recorded_of.clear();
    i.recorded_of.extend((0..regions).map(|r| {
        let presence = policing.detection[r];
        std::array::from_fn(|c| {
            [
                recorded_at(c, false, presence),
                recorded_at(c, true, presence),
            ]
        })
    }));
    i.fraud_recorded = [
        recorded_at(FRAUD, false, fraud_presence),
        recorded_at(FRAUD, true, fraud_presence),
    ];
    i.frauds = frauds;
    i.fraud_weight = (0..regions).map(|r| weights.total(FRAUD, r)).sum();
    i.elder_share = p.crime.elder_abuse_share;
    i.sexual_share = p.crime.gbv_sexual_share;
    i.robbery_share = tables.robbery_share;
    task.ready = Some(inputs);
}

/// Adds the month's expected victims to the month's counts once they are computed (taking the
/// pool's pending work while waiting, so a pool of one thread computes them here), and gives
/// the year's shares not yet hit back.
pub fn collect_expected_victims(
    queue: Res<BackgroundQueue>,
    mut task: ResMut<ExpectationTask>,
    mut hazards: ResMut<YearHazards>,
    mut tally: ResMut<MonthTally>,
) {
    task.start(&queue);
    let Some(in_flight) = task.in_flight.take() else {
        return;
    };
    let (mut inputs, out) = in_flight.wait();
    *hazards = std::mem::take(&mut inputs.hazards);
    // The weights go back to their only owner, for next month's weighing to rewrite in place.
    inputs.weights = None;
    task.spare = Some(inputs);
    let tally = &mut *tally;
    let flows = &mut tally.flows.expected;
    for (total, x) in flows.recorded.iter_mut().zip(&out.recorded) {
        *total += x;
    }
    flows.homicide_victims += out.homicide_victims;
    flows.violence_victims_15plus += out.violence_victims_15plus;
    flows.gbv_victims_women_15_49 += out.gbv_victims_women_15_49;
    tally.expected_groups.merge(&out.groups);
}

/// Cells between two looks for the pool's other work (each cell takes about 0.1 µs at a
/// million agents).
const YIELD_CELLS: usize = 64;

/// The month's expected counts from the computation's inputs (whose shares not yet hit it
/// updates); giving way to the pool's other work every [`YIELD_CELLS`] cells (in a lone run).
fn expectation(i: &mut Inputs, pace: &Pace) -> Outputs {
    let mut out = Outputs::default();
    let Inputs {
        counts,
        weights,
        hazards,
        layout,
        now,
        regions,
        per_region,
        expected: by_region,
        report_of,
        recorded_of,
        fraud_recorded,
        frauds,
        fraud_weight,
        elder_share,
        sexual_share,
        robbery_share,
    } = i;
    let weights = weights
        .as_deref()
        .expect("a computation starts with the month's weights");
    let (now, per_region, frauds, fraud_weight) = (*now, *per_region, *frauds, *fraud_weight);
    let (elder_share, sexual_share) = (*elder_share, *sexual_share);
    let YearHazards {
        violence,
        reported_violence,
        gbv,
        property,
        fraud,
        robbery,
        physical,
        sexual,
        reported_physical,
        reported_sexual,
    } = hazards;
    let (flows, groups) = (&mut out.recorded, &mut out.groups);
    let (homicide_victims, violence_15plus, gbv_women) = (
        &mut out.homicide_victims,
        &mut out.violence_victims_15plus,
        &mut out.gbv_victims_women_15_49,
    );
    for r in 0..*regions {
        let expected = &by_region[r];
        let recorded_of = &recorded_of[r];
        for c in (0..OFFENCE_TYPES).filter(|c| !OffenceType::from_index(*c).has_victim()) {
            flows[c] += expected[c] * recorded_of[c][0];
        }
        let total: [f64; OFFENCE_TYPES] = std::array::from_fn(|c| {
            if WEIGHED.contains(&c) {
                weights.total(c, r)
            } else {
                0.0
            }
        });
        let share = |c: usize, k: usize| {
            if total[c] > 0.0 {
                weights.weight(c, r, k) / total[c]
            } else {
                0.0
            }
        };
        for k in 0..per_region {
            if k % YIELD_CELLS == 0 {
                pace.give_way();
            }
            let cell = r * per_region + k;
            let n = f64::from(counts[cell]);
            if n == 0.0 {
                continue;
            }
            let (sex, cohort, displaced) = layout.decode(k);
            let d = usize::from(displaced);
            let age = CellLayout::cohort_age(cohort, now);
            let g = group_indices(sex, age, r as u8, displaced);
            let homicides = expected[HOMICIDE] * share(HOMICIDE, k);
            *homicide_victims += homicides;
            flows[HOMICIDE] += homicides * recorded_of[HOMICIDE][d];
            groups.add(Counter::HomicideVictims, &g, homicides);
            let trafficked = expected[TRAFFICKING] * share(TRAFFICKING, k);
            let detected = trafficked * recorded_of[TRAFFICKING][d];
            flows[TRAFFICKING] += detected;
            groups.add(Counter::TraffickingVictims, &g, trafficked);
            groups.add(Counter::TraffickingDetected, &g, detected);
            // Assault reaches people 60+ also through the elder-abuse path.
            let (elders_here, elders) = weights.elder(r, k);
            let elder = if elders > 0.0 {
                elders_here / elders
            } else {
                0.0
            };
            let assaults =
                expected[ASSAULT] * ((1.0 - elder_share) * share(ASSAULT, k) + elder_share * elder);
            let gbv_offences = expected[GBV] * share(GBV, k);
            let thefts = expected[PROPERTY] * share(PROPERTY, k);
            let scams = if fraud_weight > 0.0 {
                frauds * weights.weight(FRAUD, r, k) / fraud_weight
            } else {
                0.0
            };
            flows[FRAUD] += scams * fraud_recorded[d];
            groups.add(
                Counter::FraudVictims,
                &g,
                first_hits(n, &mut fraud[cell], scams / n),
            );
            flows[ASSAULT] += assaults * recorded_of[ASSAULT][d];
            flows[GBV] += gbv_offences * recorded_of[GBV][d];
            flows[PROPERTY] += thefts * recorded_of[PROPERTY][d];
            // Per-person hazards of the month, and the people they first reach this year.
            let (h_assault, h_gbv) = (assaults / n, gbv_offences / n);
            let h_reported = h_assault * report_of[ASSAULT][d] + h_gbv * report_of[GBV][d];
            let new_violence = first_hits(n, &mut violence[cell], h_assault + h_gbv);
            let new_reporters = first_hits(n, &mut reported_violence[cell], h_reported);
            let new_gbv = first_hits(n, &mut gbv[cell], h_gbv);
            let new_property = first_hits(n, &mut property[cell], thefts / n);
            groups.add(
                Counter::RobberyVictims,
                &g,
                first_hits(n, &mut robbery[cell], thefts * *robbery_share / n),
            );
            // The physical and sexual series: gender-based violence is sexual with the share
            // the Victimisation stage draws against.
            let (h_sexual, h_physical) = (
                h_gbv * sexual_share,
                h_assault + h_gbv * (1.0 - sexual_share),
            );
            let h_reported_sexual = h_sexual * report_of[GBV][d];
            let h_reported_physical = h_reported - h_reported_sexual;
            groups.add(
                Counter::PhysicalVictims,
                &g,
                first_hits(n, &mut physical[cell], h_physical),
            );
            groups.add(
                Counter::SexualVictims,
                &g,
                first_hits(n, &mut sexual[cell], h_sexual),
            );
            groups.add(
                Counter::PhysicalReporters,
                &g,
                first_hits(n, &mut reported_physical[cell], h_reported_physical),
            );
            groups.add(
                Counter::SexualReporters,
                &g,
                first_hits(n, &mut reported_sexual[cell], h_reported_sexual),
            );
            groups.add(Counter::ViolenceVictims, &g, new_violence);
            groups.add(Counter::ViolenceReporters, &g, new_reporters);
            groups.add(Counter::GbvVictims, &g, new_gbv);
            groups.add(Counter::PropertyVictims, &g, new_property);
            if age >= 15 {
                *violence_15plus += new_violence;
            }
            if sex == 1 && (15..50).contains(&age) {
                *gbv_women += new_gbv;
            }
        }
    }
    out
}
