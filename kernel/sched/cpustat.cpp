// Per-CPU time accounting: see cpustat.hpp.
#include <sched/cpustat.hpp>
#include <sched/task.hpp>
#include <smp/percpu.hpp>
#include <time/tick.hpp>

namespace {

// Written only by the CPU's own tick; readers (/proc/stat) load each word on its own.
KernelCpustat cpustats[kMaxCpus];

}  // namespace

void account_cpu_tick(unsigned cpu, const Task* task, bool user_mode) {
    if (cpu >= kMaxCpus) return;
    CpuStatKind kind;
    if (is_idle_task(task)) kind = CPUTIME_IDLE;
    else if (!user_mode) kind = CPUTIME_SYSTEM;
    else kind = task_nice(task) > 0 ? CPUTIME_NICE : CPUTIME_USER;
    uint64_t* counter = &cpustats[cpu].cpustat[kind];
    __atomic_store_n(counter, __atomic_load_n(counter, __ATOMIC_RELAXED) + TICK_NSEC, __ATOMIC_RELAXED);
}

KernelCpustat kcpustat_cpu(unsigned cpu) {
    KernelCpustat out{};
    if (cpu >= kMaxCpus) return out;
    for (unsigned i = 0; i < NR_STATS; i++) out.cpustat[i] = __atomic_load_n(&cpustats[cpu].cpustat[i], __ATOMIC_RELAXED);
    return out;
}
