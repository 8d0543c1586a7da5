//! Global sensitivity indices from a sweep's outputs, with bootstrap confidence intervals.
//!
//! * Sobol first-order index S1 by the estimator of Saltelli et al. (2010, table 2 (b)) and
//!   total index ST by Jansen's (1999), on the A, B, AB_i layout of [`super::design::saltelli`].
//!   The outputs are centred on their mean first: the S1 estimator is not shift-invariant in
//!   finite samples, and SDG indicators have large means relative to their spread (SALib
//!   standardises the same way, so the two agree). The total variance is that of f(A) and f(B)
//!   together, divided by their number (as SALib does).
//! * Morris (1991) elementary effects: mu* (mean absolute effect, Campolongo et al. 2007), mu and
//!   sigma, with effects measured per unit of the factor's [0, 1] coordinate so that factors on
//!   different scales are comparable.
//! * Partial rank correlation coefficients (PRCC; Blower & Dowlatabadi 1994, Marino et al. 2008)
//!   for Latin-hypercube and grid designs: the correlation of a factor's ranks with the output's
//!   ranks once the linear effect of the other factors' ranks is removed from both. It measures
//!   monotone influence, signed, in [-1, 1]; it cannot see non-monotone effects, which is what
//!   Morris sigma and Sobol indices are for.
//!
//! Confidence intervals are percentile bootstraps over base rows (Sobol), trajectories
//! (Morris) or points (PRCC), resampled with keyed random numbers, so they are reproducible.

use super::design::keyed_unit;

/// Purpose tag of the bootstrap's draws.
const BOOTSTRAP: u64 = 11;

/// A point estimate with a 95% interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// The estimate from all the data.
    pub value: f64,
    /// 2.5th percentile of the bootstrap distribution.
    pub low: f64,
    /// 97.5th percentile of the bootstrap distribution.
    pub high: f64,
}

/// Sobol indices of one factor.
#[derive(Clone, Copy, Debug)]
pub struct SobolIndices {
    /// First-order index S1.
    pub first: Estimate,
    /// Total index ST.
    pub total: Estimate,
}

/// Morris measures of one factor.
#[derive(Clone, Copy, Debug)]
pub struct MorrisMeasures {
    /// Mean absolute elementary effect.
    pub mu_star: Estimate,
    /// Mean elementary effect (signed).
    pub mu: Estimate,
    /// Standard deviation of the elementary effects (interactions, non-linearity).
    pub sigma: Estimate,
}

/// Resampling plan: `boot` resamples of `n` units; resample `b` picks unit `pick(b, i)`.
struct Bootstrap {
    seed: u64,
    boot: u32,
    n: usize,
}

impl Bootstrap {
    fn pick(&self, b: u32, i: usize) -> usize {
        let u = keyed_unit(self.seed, BOOTSTRAP, u64::from(b), i as u64);
        ((u * self.n as f64) as usize).min(self.n - 1)
    }

    /// The 95% percentile interval of `stat` over the resamples (`stat` gets the chosen units).
    fn interval(&self, stat: impl Fn(&[usize]) -> f64) -> (f64, f64) {
        if self.boot == 0 {
            return (f64::NAN, f64::NAN);
        }
        let mut picks = vec![0usize; self.n];
        let mut values: Vec<f64> = (0..self.boot)
            .map(|b| {
                for (i, p) in picks.iter_mut().enumerate() {
                    *p = self.pick(b, i);
                }
                stat(&picks)
            })
            .collect();
        percentile_interval(&mut values)
    }
}

/// The 95% percentile interval of bootstrap `values`, ignoring the resamples where the
/// statistic is undefined; `NaN` when none is defined.
fn percentile_interval(values: &mut Vec<f64>) -> (f64, f64) {
    values.retain(|v| v.is_finite());
    if values.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    values.sort_by(f64::total_cmp);
    (
        crate::replicate::quantile(values, 0.025),
        crate::replicate::quantile(values, 0.975),
    )
}

fn estimate(all: &[usize], boot: &Bootstrap, stat: impl Fn(&[usize]) -> f64) -> Estimate {
    let value = stat(all);
    let (low, high) = boot.interval(&stat);
    Estimate { value, low, high }
}

