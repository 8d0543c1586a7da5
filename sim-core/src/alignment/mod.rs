//! Baseline alignment (docs/model.md section 4.5), one module: solving, at the start of a run, the quantities that
//! make year-one indicators equal the scenario's observed values, and the steady-state flows
//! that size police, courts and prisons.
//!
//! What is solved, from what:
//! - base hazard of each offence type, from the observed homicide rate, violence, GBV,
//!   property and online-fraud prevalence, and recorded drug, trafficking and environmental offences, using the
//!   actual initial population (expected offences summed person by person, binned by weight);
//! - the reporting scale of violence, from the observed reporting rate (SDG 16.3.1);
//! - police and court capacities, from the expected year-one workload and caseload;
//! - the pre-trial detention scale, from the observed unsentenced share (Little's law on the
//!   pre-trial stock);
//! - the custody scale, from the observed prison population rate (Little's law on the sentenced
//!   stock, with parole and remand credit);
//! - prison beds, from the observed occupancy;
//! - the post-release multiplier m0, from the 3-year re-arrest target.
//!
//! Trends after year one are emergent.
//!
//! [`solve`] does all of it for a population and returns a [`Calibration`]: the tables the
//! systems read, the stocks of year one (drawn in the middle, because the post-release
//! multiplier is solved from who the drawn prisoners are) and the custody mortality. Set-up only
//! applies a calibration to the world.

pub mod flows;
pub mod reoffending;

use crate::census::Census;
use crate::crime_tables::{CrimeTables, ExpectedFlows, PersonView};
use crate::initial_stocks::{Stocks, Table, draw_initial_stocks, move_back};
use crate::justice::Inmate;
use crate::leniency;
use crate::offence::OFFENCE_TYPES;
use crate::par::Jobs;
use crate::params::ModelParams;
use crate::person::{Demographics, Employment, Justice, NEVER, Slot, Socioeconomic};
use crate::systems::offending::{cell_weights, hazard_cell};
use crate::tables::DemographyTables;
use flows::{
    WeightHist, align_base_hazards, align_funnel, align_reporting, counts_by_sex_age,
    offence_targets,
};
use reoffending::{align_programme_multipliers, align_release_multiplier};

/// What the alignment solved for a population: everything set-up puts into the world.
pub(crate) struct Calibration {
    /// The tables the systems read, with the expected flows and the set-up's releasees.
    pub tables: CrimeTables,
    /// The stocks of year one (moved back by a burn-in, if any).
    pub stocks: Stocks,
    /// Prison beds, nationally.
    pub total_beds: f64,
    /// Occupancy of year one (prisoners per bed).
    pub occupancy: f64,
    /// Scale on prisoners' life-table mortality.
    pub natural_mortality_scale: f64,
    /// Monthly probability of deaths in custody from other causes.
    pub other_death_probability: f64,
}

