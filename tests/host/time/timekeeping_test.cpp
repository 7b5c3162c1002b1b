// Timekeeping arithmetic against a fake counter: wraps, accumulation, clock source switches, and the
// global clocks (monotonic, real time, udelay).

#include "time_host_support.hpp"
#include <time/clocksource_math.hpp>
#include <time/jiffies.hpp>
#include <time/timekeeper.hpp>
#include <time/timekeeping.hpp>

#include <gtest/gtest.h>

namespace {

class TimekeeperTest : public ::testing::Test {
protected:
    void SetUp() override {
        // Registration computes mult/shift; these fakes stay out of the global registry.
        set_rate(pm.cs, 3579545);
        set_rate(tsc.cs, 3000000000ull);
    }
    static void set_rate(Clocksource& cs, uint64_t hz) {
        uint64_t seconds = cs.mask / hz / 5;
        seconds = seconds < 1 ? 1 : seconds > 600 ? 600 : seconds;
        MultShift ms = clocks_calc_mult_shift(hz, uint32_t(NSEC_PER_SEC), uint32_t(seconds));
        cs.mult = ms.mult;
        cs.shift = ms.shift;
        cs.freq_hz = hz;
        cs.max_cycles = clocks_calc_max_cycles(cs.mult, cs.mask);
    }
    uint64_t read(FakeCounter& f) { return f.cs.read(&f.cs); }