/// Sobol indices of `k` factors from outputs `y` in Saltelli's layout (N rows of k + 2 points).
/// `NaN` indices when the output does not vary.
pub fn sobol(y: &[f64], k: usize, boot: u32, seed: u64) -> Vec<SobolIndices> {
    let stride = k + 2;
    let n = y.len() / stride;
    let centre = y.iter().sum::<f64>() / y.len().max(1) as f64;
    let y: Vec<f64> = y.iter().map(|v| v - centre).collect();
    let a = |j: usize| y[j * stride];
    let b = |j: usize| y[j * stride + 1];
    let ab = |j: usize, i: usize| y[j * stride + 2 + i];
    // Total variance from A and B together.
    let variance = |rows: &[usize]| {
        let m = rows.len() as f64 * 2.0;
        let mean = rows.iter().map(|&j| a(j) + b(j)).sum::<f64>() / m;
        rows.iter()
            .map(|&j| (a(j) - mean).powi(2) + (b(j) - mean).powi(2))
            .sum::<f64>()
            / m
    };
    let first = |i: usize, rows: &[usize]| {
        let s = rows.iter().map(|&j| b(j) * (ab(j, i) - a(j))).sum::<f64>();
        s / rows.len() as f64 / variance(rows)
    };
    let total = |i: usize, rows: &[usize]| {
        let s = rows.iter().map(|&j| (a(j) - ab(j, i)).powi(2)).sum::<f64>();
        s / (2.0 * rows.len() as f64) / variance(rows)
    };
    let all: Vec<usize> = (0..n).collect();
    let plan = Bootstrap { seed, boot, n };
    (0..k)
        .map(|i| SobolIndices {
            first: estimate(&all, &plan, |rows| first(i, rows)),
            total: estimate(&all, &plan, |rows| total(i, rows)),
        })
        .collect()
}

/// The share of the variance of the point means that replication noise explains: with `r`
/// replications per point, noise adds (mean within-point variance) / r to the variance of the
/// means. `values[p][rep]` are the replications of point p. NaN with one replication (the noise
/// cannot be told) or when the means do not vary.
pub fn noise_share(values: &[Vec<f64>]) -> f64 {
    let r = values.first().map_or(0, Vec::len);
    if r < 2 || values.len() < 2 {
        return f64::NAN;
    }
    let means: Vec<f64> = values
        .iter()
        .map(|v| v.iter().sum::<f64>() / v.len() as f64)
        .collect();
    let within = values
        .iter()
        .zip(&means)
        .map(|(v, m)| v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64)
        .sum::<f64>()
        / values.len() as f64;
    let grand = means.iter().sum::<f64>() / means.len() as f64;
    let between = means.iter().map(|m| (m - grand).powi(2)).sum::<f64>() / (means.len() - 1) as f64;
    if between > 0.0 {
        (within / r as f64 / between).min(1.0)
    } else if within > 0.0 {
        1.0
    } else {
        f64::NAN
    }
}

/// Indices of outputs whose noise share exceeds this are flagged as noise.
pub const NOISE_FLAG: f64 = 0.5;

/// Morris measures of `k` factors from unit-cube points `u` and outputs `y`, laid out as
/// trajectories of k + 1 consecutive points.
pub fn morris(u: &[Vec<f64>], y: &[f64], k: usize, boot: u32, seed: u64) -> Vec<MorrisMeasures> {
    let r = y.len() / (k + 1);
    // effects[t][i]: the elementary effect of factor i in trajectory t.
    let mut effects = vec![vec![f64::NAN; k]; r];
    for (t, row) in effects.iter_mut().enumerate() {
        for s in 0..k {
            let (p, q) = (t * (k + 1) + s, t * (k + 1) + s + 1);
            if let Some(i) = (0..k).find(|&i| u[p][i] != u[q][i]) {
                row[i] = (y[q] - y[p]) / (u[q][i] - u[p][i]);
            }
        }
    }
    let all: Vec<usize> = (0..r).collect();
    let plan = Bootstrap { seed, boot, n: r };
    let mean = |i: usize, rows: &[usize], f: fn(f64) -> f64| {
        rows.iter().map(|&t| f(effects[t][i])).sum::<f64>() / rows.len() as f64
    };
    (0..k)
        .map(|i| MorrisMeasures {
            mu_star: estimate(&all, &plan, |rows| mean(i, rows, f64::abs)),
            mu: estimate(&all, &plan, |rows| mean(i, rows, |x| x)),
            sigma: estimate(&all, &plan, |rows| {
                let m = mean(i, rows, |x| x);
                let ss = rows
                    .iter()
                    .map(|&t| (effects[t][i] - m).powi(2))
                    .sum::<f64>();
                (ss / (rows.len() as f64 - 1.0)).sqrt()
            }),
        })
        .collect()
}

