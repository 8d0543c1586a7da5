//! The justice stocks at the start of a run: prisoners, pre-trial detainees, pending cases,
//! recent releases and arrests still to come for historic offences, drawn from the flows the
//! alignment solved ([`crate::alignment`]).
//!
//! Stocks are drawn as a stationary system would hold them: a prisoner's remaining time is a
//! uniform share of a length-biased stay (longer stays are more likely to be in progress), and
//! people are chosen with the offending weights of the type at the age they offended. A
//! scenario whose admissions were growing before the start (`prisons.growth_before_start_pct`)
//! gets a younger stock: recent admissions outnumber old ones.

use crate::alignment::flows::{growth_before_start, months_in_stock, served_stays};
use crate::crime_tables::{CrimeTables, ExpectedFlows};
use crate::justice::{CourtCase, DelayedArrest, Inmate, Suspect};
use crate::leniency::{self, ADULT_AGE};
use crate::metrics::AGE_BINS;
use crate::offence::{OFFENCE_TYPES, OffenceType};
use crate::par::Jobs;
use crate::params::ModelParams;
use crate::person::{
    Demographics, Employment, Justice, JusticeState, MonthNo, NEVER, Slot, Socioeconomic,
};
use crate::rng::{MonthKey, Stream, standard_normal, to_unit};

/// The person table as slices, for set-up.
pub(crate) struct Table<'a> {
    pub demo: &'a mut [Demographics],
    pub socio: &'a mut [Socioeconomic],
    pub justice: &'a mut [Justice],
}

impl<'a> Table<'a> {
    /// The columns set-up works on, of the whole person table.
    pub(crate) fn of(persons: &'a mut crate::persons::Persons) -> Self {
        let crate::persons::Persons {
            demo,
            socio,
            justice,
            ..
        } = persons;
        Table {
            demo,
            socio,
            justice,
        }
    }

    /// The table read-only, at the start.
    fn view(&self) -> PersonsAt<'_> {
        PersonsAt {
            demo: self.demo,
            socio: self.socio,
            justice: self.justice,
            now: 0,
        }
    }
}

/// Month of year-one indices: set-up draws use month `u32::MAX - k`, never a simulated month.
const SETUP: u32 = u32::MAX;

/// Moves every month of the drawn stocks `months` earlier: admissions, releases, court dates
/// and arrests due.
pub(crate) fn move_back(stocks: &mut Stocks, tbl: &mut Table<'_>, months: i32) {
    let back = |m: &mut MonthNo| {
        if *m != NEVER {
            *m = (i32::from(*m) - months).clamp(i32::from(NEVER) + 1, i32::from(MonthNo::MAX))
                as MonthNo;
        }
    };
    for i in &mut stocks.roster {
        back(&mut i.since);
        back(&mut i.until);
        back(&mut i.parole_from);
    }
    for (_, case) in &mut stocks.cases {
        back(&mut case.charged);
        back(&mut case.ready);
    }
    for a in &mut stocks.delayed {
        back(&mut a.due);
    }
    for j in tbl.justice.iter_mut() {
        back(&mut j.last_release);
        back(&mut j.last_arrest);
        back(&mut j.last_conviction);
        if let JusticeState::Imprisoned { until } | JusticeState::Community { until } = &mut j.state
        {
            back(until);
        }
    }
}

/// The initial stocks being drawn.
#[derive(Default)]
pub(crate) struct Stocks {
    pub roster: Vec<Inmate>,
    pub cases: Vec<(u8, CourtCase)>,
    pub delayed: Vec<DelayedArrest>,
}

/// The person table read by [`pick_person`], at month `now`.
pub(crate) struct PersonsAt<'a> {
    pub demo: &'a [Demographics],
    pub socio: &'a [Socioeconomic],
    pub justice: &'a [Justice],
    pub now: MonthNo,
}

/// How the person being picked came to where they are, which sets who is likely to be there:
/// children are diverted and, like women, rarely held; women serve shorter sentences.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Held {
    /// Serving a sentence (or released from one): held in proportion to custody x length.
    Sentenced,
    /// Detained before trial.
    Detained,
    /// Charged and on bail.
    Charged,
    /// Suspected of an offence whose arrest is still to come.
    Suspected,
}