/// Solves the alignment of year one for the persons of `tbl` (whose stocks it draws: prisoners
/// and defendants change state, recent releases get their history).
pub(crate) fn solve(
    p: &ModelParams,
    census: &Census,
    demography: &DemographyTables,
    tbl: &mut Table<'_>,
) -> Calibration {
    let mut t = CrimeTables::new(p);
    let counts = counts_by_sex_age(&census.age_hist(0), p.regions.len());
    let k = offence_targets(p, &mut t, &counts);
    align_reporting(p, &mut t, &k);
    let (national, regional, mix) = hists(weight_sums(p, &t, tbl, Released::Any));
    align_base_hazards(&mut t, &k, &national);
    let mut flows = ExpectedFlows {
        offences_per_year: k,
        chargeable: mix.chargeable,
        custody_mix: mix.custody,
        length_mix: mix.length,
        ..Default::default()
    };
    set_region_shares(&t, &regional, &mut flows, p.regions.len());
    let officers = crate::systems::deployment::officers(p);
    let population = census.alive() as f64;
    align_funnel(p, &mut t, &mut flows, population, &officers);

    let mut stocks = Stocks::default();
    draw_initial_stocks(p, &t, &flows, tbl, &mut stocks);
    let releasees: Vec<PersonView> = stocks
        .roster
        .iter()
        .filter(|i| i.sentenced)
        .map(|i| {
            let d = &tbl.demo[i.row as usize];
            PersonView {
                region: d.region,
                sex: d.sex.index(),
                age_years: d.age_years(0) + (i.until.max(0) / 12) as u32,
                unemployed: true,
                propensity: f64::from(tbl.socio[i.row as usize].propensity),
                weight: 1.0 / f64::from((i32::from(i.until) - i32::from(i.since)).max(1)),
            }
        })
        .collect();
    // Two rounds: the base hazards depend on the released people's excess and vice versa.
    // Only the released people's weights change from round to round (with the release
    // multiplier): everyone else's sums are taken once.
    let never_released = weight_sums(p, &t, tbl, Released::No);
    for _ in 0..2 {
        align_release_multiplier(p, &mut t, &flows, &releasees);
        let released = weight_sums(p, &t, tbl, Released::Yes);
        let (national, regional, _) = hists(never_released.clone().merge(released));
        align_base_hazards(&mut t, &k, &national);
        set_region_shares(&t, &regional, &mut flows, p.regions.len());
    }
    align_release_multiplier(p, &mut t, &flows, &releasees);
    align_programme_multipliers(p, &mut t, &flows, &releasees);
    t.setup_releasees = releasees;
    // With a burn-in, the stocks are those of its first month: aligned and drawn for the start,
    // then moved back in time by the burn-in's length.
    let burn_in = (p.justice.burn_in_years * 12.0) as i32;
    if burn_in > 0 {
        move_back(&mut stocks, tbl, burn_in);
    }

    let held = stocks.roster.len() as f64;
    let total_beds = held / (p.prisons.occupancy_pct / 100.0);
    let occupancy = if total_beds > 0.0 {
        held / total_beds
    } else {
        0.0
    };
    let (natural_mortality_scale, other_death_probability) =
        align_custody_mortality(p, demography, tbl.demo, &stocks.roster, occupancy);
    t.baseline_occupancy = occupancy;
    t.expected = flows;
    Calibration {
        tables: t,
        stocks,
        total_beds,
        occupancy,
        natural_mortality_scale,
        other_death_probability,
    }
}

/// The scale on prisoners' life-table mortality and the monthly probability of other deaths
/// that give the observed year-one rate of deaths in custody and its natural share, for the
/// initial roster at the year-one occupancy (the same formula as the Prisons stage).
fn align_custody_mortality(
    p: &ModelParams,
    demography: &DemographyTables,
    demo: &[Demographics],
    roster: &[Inmate],
    occupancy: f64,
) -> (f64, f64) {
    let pr = &p.prisons;
    let per_month = pr.deaths_in_custody_per_100k / 1e5 / 12.0;
    let other = (1.0 - pr.natural_death_share) * per_month;
    let offset = (pr.custody_age_offset_years * 12.0).round() as u32;
    let crowding = 1.0 + pr.overcrowding_mortality_effect * (occupancy - 1.0).max(0.0);
    let natural: f64 = roster
        .iter()
        .map(|i| {
            let d = &demo[i.row as usize];
            let age = d.age_months(0).saturating_sub(1);
            crate::rng::unit32(demography.death_threshold(d.sex.index(), age, offset))
        })
        .sum::<f64>()
        * crowding;
    let want = pr.natural_death_share * per_month * roster.len() as f64;
    let scale = if natural > 0.0 { want / natural } else { 1.0 };
    (scale, other)
}

/// Who is charged and held, by type, from the offending weights of year one.
struct ChargeMix {
    /// Share of offences whose offender is old enough and not diverted.
    chargeable: [f64; OFFENCE_TYPES],
    /// Mean custody multiplier (`leniency::custody`) over charged offenders.
    custody: [f64; OFFENCE_TYPES],
    /// Mean sentence-length multiplier over offenders sentenced to custody.
    length: [f64; OFFENCE_TYPES],
}

/// Fewest rows per block of the weight histograms: the blocks are summed in parallel and merged
/// in block order, so the sums' order depends on the row count only, never on the threads or
/// on the passes' adaptive chunks.
const WEIGHT_BLOCK_ROWS: usize = 65_536;

