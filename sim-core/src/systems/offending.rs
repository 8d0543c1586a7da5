//! Offending (docs/model.md section 4.5, stage 6): each free person may commit offences by type.
//!
//! Hazard of person i, type c: `lambda = base_c * age_c(a) * sex_c(s) * inequality_c(r) *
//! employment * propensity_i * deterrence(r) * heat_c(r) * adoption_c(t) * trend_c(a) *
//! release_i(t)`, `p = 1 - exp(-lambda)`; adoption is online fraud's growth with the people
//! online (`digital::national_access`), 1 for the other types.
//! Everything but the person's own factors is folded once a month into a table by region, sex,
//! age and employment, so the common path per person is one table read, one multiply and one
//! random draw compared with the summed hazard (`p_any <= lambda_total`: only the rare
//! candidates compute exponentials and pick types).
//!
//! The same pass sums, over everyone, the probability of each offence type: the expected
//! offences given the state ([`ExpectedOffending`]), which carry none of the draws' noise.
//!
//! The same pass first applies the month's employment update to each free person
//! ([`crate::systems::economy::LabourMonth`], stage 4), so the rows are read once. One 64-bit
//! draw per person and month serves both: its low half is the offending uniform (32 bits: a
//! resolution of 2.3e-10 against monthly hazards above 1e-6), its high half the employment
//! flip; `Stream::Economy` keeps the rare life-stage draws.
//!
//! Reads: `Params`, `Calendar`, `CrimeTables`, `Policing.deterrence`, `RegionConditions`, the
//! person components. Writes: `OffenceBuffer`, `ExpectedOffending`, `MonthTally`,
//! `Socioeconomic.employment`. Streams: `Stream::Offending`, `Stream::Economy`.

use bevy_ecs::prelude::*;
use rayon::prelude::*;

use crate::Params;
use crate::calendar::Calendar;
use crate::crime_tables::CrimeTables;
use crate::crime_tables::probit;
use crate::exp_neg::chance;
use crate::interventions::{PolicyEffects, Programme};
use crate::justice::Policing;
use crate::mechanisms::{AT_RISK_SHARE, HIGH_RISK_SHARE};
use crate::metrics::{AGE_BINS, Counter, GROUPS, MonthTally, group_indices};
use crate::offence::{NO_ROW, OFFENCE_TYPES, Offence, OffenceBuffer, OffenceType};
use crate::par::chunk_rows;
use crate::params::MAX_REGIONS;
use crate::params::ModelParams;
use crate::person::{Demographics, Employment, Justice, NEVER, Sex, Slot, Socioeconomic};
use crate::persons::Persons;
use crate::region::RegionConditions;
use crate::rng::{MonthKey, Stream, halves, to_unit, unit32};
use crate::systems::economy::{
    LABOUR_STAGE_FIRST_AGE, LabourCounts, LabourMonth, LabourRatesRes, LabourTally, record_labour,
};

/// Hazard cells of one region: sex x age x (employed or not).
const CELLS_PER_REGION: usize = 2 * AGE_BINS * 2;

/// Hazard cells: region x sex x age x (employed or not).
pub const HAZARD_CELLS: usize = MAX_REGIONS * CELLS_PER_REGION;

/// Index of a hazard cell.
#[inline(always)]
pub fn hazard_cell(region: u8, sex: usize, age_years: u32, unemployed: bool) -> usize {
    (((region as usize) * 2 + sex) * AGE_BINS + (age_years as usize).min(AGE_BINS - 1)) * 2
        + usize::from(unemployed)
}

/// This month's hazards by cell: per type, and their sum.
#[derive(Resource, Clone, Debug)]
pub struct HazardTable {
    /// Hazard by cell and type, without the person's own factors.
    pub by_type: Vec<[f32; OFFENCE_TYPES]>,
    /// Sum over types, by cell.
    pub total: Box<[f32; HAZARD_CELLS]>,
    /// The youngest age (completed years) with a hazard above 0 in any cell this month
    /// ([`AGE_BINS`] when none has one): the offending pass passes over younger persons without
    /// a draw.
    pub youngest_offending: u32,
    /// The part of each cell's hazards that is the same every month (the calibrated base times
    /// the age, sex, inequality and employment weights), by cell and type: computed once from
    /// the crime tables instead of every month. Empty until the first month.
    fixed: Vec<[f64; OFFENCE_TYPES]>,
}