impl Held {
    /// Relative chance that an offender of `sex` aged `age` at the offence is here.
    fn weight(self, j: &crate::params::JusticeParams, sex: usize, age: u32) -> f64 {
        let charged = 1.0 - leniency::diversion(j, age);
        match self {
            Held::Sentenced => charged * leniency::custody(j, sex, age) * leniency::length(j, sex),
            Held::Detained => charged * leniency::custody(j, sex, age),
            Held::Charged => charged,
            Held::Suspected => 1.0,
        }
    }
}

/// Draw indices of a pick: the first few are the caller's, the person search starts above.
const PICK_SEARCH: u32 = 16;

/// A person who committed an offence of type `c` `elapsed_months` ago (plus the prosecution
/// delay of the type for those past arrest) and is now where `held` says, drawn by rejection
/// in proportion to the offending weight at the age of the offence.
#[allow(clippy::too_many_arguments)]
pub(crate) fn pick_person(
    p: &ModelParams,
    t: &CrimeTables,
    tbl: &PersonsAt<'_>,
    key: MonthKey,
    pick: u32,
    c: usize,
    elapsed_months: i32,
    held: Held,
) -> Option<u32> {
    let spec = PickSpec {
        pick,
        c,
        elapsed_months,
        held,
    };
    Search::new(p, t, key, spec)
        .first_fit(tbl, 0)
        .map(|(row, _)| row)
}

/// What one pick looks for: its draws' number, the offence type, the months since the offence
/// and where the person is now (see [`pick_person`]).
#[derive(Clone, Copy, Debug)]
struct PickSpec {
    pick: u32,
    c: usize,
    elapsed_months: i32,
    held: Held,
}

/// Attempts of a pick before it gives up.
const MAX_ATTEMPTS: u32 = 20_000;

/// One pick's rejection search, with what every attempt shares.
struct Search<'a> {
    p: &'a ModelParams,
    t: &'a CrimeTables,
    key: MonthKey,
    spec: PickSpec,
    /// The propensity at which the acceptance stops growing (the 99.5th percentile).
    cap: f64,
    sex_max: f64,
    held_max: f64,
    /// The prosecution delay drawn for the pick (months).
    delay: i32,
}

impl<'a> Search<'a> {
    fn new(p: &'a ModelParams, t: &'a CrimeTables, key: MonthKey, spec: PickSpec) -> Self {
        let PickSpec { pick, c, held, .. } = spec;
        let j = &p.justice;
        let sd = p.crime.propensity_log_sd;
        let held_max = [0, 1]
            .iter()
            .flat_map(|s| [0, ADULT_AGE].map(|a| held.weight(j, *s, a)))
            .fold(0.0, f64::max)
            .max(1e-12);
        // Offences prosecuted late (historic sexual offences) were committed that much earlier.
        let mean_delay = p.crime.types[c].prosecution_delay_years * 12.0;
        let delay = if mean_delay > 0.0 && held != Held::Suspected {
            let u = to_unit(key.bits(pick, PICK_SEARCH - 1)).max(1e-12);
            (-u.ln() * mean_delay).round().min(1200.0) as i32
        } else {
            0
        };
        Search {
            p,
            t,
            key,
            spec,
            cap: (2.576 * sd - 0.5 * sd * sd).exp(),
            sex_max: t.offend_sex[c][0].max(t.offend_sex[c][1]),
            held_max,
            delay,
        }
    }

    /// The first attempt from `from` on that accepts a person of `tbl`: their row and the
    /// attempt; none when the attempts run out.
    fn first_fit(&self, tbl: &PersonsAt<'_>, from: u32) -> Option<(u32, u32)> {
        let n = tbl.demo.len();
        let (p, t, key) = (self.p, self.t, self.key);
        let PickSpec {
            pick,
            c,
            elapsed_months,
            held,
        } = self.spec;
        let j = &p.justice;
        for attempt in from..MAX_ATTEMPTS {
            let draw = PICK_SEARCH + 2 * attempt;
            let row = ((to_unit(key.bits(pick, draw)) * n as f64) as usize).min(n - 1);
            if !free(tbl.demo, tbl.justice, row) {
                continue;
            }
            let d = &tbl.demo[row];
            let age_then =
                (i32::from(d.age_years(tbl.now) as i16) * 12 - elapsed_months - self.delay) / 12;
            if age_then < j.age_of_criminal_responsibility as i32 {
                continue;
            }
            let a = (age_then as usize).min(AGE_BINS - 1);
            let w = t.offend_age[c][a] * t.offend_sex[c][d.sex.index()] / self.sex_max
                * (f64::from(tbl.socio[row].propensity) / self.cap).min(1.0)
                * held.weight(j, d.sex.index(), age_then as u32)
                / self.held_max;
            if to_unit(key.bits(pick, draw + 1)) < w {
                return Some((row as u32, attempt));
            }
        }
        None
    }
}

