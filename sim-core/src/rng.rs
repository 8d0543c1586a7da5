//! Counter-based random streams: every draw is a pure function of (seed, stream, key, month, index).
//!
//! **Architecture Invariant:** no draw depends on iteration order, thread count or timing. A
//! system computes its month key once ([`MonthKey::new`]) outside the per-person loop and then
//! asks for `key.uniform(person_id, index)`. Adding a draw to one stream never shifts the draws of
//! another, so intervention arms share climate shocks and baseline draws (common random numbers).
//!
//! A draw is SplitMix64 evaluated at a counter: the month key plus the packed
//! `(subject, index)` counter times the golden-ratio increment, through the SplitMix64 output
//! mixer. SplitMix64 over sequential counters passes BigCrush (Steele, Lea & Flood 2014), and the
//! month key itself is a double `fmix64` of (seed, stream, month), so keys of neighbouring months
//! or streams are unrelated. One draw costs about 1 ns.

use std::convert::Infallible;

use rand::TryRng;

/// Named random streams. Each behaviour draws from its own stream so that changing one behaviour
/// (or switching an intervention on) cannot shift the random numbers of another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u64)]
pub enum Stream {
    /// Building the synthetic population (ages, sexes, regions, propensities).
    Population = 1,
    /// Deaths and births.
    Demography = 2,
    /// International migration (counts and immigrant ages).
    Migration = 3,
    /// Life-stage changes of employment (at 15, 18, 25 and retirement). The monthly flip
    /// between work and unemployment uses the high half of the offending pass's person draw
    /// (`Offending`): one hash for both in the pass that does both.
    Economy = 4,
    /// Enrolment of people in intervention programmes.
    Interventions = 5,
    /// Offending (the low half of each person's monthly draw; the high half is the employment
    /// flip), and the types of the rare offenders.
    Offending = 6,
    /// Choice of victims.
    Victimisation = 7,
    /// Reporting to the police.
    Reporting = 8,
    /// Clearance and proactive detection.
    Policing = 9,
    /// Charging, pre-trial detention and verdicts.
    Courts = 10,
    /// Custodial choice and sentence lengths.
    Sentencing = 11,
    /// In-custody events, transfers, parole.
    Prisons = 12,
    /// Post-release events.
    Reintegration = 13,
    /// Hazard events and temperature: keyed by region and hazard only, shared by every arm.
    Climate = 14,
    /// Who is displaced, where they go, when they return.
    Displacement = 15,
    /// Who is arrested for an offence committed long ago (historic prosecutions).
    HistoricArrests = 16,
    /// Who the crime victimisation survey selects, who responds, and their recall.
    Survey = 17,
}

/// `fmix64` from MurmurHash3: a bijective avalanche mixer on 64 bits.
#[inline(always)]
pub fn fmix64(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^= x >> 33;
    x
}

/// The SplitMix64 increment (odd, 2^64 / golden ratio).
const GOLDEN_GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

/// The SplitMix64 output mixer (Stafford's variant 13).
#[inline(always)]
fn splitmix64_mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The key of one stream in one month of one run: computed once per system call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthKey(u64);

impl MonthKey {
    /// Key for `stream` in simulation month `month` (0-based) of a run seeded with `seed`.
    #[inline]
    pub fn new(seed: u64, stream: Stream, month: u32) -> Self {
        let a = fmix64(seed ^ 0x9e37_79b9_7f4a_7c15);
        let b = fmix64(a ^ ((stream as u64) << 40) ^ u64::from(month));
        MonthKey(b)
    }

    /// 64 random bits for `(subject, index)`; `subject` is a person id, a region, an event number.
    #[inline(always)]
    pub fn bits(self, subject: u32, index: u32) -> u64 {
        let counter = (u64::from(subject) << 32) | u64::from(index);
        splitmix64_mix(self.0.wrapping_add(counter.wrapping_mul(GOLDEN_GAMMA)))
    }

    /// A uniform draw in [0, 1) with 53 bits of precision.
    #[inline(always)]
    pub fn uniform(self, subject: u32, index: u32) -> f64 {
        to_unit(self.bits(subject, index))
    }

