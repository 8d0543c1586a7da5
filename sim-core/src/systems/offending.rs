//! Offending (docs/model.md section 4.5, stage 6): each free person may commit offences by type.
//!
//! Hazard of person i, type c: `lambda = base_c * age_c(a) * sex_c(s) * inequality_c(r) *
//! employment * propensity_i * deterrence(r) * heat_c(r) * adoption_c(t) * trend_c(a) *
//! release_i(t)`, `p = 1 - exp(-lambda)`; adoption is online fraud's growth with the people
//! online (`digital::national_access`), 1 for the other types.
//! Everything but the person's own factors is folded once a month into a table by region, sex,
//! age and employment.
//!
//! The pass visits only the persons whose month it is ([`crate::tempo`]): a candidate offence
//! drawn against their bound, a flip between work and unemployment, a birthday, a change the
//! victim pool saw (or a conviction), or a draw every month for the few with large
//! hazards, a prison release behind them or a programme that could reach them. Everyone else
//! costs one compare of a two-byte column.
//!
//! The expected offences given the state ([`ExpectedOffending`]), which carry none of the
//! draws' noise, come from running sums by hazard cell of the moments of everyone's own
//! factor ([`OffendingLedger`]), to which each visit takes out what the person added before
//! and adds what they add now; the persons drawn every month are summed exactly.
//!
//! The same visit first applies the month's employment update
//! ([`crate::systems::economy::LabourMonth`], stage 4), so the rows are read once, and keeps the
//! labour-market counts. A visited person's draw of the month is the low half of one 64-bit
//! draw (32 bits: a resolution of 2.3e-10 against monthly hazards above 1e-6); the clocks have
//! draws of their own (`Stream::Offending` for the candidate clock, `Stream::Economy` for the
//! flip clock and the life-stage changes).
//!
//! Reads: `Params`, `Calendar`, `CrimeTables`, `Policing.deterrence`, `RegionConditions`,
//! `PoolChanges` (the rows it saw change), the person components. Writes: `OffenceBuffer`,
//! `ExpectedOffending`, `OffendingLedger`, `HazardTable` (the cap), `MonthTally`,
//! `Socioeconomic.employment`, the person table's visits and records. Streams:
//! `Stream::Offending`, `Stream::Economy`.

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
use crate::offence::{OFFENCE_TYPES, Offence, OffenceBuffer, OffenceType};
use crate::par::{Jobs, chunk_rows, in_turn};
use crate::params::MAX_REGIONS;
use crate::params::ModelParams;
use crate::person::{Demographics, Employment, Justice, MonthNo, NEVER, Sex, Slot, Socioeconomic};
use crate::persons::Persons;
use crate::pool::PoolChanges;
use crate::prefetch::prefetch;
use crate::region::RegionConditions;
use crate::rng::{MonthKey, Stream, halves, to_unit, unit32};
use crate::systems::economy::{LabourMonth, LabourRatesRes, LabourTally, record_labour};
use crate::tempo::{self, NEVER_VISIT, NO_CELL, NO_CLASS, Tempo, first_event};

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
    /// The part of each cell's hazards that is the same every month (the calibrated base times
    /// the age, sex, inequality and employment weights), by cell and type: computed once from
    /// the crime tables instead of every month. Empty until the first month.
    fixed: Vec<[f64; OFFENCE_TYPES]>,
    /// The sum of `fixed` over types, by cell.
    fixed_total: Vec<f64>,
    /// The cap on the month-level multipliers: every cell's total hazard is at most
    /// `cap * fixed_total` (see [`crate::tempo`]); raised (or lowered, when the hazards fell
    /// below half of it) only with a visit to everyone.
    cap: f64,
    /// `cap * fixed_total` by cell: a person's bound is their factor times this.
    pub(crate) bound: Box<[f32; HAZARD_CELLS]>,
    /// Whether the crime tables' fixed part changed this month (the pass then sets the cap
    /// afresh and visits everyone).
    refixed: bool,
}

