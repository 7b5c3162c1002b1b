// Whole-scheduler behaviour in the simulator: CPU shares by weight, sleepers, the real-time class.

#include "sim.hpp"

#include <sched/sched.hpp>
#include <sched/sched_class.hpp>

#include <gtest/gtest.h>

namespace {

constexpr uint64_t kMs = 1'000'000;
constexpr uint64_t kSec = 1000 * kMs;

double share_ratio(SchedSim& sim, Task* a, Task* b) { return double(sim.cpu_time(a)) / double(sim.cpu_time(b)); }

TEST(SchedSim, NiceZeroAndNiceFiveShareByWeightWithinOnePercent) {
    SchedSim sim;
    Task* a = sim.spawn({.name = "nice0", .nice = 0});
    Task* b = sim.spawn({.name = "nice5", .nice = 5});
    sim.run_for(60 * kSec);
    double ideal = 1024.0 / 335.0;
    EXPECT_NEAR(share_ratio(sim, a, b), ideal, ideal * 0.01);
    // Nothing else ran: the CPU never idled.
    EXPECT_EQ(sim.cpu_time(a) + sim.cpu_time(b), 60 * kSec);
}

TEST(SchedSim, SchedulerAccountingMatchesTheGroundTruth) {
    SchedSim sim;
    Task* a = sim.spawn({.name = "a", .nice = -2});
    Task* b = sim.spawn({.name = "b", .nice = 7});
    Task* c = sim.spawn({.name = "c", .run_ns = 3 * kMs, .sleep_ns = 5 * kMs});
    sim.run_for(5 * kSec);
    for (Task* t : {a, b, c}) EXPECT_EQ(sim.sum_exec_runtime(t), sim.cpu_time(t)) << t->comm;
}

TEST(SchedSim, EqualNiceSharesEqually) {
    SchedSim sim;
    Task* t[4];
    for (int i = 0; i < 4; i++) t[i] = sim.spawn({.name = "eq"});
    sim.run_for(20 * kSec);
    for (int i = 0; i < 4; i++) EXPECT_NEAR(double(sim.cpu_time(t[i])), 5.0 * kSec, 0.01 * 5 * kSec);
}

TEST(SchedSim, ManyNiceLevelsShareByWeight) {
    SchedSim sim;
    const int nices[] = {-5, 0, 3, 10};
    Task* t[4];
    uint64_t total_weight = 0;
    for (int i = 0; i < 4; i++) {
        t[i] = sim.spawn({.name = "mixed", .nice = nices[i]});
        total_weight += nice_to_load(nices[i]).weight;
    }
    sim.run_for(60 * kSec);
    for (int i = 0; i < 4; i++) {
        double ideal = 60.0 * kSec * double(nice_to_load(nices[i]).weight) / double(total_weight);
        EXPECT_NEAR(double(sim.cpu_time(t[i])), ideal, ideal * 0.02) << "nice " << nices[i];
    }
}

TEST(SchedSim, InteractiveTaskGetsWhatItAsksForAndRunsSoonAfterWaking) {
    SchedSim sim;
    sim.spawn({.name = "hog1"});
    sim.spawn({.name = "hog2"});
    // Needs 1 ms every 10 ms: 10% of the CPU, far below its fair third.
    Task* ui = sim.spawn({.name = "ui", .run_ns = 1 * kMs, .sleep_ns = 9 * kMs});
    sim.run_for(10 * kSec);
    EXPECT_GT(double(sim.cpu_time(ui)), 0.095 * 10 * kSec);
    // Wake-up preemption: it is switched in at the wake-up itself, not at a later tick, so its cycle
    // stays exactly 1 ms run + 9 ms sleep and every switch to it falls at the same phase.
    int switched_in = 0;
    uint64_t phase = ~uint64_t(0);
    for (const SimSwitch& s : sim.switches()) {
        if (s.to != ui) continue;
        if (phase == ~uint64_t(0)) phase = s.time % (10 * kMs);
        EXPECT_EQ(s.time % (10 * kMs), phase) << "late by " << (s.time - phase) % (10 * kMs) << " ns";
        switched_in++;
    }
    EXPECT_GE(switched_in, 999);
}

TEST(SchedSim, SchedIdleTaskOnlyGetsLeftovers) {
    SchedSim sim;
    Task* normal = sim.spawn({.name = "normal", .nice = 19});
    Task* idle = sim.spawn({.name = "idleprio", .policy = SCHED_IDLE});
    sim.run_for(20 * kSec);
    // Weight 15 against 3.
    EXPECT_NEAR(share_ratio(sim, normal, idle), 5.0, 0.25);
}

TEST(SchedSim, FifoTaskPreemptsFairTasksAtOnceAndKeepsTheCpu) {
    SchedSim sim;
    Task* hog = sim.spawn({.name = "hog"});
    sim.run_for(10 * kMs);
    Task* rt = sim.spawn({.name = "fifo", .policy = SCHED_FIFO, .rt_priority = 10, .run_ns = 30 * kMs,
                          .sleep_ns = 70 * kMs});
    EXPECT_EQ(sim.running(), rt);
    EXPECT_EQ(rt->sched_class, &rt_sched_class);
    EXPECT_EQ(rt->prio, 89);
    sim.run_for(10 * kSec);
    // 30 ms of every 100 ms, exactly: ticks never take the CPU from a FIFO task.
    EXPECT_NEAR(double(sim.cpu_time(rt)), 0.3 * 10 * kSec, 30.0 * kMs);
    EXPECT_EQ(rt->nivcsw, 0u);
    EXPECT_GT(sim.cpu_time(hog), 6 * kSec);
}

TEST(SchedSim, HigherRtPriorityWins) {
    SchedSim sim;
    Task* low = sim.spawn({.name = "low", .policy = SCHED_FIFO, .rt_priority = 5});
    Task* high = sim.spawn({.name = "high", .policy = SCHED_FIFO, .rt_priority = 50, .run_ns = 5 * kMs,
                            .sleep_ns = 5 * kMs});
    Task* fair = sim.spawn({.name = "fair"});
    sim.run_for(1 * kSec);
    EXPECT_NEAR(double(sim.cpu_time(high)), 0.5 * kSec, 5.0 * kMs);
    EXPECT_NEAR(double(sim.cpu_time(low)), 0.5 * kSec, 5.0 * kMs);
    EXPECT_EQ(sim.cpu_time(fair), 0u);  // starved: no RT throttling yet
}

TEST(SchedSim, FifoPeersDoNotTakeTurns) {
    SchedSim sim;
    Task* first = sim.spawn({.name = "first", .policy = SCHED_FIFO, .rt_priority = 20});
    Task* second = sim.spawn({.name = "second", .policy = SCHED_FIFO, .rt_priority = 20});
    sim.run_for(1 * kSec);
    EXPECT_EQ(sim.cpu_time(first), 1 * kSec);
    EXPECT_EQ(sim.cpu_time(second), 0u);
    // yield() puts it behind its peer.
    sim.yield_current();
    EXPECT_EQ(sim.running(), second);
}

TEST(SchedSim, RoundRobinPeersAlternateEvery100Ms) {
    SchedSim sim;
    Task* a = sim.spawn({.name = "rr-a", .policy = SCHED_RR, .rt_priority = 20});
    Task* b = sim.spawn({.name = "rr-b", .policy = SCHED_RR, .rt_priority = 20});
    sim.run_for(2 * kSec);
    EXPECT_EQ(sim.cpu_time(a), 1 * kSec);
    EXPECT_EQ(sim.cpu_time(b), 1 * kSec);
    ASSERT_GE(sim.switches().size(), 19u);
    for (size_t i = 1; i < sim.switches().size(); i++)
        EXPECT_EQ(sim.switches()[i].time - sim.switches()[i - 1].time, 100 * kMs);
}

TEST(SchedSim, SetschedulerMovesARunningTaskBetweenClasses) {
    SchedSim sim;
    Task* a = sim.spawn({.name = "a"});
    Task* b = sim.spawn({.name = "b"});
    sim.run_for(50 * kMs);
    ASSERT_FALSE(sched_setscheduler(b, SCHED_FIFO, SchedParam{.sched_priority = 1}).is_error());
    EXPECT_EQ(b->sched_class, &rt_sched_class);
    sim.run_for(4 * kMs);
    EXPECT_EQ(sim.running(), b);
    uint64_t a_before = sim.cpu_time(a);
    sim.run_for(500 * kMs);
    EXPECT_EQ(sim.cpu_time(a), a_before);
    // Back to CFS: it must not come back with a stale vruntime that would starve `a` or itself.
    ASSERT_FALSE(sched_setscheduler(b, SCHED_NORMAL, SchedParam{}).is_error());
    EXPECT_EQ(b->sched_class, &fair_sched_class);
    uint64_t a0 = sim.cpu_time(a), b0 = sim.cpu_time(b);
    sim.run_for(2 * kSec);
    EXPECT_NEAR(double(sim.cpu_time(a) - a0), double(sim.cpu_time(b) - b0), 20.0 * kMs);
}

TEST(SchedSim, SetschedulerRejectsBadParameters) {
    SchedSim sim;
    Task* a = sim.spawn({.name = "a"});
    EXPECT_EQ(sched_setscheduler(a, SCHED_FIFO, SchedParam{.sched_priority = 0}).error(), Errno::EINVAL);
    EXPECT_EQ(sched_setscheduler(a, SCHED_RR, SchedParam{.sched_priority = 100}).error(), Errno::EINVAL);
    EXPECT_EQ(sched_setscheduler(a, SCHED_NORMAL, SchedParam{.sched_priority = 3}).error(), Errno::EINVAL);
    EXPECT_EQ(sched_setscheduler(a, 4, SchedParam{}).error(), Errno::EINVAL);
    EXPECT_EQ(sched_setscheduler(a, SCHED_DEADLINE, SchedParam{}).error(), Errno::EINVAL);  // pending
    EXPECT_EQ(a->sched_class, &fair_sched_class);
}

TEST(SchedSim, IdleTaskRunsOnlyWhenNothingElseCan) {
    SchedSim sim;
    Task* t = sim.spawn({.name = "sleepy", .run_ns = 1 * kMs, .sleep_ns = 3 * kMs});
    sim.run_for(1 * kSec);
    EXPECT_NEAR(double(sim.cpu_time(t)), 0.25 * kSec, 2.0 * kMs);
    EXPECT_GT(t->nvcsw, 240u);
    EXPECT_EQ(task_state_char(t), sim.running() == t ? 'R' : 'S');
}

}  // namespace
