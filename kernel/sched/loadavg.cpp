// The load average: see loadavg.hpp.
#include <sched/loadavg.hpp>
#include <sched/pid.hpp>
#include <sched/runqueue.hpp>
#include <smp/cpumask.hpp>
#include <time/jiffies.hpp>

namespace {

constexpr uint64_t LOAD_FREQ = 5 * HZ + 1;  // 5 s, one tick more so it does not beat with 5 s timers

LoadAverages global_load;
uint64_t next_sample = LOAD_FREQ;  // jiffies; written only by the jiffies CPU's tick

}  // namespace

void LoadAverages::sample(unsigned long nr_active) {
    unsigned long active = nr_active * FIXED_1;
    avenrun[0] = calc_load(avenrun[0], EXP_1, active);
    avenrun[1] = calc_load(avenrun[1], EXP_5, active);
    avenrun[2] = calc_load(avenrun[2], EXP_15, active);
}

void get_avenrun(unsigned long loads[3], unsigned long offset, int shift) {
    for (int i = 0; i < 3; i++) {
        // A plain word load: the tick writes each average with one store.
        unsigned long v = __atomic_load_n(&global_load.avenrun[i], __ATOMIC_RELAXED);
        loads[i] = (v + offset) << shift;
    }
}

unsigned long nr_running_tasks() {
    unsigned long n = 0;
    for_each_online_cpu(cpu) n += __atomic_load_n(&cpu_rq(cpu).nr_running, __ATOMIC_RELAXED);
    return n;
}

unsigned long nr_uninterruptible_tasks() {
    // Linux keeps a per-runqueue counter; Tern counts the sleepers where they are listed. Called every
    // 5 s and by /proc readers, which is cheap next to the list's length.
    unsigned long n = 0;
    SpinLockIrqSaveGuard guard(tasklist_lock);
    for (Task& p : all_tasks()) {
        unsigned state = task_state(&p);
        if ((state & TASK_UNINTERRUPTIBLE) && !(state & TASK_NOLOAD) && !p.on_rq && !p.exit_state) n++;
    }
    return n;
}

unsigned long nr_active_tasks() { return nr_running_tasks() + nr_uninterruptible_tasks(); }

void calc_global_load() {
    if (time_before(jiffies, next_sample)) return;
    LoadAverages next = global_load;
    next.sample(nr_active_tasks());
    for (int i = 0; i < 3; i++) __atomic_store_n(&global_load.avenrun[i], next.avenrun[i], __ATOMIC_RELAXED);
    next_sample += LOAD_FREQ;
    // After a long stall (a debugger, a stopped VM) sample again only from now on.
    if (time_before(next_sample, jiffies)) next_sample = jiffies + LOAD_FREQ;
}
