//! `exp(-x)` for the offending pass's per-type probabilities, inline and without a call into
//! libm.
//!
//! The pass turns hazards into probabilities, `1 - exp(-l)`, for each of the eight offence
//! types of the few persons with large hazards (their expected offences, exactly) and of the
//! candidates (which types they commit). With eight libm calls each, those 5% of persons took
//! 28 of the pass's 156 instructions per person-month (callgrind, 50,000 agents). This version
//! is a few dozen arithmetic instructions with no branch, which the compiler runs two lanes at
//! a time.
//!
//! Accuracy: within about 2e-16 relative of `exp(-x)` (checked against the standard library
//! in the tests), so `1 - exp_neg(l)` is within about 2e-16 absolute of `1 - exp(-l)`: far below
//! both the 2^-32 resolution of the uniforms it is compared with and the 2^-32 grid of the
//! fixed-point expected sums.

/// `ln 2` split in two, so that `k ln 2` is exact in its high part for the `k` that occur
/// (Cody and Waite's range reduction).
const LN2_HI: f64 = 0.693_147_180_369_123_8;
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;

/// Adding and subtracting `1.5 * 2^52` rounds a number below 2^51 in size to the nearest
/// integer, and leaves that integer in the low bits of the sum.
const ROUNDER: f64 = 6_755_399_441_055_744.0;

/// The largest argument: `exp(-708)` is still a normal number.
const MAX_ARGUMENT: f64 = 708.0;

/// `1/n!` for the Taylor series of `exp` on `|r| <= ln(2) / 2`; the first term left out,
/// `r^13 / 13!`, is below 1.7e-16.
const INVERSE_FACTORIALS: [f64; 13] = {
    let mut f = [1.0; 13];
    let mut n = 1;
    while n < 13 {
        f[n] = f[n - 1] / n as f64;
        n += 1;
    }
    f
};

/// `exp(-x)` for `x >= 0` (arguments above 708 give `exp(-708)`, about 3e-308; NaN is not
/// expected).
#[inline(always)]
pub(crate) fn exp_neg(x: f64) -> f64 {
    let x = x.min(MAX_ARGUMENT);
    // x = k ln 2 + r with integer k >= 0 and |r| <= ln(2) / 2, so exp(-x) = 2^-k exp(-r).
    let shifted = x * std::f64::consts::LOG2_E + ROUNDER;
    let k = shifted - ROUNDER;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    let y = -r;
    let mut p = INVERSE_FACTORIALS[12];
    for c in INVERSE_FACTORIALS[..12].iter().rev() {
        p = p * y + c;
    }
    // 2^-k from its exponent bits: k sits in the low bits of `shifted` (0 <= k <= 1022).
    let k_bits = shifted.to_bits().wrapping_sub(ROUNDER.to_bits());
    let scale = f64::from_bits(1023u64.wrapping_sub(k_bits) << 52);
    p * scale
}

/// `1 - exp(-x)` for `x >= 0`: the probability of at least one event at hazard `x`.
#[inline(always)]
pub(crate) fn chance(x: f64) -> f64 {
    1.0 - exp_neg(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The largest relative error against the standard library over `n` arguments spread
    /// evenly on [from, to).
    fn worst_relative_error(from: f64, to: f64, n: u32) -> f64 {
        (0..n)
            .map(|i| from + (to - from) * f64::from(i) / f64::from(n))
            .map(|x| ((exp_neg(x) - (-x).exp()) / (-x).exp()).abs())
            .fold(0.0, f64::max)
    }

    #[test]
    fn matches_the_standard_exponential_to_a_few_units_in_the_last_place() {
        // The hazards the pass meets are below a few; the reduction's range boundaries (odd
        // multiples of ln(2) / 2) and large arguments are covered too.
        for (from, to) in [
            (0.0, 1e-6),
            (0.0, 0.5),
            (0.3, 0.4),
            (0.0, 10.0),
            (10.0, 700.0),
        ] {
            let worst = worst_relative_error(from, to, 200_000);
            assert!(worst < 4e-16, "[{from}, {to}): relative error {worst:e}");
        }
        assert_eq!(exp_neg(0.0), 1.0);
    }

    #[test]
    fn chance_keeps_small_probabilities_to_far_below_the_uniforms_resolution() {
        // 1 - exp(-x) loses relative precision for tiny x, but what matters is absolute error
        // against a uniform of 2^-32 resolution and sums on a 2^-32 grid.
        for i in 0..100_000 {
            let x = f64::from(i) * 1e-7;
            let exact = -(-x).exp_m1();
            assert!((chance(x) - exact).abs() < 1e-15, "x = {x}");
        }
    }

    #[test]
    fn huge_arguments_stay_finite_and_tiny() {
        for x in [708.0, 709.0, 1e6, f64::INFINITY] {
            let e = exp_neg(x);
            assert!(e > 0.0 && e < 1e-307, "x = {x}: {e}");
        }
    }
}