/// Whether the person of `row` is alive, in the community and free of any justice process:
/// the only part of a pick's acceptance that the picks before it change.
#[inline]
fn free(demo: &[Demographics], justice: &[Justice], row: usize) -> bool {
    demo[row].slot == Slot::Alive && justice[row].state == JusticeState::Free
}

/// Picks per parallel task of [`pick_in_order`].
const PICKS_PER_TASK: usize = 64;

/// Picks a person for each of `items` (whose pick `spec` says) in their order, as
/// [`pick_person`] one after another would, with `commit(tbl, item, row)` applied to each
/// item's person before the next pick. A commit may take people out of the free (custody, a
/// court case) but never bring anyone back.
///
/// Why not one after another: each search reads a row at a random place of the table per
/// attempt, a wait for memory each, and a whole country has hundreds of thousands of picks
/// (3.3 s of the 1:1 run's set-up on one thread). The searches run in parallel against the
/// table as it stands before the first commit; then, in order, a search whose person is still
/// free keeps them, and one whose person an earlier pick took goes on from the next attempt
/// against the table as it then stands. The same persons as one after another: commits only
/// take people out of the free, so every attempt that failed against the table before them
/// fails after them too.
fn pick_in_order<T: Sync>(
    (p, t, key): (&ModelParams, &CrimeTables, MonthKey),
    tbl: &mut Table<'_>,
    items: &[T],
    spec: impl Fn(&T) -> PickSpec + Sync,
    mut commit: impl FnMut(&mut Table<'_>, &T, u32),
) {
    use rayon::prelude::*;
    let found: Vec<Option<(u32, u32)>> = {
        let view = tbl.view();
        items
            .par_iter()
            .jobs_of(PICKS_PER_TASK)
            .map(|item| Search::new(p, t, key, spec(item)).first_fit(&view, 0))
            .collect()
    };
    for (item, found) in items.iter().zip(found) {
        let row = match found {
            Some((row, _)) if free(tbl.demo, tbl.justice, row as usize) => Some(row),
            Some((_, attempt)) => Search::new(p, t, key, spec(item))
                .first_fit(&tbl.view(), attempt + 1)
                .map(|(row, _)| row),
            None => None,
        };
        if let Some(row) = row {
            commit(tbl, item, row);
        }
    }
}

/// The share of a stay of `stay` months still to serve, from a uniform `u`: uniform in a
/// steady state; with admissions growing at the monthly log rate `g`, the elapsed part `e`
/// has density proportional to `exp(-g e)` on `[0, stay]` (inverted from the uniform).
fn remaining_share(u: f64, stay: f64, g: f64) -> f64 {
    if g.abs() < 1e-12 || stay <= 0.0 {
        return u;
    }
    let elapsed = -((1.0 - u) * (-g * stay).exp_m1()).ln_1p() / g;
    (1.0 - elapsed / stay).clamp(0.0, 1.0)
}

/// Picks an offence type in proportion to `weights`.
fn pick_type(weights: &[f64; OFFENCE_TYPES], u: f64) -> usize {
    let total: f64 = weights.iter().sum();
    let mut acc = 0.0;
    for (c, w) in weights.iter().enumerate() {
        acc += w;
        if u * total < acc {
            return c;
        }
    }
    OFFENCE_TYPES - 1
}

/// What the initial stocks are drawn from, and the running number of the draw (each person
/// picked has its own number, so its draws never depend on another stock's).
struct Draws<'a> {
    p: &'a ModelParams,
    t: &'a CrimeTables,
    flows: &'a ExpectedFlows,
    key: MonthKey,
    picks: u32,
}

impl Draws<'_> {
    /// The next draw's number.
    fn next(&mut self) -> u32 {
        self.picks += 1;
        self.picks
    }
}

