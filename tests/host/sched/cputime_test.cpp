// The user/system split of task_cputime (sched/cputime.cpp): proportional to the tick samples, exact
// in sum, never shrinking on either side, and free of overflow for long run times.
#include <sched/cputime.hpp>
#include <sched/task.hpp>

#include <gtest/gtest.h>

namespace {

constexpr uint64_t kMs = 1'000'000;

TEST(Cputime, UnsampledTimeIsUserTime) {
    CputimeSamples s;
    TaskCputime t = cputime_adjust(s, 10 * kMs);
    EXPECT_EQ(t.utime_ns, 10 * kMs);
    EXPECT_EQ(t.stime_ns, 0u);
}

TEST(Cputime, SplitFollowsTheTicks) {
    CputimeSamples s;
    s.utime_ticks = 3;
    s.stime_ticks = 1;
    TaskCputime t = cputime_adjust(s, 400 * kMs);
    EXPECT_EQ(t.stime_ns, 100 * kMs);
    EXPECT_EQ(t.utime_ns, 300 * kMs);
    EXPECT_EQ(t.sum_ns(), 400 * kMs);
}

TEST(Cputime, NeitherSideShrinks) {
    CputimeSamples s;
    s.stime_ticks = 9;
    s.utime_ticks = 1;
    TaskCputime a = cputime_adjust(s, 100 * kMs);
    EXPECT_EQ(a.stime_ns, 90 * kMs);
    // Later the task ran in user mode a lot: the proportion now says less system time than before.
    s.utime_ticks = 100;
    TaskCputime b = cputime_adjust(s, 110 * kMs);
    EXPECT_GE(b.stime_ns, a.stime_ns);
    EXPECT_GE(b.utime_ns, a.utime_ns);
    EXPECT_EQ(b.sum_ns(), 110 * kMs);
    // No new run time: the same split again.
    TaskCputime c = cputime_adjust(s, 110 * kMs);
    EXPECT_EQ(c.utime_ns, b.utime_ns);
    EXPECT_EQ(c.stime_ns, b.stime_ns);
}

TEST(Cputime, LongRunTimesDoNotOverflow) {
    CputimeSamples s;
    s.stime_ticks = 1ull << 40;
    s.utime_ticks = 1ull << 40;
    uint64_t rtime = 1ull << 62;
    TaskCputime t = cputime_adjust(s, rtime);
    EXPECT_EQ(t.sum_ns(), rtime);
    EXPECT_NEAR(double(t.stime_ns) / double(rtime), 0.5, 1e-6);
}

TEST(Cputime, TickChargesTheModeItInterrupted) {
    Task task;
    account_process_tick(&task, true);
    account_process_tick(&task, true);
    account_process_tick(&task, false);
    EXPECT_EQ(task.cputime.utime_ticks, 2u);
    EXPECT_EQ(task.cputime.stime_ticks, 1u);
    task.flags |= PF_IDLE;
    account_process_tick(&task, false);
    EXPECT_EQ(task.cputime.stime_ticks, 1u);  // the idle task is not charged
}

}  // namespace
