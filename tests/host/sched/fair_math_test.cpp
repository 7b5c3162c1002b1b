// The CFS arithmetic of sched/fair_math.hpp, checked against values computed from Linux's weight table.
#include <sched/fair_math.hpp>

#include <gtest/gtest.h>

namespace {

constexpr uint64_t kMs = 1'000'000;

TEST(FairMath, WeightTableFacts) {
    EXPECT_EQ(nice_to_load(0).weight, 1024u);
    EXPECT_EQ(nice_to_load(5).weight, 335u);
    EXPECT_EQ(nice_to_load(-20).weight, 88761u);
    EXPECT_EQ(nice_to_load(19).weight, 15u);
    EXPECT_EQ(nice_to_load(0).inv_weight, 4194304u);  // 2^32 / 1024
    // Every inverse is within one of 2^32 / weight.
    for (int nice = MIN_NICE; nice <= MAX_NICE; nice++) {
        LoadWeight lw = nice_to_load(nice);
        double exact = 4294967296.0 / double(lw.weight);
        EXPECT_NEAR(double(lw.inv_weight), exact, 1.0) << "nice " << nice;
    }
}

TEST(FairMath, CalcDeltaFairNiceZeroIsWallTime) {
    EXPECT_EQ(cfs::calc_delta_fair(kMs, nice_to_load(0)), kMs);
    EXPECT_EQ(cfs::calc_delta_fair(123456789, nice_to_load(0)), 123456789u);
}

TEST(FairMath, CalcDeltaFairExactValuesFromTheTable) {
    // delta * 1024 * wmult >> 32, with the table's wmult.
    EXPECT_EQ(cfs::calc_delta_fair(kMs, nice_to_load(5)), 3056716u);    // 1024/335 = 3.0567 ms
    EXPECT_EQ(cfs::calc_delta_fair(kMs, nice_to_load(3)), 1946768u);    // 1024/526
    EXPECT_EQ(cfs::calc_delta_fair(kMs, nice_to_load(-5)), 328099u);    // 1024/3121
    EXPECT_EQ(cfs::calc_delta_fair(4 * kMs, LoadWeight{WEIGHT_IDLEPRIO, WMULT_IDLEPRIO}), 1365333333u);
}

TEST(FairMath, CalcDeltaFairMatchesDivisionForEveryNice) {
    for (int nice = MIN_NICE; nice <= MAX_NICE; nice++) {
        LoadWeight lw = nice_to_load(nice);
        for (uint64_t delta : {uint64_t(1000), 4 * kMs, 1000 * kMs, uint64_t(3600) * 1000 * kMs}) {
            double ideal = double(delta) * NICE_0_LOAD / double(lw.weight);
            double got = double(cfs::calc_delta_fair(delta, lw));
            EXPECT_NEAR(got, ideal, ideal * 1e-6 + 1) << "nice " << nice << " delta " << delta;
        }
    }
}

TEST(FairMath, HeavierRunsSlowerInVirtualTime) {
    uint64_t prev = 0;
    for (int nice = MIN_NICE; nice <= MAX_NICE; nice++) {
        uint64_t v = cfs::calc_delta_fair(10 * kMs, nice_to_load(nice));
        EXPECT_GT(v, prev) << "nice " << nice;
        prev = v;
    }
}

TEST(FairMath, SchedPeriodStretchesPastEightTasks) {
    EXPECT_EQ(cfs::sched_period(1), 6 * kMs);
    EXPECT_EQ(cfs::sched_period(8), 6 * kMs);
    EXPECT_EQ(cfs::sched_period(9), 9 * 750'000u);
    EXPECT_EQ(cfs::sched_period(100), 75 * kMs);
}

TEST(FairMath, SliceIsProportionalToWeight) {
    uint64_t total = 1024 + 335;
    EXPECT_EQ(cfs::sched_slice(6 * kMs, 1024, total), 6 * kMs * 1024 / total);  // 4.52 ms
    EXPECT_EQ(cfs::sched_slice(6 * kMs, 335, total), 6 * kMs * 335 / total);    // 1.48 ms
    EXPECT_EQ(cfs::sched_slice(6 * kMs, 1024, 1024), 6 * kMs);
}

TEST(FairMath, VruntimeComparisonsSurviveWrapAround) {
    uint64_t near_wrap = ~uint64_t(0) - 10;
    uint64_t after_wrap = 5;  // 16 ns later
    EXPECT_TRUE(cfs::vruntime_before(near_wrap, after_wrap));
    EXPECT_FALSE(cfs::vruntime_before(after_wrap, near_wrap));
    EXPECT_EQ(cfs::max_vruntime(near_wrap, after_wrap), after_wrap);
    EXPECT_EQ(cfs::min_vruntime(near_wrap, after_wrap), near_wrap);
}

TEST(FairMath, NewEntityStartsOneVirtualSliceAfterMinVruntime) {
    uint64_t min = 100 * kMs;
    EXPECT_EQ(cfs::place_vruntime(min, 0, true, 2 * kMs), 102 * kMs);
    // ...but never before the vruntime it inherited.
    EXPECT_EQ(cfs::place_vruntime(min, 150 * kMs, true, 2 * kMs), 150 * kMs);
}

TEST(FairMath, SleeperIsPlacedAtMostHalfALatencyBehind) {
    uint64_t min = 100 * kMs;
    // Slept long: its old vruntime is far behind; it gets half of sched_latency (3 ms) as a bonus only.
    EXPECT_EQ(cfs::place_vruntime(min, 10 * kMs, false, 0), 97 * kMs);
    // Slept briefly: keeps its own vruntime, which is within the bonus.
    EXPECT_EQ(cfs::place_vruntime(min, 99 * kMs, false, 0), 99 * kMs);
    EXPECT_EQ(cfs::place_vruntime(min, 120 * kMs, false, 0), 120 * kMs);
}

TEST(FairMath, WakeupPreemptionNeedsTheGranularity) {
    LoadWeight nice0 = nice_to_load(0);
    uint64_t curr = 50 * kMs;
    EXPECT_EQ(cfs::wakeup_preempt_entity(curr, curr + 1, nice0), -1);        // not behind
    EXPECT_EQ(cfs::wakeup_preempt_entity(curr, curr - kMs, nice0), 0);       // exactly the granularity
    EXPECT_EQ(cfs::wakeup_preempt_entity(curr, curr - kMs - 1, nice0), 1);   // beyond it
    // The granularity is in the waking entity's virtual time: 1 ms of a nice-5 task is 3.06 ms virtual.
    EXPECT_EQ(cfs::wakeup_preempt_entity(curr, curr - 2 * kMs, nice_to_load(5)), 0);
    EXPECT_EQ(cfs::wakeup_preempt_entity(curr, curr - 4 * kMs, nice_to_load(5)), 1);
}

}  // namespace
