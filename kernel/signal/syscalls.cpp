// The signal system calls: actions, masks, pending sets, waiting for signals, and sending them (kill,
// tkill, tgkill, rt_sigqueueinfo). sigreturn and sigaltstack need the user registers and live with the
// architecture's frame code (arch/x86_64/signal.cpp).
#include <lib/uaccess.hpp>
#include <process/process.hpp>
#include <sched/pid.hpp>
#include <sched/sched.hpp>
#include <sched/timeout.hpp>
#include <signal/internal.hpp>
#include <signal/restart.hpp>
#include <syscalls/syscall.hpp>
#include <time/clocksource_api.hpp>
#include <time/jiffies.hpp>

namespace {

constexpr long err(Errno e) { return -long(e); }

// Both kill(2)'s "this process" and the siginfo a process-generated signal carries.
UserSigInfo user_info(int sig, int code) {
    UserSigInfo info{};
    info.si_signo = sig;
    info.si_code = code;
    info.rt.pid = current()->tgid;
    info.rt.uid = task_uid(current());
    return info;
}

bool has_signal_structs(const Task* t) { return t->sighand && t->signal; }

// Sends to one task (a thread for tkill/tgkill, else its group) after the permission check. sig 0
// checks only. tasklist_lock held by the caller (keeps `t` alive).
long send_checked(int sig, const UserSigInfo& info, Task* t, bool group) {
    if (!kill_permitted(t, sig, info)) return err(Errno::EPERM);
    if (!sig || !has_signal_structs(t)) return 0;
    SiglockGuard guard(t->sighand);
    return send_signal_locked(sig, info, t, group).to_syscall_return();
}

long kill_one_process(int pid, int sig, const UserSigInfo& info) {
    SpinLockIrqSaveGuard guard(tasklist_lock);
    Task* t = find_task_by_pid(pid);
    if (!t || t->exit_state == EXIT_DEAD) return err(Errno::ESRCH);
    return send_checked(sig, info, t, true);
}

// kill(-1, sig): every process the caller may signal, except init and the caller's own.
long kill_everyone(int sig, const UserSigInfo& info) {
    SpinLockIrqSaveGuard guard(tasklist_lock);
    int count = 0;
    bool delivered = false;
    for (Task& t : all_tasks()) {
        if (&t != t.group_leader || t.tgid <= 1 || t.tgid == current()->tgid || !has_signal_structs(&t)) continue;
        count++;
        if (send_checked(sig, info, &t, true) == 0) delivered = true;
    }
    if (!count) return err(Errno::ESRCH);
    return delivered ? 0 : err(Errno::EPERM);
}

// tkill/tgkill: one thread, optionally checked to belong to thread group tgid.
long do_tkill(int tgid, int tid, int sig) {
    if (tid <= 0 || (sig && !valid_signal(sig))) return err(Errno::EINVAL);
    UserSigInfo info = user_info(sig, SI_TKILL);
    SpinLockIrqSaveGuard guard(tasklist_lock);
    Task* t = find_task_by_pid(tid);
    if (!t || (tgid > 0 && t->tgid != tgid) || t->exit_state == EXIT_DEAD) return err(Errno::ESRCH);
    return send_checked(sig, info, t, false);
}

long copy_sigset_in(SigSet& set, uint64_t uset, uint64_t sigsetsize) {
    if (sigsetsize != sizeof(uint64_t)) return err(Errno::EINVAL);
    uint64_t bits;
    if (Result<void> r = get_user(bits, UserPtr<uint64_t>(uset)); !r) return -long(r.error());
    set.bits = bits;
    return 0;
}

long copy_sigset_out(SigSet set, uint64_t uset) {
    return put_user(set.bits, UserPtr<uint64_t>(uset)).to_syscall_return();
}

// Sleeps until a signal is pending (true) or, unless `forever`, timeout_ns have passed (false). The wait
// lasts at least the time asked for: whole ticks, rounded up, and re-checked against the clock.
bool sleep_for_signal(bool forever, uint64_t timeout_ns) {
    constexpr uint64_t kTickNs = 1000000000 / HZ;
    uint64_t deadline = ktime_get_ns() + timeout_ns;
    for (;;) {
        if (signal_pending(current())) return true;
        if (forever) {
            set_current_state(TASK_INTERRUPTIBLE);
            if (!signal_pending(current())) schedule();
            __set_current_state(TASK_RUNNING);
            continue;
        }
        uint64_t now = ktime_get_ns();
        if (now >= deadline) return false;
        schedule_timeout_interruptible(long((deadline - now + kTickNs - 1) / kTickNs) + 1);
    }
}

// Timespec as user space passes it.
struct UserTimespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};

}  // namespace

