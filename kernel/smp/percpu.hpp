#pragma once
// Per-CPU state. On x86-64 the GS base holds the address of this CPU's PerCpu (arch::this_cpu()).
#include <arch/arch.hpp>

struct Task;
struct RunQueue;

constexpr unsigned kMaxCpus = 64;

struct PerCpu {
    PerCpu* self;             // must stay first: arch::this_cpu() reads %gs:0
    unsigned cpu_id;
    int preempt_count;        // >0: preemption disabled (spinlocks, interrupt handlers, explicit)
    bool need_resched;        // set by the scheduler, acted on at the next safe point
    unsigned irq_nesting;     // hardware interrupt depth
    Task* current;
    Task* idle;
    RunQueue* rq;
    uint64_t arch_scratch[4]; // the architecture's own per-CPU words (e.g. user RSP on syscall entry)
};

extern PerCpu per_cpu_data[kMaxCpus];
extern unsigned nr_cpus_online;

inline PerCpu* this_cpu() { return arch::this_cpu(); }
inline unsigned smp_processor_id() { return this_cpu()->cpu_id; }
