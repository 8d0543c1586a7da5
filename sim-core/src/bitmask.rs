//! Flags of a block of 64 rows gathered into the bits of one word.
//!
//! The scans that look at everyone for the few persons due (the offending pass's visits, the
//! newly displaced) decide each row's flag without a branch and visit the set bits. Written one
//! bit at a time, each flag costs a variable shift and an or, which keeps the loop from being
//! vectorised; written as bytes, the flags of a block are computed by vector instructions and
//! gathered eight at a time by one multiply.

/// The 64 flags `flags` (each 0 or 1) as the bits of a word, flag `k` in bit `k`.
#[inline(always)]
pub(crate) fn bits_of(flags: &[u8; 64]) -> u64 {
    let mut mask = 0u64;
    for (q, eight) in flags.chunks_exact(8).enumerate() {
        let x = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
        // Byte k (0 or 1) times 2^(56 - 7k) lands in bit 56 + k; the sums never carry.
        mask |= (x.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * q);
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_flag_lands_in_its_own_bit_whatever_its_neighbours() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for case in 0..2_000 {
            // Single flags, full blocks and random patterns (xorshift).
            let want: u64 = match case {
                0 => 0,
                1 => u64::MAX,
                2..=65 => 1 << (case - 2),
                _ => {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state
                }
            };
            let flags: [u8; 64] = std::array::from_fn(|k| ((want >> k) & 1) as u8);
            assert_eq!(bits_of(&flags), want, "case {case}");
        }
    }
}