    /// A generator for `(subject, index)`, for the rare draws that need a distribution from
    /// `rand_distr` (log-normal sentence lengths, Poisson counts). Its sequence is fixed by the key.
    #[inline]
    pub fn rng(self, subject: u32, index: u32) -> KeyedRng {
        KeyedRng {
            state: self.bits(subject, index),
            counter: 0,
        }
    }
}

/// Converts 64 random bits to a uniform in [0, 1).
#[inline(always)]
pub fn to_unit(bits: u64) -> f64 {
    // Through i64: the value fits in 53 bits, and signed conversion is one instruction on x86-64
    // where the unsigned one is a slow sequence.
    ((bits >> 11) as i64) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// The threshold on a draw's top 53 bits that decides `to_unit(bits) < p`: `to_unit` scales
/// them by 2^-53 exactly, so the comparison is `bits >> 11 < p * 2^53`, and for an integer
/// that is `< ceil(p * 2^53)` (0 when `p` is not above 0).
#[inline]
pub(crate) fn draw_threshold(p: f64) -> u64 {
    (p * 9_007_199_254_740_992.0).ceil() as u64
}

/// 32 random bits (one half of [`halves`]), or a [`threshold`], as a number in [0, 1)
/// (exact: the divisor is a power of two).
#[inline(always)]
pub fn unit32(bits: u32) -> f64 {
    f64::from(bits) * (1.0 / 4_294_967_296.0)
}

/// Splits 64 random bits into two independent 32-bit uniforms, compared against `u32` thresholds
/// built by [`threshold`]. Hot loops use this to get two decisions out of one hash.
#[inline(always)]
pub fn halves(bits: u64) -> (u32, u32) {
    (bits as u32, (bits >> 32) as u32)
}

/// The `u32` threshold `t` such that `u < t` has probability `p` for a uniform 32-bit `u`
/// (`p` is clamped to [0, 1]; resolution 2^-32).
#[inline]
pub fn threshold(p: f64) -> u32 {
    if p <= 0.0 {
        0
    } else if p >= 1.0 {
        u32::MAX
    } else {
        (p * 4_294_967_296.0) as u32
    }
}

/// A small counter-based generator implementing `rand`'s traits: draw `k` is `fmix64` of the
/// state and `k`, so a sequence depends only on the key it was made from.
#[derive(Debug)]
pub struct KeyedRng {
    state: u64,
    counter: u64,
}

impl TryRng for KeyedRng {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.try_next_u64()? >> 32) as u32)
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.counter += 1;
        Ok(fmix64(
            self.state ^ self.counter.wrapping_mul(0x9e37_79b9_7f4a_7c15),
        ))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

