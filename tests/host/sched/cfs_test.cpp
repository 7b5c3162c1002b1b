// The fair class on a real runqueue, driven directly (ordering, min_vruntime) and through the
// simulator (placement of new and waking tasks, tick preemption).

#include "sim.hpp"
#include "host_thread.hpp"

#include <init/subsystems.hpp>
#include <sched/sched.hpp>
#include <sched/sched_class.hpp>
#include <sched/task_internal.hpp>

#include <vector>

#include <gtest/gtest.h>

namespace {

constexpr uint64_t kMs = 1'000'000;

class CfsRunqueue : public testing::Test {
protected:
    void SetUp() override { sched_init(); }
    void TearDown() override { host_sched::reset_cpu(); }

    // A fair task with a given vruntime, queued without placement.
    void enqueue(Task& t, uint64_t vruntime) {
        sched_fork(&t);
        t.se.vruntime = vruntime;
        t.se.vruntime_relative = false;
        t.state.store(TASK_RUNNING);
        RunQueue& rq = this_rq();
        rq.lock.raw_lock();
        activate_task(rq, t, 0);
        rq.lock.raw_unlock();
    }
    // Picks the next task and takes it off the runqueue, as if it ran for no time and blocked.
    Task* pick_and_remove() {
        RunQueue& rq = this_rq();
        rq.lock.raw_lock();
        Task* p = fair_sched_class.pick_next_task(rq);
        if (p) {
            deactivate_task(rq, *p, DEQUEUE_SLEEP);
            fair_sched_class.put_prev_task(rq, *p);
        }
        rq.lock.raw_unlock();
        return p;
    }
};

TEST_F(CfsRunqueue, PicksInVruntimeOrder) {
    Task a, b, c, d;
    uint64_t base = this_rq().cfs.min_vruntime;
    enqueue(a, base + 30 * kMs);
    enqueue(b, base + 10 * kMs);
    enqueue(c, base + 20 * kMs);
    enqueue(d, base + 10 * kMs);  // equal to b: after it (FIFO among equals)
    EXPECT_EQ(this_rq().cfs.nr_running, 4u);
    EXPECT_EQ(this_rq().cfs.load.weight, 4 * 1024u);
    EXPECT_EQ(pick_and_remove(), &b);
    EXPECT_EQ(pick_and_remove(), &d);
    EXPECT_EQ(pick_and_remove(), &c);
    EXPECT_EQ(pick_and_remove(), &a);
    EXPECT_EQ(pick_and_remove(), nullptr);
    EXPECT_EQ(this_rq().cfs.nr_running, 0u);
    EXPECT_EQ(this_rq().cfs.load.weight, 0u);
}

TEST_F(CfsRunqueue, OrderingSurvivesVruntimeWrapAround) {
    Task a, b;
    enqueue(a, 5);                       // just after the wrap
    enqueue(b, ~uint64_t(0) - 5 * kMs);  // just before it: smaller
    EXPECT_EQ(pick_and_remove(), &b);
    EXPECT_EQ(pick_and_remove(), &a);
}

TEST_F(CfsRunqueue, MinVruntimeFollowsTheLeftmostAndNeverGoesBack) {
    Task a, b;
    uint64_t base = this_rq().cfs.min_vruntime;
    enqueue(a, base + 10 * kMs);
    enqueue(b, base + 20 * kMs);
    EXPECT_EQ(pick_and_remove(), &a);
    EXPECT_EQ(this_rq().cfs.min_vruntime, base + 20 * kMs);
    Task c;
    enqueue(c, base + 5 * kMs);  // behind min_vruntime: min_vruntime must not move back
    RunQueue& rq = this_rq();
    rq.lock.raw_lock();
    Task* p = fair_sched_class.pick_next_task(rq);
    rq.lock.raw_unlock();
    EXPECT_EQ(p, &c);
    EXPECT_EQ(this_rq().cfs.min_vruntime, base + 20 * kMs);
}

TEST(CfsSim, MinVruntimeIsMonotonic) {
    SchedSim sim;
    sim.spawn({.name = "hog", .nice = 0});
    sim.spawn({.name = "light", .nice = 10});
    sim.spawn({.name = "sleeper", .nice = -3, .run_ns = 2 * kMs, .sleep_ns = 7 * kMs});
    uint64_t last = sim.rq().cfs.min_vruntime;
    for (int i = 0; i < 3000; i++) {
        sim.run_for(kMs / 3);
        uint64_t now = sim.rq().cfs.min_vruntime;
        EXPECT_FALSE(cfs::vruntime_before(now, last)) << "at " << sim.now();
        last = now;
    }
}

TEST(CfsSim, WakingSleeperIsPlacedHalfALatencyBeforeMinVruntime) {
    SchedSim sim;
    Task* a = sim.spawn({.name = "a"});
    sim.spawn({.name = "b"});
    Task* sleeper = sim.spawn({.name = "sleeper"});
    // Let the sleeper run once, then put it to sleep for a long time.
    sim.run_for(50 * kMs);
    while (sim.running() != sleeper) sim.run_for(sim.tick_ns());
    sim.block_current();
    uint64_t vruntime_at_sleep = sleeper->se.vruntime;
    sim.run_for(2000 * kMs);
    ASSERT_EQ(task_state(sleeper), TASK_INTERRUPTIBLE);

    // At the wake-up, min_vruntime has moved ~1 s ahead of the sleeper's vruntime.
    RunQueue& rq = sim.rq();
    rq.lock.raw_lock();
    update_rq_clock(rq);
    update_curr_fair(rq);
    uint64_t min = rq.cfs.min_vruntime;
    rq.lock.raw_unlock();
    ASSERT_TRUE(cfs::vruntime_before(vruntime_at_sleep, min - 1000 * kMs));
    sim.wake(sleeper);
    EXPECT_EQ(sleeper->se.vruntime, min - cfs::tunables.latency_ns / 2);
    (void)a;
}

TEST(CfsSim, BriefSleeperKeepsItsOwnVruntime) {
    SchedSim sim;
    sim.spawn({.name = "a"});
    Task* sleeper = sim.spawn({.name = "sleeper"});
    sim.run_for(50 * kMs);
    while (sim.running() != sleeper) sim.run_for(sim.tick_ns());
    sim.block_current();
    uint64_t vruntime_at_sleep = sleeper->se.vruntime;
    sim.run_for(kMs);  // shorter than half the latency: the own vruntime is still ahead of the bonus
    sim.wake(sleeper);
    EXPECT_EQ(sleeper->se.vruntime, vruntime_at_sleep);
}

TEST(CfsSim, NewTaskStartsOneVirtualSliceAfterMinVruntime) {
    SchedSim sim;
    sim.spawn({.name = "a"});
    sim.spawn({.name = "b"});
    sim.run_for(100 * kMs);
    // The running task is the parent: the child starts at max(its vruntime, min_vruntime + vslice).
    RunQueue& rq = sim.rq();
    Task* parent = sim.running();
    rq.lock.raw_lock();
    update_rq_clock(rq);
    update_curr_fair(rq);
    uint64_t min = rq.cfs.min_vruntime;
    uint64_t parent_vruntime = parent->se.vruntime;
    rq.lock.raw_unlock();
    // With three nice-0 tasks the period is 6 ms and each slice 2 ms (virtual = real at nice 0).
    Task* child = sim.spawn({.name = "child"});
    uint64_t expected = cfs::max_vruntime(parent_vruntime, min + 2 * kMs);
    EXPECT_EQ(child->se.vruntime, expected);
    EXPECT_FALSE(child->se.vruntime_relative);
}

TEST(CfsSim, TickPreemptsWhenTheSliceIsUsedUp) {
    SchedSim sim;
    Task* a = sim.spawn({.name = "a"});
    Task* b = sim.spawn({.name = "b"});
    sim.run_for(400 * kMs);
    // Two nice-0 hogs: 3 ms slices, 4 ms ticks: every tick switches.
    ASSERT_GT(sim.switches().size(), 90u);
    for (const SimSwitch& s : sim.switches()) {
        if (is_idle_task(s.from)) continue;  // the first switch, at the spawn
        EXPECT_EQ(s.time % sim.tick_ns(), 0u) << "switches happen only at ticks";
        EXPECT_TRUE((s.from == a && s.to == b) || (s.from == b && s.to == a));
    }
    EXPECT_GT(a->nivcsw, 40u);
    EXPECT_EQ(a->nvcsw, 0u);
}

// sched_yield() under CFS marks the task to be skipped once, but a peer runs instead only if it is no
// more than the wakeup granularity ahead in virtual time (Linux's skip buddy).
TEST(CfsSim, YieldLetsAClosePeerRunFirst) {
    SchedSim sim;
    Task* a = sim.spawn({.name = "a"});
    Task* b = sim.spawn({.name = "b"});
    sim.run_for(20 * kMs);
    Task* yielder = sim.running();
    Task* other = yielder == a ? b : a;
    // `other` is the only entity in the timeline, so its key may be changed in place.
    other->se.vruntime = yielder->se.vruntime + 500'000;
    sim.yield_current();
    EXPECT_EQ(sim.running(), other);
    EXPECT_EQ(task_state(yielder), TASK_RUNNING);
    EXPECT_TRUE(yielder->on_rq);
}

TEST(CfsSim, YieldDoesNotHandTheCpuToAPeerFarAhead) {
    SchedSim sim;
    Task* a = sim.spawn({.name = "a"});
    Task* b = sim.spawn({.name = "b"});
    sim.run_for(20 * kMs);
    Task* yielder = sim.running();
    Task* other = yielder == a ? b : a;
    other->se.vruntime = yielder->se.vruntime + 5 * kMs;
    sim.yield_current();
    EXPECT_EQ(sim.running(), yielder);
}

TEST(CfsSim, SetUserNiceChangesTheShare) {
    SchedSim sim;
    Task* a = sim.spawn({.name = "a"});
    Task* b = sim.spawn({.name = "b"});
    set_user_nice(b, 5);
    EXPECT_EQ(task_nice(b), 5);
    EXPECT_EQ(b->se.load.weight, 335u);
    EXPECT_EQ(sim.rq().cfs.load.weight, 1024u + 335u);
    uint64_t a0 = sim.cpu_time(a), b0 = sim.cpu_time(b);
    sim.run_for(30'000 * kMs);
    double ratio = double(sim.cpu_time(a) - a0) / double(sim.cpu_time(b) - b0);
    EXPECT_NEAR(ratio, 1024.0 / 335.0, 1024.0 / 335.0 * 0.01);
}

}  // namespace
