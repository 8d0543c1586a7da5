//! The expected flows of year one and what is solved from them: offence targets, reporting,
//! base hazards, and the funnel that sizes police, courts and prisons (Little's law).

use crate::crime_tables::{CrimeTables, ExpectedFlows, lognormal_quantiles};
use crate::metrics::{AGE_BINS, AgeHist, hist_index};
use crate::offence::{OFFENCE_TYPES, OffenceType};
use crate::params::{MAX_REGIONS, ModelParams};

/// Weights binned on a log scale, to sum `1 - exp(-base * w)` over millions of people fast.
#[derive(Clone, Debug)]
pub(crate) struct WeightHist {
    count: Vec<f64>,
    sum: Vec<f64>,
}

const BINS_PER_OCTAVE: f64 = 16.0;
const LOG2_MIN: f64 = -40.0;
const HIST_BINS: usize = 960;

impl Default for WeightHist {
    fn default() -> Self {
        WeightHist {
            count: vec![0.0; HIST_BINS],
            sum: vec![0.0; HIST_BINS],
        }
    }
}

impl WeightHist {
    /// Adds one person of weight `w` (ignored if not positive).
    #[cfg(test)]
    pub fn add(&mut self, w: f64) {
        self.add_with_log2(w, w.log2());
    }

    /// Adds one person of weight `w` whose `log2` the caller has (ignored if not positive): a
    /// weight that is a product has the sum of its factors' logarithms, which callers adding
    /// many products of a few factors compute once per factor.
    #[inline]
    pub fn add_with_log2(&mut self, w: f64, log2_w: f64) {
        if w <= 0.0 {
            return;
        }
        let b = ((log2_w - LOG2_MIN) * BINS_PER_OCTAVE).clamp(0.0, (HIST_BINS - 1) as f64);
        let b = b as usize;
        self.count[b] += 1.0;
        self.sum[b] += w;
    }

    /// Expected number of people with an event when each has probability `1 - exp(-base w)`.
    pub fn expected(&self, base: f64) -> f64 {
        self.count
            .iter()
            .zip(&self.sum)
            .filter(|(n, _)| **n > 0.0)
            .map(|(n, s)| n * (1.0 - (-base * s / n).exp()))
            .sum()
    }

    /// Adds another histogram.
    pub fn merge(&mut self, o: &WeightHist) {
        for i in 0..HIST_BINS {
            self.count[i] += o.count[i];
            self.sum[i] += o.sum[i];
        }
    }
}

/// Solves `f(x) = target` for increasing `f` on `[lo, hi]` (on a log scale if `lo > 0`), to a
/// relative width of 1e-12 of the bracket. `None` when the target is outside `[f(lo), f(hi)]`.
///
/// The Illinois variant of the false-position method: the next point is where the chord
/// through the bracket's ends meets the target, and an end kept twice in a row has its value
/// halved, so that both ends close in. It needs about a fifth of the evaluations of bisection
/// on the alignment's smooth functions (a set-up solves a few hundred of them, some over every
/// person released); a step that would not land inside the bracket bisects instead.
pub(crate) fn solve_increasing(
    f: impl Fn(f64) -> f64,
    target: f64,
    lo: f64,
    hi: f64,
) -> Option<f64> {
    let (f_lo, f_hi) = (f(lo), f(hi));
    if f_hi < target || f_lo > target {
        return None;
    }
    // Work in u = ln x on a log scale.
    let log = lo > 0.0;
    let (to_x, to_u) = if log {
        (f64::exp as fn(f64) -> f64, f64::ln as fn(f64) -> f64)
    } else {
        ((|u| u) as fn(f64) -> f64, (|x| x) as fn(f64) -> f64)
    };
    let (mut a, mut b) = (to_u(lo), to_u(hi));
    let (mut ga, mut gb) = (f_lo - target, f_hi - target);
    let (mut xa, mut xb) = (lo, hi);
    // Which end was kept at the last step: -1 the low end, 1 the high end.
    let mut kept = 0;
    for _ in 0..200 {
        if (xb - xa) <= 1e-12 * xb.abs().max(1e-300) {
            break;
        }
        let chord = if gb > ga {
            b - gb * (b - a) / (gb - ga)
        } else {
            f64::NAN
        };
        let u = if chord > a && chord < b {
            chord
        } else {
            0.5 * (a + b)
        };
        let x = to_x(u);
        if x <= xa || x >= xb {
            break;
        }
        let g = f(x) - target;
        if g < 0.0 {
            (a, ga, xa) = (u, g, x);
            if kept == 1 {
                gb *= 0.5;
            }
            kept = 1;
        } else {
            (b, gb, xb) = (u, g, x);
            if kept == -1 {
                ga *= 0.5;
            }
            kept = -1;
            if g == 0.0 {
                return Some(x);
            }
        }
    }
    Some(0.5 * (xa + xb))
}

