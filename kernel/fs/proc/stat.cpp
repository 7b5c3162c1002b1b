// /proc/stat (Linux's fs/proc/stat.c): CPU time by kind, all CPUs then each, in USER_HZ ticks; the
// interrupt counts; context switches; the boot time; processes created, running and blocked.
#include <fs/proc/internal.hpp>
#include <irq/irq.hpp>
#include <lib/vsprintf.hpp>
#include <process/rusage.hpp>
#include <sched/cpustat.hpp>
#include <sched/fork.hpp>
#include <sched/loadavg.hpp>
#include <sched/runqueue.hpp>
#include <smp/cpumask.hpp>
#include <time/clocksource_api.hpp>

namespace {

void show_cpu_line(SeqBuf& m, const char* label, const KernelCpustat& s) {
    m.puts(label);
    static constexpr CpuStatKind kOrder[] = {CPUTIME_USER,  CPUTIME_NICE,   CPUTIME_SYSTEM, CPUTIME_IDLE,
                                             CPUTIME_IOWAIT, CPUTIME_IRQ,   CPUTIME_SOFTIRQ, CPUTIME_STEAL,
                                             CPUTIME_GUEST, CPUTIME_GUEST_NICE};
    for (CpuStatKind k : kOrder) m.put_decimal_ull(" ", uint64_t(ns_to_clock_t(s.cpustat[k])));
    m.putc('\n');
}

}  // namespace

Result<void> proc_stat_show(SeqBuf& m, ProcInode*) {
    KernelCpustat sum{};
    uint64_t switches = 0;
    for_each_possible_cpu(cpu) {
        KernelCpustat s = kcpustat_cpu(cpu);
        for (unsigned k = 0; k < NR_STATS; k++) sum.cpustat[k] += s.cpustat[k];
    }
    show_cpu_line(m, "cpu ", sum);
    for_each_online_cpu(cpu) {
        char label[16];
        ksnprintf(label, sizeof label, "cpu%u", cpu);
        show_cpu_line(m, label, kcpustat_cpu(cpu));
        switches += __atomic_load_n(&cpu_rq(cpu).nr_switches, __ATOMIC_RELAXED);
    }
    uint64_t total_irqs = 0;
    for (unsigned irq = 0; irq < kNrIrqs; irq++) total_irqs += kstat_irqs(irq);
    m.put_decimal_ull("intr ", total_irqs);
    for (unsigned irq = 0; irq < kNrIrqs; irq++) m.put_decimal_ull(" ", kstat_irqs(irq));
    Timespec64 real = ktime_get_real_ts64();
    int64_t boot_ns = real.tv_sec * 1000000000ll + real.tv_nsec - int64_t(ktime_get_ns());
    m.printf("\nctxt %llu\nbtime %lld\nprocesses %llu\nprocs_running %lu\nprocs_blocked %lu\n",
             (unsigned long long)switches, (long long)(boot_ns / 1000000000), (unsigned long long)nr_total_forks(),
             nr_running_tasks(), nr_uninterruptible_tasks());
    // Softirqs are not counted by kind yet: the total and the ten counters are 0.
    m.puts("softirq 0 0 0 0 0 0 0 0 0 0 0\n");
    return {};
}
