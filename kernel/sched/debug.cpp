// show_state(): the task list in one screen, as SysRq-T prints it, for debugging hangs.
#include <lib/vsprintf.hpp>
#include <printk/printk.hpp>
#include <sched/debug.hpp>
#include <sched/pid.hpp>
#include <sched/runqueue.hpp>
#include <sched/sched_class.hpp>

void sched_show_task(const Task* p) {
    int ppid = p->real_parent && p->real_parent != p ? p->real_parent->pid : 0;
    // A vruntime means something only for CFS tasks, relative to their runqueue's min_vruntime.
    char lag[32] = "";
    if (p->sched_class == &fair_sched_class) {
        uint64_t base = p->se.vruntime_relative ? 0 : task_rq(p).cfs.min_vruntime;
        ksnprintf(lag, sizeof lag, " vruntime:%+ld us", long(int64_t(p->se.vruntime - base) / 1000));
    }
    pr_info("task:%-15s state:%c pid:%-5d ppid:%-5d class:%-5s prio:%-3d cpu:%u runtime:%lu us%s "
            "switches:%lu+%lu%s",
            p->comm, task_state_char(p), p->pid, ppid, p->sched_class ? p->sched_class->name : "-", p->prio,
            task_cpu(p), (unsigned long)(p->se.sum_exec_runtime / 1000), lag, (unsigned long)p->nvcsw,
            (unsigned long)p->nivcsw, p == current() ? " (current)" : "");
}

void show_state() {
    for (unsigned cpu = 0; cpu < nr_cpus_online; cpu++) {
        PerCpu& pc = per_cpu_data[cpu];
        if (!pc.rq) continue;
        RunQueue& rq = *pc.rq;
        pr_info("cpu#%u: nr_running:%u nr_switches:%lu curr:%s/%d cfs.nr_running:%u rt.nr_running:%u", cpu,
                rq.nr_running, (unsigned long)rq.nr_switches, rq.curr->comm, rq.curr->pid, rq.cfs.nr_running,
                rq.rt.nr_running);
        sched_show_task(rq.idle);
    }
    SpinLockIrqSaveGuard guard(tasklist_lock);
    for (const Task& t : all_tasks()) sched_show_task(&t);
}