SYSCALL_DEFINE4(rt_sigaction, int, sig, uint64_t, uact, uint64_t, uoact, uint64_t, sigsetsize) {
    if (sigsetsize != sizeof(uint64_t)) return err(Errno::EINVAL);
    if (!valid_signal(sig) || (uact && sig_kernel_only(sig))) return err(Errno::EINVAL);
    UserSigaction act{};
    if (uact) {
        if (Result<void> r = copy_from_user(&act, UserPtr<const void>(uact), sizeof act); !r) return -long(r.error());
    }
    Task* t = current();
    if (!t->sighand) return err(Errno::EINVAL);
    UserSigaction old{};
    {
        SiglockGuard guard(t->sighand);
        KSigAction& k = t->sighand->action[sig - 1];
        old = {k.handler, k.flags, k.restorer, k.mask.bits};
        if (uact) {
            k.handler = act.handler;
            k.flags = act.flags & kKnownSaFlags;
            k.restorer = act.restorer;
            k.mask = SigSet{act.mask} & ~sigset_of(sigclass::kKernelOnly);
            // POSIX: setting an action to "ignore" discards that signal where it is pending.
            if (act.handler == SIG_IGN || (act.handler == SIG_DFL && sig_kernel_ignore(sig))) {
                SigSet discard;
                discard.add(sig);
                flush_sigqueue_mask(discard, t->signal->shared_pending);
                for (Task& thread : t->signal->thread_head) flush_sigqueue_mask(discard, thread.signals.pending);
            }
        }
    }
    if (uoact) {
        if (Result<void> r = copy_to_user(UserPtr<void>(uoact), &old, sizeof old); !r) return -long(r.error());
    }
    return 0;
}

SYSCALL_DEFINE4(rt_sigprocmask, int, how, uint64_t, uset, uint64_t, uoset, uint64_t, sigsetsize) {
    if (sigsetsize != sizeof(uint64_t)) return err(Errno::EINVAL);
    Task* t = current();
    SigSet old = t->signals.blocked;
    if (uset) {
        SigSet set;
        if (long r = copy_sigset_in(set, uset, sigsetsize)) return r;
        SigSet next;
        switch (how) {
        case SIG_BLOCK: next = old | set; break;
        case SIG_UNBLOCK: next = old & ~set; break;
        case SIG_SETMASK: next = set; break;
        default: return err(Errno::EINVAL);
        }
        set_current_blocked(next);
    }
    if (uoset) return copy_sigset_out(old, uoset);
    return 0;
}

SYSCALL_DEFINE2(rt_sigpending, uint64_t, uset, uint64_t, sigsetsize) {
    if (sigsetsize > sizeof(uint64_t)) return err(Errno::EINVAL);
    Task* t = current();
    SigSet pending;
    if (t->sighand) {
        SiglockGuard guard(t->sighand);
        pending = (t->signals.pending.signal | t->signal->shared_pending.signal) & t->signals.blocked;
    }
    return copy_to_user(UserPtr<void>(uset), &pending.bits, sigsetsize).to_syscall_return();
}

SYSCALL_DEFINE2(rt_sigsuspend, uint64_t, umask, uint64_t, sigsetsize) {
    SigSet mask;
    if (long r = copy_sigset_in(mask, umask, sigsetsize)) return r;
    Task* t = current();
    t->signals.saved_sigmask = t->signals.blocked;
    t->signals.restore_sigmask = true;
    set_current_blocked(mask);
    for (;;) {
        set_current_state(TASK_INTERRUPTIBLE);
        if (signal_pending(t)) break;
        schedule();
    }
    __set_current_state(TASK_RUNNING);
    // The handler's frame saves the old mask (restored by sigreturn); without a handler the signal
    // code restores it and restarts the wait.
    return err(ERESTARTNOHAND);
}

SYSCALL_DEFINE0(pause) {
    for (;;) {
        set_current_state(TASK_INTERRUPTIBLE);
        if (signal_pending(current())) break;
        schedule();
    }
    __set_current_state(TASK_RUNNING);
    return err(ERESTARTNOHAND);
}