/// The steady-state stocks of year one, in order: sentenced prisoners, pending court cases
/// (detained or on bail), people released in the last three years, and arrests still due for
/// offences prosecuted late.
pub(crate) fn draw_initial_stocks(
    p: &ModelParams,
    t: &CrimeTables,
    flows: &ExpectedFlows,
    tbl: &mut Table<'_>,
    stocks: &mut Stocks,
) {
    let mut d = Draws {
        p,
        t,
        flows,
        key: MonthKey::new(p.scenario.seed, Stream::Courts, SETUP),
        picks: 0,
    };
    draw_sentenced_prisoners(&mut d, tbl, stocks);
    draw_pending_cases(&mut d, tbl, stocks);
    draw_recent_releases(&mut d, tbl);
    draw_delayed_arrests(&mut d, tbl, stocks);
    // Delayed arrests are processed in due order within a month.
    stocks.delayed.sort_by_key(|a| (a.due, a.suspect.row));
}

/// Sentenced prisoners of year one: the stock of the admission flow by offence type (grown at
/// `prisons.growth_before_start_pct` before the start), each with the time served and left of a
/// length-biased stay, and of the age they had at the offence.
fn draw_sentenced_prisoners(d: &mut Draws, tbl: &mut Table<'_>, stocks: &mut Stocks) {
    let (p, t, flows, key) = (d.p, d.t, d.flows, d.key);
    let mean_t = t.mean_procedure_months();
    // Sentenced prisoners: remaining time a uniform share of a length-biased stay.
    // (months served, weight): determinate and indeterminate sentences, as the alignment saw them.
    let served: Vec<Vec<(f64, f64)>> = (0..OFFENCE_TYPES)
        .map(|c| {
            let ty = &p.crime.types[c];
            let median =
                ty.sentence_median_months * p.justice.severity_multiplier * flows.length_mix[c];
            served_stays(p, c, median, 0.0)
                .into_iter()
                .map(|(m, w)| (m.max(1.0), w))
                .collect()
        })
        .collect();
    // Of a flow that grew at g before the start, a stay is in the stock in proportion to
    // `months_in_stock`, and its elapsed part is exponentially biased towards recent starts.
    let g = growth_before_start(p);
    let stock_weights: [f64; OFFENCE_TYPES] = std::array::from_fn(|c| {
        let weight: f64 = served[c].iter().map(|s| s.1).sum();
        let in_stock: f64 = served[c]
            .iter()
            .map(|(m, w)| months_in_stock(*m, g) * w)
            .sum();
        flows.admissions[c] * in_stock / weight
    });
    let n_sentenced = flows.sentenced_stock.round() as u32;
    // Each prisoner's offence and stay first (their own draws), then the persons, in order.
    let stays: Vec<(PickSpec, i32)> = (0..n_sentenced)
        .map(|_| {
            let n = d.next();
            let c = pick_type(&stock_weights, to_unit(key.bits(n, 0)));
            // Length-biased: a stay is in the stock in proportion to its length.
            let stays = &served[c];
            let total: f64 = stays.iter().map(|(m, w)| months_in_stock(*m, g) * w).sum();
            let mut acc = 0.0;
            let target = to_unit(key.bits(n, 1)) * total;
            let stay = stays
                .iter()
                .find(|(m, w)| {
                    acc += months_in_stock(*m, g) * w;
                    acc > target
                })
                .map_or(stays[stays.len() - 1].0, |s| s.0);
            let remaining =
                ((remaining_share(to_unit(key.bits(n, 2)), stay, g) * stay).ceil() as i32).max(1);
            let elapsed = (stay as i32 - remaining).max(0) + mean_t.round() as i32;
            let spec = PickSpec {
                pick: n,
                c,
                elapsed_months: elapsed,
                held: Held::Sentenced,
            };
            (spec, remaining)
        })
        .collect();
    pick_in_order(
        (p, t, key),
        tbl,
        &stays,
        |s| s.0,
        |tbl, stay, row| {
            let &(
                PickSpec {
                    c, elapsed_months, ..
                },
                remaining,
            ) = stay;
            let until = remaining.min(i32::from(MonthNo::MAX)) as MonthNo;
            tbl.justice[row as usize].convictions = 1;
            let since = (-elapsed_months).max(i32::from(MonthNo::MIN) + 1) as MonthNo;
            let custody = JusticeState::Imprisoned { until };
            hold(
                tbl,
                &mut stocks.roster,
                row,
                OffenceType::from_index(c),
                custody,
                since,
            );
        },
    );
}

