//! The points of a design, as coordinates in the unit cube (one per factor); [`Factor::at`]
//! turns a coordinate into the factor's value. Every random choice is a pure function of the
//! sweep's seed, so the same file always gives the same points, on any machine.
//!
//! * grid: every combination, last factor fastest.
//! * lhs: McKay, Beckman & Conover (1979): each factor's range cut into n strata, one point in
//!   each, strata paired by independent random permutations.
//! * morris: Morris (1991) trajectories on a p-level grid with step p / (2 (p - 1)); each
//!   trajectory moves one factor at a time, in random order and direction.
//! * sobol: Saltelli et al. (2010): base matrices A and B (N rows) from one 2k-dimensional
//!   scrambled Halton sequence, then for each factor i the matrix AB_i (A with column i from B).
//!   Points are laid out per base row j as A_j, B_j, AB_1j, ..., AB_kj.
//!
//! [`Factor::at`]: super::spec::Factor::at

use sim_core::rng::{fmix64, to_unit};

use super::spec::{Design, Factor};

/// Purposes of the design's random draws (so that no two share numbers).
const LHS_PERMUTATION: u64 = 1;
const LHS_JITTER: u64 = 2;
const MORRIS: u64 = 3;
const HALTON: u64 = 4;

/// A uniform in [0, 1) keyed by (seed, purpose, a, b).
pub fn keyed_unit(seed: u64, purpose: u64, a: u64, b: u64) -> f64 {
    let h = fmix64(fmix64(fmix64(seed ^ 0x5157_4545_5053_0001) ^ purpose) ^ a);
    to_unit(fmix64(h ^ b.wrapping_mul(0x9e37_79b9_7f4a_7c15)))
}

/// A random permutation of 0..n keyed by (seed, purpose, which).
fn permutation(n: usize, seed: u64, purpose: u64, which: u64) -> Vec<usize> {
    let mut p: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = (keyed_unit(seed, purpose, which, i as u64) * (i + 1) as f64) as usize;
        p.swap(i, j.min(i));
    }
    p
}

/// The unit-cube coordinates of every point of `design` over `factors`.
pub fn points(design: &Design, factors: &[Factor], seed: u64) -> Vec<Vec<f64>> {
    let k = factors.len();
    match design {
        Design::Grid => grid(factors),
        Design::Lhs { samples } => latin_hypercube(*samples as usize, k, seed),
        Design::Morris {
            trajectories,
            levels,
        } => morris(*trajectories as usize, *levels, k, seed),
        Design::Sobol { base_samples } => saltelli(*base_samples as usize, k, seed),
    }
}

fn grid(factors: &[Factor]) -> Vec<Vec<f64>> {
    let counts: Vec<usize> = factors.iter().map(|f| f.grid_count() as usize).collect();
    let total: usize = counts.iter().product();
    (0..total)
        .map(|mut i| {
            let mut u = vec![0.0; counts.len()];
            for d in (0..counts.len()).rev() {
                let c = counts[d];
                let idx = i % c;
                i /= c;
                u[d] = if c > 1 {
                    idx as f64 / (c - 1) as f64
                } else {
                    0.0
                };
            }
            u
        })
        .collect()
}

/// Latin hypercube sample of `n` points in `k` dimensions.
pub fn latin_hypercube(n: usize, k: usize, seed: u64) -> Vec<Vec<f64>> {
    let perms: Vec<Vec<usize>> = (0..k)
        .map(|d| permutation(n, seed, LHS_PERMUTATION, d as u64))
        .collect();
    (0..n)
        .map(|i| {
            (0..k)
                .map(|d| {
                    let jitter = keyed_unit(seed, LHS_JITTER, d as u64, i as u64);
                    (perms[d][i] as f64 + jitter) / n as f64
                })
                .collect()
        })
        .collect()
}

/// Morris step on a `p`-level grid.
pub fn morris_delta(p: u32) -> f64 {
    f64::from(p) / (2.0 * f64::from(p - 1))
}

/// `r` Morris trajectories of `k + 1` points on a `p`-level grid.
pub fn morris(r: usize, p: u32, k: usize, seed: u64) -> Vec<Vec<f64>> {
    let delta = morris_delta(p);
    let step = 1.0 / f64::from(p - 1);
    // Starting levels from which a step of +delta stays on the grid: 0 .. p/2 - 1.
    let starts = (p / 2) as usize;
    let mut out = Vec::with_capacity(r * (k + 1));
    for t in 0..r {
        let t64 = t as u64;
        let mut x: Vec<f64> = (0..k)
            .map(|d| {
                let level = (keyed_unit(seed, MORRIS, t64, d as u64) * starts as f64) as usize;
                level.min(starts - 1) as f64 * step
            })
            .collect();
        let up: Vec<bool> = (0..k)
            .map(|d| keyed_unit(seed, MORRIS, t64, (k + d) as u64) < 0.5)
            .collect();
        // A factor that moves down starts one step higher, so every point stays in [0, 1].
        for d in 0..k {
            if !up[d] {
                x[d] += delta;
            }
        }
        out.push(x.clone());
        for &d in &permutation(k, seed, MORRIS, (1 << 40) + t64) {
            x[d] += if up[d] { delta } else { -delta };
            // Guard against rounding: coordinates are grid values.
            x[d] = (x[d] / step).round() * step;
            out.push(x.clone());
        }
    }
    out
}