impl Default for HazardTable {
    fn default() -> Self {
        HazardTable {
            by_type: vec![[0.0; OFFENCE_TYPES]; HAZARD_CELLS],
            total: Box::new([0.0; HAZARD_CELLS]),
            fixed: Vec::new(),
            fixed_total: Vec::new(),
            cap: 0.0,
            bound: Box::new([0.0; HAZARD_CELLS]),
            refixed: false,
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
        fixed,
        fixed_total,
        refixed,
        ..
    } = &mut *hazards;
    // The crime tables change only at set-up and when a branch re-solves its programmes.
    // (A restored snapshot's tables count as changed: the clocks stand when the values do.)
    *refixed = false;
    if fixed.is_empty() || tables.is_changed() {
        let now_fixed = fixed_hazards(t, p.regions.len());
        if now_fixed != *fixed {
            *fixed = now_fixed;
            *fixed_total = fixed.iter().map(|h| h.iter().sum()).collect();
            *refixed = true;
        }
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
        .job_per_chunk()
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
}

/// Room above the month-level multipliers when the cap is set: the bounds' events are thinned
/// to the hazard, so the cap trades candidates (about `CAP_HEADROOM` times the offences) against
/// how often the cap must be raised with a visit to everyone.
const CAP_HEADROOM: f64 = 1.25;

/// Keeps every cell's total hazard at most its bound (`cap * fixed_total`): sets the cap afresh
/// when the crime tables changed, when a hazard rose above it (the month's multipliers, or a
/// plugin's change to the table after it was built) or when they all fell below half of it.
/// Returns whether it did (the pass must then visit everyone: the clocks were drawn against the
/// old bounds).
fn update_cap(hz: &mut HazardTable) -> bool {
    let HazardTable {
        total,
        fixed_total,
        cap,
        bound,
        refixed,
        ..
    } = hz;
    let needed = (0..fixed_total.len())
        .filter(|&k| fixed_total[k] > 0.0)
        .map(|k| f64::from(total[k]) / fixed_total[k])
        .fold(0.0, f64::max);
    let within = (0..fixed_total.len()).all(|k| total[k] <= bound[k]);
    if !*refixed && within && needed >= 0.5 * *cap {
        return false;
    }
    *cap = needed * CAP_HEADROOM;
    for (k, b) in bound.iter_mut().enumerate() {
        let f = fixed_total.get(k).copied().unwrap_or(0.0);
        // Rounding to f32 must not put a bound below its hazard.
        *b = ((f * *cap) as f32).max(total[k]);
    }
    true
}

/// Programmes running this month (intensity above 0), as bits by [`Programme`].
fn running_programmes(effects: &PolicyEffects) -> u16 {
    Programme::ALL
        .into_iter()
        .filter(|&g| effects.programmes[g as usize].0 > 0.0)
        .fold(0, |bits, g| bits | 1 << g as u16)
}

/// Who the person-level programmes reach, and by how much they cut offending.
struct Reach<'a> {
    effects: &'a PolicyEffects,
    key: MonthKey,
    at_risk: f32,
    high_risk: f32,
    places: f64,
    /// Programmes running this month, as bits by [`Programme`].
    running: u16,
    active: bool,
}

impl<'a> Reach<'a> {
    fn new(p: &ModelParams, effects: &'a PolicyEffects, occupancy: f64) -> Self {
        let sd = p.crime.propensity_log_sd;
        let quantile = |share: f64| (sd * probit(1.0 - share) - 0.5 * sd * sd).exp() as f32;
        let running = running_programmes(effects);
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
            running,
            active: running != 0,
        }
    }

    /// Whether the person meets programme `g`'s conditions on age, sex, propensity and
    /// history (whether it reaches them is a draw of its own, [`Self::reached`]).
    fn qualifies(
        &self,
        g: Programme,
        (d, s, j): (&Demographics, &Socioeconomic, &Justice),
        years: u32,
        now: MonthNo,
    ) -> bool {
        match g {
            Programme::Mentoring => (10..25).contains(&years) && s.propensity >= self.at_risk,
            Programme::FamilyTherapy => (12..25).contains(&years) && j.convictions > 0,
            Programme::FocusedDeterrence => {
                d.sex == Sex::Male && (15..35).contains(&years) && s.propensity >= self.high_risk
            }
            Programme::DrugDiversion => j.convictions > 0,
            // Released within five years.
            Programme::Cbt | Programme::Education => {
                j.last_release != NEVER && i32::from(now) - i32::from(j.last_release) < 60
            }
        }
    }

    /// Whether a running programme could reach the person (reach is a draw against the
    /// programme's intensity, which ramps month by month, so such persons are visited every
    /// month).
    fn eligible(
        &self,
        person: (&Demographics, &Socioeconomic, &Justice),
        years: u32,
        now: MonthNo,
    ) -> bool {
        Programme::ALL
            .into_iter()
            .any(|g| self.running & 1 << g as u16 != 0 && self.qualifies(g, person, years, now))
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
        let person = (d, s, j);
        // In the programmes' order, so that the products are the same bits in any run.
        for g in Programme::ALL {
            let share = match g {
                // Overcrowding cuts rehabilitation places.
                Programme::Cbt | Programme::Education => self.places,
                _ => 1.0,
            };
            if !self.qualifies(g, person, years, now) || !self.reached(g, id, share) {
                continue;
            }
            let f = self.effects.programmes[g as usize].1;
            match g {
                Programme::FocusedDeterrence => {
                    m[OffenceType::Homicide.index()] *= f;
                    m[OffenceType::Assault.index()] *= f;
                }
                Programme::DrugDiversion => m[OffenceType::Drug.index()] *= f,
                _ => m.iter_mut().for_each(|x| *x *= f),
            }
        }
        m
    }
}

/// Blocks of 64 rows between the block the pass visits and the one whose rows it asks memory
/// for. At a million agents on one thread, one to four blocks ahead were within each other's
/// noise (docs/performance.md, "Prefetching the visits").
const PREFETCH_BLOCKS: usize = 2;

/// The due mask of block `block` of the pass's `visit` column ([`tempo::due_mask`]), after
/// asking memory for the rows of the persons it marks (not in a month when everyone is due:
/// then the rows are read in order, which the processor foresees). The justice row only when
/// `programmes` run (their eligibility reads it): otherwise a visit reads it only for the few
/// released or stale persons ([`Tempo::released`]).
#[inline(always)]
fn due_rows(
    visit: &[MonthNo],
    block: usize,
    now: MonthNo,
    (everyone, programmes): (bool, bool),
    (demo, socio, justice, tempo): (&[Demographics], &[Socioeconomic], &[Justice], &[Tempo]),
) -> u64 {
    let start = block * 64;
    if everyone {
        return tempo::due_mask(&visit[start..(start + 64).min(visit.len())], now, true);
    }
    tempo::due_block(visit, start, now, |i| {
        prefetch(&demo[i]);
        prefetch(&socio[i]);
        if programmes {
            prefetch(&justice[i]);
        }
        prefetch(&tempo[i]);
    })
}