/// Holds the person in `row` in custody at the start, in `custody` (serving a sentence until
/// its end, or on remand) since `since`: in a prison of their own region, on the roster.
fn hold(
    tbl: &mut Table<'_>,
    roster: &mut Vec<Inmate>,
    row: u32,
    kind: OffenceType,
    custody: JusticeState,
    since: MonthNo,
) {
    let r = row as usize;
    tbl.demo[r].slot = Slot::InCustody;
    tbl.justice[r].state = custody;
    let (sentenced, until) = match custody {
        JusticeState::Imprisoned { until } => (true, until),
        _ => (false, NEVER),
    };
    let d = &tbl.demo[r];
    roster.push(Inmate {
        row,
        id: d.id.0,
        kind,
        home_region: d.region,
        prison_region: d.region,
        sentenced,
        since,
        until,
        parole_from: NEVER,
    });
}

/// Cases pending in court at the start, detained and on bail: the remaining procedural time of
/// a length-biased case.
fn draw_pending_cases(d: &mut Draws, tbl: &mut Table<'_>, stocks: &mut Stocks) {
    let (p, t, flows, key) = (d.p, d.t, d.flows, d.key);
    let (mu, sigma) = t.procedure;
    let mean_t = t.mean_procedure_months();
    // Pending cases, detained and on bail: remaining procedural time of a length-biased case.
    let detained_w: [f64; OFFENCE_TYPES] = flows.detentions;
    let bail_w: [f64; OFFENCE_TYPES] =
        std::array::from_fn(|c| flows.charges[c].iter().sum::<f64>() * (1.0 - t.detention[c]));
    let n_bail = (bail_w.iter().sum::<f64>() * mean_t).round() as u32;
    let n_pretrial = flows.pretrial_stock.round() as u32;
    // Each case's offence and times first (their own draws), then the persons, in order.
    let cases: Vec<(PickSpec, i32, bool)> =
        [(n_pretrial, detained_w, true), (n_bail, bail_w, false)]
            .into_iter()
            .flat_map(|(count, weights, detained)| (0..count).map(move |_| (weights, detained)))
            .map(|(weights, detained)| {
                let n = d.next();
                let c = pick_type(&weights, to_unit(key.bits(n, 0)));
                let z = standard_normal(to_unit(key.bits(n, 1)), to_unit(key.bits(n, 2)));
                let length = (mu + sigma * sigma + sigma * z).exp().clamp(1.0, 600.0);
                let remaining = ((to_unit(key.bits(n, 3)) * length).ceil() as i32).max(1);
                let waited = (length as i32 - remaining).max(0);
                let held = if detained {
                    Held::Detained
                } else {
                    Held::Charged
                };
                let spec = PickSpec {
                    pick: n,
                    c,
                    elapsed_months: waited,
                    held,
                };
                (spec, remaining, detained)
            })
            .collect();
    pick_in_order(
        (p, t, key),
        tbl,
        &cases,
        |s| s.0,
        |tbl, case, row| {
            let &(
                PickSpec {
                    c,
                    elapsed_months: waited,
                    ..
                },
                remaining,
                detained,
            ) = case;
            let r = row as usize;
            let d = tbl.demo[r];
            let case = CourtCase {
                row,
                id: d.id.0,
                kind: OffenceType::from_index(c),
                charged: (-waited) as MonthNo,
                ready: remaining as MonthNo,
                detained,
                historic: false,
            };
            stocks.cases.push((d.region, case));
            if detained {
                hold(
                    tbl,
                    &mut stocks.roster,
                    row,
                    OffenceType::from_index(c),
                    JusticeState::PretrialDetained,
                    (-waited) as MonthNo,
                );
            } else {
                tbl.justice[r].state = JusticeState::OnBail;
            }
        },
    );
}

