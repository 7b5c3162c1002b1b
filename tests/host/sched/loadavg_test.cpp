// The load-average arithmetic (sched/loadavg.hpp) against Linux's published behaviour: fixed point with
// 11 fractional bits, exponential decay per 5-second sample, rounding up while rising.
#include <sched/loadavg.hpp>

#include <cmath>

#include <gtest/gtest.h>

namespace {

double as_double(unsigned long fixed) { return double(fixed) / double(FIXED_1); }

TEST(LoadAvg, ConstantsAreLinuxs) {
    // EXP_n = FIXED_1 / exp(5 s / n min), rounded.
    EXPECT_EQ(EXP_1, (unsigned long)std::lround(2048.0 / std::exp(5.0 / 60)));
    EXPECT_EQ(EXP_5, (unsigned long)std::lround(2048.0 / std::exp(5.0 / 300)));
    EXPECT_EQ(EXP_15, (unsigned long)std::lround(2048.0 / std::exp(5.0 / 900)));
}

TEST(LoadAvg, OneSampleOfOneTask) {
    // From 0 with one active task: FIXED_1 * (1 - EXP_1 / FIXED_1), rounded up because the load rises.
    EXPECT_EQ(calc_load(0, EXP_1, FIXED_1), FIXED_1 - EXP_1);  // 164/2048: 0.08
    // Falling from 1 with nothing active: rounded down.
    EXPECT_EQ(calc_load(FIXED_1, EXP_1, 0), EXP_1);
}

TEST(LoadAvg, ConvergesToTheActiveCount) {
    LoadAverages avg;
    // Two busy tasks for an hour of samples (720 x 5 s): every average reaches 2.00 exactly, because
    // rising values round up.
    for (int i = 0; i < 720; i++) avg.sample(2);
    EXPECT_EQ(avg.avenrun[0], 2 * FIXED_1);
    EXPECT_EQ(avg.avenrun[1], 2 * FIXED_1);
    EXPECT_NEAR(as_double(avg.avenrun[2]), 2.0, 0.05);
}

TEST(LoadAvg, OneMinuteAverageAfterOneMinuteOfLoad) {
    // The textbook property: after one minute (12 samples) of one task from idle, the 1-minute load is
    // about 1 - 1/e = 0.63, the 5-minute one about 1 - e^(-1/5) = 0.18.
    LoadAverages avg;
    for (int i = 0; i < 12; i++) avg.sample(1);
    EXPECT_NEAR(as_double(avg.avenrun[0]), 1 - std::exp(-1.0), 0.01);
    EXPECT_NEAR(as_double(avg.avenrun[1]), 1 - std::exp(-0.2), 0.01);
    EXPECT_NEAR(as_double(avg.avenrun[2]), 1 - std::exp(-1.0 / 15), 0.01);
}

TEST(LoadAvg, DecaysToZeroWhenIdle) {
    LoadAverages avg;
    for (int i = 0; i < 100; i++) avg.sample(3);
    unsigned long before = avg.avenrun[0];
    avg.sample(0);
    EXPECT_LT(avg.avenrun[0], before);
    for (int i = 0; i < 2000; i++) avg.sample(0);
    EXPECT_EQ(avg.avenrun[0], 0u);
    EXPECT_EQ(avg.avenrun[1], 0u);
    EXPECT_EQ(avg.avenrun[2], 0u);
}

TEST(LoadAvg, TwoDecimalFormatting) {
    // /proc/loadavg adds FIXED_1/200 (0.005) before splitting into integer and hundredths.
    unsigned long x = FIXED_1 + FIXED_1 / 2;  // 1.5
    EXPECT_EQ(load_int(x + FIXED_1 / 200), 1u);
    EXPECT_EQ(load_frac(x + FIXED_1 / 200), 50u);
    unsigned long y = 3 * FIXED_1 - 1;  // 2.9995...: rounds to 3.00
    EXPECT_EQ(load_int(y + FIXED_1 / 200), 3u);
    EXPECT_EQ(load_frac(y + FIXED_1 / 200), 0u);
}

}  // namespace
