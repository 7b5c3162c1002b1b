// Clock source registration, selection by rating, and the clocksource= / runtime override.

#include "time_host_support.hpp"
#include <time/clocksource.hpp>
#include <time/timekeeping.hpp>

#include <gtest/gtest.h>
#include <string>
#include <vector>


namespace {

class ClocksourceTest : public ::testing::Test {
protected:
    void SetUp() override {
        ensure_time_core();
        ASSERT_TRUE(clocksource_override(nullptr));
        ASSERT_EQ(timekeeping_clocksource(), &clocksource_jiffies);
    }
    void TearDown() override {
        (void)clocksource_override(nullptr);
        for (FakeCounter* f : {&low, &mid, &high, &twin}) {
            if (f->cs.list.linked()) {
                EXPECT_TRUE(clocksource_unregister(f->cs));
            }
        }
        EXPECT_EQ(timekeeping_clocksource(), &clocksource_jiffies);
    }

    FakeCounter low{"fake_pm", 200, 24};
    FakeCounter mid{"fake_hpet", 250, 32};
    FakeCounter high{"fake_tsc", 300, 64};
    FakeCounter twin{"fake_twin", 250, 32};
};

TEST_F(ClocksourceTest, BestRatedIsUsed) {
    ASSERT_TRUE(clocksource_register_hz(low.cs, 3579545));
    EXPECT_EQ(timekeeping_clocksource(), &low.cs);
    ASSERT_TRUE(clocksource_register_hz(high.cs, 3000000000ull));
    EXPECT_EQ(timekeeping_clocksource(), &high.cs);
    ASSERT_TRUE(clocksource_register_hz(mid.cs, 100000000));
    EXPECT_EQ(timekeeping_clocksource(), &high.cs);  // a worse one does not take over

    // Removing the one in use falls back to the next best.
    ASSERT_TRUE(clocksource_unregister(high.cs));
    EXPECT_EQ(timekeeping_clocksource(), &mid.cs);
    ASSERT_TRUE(clocksource_unregister(mid.cs));
    EXPECT_EQ(timekeeping_clocksource(), &low.cs);
}

TEST_F(ClocksourceTest, ListIsSortedAndStableForEqualRatings) {
    ASSERT_TRUE(clocksource_register_hz(mid.cs, 100000000));
    ASSERT_TRUE(clocksource_register_hz(low.cs, 3579545));
    ASSERT_TRUE(clocksource_register_hz(twin.cs, 100000000));
    ASSERT_TRUE(clocksource_register_hz(high.cs, 3000000000ull));
    std::vector<std::string> names;
    clocksource_for_each([&](Clocksource& cs) { names.push_back(cs.name); });
    EXPECT_EQ(names, (std::vector<std::string>{"fake_tsc", "fake_hpet", "fake_twin", "fake_pm", "jiffies"}));
}

TEST_F(ClocksourceTest, RegistrationErrors) {
    ASSERT_TRUE(clocksource_register_hz(low.cs, 3579545));
    EXPECT_EQ(clocksource_register(low.cs).error(), Errno::EBUSY);
    EXPECT_EQ(clocksource_unregister(mid.cs).error(), Errno::ENOENT);
    EXPECT_EQ(clocksource_register_hz(mid.cs, 0).error(), Errno::EINVAL);
    // The last clock source cannot go: timekeeping would have nothing to run on.
    ASSERT_TRUE(clocksource_unregister(low.cs));
}

TEST_F(ClocksourceTest, RegisterHzFillsConversion) {
    ASSERT_TRUE(clocksource_register_hz(low.cs, 3579545));
    EXPECT_EQ(low.cs.freq_hz, 3579545u);
    // One second of PM timer ticks is one second, within the 24-bit range.
    EXPECT_NEAR(double(clocksource_cyc2ns(low.cs, 3579545)), 1e9, 1e3);
    EXPECT_EQ(low.cs.max_cycles, 0xffffffu);
    // Updates must come at least every half wrap: 2^24 / 3579545 Hz / 2 = 2.34 s.
    EXPECT_NEAR(double(low.cs.max_idle_ns), 2.343e9, 1e7);
}

TEST_F(ClocksourceTest, OverrideByName) {
    ASSERT_TRUE(clocksource_register_hz(low.cs, 3579545));
    ASSERT_TRUE(clocksource_register_hz(high.cs, 3000000000ull));
    ASSERT_TRUE(clocksource_override("fake_pm"));
    EXPECT_EQ(timekeeping_clocksource(), &low.cs);
    // The preference survives a better clock source arriving.
    ASSERT_TRUE(clocksource_register_hz(mid.cs, 100000000));
    EXPECT_EQ(timekeeping_clocksource(), &low.cs);
    // An unknown name is refused and changes nothing.
    EXPECT_EQ(clocksource_override("nonexistent").error(), Errno::ENODEV);
    EXPECT_EQ(timekeeping_clocksource(), &low.cs);
    // Unregistering the preferred one falls back to the best rated.
    ASSERT_TRUE(clocksource_unregister(low.cs));
    EXPECT_EQ(timekeeping_clocksource(), &high.cs);
    // Clearing the preference returns to the best rated.
    ASSERT_TRUE(clocksource_override("fake_hpet"));
    EXPECT_EQ(timekeeping_clocksource(), &mid.cs);
    ASSERT_TRUE(clocksource_override(""));
    EXPECT_EQ(timekeeping_clocksource(), &high.cs);
}

TEST_F(ClocksourceTest, CommandLineNamesALaterClocksource) {
    // clocksource=fake_pm is given before fake_pm exists (as on the command line).
    ASSERT_TRUE(clocksource_setup_param("fake_pm"));
    ASSERT_TRUE(clocksource_register_hz(high.cs, 3000000000ull));
    EXPECT_EQ(timekeeping_clocksource(), &high.cs);
    ASSERT_TRUE(clocksource_register_hz(low.cs, 3579545));
    EXPECT_EQ(timekeeping_clocksource(), &low.cs);
    char name[32];
    clocksource_get_override(name, sizeof(name));
    EXPECT_STREQ(name, "fake_pm");
    EXPECT_FALSE(clocksource_setup_param(nullptr));
    EXPECT_FALSE(clocksource_setup_param(""));
}

TEST_F(ClocksourceTest, FindByName) {
    ASSERT_TRUE(clocksource_register_hz(mid.cs, 100000000));
    EXPECT_EQ(clocksource_find("fake_hpet"), &mid.cs);
    EXPECT_EQ(clocksource_find("jiffies"), &clocksource_jiffies);
    EXPECT_EQ(clocksource_find("fake_tsc"), nullptr);
}

}  // namespace
