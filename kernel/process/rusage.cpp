// Accounting: what a task, a process and its reaped children have used; getrusage and times.
#include <lib/string.hpp>
#include <lib/uaccess.hpp>
#include <mm/mm.hpp>
#include <mm/mm_struct.hpp>
#include <process/process_internal.hpp>
#include <process/rusage.hpp>
#include <sched/cputime.hpp>
#include <sched/pid.hpp>
#include <syscalls/syscall.hpp>
#include <time/jiffies.hpp>

namespace {
constexpr uint64_t kPageKiB = 4;
}

LinuxRusage to_linux_rusage(const TaskUsage& usage) {
    LinuxRusage ru;
    memset(&ru, 0, sizeof ru);
    ru.ru_utime = ns_to_timeval(usage.utime_ns);
    ru.ru_stime = ns_to_timeval(usage.stime_ns);
    ru.ru_maxrss = int64_t(usage.maxrss_kb);
    ru.ru_minflt = int64_t(usage.minflt);
    ru.ru_majflt = int64_t(usage.majflt);
    ru.ru_nvcsw = int64_t(usage.nvcsw);
    ru.ru_nivcsw = int64_t(usage.nivcsw);
    return ru;
}

void task_usage(const Task* p, TaskUsage& out) {
    out = {};
    TaskCputime ct = task_cputime(p);
    out.utime_ns = ct.utime_ns;
    out.stime_ns = ct.stime_ns;
    out.nvcsw = p->nvcsw;
    out.nivcsw = p->nivcsw;
    if (p->mm) out.maxrss_kb = p->mm->hiwater_rss * kPageKiB;  // the most it ever had resident
}

void thread_group_usage(const Task* leader, bool with_children, TaskUsage& out) {
    ThreadGroup* tg = leader->thread_group;
    if (!tg) {
        task_usage(leader, out);
        return;
    }
    {
        SpinLockIrqSaveGuard guard(tg->lock);
        out = tg->dead;
        if (with_children) out.add(tg->children);
    }
    // Threads that have exited are in tg->dead already.
    for_each_thread_of(leader, [&](Task* t) {
        if ((t->flags & PF_EXITING) || t->exit_state) return;
        TaskUsage live;
        task_usage(t, live);
        out.add(live);
    });
}

Result<TaskUsage> task_rusage(Task* task, int who) {
    TaskUsage usage;
    switch (who) {
    case RUSAGE_SELF: {
        SpinLockIrqSaveGuard guard(tasklist_lock);
        thread_group_usage(task->group_leader, false, usage);
        break;
    }
    case RUSAGE_CHILDREN:
        if (ThreadGroup* tg = task->thread_group) {
            SpinLockIrqSaveGuard guard(tg->lock);
            usage = tg->children;
        }
        break;
    case RUSAGE_THREAD:
        task_usage(task, usage);
        break;
    default:
        return Errno::EINVAL;
    }
    return usage;
}

SYSCALL_DEFINE2(getrusage, int, who, UserPtr<LinuxRusage>, ru) {
    Result<TaskUsage> usage = task_rusage(current(), who);
    if (usage.is_error()) return -long(usage.error());
    LinuxRusage out = to_linux_rusage(usage.value());
    return copy_to_user(ru.cast<void>(), &out, sizeof out).to_syscall_return();
}

SYSCALL_DEFINE1(times, UserPtr<LinuxTms>, tbuf) {
    if (!tbuf.is_null()) {
        TaskUsage self, children;
        {
            SpinLockIrqSaveGuard guard(tasklist_lock);
            thread_group_usage(current()->group_leader, false, self);
        }
        if (ThreadGroup* tg = current()->thread_group) {
            SpinLockIrqSaveGuard guard(tg->lock);
            children = tg->children;
        }
        LinuxTms tms = {ns_to_clock_t(self.utime_ns), ns_to_clock_t(self.stime_ns), ns_to_clock_t(children.utime_ns),
                        ns_to_clock_t(children.stime_ns)};
        if (copy_to_user(tbuf.cast<void>(), &tms, sizeof tms).is_error()) return -long(Errno::EFAULT);
    }
    // Clock ticks since boot (Linux's count starts at INITIAL_JIFFIES; only differences mean anything).
    return long(jiffies * USER_HZ / HZ);
}
