//! Summaries across replications, answering two different questions:
//! - *is there an effect, and how large?*: the mean (of a level or of paired differences) with a
//!   90% confidence interval (Student t with n - 1 degrees of freedom);
//! - *what could one future look like?*: quantiles of the single replications (the band of
//!   simulated futures).
//!
//! The first shrinks with more replications, the second does not; every table names which it
//! gives. With common random numbers the paired differences between an arm and its baseline
//! vary far less than either arm, so their confidence interval is narrow.

/// Quantile levels of the single-run band: 5%, 25%, 50%, 75%, 95%.
pub const BANDS: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Fewest replications for an interval or a probability to be shown (fewer give intervals that
/// are either missing or meaninglessly wide).
pub const MIN_REPLICATIONS: usize = 5;

/// A summary of one quantity over replications (NaN values are left out).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    /// Replications with a value.
    pub n: usize,
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation (NaN with one value).
    pub sd: f64,
    /// 90% confidence interval of the mean (NaN with one value).
    pub ci90: (f64, f64),
    /// Single-run quantiles at [`BANDS`].
    pub bands: [f64; 5],
}

impl Summary {
    /// Half the width of the 90% confidence interval of the mean.
    pub fn half_width(&self) -> f64 {
        0.5 * (self.ci90.1 - self.ci90.0)
    }

    /// Whether the 90% confidence interval of the mean excludes `x` (false when unknown).
    pub fn excludes(&self, x: f64) -> bool {
        self.ci90.0 > x || self.ci90.1 < x
    }
}

/// Summarises `values`.
pub fn summarise(values: &[f64]) -> Summary {
    let v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    let n = v.len();
    if n == 0 {
        return Summary {
            n,
            mean: f64::NAN,
            sd: f64::NAN,
            ci90: (f64::NAN, f64::NAN),
            bands: [f64::NAN; 5],
        };
    }
    let mean = v.iter().sum::<f64>() / n as f64;
    let sd = if n > 1 {
        (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
    } else {
        f64::NAN
    };
    let half = if n > 1 {
        t_quantile_95(n - 1) * sd / (n as f64).sqrt()
    } else {
        f64::NAN
    };
    Summary {
        n,
        mean,
        sd,
        ci90: (mean - half, mean + half),
        bands: BANDS.map(|q| quantile(&v, q)),
    }
}

/// The `q`-quantile (0-1) of `values` by linear interpolation; NaN values are ignored.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let pos = q * (v.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
}

/// The 0.95 quantile of Student's t with `df` degrees of freedom (the multiplier of a two-sided
/// 90% interval). Exact table values for 1-30 (to 4 decimals); above, the Cornish-Fisher
/// expansion around the normal quantile, accurate to better than 1e-4 there.
pub(crate) fn t_quantile_95(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        6.3138, 2.9200, 2.3534, 2.1318, 2.0150, 1.9432, 1.8946, 1.8595, 1.8331, 1.8125, 1.7959,
        1.7823, 1.7709, 1.7613, 1.7531, 1.7459, 1.7396, 1.7341, 1.7291, 1.7247, 1.7207, 1.7171,
        1.7139, 1.7109, 1.7081, 1.7056, 1.7033, 1.7011, 1.6991, 1.6973,
    ];
    match df {
        0 => f64::NAN,
        1..=30 => TABLE[df - 1],
        _ => {
            let z: f64 = 1.644_853_626_951_472_2;
            let v = df as f64;
            let (z3, z5, z7) = (z.powi(3), z.powi(5), z.powi(7));
            z + (z3 + z) / (4.0 * v)
                + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * v * v)
                + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * v * v * v)
        }
    }
}