SYSCALL_DEFINE4(rt_sigtimedwait, uint64_t, uthese, uint64_t, uinfo, uint64_t, uts, uint64_t, sigsetsize) {
    SigSet these;
    if (long r = copy_sigset_in(these, uthese, sigsetsize)) return r;
    these = these & ~sigset_of(sigclass::kKernelOnly);
    bool forever = !uts;
    uint64_t timeout_ns = 0;
    if (uts) {
        UserTimespec ts;
        if (Result<void> r = copy_from_user(&ts, UserPtr<const void>(uts), sizeof ts); !r) return -long(r.error());
        if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000) return err(Errno::EINVAL);
        timeout_ns = uint64_t(ts.tv_sec) * 1000000000 + uint64_t(ts.tv_nsec);
    }
    Task* t = current();
    if (!t->sighand) return err(Errno::EINVAL);
    UserSigInfo info{};
    int sig;
    bool timed_out = false;
    {
        SiglockGuard guard(t->sighand);
        sig = dequeue_signal(t, ~these, info);
        if (!sig && (forever || timeout_ns)) {
            // Let the awaited signals through to wake us, without running their handlers.
            t->signals.real_blocked = t->signals.blocked;
            t->signals.blocked = t->signals.blocked & ~these;
            recalc_sigpending(t);
            guard.unlock();
            timed_out = !sleep_for_signal(forever, timeout_ns);
            SiglockGuard relock(t->sighand);
            t->signals.blocked = t->signals.real_blocked;
            t->signals.real_blocked = SigSet{};
            sig = dequeue_signal(t, ~these, info);
        } else if (!sig) {
            timed_out = true;
        }
    }
    if (!sig) return err(timed_out ? Errno::EAGAIN : Errno::EINTR);
    if (uinfo) {
        if (Result<void> r = copy_to_user(UserPtr<void>(uinfo), &info, sizeof info); !r) return -long(r.error());
    }
    return sig;
}

SYSCALL_DEFINE2(kill, int, pid, int, sig) {
    if (sig && !valid_signal(sig)) return err(Errno::EINVAL);
    UserSigInfo info = user_info(sig, SI_USER);
    if (pid > 0) return kill_one_process(pid, sig, info);
    if (pid == -1) return kill_everyone(sig, info);
    KernelSigInfo kinfo;
    kinfo.signo = sig;
    kinfo.code = SI_USER;
    kinfo.pid = current()->tgid;
    kinfo.uid = task_uid(current());
    int pgid = pid == 0 ? task_pgrp(current()) : -pid;
    return kill_pgrp(pgid, sig, kinfo).to_syscall_return();
}

SYSCALL_DEFINE3(tgkill, int, tgid, int, tid, int, sig) {
    if (tgid <= 0) return err(Errno::EINVAL);
    return do_tkill(tgid, tid, sig);
}

SYSCALL_DEFINE2(tkill, int, tid, int, sig) { return do_tkill(0, tid, sig); }

namespace {

long queue_user_info(int tgid, int tid, int sig, uint64_t uinfo) {
    if (!valid_signal(sig)) return err(Errno::EINVAL);
    UserSigInfo info;
    if (Result<void> r = copy_from_user(&info, UserPtr<const void>(uinfo), sizeof info); !r) return -long(r.error());
    // A process may not forge the kernel's (or tkill's) si_codes towards another process.
    if ((info.si_code >= 0 || info.si_code == SI_TKILL) && tgid != current()->tgid) return err(Errno::EPERM);
    info.si_signo = sig;
    SpinLockIrqSaveGuard guard(tasklist_lock);
    Task* t = find_task_by_pid(tid ? tid : tgid);
    if (!t || t->exit_state == EXIT_DEAD || (tid && t->tgid != tgid)) return err(Errno::ESRCH);
    return send_checked(sig, info, t, tid == 0);
}

}  // namespace

SYSCALL_DEFINE3(rt_sigqueueinfo, int, tgid, int, sig, uint64_t, uinfo) { return queue_user_info(tgid, 0, sig, uinfo); }

SYSCALL_DEFINE4(rt_tgsigqueueinfo, int, tgid, int, tid, int, sig, uint64_t, uinfo) {
    if (tgid <= 0 || tid <= 0) return err(Errno::EINVAL);
    return queue_user_info(tgid, tid, sig, uinfo);
}

SYSCALL_DEFINE0(restart_syscall) {
    RestartBlock& restart = current()->signals.restart;
    if (!restart.fn) return err(Errno::EINTR);
    return restart.fn(&restart);
}