/// Most blocks of the weight histograms: each holds its own histograms (about 0.5 MB with four
/// regions), and all are held until merged in order, so a 1:1 table of 50 million rows in
/// 65,536-row blocks would hold 0.4 GB of them.
const MAX_WEIGHT_BLOCKS: usize = 64;

/// Weight histograms and charge-mix sums over one block of rows.
#[derive(Clone)]
struct WeightSums {
    regional: Vec<[WeightHist; OFFENCE_TYPES]>,
    total: [f64; OFFENCE_TYPES],
    charged: [f64; OFFENCE_TYPES],
    held: [f64; OFFENCE_TYPES],
    length: [f64; OFFENCE_TYPES],
}

impl WeightSums {
    fn new(regions: usize) -> Self {
        WeightSums {
            regional: (0..regions)
                .map(|_| std::array::from_fn(|_| WeightHist::default()))
                .collect(),
            total: [0.0; OFFENCE_TYPES],
            charged: [0.0; OFFENCE_TYPES],
            held: [0.0; OFFENCE_TYPES],
            length: [0.0; OFFENCE_TYPES],
        }
    }

    /// Adds the free persons of a block of rows who are `released` or not.
    fn add_rows(
        &mut self,
        p: &ModelParams,
        t: &CrimeTables,
        demo: &[Demographics],
        socio: &[Socioeconomic],
        justice: &[Justice],
        released: Released,
        cells: &CellWeights,
    ) {
        let jp = &p.justice;
        for ((d, s), j) in demo.iter().zip(socio).zip(justice) {
            if d.slot != Slot::Alive || !released.includes(j) {
                continue;
            }
            let years = d.age_years(0);
            let unemployed = s.employment == Employment::Unemployed;
            let mut personal = f64::from(s.propensity);
            if j.last_release != NEVER {
                // Mean post-release multiplier over year one.
                let since = -i32::from(j.last_release);
                let at_release = years.saturating_sub((since / 12) as u32);
                personal *= (0..12)
                    .map(|m| t.release_multiplier(since + m, at_release, t.baseline_occupancy, p))
                    .sum::<f64>()
                    / 12.0;
            }
            let sex = d.sex.index();
            let responsible = years >= jp.age_of_criminal_responsibility as u32;
            let charged = if responsible {
                1.0 - leniency::diversion(jp, years)
            } else {
                0.0
            };
            let held = charged * leniency::custody(jp, sex, years);
            let length = held * leniency::length(jp, sex);
            // The weight is the cell's times the person's own: its log is one log per person
            // plus the cell's, taken once per call.
            let log2_personal = personal.log2();
            let cell = hazard_cell(d.region, sex, years, unemployed);
            let (weight, log2) = (&cells.weight[cell], &cells.log2[cell]);
            for (c, h) in self.regional[d.region as usize].iter_mut().enumerate() {
                let w = weight[c] * personal;
                h.add_with_log2(w, log2[c] + log2_personal);
                self.total[c] += w;
                self.charged[c] += w * charged;
                self.held[c] += w * held;
                self.length[c] += w * length;
            }
        }
    }

    /// Adds the sums of the next block.
    fn merge(mut self, o: WeightSums) -> Self {
        for (a, b) in self.regional.iter_mut().zip(&o.regional) {
            for (a, b) in a.iter_mut().zip(b) {
                a.merge(b);
            }
        }
        for c in 0..OFFENCE_TYPES {
            self.total[c] += o.total[c];
            self.charged[c] += o.charged[c];
            self.held[c] += o.held[c];
            self.length[c] += o.length[c];
        }
        self
    }
}

/// Which free people a sum of weights takes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Released {
    /// Everyone.
    Any,
    /// Those released from custody (whose weights carry the release multiplier).
    Yes,
    /// Those never released.
    No,
}

impl Released {
    fn includes(self, j: &Justice) -> bool {
        match self {
            Released::Any => true,
            Released::Yes => j.last_release != NEVER,
            Released::No => j.last_release == NEVER,
        }
    }
}