/// Victim selection probabilities by (sex, age) group for type `c`: the chance that one
/// offence's victim is a given person of the group. `counts` are free persons by sex and age.
pub(crate) fn victim_probabilities(
    t: &CrimeTables,
    p: &ModelParams,
    c: usize,
    counts: &[[f64; AGE_BINS]; 2],
) -> [[f64; AGE_BINS]; 2] {
    let mut q = [[0.0; AGE_BINS]; 2];
    let mut total = 0.0;
    for s in 0..2 {
        for a in 0..AGE_BINS {
            total += counts[s][a] * t.victim_age[c][a] * t.victim_sex[c][s];
        }
    }
    let elder = if c == OffenceType::Assault.index() {
        p.crime.elder_abuse_share
    } else {
        0.0
    };
    let old: f64 = (0..2)
        .map(|s| counts[s][60..].iter().sum::<f64>())
        .sum::<f64>();
    for s in 0..2 {
        for a in 0..AGE_BINS {
            let by_curve = if total > 0.0 {
                t.victim_age[c][a] * t.victim_sex[c][s] / total
            } else {
                0.0
            };
            let by_age = if a >= 60 && old > 0.0 { 1.0 / old } else { 0.0 };
            q[s][a] = (1.0 - elder) * by_curve + elder * by_age;
        }
    }
    q
}

/// Expected distinct people hit among `in_group` when `k[i]` offences hit with probabilities
/// `q[i]` each.
fn distinct_hit(
    counts: &[[f64; AGE_BINS]; 2],
    in_group: impl Fn(usize, usize) -> bool,
    k: &[f64],
    q: &[&[[f64; AGE_BINS]; 2]],
) -> f64 {
    let mut hit = 0.0;
    for s in 0..2 {
        for a in 0..AGE_BINS {
            if !in_group(s, a) || counts[s][a] == 0.0 {
                continue;
            }
            let rate: f64 = k.iter().zip(q).map(|(k, q)| k * q[s][a]).sum();
            hit += counts[s][a] * (1.0 - (-rate).exp());
        }
    }
    hit
}

/// Free persons by sex and age, summed over regions.
pub(crate) fn counts_by_sex_age(hist: &AgeHist, regions: usize) -> [[f64; AGE_BINS]; 2] {
    let mut c = [[0.0; AGE_BINS]; 2];
    for r in 0..regions {
        for (s, row) in c.iter_mut().enumerate() {
            for (a, v) in row.iter_mut().enumerate() {
                *v += f64::from(hist[hist_index(r as u8, s, a as u32)]);
            }
        }
    }
    c
}