/// Asks memory for the justice rows of the persons of `mask` (a block's due persons, from row
/// `start`) whose visit will read them: the released and those whose records are stale. A
/// block ahead of the visits, when their records, asked for blocks before, have arrived.
#[inline(always)]
fn justice_rows(
    mut mask: u64,
    start: usize,
    now: MonthNo,
    (visit, tempo, justice): (&[MonthNo], &[Tempo], &[Justice]),
) {
    while mask != 0 {
        let i = start + mask.trailing_zeros() as usize;
        mask &= mask - 1;
        if tempo[i].released || visit[i] < now {
            prefetch(&justice[i]);
        }
    }
}

/// Monthly hazard bound above which a person's expected offences are computed exactly.
const EXACT_ABOVE: f32 = 0.3;

/// Draw indices of `Stream::Offending`: the month's uniform of a visited person (its low half
/// decides the offence), the first of the further types' draws, the candidate clock.
const DRAW_ANY: u32 = 0;
const DRAW_TYPE: u32 = 1;
const DRAW_CANDIDATE: u32 = 0x100;

/// The running sums over everyone free that the visits keep current: the [`moments`] of each
/// person's own factor by hazard cell, and the labour-market counts. A snapshot carries them,
/// with the person table's [`Tempo`] records that say what each person added.
#[derive(Resource, Clone, Debug)]
pub struct OffendingLedger {
    cells: Box<[[u64; MOMENTS]; HAZARD_CELLS]>,
    labour: LabourTally,
    /// The programmes running at the last pass (bits by [`Programme`]): who is visited every
    /// month depends on them.
    programmes: u16,
}

impl Default for OffendingLedger {
    fn default() -> Self {
        OffendingLedger {
            cells: Box::new([[0; MOMENTS]; HAZARD_CELLS]),
            labour: LabourTally::default(),
            programmes: 0,
        }
    }
}

/// The month's constants of the visits.
struct Month<'a> {
    now: MonthNo,
    key: MonthKey,
    displaced_mult: f32,
    occupancy: f64,
    labour: LabourMonth<'a>,
    reach: Reach<'a>,
    hazards: &'a HazardTable,
    tables: &'a CrimeTables,
    params: &'a ModelParams,
}

/// What one chunk of the person table yields: its offences in row order, and offences by the
/// offender's age, by type and by the offender's groups (counted where the offender is at
/// hand rather than looked up again by row afterwards, serially), and its changes to the
/// labour-market counts.
struct ChunkResult {
    labour: LabourTally,
    offences: Vec<Offence>,
    ages: [u64; AGE_BINS],
    by_type: [u64; OFFENCE_TYPES],
    by_group: [u64; GROUPS],
}

impl ChunkResult {
    fn new() -> Self {
        ChunkResult {
            labour: LabourTally::default(),
            offences: Vec::new(),
            ages: [0; AGE_BINS],
            by_type: [0; OFFENCE_TYPES],
            by_group: [0; GROUPS],
        }
    }
}

/// One row of the table, as the pass visits it.
struct Row<'r> {
    d: &'r Demographics,
    s: &'r mut Socioeconomic,
    j: &'r Justice,
    t: &'r mut Tempo,
    number: u32,
}

impl Month<'_> {
    /// Visits one person: takes out what they added to the sums, updates their employment,
    /// adds what they add now, draws this month's offences and returns the month of their
    /// next visit. `stale`: their clocks are not to be trusted (drawn afresh, and this
    /// month's draw is unconditional).
    #[inline]
    fn visit(
        &self,
        row: Row<'_>,
        stale: bool,
        sums: &mut ExpectedSums,
        out: &mut ChunkResult,
    ) -> MonthNo {
        let Row { d, s, j, t, number } = row;
        let now = self.now;
        let old_cell = t.cell;
        if old_cell != NO_CELL {
            let acc = &mut sums.cells[usize::from(old_cell)];
            for (a, m) in acc.iter_mut().zip(moments(t.factor)) {
                *a = a.wrapping_sub(m);
            }
            t.cell = NO_CELL;
        }
        if t.class != NO_CLASS {
            out.labour.add(t.class, -1);
            t.class = NO_CLASS;
        }
        if d.slot != Slot::Alive {
            return NEVER_VISIT;
        }
        let age = d.age_months(now);
        self.labour.visit(d, s, age, now, &mut t.flip, stale);
        let years = age / 12;
        t.class = LabourTally::class(years, s.employment);
        out.labour.add(t.class, 1);
        let next_birthday = (i32::from(d.birth_month) + 12 * (years as i32 + 1))
            .min(i32::from(NEVER_VISIT)) as MonthNo;
        let unemployed = s.employment == Employment::Unemployed;
        let cell = hazard_cell(d.region, d.sex.index(), years, unemployed);
        let hz = self.hazards;
        let mut own = s.propensity;
        if self.displaced_mult != 1.0 && d.displaced {
            own *= self.displaced_mult;
        }
        if stale {
            t.released = j.last_release != NEVER;
        }
        let released = t.released;
        let eligible = self.reach.active && self.reach.eligible((d, s, j), years, now);
        let bound = hz.bound[cell] * own;
        let bits = || halves(self.key.bits(d.id.0, DRAW_ANY)).0;
        if released || eligible || bound >= EXACT_ABOVE {
            // Visited every month: the release's multiplier changes with the months since and
            // the occupancy, a programme's reach with its intensity; large hazards are summed
            // exactly.
            let mut factor = own;
            if released {
                factor *= released_factor(self.tables, self.params, j, years, now, self.occupancy);
            }
            let programme = if eligible {
                self.reach.multipliers(d, s, j, years, now)
            } else {
                [1.0; OFFENCE_TYPES]
            };
            let lambda = hz.total[cell] * factor;
            if lambda > 0.0 {
                add_exact(
                    &mut sums.exact[d.region as usize],
                    &hz.by_type[cell],
                    factor,
                    &programme,
                );
                let u = unit32(bits());
                if u < f64::from(lambda) {
                    self.offend(u, lambda, d, number, years, cell, factor, &programme, out);
                }
            }
            return (now + 1).min(next_birthday);
        }
        t.cell = cell as u16;
        t.factor = own;
        for (a, m) in sums.cells[cell].iter_mut().zip(moments(own)) {
            *a = a.wrapping_add(m);
        }
        let lambda = hz.total[cell] * own;
        // The clock stands while the person's bound is at most the one it was drawn against
        // (and nothing the pool saw, or a new cap, staled it): most birthdays after the peak
        // of the age-crime curve, and flips into work, keep it.
        let kept = !stale && old_cell != NO_CELL && bound <= t.bound;
        let u = if !kept {
            unit32(bits())
        } else if t.candidate == now {
            // A candidate month: the uniform is below the bound's chance of an event.
            chance_out_of_line(f64::from(t.bound)) * unit32(bits())
        } else {
            return t.candidate.min(t.flip).min(next_birthday);
        };
        if u < f64::from(lambda) {
            self.offend(
                u,
                lambda,
                d,
                number,
                years,
                cell,
                own,
                &[1.0; OFFENCE_TYPES],
                out,
            );
        }
        t.bound = bound;
        t.candidate = first_event(
            now + 1,
            -f64::from(bound),
            self.key.uniform(d.id.0, DRAW_CANDIDATE),
        );
        t.candidate.min(t.flip).min(next_birthday)
    }

    /// The month's offences of a person whose uniform `u` is below their total hazard
    /// `lambda`.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn offend(
        &self,
        u: f64,
        lambda: f32,
        d: &Demographics,
        number: u32,
        years: u32,
        cell: usize,
        factor: f32,
        programme: &[f64; OFFENCE_TYPES],
        out: &mut ChunkResult,
    ) {
        // The chance of any offence, 1 - exp(-lambda), is below lambda: the callers reject
        // most people without an exponential, and `below_chance` most of the rest.
        if !below_chance(u, f64::from(lambda)) {
            return;
        }
        let hz = self.hazards;
        let committed = draw_types(
            u,
            self.key,
            d,
            number,
            &hz.by_type[cell],
            factor,
            programme,
            &mut out.offences,
        );
        if committed > 0 {
            out.ages[(years as usize).min(AGE_BINS - 1)] += committed;
            let offences = &out.offences[out.offences.len() - committed as usize..];
            for o in offences {
                out.by_type[o.kind.index()] += 1;
            }
            let groups = group_indices(d.sex.index(), years, d.region, d.displaced);
            for g in groups {
                out.by_group[g] += committed;
            }
        }
    }
}

