// Cross-CPU calls and reschedule IPIs on a simulated multiprocessor (fake_smp.hpp).
#include <smp/cpumask.hpp>
#include <smp/smp.hpp>

#include "fake_smp.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace {

class SmpCallTest : public ::testing::Test {
protected:
    void SetUp() override { fake_smp::reset_machine(); }
    void TearDown() override { fake_smp::reset_machine(); }
};

std::atomic<int> ran_on[kMaxCpus];
std::atomic<bool> irqs_were_on{false};

void record_cpu(void*) {
    ran_on[smp_processor_id()].fetch_add(1);
    if (arch::irqs_enabled()) irqs_were_on = true;
}

void clear_records() {
    for (auto& r : ran_on) r = 0;
    irqs_were_on = false;
}

TEST_F(SmpCallTest, SingleCallRunsOnTargetInInterruptContextAndWaits) {
    fake_smp::SimulatedCpus cpus(4);
    clear_records();
    uint64_t received_before = smp_ipi_counts(2).call_function;
    ASSERT_FALSE(smp_call_function_single(2, record_cpu, nullptr, true).is_error());
    // wait=true: it has run by the time the call returns, on CPU 2 only, with interrupts off.
    EXPECT_EQ(ran_on[2].load(), 1);
    EXPECT_EQ(ran_on[0].load() + ran_on[1].load() + ran_on[3].load(), 0);
    EXPECT_FALSE(irqs_were_on.load());
    EXPECT_EQ(fake_smp::sent_ipis(2).call_function_single, 1u);
    EXPECT_EQ(smp_ipi_counts(2).call_function, received_before + 1);
}

TEST_F(SmpCallTest, SingleCallToThisCpuRunsDirectlyWithInterruptsOff) {
    clear_records();
    ASSERT_FALSE(smp_call_function_single(0, record_cpu, nullptr, true).is_error());
    EXPECT_EQ(ran_on[0].load(), 1);
    EXPECT_FALSE(irqs_were_on.load());
    EXPECT_TRUE(arch::irqs_enabled());
    EXPECT_EQ(fake_smp::sent_ipis(0).call_function_single, 0u);
}

TEST_F(SmpCallTest, SingleCallToOfflineCpuFailsWithEnxio) {
    fake_smp::SimulatedCpus cpus(2);
    auto r = smp_call_function_single(5, record_cpu, nullptr, true);
    ASSERT_TRUE(r.is_error());
    EXPECT_EQ(r.error(), Errno::ENXIO);
    EXPECT_EQ(smp_call_function_single(kMaxCpus + 3, record_cpu, nullptr, false).error(), Errno::ENXIO);
}

TEST_F(SmpCallTest, CallFunctionReachesEveryOtherOnlineCpuOnce) {
    fake_smp::SimulatedCpus cpus(4);
    clear_records();
    smp_call_function(record_cpu, nullptr, true);
    EXPECT_EQ(ran_on[0].load(), 0);
    for (unsigned cpu = 1; cpu < 4; cpu++) EXPECT_EQ(ran_on[cpu].load(), 1) << "cpu " << cpu;
    for (unsigned cpu = 4; cpu < kMaxCpus; cpu++) EXPECT_EQ(ran_on[cpu].load(), 0);
}

TEST_F(SmpCallTest, OnEachCpuIncludesThisOne) {
    fake_smp::SimulatedCpus cpus(3);
    clear_records();
    on_each_cpu(record_cpu, nullptr, true);
    for (unsigned cpu = 0; cpu < 3; cpu++) EXPECT_EQ(ran_on[cpu].load(), 1) << "cpu " << cpu;
}

TEST_F(SmpCallTest, AsyncCallsBeyondTheQueueSizeAllRun) {
    fake_smp::SimulatedCpus cpus(2);
    clear_records();
    // More than one ring's worth without waiting: the caller must wait for room, not drop calls.
    constexpr int kCalls = 200;
    for (int i = 0; i < kCalls; i++) ASSERT_FALSE(smp_call_function_single(1, record_cpu, nullptr, false).is_error());
    for (int spins = 0; ran_on[1].load() < kCalls && spins < 10'000'000; spins++) std::this_thread::yield();
    EXPECT_EQ(ran_on[1].load(), kCalls);
    // An IPI only when the target's queue was idle: never more IPIs than calls.
    EXPECT_LE(fake_smp::sent_ipis(1).call_function_single, unsigned(kCalls));
    EXPECT_GE(fake_smp::sent_ipis(1).call_function_single, 1u);
}

TEST_F(SmpCallTest, TwoCpusWaitingOnEachOtherWithInterruptsOffDoNotDeadlock) {
    fake_smp::SimulatedCpus cpus(3);
    clear_records();
    std::atomic<int> ready{0};
    auto call_peer = [&](unsigned peer) {
        arch::irq_disable();
        ready.fetch_add(1);
        while (ready.load() < 2) std::this_thread::yield();  // both call at the same time
        for (int i = 0; i < 50; i++) (void)smp_call_function_single(peer, record_cpu, nullptr, true);
    };
    cpus.start_task(1, [&] { call_peer(2); });
    cpus.start_task(2, [&] { call_peer(1); });
    cpus.wait_tasks();
    EXPECT_EQ(ran_on[1].load(), 50);
    EXPECT_EQ(ran_on[2].load(), 50);
}

TEST_F(SmpCallTest, CallFromAnotherCpuReachesTheBootCpu) {
    fake_smp::SimulatedCpus cpus(2);
    clear_records();
    uint64_t received_before = smp_ipi_counts(0).call_function;
    std::atomic<bool> done{false};
    cpus.start_task(1, [&] {
        (void)smp_call_function_single(0, record_cpu, nullptr, true);
        done = true;
    });
    while (!done.load()) {
        fake_smp::take_interrupts(0);
        std::this_thread::yield();
    }
    EXPECT_EQ(ran_on[0].load(), 1);
    EXPECT_EQ(smp_ipi_counts(0).call_function, received_before + 1);
}

TEST_F(SmpCallTest, RescheduleIpiSetsNeedReschedOnTarget) {
    fake_smp::SimulatedCpus cpus(4);
    uint64_t before = smp_ipi_counts(3).reschedule;
    smp_send_reschedule(3);
    for (int spins = 0; smp_ipi_counts(3).reschedule == before && spins < 10'000'000; spins++)
        std::this_thread::yield();
    EXPECT_EQ(smp_ipi_counts(3).reschedule, before + 1);
    EXPECT_TRUE(__atomic_load_n(&per_cpu_data[3].need_resched, __ATOMIC_ACQUIRE));
    EXPECT_EQ(fake_smp::sent_ipis(3).reschedule, 1u);
    // Not to offline CPUs.
    smp_send_reschedule(9);
    EXPECT_EQ(fake_smp::sent_ipis(9).reschedule, 0u);
}

}  // namespace