/// Yearly offences (agents) each type must produce to meet the observed year-one values.
pub(crate) fn offence_targets(
    p: &ModelParams,
    t: &mut CrimeTables,
    counts: &[[f64; AGE_BINS]; 2],
) -> [f64; OFFENCE_TYPES] {
    let c = &p.crime;
    let n: f64 = counts.iter().flat_map(|r| r.iter()).sum();
    let per_100k = n / 1e5;
    let mut k = [0.0; OFFENCE_TYPES];
    let idx = |o: OffenceType| o.index();
    // Proactive detection follows police per person by region (`systems::deployment`).
    let presence = crate::systems::deployment::national_detection(p);
    let p_rec = |i: usize, t: &CrimeTables| {
        let rep = t.report[i];
        rep + (1.0 - rep) * c.types[i].proactive * presence
    };
    k[idx(OffenceType::Homicide)] = c.homicide_rate_per_100k * per_100k;
    for (o, target) in [
        (OffenceType::Drug, c.drug_recorded_per_100k),
        (OffenceType::Trafficking, c.trafficking_detected_per_100k),
        (OffenceType::Environment, c.environment_recorded_per_100k),
    ] {
        let pr = p_rec(idx(o), t);
        k[idx(o)] = if pr > 0.0 {
            target * per_100k / pr
        } else {
            t.warnings.push(format!(
                "{}: recorded target {} per 100k is unreachable with no reporting or detection; none simulated",
                o.name(),
                target
            ));
            0.0
        };
    }
    let q_prop = victim_probabilities(t, p, idx(OffenceType::Property), counts);
    let everyone = |_: usize, _: usize| true;
    let pop: f64 = n;
    let k_prop = solve_increasing(
        |x| distinct_hit(counts, everyone, &[x], &[&q_prop]),
        c.property_victimisation_pct / 100.0 * pop,
        0.0,
        pop * 100.0,
    );
    k[idx(OffenceType::Property)] = k_prop.unwrap_or(0.0);
    let adults = |_: usize, a: usize| a >= 15;
    let n_adults: f64 = (0..2).map(|s| counts[s][15..].iter().sum::<f64>()).sum();
    t.robbery_share = robbery_share(
        p,
        t,
        counts,
        n_adults,
        k[idx(OffenceType::Property)],
        &q_prop,
    );
    // Online fraud: people 15+ (its victim table is zero below), the regions' access taken as
    // their national mean.
    let q_fraud = victim_probabilities(t, p, idx(OffenceType::Fraud), counts);
    let k_fraud = if c.fraud_victimisation_pct > 0.0 {
        solve_increasing(
            |x| distinct_hit(counts, adults, &[x], &[&q_fraud]),
            c.fraud_victimisation_pct / 100.0 * n_adults,
            0.0,
            pop * 100.0,
        )
    } else {
        Some(0.0)
    };
    if k_fraud.is_none() {
        t.warnings
            .push("fraud: observed victimisation unreachable; no online fraud simulated".into());
    }
    k[idx(OffenceType::Fraud)] = k_fraud.unwrap_or(0.0);
    let q_gbv = victim_probabilities(t, p, idx(OffenceType::Gbv), counts);
    let women = |s: usize, a: usize| s == 1 && (15..50).contains(&a);
    let n_women: f64 = counts[1][15..50].iter().sum();
    let k_gbv = solve_increasing(
        |x| distinct_hit(counts, women, &[x], &[&q_gbv]),
        c.gbv_prevalence_women_pct / 100.0 * n_women,
        0.0,
        pop * 100.0,
    );
    if k_gbv.is_none() {
        t.warnings
            .push("gbv: observed prevalence unreachable; no GBV simulated".into());
    }
    k[idx(OffenceType::Gbv)] = k_gbv.unwrap_or(0.0);
    let q_assault = victim_probabilities(t, p, idx(OffenceType::Assault), counts);
    let target = c.violence_prevalence_pct / 100.0 * n_adults;
    let from_gbv = distinct_hit(counts, adults, &[k[idx(OffenceType::Gbv)]], &[&q_gbv]);
    k[idx(OffenceType::Assault)] = if target <= from_gbv {
        t.warnings.push(format!(
            "assault: GBV alone already gives {:.2}% violence prevalence, above the observed {}%; no assault simulated",
            100.0 * from_gbv / n_adults,
            c.violence_prevalence_pct
        ));
        0.0
    } else {
        solve_increasing(
            |x| {
                distinct_hit(
                    counts,
                    adults,
                    &[x, k[idx(OffenceType::Gbv)]],
                    &[&q_assault, &q_gbv],
                )
            },
            target,
            0.0,
            pop * 100.0,
        )
        .unwrap_or(0.0)
    };
    k
}