impl Default for HazardTable {
    fn default() -> Self {
        HazardTable {
            by_type: vec![[0.0; OFFENCE_TYPES]; HAZARD_CELLS],
            total: Box::new([0.0; HAZARD_CELLS]),
            youngest_offending: 0,
            fixed: Vec::new(),
        }
    }
}

/// `person_weight(c, cell)` (the offending weight without the calibrated base and the person's
/// own factors) for every hazard cell of `regions` regions and type; cells of unused regions
/// stay 0. The alignment bins people by these weights, and the hazard table starts from them.
pub(crate) fn cell_weights(t: &CrimeTables, regions: usize) -> Vec<[f64; OFFENCE_TYPES]> {
    let mut weights = vec![[0.0; OFFENCE_TYPES]; HAZARD_CELLS];
    for r in 0..regions as u8 {
        for sex in 0..2 {
            for age in 0..AGE_BINS as u32 {
                for unemployed in [false, true] {
                    weights[hazard_cell(r, sex, age, unemployed)] =
                        std::array::from_fn(|c| t.person_weight(c, r, sex, age, unemployed, 1.0));
                }
            }
        }
    }
    weights
}

/// `base_c * person_weight(c, cell)` for every hazard cell of `regions` regions and type (cells
/// of unused regions stay 0).
fn fixed_hazards(t: &CrimeTables, regions: usize) -> Vec<[f64; OFFENCE_TYPES]> {
    cell_weights(t, regions)
        .into_iter()
        .map(|w| std::array::from_fn(|c| t.base[c] * w[c]))
        .collect()
}

/// Folds the month-level multipliers into the hazard table.
pub fn build_hazard_table(
    params: Res<Params>,
    calendar: Res<Calendar>,
    tables: Res<CrimeTables>,
    effects: Res<PolicyEffects>,
    policing: Res<Policing>,
    conditions: Res<RegionConditions>,
    mut hazards: ResMut<HazardTable>,
) {
    let p = &params.0;
    let t = &*tables;
    let HazardTable {
        by_type,
        total,
        youngest_offending,
        fixed,
    } = &mut *hazards;
    // The crime tables change only at set-up and when a branch re-solves its programmes.
    if fixed.is_empty() || tables.is_changed() {
        *fixed = fixed_hazards(t, p.regions.len());
    }
    // Online fraud grows with the people online (its opportunities), relative to the start.
    let at_start = crate::digital::national_access(p, 0);
    let adoption = if at_start > 0.0 {
        crate::digital::national_access(p, calendar.now()) / at_start
    } else {
        1.0
    };
    // Each region's cells on their own, so the regions are shared out between threads.
    let fixed = &*fixed;
    by_type
        .par_chunks_mut(CELLS_PER_REGION)
        .zip(total.par_chunks_mut(CELLS_PER_REGION))
        .enumerate()
        .take(p.regions.len())
        .for_each(|(r, (by_type, total))| {
            let deterrence = policing.deterrence[r];
            let heat = (1.0 + p.crime.heat_effect_per_sd).powf(conditions.temperature_anomaly[r]);
            // The last factor by type, chosen once per region so that the cells' loop has no
            // branch.
            let climate_or_adoption: [f64; OFFENCE_TYPES] = std::array::from_fn(|c| {
                let kind = OffenceType::from_index(c);
                if kind.is_interpersonal_violence() {
                    heat
                } else if kind == OffenceType::Fraud {
                    adoption
                } else {
                    1.0
                }
            });
            for sex in 0..2 {
                for age in 0..AGE_BINS {
                    let trend = effects
                        .offending_by_age
                        .get(age)
                        .copied()
                        .unwrap_or([1.0; OFFENCE_TYPES]);
                    for unemployed in [false, true] {
                        let cell = hazard_cell(r as u8, sex, age as u32, unemployed);
                        let local = cell - r * CELLS_PER_REGION;
                        let mut sum = 0.0f32;
                        for c in 0..OFFENCE_TYPES {
                            let h = fixed[cell][c]
                                * deterrence
                                * effects.offending[c]
                                * trend[c]
                                * climate_or_adoption[c];
                            by_type[local][c] = h as f32;
                            sum += h as f32;
                        }
                        total[local] = sum;
                    }
                }
            }
        });
    *youngest_offending = youngest_with_hazard(total, p.regions.len());
}

