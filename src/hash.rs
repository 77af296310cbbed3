//! A small stable digest (FNV-1a, 64 bits) for content hashes and PDF ids:
//! the same bytes give the same value on every machine and run.

/// FNV-1a over `data`, starting from the offset basis xor `seed`.
pub fn fnv1a64(data: &[u8], seed: u64) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed;
    for &b in data {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