/// The share of property offences that are robberies, so that the people 15+ (`n_adults` of
/// them) robbed in year one are the observed share (robbery victims are drawn as property
/// victims are).
fn robbery_share(
    p: &ModelParams,
    t: &mut CrimeTables,
    counts: &[[f64; AGE_BINS]; 2],
    n_adults: f64,
    property_offences: f64,
    q_prop: &[[f64; AGE_BINS]; 2],
) -> f64 {
    let target = p.crime.robbery_victimisation_pct / 100.0 * n_adults;
    if target <= 0.0 || property_offences <= 0.0 {
        return 0.0;
    }
    let robbed = |share: f64| {
        distinct_hit(
            counts,
            |_, a| a >= 15,
            &[property_offences * share],
            &[q_prop],
        )
    };
    solve_increasing(robbed, target, 0.0, 1.0).unwrap_or_else(|| {
        t.warnings.push(format!(
            "robbery: observed {}% unreachable even if every property crime were a robbery",
            p.crime.robbery_victimisation_pct
        ));
        1.0
    })
}

/// Scales the reporting of assault and GBV so that the share of violence victims who report
/// matches the observed SDG 16.3.1 value.
pub(crate) fn align_reporting(p: &ModelParams, t: &mut CrimeTables, k: &[f64; OFFENCE_TYPES]) {
    let (a, g) = (OffenceType::Assault.index(), OffenceType::Gbv.index());
    let target = p.justice.violence_reporting_pct / 100.0;
    let base = [p.crime.types[a].report, p.crime.types[g].report];
    let share = |s: f64| {
        let ra = (base[0] * s).min(0.98);
        let rg = (base[1] * s).min(0.98);
        (k[a] * ra + k[g] * rg) / (k[a] + k[g]).max(1e-12)
    };
    if k[a] + k[g] <= 0.0 || base[0] + base[1] <= 0.0 {
        return;
    }
    let scale = solve_increasing(share, target, 0.0, 1e3).unwrap_or_else(|| {
        t.warnings.push(format!(
            "reporting: observed {}% unreachable (reporting probabilities cap at 98%)",
            p.justice.violence_reporting_pct
        ));
        1e3
    });
    t.report[a] = (base[0] * scale).min(0.98);
    t.report[g] = (base[1] * scale).min(0.98);
}

/// Expected time served after sentencing for a sentence of `l` months with parole, less
/// `credit` months of remand.
pub(crate) fn served_months(l: f64, credit: f64, p: &ModelParams) -> f64 {
    let j = &p.justice;
    let l = l.round().max(1.0);
    let eligible = (j.parole_eligibility_fraction * l).round();
    let window = (l - eligible).max(0.0);
    let g = j.parole_grant_per_month;
    let extra = if g > 0.0 {
        (1.0 - g) * (1.0 - (1.0 - g).powf(window)) / g
    } else {
        window
    };
    (eligible + extra - credit).max(0.0)
}

/// Monthly log growth of admissions before the start (`prisons.growth_before_start_pct`).
pub(crate) fn growth_before_start(p: &ModelParams) -> f64 {
    (1.0 + p.prisons.growth_before_start_pct / 100.0).ln() / 12.0
}