/// The youngest age with a total hazard above 0 in any of the first `regions` regions' cells
/// ([`AGE_BINS`] when there is none).
fn youngest_with_hazard(total: &[f32; HAZARD_CELLS], regions: usize) -> u32 {
    (0..AGE_BINS as u32)
        .find(|&age| {
            (0..regions).any(|r| {
                (0..2).any(|sex| {
                    [false, true]
                        .into_iter()
                        .any(|u| total[hazard_cell(r as u8, sex, age, u)] > 0.0)
                })
            })
        })
        .unwrap_or(AGE_BINS as u32)
}

/// Who the person-level programmes reach, and by how much they cut offending.
struct Reach<'a> {
    effects: &'a PolicyEffects,
    key: MonthKey,
    at_risk: f32,
    high_risk: f32,
    places: f64,
    active: bool,
}

impl<'a> Reach<'a> {
    fn new(p: &ModelParams, effects: &'a PolicyEffects, occupancy: f64) -> Self {
        let sd = p.crime.propensity_log_sd;
        let quantile = |share: f64| (sd * probit(1.0 - share) - 0.5 * sd * sd).exp() as f32;
        Reach {
            effects,
            key: MonthKey::new(p.scenario.seed, Stream::Interventions, 0),
            at_risk: quantile(AT_RISK_SHARE),
            high_risk: quantile(HIGH_RISK_SHARE),
            // Overcrowding cuts rehabilitation places (docs/model.md 4.11).
            places: if occupancy > 1.0 {
                1.0 / occupancy
            } else {
                1.0
            },
            active: effects.programmes.iter().any(|(x, _)| *x > 0.0),
        }
    }

    /// Whether the person is reached by programme `g` (a fixed draw per person and programme).
    fn reached(&self, g: Programme, id: u32, share: f64) -> bool {
        let (x, _) = self.effects.programmes[g as usize];
        x > 0.0 && self.key.uniform(id, g as u32) < x * share
    }

    /// Offending multipliers by type for an eligible, reached person.
    fn multipliers(
        &self,
        d: &Demographics,
        s: &Socioeconomic,
        j: &Justice,
        years: u32,
        now: crate::person::MonthNo,
    ) -> [f64; OFFENCE_TYPES] {
        let mut m = [1.0; OFFENCE_TYPES];
        if !self.active {
            return m;
        }
        let id = d.id.0;
        let all = |m: &mut [f64; OFFENCE_TYPES], g: Programme| {
            let f = self.effects.programmes[g as usize].1;
            m.iter_mut().for_each(|x| *x *= f);
        };
        if (10..25).contains(&years)
            && s.propensity >= self.at_risk
            && self.reached(Programme::Mentoring, id, 1.0)
        {
            all(&mut m, Programme::Mentoring);
        }
        if (12..25).contains(&years)
            && j.convictions > 0
            && self.reached(Programme::FamilyTherapy, id, 1.0)
        {
            all(&mut m, Programme::FamilyTherapy);
        }
        if d.sex == Sex::Male
            && (15..35).contains(&years)
            && s.propensity >= self.high_risk
            && self.reached(Programme::FocusedDeterrence, id, 1.0)
        {
            let f = self.effects.programmes[Programme::FocusedDeterrence as usize].1;
            m[OffenceType::Homicide.index()] *= f;
            m[OffenceType::Assault.index()] *= f;
        }
        if j.convictions > 0 && self.reached(Programme::DrugDiversion, id, 1.0) {
            m[OffenceType::Drug.index()] *=
                self.effects.programmes[Programme::DrugDiversion as usize].1;
        }
        let released = j.last_release != NEVER && i32::from(now) - i32::from(j.last_release) < 60;
        if released {
            for g in [Programme::Cbt, Programme::Education] {
                if self.reached(g, id, self.places) {
                    all(&mut m, g);
                }
            }
        }
        m
    }
}

/// Total monthly hazard above which a person's expected offences are computed exactly.
const EXACT_ABOVE: f32 = 0.1;

const DRAW_ANY: u32 = 0;
const DRAW_TYPE: u32 = 1;

