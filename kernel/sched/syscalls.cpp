// The scheduling system calls (Linux's kernel/sched/syscalls.c and the priority half of kernel/sys.c):
// nice values (getpriority/setpriority), policies and real-time priorities (sched_setscheduler and
// friends), the round-robin interval and the CPU affinity mask user space reads.
//
// Permission rules are Linux's, with CAP_SYS_NICE meaning euid 0:
//   - acting on another task needs the caller's euid to equal its uid or euid (EPERM);
//   - lowering a nice value (raising priority) needs 20 - nice <= RLIMIT_NICE (EACCES in setpriority,
//     EPERM in sched_setscheduler);
//   - a real-time policy needs RLIMIT_RTPRIO >= the priority asked for (or the task already had at least
//     that priority), and clearing kSchedResetOnFork needs privilege.
// (kSchedResetOnFork and kPrio* are SCHED_RESET_ON_FORK and PRIO_*: libc defines those names as macros
// in the host build.) sched_setaffinity is not here: Tern's runqueues do not keep per-task CPU masks yet, so it stays ENOSYS.
#include <lib/uaccess.hpp>
#include <process/cred.hpp>
#include <process/process.hpp>
#include <process/rlimit.hpp>
#include <sched/pid.hpp>
#include <sched/runqueue.hpp>
#include <sched/sched.hpp>
#include <sched/sched_class.hpp>
#include <smp/cpu.hpp>
#include <smp/cpumask.hpp>
#include <syscalls/syscall.hpp>
#include <time/jiffies.hpp>

namespace {

constexpr int kPrioProcess = 0, kPrioPgrp = 1, kPrioUser = 2;
constexpr int kSchedResetOnFork = 0x40000000;
constexpr uint64_t kNsPerSec = 1000000000ull;

struct UserSchedParam {
    int sched_priority;
};

struct UserTimespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};

bool privileged() { return current_cred()->euid == 0; }

// May the caller change `p`'s scheduling at all (Linux's check_same_owner / set_one_prio_perm)?
bool may_change(const Task* p) {
    const Credentials* me = current_cred();
    const Credentials* them = task_cred(p);
    return me->euid == 0 || me->euid == them->uid || me->euid == them->euid;
}

// RLIMIT_NICE is 20 - nice: may `p` go down to `nice`?
bool can_nice(const Task* p, int nice) {
    return uint64_t(20 - nice) <= rlimit(p, RLIMIT_NICE) || privileged();
}

// Linux's set_one_prio: `error` is the result so far (ESRCH until a task matched); a success turns an
// ESRCH into 0, a failure replaces it.
long set_one_prio(Task* p, int nice, long error) {
    if (!may_change(p)) return -long(Errno::EPERM);
    if (nice < task_nice(p) && !can_nice(p, nice)) return -long(Errno::EACCES);
    set_user_nice(p, nice);
    return error == -long(Errno::ESRCH) ? 0 : error;
}

// Does `p` belong to the set getpriority/setpriority's (which, who) names? `who` is already resolved
// (0 replaced by the caller's pid, pgrp or uid).
bool prio_matches(const Task* p, int which, int who) {
    switch (which) {
        case kPrioPgrp: return task_pgrp(p) == who;
        case kPrioUser: return task_cred(p)->uid == uint32_t(who);
        default: return false;
    }
}

int resolve_who(int which, int who) {
    if (who != 0) return who;
    switch (which) {
        case kPrioProcess: return current()->pid;
        case kPrioPgrp: return task_pgrp(current());
        default: return int(current_cred()->uid);
    }
}

// The task named by a sched_* pid argument (0: the caller), with a reference, or nullptr.
Task* get_sched_target(int pid) {
    if (pid == 0) {
        get_task_struct(current());
        return current();
    }
    return get_task_by_pid(pid);
}

struct TaskRef {
    Task* task;
    explicit TaskRef(Task* t) : task(t) {}
    ~TaskRef() {
        if (task) put_task_struct(task);
    }
    TaskRef(const TaskRef&) = delete;
    TaskRef& operator=(const TaskRef&) = delete;
};