/// Draws this month's offences into the buffer, visiting the persons whose month it is (see
/// [`crate::tempo`]).
pub fn commit_offences(
    params: Res<Params>,
    calendar: Res<Calendar>,
    tables: Res<CrimeTables>,
    mut hazards: ResMut<HazardTable>,
    conditions: Res<RegionConditions>,
    effects: Res<PolicyEffects>,
    mut buffer: ResMut<OffenceBuffer>,
    mut expected_offending: ResMut<ExpectedOffending>,
    scratch: Res<ExpectedScratch>,
    mut ledger: ResMut<OffendingLedger>,
    mut changes: ResMut<PoolChanges>,
    mut tally: ResMut<MonthTally>,
    labour_rates: Res<LabourRatesRes>,
    mut persons: ResMut<Persons>,
) {
    buffer.0.clear();
    let touched = changes.take_touched();
    if persons.is_empty() {
        return;
    }
    let Persons {
        demo,
        socio,
        justice,
        visit,
        tempo,
        ..
    } = &mut *persons;
    let p = &params.0;
    let recapped = update_cap(&mut hazards);
    let occupancy = conditions.national_occupancy;
    let month = Month {
        now: calendar.now(),
        key: MonthKey::new(p.scenario.seed, Stream::Offending, calendar.key()),
        displaced_mult: p.crime.displaced_offending_multiplier as f32,
        occupancy,
        labour: LabourMonth::new(p.scenario.seed, &calendar, &labour_rates),
        reach: Reach::new(p, &effects, occupancy),
        hazards: &hazards,
        tables: &tables,
        params: p,
    };
    // Everyone is visited when the clocks were drawn against other bounds, or when
    // person-level programmes start or stop (who is visited every month changes).
    let running = month.reach.running;
    let everyone = recapped || running != ledger.programmes;
    if everyone {
        *ledger = OffendingLedger {
            programmes: running,
            ..OffendingLedger::default()
        };
        tempo.fill(Tempo::NONE);
    } else {
        for &row in &touched {
            visit[row as usize] = tempo::NOW;
        }
    }
    let now = month.now;
    let stash = &scratch.0;
    let rows_per_chunk = chunk_rows(demo.len());
    let OffendingLedger { cells, labour, .. } = &mut *ledger;
    let offences = &mut buffer.0;
    let tally = &mut *tally;
    // Each chunk's offences and counts, committed in row order as the chunks end (the later
    // stages read the offences in that order).
    let commit = |part: ChunkResult| {
        labour.merge(&part.labour);
        for (total, n) in tally.flows.offences.iter_mut().zip(part.by_type) {
            *total += n;
        }
        tally.groups.add_counts(Counter::Offences, &part.by_group);
        for (total, n) in tally.offences_by_age.iter_mut().zip(part.ages) {
            *total += n;
        }
        offences.extend_from_slice(&part.offences);
    };
    let chunks = demo
        .chunks(rows_per_chunk)
        .zip(socio.chunks_mut(rows_per_chunk))
        .zip(justice.chunks(rows_per_chunk))
        .zip(visit.chunks_mut(rows_per_chunk))
        .zip(tempo.chunks_mut(rows_per_chunk))
        .collect::<Vec<_>>();
    in_turn(
        chunks,
        || Lease::take(stash),
        |lease, chunk, ((((demo, socio), justice), visit), tempo)| {
            let sums = lease.sums();
            let mut out = ChunkResult::new();
            let base = (chunk * rows_per_chunk) as u32;
            let month = &month;
            let programmes = month.reach.active;
            let mode = (everyone, programmes);
            // The due masks of the next blocks, computed ahead so that the rows of their
            // due persons are on their way from memory while this block's are visited.
            let blocks = visit.len().div_ceil(64);
            let mut ahead = [0u64; PREFETCH_BLOCKS + 1];
            for b in 0..(PREFETCH_BLOCKS + 1).min(blocks) {
                ahead[b] = due_rows(visit, b, now, mode, (demo, socio, justice, tempo));
            }
            for block in 0..blocks {
                let slot = block % (PREFETCH_BLOCKS + 1);
                // The common path: one compare of a two-byte column per person.
                let mut due = ahead[slot];
                let next = block + PREFETCH_BLOCKS + 1;
                if next < blocks {
                    ahead[slot] = due_rows(visit, next, now, mode, (demo, socio, justice, tempo));
                }
                if !everyone && !programmes && block + 1 < blocks {
                    let mask = ahead[(block + 1) % (PREFETCH_BLOCKS + 1)];
                    justice_rows(mask, (block + 1) * 64, now, (visit, tempo, justice));
                }
                while due != 0 {
                    let k = due.trailing_zeros() as usize;
                    due &= due - 1;
                    let i = block * 64 + k;
                    let v = &mut visit[i];
                    let stale = everyone || *v < now;
                    let row = Row {
                        d: &demo[i],
                        s: &mut socio[i],
                        j: &justice[i],
                        t: &mut tempo[i],
                        number: base + i as u32,
                    };
                    *v = month.visit(row, stale, sums, &mut out);
                }
            }
            out
        },
        commit,
    );
    let by_region = expected_by_region(
        &mut scratch.0.lock().expect("not poisoned"),
        cells,
        &hazards,
        p.regions.len(),
    );
    record_labour(tally, &labour.counts());
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
    type_arguments(hazards, factor, programme).map(chance)
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
    let args = type_arguments(hazards, factor, programme);
    let mut probs = None;
    let mut found = 0;
    let mut next = first_type_bounded(&args, &mut probs, 0, u);
    while let Some(c) = next {
        out.push(Offence::committed(
            OffenceType::from_index(c),
            d.region,
            row,
            d.id.0,
        ));
        let v = to_unit(key.bits(d.id.0, DRAW_TYPE + found as u32));
        found += 1;
        next = first_type_bounded(&args, &mut probs, c + 1, v);
    }
    found
}