/// PRCC of every column of `x` (points x factors) with the output `y`, with bootstrap
/// intervals over points. `NaN` when the ranks are collinear or do not vary (too few points,
/// or a factor fixed within a resample).
pub fn prcc(x: &[Vec<f64>], y: &[f64], boot: u32, seed: u64) -> Vec<Estimate> {
    let k = x.first().map_or(0, Vec::len);
    let n = y.len();
    let all: Vec<usize> = (0..n).collect();
    let value = prcc_of(x, y, &all);
    let plan = Bootstrap { seed, boot, n };
    let mut resamples: Vec<Vec<f64>> = vec![Vec::with_capacity(boot as usize); k];
    let mut picks = vec![0usize; n];
    for b in 0..boot {
        for (i, p) in picks.iter_mut().enumerate() {
            *p = plan.pick(b, i);
        }
        for (column, r) in resamples.iter_mut().zip(prcc_of(x, y, &picks)) {
            column.push(r);
        }
    }
    value
        .into_iter()
        .zip(resamples)
        .map(|(value, mut r)| {
            let (low, high) = percentile_interval(&mut r);
            Estimate { value, low, high }
        })
        .collect()
}

/// PRCC of each factor on the chosen rows, from the rank correlation matrix of (factors,
/// output): the partial correlation of factor i and y given the other factors Z is
/// `(r_iy - r_iZ R_ZZ^-1 r_Zy) / sqrt((1 - r_iZ R_ZZ^-1 r_Zi) (1 - r_yZ R_ZZ^-1 r_Zy))`, which
/// stays defined when y is a perfect function of factor i alone.
fn prcc_of(x: &[Vec<f64>], y: &[f64], rows: &[usize]) -> Vec<f64> {
    let k = x.first().map_or(0, Vec::len);
    let mut columns: Vec<Vec<f64>> = (0..k)
        .map(|i| ranks(rows.iter().map(|&r| x[r][i])))
        .collect();
    columns.push(ranks(rows.iter().map(|&r| y[r])));
    let m = k + 1;
    let mut corr = vec![vec![0.0; m]; m];
    for a in 0..m {
        for b in a..m {
            let c = correlation(&columns[a], &columns[b]);
            corr[a][b] = c;
            corr[b][a] = c;
        }
    }
    (0..k)
        .map(|i| {
            let others: Vec<usize> = (0..k).filter(|&j| j != i).collect();
            let zz: Vec<Vec<f64>> = others
                .iter()
                .map(|&a| others.iter().map(|&b| corr[a][b]).collect())
                .collect();
            let Some(inv) = invert(zz) else {
                return f64::NAN;
            };
            // u R_ZZ^-1 v for rows u and v of the correlation matrix, restricted to Z.
            let quad = |u: usize, v: usize| -> f64 {
                let mut s = 0.0;
                for (a, &za) in others.iter().enumerate() {
                    for (b, &zb) in others.iter().enumerate() {
                        s += corr[u][za] * inv[a][b] * corr[zb][v];
                    }
                }
                s
            };
            let cov = corr[i][k] - quad(i, k);
            let var_x = 1.0 - quad(i, i);
            let var_y = 1.0 - quad(k, k);
            if var_x > 1e-12 && var_y > 1e-12 {
                (cov / (var_x * var_y).sqrt()).clamp(-1.0, 1.0)
            } else {
                f64::NAN
            }
        })
        .collect()
}

/// Ranks 1..n, ties sharing their average rank (grid designs repeat every level).
fn ranks(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let v: Vec<f64> = values.collect();
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut rank = vec![0.0; v.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && v[order[end]] == v[order[start]] {
            end += 1;
        }
        let average = (start + end + 1) as f64 / 2.0;
        for &i in &order[start..end] {
            rank[i] = average;
        }
        start = end;
    }
    rank
}

/// Pearson correlation; `NaN` when either side is constant.
fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma).powi(2);
        sbb += (y - mb).powi(2);
    }
    sab / (saa * sbb).sqrt()
}