/// Months a stay of `m` months contributes to the year-one stock when admissions grew at the
/// monthly log rate `g` before the start: a stay that began `e` months ago comes from a flow
/// smaller by `exp(-g e)`, so the stay counts `(1 - exp(-g m)) / g` months (`m` in a steady
/// state).
pub(crate) fn months_in_stock(m: f64, g: f64) -> f64 {
    if g.abs() < 1e-12 {
        m
    } else {
        -(-g * m).exp_m1() / g
    }
}

/// Months served after sentencing for custodial sentences of type `c` whose (determinate)
/// lengths have median `median`, with `credit` months already served on remand: 128 quantiles of
/// determinate sentences (parole as [`served_months`]) weighted by one minus the indeterminate
/// share, and the same lengths as minimum terms served in full plus the mean time to release
/// after them, weighted by the share. Pairs of (months, weight); the alignment and the initial
/// prisoners both use it.
pub(crate) fn served_stays(p: &ModelParams, c: usize, median: f64, credit: f64) -> Vec<(f64, f64)> {
    let ty = &p.crime.types[c];
    let s = ty.indeterminate_share;
    let beyond = 1.0 / p.justice.indeterminate_release_per_month;
    let q = lognormal_quantiles(median, ty.sentence_log_sd, 128);
    let mut out: Vec<(f64, f64)> = q
        .iter()
        .map(|l| (served_months(*l, credit, p), 1.0 - s))
        .collect();
    if s > 0.0 {
        out.extend(
            q.iter()
                .map(|l| ((l.round().max(1.0) - credit).max(0.0) + beyond, s)),
        );
    }
    out
}

