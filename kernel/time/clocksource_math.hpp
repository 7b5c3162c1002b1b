#pragma once
// Fixed-point conversion between counter ticks and nanoseconds, without division on the read path.
//
// A rate `to / from` (for a clock source: NSEC_PER_SEC / counter Hz) is approximated by mult / 2^shift,
// so a conversion is one multiply and one shift:  out = (in * mult) >> shift.
//
// The larger shift is, the more precise mult is (its rounding error is at most 0.5 / mult relative), but
// the larger mult gets, and `in * mult` must still fit in 64 bits for the largest `in` the caller will
// ever convert. calc_mult_shift() therefore takes that largest input as a time span (`max_seconds` of a
// `from`-Hz counter) and picks the largest shift for which both hold:
//   - mult fits in 32 bits (mult is stored as uint32_t, as Linux does);
//   - max_seconds * from * mult < 2^64.
// This is the contract of Linux's clocks_calc_mult_shift(); the code is Tern's own.
#include <stdint.h>

constexpr uint64_t NSEC_PER_USEC = 1000;
constexpr uint64_t NSEC_PER_MSEC = 1000000;
constexpr uint64_t NSEC_PER_SEC = 1000000000;
constexpr uint64_t USEC_PER_SEC = 1000000;

struct MultShift {
    uint32_t mult;
    uint32_t shift;
};

// Number of significant bits of v (0 for 0).
constexpr unsigned bit_width_u64(uint64_t v) { return v ? 64u - unsigned(__builtin_clzll(v)) : 0u; }

// mult/shift approximating to/from, usable for inputs up to max_seconds * from. `from` and `to` must be
// non-zero; `to` is 32-bit (NSEC_PER_SEC, or a device frequency below 4.29 GHz) so that to << 32 fits. If even shift 0 cannot satisfy the bounds (an absurd max_seconds), shift 0 with the nearest
// mult is returned and the caller's range is simply smaller.
constexpr MultShift clocks_calc_mult_shift(uint64_t from, uint32_t to, uint32_t max_seconds) {
    // Bits the largest input needs; mult may use the remaining ones.
    uint64_t max_input = uint64_t(max_seconds) * from;
    unsigned input_bits = bit_width_u64(max_input);
    unsigned mult_bits = input_bits >= 64 ? 0 : 64 - input_bits;
    if (mult_bits > 32) mult_bits = 32;

    MultShift best{0, 0};
    for (unsigned shift = 32;; shift--) {
        // Rounded to nearest: (to << shift) / from. to < 2^32 and shift <= 32, so no overflow.
        uint64_t scaled = uint64_t(to) << shift;
        uint64_t mult = scaled / from + (scaled % from >= from - from / 2 ? 1 : 0);
        best = {uint32_t(mult), shift};
        if (bit_width_u64(mult) <= mult_bits || shift == 0) break;
    }
    return best;
}

// (cycles * mult) >> shift with a 128-bit intermediate, so it is exact for any cycles.
constexpr uint64_t mul_u64_u32_shr(uint64_t cycles, uint32_t mult, uint32_t shift) {
    return uint64_t((unsigned __int128)cycles * mult >> shift);
}

// The largest counter delta that converts with a 64-bit product (cycles * mult < 2^64) and that the
// counter can represent (mask). Timekeeping must accumulate at least this often.
constexpr uint64_t clocks_calc_max_cycles(uint32_t mult, uint64_t mask) {
    uint64_t by_product = mult ? UINT64_MAX / mult : UINT64_MAX;
    return by_product < mask ? by_product : mask;
}
