// wait4 and waitid (see wait.hpp).
#include <lib/string.hpp>
#include <lib/uaccess.hpp>
#include <process/cred.hpp>
#include <process/process_internal.hpp>
#include <process/rusage.hpp>
#include <process/wait.hpp>
#include <process/wait_status.hpp>
#include <signal/signal_struct.hpp>
#include <sched/pid.hpp>
#include <sched/wait.hpp>
#include <syscalls/syscall.hpp>

namespace {

enum class WaitFor { All, Pid, Pgid };

struct WaitQuery {
    WaitFor type;
    int id;
    unsigned flags;
    WaitResult& out;
    bool any_eligible = false;  // Linux's notask_error = 0: something to wait for exists
    Task* to_release = nullptr; // a zombie this wait reaped, released after the lock
};

bool eligible_child(const WaitQuery& w, const Task* p) {
    switch (w.type) {
    case WaitFor::All: break;
    case WaitFor::Pid:
        if (p->pid != w.id) return false;
        break;
    case WaitFor::Pgid:
        if (task_pgrp(p) != w.id) return false;
        break;
    }
    if (w.flags & __WALL) return true;
    // Without __WALL: __WCLONE picks the "clone" children (exit signal other than SIGCHLD), its absence
    // the others.
    return (p->signals.exit_signal != SIGCHLD) == bool(w.flags & __WCLONE);
}

// A leader whose other threads still run: its exit is not reported yet.
bool delay_group_leader(const Task* p) { return thread_group_leader(p) && !thread_group_empty(p); }

int wait_task_zombie(WaitQuery& w, Task* p) {
    if (!(w.flags & WEXITED)) return 0;
    int status = task_exit_status(p);
    WaitSiginfo info = wait_status_to_siginfo(status);
    w.out.pid = p->pid;
    w.out.uid = task_cred(p)->uid;
    w.out.status = status;
    w.out.cld_code = info.code;
    w.out.cld_status = info.status;
    thread_group_usage(p, true, w.out.usage);
    if (w.flags & WNOWAIT) return p->pid;
    // Ours now: nobody else can reap it (every exit_state change happens under tasklist_lock).
    p->exit_state = EXIT_DEAD;
    if (ThreadGroup* tg = current()->thread_group) {
        SpinLockIrqSaveGuard guard(tg->lock);
        tg->children.add(w.out.usage);
    }
    w.to_release = p;
    return p->pid;
}

// Job-control state lives with the signals (signal/): the stop signal not yet reported, and whether
// the process continued since the parent last looked.
int wait_task_stopped(WaitQuery& w, Task* p) {
    if (!(w.flags & WUNTRACED)) return 0;
    int signo = task_stopped_code(p, !(w.flags & WNOWAIT));
    if (!signo) return 0;
    w.out.pid = p->pid;
    w.out.uid = task_cred(p)->uid;
    w.out.status = stopped_status(signo);
    w.out.cld_code = CLD_STOPPED;
    w.out.cld_status = signo;
    thread_group_usage(p, true, w.out.usage);
    return p->pid;
}

int wait_task_continued(WaitQuery& w, Task* p) {
    if (!(w.flags & WCONTINUED)) return 0;
    if (!task_continued(p, !(w.flags & WNOWAIT))) return 0;
    w.out.pid = p->pid;
    w.out.uid = task_cred(p)->uid;
    w.out.status = kWaitContinued;
    w.out.cld_code = CLD_CONTINUED;
    w.out.cld_status = SIGCONT;
    thread_group_usage(p, true, w.out.usage);
    return p->pid;
}

// Linux's wait_consider_task() without ptrace. tasklist_lock held.
int wait_consider_task(WaitQuery& w, Task* p) {
    if (p->exit_state == EXIT_DEAD || !p->thread_group) return 0;
    if (!eligible_child(w, p)) return 0;
    if (p->exit_state == EXIT_ZOMBIE && !delay_group_leader(p)) return wait_task_zombie(w, p);
    w.any_eligible = true;
    if (int pid = wait_task_stopped(w, p)) return pid;
    return wait_task_continued(w, p);
}

// One pass over the children of the caller's threads (only its own with __WNOTHREAD). tasklist_lock.
int scan_children(WaitQuery& w) {
    Task* self = current();
    int found = 0;
    auto scan = [&](Task* thread) {
        for (Task& child : thread->children) {
            if (found) return;
            found = wait_consider_task(w, &child);
        }
    };
    if (w.flags & __WNOTHREAD)
        scan(self);
    else
        for_each_thread_of(self, [&](Task* t) {
            if (!found) scan(t);
        });
    return found;
}

Result<int> do_wait(WaitQuery& w) {
    Task* self = current();
    // Kernel threads do not wait for their children (and have no queue to sleep on).
    if (!self->thread_group || !self->signal) return Errno::ECHILD;
    WaitQueueHead& queue = self->signal->wait_chldexit;  // do_notify_parent() wakes it
    WaitQueueEntry entry(self);
    for (;;) {
        // Queued before looking, so that an exit between the scan and schedule() wakes us.
        prepare_to_wait(queue, entry, TASK_INTERRUPTIBLE);
        w.any_eligible = false;
        int pid;
        {
            SpinLockIrqSaveGuard guard(tasklist_lock);
            pid = scan_children(w);
        }
        // pid: found one. Else ECHILD if nothing could ever match; WNOHANG's 0; a signal's restart.
        Errno error = Errno::OK;
        if (!pid) {
            if (!w.any_eligible)
                error = Errno::ECHILD;
            else if (w.flags & WNOHANG)
                error = Errno::OK;
            else if (signal_pending(self))
                error = ERESTARTSYS;
            else {
                schedule();
                continue;
            }
        }
        finish_wait(queue, entry);
        if (w.to_release) release_task(w.to_release);
        if (error != Errno::OK) return error;
        return pid;
        schedule();
    }
}

Result<int> wait_common(WaitFor type, int id, unsigned flags, WaitResult& out) {
    out = WaitResult{};
    WaitQuery w{type, id, flags, out};
    return do_wait(w);
}

constexpr int kIntMin = -2147483647 - 1;

}  // namespace

