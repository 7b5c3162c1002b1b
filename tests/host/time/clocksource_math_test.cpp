// mult/shift selection and the accuracy of counter -> ns conversion.

#include <time/clocksource_math.hpp>

#include <gtest/gtest.h>
#include <cmath>

namespace {

// What the fixed-point rate stands for, as a real number.
double rate(MultShift ms) { return std::ldexp(double(ms.mult), -int(ms.shift)); }

struct Case {
    uint64_t hz;
    uint32_t max_seconds;
};

class MultShiftTest : public ::testing::TestWithParam<Case> {};

TEST_P(MultShiftTest, FitsAndIsPrecise) {
    auto [hz, max_seconds] = GetParam();
    MultShift ms = clocks_calc_mult_shift(hz, uint32_t(NSEC_PER_SEC), max_seconds);
    ASSERT_GT(ms.mult, 0u);
    ASSERT_LE(ms.shift, 32u);

    // The product for the largest input still fits in 64 bits...
    unsigned __int128 product = (unsigned __int128)(uint64_t(max_seconds) * hz) * ms.mult;
    EXPECT_LT(product, (unsigned __int128)1 << 64);
    // ...and the shift is the largest for which that holds (one more would overflow or not fit 32 bits).
    if (ms.shift < 32) {
        uint64_t bigger = ((uint64_t(NSEC_PER_SEC) << (ms.shift + 1)) + hz / 2) / hz;
        unsigned __int128 bigger_product = (unsigned __int128)(uint64_t(max_seconds) * hz) * bigger;
        EXPECT_TRUE(bigger > UINT32_MAX || bigger_product >= (unsigned __int128)1 << 64)
            << "shift " << ms.shift << " could have been " << ms.shift + 1;
    }

    // The rate is right to within the rounding of mult (0.5 / mult, relative).
    double exact = 1e9 / double(hz);
    EXPECT_NEAR(rate(ms), exact, exact * (0.5 / ms.mult + 1e-12));

    // Converting one second of counter ticks gives one second, to within that precision.
    uint64_t one_second = mul_u64_u32_shr(hz, ms.mult, ms.shift);
    EXPECT_NEAR(double(one_second), 1e9, 1e9 * (0.5 / ms.mult) + 1);
    // And the longest interval converts without overflow, exactly like the 128-bit reference.
    uint64_t max_cycles = uint64_t(max_seconds) * hz;
    uint64_t max_ns = (max_cycles * ms.mult) >> ms.shift;  // 64-bit product: must not have wrapped
    EXPECT_EQ(max_ns, mul_u64_u32_shr(max_cycles, ms.mult, ms.shift));
    EXPECT_NEAR(double(max_ns), max_seconds * 1e9, max_seconds * 1e9 * (0.5 / ms.mult) + 1);
}

INSTANTIATE_TEST_SUITE_P(Counters, MultShiftTest,
                         ::testing::Values(Case{2999999000, 600},   // TSC at 3 GHz
                                           Case{5200000000, 600},   // TSC above 2^32 Hz
                                           Case{100000000, 42},     // HPET in QEMU (10 ns period)
                                           Case{14318180, 59},      // HPET on older chipsets
                                           Case{3579545, 1},        // ACPI PM timer, 24 bits
                                           Case{3579545, 239},      // ACPI PM timer, 32 bits
                                           Case{1193182, 600},      // PIT
                                           Case{32768, 600}));      // a 32 kHz RTC-like counter

TEST(MultShift, TscRegistrationValues) {
    // A 3 GHz TSC with a 600 s range: 600 * 3e9 needs 41 bits, leaving 23 for mult.
    MultShift ms = clocks_calc_mult_shift(3000000000ull, uint32_t(NSEC_PER_SEC), 600);
    EXPECT_EQ(ms.shift, 24u);
    EXPECT_EQ(ms.mult, 5592405u);  // round(2^24 / 3)
}

TEST(MultShift, NsToDeviceCycles) {
    // Clock event direction: ns -> cycles of a 62.5 MHz LAPIC timer, for delays up to 68 s.
    MultShift ms = clocks_calc_mult_shift(NSEC_PER_SEC, 62500000, 68);
    EXPECT_EQ(mul_u64_u32_shr(4000000, ms.mult, ms.shift), 250000u);  // 4 ms
    EXPECT_NEAR(double(mul_u64_u32_shr(68 * NSEC_PER_SEC, ms.mult, ms.shift)), 68 * 62.5e6, 1.0);
}

TEST(MultShift, MaxCycles) {
    EXPECT_EQ(clocks_calc_max_cycles(1000, 0xffffff), 0xffffffu);              // the mask limits
    EXPECT_EQ(clocks_calc_max_cycles(0x80000000u, ~0ull), UINT64_MAX / 0x80000000u);  // the product
}

TEST(MultShift, BitWidth) {
    EXPECT_EQ(bit_width_u64(0), 0u);
    EXPECT_EQ(bit_width_u64(1), 1u);
    EXPECT_EQ(bit_width_u64(0xffffff), 24u);
    EXPECT_EQ(bit_width_u64(~0ull), 64u);
}

}  // namespace