/// People released in the last 36 months (in steady state the release flow equals the
/// admission flow): their reoffending risk starts where it would be.
fn draw_recent_releases(d: &mut Draws, tbl: &mut Table<'_>) {
    let (p, t, flows, key) = (d.p, d.t, d.flows, d.key);
    // People released in the last 36 months (release flow = admission flow in steady state).
    let releases_per_month: f64 = flows.admissions.iter().sum();
    let n_released = (releases_per_month * 36.0).round() as u32;
    let specs: Vec<PickSpec> = (0..n_released)
        .map(|_| {
            let n = d.next();
            let c = pick_type(&flows.admissions, to_unit(key.bits(n, 0)));
            let since = 1 + (to_unit(key.bits(n, 1)) * 36.0) as i32;
            PickSpec {
                pick: n,
                c,
                elapsed_months: since,
                held: Held::Sentenced,
            }
        })
        .collect();
    // A release leaves the person free: they may be picked again.
    pick_in_order(
        (p, t, key),
        tbl,
        &specs,
        |&s| s,
        |tbl, spec, row| {
            let since = spec.elapsed_months;
            let r = row as usize;
            tbl.justice[r].last_release = (-since) as MonthNo;
            tbl.justice[r].last_conviction = (-since - 1) as MonthNo;
            tbl.justice[r].convictions = 1;
            let age = tbl.demo[r].age_years(0);
            if (15..p.economy.retirement_age as u32).contains(&age) {
                tbl.socio[r].employment = Employment::Unemployed;
            }
        },
    );
}