/// Gauss-Jordan inverse with partial pivoting; `None` when (nearly) singular or not finite.
fn invert(mut a: Vec<Vec<f64>>) -> Option<Vec<Vec<f64>>> {
    let m = a.len();
    let mut inv: Vec<Vec<f64>> = (0..m)
        .map(|i| (0..m).map(|j| f64::from(u8::from(i == j))).collect())
        .collect();
    for col in 0..m {
        let pivot = (col..m).max_by(|&r, &s| a[r][col].abs().total_cmp(&a[s][col].abs()))?;
        if !a[pivot][col].is_finite() || a[pivot][col].abs() < 1e-10 {
            return None;
        }
        a.swap(col, pivot);
        inv.swap(col, pivot);
        let d = a[col][col];
        for j in 0..m {
            a[col][j] /= d;
            inv[col][j] /= d;
        }
        for r in 0..m {
            if r != col {
                let f = a[r][col];
                if f != 0.0 {
                    for j in 0..m {
                        a[r][j] -= f * a[col][j];
                        inv[r][j] -= f * inv[col][j];
                    }
                }
            }
        }
    }
    Some(inv)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::design;
    use std::f64::consts::PI;

    /// Ishigami & Homma (1990) with a = 7, b = 0.1 on [-pi, pi]^3.
    fn ishigami(x: &[f64]) -> f64 {
        let x: Vec<f64> = x.iter().map(|u| -PI + 2.0 * PI * u).collect();
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    #[test]
    fn sobol_indices_of_the_ishigami_function_match_the_analytic_values() {
        let n = 8192;
        let pts = design::saltelli(n, 3, 2026);
        let y: Vec<f64> = pts.iter().map(|u| ishigami(u)).collect();
        let idx = sobol(&y, 3, 100, 1);
        let s1 = [0.314, 0.442, 0.0];
        let st = [0.558, 0.442, 0.244];
        for i in 0..3 {
            let (f, t) = (idx[i].first, idx[i].total);
            assert!(
                (f.value - s1[i]).abs() < 0.03,
                "S1[{i}] = {} (analytic {})",
                f.value,
                s1[i]
            );
            assert!(
                (t.value - st[i]).abs() < 0.03,
                "ST[{i}] = {} (analytic {})",
                t.value,
                st[i]
            );
            assert!(f.low <= f.value && f.value <= f.high, "{f:?}");
            assert!(t.high - t.low < 0.1, "interval {t:?} is too wide");
        }
    }

    /// Issue 13: first-order indices were computed on uncentred outputs, and the estimator is
    /// not shift-invariant in finite samples; a large mean relative to the spread (most SDG
    /// indicators) gave wrong S1. Now a shift changes nothing.
    #[test]
    fn sobol_indices_do_not_move_when_the_outputs_are_shifted() {
        let n = 64;
        let pts = design::saltelli(n, 3, 7);
        let y: Vec<f64> = pts.iter().map(|u| ishigami(u)).collect();
        let shifted: Vec<f64> = y.iter().map(|v| v + 1e4).collect();
        let (a, b) = (sobol(&y, 3, 0, 1), sobol(&shifted, 3, 0, 1));
        for i in 0..3 {
            assert!(
                (a[i].first.value - b[i].first.value).abs() < 1e-8,
                "S1[{i}]"
            );
            assert!(
                (a[i].total.value - b[i].total.value).abs() < 1e-8,
                "ST[{i}]"
            );
        }
    }

    #[test]
    fn noise_share_tells_noise_from_signal() {
        // Points that differ by far more than their replications do: little noise.
        let signal: Vec<Vec<f64>> = (0..20)
            .map(|p| vec![f64::from(p), f64::from(p) + 0.1])
            .collect();
        assert!(noise_share(&signal) < 0.01);
        // Identical points (an inert factor under common random numbers): all noise.
        let inert: Vec<Vec<f64>> = (0..20).map(|_| vec![1.0, 2.0]).collect();
        assert_eq!(noise_share(&inert), 1.0);
        // One replication: unknown.
        assert!(noise_share(&[vec![1.0], vec![2.0]]).is_nan());
    }

    #[test]
    fn morris_ranks_the_factors_of_a_linear_function() {
        // y = 10 x0 - 5 x1 + 1 x2 + 0 x3: |mu*| ranks x0 > x1 > x2 > x3, sigma 0 (linear),
        // and mu keeps the sign.
        let (r, k) = (20, 4);
        let pts = design::morris(r, 4, k, 8);
        let coef = [10.0, -5.0, 1.0, 0.0];
        let y: Vec<f64> = pts
            .iter()
            .map(|u| u.iter().zip(coef).map(|(x, c)| x * c).sum())
            .collect();
        let m = morris(&pts, &y, k, 200, 2);
        for i in 0..k {
            assert!((m[i].mu_star.value - coef[i].abs()).abs() < 1e-9);
            assert!((m[i].mu.value - coef[i]).abs() < 1e-9);
            assert!(m[i].sigma.value.abs() < 1e-9);
        }
        let mut order: Vec<usize> = (0..k).collect();
        order.sort_by(|a, b| m[*b].mu_star.value.total_cmp(&m[*a].mu_star.value));
        assert_eq!(order, vec![0, 1, 2, 3]);
    }

    #[test]
    fn morris_sigma_reveals_an_interaction() {
        // y = x0 * x1: effects of x0 depend on x1, so sigma > 0; x2 is inert.
        let (r, k) = (40, 3);
        let pts = design::morris(r, 4, k, 4);
        let y: Vec<f64> = pts.iter().map(|u| u[0] * u[1]).collect();
        let m = morris(&pts, &y, k, 0, 0);
        assert!(m[0].sigma.value > 0.1 && m[1].sigma.value > 0.1);
        assert_eq!(m[2].mu_star.value, 0.0);
    }

    #[test]
    fn prcc_signs_and_ranks_monotone_influences_and_sees_through_a_confounded_design() {
        // y = exp(3 x0) - 2 x1 + noise; x2 inert. PRCC is rank-based, so the convex effect of
        // x0 counts as fully monotone: x0 near +1, x1 clearly negative, x2 near 0 with an
        // interval that covers 0.
        let (n, k) = (400, 3);
        let pts = design::latin_hypercube(n, k, 5);
        let noise = |j: usize| keyed_unit(9, 1, j as u64, 0) - 0.5;
        let y: Vec<f64> = pts
            .iter()
            .enumerate()
            .map(|(j, u)| (3.0 * u[0]).exp() - 2.0 * u[1] + 2.0 * noise(j))
            .collect();
        let r = prcc(&pts, &y, 200, 3);
        assert!(r[0].value > 0.9, "{:?}", r[0]);
        assert!(r[1].value < -0.3 && r[1].high < 0.0, "{:?}", r[1]);
        assert!(
            r[2].value.abs() < 0.15 && r[2].low < 0.0 && r[2].high > 0.0,
            "{:?}",
            r[2]
        );
        // Partial, not plain, correlation: with x1 built to follow x0, an output driven by x0
        // alone has a plain rank correlation with x1 near 1, but no partial one once x0 is
        // accounted for.
        let x: Vec<Vec<f64>> = (0..n)
            .map(|j| {
                let a = keyed_unit(4, 2, j as u64, 0);
                vec![a, a + 0.05 * keyed_unit(4, 3, j as u64, 0)]
            })
            .collect();
        let y: Vec<f64> = x
            .iter()
            .enumerate()
            .map(|(j, v)| v[0] + 0.01 * noise(j))
            .collect();
        let plain = correlation(&ranks(x.iter().map(|v| v[1])), &ranks(y.iter().copied()));
        assert!(plain > 0.95);
        let r = prcc(&x, &y, 0, 0);
        assert!(r[0].value > 0.9 && r[1].value.abs() < 0.1, "{r:?}");
    }

    #[test]
    fn prcc_is_undefined_for_a_factor_that_does_not_vary() {
        let x: Vec<Vec<f64>> = (0..20).map(|j| vec![j as f64, 1.0]).collect();
        let y: Vec<f64> = (0..20).map(|j| (j * j) as f64).collect();
        let r = prcc(&x, &y, 0, 0);
        assert!(r.iter().all(|e| e.value.is_nan()));
        // Ties share their average rank.
        assert_eq!(
            ranks([3.0, 1.0, 3.0, 2.0].into_iter()),
            [3.5, 1.0, 3.5, 2.0]
        );
    }
}