/// Solves funnel scales and capacities given yearly offences by type and their regional shares.
pub(crate) fn align_funnel(
    p: &ModelParams,
    t: &mut CrimeTables,
    flows: &mut ExpectedFlows,
    population: f64,
    officers: &[f64],
) {
    let regions = p.regions.len();
    let c = &p.crime;
    let j = &p.justice;
    // Police: recorded workload by region and capacity from officers.
    let mut recorded = [[0.0; MAX_REGIONS]; OFFENCE_TYPES];
    let detection = crate::systems::deployment::detection(p, officers);
    for i in 0..OFFENCE_TYPES {
        let rep = t.report[i];
        for r in 0..regions {
            let p_rec = rep + (1.0 - rep) * c.types[i].proactive * detection[r];
            recorded[i][r] = flows.offences_per_year[i] / 12.0 * flows.region_share[i][r] * p_rec;
        }
    }
    let workload: Vec<f64> = (0..regions)
        .map(|r| (0..OFFENCE_TYPES).map(|i| recorded[i][r]).sum())
        .collect();
    let total_work: f64 = workload.iter().sum();
    let total_officers: f64 = officers.iter().sum();
    let per_officer = if total_officers > 0.0 {
        j.police_capacity_ratio * total_work / total_officers
    } else {
        0.0
    };
    for r in 0..regions {
        flows.police_capacity[r] = officers[r] * per_officer;
        let ratio = if workload[r] > 0.0 {
            flows.police_capacity[r] / workload[r]
        } else {
            1.0
        };
        flows.police_factor[r] = ratio.min(1.0).powf(j.clearance_capacity_gamma);
    }
    let mut cleared_by_region = [0.0; MAX_REGIONS];
    for i in 0..OFFENCE_TYPES {
        let (mut rec, mut arrests) = (0.0, 0.0);
        // The certainty signal of deterrence counts the types that carry it, as the Policing
        // stage does.
        let signal = if OffenceType::from_index(i).signals_deterrence() {
            1.0
        } else {
            0.0
        };
        for r in 0..regions {
            let cleared = recorded[i][r] * c.types[i].clearance * flows.police_factor[r];
            cleared_by_region[r] += signal * cleared;
            flows.charges[i][r] = cleared * c.types[i].charge * flows.chargeable[i];
            let committed = flows.offences_per_year[i] / 12.0 * flows.region_share[i][r];
            flows.offences_by_region[r] += signal * committed;
            rec += committed;
            arrests += cleared;
        }
        flows.arrest_probability[i] = if rec > 0.0 { arrests / rec } else { 0.0 };
    }
    for r in 0..regions {
        flows.arrest_rate[r] = if flows.offences_by_region[r] > 0.0 {
            cleared_by_region[r] / flows.offences_by_region[r]
        } else {
            0.0
        };
        let charges: f64 = (0..OFFENCE_TYPES).map(|i| flows.charges[i][r]).sum();
        flows.court_capacity[r] = j.court_capacity_ratio * charges;
    }
    // Pre-trial detention: pre-trial stock = detentions a month x months to disposition.
    let stock = p.prisons.prison_population_per_100k * population / 1e5;
    let u = p.prisons.unsentenced_share_pct / 100.0;
    flows.pretrial_stock = u * stock;
    flows.sentenced_stock = (1.0 - u) * stock;
    let months = t.mean_procedure_months();
    let charges: Vec<f64> = (0..OFFENCE_TYPES)
        .map(|i| flows.charges[i].iter().sum())
        .collect();
    let base_det: Vec<f64> = c.types.iter().map(|x| x.detention).collect();
    let mix = flows.custody_mix;
    let pretrial = |d: f64| -> f64 {
        (0..OFFENCE_TYPES)
            .map(|i| charges[i] * (base_det[i] * d).min(0.98) * mix[i] * months)
            .sum()
    };
    let d_scale = solve_increasing(pretrial, flows.pretrial_stock, 0.0, 1e4).unwrap_or_else(|| {
        t.warnings.push(format!(
            "pre-trial: observed unsentenced share {}% unreachable; detention capped at 98%",
            p.prisons.unsentenced_share_pct
        ));
        1e4
    });
    for (i, det) in t.detention.iter_mut().enumerate() {
        *det = (base_det[i] * d_scale).min(0.98);
        flows.detentions[i] = charges[i] * *det * mix[i];
    }
    // Custody: sentenced stock = admissions x mean time served after sentencing (in stock: of
    // a growing flow, long stays that began long ago count less).
    let g = growth_before_start(p);
    for i in 0..OFFENCE_TYPES {
        let median =
            c.types[i].sentence_median_months * j.severity_multiplier * flows.length_mix[i];
        for (k, credit) in [(0usize, 0.0), (1usize, months)] {
            let stays = served_stays(p, i, median, credit);
            let weight: f64 = stays.iter().map(|s| s.1).sum();
            flows.served[i][k] = stays
                .iter()
                .map(|(m, w)| months_in_stock(*m, g) * w)
                .sum::<f64>()
                / weight;
        }
    }
    let boost = j.detained_conviction_boost;
    let convictions: Vec<[f64; 2]> = (0..OFFENCE_TYPES)
        .map(|i| {
            let det = t.detention[i] * mix[i];
            let conv = c.types[i].conviction;
            [
                charges[i] * (1.0 - det) * conv,
                charges[i] * det * (conv + boost).min(1.0),
            ]
        })
        .collect();
    let base_custody: Vec<f64> = c.types.iter().map(|x| x.custody).collect();
    let sentenced = |k: f64| -> f64 {
        (0..OFFENCE_TYPES)
            .map(|i| {
                let cust = (base_custody[i] * k).min(0.98) * mix[i];
                cust * (convictions[i][0] * flows.served[i][0]
                    + convictions[i][1] * flows.served[i][1])
            })
            .sum()
    };
    let k_scale =
        solve_increasing(sentenced, flows.sentenced_stock, 0.0, 1e4).unwrap_or_else(|| {
            t.warnings.push(format!(
                "custody: observed prison population {} per 100k unreachable; custody capped at 98%",
                p.prisons.prison_population_per_100k
            ));
            1e4
        });
    for i in 0..OFFENCE_TYPES {
        t.custody[i] = (base_custody[i] * k_scale).min(0.98);
        flows.admissions[i] = t.custody[i] * mix[i] * (convictions[i][0] + convictions[i][1]);
    }
}