/// The offending weights of every hazard cell by type, without the person's own factor
/// ([`cell_weights`]), and their base-2 logarithms.
struct CellWeights {
    weight: Vec<[f64; OFFENCE_TYPES]>,
    log2: Vec<[f64; OFFENCE_TYPES]>,
}

impl CellWeights {
    fn new(p: &ModelParams, t: &CrimeTables) -> Self {
        let weight = cell_weights(t, p.regions.len());
        let log2 = weight.iter().map(|w| w.map(f64::log2)).collect();
        CellWeights { weight, log2 }
    }
}

/// Weight sums of free people (those `released` or not), in blocks merged in block order.
fn weight_sums(
    p: &ModelParams,
    t: &CrimeTables,
    tbl: &Table<'_>,
    released: Released,
) -> WeightSums {
    use rayon::prelude::*;
    let cells = CellWeights::new(p, t);
    let regions = p.regions.len();
    let rows = tbl
        .demo
        .len()
        .div_ceil(MAX_WEIGHT_BLOCKS)
        .max(WEIGHT_BLOCK_ROWS);
    let blocks: Vec<WeightSums> = tbl
        .demo
        .par_chunks(rows)
        .zip(tbl.socio.par_chunks(rows))
        .zip(tbl.justice.par_chunks(rows))
        .job_per_chunk()
        .map(|((demo, socio), justice)| {
            let mut sums = WeightSums::new(regions);
            sums.add_rows(p, t, demo, socio, justice, released, &cells);
            sums
        })
        .collect();
    blocks
        .into_iter()
        .reduce(WeightSums::merge)
        .unwrap_or_else(|| WeightSums::new(regions))
}

/// Weight histograms of free people by type, national and by region, and the charge mix.
fn hists(
    sums: WeightSums,
) -> (
    [WeightHist; OFFENCE_TYPES],
    Vec<[WeightHist; OFFENCE_TYPES]>,
    ChargeMix,
) {
    let mut national: [WeightHist; OFFENCE_TYPES] = std::array::from_fn(|_| WeightHist::default());
    for r in &sums.regional {
        for (n, h) in national.iter_mut().zip(r) {
            n.merge(h);
        }
    }
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 1.0 };
    let mix = ChargeMix {
        chargeable: std::array::from_fn(|c| ratio(sums.charged[c], sums.total[c])),
        custody: std::array::from_fn(|c| ratio(sums.held[c], sums.charged[c])),
        length: std::array::from_fn(|c| ratio(sums.length[c], sums.held[c])),
    };
    (national, sums.regional, mix)
}