/// Draws this month's offences into the buffer.
pub fn commit_offences(
    params: Res<Params>,
    calendar: Res<Calendar>,
    tables: Res<CrimeTables>,
    hazards: Res<HazardTable>,
    conditions: Res<RegionConditions>,
    effects: Res<PolicyEffects>,
    mut buffer: ResMut<OffenceBuffer>,
    mut expected_offending: ResMut<ExpectedOffending>,
    scratch: Res<ExpectedScratch>,
    mut tally: ResMut<MonthTally>,
    labour_rates: Res<LabourRatesRes>,
    mut persons: ResMut<Persons>,
) {
    buffer.0.clear();
    if persons.is_empty() {
        return;
    }
    let Persons {
        demo,
        socio,
        justice,
        ..
    } = &mut *persons;
    let p = &params.0;
    let now = calendar.now();
    let key = MonthKey::new(p.scenario.seed, Stream::Offending, calendar.key());
    let month_labour = LabourMonth::new(p.scenario.seed, &calendar, &labour_rates);
    let occupancy = conditions.national_occupancy;
    let displaced_mult = p.crime.displaced_offending_multiplier as f32;
    let (t, hz) = (&*tables, &*hazards);
    let reach = Reach::new(p, &effects, occupancy);
    let stash = &scratch.0;
    let rows_per_chunk = chunk_rows(demo.len());
    let parts: Vec<ChunkResult> = demo
        .par_chunks(rows_per_chunk)
        .zip(socio.par_chunks_mut(rows_per_chunk))
        .zip(justice.par_chunks(rows_per_chunk))
        .enumerate()
        .map_init(
            || Lease::take(stash),
            |lease, (chunk, ((demo, socio), justice))| {
                let sums = lease.sums();
                let mut out = Vec::new();
                let mut labour = LabourTally::default();
                let mut ages = [0u64; AGE_BINS];
                let mut by_type = [0u64; OFFENCE_TYPES];
                let mut by_group = [0u64; GROUPS];
                let base = (chunk * rows_per_chunk) as u32;
                // The month's constants as the chunk's own copies: read through the closure's
                // captured references, they were loaded again for every person (the writes to
                // the rows might, for all the compiler knows, change them).
                let (now, key, displaced_mult) = (now, key, displaced_mult);
                // Younger persons have no hazard, and their employment stays "child" this month
                // (the first stage change is at 15), so they need no draw.
                let no_draw_below = hz.youngest_offending.min(LABOUR_STAGE_FIRST_AGE) * 12;
                let totals: &[f32; HAZARD_CELLS] = &hz.total;
                let rows = demo.iter().zip(socio.iter_mut()).zip(justice);
                for (i, ((d, s), j)) in rows.enumerate() {
                    if d.slot != Slot::Alive {
                        continue;
                    }
                    let age = d.age_months(now);
                    if age < no_draw_below {
                        continue;
                    }
                    // The person's draw of the month: its high half for the employment flip,
                    // its low half for offending.
                    let (u_offend, u_flip) = halves(key.bits(d.id.0, DRAW_ANY));
                    month_labour.update(d, s, age, u_flip, &mut labour);
                    let s = &*s;
                    let years = age / 12;
                    let unemployed = s.employment == Employment::Unemployed;
                    let cell = hazard_cell(d.region, d.sex.index(), years, unemployed);
                    let mut lambda = totals[cell] * s.propensity;
                    if lambda == 0.0 {
                        continue;
                    }
                    let mut personal = 1.0f32;
                    if j.last_release != NEVER {
                        personal = released_factor(t, p, j, years, now, occupancy);
                    }
                    if displaced_mult != 1.0 && d.displaced {
                        personal *= displaced_mult;
                    }
                    lambda *= personal;
                    let factor = s.propensity * personal;
                    // Programmes only lower hazards, so for the draw they are applied below by
                    // thinning the candidates; the expected counts need them for everyone reached.
                    let programme = reach
                        .active
                        .then(|| reach.multipliers(d, s, j, years, now))
                        .filter(|m| m.iter().any(|x| *x < 1.0));
                    // Expected offences: the person's own factor (and its square) summed by
                    // hazard cell, for 1 - exp(-l) to second order (error below l^3 / 6 < 0.2%
                    // of l); exactly for the few with large hazards or a programme's cut.
                    if lambda < EXACT_ABOVE && programme.is_none() {
                        let f = f64::from(factor);
                        let acc = &mut sums.cells[cell];
                        acc[0] += fixed(f * S1_SCALE);
                        acc[1] += fixed(f * f * S2_SCALE);
                    } else {
                        add_exact(
                            &mut sums.exact[d.region as usize],
                            &hz.by_type[cell],
                            factor,
                            &programme.unwrap_or([1.0; OFFENCE_TYPES]),
                        );
                    }
                    let u = unit32(u_offend);
                    // The chance of any offence, 1 - exp(-lambda), is below lambda: most people
                    // are rejected without an exponential. The candidates' types are drawn
                    // against the hazards with programmes applied, with the same uniform.
                    if u >= f64::from(lambda) || u >= chance_out_of_line(f64::from(lambda)) {
                        continue;
                    }
                    let committed = draw_types(
                        u,
                        key,
                        d,
                        base + i as u32,
                        &hz.by_type[cell],
                        factor,
                        &programme.unwrap_or([1.0; OFFENCE_TYPES]),
                        &mut out,
                    );
                    if committed > 0 {
                        ages[(years as usize).min(AGE_BINS - 1)] += committed;
                        for o in &out[out.len() - committed as usize..] {
                            by_type[o.kind.index()] += 1;
                        }
                        let groups = group_indices(d.sex.index(), years, d.region, d.displaced);
                        for g in groups {
                            by_group[g] += committed;
                        }
                    }
                }
                ChunkResult {
                    labour: labour.counts(),
                    offences: out,
                    ages,
                    by_type,
                    by_group,
                }
            },
        )
        .collect();
    let by_region = expected_by_region(
        &mut scratch.0.lock().expect("not poisoned"),
        hz,
        p.regions.len(),
    );
    for part in parts {
        record_labour(&mut tally, &part.labour);
        for (total, n) in tally.flows.offences.iter_mut().zip(part.by_type) {
            *total += n;
        }
        tally.groups.add_counts(Counter::Offences, &part.by_group);
        for (total, n) in tally.offences_by_age.iter_mut().zip(part.ages) {
            *total += n;
        }
        buffer.0.extend(part.offences);
    }
    for r in &by_region {
        for (t, x) in tally.flows.expected.offences.iter_mut().zip(r) {
            *t += x;
        }
    }
    expected_offending.by_region = by_region;
}