    FakeCounter pm{"fake_pm", 200, 24};
    FakeCounter tsc{"fake_tsc", 300, 64};
    Timekeeper tk;
};

TEST_F(TimekeeperTest, CountsFromBase) {
    pm.value = 12345;
    tk.start(&pm.cs, read(pm), 7000);
    EXPECT_EQ(tk.ns_at(read(pm)), 7000u);
    pm.value += 3579545;  // one second
    EXPECT_NEAR(double(tk.ns_at(read(pm))), 7000 + 1e9, 1e3);
}

TEST_F(TimekeeperTest, WrapsAreHandledWhenAccumulatedInTime) {
    // Start just below the 24-bit wrap and advance 60 s in 4 ms ticks: the counter wraps 12 times.
    pm.value = 0xffff00;
    tk.start(&pm.cs, read(pm), 0);
    const uint64_t per_tick = 3579545 / 250;  // 14318 cycles
    uint64_t last_ns = 0;
    for (int i = 0; i < 250 * 60; i++) {
        pm.value += per_tick;
        uint64_t before = tk.ns_at(read(pm));
        tk.accumulate(read(pm));
        EXPECT_EQ(tk.ns_at(read(pm)), before) << "accumulating must not move time";
        EXPECT_GT(before, last_ns);
        last_ns = before;
    }
    double expected = double(per_tick) * 250 * 60 / 3579545 * 1e9;
    EXPECT_NEAR(double(tk.ns_at(read(pm))), expected, expected * 1e-6);
}

TEST_F(TimekeeperTest, ManySmallStepsEqualOneBigStep) {
    // The sub-ns remainder is carried, so rounding does not accumulate into drift.
    Timekeeper once;
    pm.value = 0;
    tk.start(&pm.cs, 0, 0);
    once.start(&pm.cs, 0, 0);
    for (int i = 0; i < 1000; i++) {
        pm.value += 7;  // 1.9 us each: every step has a fractional ns
        tk.accumulate(read(pm));
    }
    EXPECT_EQ(tk.ns_at(read(pm)), once.ns_at(read(pm)));
}

TEST_F(TimekeeperTest, TwoWrapsBetweenUpdatesLookLikeOne) {
    // The limit the tick exists for: a counter that wraps more than once between updates loses time.
    pm.value = 0;
    tk.start(&pm.cs, 0, 0);
    pm.value += (1u << 24) + 100;
    EXPECT_EQ(tk.accumulate(read(pm)), 100u);
    EXPECT_EQ(pm.cs.max_cycles, 0xffffffu);  // hence: update at least every max_cycles
}

TEST_F(TimekeeperTest, SwitchingClocksourcesIsMonotonic) {
    pm.value = 500;
    tsc.value = 123456789;
    tk.start(&pm.cs, read(pm), 1000000);
    pm.value += 357954;  // ~100 ms
    uint64_t before = tk.ns_at(read(pm));
    tk.change_clocksource(read(pm), &tsc.cs, read(tsc));
    EXPECT_EQ(tk.clocksource(), &tsc.cs);
    EXPECT_EQ(tk.ns_at(read(tsc)), before);
    tsc.value += 300000000;  // 100 ms at 3 GHz
    EXPECT_NEAR(double(tk.ns_at(read(tsc))), double(before) + 1e8, 10);
}

class GlobalClockTest : public ::testing::Test {
protected:
    void SetUp() override { ensure_time_core(); }
    void TearDown() override {
        if (counter.cs.list.linked()) {
            EXPECT_TRUE(clocksource_unregister(counter.cs));
        }
    }
    FakeCounter counter{"fake_global", 400, 32};
};

TEST_F(GlobalClockTest, MonotonicAcrossSwitchAndWrap) {
    uint64_t t0 = ktime_get_ns();
    counter.value = 0xffffff00u;  // about to wrap 32 bits
    ASSERT_TRUE(clocksource_register_hz(counter.cs, 1000000000));  // 1 GHz: 1 cycle = 1 ns
    EXPECT_EQ(timekeeping_clocksource(), &counter.cs);
    uint64_t t1 = ktime_get_ns();
    EXPECT_GE(t1, t0);
    counter.value += 0x200;  // across the wrap
    EXPECT_EQ(ktime_get_ns(), t1 + 0x200);
    update_wall_time();
    EXPECT_EQ(ktime_get_ns(), t1 + 0x200);
    counter.value += 1000;
    EXPECT_EQ(ktime_get_ns(), t1 + 0x200 + 1000);
    EXPECT_EQ(timekeeping_late_updates(), 0u);
}

TEST_F(GlobalClockTest, RealTimeFollowsMonotonic) {
    ASSERT_TRUE(clocksource_register_hz(counter.cs, 1000000000));
    do_settimeofday64({1795244400, 250000000});  // 2026-11-21T01:00:00.25Z
    Timespec64 ts = ktime_get_real_ts64();
    EXPECT_EQ(ts.tv_sec, 1795244400);
    EXPECT_EQ(ts.tv_nsec, 250000000);
    counter.value += 1800000000;  // 1.8 s
    ts = ktime_get_real_ts64();
    EXPECT_EQ(ts.tv_sec, 1795244402);
    EXPECT_EQ(ts.tv_nsec, 50000000);
    EXPECT_EQ(ktime_get_real_ns(), 1795244402050000000ll);
}

TEST_F(GlobalClockTest, UdelayWaitsOnTheCounterOrTheEarlyDelay) {
    // On jiffies (not continuous) udelay cannot use the clock: it falls back to the architecture.
    ASSERT_EQ(timekeeping_clocksource(), &clocksource_jiffies);
    uint64_t before = host_early_udelay_us;
    udelay(25);
    mdelay(2);
    EXPECT_EQ(host_early_udelay_us - before, 2025u);
}

TEST(JiffiesClocksource, OneJiffyIsOneTick) {
    EXPECT_EQ(clocksource_cyc2ns(clocksource_jiffies, 1), NSEC_PER_SEC / HZ);
    EXPECT_EQ(clocksource_cyc2ns(clocksource_jiffies, HZ), NSEC_PER_SEC);
    EXPECT_FALSE(clocksource_jiffies.flags & CLOCK_SOURCE_IS_CONTINUOUS);
}

TEST(JiffiesHelpers, TimeAfterHandlesWrap) {
    EXPECT_TRUE(time_after(10, 5));
    EXPECT_FALSE(time_after(5, 10));
    EXPECT_TRUE(time_after(2, UINT64_MAX - 2));  // 5 ticks after, across the wrap
    EXPECT_TRUE(time_before(UINT64_MAX, 0));
    EXPECT_TRUE(time_after_eq(7, 7));
    EXPECT_TRUE(time_before_eq(7, 7));
    EXPECT_EQ(msecs_to_jiffies(1000), HZ);
    EXPECT_EQ(msecs_to_jiffies(1), 1u);  // rounds up: never shorter than asked
    EXPECT_EQ(jiffies_to_msecs(HZ), 1000u);
}

}  // namespace
