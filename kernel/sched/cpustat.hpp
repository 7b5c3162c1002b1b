#pragma once
// Per-CPU time accounting by kind (Linux's kernel_cpustat): what /proc/stat's "cpu" lines report.
// Charged at the tick: each tick adds one tick's worth of nanoseconds to the kind of work the CPU was
// interrupted in.
//
// The idle task means idle time; otherwise the mode the timer interrupt came from decides: user mode is
// user time (nice time with a positive nice), kernel mode (a system call, a fault, a kernel thread) is
// system time. The same sample feeds the per-task split (cputime.hpp).
#include <stdint.h>

enum CpuStatKind : unsigned {
    CPUTIME_USER,
    CPUTIME_NICE,
    CPUTIME_SYSTEM,
    CPUTIME_SOFTIRQ,
    CPUTIME_IRQ,
    CPUTIME_IDLE,
    CPUTIME_IOWAIT,
    CPUTIME_STEAL,
    CPUTIME_GUEST,
    CPUTIME_GUEST_NICE,
    NR_STATS,
};

struct KernelCpustat {
    uint64_t cpustat[NR_STATS];  // nanoseconds
};

struct Task;

// The tick on `cpu` interrupted `task`; `user_mode` says whether it was running user code.
void account_cpu_tick(unsigned cpu, const Task* task, bool user_mode);
// A snapshot of one CPU's counters.
KernelCpustat kcpustat_cpu(unsigned cpu);