/// Arrests still to come for offences prosecuted late: exponential delays are memoryless, so
/// the pending ones are due after a fresh exponential wait.
fn draw_delayed_arrests(d: &mut Draws, tbl: &mut Table<'_>, stocks: &mut Stocks) {
    let (p, t, flows, key) = (d.p, d.t, d.flows, d.key);
    // Arrests still to come for offences prosecuted late (exponential delays are memoryless,
    // so the pending ones are due after a fresh exponential wait).
    let mut arrests: Vec<(PickSpec, MonthNo)> = Vec::new();
    for c in 0..OFFENCE_TYPES {
        let mean_delay = p.crime.types[c].prosecution_delay_years * 12.0;
        if mean_delay <= 0.0 {
            continue;
        }
        let per_month = flows.offences_per_year[c] / 12.0 * flows.arrest_probability[c];
        let pending = (per_month * mean_delay).round() as u32;
        for _ in 0..pending {
            let n = d.next();
            let u = to_unit(key.bits(n, 0)).max(1e-12);
            let due = (-u.ln() * mean_delay)
                .ceil()
                .clamp(1.0, f64::from(MonthNo::MAX)) as MonthNo;
            let spec = PickSpec {
                pick: n,
                c,
                elapsed_months: 0,
                held: Held::Suspected,
            };
            arrests.push((spec, due));
        }
    }
    // An arrest to come leaves the person free: they may be picked again.
    pick_in_order(
        (p, t, key),
        tbl,
        &arrests,
        |a| a.0,
        |tbl, arrest, row| {
            let &(PickSpec { c, .. }, due) = arrest;
            let d = &tbl.demo[row as usize];
            stocks.delayed.push(DelayedArrest {
                due,
                suspect: Suspect {
                    row,
                    id: d.id.0,
                    kind: OffenceType::from_index(c),
                    region: d.region,
                    historic: false,
                },
            });
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alignment::flows::months_in_stock;
    use crate::person::{PersonId, Sex};

    /// A table of `n` persons of every age, both sexes and log-normal propensities.
    fn persons(n: u32) -> (Vec<Demographics>, Vec<Socioeconomic>, Vec<Justice>) {
        let key = MonthKey::new(1, Stream::Population, 0);
        let demo = (0..n)
            .map(|i| Demographics {
                id: PersonId(i),
                birth_month: -((key.bits(i, 0) % (90 * 12)) as MonthNo),
                sex: if key.bits(i, 1).is_multiple_of(2) {
                    Sex::Male
                } else {
                    Sex::Female
                },
                region: 0,
                slot: Slot::Alive,
                displaced: false,
            })
            .collect();
        let socio = (0..n)
            .map(|i| Socioeconomic {
                propensity: (standard_normal(key.uniform(i, 2), key.uniform(i, 3)) - 0.5).exp()
                    as f32,
                employment: Employment::Employed,
                urban: false,
            })
            .collect();
        (demo, socio, vec![Justice::CLEAN; n as usize])
    }

    #[test]
    fn picks_in_parallel_are_the_picks_one_after_another() {
        // More picks than a small table's likely offenders: many a search's first fit against
        // the table at the start is taken by an earlier pick by the time its turn comes, and
        // the last searches find no one free at all.
        let p = ModelParams::baseline();
        let t = CrimeTables::new(&p);
        let key = MonthKey::new(5, Stream::Courts, SETUP);
        let held = [
            Held::Sentenced,
            Held::Detained,
            Held::Charged,
            Held::Suspected,
        ];
        let specs: Vec<PickSpec> = (0..1800u32)
            .map(|k| PickSpec {
                pick: k + 1,
                c: k as usize % OFFENCE_TYPES,
                elapsed_months: (k * 7 % 60) as i32,
                held: held[k as usize % 4],
            })
            .collect();
        // Two picks in three take the person into custody; the third leaves them free.
        let commit = |tbl: &mut Table<'_>, k: usize, row: u32, out: &mut Vec<(usize, u32)>| {
            if k % 3 != 2 {
                tbl.demo[row as usize].slot = Slot::InCustody;
                tbl.justice[row as usize].state = JusticeState::PretrialDetained;
            }
            out.push((k, row));
        };
        let (demo0, socio0, justice0) = persons(1200);

        let (mut demo, mut socio, mut justice) = (demo0.clone(), socio0.clone(), justice0.clone());
        let mut tbl = Table {
            demo: &mut demo,
            socio: &mut socio,
            justice: &mut justice,
        };
        let mut one_by_one = Vec::new();
        for (k, s) in specs.iter().enumerate() {
            let view = tbl.view();
            if let Some(row) =
                pick_person(&p, &t, &view, key, s.pick, s.c, s.elapsed_months, s.held)
            {
                commit(&mut tbl, k, row, &mut one_by_one);
            }
        }
        // How many searches had their first fit taken, and how many found no one.
        let (first_taken, unfound) = {
            let view = PersonsAt {
                demo: &demo0,
                socio: &socio0,
                justice: &justice0,
                now: 0,
            };
            let first: Vec<Option<u32>> = specs
                .iter()
                .map(|&s| Search::new(&p, &t, key, s).first_fit(&view, 0).map(|f| f.0))
                .collect();
            let mut kept = vec![None; specs.len()];
            for &(k, row) in &one_by_one {
                kept[k] = Some(row);
            }
            let taken = (0..specs.len())
                .filter(|&k| first[k].is_some() && kept[k] != first[k])
                .count();
            (taken, kept.iter().filter(|r| r.is_none()).count())
        };
        assert!(first_taken > 50, "{first_taken} first fits taken");
        assert!(unfound > 0, "every search found someone");

        for threads in [1, 2, 3] {
            let (mut demo, mut socio, mut justice) =
                (demo0.clone(), socio0.clone(), justice0.clone());
            let mut tbl = Table {
                demo: &mut demo,
                socio: &mut socio,
                justice: &mut justice,
            };
            let mut in_parallel = Vec::new();
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                pick_in_order(
                    (&p, &t, key),
                    &mut tbl,
                    &specs,
                    |&s| s,
                    |tbl, s, row| commit(tbl, s.pick as usize - 1, row, &mut in_parallel),
                )
            });
            assert_eq!(in_parallel, one_by_one, "{threads} threads");
        }
    }

    /// Of a growing flow, stays in progress began more recently: the mean elapsed share of a
    /// long stay is below one half, and the draws integrate to `months_in_stock`.
    #[test]
    fn a_growing_flow_holds_recent_admissions() {
        let g = (1.053f64).ln() / 12.0;
        let stay = 240.0;
        let n = 10_000;
        let mean_elapsed: f64 = (0..n)
            .map(|k| 1.0 - remaining_share((k as f64 + 0.5) / n as f64, stay, g))
            .sum::<f64>()
            / n as f64;
        assert!(mean_elapsed < 0.45 && mean_elapsed > 0.3, "{mean_elapsed}");
        assert_eq!(
            remaining_share(0.25, stay, 0.0),
            0.25,
            "steady state: uniform"
        );
        assert!(
            (remaining_share(0.25, stay, 1e-9) - 0.25).abs() < 1e-6,
            "continuous at 0"
        );
        // Stock weight of a 20-year stay: about 0.64 of its length at 5.3% growth a year.
        let w = months_in_stock(stay, g) / stay;
        assert!((w - 0.64).abs() < 0.02, "{w}");
        assert_eq!(months_in_stock(stay, 0.0), stay);
    }
}