/// The offending multiplier of someone released from custody (out of line: a few in a hundred
/// persons, and the common path keeps its registers).
#[cold]
#[inline(never)]
fn released_factor(
    t: &CrimeTables,
    p: &ModelParams,
    j: &Justice,
    years: u32,
    now: crate::person::MonthNo,
    occupancy: f64,
) -> f32 {
    let since = i32::from(now) - i32::from(j.last_release);
    let at_release = years.saturating_sub((since / 12) as u32);
    t.release_multiplier(since, at_release, occupancy, p) as f32
}

/// Adds a person's exact probability of each type to the exact sums: the few with large
/// hazards or a programme's cut. Out of line, so that the common path of the pass keeps its
/// registers.
#[cold]
#[inline(never)]
fn add_exact(
    exact: &mut [u64; OFFENCE_TYPES],
    hazards: &[f32; OFFENCE_TYPES],
    factor: f32,
    programme: &[f64; OFFENCE_TYPES],
) {
    let probs = type_chances(hazards, factor, programme);
    for (sum, p) in exact.iter_mut().zip(probs) {
        *sum += fixed(p * P_SCALE);
    }
}

/// [`chance`] as a call, for the pass's candidate test. Inlined there, its constants took the
/// common path's registers: callgrind counted 3.7 more instructions per person-month in the
/// loop, for a test that one person in fifty reaches.
#[cold]
#[inline(never)]
fn chance_out_of_line(x: f64) -> f64 {
    chance(x)
}

/// The person's probability of committing each type this month.
#[inline(always)]
fn type_chances(
    hazards: &[f32; OFFENCE_TYPES],
    factor: f32,
    programme: &[f64; OFFENCE_TYPES],
) -> [f64; OFFENCE_TYPES] {
    let mut probs = [0.0; OFFENCE_TYPES];
    for ((p, h), m) in probs.iter_mut().zip(hazards).zip(programme) {
        *p = chance(f64::from(h * factor) * m);
    }
    probs
}