/// Room left for rounding where a decision is taken from bounds on `1 - exp(-x)` instead of
/// its value: [`chance`] is within about 4e-16 of the true value, and the products of
/// [`first_type`] within 2e-15 of theirs, far inside this.
const BOUND_MARGIN: f64 = 1e-12;

/// Whether a uniform `u` falls below [`chance`]`(x)`, the same answer as `u < chance(x)`
/// but with the exponential computed only when `u` lies between the bounds
/// `x - x^2/2 <= 1 - exp(-x) <= x - x^2/2 + x^3/6` (both hold for every `x >= 0`), widened
/// by [`BOUND_MARGIN`]: for the pass's hazards, a band of width `x^3/6` that a uniform below
/// `x` seldom falls in. Out of line, as [`chance_out_of_line`] is.
#[cold]
#[inline(never)]
fn below_chance(u: f64, x: f64) -> bool {
    let lower = x - 0.5 * x * x;
    if u < lower - BOUND_MARGIN {
        return true;
    }
    if u >= lower + x * x * x / 6.0 + BOUND_MARGIN {
        return false;
    }
    u < chance_out_of_line(x)
}

/// The arguments of [`chance`] of each type: its hazard times the person's factor and the
/// programmes' multiplier.
#[inline(always)]
fn type_arguments(
    hazards: &[f32; OFFENCE_TYPES],
    factor: f32,
    programme: &[f64; OFFENCE_TYPES],
) -> [f64; OFFENCE_TYPES] {
    let mut args = [0.0; OFFENCE_TYPES];
    for ((a, h), m) in args.iter_mut().zip(hazards).zip(programme) {
        *a = f64::from(h * factor) * m;
    }
    args
}

/// [`first_type`] of the types' chances for the arguments `args`, the same answer for every
/// `u`: from [`first_type_from_bounds`] where the bounds settle it, otherwise from the chances
/// themselves (computed once, into `probs`, for the draws after it).
#[inline]
fn first_type_bounded(
    args: &[f64; OFFENCE_TYPES],
    probs: &mut Option<[f64; OFFENCE_TYPES]>,
    from: usize,
    u: f64,
) -> Option<usize> {
    if probs.is_none()
        && let Some(answer) = first_type_from_bounds(args, from, u)
    {
        return answer;
    }
    first_type(probs.get_or_insert_with(|| args.map(chance)), from, u)
}