fn set_region_shares(
    t: &CrimeTables,
    regional: &[[WeightHist; OFFENCE_TYPES]],
    flows: &mut ExpectedFlows,
    regions: usize,
) {
    for c in 0..OFFENCE_TYPES {
        let e: Vec<f64> = (0..regions)
            .map(|r| regional[r][c].expected(t.base[c]))
            .collect();
        let total: f64 = e.iter().sum();
        for r in 0..regions {
            flows.region_share[c][r] = if total > 0.0 {
                e[r] / total
            } else {
                1.0 / regions as f64
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::{Justice, JusticeState};
    use crate::persons::Persons;

    /// The persons of `p` and their census, as a run starts.
    fn population(p: &ModelParams) -> (Persons, Census, DemographyTables) {
        let tables = DemographyTables::new(p).unwrap();
        let persons = crate::population::initial_persons(p, &tables);
        let census = crate::Simulation::count_census(&persons, p.scenario.months());
        (persons, census, tables)
    }

    /// Solves the alignment for a fresh population of `p`; the persons as set-up leaves them.
    fn solved_persons(p: &ModelParams) -> (Calibration, Persons) {
        let (mut persons, census, demography) = population(p);
        let mut tbl = Table::of(&mut persons);
        crate::systems::economy::initial_employment(p, tbl.demo, tbl.socio);
        let c = solve(p, &census, &demography, &mut tbl);
        (c, persons)
    }

    /// Solves the alignment for a fresh population of `p`; the persons' justice states.
    fn solved(p: &ModelParams) -> (Calibration, Vec<Justice>) {
        let (c, persons) = solved_persons(p);
        (c, persons.justice().to_vec())
    }

    fn params() -> ModelParams {
        let mut p = ModelParams::baseline();
        p.scenario.agents = 60_000;
        p.scenario.real_population = 6e6;
        p
    }

    #[test]
    fn the_alignment_sums_are_the_same_on_one_and_two_threads() {
        // Determinism: the weight histograms are summed over blocks of 65,536 rows and the
        // releasees' reoffending over blocks of 256, in parallel and merged in block order.
        // 150,000 agents and a high prison rate make several blocks of each; the sums are
        // compared bit for bit (the calibration's bisections would hide a last-bit change).
        let mut p = params();
        p.scenario.agents = 150_000;
        p.scenario.real_population = 15e6;
        p.prisons.prison_population_per_100k = 600.0;
        let (c, mut persons) = solved_persons(&p);
        let tbl = Table::of(&mut persons);
        let t = &c.tables;
        assert!(
            t.setup_releasees.len() > 2 * 256,
            "{} releasees: not enough blocks",
            t.setup_releasees.len()
        );
        let window = reoffending::ReleaseWindow::new(
            &p,
            t,
            &t.expected,
            &t.setup_releasees,
            reoffending::Measure::Rearrest3y,
        )
        .expect("releasees");
        let sums = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                let (national, _, mix) = hists(weight_sums(&p, t, &tbl, Released::Any));
                let mut bits: Vec<u64> = national
                    .iter()
                    .zip(t.base)
                    .map(|(h, base)| h.expected(base).to_bits())
                    .collect();
                bits.extend(
                    mix.chargeable
                        .iter()
                        .chain(&mix.custody)
                        .map(|x| x.to_bits()),
                );
                bits.extend(mix.length.iter().map(|x| x.to_bits()));
                bits.push(window.reoffending(2.0, 1.0).to_bits());
                bits
            })
        };
        assert_eq!(sums(1), sums(2));
    }

    /// In-sample identities (the alignment's plumbing): the drawn stocks hold the observed
    /// prison population and unsentenced share, every drawn prisoner is in custody in the
    /// person table, and the occupancy is the observed one.
    #[test]
    fn the_calibration_holds_the_observed_prison_stocks() {
        let p = params();
        let (c, states) = solved(&p);
        let want = p.prisons.prison_population_per_100k * f64::from(p.scenario.agents) / 1e5;
        let held = c.stocks.roster.len() as f64;
        assert!(
            (held / want - 1.0).abs() < 0.03,
            "{held} held, {want:.0} wanted"
        );
        let pretrial = c.stocks.roster.iter().filter(|i| !i.sentenced).count() as f64;
        let share = 100.0 * pretrial / held;
        assert!(
            (share - p.prisons.unsentenced_share_pct).abs() < 3.0,
            "unsentenced {share:.1}% against {}%",
            p.prisons.unsentenced_share_pct
        );
        for i in &c.stocks.roster {
            let s = states[i.row as usize].state;
            let expected = if i.sentenced {
                matches!(s, JusticeState::Imprisoned { .. })
            } else {
                s == JusticeState::PretrialDetained
            };
            assert!(expected, "row {} is {s:?}", i.row);
        }
        assert!((c.occupancy * 100.0 - p.prisons.occupancy_pct).abs() < 1e-6);
        let flows = &c.tables.expected;
        assert!(flows.admissions.iter().sum::<f64>() > 0.0);
        assert!(flows.police_capacity[0] > 0.0 && flows.court_capacity[0] > 0.0);
    }

    /// The alignment is a function of the parameters and the population: solving twice gives
    /// the same calibration.
    #[test]
    fn solving_is_deterministic() {
        let p = params();
        let (a, _) = solved(&p);
        let (b, _) = solved(&p);
        let rows = |c: &Calibration| c.stocks.roster.iter().map(|i| i.row).collect::<Vec<_>>();
        assert_eq!(rows(&a), rows(&b));
        assert_eq!(
            format!("{:?}", a.tables.expected),
            format!("{:?}", b.tables.expected)
        );
        assert_eq!(a.natural_mortality_scale, b.natural_mortality_scale);
    }
}