// sched_setscheduler/sched_setparam's checks and the change. `policy` < 0 keeps the task's policy.
long do_set_scheduler(int pid, int policy, UserPtr<UserSchedParam> uparam) {
    if (pid < 0 || uparam.is_null()) return -long(Errno::EINVAL);
    UserSchedParam param;
    if (get_user(param, uparam).is_error()) return -long(Errno::EFAULT);

    TaskRef target(get_sched_target(pid));
    Task* p = target.task;
    if (!p) return -long(Errno::ESRCH);

    bool reset_on_fork = p->sched_reset_on_fork;
    if (policy < 0) {
        policy = p->policy;
    } else {
        reset_on_fork = policy & kSchedResetOnFork;
        policy &= ~kSchedResetOnFork;
        if (!valid_policy(policy)) return -long(Errno::EINVAL);
    }
    if (dl_policy(policy)) return -long(Errno::EINVAL);  // needs sched_setattr and the deadline class
    int prio = param.sched_priority;
    if (prio < 0 || prio > MAX_USER_RT_PRIO - 1) return -long(Errno::EINVAL);
    if (rt_policy(policy) != (prio != 0)) return -long(Errno::EINVAL);

    if (!privileged()) {
        if (rt_policy(policy)) {
            uint64_t rlim_rtprio = rlimit(p, RLIMIT_RTPRIO);
            // Without RLIMIT_RTPRIO a task may only keep (or lower) the real-time priority it has.
            if (policy != p->policy && rlim_rtprio == 0) return -long(Errno::EPERM);
            if (unsigned(prio) > p->rt_priority && uint64_t(prio) > rlim_rtprio) return -long(Errno::EPERM);
        }
        // Leaving SCHED_IDLE needs the right to the nice value it returns to.
        if (p->policy == SCHED_IDLE && policy != SCHED_IDLE && !can_nice(p, task_nice(p)))
            return -long(Errno::EPERM);
        if (!may_change(p)) return -long(Errno::EPERM);
        if (p->sched_reset_on_fork && !reset_on_fork) return -long(Errno::EPERM);
    }

    SchedParam sp;
    sp.sched_priority = prio;
    Result<void> r = sched_setscheduler(p, policy, sp);
    if (r.is_error()) return -long(r.error());
    p->sched_reset_on_fork = reset_on_fork;
    return 0;
}

}  // namespace

SYSCALL_DEFINE3(setpriority, int, which, int, who, int, niceval) {
    if (which < kPrioProcess || which > kPrioUser) return -long(Errno::EINVAL);
    if (niceval < MIN_NICE) niceval = MIN_NICE;
    if (niceval > MAX_NICE) niceval = MAX_NICE;
    who = resolve_who(which, who);

    if (which == kPrioProcess) {
        TaskRef target(get_task_by_pid(who));
        if (!target.task) return -long(Errno::ESRCH);
        return set_one_prio(target.task, niceval, -long(Errno::ESRCH));
    }
    long error = -long(Errno::ESRCH);
    SpinLockIrqSaveGuard guard(tasklist_lock);
    for (Task& p : all_tasks())
        if (prio_matches(&p, which, who)) error = set_one_prio(&p, niceval, error);
    return error;
}

// The kernel's answer is 20 - nice (1..40), so that no valid answer looks like an error; glibc turns it
// back into a nice value.
SYSCALL_DEFINE2(getpriority, int, which, int, who) {
    if (which < kPrioProcess || which > kPrioUser) return -long(Errno::EINVAL);
    who = resolve_who(which, who);
    long best = -long(Errno::ESRCH);
    if (which == kPrioProcess) {
        TaskRef target(get_task_by_pid(who));
        if (!target.task) return best;
        return 20 - task_nice(target.task);
    }
    SpinLockIrqSaveGuard guard(tasklist_lock);
    for (Task& p : all_tasks()) {
        if (!prio_matches(&p, which, who)) continue;
        long v = 20 - task_nice(&p);
        if (v > best) best = v;
    }
    return best;
}

SYSCALL_DEFINE3(sched_setscheduler, int, pid, int, policy, UserPtr<UserSchedParam>, param) {
    if (policy < 0) return -long(Errno::EINVAL);
    return do_set_scheduler(pid, policy, param);
}