/// [`first_type`] for the arguments `args`, decided without an exponential, or `None` when the
/// bounds do not settle it. The chance that none of the types from `from` to `c` happens lies
/// between `prod(max(1 - x, 0))` and `prod(1 - x + x^2/2)` over their arguments `x >= 0`, and
/// the chance of any of the types left is at most the sum of their arguments (most of the
/// candidates' further draws are above it). The bounds hold for arguments of at least 0 only,
/// as hazards, factors and multipliers are; any other argument leaves the answer to the chances.
#[inline]
fn first_type_from_bounds(
    args: &[f64; OFFENCE_TYPES],
    from: usize,
    u: f64,
) -> Option<Option<usize>> {
    let rest = &args[from.min(OFFENCE_TYPES)..];
    if !rest.iter().all(|&x| x >= 0.0) {
        return None;
    }
    if u >= rest.iter().sum::<f64>() + BOUND_MARGIN {
        return Some(None);
    }
    let (mut most_none, mut least_none) = (1.0, 1.0);
    for (c, &x) in rest.iter().enumerate() {
        most_none *= 1.0 - x + 0.5 * x * x;
        least_none *= (1.0 - x).max(0.0);
        if u < 1.0 - most_none - BOUND_MARGIN {
            return Some(Some(from + c));
        }
        if u < 1.0 - least_none + BOUND_MARGIN {
            return None;
        }
    }
    Some(None)
}

/// Fixed-point scales of the expected-offence sums. Integers add up to the same total in any
/// order, so how rayon splits the table between threads cannot change the result.
const S1_SCALE: f64 = 4_294_967_296.0;
const S2_SCALE: f64 = 16_777_216.0;
const S3_SCALE: f64 = 1_048_576.0;
const P_SCALE: f64 = 4_294_967_296.0;

/// Moments of the own factor summed by cell: `f`, `f^2`, `f^3`. Three give each type's
/// `1 - exp(-h f)` within `(h f)^3 / 24` of `h f` (0.11% below the bound [`EXACT_ABOVE`]).
const MOMENTS: usize = 3;

/// A person's factor `f` as the fixed-point moments the cells sum.
#[inline(always)]
fn moments(f: f32) -> [u64; MOMENTS] {
    let f = f64::from(f);
    let f2 = f * f;
    [
        fixed(f * S1_SCALE),
        fixed(f2 * S2_SCALE),
        fixed(f2 * f * S3_SCALE),
    ]
}

/// `x` (0 <= x < 2^52) rounded to an integer, by the float-adding trick: two instructions where
/// `as u64` checks for saturation. Scaled factors are far below 2^52.
#[inline(always)]
fn fixed(x: f64) -> u64 {
    const MAGIC: f64 = 4_503_599_627_370_496.0; // 2^52
    (x + MAGIC).to_bits() - MAGIC.to_bits()
}

/// Changes by the persons one rayon job visited: per hazard cell, to the sums of the own
/// factor's [`moments`] of persons with small hazards (wrapping: taking a person out is a
/// subtraction); per region and type, the exact probabilities of the others.
pub(crate) struct ExpectedSums {
    /// Per hazard cell, the changes to `[sum f, sum f^2, sum f^3]` (the same fixed length as
    /// the hazard table, so one bounds check covers both).
    cells: Box<[[u64; MOMENTS]; HAZARD_CELLS]>,
    exact: [[u64; OFFENCE_TYPES]; MAX_REGIONS],
}

