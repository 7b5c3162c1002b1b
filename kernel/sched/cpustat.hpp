#pragma once
// Per-CPU time accounting by kind (Linux's kernel_cpustat): what /proc/stat's "cpu" lines report.
// Charged at the tick: each tick adds one tick's worth of nanoseconds to the kind of work the CPU was
// interrupted in.
//
// What the tick knows today: the idle task means idle time; a kernel thread means system time; a user
// task means user time (nice time with a positive nice), because the tick does not yet see whether it
// interrupted user mode or a system call. TODO(lead): once the tick is told the interrupted mode (the
// per-task user/system split), pass it here so system calls count as system time.
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