/// A ratio of two paired means (a cost over what it averts) with its 90% confidence interval
/// by Fieller's theorem: the set of ratios `r` for which `mean(num) - r * mean(den)` is not
/// distinguishable from zero. `None` with fewer than two pairs or when the interval of
/// `mean(den)` includes zero (the ratio is then not estimable: its interval is unbounded).
pub fn ratio_ci90(num: &[f64], den: &[f64]) -> Option<(f64, f64, f64)> {
    let pairs: Vec<(f64, f64)> = num
        .iter()
        .zip(den)
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .map(|(x, y)| (*x, *y))
        .collect();
    let n = pairs.len();
    if n < 2 {
        return None;
    }
    let nf = n as f64;
    let (mx, my) = (
        pairs.iter().map(|p| p.0).sum::<f64>() / nf,
        pairs.iter().map(|p| p.1).sum::<f64>() / nf,
    );
    let cov = |f: &dyn Fn(&(f64, f64)) -> f64| pairs.iter().map(f).sum::<f64>() / (nf - 1.0) / nf;
    let vxx = cov(&|p| (p.0 - mx).powi(2));
    let vyy = cov(&|p| (p.1 - my).powi(2));
    let vxy = cov(&|p| (p.0 - mx) * (p.1 - my));
    let t2 = t_quantile_95(n - 1).powi(2);
    // (my^2 - t2 vyy) r^2 - 2 (mx my - t2 vxy) r + (mx^2 - t2 vxx) = 0.
    let a = my * my - t2 * vyy;
    if a <= 0.0 || my == 0.0 {
        return None;
    }
    let b = mx * my - t2 * vxy;
    let c = mx * mx - t2 * vxx;
    let disc = (b * b - a * c).max(0.0).sqrt();
    Some((mx / my, (b - disc) / a, (b + disc) / a))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fieller's interval contains the ratio of means, is exact when the pairs are
    /// proportional, and is refused when the denominator's interval includes zero.
    #[test]
    fn a_ratio_interval_follows_fieller() {
        let den = [10.0, 12.0, 9.0, 11.0, 13.0];
        let num: Vec<f64> = den.iter().map(|d| 5.0 * d).collect();
        let (r, lo, hi) = ratio_ci90(&num, &den).unwrap();
        assert!((r - 5.0).abs() < 1e-12 && (lo - 5.0).abs() < 1e-9 && (hi - 5.0).abs() < 1e-9);
        let noisy = [48.0, 66.0, 41.0, 57.0, 62.0];
        let (r, lo, hi) = ratio_ci90(&noisy, &den).unwrap();
        assert!(lo < r && r < hi, "{lo} {r} {hi}");
        // A denominator not distinguishable from zero: not estimable.
        assert!(ratio_ci90(&noisy, &[1.0, -2.0, 3.0, -1.0, 0.5]).is_none());
        assert!(ratio_ci90(&[1.0], &[1.0]).is_none(), "one pair");
    }

    #[test]
    fn t_quantiles_join_the_table_and_tend_to_the_normal() {
        assert_eq!(t_quantile_95(4), 2.1318);
        // Tabulated values: 1.6839 at 40, 1.6706 at 60, 1.6577 at 120 degrees of freedom.
        assert!((t_quantile_95(40) - 1.6839).abs() < 2e-4);
        assert!((t_quantile_95(60) - 1.6706).abs() < 2e-4);
        assert!((t_quantile_95(120) - 1.6577).abs() < 2e-4);
        assert!((t_quantile_95(31) - 1.6955).abs() < 2e-4);
        assert!((t_quantile_95(100_000) - 1.6449).abs() < 1e-4);
    }

    #[test]
    fn the_interval_of_the_mean_shrinks_with_replications_and_the_band_does_not() {
        // A fixed spread of values, repeated: more replications, same single-run band.
        let base = [9.0, 10.0, 11.0, 10.5, 9.5];
        let few = summarise(&base);
        let many: Vec<f64> = base.iter().cycle().take(100).copied().collect();
        let many = summarise(&many);
        assert!((few.mean - 10.0).abs() < 1e-12 && (many.mean - 10.0).abs() < 1e-12);
        assert!(many.half_width() < few.half_width() / 3.0);
        assert!((many.bands[0] - few.bands[0]).abs() < 0.2);
        // With n = 5 and sd = 0.79: 2.1318 * 0.79 / sqrt(5) = 0.754.
        assert!((few.half_width() - 2.1318 * few.sd / 5f64.sqrt()).abs() < 1e-12);
        assert!(few.excludes(8.0) && !few.excludes(10.2));
    }

    #[test]
    fn one_value_has_no_interval_and_nan_is_ignored() {
        let s = summarise(&[3.0, f64::NAN]);
        assert_eq!(s.n, 1);
        assert_eq!(s.mean, 3.0);
        assert!(s.ci90.0.is_nan() && !s.excludes(0.0));
        assert!(summarise(&[]).mean.is_nan());
        assert_eq!(quantile(&[3.0, 1.0, f64::NAN, 2.0, 4.0], 0.5), 2.5);
    }
}
