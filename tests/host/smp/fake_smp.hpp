#pragma once
// A simulated multiprocessor for the generic SMP code: CPU 0 is the test's own thread, every other
// online CPU is a host thread with its own PerCpu. The architecture's IPIs (the fake arch:: functions in
// fake_smp.cpp) set a pending bit that the target's thread polls, as its "interrupt". The firmware's CPU
// list and which CPUs fail to boot are set by the test.
#include <smp/percpu.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace fake_smp {

// What the fake firmware reports, and what the fake arch::smp_boot_cpu() does.
struct Firmware {
    unsigned cpus = 1;                   // CPUs listed (the boot CPU included)
    std::vector<bool> fails_to_boot;     // by CPU id
    std::vector<unsigned> boot_order;    // CPU ids arch::smp_boot_cpu() was asked to start
};
Firmware& firmware();

// Resets possible/online masks to "boot CPU only" and clears IPI bookkeeping.
void reset_machine();

// IPIs sent to `cpu` so far, by kind.
struct SentIpis {
    unsigned call_function = 0, call_function_single = 0, reschedule = 0;
};
SentIpis sent_ipis(unsigned cpu);

// Takes the interrupts pending for `cpu` (the test's own thread calls it for CPU 0).
void take_interrupts(unsigned cpu);

// CPUs 1..n-1 as threads, online while the object lives.
class SimulatedCpus {
public:
    explicit SimulatedCpus(unsigned n);
    ~SimulatedCpus();
    SimulatedCpus(const SimulatedCpus&) = delete;
    SimulatedCpus& operator=(const SimulatedCpus&) = delete;

    // Runs `task` as ordinary (non-interrupt) code on `cpu`'s thread; the thread serves no IPIs until
    // it returns, like a CPU with interrupts off.
    void start_task(unsigned cpu, std::function<void()> task);
    void wait_tasks();

private:
    struct Cpu;
    void run(Cpu& cpu);
    std::vector<std::unique_ptr<Cpu>> cpus_;
};

}  // namespace fake_smp