/// The first type at or after `from` that a uniform `u` picks, when each type `c` happens
/// independently with probability `probs[c]`: the types' first occurrence by inversion, `c`
/// being first when `u` falls between the chances of any of the types before `c` and of any
/// up to `c` (none when `u` is above the chance of any at all).
#[inline]
fn first_type(probs: &[f64; OFFENCE_TYPES], from: usize, u: f64) -> Option<usize> {
    let mut none = 1.0;
    for (c, p) in probs.iter().enumerate().skip(from) {
        none *= 1.0 - p;
        if u < 1.0 - none {
            return Some(c);
        }
    }
    None
}

/// For a candidate, whose uniform `u` fell below the summed hazard without programmes, which
/// types (if any) are committed, each independently with its own probability. The first by
/// inversion with `u` itself: none when `u` is above the chance of any type (with programmes
/// applied: exact thinning); the types after it likewise, with one further draw for each type
/// found. Pushes the offences in type order and returns how many. Out of line: about one
/// person in fifty gets here.
#[cold]
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn draw_types(
    u: f64,
    key: MonthKey,
    d: &Demographics,
    row: u32,
    hazards: &[f32; OFFENCE_TYPES],
    factor: f32,
    programme: &[f64; OFFENCE_TYPES],
    out: &mut Vec<Offence>,
) -> u64 {
    let probs = type_chances(hazards, factor, programme);
    let mut found = 0;
    let mut next = first_type(&probs, 0, u);
    while let Some(c) = next {
        out.push(Offence {
            kind: OffenceType::from_index(c),
            region: d.region,
            offender_row: row,
            offender_id: d.id.0,
            victim_row: NO_ROW,
            sexual: false,
            robbery: false,
            reported: false,
            detected: false,
            cleared: false,
        });
        let v = to_unit(key.bits(d.id.0, DRAW_TYPE + found as u32));
        found += 1;
        next = first_type(&probs, c + 1, v);
    }
    found
}

/// What one chunk of the person table yields: its offences in row order, and offences by the
/// offender's age, by type and by the offender's groups (counted where the offender is at
/// hand rather than looked up again by row afterwards, serially).
struct ChunkResult {
    labour: LabourCounts,
    offences: Vec<Offence>,
    ages: [u64; AGE_BINS],
    by_type: [u64; OFFENCE_TYPES],
    by_group: [u64; GROUPS],
}

/// Fixed-point scales of the expected-offence sums. Integers add up to the same total in any
/// order, so how rayon splits the table between threads cannot change the result.
const S1_SCALE: f64 = 4_294_967_296.0;
const S2_SCALE: f64 = 16_777_216.0;
const P_SCALE: f64 = 4_294_967_296.0;

/// `x` (0 <= x < 2^52) rounded to an integer, by the float-adding trick: two instructions where
/// `as u64` checks for saturation. Scaled factors are far below 2^52.
#[inline(always)]
fn fixed(x: f64) -> u64 {
    const MAGIC: f64 = 4_503_599_627_370_496.0; // 2^52
    (x + MAGIC).to_bits() - MAGIC.to_bits()
}

/// Sums over the persons one rayon job visited: per hazard cell, the own factors `f` and `f^2`
/// of persons with small hazards; per region and type, the exact probabilities of the others.
pub(crate) struct ExpectedSums {
    /// Per hazard cell, `[sum f, sum f^2]` (the same fixed length as the hazard table, so one
    /// bounds check covers both).
    cells: Box<[[u64; 2]; HAZARD_CELLS]>,
    exact: [[u64; OFFENCE_TYPES]; MAX_REGIONS],
}

impl ExpectedSums {
    fn new() -> Self {
        ExpectedSums {
            cells: Box::new([[0; 2]; HAZARD_CELLS]),
            exact: [[0; OFFENCE_TYPES]; MAX_REGIONS],
        }
    }
}

/// Sums kept between months so that no month allocates them again.
#[derive(Resource, Default)]
pub struct ExpectedScratch(pub(crate) std::sync::Mutex<Vec<ExpectedSums>>);