Result<int> kernel_wait4(int upid, unsigned options, WaitResult& out) {
    if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)) return Errno::EINVAL;
    if (upid == kIntMin) return Errno::ESRCH;  // -INT_MIN does not exist
    WaitFor type = WaitFor::Pid;
    int id = upid;
    if (upid == -1) {
        type = WaitFor::All;
    } else if (upid < 0) {
        type = WaitFor::Pgid;
        id = -upid;
    } else if (upid == 0) {
        type = WaitFor::Pgid;
        id = task_pgrp(current());
    }
    return wait_common(type, id, options | WEXITED, out);
}

Result<int> kernel_waitid(int which, int upid, unsigned options, WaitResult& out) {
    if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))
        return Errno::EINVAL;
    if (!(options & (WEXITED | WSTOPPED | WCONTINUED))) return Errno::EINVAL;
    switch (which) {
    case P_ALL:
        return wait_common(WaitFor::All, 0, options, out);
    case P_PID:
        if (upid <= 0) return Errno::EINVAL;
        return wait_common(WaitFor::Pid, upid, options, out);
    case P_PGID:
        if (upid < 0) return Errno::EINVAL;
        return wait_common(WaitFor::Pgid, upid ? upid : task_pgrp(current()), options, out);
    default:
        return Errno::EINVAL;  // P_PIDFD: Tern has no pidfds yet
    }
}

// --- System calls --------------------------------------------------------------------------------------

namespace {

// The part of siginfo_t (x86-64, 128 bytes) waitid fills: si_signo, si_errno, cld_code, then the SIGCHLD
// fields at offset 16: si_pid, si_uid, cld_status.
struct WaitidSiginfo {
    int32_t signo, error, code, pad;
    int32_t pid;
    uint32_t uid;
    int32_t status;
};
static_assert(sizeof(WaitidSiginfo) == 28);

}  // namespace

SYSCALL_DEFINE4(wait4, int, upid, UserPtr<int>, stat_addr, unsigned, options, UserPtr<LinuxRusage>, ru) {
    WaitResult result;
    Result<int> pid = kernel_wait4(upid, options, result);
    if (pid.is_error() || pid.value() == 0) return pid.to_syscall_return();
    if (!stat_addr.is_null() && put_user(result.status, stat_addr).is_error()) return -long(Errno::EFAULT);
    if (!ru.is_null()) {
        LinuxRusage out = to_linux_rusage(result.usage);
        if (copy_to_user(ru.cast<void>(), &out, sizeof out).is_error()) return -long(Errno::EFAULT);
    }
    return pid.value();
}

SYSCALL_DEFINE5(waitid, int, which, int, upid, UserPtr<WaitidSiginfo>, infop, unsigned, options,
                UserPtr<LinuxRusage>, ru) {
    WaitResult result;
    Result<int> pid = kernel_waitid(which, upid, options, result);
    if (pid.is_error()) return pid.to_syscall_return();
    bool found = pid.value() > 0;
    if (found && !ru.is_null()) {
        LinuxRusage out = to_linux_rusage(result.usage);
        if (copy_to_user(ru.cast<void>(), &out, sizeof out).is_error()) return -long(Errno::EFAULT);
    }
    if (infop.is_null()) return 0;
    // Linux writes these fields even when WNOHANG found nothing (all zero then), and leaves the rest.
    WaitidSiginfo info = {found ? SIGCHLD : 0, 0, found ? result.cld_code : 0, 0,
                          found ? result.pid : 0, found ? result.uid : 0u, found ? result.cld_status : 0};
    UserPtr<void> base = infop.cast<void>();
    if (copy_to_user(base, &info.signo, 12).is_error() || copy_to_user(base.offset(16), &info.pid, 12).is_error())
        return -long(Errno::EFAULT);
    return 0;
}