impl ExpectedSums {
    fn new() -> Self {
        ExpectedSums {
            cells: Box::new([[0; MOMENTS]; HAZARD_CELLS]),
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
    ledger: &mut [[u64; MOMENTS]; HAZARD_CELLS],
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
    let mut cells: Vec<Vec<&mut [[u64; MOMENTS]]>> = (0..regions)
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
        .zip(ledger.par_chunks_mut(CELLS_PER_REGION))
        .zip(exact[..regions].par_iter())
        .job_per_chunk()
        .for_each(|((((row, mut by_job), hazards), running), exact)| {
            for (k, h) in hazards.iter().enumerate() {
                // The running sums plus the jobs' changes (wrapping: a job may take out more
                // than it adds).
                let mut sums = running[k];
                for job in by_job.iter_mut() {
                    for (s, x) in sums.iter_mut().zip(std::mem::take(&mut job[k])) {
                        *s = s.wrapping_add(x);
                    }
                }
                running[k] = sums;
                if sums[0] == 0 {
                    continue;
                }
                let [s1, s2, s3] = sums;
                let (s1, s2, s3) = (
                    s1 as f64 / S1_SCALE,
                    s2 as f64 / S2_SCALE,
                    s3 as f64 / S3_SCALE,
                );
                for (c, e) in row.iter_mut().enumerate() {
                    let h = f64::from(h[c]);
                    *e += h * s1 - 0.5 * h * h * s2 + h * h * h * s3 / 6.0;
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

    /// Uniforms at and around `edge`: a few units in the last place either side, and the
    /// margins' own size either side.
    fn around(edge: f64) -> impl Iterator<Item = f64> {
        let ulps = (-4i64..=4).map(move |k| f64::from_bits((edge.to_bits() as i64 + k) as u64));
        let wide = [-2e-12, -1e-12, -5e-13, 5e-13, 1e-12, 2e-12].map(|d| edge + d);
        ulps.chain(wide).filter(|u| (0.0..1.0).contains(u))
    }

    #[test]
    fn bounds_decide_as_the_chances_do_even_at_the_edges() {
        // `below_chance` and `first_type_bounded` skip exponentials where bounds settle the
        // answer: they must answer as the computed chances do for every uniform, including
        // those a few units in the last place from where the answer changes.
        let key = MonthKey::new(11, Stream::Offending, 5);
        let mut cases = 0u32;
        for n in 0..3000u32 {
            let r = |i: u32| to_unit(key.bits(n, i));
            // Hazards from tiny to above one (a large factor), some types absent, and a
            // programme's cut on a few.
            let scale = [1e-4, 1e-2, 0.2, 1.5][(n % 4) as usize];
            let hazards: [f32; OFFENCE_TYPES] = std::array::from_fn(|c| {
                if r(c as u32) < 0.2 {
                    0.0
                } else {
                    (scale * r(10 + c as u32)) as f32
                }
            });
            let programme: [f64; OFFENCE_TYPES] =
                std::array::from_fn(|c| if r(20 + c as u32) < 0.3 { 0.6 } else { 1.0 });
            let factor = (0.5 + 2.0 * r(30)) as f32;
            let args = type_arguments(&hazards, factor, &programme);
            let exact = type_chances(&hazards, factor, &programme);
            assert_eq!(
                args.map(chance),
                exact,
                "the arguments are those of the chances"
            );
            for from in 0..=OFFENCE_TYPES {
                // The edges where the answer changes: each type's cumulative chance of any.
                let mut none = 1.0;
                let mut edges = vec![r(40 + from as u32), r(50 + from as u32) * scale];
                for p in &exact[from.min(OFFENCE_TYPES)..] {
                    none *= 1.0 - p;
                    edges.push(1.0 - none);
                }
                for u in edges.into_iter().flat_map(around) {
                    let mut probs = None;
                    assert_eq!(
                        first_type_bounded(&args, &mut probs, from, u),
                        first_type(&exact, from, u),
                        "args {args:?}, from {from}, u {u}"
                    );
                    cases += 1;
                }
            }
            let lambda = f64::from(hazards.iter().sum::<f32>() * factor);
            for u in [chance(lambda), lambda, r(60) * lambda]
                .into_iter()
                .flat_map(around)
            {
                assert_eq!(
                    below_chance(u, lambda),
                    u < chance(lambda),
                    "x {lambda}, u {u}"
                );
            }
        }
        assert!(cases > 100_000, "{cases} cases");
    }

    #[test]
    fn the_cap_is_set_afresh_only_when_a_hazard_leaves_its_range() {
        let mut hz = HazardTable {
            fixed_total: vec![0.0; HAZARD_CELLS],
            ..HazardTable::default()
        };
        hz.fixed_total[3] = 0.01;
        hz.fixed_total[9] = 0.02;
        hz.total[3] = 0.012;
        hz.total[9] = 0.02;
        hz.refixed = true;
        assert!(update_cap(&mut hz), "new tables");
        hz.refixed = false;
        // Every hazard at most its bound, with room above the largest ratio (1.2).
        assert!((hz.cap - 1.2 * CAP_HEADROOM).abs() < 1e-6, "{}", hz.cap);
        assert!((0..HAZARD_CELLS).all(|k| hz.total[k] <= hz.bound[k]));
        // Hazards moving within the range keep the clocks.
        hz.total[3] = 0.014;
        hz.total[9] = 0.013;
        assert!(!update_cap(&mut hz));
        // One rising above its bound (a plugin, a heat wave) sets the cap afresh.
        hz.total[9] = 0.04;
        assert!(update_cap(&mut hz));
        assert!(hz.total[9] <= hz.bound[9] && hz.total[3] <= hz.bound[3]);
        // All falling below half of the cap sets it lower, for fewer candidates.
        let before = hz.cap;
        hz.total[3] = 0.002;
        hz.total[9] = 0.004;
        assert!(update_cap(&mut hz));
        assert!(hz.cap < 0.5 * before);
    }

    /// Mismatches between the running sums and the persons, found after each month's pass.
    #[derive(Resource, Default)]
    struct LedgerFindings {
        months: u32,
        exact: u64,
        persons: u64,
        problems: Vec<String>,
    }

    /// After the pass: every free person's record is what they add now (their cell and own
    /// factor, or nothing when they are summed exactly), everyone else's is empty, the
    /// running sums are the records' sums, the labour-market counts are a recount, and each
    /// next visit comes no later than the person's next birthday.
    fn check_ledger(
        params: Res<Params>,
        calendar: Res<Calendar>,
        hazards: Res<HazardTable>,
        ledger: Res<OffendingLedger>,
        effects: Res<PolicyEffects>,
        persons: Res<Persons>,
        (tables, conditions, expected): (
            Res<CrimeTables>,
            Res<RegionConditions>,
            Res<ExpectedOffending>,
        ),
        mut findings: ResMut<LedgerFindings>,
    ) {
        let p = &params.0;
        let now = calendar.now();
        let occupancy = conditions.national_occupancy;
        let reach = Reach::new(p, &effects, occupancy);
        // Each free person's chance of each type, summed directly.
        let mut direct = [0.0f64; OFFENCE_TYPES];
        let mut cells = vec![[0u64; MOMENTS]; HAZARD_CELLS];
        let mut labour = LabourTally::default();
        let mut problems = Vec::new();
        for r in 0..persons.len() {
            let (d, s, j, t) = (
                &persons.demo[r],
                &persons.socio[r],
                &persons.justice[r],
                &persons.tempo[r],
            );
            let visit = persons.visit[r];
            if d.slot != Slot::Alive {
                if t.cell != NO_CELL || t.class != NO_CLASS {
                    problems.push(format!("row {r}: not free but counted ({t:?})"));
                }
                continue;
            }
            findings.persons += 1;
            // Every release stales the row, so the record's flag, read at the last stale
            // visit, must say what the justice record says.
            if t.released != (j.last_release != NEVER) {
                problems.push(format!("row {r}: released flag {}", t.released));
            }
            let years = d.age_years(now);
            let class = LabourTally::class(years, s.employment);
            if t.class != class {
                problems.push(format!("row {r}: labour class {} is {class}", t.class));
            }
            labour.add(class, 1);
            let next_birthday = i32::from(d.birth_month) + 12 * (years as i32 + 1);
            if i32::from(visit) <= i32::from(now) || i32::from(visit) > next_birthday {
                problems.push(format!(
                    "row {r}: next visit {visit} not in ({now}, {next_birthday}]"
                ));
            }
            let unemployed = s.employment == Employment::Unemployed;
            let cell = hazard_cell(d.region, d.sex.index(), years, unemployed);
            let mut own = s.propensity;
            if d.displaced {
                own *= p.crime.displaced_offending_multiplier as f32;
            }
            let mut factor = own;
            if j.last_release != NEVER {
                factor *= released_factor(&tables, p, j, years, now, occupancy);
            }
            let programme = reach.multipliers(d, s, j, years, now);
            for (sum, chance) in
                direct
                    .iter_mut()
                    .zip(type_chances(&hazards.by_type[cell], factor, &programme))
            {
                *sum += chance;
            }
            if t.cell == NO_CELL {
                findings.exact += 1;
                let programme = reach.active && reach.eligible((d, s, j), years, now);
                let summed_exactly = j.last_release != NEVER
                    || programme
                    || hazards.bound[cell] * own >= EXACT_ABOVE;
                if !summed_exactly {
                    problems.push(format!("row {r}: summed exactly for no reason"));
                }
                if visit != now + 1 && i32::from(visit) != next_birthday {
                    problems.push(format!("row {r}: summed exactly, next visit {visit}"));
                }
                continue;
            }
            if usize::from(t.cell) != cell || t.factor != own {
                problems.push(format!(
                    "row {r}: counted in cell {} with factor {}, is in {cell} with {own}",
                    t.cell, t.factor
                ));
            }
            if hazards.total[usize::from(t.cell)] * own > t.bound {
                problems.push(format!(
                    "row {r}: hazard above the clock's bound {}",
                    t.bound
                ));
            }
            for (a, m) in cells[usize::from(t.cell)].iter_mut().zip(moments(t.factor)) {
                *a = a.wrapping_add(m);
            }
        }
        if labour != ledger.labour {
            problems.push(format!(
                "labour counts {:?}, recounted {:?}",
                ledger.labour, labour
            ));
        }
        if cells[..] != ledger.cells[..] {
            let k = (0..HAZARD_CELLS).find(|&k| cells[k] != ledger.cells[k]);
            problems.push(format!("running sums differ first at cell {k:?}"));
        }
        // The pass's expected offences (running sums by cell, exact for the rest) against
        // the direct sums: within the third-order error (0.11%) and float rounding.
        for (c, direct) in direct.iter().enumerate() {
            let pass: f64 = expected.by_region.iter().map(|r| r[c]).sum();
            if (pass - direct).abs() > 2e-3 * direct + 1e-9 {
                problems.push(format!(
                    "type {c}: expected {pass}, summed directly {direct}"
                ));
            }
        }
        findings.months += 1;
        for problem in problems.into_iter().take(5) {
            findings.problems.push(format!("month {now}: {problem}"));
        }
    }

    /// The baseline at 20,000 agents over `years` years.
    fn small(years: u32, seed: u64) -> crate::params::ModelParams {
        let mut p = crate::params::ModelParams::baseline();
        p.scenario.agents = 20_000;
        p.scenario.real_population = 2e6;
        p.scenario.years = years;
        p.scenario.seed = seed;
        p
    }

    /// Runs `p` with the ledger checked after every month's pass.
    fn checked_run(p: crate::params::ModelParams) -> LedgerFindings {
        use crate::schedule::Stage;
        let mut sim = crate::Simulation::new(p).unwrap();
        sim.insert_resource(LedgerFindings::default());
        sim.add_systems(check_ledger.after(commit_offences).in_set(Stage::Offending));
        while !sim.finished() {
            sim.step();
        }
        sim.world.remove_resource::<LedgerFindings>().unwrap()
    }

    #[test]
    fn the_running_sums_match_the_persons_after_every_pass() {
        // Six years with climate shocks (displacement, job losses), custody, deaths, births
        // and migration: every change the pool sees must reach the sums by the next pass.
        let mut p = small(6, 5);
        p.demography.net_migration_per_1000 = 3.0;
        let f = checked_run(p);
        assert_eq!(f.months, 72);
        assert!(f.problems.is_empty(), "{:#?}", f.problems);
        // Most people are summed by cell, a few exactly.
        assert!(
            f.exact > 0 && f.exact * 20 < f.persons,
            "{} of {}",
            f.exact,
            f.persons
        );
    }

    #[test]
    fn the_running_sums_match_the_persons_while_programmes_start_ramp_and_stop() {
        // Mentoring and drug diversion from the second year, ramping over six months, and
        // mentoring stopping in the fourth: the persons they could reach are visited every
        // month, and everyone when the set of programmes changes.
        use crate::interventions::{Intervention, MechanismRef};
        let mut p = small(5, 8);
        let start = f64::from(p.scenario.start_year) + 1.0;
        let programme =
            |mechanism: &'static dyn crate::interventions::Mechanism, end_year| Intervention {
                name: mechanism.id().into(),
                mechanism: MechanismRef(mechanism),
                coverage: 0.6,
                start_year: start,
                end_year,
                ramp_months: 6.0,
                effect: 0.3,
                unit_cost: 100.0,
            };
        p.interventions = vec![
            programme(&crate::mechanisms::YouthMentoring, start + 2.0),
            programme(&crate::mechanisms::DrugTreatmentDiversion, 2100.0),
        ];
        let f = checked_run(p);
        assert_eq!(f.months, 60);
        assert!(f.problems.is_empty(), "{:#?}", f.problems);
    }
}