/// Standard normal draw from two uniforms (Box-Muller), for hot paths that must not allocate.
#[inline]
pub fn standard_normal(u1: f64, u2: f64) -> f64 {
    let u1 = u1.max(f64::MIN_POSITIVE);
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// A Poisson draw by inversion for small means (< 30) and a normal approximation above.
/// Used for aggregate counts (immigrants in a month) keyed by region.
pub fn poisson(mean: f64, key: MonthKey, subject: u32) -> u64 {
    if mean <= 0.0 {
        return 0;
    }
    if mean < 30.0 {
        let mut k = 0u64;
        let mut p = (-mean).exp();
        let mut cdf = p;
        let u = key.uniform(subject, 0);
        while u > cdf && k < 1000 {
            k += 1;
            p *= mean / k as f64;
            cdf += p;
        }
        k
    } else {
        let z = standard_normal(key.uniform(subject, 0), key.uniform(subject, 1));
        (mean + z * mean.sqrt()).round().max(0.0) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn same_inputs_give_same_draws_and_streams_differ() {
        let a = MonthKey::new(42, Stream::Offending, 7);
        let b = MonthKey::new(42, Stream::Offending, 7);
        let c = MonthKey::new(42, Stream::Victimisation, 7);
        let d = MonthKey::new(43, Stream::Offending, 7);
        assert_eq!(a.bits(5, 0), b.bits(5, 0));
        assert_ne!(a.bits(5, 0), c.bits(5, 0));
        assert_ne!(a.bits(5, 0), d.bits(5, 0));
        assert_ne!(a.bits(5, 0), a.bits(6, 0));
        assert_ne!(a.bits(5, 0), a.bits(5, 1));
    }

    #[test]
    fn uniforms_have_the_moments_of_a_uniform() {
        let key = MonthKey::new(1, Stream::Demography, 3);
        let n = 200_000u32;
        let (mut s, mut s2) = (0.0, 0.0);
        for i in 0..n {
            let u = key.uniform(i, 0);
            assert!((0.0..1.0).contains(&u));
            s += u;
            s2 += u * u;
        }
        let mean = s / f64::from(n);
        let var = s2 / f64::from(n) - mean * mean;
        // Standard error of the mean is 0.29/sqrt(n) = 6.5e-4: 5 s.e. bounds.
        assert!((mean - 0.5).abs() < 0.0033, "mean {mean}");
        assert!((var - 1.0 / 12.0).abs() < 0.002, "var {var}");
    }

    #[test]
    fn neighbouring_ids_are_uncorrelated() {
        // Lag-1 correlation over consecutive person ids must be near zero for a counter hash.
        let key = MonthKey::new(9, Stream::Offending, 0);
        let n = 100_000u32;
        let xs: Vec<f64> = (0..n).map(|i| key.uniform(i, 0) - 0.5).collect();
        let c: f64 = xs.windows(2).map(|w| w[0] * w[1]).sum::<f64>() / f64::from(n);
        assert!(c.abs() < 0.0015, "lag-1 covariance {c}");
    }

    #[test]
    fn threshold_matches_probability() {
        let key = MonthKey::new(3, Stream::Demography, 1);
        let t = threshold(0.01);
        let hits = (0..1_000_000u32)
            .filter(|&i| halves(key.bits(i, 0)).0 < t)
            .count();
        // Binomial(1e6, 0.01): sd about 99.5.
        assert!((hits as i64 - 10_000).abs() < 500, "hits {hits}");
        assert_eq!(threshold(0.0), 0);
        assert_eq!(threshold(1.0), u32::MAX);
    }

    #[test]
    fn keyed_rng_is_reproducible() {
        let key = MonthKey::new(5, Stream::Sentencing, 2);
        let mut r1 = key.rng(10, 0);
        let mut r2 = key.rng(10, 0);
        let a: Vec<u64> = (0..5).map(|_| r1.next_u64()).collect();
        let b: Vec<u64> = (0..5).map(|_| r2.next_u64()).collect();
        assert_eq!(a, b);
        assert_ne!(a[0], a[1]);
    }

    #[test]
    fn poisson_mean_matches() {
        let mut total = 0u64;
        for m in 0..20_000u32 {
            total += poisson(3.5, MonthKey::new(11, Stream::Migration, m), 0);
        }
        let mean = total as f64 / 20_000.0;
        // sd of the mean = sqrt(3.5/20000) = 0.013.
        assert!((mean - 3.5).abs() < 0.07, "mean {mean}");
    }

    #[test]
    fn the_threshold_decides_as_the_uniform_does() {
        // A decision `to_unit(bits) < p` taken by comparing the top 53 bits with
        // `draw_threshold(p)` (the displacement scan's). Both must agree for every draw, at
        // the edges above all: draws whose uniform equals p, one step either side of it, and
        // p of 0, 1 and beyond.
        let key = MonthKey::new(3, Stream::Displacement, 7);
        let mut ps: Vec<f64> = vec![0.0, -0.5, 1.0, 1.5, f64::NAN, 0.95, 1e-300, 0.5];
        ps.extend((0..2_000u32).map(|i| key.uniform(i, 1) * 0.2));
        let mut edges = 0;
        for (n, &p) in ps.iter().enumerate() {
            let t = draw_threshold(p);
            // Random draws, and the draws whose top bits sit at and beside the threshold.
            let random = (0..200u32).map(|i| key.bits(n as u32, i + 10));
            let near = [t.wrapping_sub(1), t, t + 1].map(|x| (x.min((1 << 53) - 1)) << 11);
            for bits in random.chain(near) {
                assert_eq!(
                    (bits >> 11) < t,
                    to_unit(bits) < p,
                    "p = {p:e}, bits = {bits:x}"
                );
            }
            edges += near.iter().filter(|b| to_unit(**b) == p).count();
        }
        // The grid of uniforms holds some of the p drawn from it: the equal case was met.
        assert!(edges > 0);
    }
}