/// Saltelli's layout: per base row j, A_j, B_j, then AB_ij for each factor i.
pub fn saltelli(n: usize, k: usize, seed: u64) -> Vec<Vec<f64>> {
    let halton = ScrambledHalton::new(2 * k, seed);
    let mut out = Vec::with_capacity(n * (k + 2));
    let mut row = vec![0.0; 2 * k];
    for j in 0..n {
        halton.point(j as u64 + 1, &mut row);
        let (a, b) = row.split_at(k);
        out.push(a.to_vec());
        out.push(b.to_vec());
        for i in 0..k {
            let mut ab = a.to_vec();
            ab[i] = b[i];
            out.push(ab);
        }
    }
    out
}

/// The first `n` primes.
fn primes(n: usize) -> Vec<u64> {
    let mut out = Vec::with_capacity(n);
    let mut c = 2u64;
    while out.len() < n {
        if out
            .iter()
            .take_while(|p| *p * *p <= c)
            .all(|p| !c.is_multiple_of(*p))
        {
            out.push(c);
        }
        c += 1;
    }
    out
}

/// A Halton sequence with random digit permutations (one per dimension and digit position),
/// which removes the correlations plain Halton shows between high dimensions and makes the
/// sequence a randomised quasi-Monte Carlo design (Mascagni & Chi 2004; Owen 2017).
pub struct ScrambledHalton {
    bases: Vec<u64>,
    /// perms[d][position][digit]
    perms: Vec<Vec<Vec<u16>>>,
}

impl ScrambledHalton {
    /// A `dims`-dimensional sequence scrambled by `seed`.
    pub fn new(dims: usize, seed: u64) -> Self {
        let bases = primes(dims);
        let perms = bases
            .iter()
            .enumerate()
            .map(|(d, &b)| {
                // Enough digits for 53 bits of precision.
                let digits = (53.0 / (b as f64).log2()).ceil() as usize;
                (0..digits)
                    .map(|pos| {
                        permutation(b as usize, seed, HALTON, ((d as u64) << 16) | pos as u64)
                            .into_iter()
                            .map(|x| x as u16)
                            .collect()
                    })
                    .collect()
            })
            .collect();
        ScrambledHalton { bases, perms }
    }

    /// Point `i` of the sequence into `out` (one coordinate per dimension).
    pub fn point(&self, i: u64, out: &mut [f64]) {
        for (d, o) in out.iter_mut().enumerate() {
            let b = self.bases[d];
            let inv = 1.0 / b as f64;
            let mut f = inv;
            let mut n = i;
            let mut x = 0.0;
            for perm in &self.perms[d] {
                x += f64::from(perm[(n % b) as usize]) * f;
                n /= b;
                f *= inv;
            }
            *o = x.min(1.0 - f64::EPSILON);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::spec::{Domain, Level};

    fn range(name: &str) -> Factor {
        Factor {
            name: name.into(),
            key: name.into(),
            domain: Domain::Range {
                min: 0.0,
                max: 1.0,
                log: false,
                steps: Some(3),
            },
        }
    }

    #[test]
    fn grid_enumerates_every_combination_once() {
        let f = vec![
            range("a"),
            Factor {
                name: "b".into(),
                key: "b".into(),
                domain: Domain::Levels(vec![Level::Text("x".into()), Level::Text("y".into())]),
            },
        ];
        let pts = grid(&f);
        assert_eq!(pts.len(), 6);
        let values: Vec<(String, String)> = pts
            .iter()
            .map(|u| (f[0].at(u[0]).cell(), f[1].at(u[1]).cell()))
            .collect();
        for a in ["0", "0.5", "1"] {
            for b in ["x", "y"] {
                let n = values.iter().filter(|v| v.0 == a && v.1 == b).count();
                assert_eq!(n, 1, "{a},{b} appears {n} times");
            }
        }
    }

    #[test]
    fn latin_hypercube_has_one_point_per_stratum() {
        let n = 50;
        let pts = latin_hypercube(n, 4, 9);
        for d in 0..4 {
            let mut strata: Vec<usize> = pts.iter().map(|p| (p[d] * n as f64) as usize).collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..n).collect::<Vec<_>>(), "dimension {d}");
        }
        assert_ne!(
            pts,
            latin_hypercube(n, 4, 10),
            "the seed changes the sample"
        );
    }

    #[test]
    fn morris_trajectories_move_one_factor_by_delta_within_the_cube() {
        let (r, p, k) = (20, 4, 5);
        let pts = morris(r, p, k, 3);
        assert_eq!(pts.len(), r * (k + 1));
        let delta = morris_delta(p);
        for t in 0..r {
            let traj = &pts[t * (k + 1)..(t + 1) * (k + 1)];
            let mut moved = vec![false; k];
            for w in traj.windows(2) {
                let changed: Vec<usize> = (0..k).filter(|&d| w[0][d] != w[1][d]).collect();
                assert_eq!(changed.len(), 1);
                let d = changed[0];
                assert!(((w[1][d] - w[0][d]).abs() - delta).abs() < 1e-12);
                assert!(!moved[d], "a factor moves once per trajectory");
                moved[d] = true;
            }
            for x in traj.iter().flatten() {
                assert!((0.0..=1.0).contains(x));
            }
        }
    }

    #[test]
    fn scrambled_halton_is_evenly_spread() {
        // Each coordinate of the first 1000 points fills 10 equal bins within a few points.
        let h = ScrambledHalton::new(12, 5);
        let mut bins = vec![[0usize; 10]; 12];
        let mut x = vec![0.0; 12];
        for i in 1..=1000 {
            h.point(i, &mut x);
            for d in 0..12 {
                bins[d][(x[d] * 10.0) as usize] += 1;
            }
        }
        for (d, b) in bins.iter().enumerate() {
            for &c in b {
                assert!((95..=105).contains(&c), "dimension {d}: bins {b:?}");
            }
        }
    }
}
