// CpuMask and the boot-time bring-up policy (maxcpus=, failures) with a fake architecture.
#include <init/subsystems.hpp>
#include <smp/cpu.hpp>
#include <smp/cpumask.hpp>

#include <sched/runqueue.hpp>
#include <sched/sched.hpp>
#include <sched/task_internal.hpp>

#include "fake_smp.hpp"
#include "mm/mm_arena.hpp"
#include "sched/host_thread.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <vector>

namespace {

std::vector<unsigned> members(const CpuMask& mask) {
    std::vector<unsigned> out;
    for_each_cpu(cpu, mask) out.push_back(cpu);
    return out;
}

TEST(CpuMask, SetClearTestWeight) {
    CpuMask m;
    EXPECT_TRUE(m.empty());
    m.set(0);
    m.set(5);
    m.set(kMaxCpus - 1);
    m.set(kMaxCpus);  // out of range: ignored
    EXPECT_TRUE(m.test(5));
    EXPECT_FALSE(m.test(4));
    EXPECT_FALSE(m.test(kMaxCpus));
    EXPECT_EQ(m.weight(), 3u);
    m.clear(5);
    EXPECT_FALSE(m.test(5));
    EXPECT_EQ(members(m), (std::vector<unsigned>{0, kMaxCpus - 1}));
}

TEST(CpuMask, IteratesInOrderFromAnyStart) {
    CpuMask m;
    for (unsigned cpu : {3u, 7u, 8u, 63u}) m.set(cpu);
    EXPECT_EQ(members(m), (std::vector<unsigned>{3, 7, 8, 63}));
    EXPECT_EQ(m.next(4), 7u);
    EXPECT_EQ(m.next(8), 8u);
    EXPECT_EQ(m.next(9), 63u);
    EXPECT_EQ(m.next(64), kMaxCpus);
    CpuMask empty;
    EXPECT_EQ(empty.first(), kMaxCpus);
    EXPECT_TRUE(members(empty).empty());
}

TEST(CpuMask, StaticInitialiserSetsFirstWord) {
    CpuMask m{0b1011};
    EXPECT_EQ(members(m), (std::vector<unsigned>{0, 1, 3}));
}

// smp_init() with the real scheduler preparing each CPU (runqueue, idle task) and a fake architecture.
class BringupTest : public ::testing::Test {
protected:
    MmArena arena{1024};  // runqueues and idle tasks with their stacks

    void SetUp() override {
        fake_smp::reset_machine();
        sched_init();
        saved_max_ = setup_max_cpus;
        saved_nr_ = nr_cpu_ids;
    }
    void TearDown() override {
        setup_max_cpus = saved_max_;
        nr_cpu_ids = saved_nr_;
        // Idle tasks and runqueues live in the arena; the host's thread stacks do not.
        for (unsigned cpu = 1; cpu < kMaxCpus; cpu++)
            if (per_cpu_data[cpu].idle) free_thread_stack(per_cpu_data[cpu].idle->stack);
        fake_smp::reset_machine();
        host_sched::reset_cpu();
        sched_init();  // forget this test's runqueues before the arena goes
        host_sched::reset_cpu();
    }
    unsigned saved_max_ = 0, saved_nr_ = 0;
};

// Every CPU that came up has its own runqueue and idle task, current on it.
void expect_prepared_by_scheduler(unsigned cpu) {
    const PerCpu& pc = per_cpu_data[cpu];
    ASSERT_NE(pc.idle, nullptr) << "cpu " << cpu;
    EXPECT_EQ(pc.current, pc.idle);
    EXPECT_NE(pc.idle->stack, nullptr);
    EXPECT_TRUE(is_idle_task(pc.idle));
    EXPECT_EQ(pc.idle->pid, 0);
    EXPECT_EQ(task_cpu(pc.idle), cpu);
    EXPECT_EQ(pc.preempt_count, 1);
    ASSERT_NE(pc.rq, nullptr);
    EXPECT_EQ(pc.rq->cpu, cpu);
    EXPECT_EQ(pc.rq->idle, pc.idle);
    EXPECT_EQ(&cpu_rq(cpu), pc.rq);
    char name[16];
    snprintf(name, sizeof name, "swapper/%u", cpu);
    EXPECT_STREQ(pc.idle->comm, name);
}

TEST_F(BringupTest, BootCpuIsOnlineFromTheStart) {
    EXPECT_TRUE(cpu_online(0));
    EXPECT_TRUE(cpu_possible(0));
    EXPECT_EQ(num_online_cpus(), 1u);
}

TEST_F(BringupTest, BringsUpEveryCpuTheFirmwareLists) {
    fake_smp::firmware().cpus = 4;
    setup_max_cpus = kMaxCpus;
    nr_cpu_ids = kMaxCpus;
    smp_init();
    EXPECT_EQ(num_online_cpus(), 4u);
    EXPECT_EQ(members(cpu_online_mask), (std::vector<unsigned>{0, 1, 2, 3}));
    EXPECT_EQ(fake_smp::firmware().boot_order, (std::vector<unsigned>{1, 2, 3}));
    for (unsigned cpu = 1; cpu < 4; cpu++) expect_prepared_by_scheduler(cpu);
    EXPECT_NE(per_cpu_data[1].idle, per_cpu_data[2].idle);
    EXPECT_NE(per_cpu_data[1].idle->stack, per_cpu_data[2].idle->stack);
}

TEST_F(BringupTest, MaxcpusLimitsHowManyComeUp) {
    fake_smp::firmware().cpus = 4;
    setup_max_cpus = 2;
    nr_cpu_ids = kMaxCpus;
    smp_init();
    EXPECT_EQ(num_online_cpus(), 2u);
    EXPECT_EQ(num_possible_cpus(), 4u);  // the rest stay possible, not online
    EXPECT_EQ(fake_smp::firmware().boot_order, (std::vector<unsigned>{1}));
}

TEST_F(BringupTest, MaxcpusOneOrZeroBringsUpNone) {
    for (unsigned max : {0u, 1u}) {
        fake_smp::reset_machine();
        fake_smp::firmware().cpus = 4;
        setup_max_cpus = max;
        smp_init();
        EXPECT_EQ(num_online_cpus(), 1u) << "maxcpus=" << max;
        EXPECT_TRUE(fake_smp::firmware().boot_order.empty());
    }
}

TEST_F(BringupTest, NrCpusLimitsPossibleCpus) {
    fake_smp::firmware().cpus = 8;
    setup_max_cpus = kMaxCpus;
    nr_cpu_ids = 3;
    smp_init();
    EXPECT_EQ(num_possible_cpus(), 3u);
    EXPECT_EQ(num_online_cpus(), 3u);
}

TEST_F(BringupTest, ACpuThatFailsToBootIsSkippedAndTheNextTried) {
    fake_smp::firmware().cpus = 4;
    fake_smp::firmware().fails_to_boot = {false, true, false, false};
    setup_max_cpus = 3;
    smp_init();
    EXPECT_EQ(members(cpu_online_mask), (std::vector<unsigned>{0, 2, 3}));
    EXPECT_EQ(fake_smp::firmware().boot_order, (std::vector<unsigned>{1, 2, 3}));
}

TEST_F(BringupTest, OnlineCountFollowsTheMask) {
    set_cpu_online(5, true);
    set_cpu_online(5, true);  // idempotent
    EXPECT_EQ(num_online_cpus(), 2u);
    set_cpu_online(5, false);
    set_cpu_online(5, false);
    EXPECT_EQ(num_online_cpus(), 1u);
}

}  // namespace