/// A job's sums, taken from the scratch and given back when the job ends.
struct Lease<'a> {
    sums: Option<ExpectedSums>,
    stash: &'a std::sync::Mutex<Vec<ExpectedSums>>,
}

impl<'a> Lease<'a> {
    fn take(stash: &'a std::sync::Mutex<Vec<ExpectedSums>>) -> Self {
        let sums = stash
            .lock()
            .expect("not poisoned")
            .pop()
            .unwrap_or_else(ExpectedSums::new);
        Lease {
            sums: Some(sums),
            stash,
        }
    }

    fn sums(&mut self) -> &mut ExpectedSums {
        self.sums.as_mut().expect("held until dropped")
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(s) = self.sums.take() {
            self.stash.lock().expect("not poisoned").push(s);
        }
    }
}

/// Expected offences by region and type from the jobs' sums, which are zeroed for next month:
/// `sum over cells of h_c S1 - h_c^2 S2 / 2` plus the exact part. Each region sums its own
/// cells in their order, so the regions are shared out between threads with the same result.
fn expected_by_region(
    sums: &mut [ExpectedSums],
    hz: &HazardTable,
    regions: usize,
) -> [[f64; OFFENCE_TYPES]; MAX_REGIONS] {
    // The exact parts as integers over every job first: how rayon split the table (which
    // depends on the threads and on timing) must not change a float sum's order.
    let mut exact = [[0u64; OFFENCE_TYPES]; MAX_REGIONS];
    for s in sums.iter_mut() {
        for (total, job) in exact.iter_mut().zip(&mut s.exact) {
            for (t, x) in total.iter_mut().zip(job.iter_mut()) {
                *t += std::mem::take(x);
            }
        }
    }
    // Cells are region-major, and persons live only in the scenario's regions.
    let mut cells: Vec<Vec<&mut [[u64; 2]]>> = (0..regions)
        .map(|_| Vec::with_capacity(sums.len()))
        .collect();
    for s in sums.iter_mut() {
        for (by_job, region) in cells.iter_mut().zip(s.cells.chunks_mut(CELLS_PER_REGION)) {
            by_job.push(region);
        }
    }
    let mut by_region = [[0.0f64; OFFENCE_TYPES]; MAX_REGIONS];
    by_region[..regions]
        .par_iter_mut()
        .zip(cells.into_par_iter())
        .zip(hz.by_type.par_chunks(CELLS_PER_REGION))
        .zip(exact[..regions].par_iter())
        .for_each(|(((row, mut by_job), hazards), exact)| {
            for (k, h) in hazards.iter().enumerate() {
                let (mut s1, mut s2) = (0u64, 0u64);
                for job in by_job.iter_mut() {
                    let [a, b] = std::mem::take(&mut job[k]);
                    s1 += a;
                    s2 += b;
                }
                if s1 == 0 {
                    continue;
                }
                let (s1, s2) = (s1 as f64 / S1_SCALE, s2 as f64 / S2_SCALE);
                for (c, e) in row.iter_mut().enumerate() {
                    let h = f64::from(h[c]);
                    *e += h * s1 - 0.5 * h * h * s2;
                }
            }
            for (e, x) in row.iter_mut().zip(exact) {
                *e += *x as f64 / P_SCALE;
            }
        });
    by_region
}

/// Expected offences of the month by region and type, given the state (sum over free persons
/// of the probability of each type): read by the Victimisation stage, which turns them into
/// expected victims by group.
#[derive(Resource, Clone, Debug, Default)]
pub struct ExpectedOffending {
    /// Expected offences by region and type (agents).
    pub by_region: [[f64; OFFENCE_TYPES]; MAX_REGIONS],
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::PersonId;

    /// The offences of `n` persons with the given hazards, drawn as the pass draws them: the
    /// candidate test on the person's uniform, then [`draw_types`]. Per person, the types
    /// committed as a bit set.
    fn committed_types(
        n: u32,
        hazards: &[f32; OFFENCE_TYPES],
        programme: &[f64; OFFENCE_TYPES],
    ) -> Vec<u8> {
        let key = MonthKey::new(7, Stream::Offending, 3);
        let lambda: f32 = hazards.iter().sum();
        let mut out = Vec::new();
        (0..n)
            .map(|id| {
                let d = Demographics {
                    id: PersonId(id),
                    birth_month: -300,
                    sex: Sex::Male,
                    region: 0,
                    slot: Slot::Alive,
                    displaced: false,
                };
                let (u_offend, _) = halves(key.bits(id, DRAW_ANY));
                let u = unit32(u_offend);
                if u >= f64::from(lambda) {
                    return 0;
                }
                out.clear();
                draw_types(u, key, &d, id, hazards, 1.0, programme, &mut out);
                out.iter().fold(0u8, |set, o| set | 1 << o.kind.index())
            })
            .collect()
    }

