// /proc/uptime and /proc/loadavg (Linux's fs/proc/uptime.c and loadavg.c).
#include <fs/proc/internal.hpp>
#include <sched/cpustat.hpp>
#include <sched/loadavg.hpp>
#include <sched/pid.hpp>
#include <smp/cpumask.hpp>
#include <time/clocksource_api.hpp>

// "seconds.hundredths idle.hundredths": time since boot, and the idle time of all CPUs together.
Result<void> proc_uptime_show(SeqBuf& m, ProcInode*) {
    uint64_t now = ktime_get_ns();
    uint64_t idle = 0;
    for_each_possible_cpu(cpu) idle += kcpustat_cpu(cpu).cpustat[CPUTIME_IDLE];
    m.printf("%llu.%02llu %llu.%02llu\n", (unsigned long long)(now / 1000000000),
             (unsigned long long)(now % 1000000000 / 10000000), (unsigned long long)(idle / 1000000000),
             (unsigned long long)(idle % 1000000000 / 10000000));
    return {};
}

// "1.00 0.50 0.20 2/85 1234": the three load averages, runnable/all tasks, the last PID handed out.
Result<void> proc_loadavg_show(SeqBuf& m, ProcInode*) {
    unsigned long loads[3];
    get_avenrun(loads, FIXED_1 / 200, 0);  // + 0.005: two decimals, rounded
    m.printf("%lu.%02lu %lu.%02lu %lu.%02lu %lu/%u %d\n", load_int(loads[0]), load_frac(loads[0]),
             load_int(loads[1]), load_frac(loads[1]), load_int(loads[2]), load_frac(loads[2]), nr_running_tasks(),
             nr_tasks(), get_last_pid());
    return {};
}