/// Solves the base hazard of every type so that expected year-one offences match `k`, from
/// per-type weight histograms of the free population.
pub(crate) fn align_base_hazards(
    t: &mut CrimeTables,
    k: &[f64; OFFENCE_TYPES],
    hists: &[WeightHist; OFFENCE_TYPES],
) {
    for i in 0..OFFENCE_TYPES {
        let monthly = k[i] / 12.0;
        if monthly <= 0.0 {
            t.base[i] = 0.0;
            continue;
        }
        let h = &hists[i];
        // Below the smallest bracket the expected count is linear in the base hazard.
        let smallest = h.expected(1e-15);
        if smallest >= monthly {
            t.base[i] = 1e-15 * monthly / smallest;
            continue;
        }
        match solve_increasing(|b| h.expected(b), monthly, 1e-15, 1e6) {
            Some(b) => t.base[i] = b,
            None => {
                t.warnings.push(format!(
                    "{}: {:.0} offences a year unreachable with the population's weights",
                    OffenceType::from_index(i).name(),
                    k[i]
                ));
                t.base[i] = 1e6;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binned_expectation_matches_the_exact_sum() {
        let ws: Vec<f64> = (1..5000).map(|i| 0.001 * (i as f64).sqrt()).collect();
        let mut h = WeightHist::default();
        ws.iter().for_each(|w| h.add(*w));
        let base = 0.7;
        let exact: f64 = ws.iter().map(|w| 1.0 - (-base * w).exp()).sum();
        assert!((h.expected(base) / exact - 1.0).abs() < 1e-3);
    }

    #[test]
    fn served_time_accounts_for_parole_and_remand() {
        let mut p = ModelParams::baseline();
        p.justice.parole_eligibility_fraction = 0.5;
        p.justice.parole_grant_per_month = 0.0;
        assert_eq!(served_months(24.0, 0.0, &p), 24.0);
        assert_eq!(served_months(24.0, 6.0, &p), 18.0);
        p.justice.parole_grant_per_month = 1.0;
        assert_eq!(served_months(24.0, 0.0, &p), 12.0);
        assert_eq!(served_months(10.0, 30.0, &p), 0.0);
    }

    #[test]
    fn bisection_finds_roots_and_reports_unreachable_targets() {
        let x = solve_increasing(|x| x * x, 2.0, 0.0, 10.0).unwrap();
        assert!((x - 2f64.sqrt()).abs() < 1e-9);
        assert!(solve_increasing(|x| x, 20.0, 0.0, 10.0).is_none());
        // On a log scale, a steep curve, and a step (where only the bracket can close in).
        let x = solve_increasing(|x| x.powi(6), 1e6, 1.0, 1e4).unwrap();
        assert!((x / 10.0 - 1.0).abs() < 1e-9, "{x}");
        let x = solve_increasing(|x| 1.0 - (-x).exp(), 0.3, 1e-3, 1e3).unwrap();
        assert!((x - -(0.7f64.ln())).abs() < 1e-9, "{x}");
        let x = solve_increasing(|x| if x < 3.0 { 0.0 } else { 1.0 }, 0.5, 0.0, 10.0).unwrap();
        assert!((x - 3.0).abs() < 1e-9, "{x}");
    }

    #[test]
    fn the_solver_needs_far_fewer_evaluations_than_bisection() {
        let calls = std::cell::Cell::new(0);
        let f = |x: f64| {
            calls.set(calls.get() + 1);
            1.0 - (-0.01 * x).exp()
        };
        let x = solve_increasing(f, 0.4, 1.0, 1e4).unwrap();
        assert!((x - -(0.6f64.ln()) / 0.01).abs() < 1e-8, "{x}");
        // Bisection on [1, 1e4] to 1e-12 takes about 44 evaluations.
        assert!(calls.get() <= 20, "{} evaluations", calls.get());
    }
}