    /// Whether `hits` out of `n` is within 5 standard errors of probability `p`.
    fn near(hits: usize, n: u32, p: f64) -> bool {
        let sd = (p * (1.0 - p) / f64::from(n)).sqrt();
        (hits as f64 / f64::from(n) - p).abs() < 5.0 * sd + 1e-12
    }

    #[test]
    fn each_type_is_committed_with_its_own_probability_and_independently_of_the_others() {
        // Large hazards, so that two and three types in a month are common enough to count:
        // the first type is found by inversion of the candidate's uniform, the others by
        // further draws, and together they must give independent types.
        let hazards = [0.02, 0.6, 0.3, 0.9, 0.0, 0.25, 0.05, 0.4];
        let n = 400_000;
        let sets = committed_types(n, &hazards, &[1.0; OFFENCE_TYPES]);
        let p: Vec<f64> = hazards.iter().map(|h| -(-f64::from(*h)).exp_m1()).collect();
        for c in 0..OFFENCE_TYPES {
            let hits = sets.iter().filter(|s| *s & 1 << c != 0).count();
            assert!(near(hits, n, p[c]), "type {c}: {hits} of {n}, p = {}", p[c]);
            for k in c + 1..OFFENCE_TYPES {
                let both = sets
                    .iter()
                    .filter(|s| *s & (1 << c | 1 << k) == 1 << c | 1 << k);
                let both = both.count();
                assert!(
                    near(both, n, p[c] * p[k]),
                    "types {c} and {k}: {both} of {n}"
                );
            }
        }
        // The count of types a person commits follows from independence too.
        let none = p.iter().map(|x| 1.0 - x).product::<f64>();
        let zero = sets.iter().filter(|s| **s == 0).count();
        assert!(
            near(zero, n, none),
            "no offence: {zero} of {n}, expected share {none}"
        );
        assert!(hazards[4] == 0.0 && sets.iter().all(|s| s & 1 << 4 == 0));
    }

    #[test]
    fn a_programme_thins_only_the_types_it_cuts() {
        // Halving assault and property hazards' effect (as a multiplier on the hazard) while
        // the draw's candidate test uses the hazards without programmes.
        let hazards = [0.01, 0.3, 0.1, 0.4, 0.0, 0.1, 0.02, 0.2];
        let mut programme = [1.0; OFFENCE_TYPES];
        programme[1] = 0.5;
        programme[3] = 0.5;
        let n = 400_000;
        let sets = committed_types(n, &hazards, &programme);
        for c in 0..OFFENCE_TYPES {
            let p = -(-f64::from(hazards[c]) * programme[c]).exp_m1();
            let hits = sets.iter().filter(|s| *s & 1 << c != 0).count();
            assert!(near(hits, n, p), "type {c}: {hits} of {n}, p = {p}");
        }
    }

    #[test]
    fn the_youngest_offending_age_is_the_first_age_with_a_hazard_in_any_cell() {
        let mut total = Box::new([0.0f32; HAZARD_CELLS]);
        assert_eq!(youngest_with_hazard(&total, 4), AGE_BINS as u32);
        for age in 12..AGE_BINS as u32 {
            total[hazard_cell(0, 0, age, false)] = 1e-3;
        }
        assert_eq!(youngest_with_hazard(&total, 4), 12);
        // One cell of another region, sex and employment is enough.
        total[hazard_cell(3, 1, 7, true)] = 1e-6;
        assert_eq!(youngest_with_hazard(&total, 4), 7);
        // Regions the scenario does not have are not looked at.
        total[hazard_cell(5, 0, 2, false)] = 1e-6;
        assert_eq!(youngest_with_hazard(&total, 4), 7);
    }
}
