//! Age curves of offending and victimisation: a rise-and-fall shape with a peak age and the age
//! above the peak at which the rate has halved (docs/model.md section 4.5).
//!
//! Below the peak `f(a) = (a / peak)^k * exp(k * (1 - a / peak))`, a steep adolescent rise;
//! above it `f(a) = 1 / (1 + ((a - peak) / (half - peak))^2)`, which halves at the half-peak age
//! and keeps the long right tail of the age-crime curve (arrest rates at 50-60 are still about a
//! tenth of the peak; Hirschi & Gottfredson 1983; Farrington 1986). `k` is set so the rise
//! mirrors the fall: the curve is at one half `half - peak` years before the peak too (or at the
//! youngest ages). Offending curves rise later and more steeply than they fall
//! ([`AgeCurve::offending`]): half the peak is reached only in mid-adolescence, so children of
//! 10-12 offend at a small fraction of the late-teen rate.

use crate::metrics::AGE_BINS;

/// A rise-and-fall age curve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AgeCurve {
    /// Age of the peak (years).
    pub peak: f64,
    /// Shape of the rise: larger is steeper.
    pub k: f64,
    /// Age at which the fall has reached one half.
    pub half: f64,
}

impl AgeCurve {
    /// The curve with its peak at `peak` that has fallen to half at `half` (> `peak`).
    pub fn new(peak: f64, half: f64) -> Self {
        let half = half.max(peak + 0.5);
        // Rise: f(peak - w) = 0.5 with w = half - peak (capped so the point stays positive).
        let rise_at = (peak - (half - peak)).max(0.4 * peak);
        let r = rise_at / peak;
        // k (ln r + 1 - r) = ln 0.5; ln r + 1 - r < 0 for r != 1.
        let k = 0.5f64.ln() / (r.ln() + 1.0 - r);
        AgeCurve { peak, k, half }
    }

    /// An offending curve: the fall of [`AgeCurve::new`], with the rise at one half at
    /// `rise_half` (kept between a year before the peak and the mirrored point).
    pub fn offending(peak: f64, half: f64, rise_half: f64) -> Self {
        let mirrored = AgeCurve::new(peak, half);
        let mirror_at = (peak - (mirrored.half - peak)).max(0.4 * peak);
        let at = rise_half.max(mirror_at).min(peak - 1.0);
        if at <= mirror_at || at <= 0.0 {
            return mirrored;
        }
        let r = at / peak;
        AgeCurve {
            k: 0.5f64.ln() / (r.ln() + 1.0 - r),
            ..mirrored
        }
    }

    /// Relative rate at exact age `a` (years), 1 at the peak.
    pub fn at(&self, a: f64) -> f64 {
        if a <= 0.0 {
            return 0.0;
        }
        if a <= self.peak {
            let x = a / self.peak;
            (self.k * (x.ln() + 1.0 - x)).exp()
        } else {
            let z = (a - self.peak) / (self.half - self.peak);
            1.0 / (1.0 + z * z)
        }
    }

    /// The curve by single year of age (mid-year), zero below `min_age`.
    pub fn table(&self, min_age: f64) -> [f64; AGE_BINS] {
        let mut t = [0.0; AGE_BINS];
        for (age, v) in t.iter_mut().enumerate() {
            let a = age as f64 + 0.5;
            *v = if a < min_age { 0.0 } else { self.at(a) };
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peaks_at_the_peak_and_halves_at_the_half_age() {
        let c = AgeCurve::new(21.0, 32.0);
        assert!((c.at(21.0) - 1.0).abs() < 1e-12);
        assert!((c.at(32.0) - 0.5).abs() < 1e-9);
        assert!(c.at(15.0) < 1.0 && c.at(27.0) < 1.0);
        assert!(c.at(60.0) < 0.1 && c.at(60.0) > 0.03, "{}", c.at(60.0));
        assert!((c.at(10.0) - 0.5).abs() < 1e-9, "the rise mirrors the fall");
        let t = c.table(10.0);
        assert_eq!(t[9], 0.0);
        assert!(t[10] > 0.0);
    }

    #[test]
    fn offending_rises_in_mid_adolescence_and_falls_as_before() {
        let mirrored = AgeCurve::new(21.0, 32.0);
        let c = AgeCurve::offending(21.0, 32.0, 15.0);
        assert!((c.at(15.0) - 0.5).abs() < 1e-9);
        assert!((c.at(21.0) - 1.0).abs() < 1e-12);
        assert_eq!(c.at(40.0), mirrored.at(40.0));
        // Children of 10-12 offend at a small fraction of the peak; 13-14 at about a third.
        let mean = |lo: u32, hi: u32| {
            (lo..=hi).map(|a| c.at(f64::from(a) + 0.5)).sum::<f64>() / f64::from(hi - lo + 1)
        };
        assert!(mean(10, 12) < 0.15, "{}", mean(10, 12));
        assert!((0.2..0.5).contains(&mean(13, 14)), "{}", mean(13, 14));
        // A type peaking at 17 still rises a year before its peak at most.
        let early = AgeCurve::offending(17.0, 27.0, 15.0);
        assert!((early.at(15.0) - 0.5).abs() < 1e-9);
        let late = AgeCurve::offending(16.0, 20.0, 15.0);
        assert!((late.at(15.0) - 0.5).abs() < 1e-9);
    }
}