SYSCALL_DEFINE2(sched_setparam, int, pid, UserPtr<UserSchedParam>, param) {
    return do_set_scheduler(pid, -1, param);
}

SYSCALL_DEFINE1(sched_getscheduler, int, pid) {
    if (pid < 0) return -long(Errno::EINVAL);
    TaskRef target(get_sched_target(pid));
    if (!target.task) return -long(Errno::ESRCH);
    return target.task->policy | (target.task->sched_reset_on_fork ? kSchedResetOnFork : 0);
}

SYSCALL_DEFINE2(sched_getparam, int, pid, UserPtr<UserSchedParam>, param) {
    if (pid < 0 || param.is_null()) return -long(Errno::EINVAL);
    TaskRef target(get_sched_target(pid));
    if (!target.task) return -long(Errno::ESRCH);
    UserSchedParam out{rt_policy(target.task->policy) ? int(target.task->rt_priority) : 0};
    if (put_user(out, param).is_error()) return -long(Errno::EFAULT);
    return 0;
}

SYSCALL_DEFINE1(sched_get_priority_max, int, policy) {
    if (rt_policy(policy)) return MAX_USER_RT_PRIO - 1;
    if (fair_policy(policy) || dl_policy(policy)) return 0;
    return -long(Errno::EINVAL);
}

SYSCALL_DEFINE1(sched_get_priority_min, int, policy) {
    if (rt_policy(policy)) return 1;
    if (fair_policy(policy) || dl_policy(policy)) return 0;
    return -long(Errno::EINVAL);
}

// SCHED_RR: the round-robin slice; SCHED_FIFO: 0 (no slice); fair tasks: their current CFS slice,
// rounded to ticks as Linux reports it.
SYSCALL_DEFINE2(sched_rr_get_interval, int, pid, UserPtr<UserTimespec>, interval) {
    if (pid < 0) return -long(Errno::EINVAL);
    TaskRef target(get_sched_target(pid));
    Task* p = target.task;
    if (!p) return -long(Errno::ESRCH);
    uint64_t ticks = 0;
    if (p->policy == SCHED_RR) {
        ticks = sched_rr_timeslice_ticks();
    } else if (fair_policy(p->policy)) {
        RunQueue& rq = task_rq(p);
        uint64_t slice_ns;
        {
            SpinLockIrqSaveGuard guard(rq.lock);
            slice_ns = sched_slice_fair(rq.cfs, p->se);
        }
        ticks = slice_ns / (kNsPerSec / HZ);
    }
    uint64_t ns = ticks * (kNsPerSec / HZ);
    UserTimespec ts{int64_t(ns / kNsPerSec), int64_t(ns % kNsPerSec)};
    if (put_user(ts, interval).is_error()) return -long(Errno::EFAULT);
    return 0;
}

// Every task may run on every online CPU, so the mask is the online mask. The buffer must be a whole
// number of longs and hold nr_cpu_ids bits; the answer is the bytes written (Linux's cpumask_size()).
SYSCALL_DEFINE3(sched_getaffinity, int, pid, unsigned, len, UserPtr<uint8_t>, user_mask) {
    if (len * 8 < nr_cpu_ids || (len & (sizeof(long) - 1))) return -long(Errno::EINVAL);
    if (pid < 0) return -long(Errno::ESRCH);
    TaskRef target(get_sched_target(pid));
    if (!target.task) return -long(Errno::ESRCH);

    constexpr unsigned kMaskBytes = CpuMask::kWords * 8;
    uint8_t bytes[kMaskBytes] = {};
    for (unsigned cpu = 0; cpu < nr_cpu_ids && cpu < kMaskBytes * 8; cpu++)
        if (cpu_online(cpu)) bytes[cpu / 8] |= uint8_t(1u << (cpu % 8));
    unsigned size = unsigned((nr_cpu_ids + 63) / 64 * 8);
    if (size > len) size = len;
    if (copy_to_user(user_mask.cast<void>(), bytes, size).is_error()) return -long(Errno::EFAULT);
    return long(size);
}
