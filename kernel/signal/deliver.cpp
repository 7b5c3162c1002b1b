// Signal delivery (Linux's kernel/signal.c, second half): on the way back to user mode the current task
// dequeues its signals and either runs a handler (the architecture builds the frame) or carries out the
// default action here: ignore, stop the thread group (job control), or terminate it (with the core bit).
// Also the parent's side: SIGCHLD and the wake-up of wait4() for exits, stops and continues.
#include <mm/slab.hpp>
#include <process/process.hpp>
#include <sched/cputime.hpp>
#include <sched/exit.hpp>
#include <sched/pid.hpp>
#include <sched/sched.hpp>
#include <signal/internal.hpp>

namespace {

// Which pending signal goes first: synchronous ones (the faulting instruction's) before the rest, then
// the lowest number (Linux's order; real-time signals thus in number order).
int next_signal(const SigPending& pending, SigSet blocked) {
    SigSet ready = pending.signal & ~blocked;
    SigSet sync = ready & sigset_of(sigclass::kSynchronous);
    if (!sync.empty()) return sync.first();
    return ready.first();
}

// Takes one occurrence of sig off `pending`, with its siginfo (or a plain SI_USER one if the queue entry
// could not be allocated at send time).
void collect_signal(int sig, SigPending& pending, UserSigInfo& info) {
    SigQueue* first = nullptr;
    bool more = false;
    for (SigQueue& q : pending.list) {
        if (q.info.si_signo != sig) continue;
        if (first) {
            more = true;
            break;
        }
        first = &q;
    }
    if (!more) pending.signal.del(sig);
    if (first) {
        info = first->info;
        pending.list.remove(*first);
        kfree(first);
    } else {
        info = UserSigInfo{};
        info.si_signo = sig;
        info.si_code = SI_USER;
    }
}

// siglock held. This thread's part of a group stop: the last thread to stop tells the parent.
// Returns the notification to send (CLD_STOPPED) or 0.
int participate_in_group_stop(Task* t) {
    SignalStruct* signal = t->signal;
    unsigned& jobctl = t->signals.jobctl;
    bool consume = jobctl & JOBCTL_STOP_CONSUME;
    jobctl &= ~(JOBCTL_STOP_PENDING | JOBCTL_STOP_CONSUME);
    if (!consume || signal->group_stop_count == 0) return 0;
    if (--signal->group_stop_count > 0) return 0;
    signal->flags = SIGNAL_STOP_STOPPED;
    return CLD_STOPPED;
}

// Stops the current task for job control (siglock held through `guard`, released here). signr != 0 starts
// a group stop with that signal; 0 joins one already under way. Returns once the task is continued (or
// killed: the caller's loop then finds SIGKILL).
void do_signal_stop(Task* t, int signr, SiglockGuard& guard) {
    SignalStruct* signal = t->signal;
    if (!(t->signals.jobctl & JOBCTL_STOP_PENDING)) {
        if (signal->flags & SIGNAL_GROUP_EXIT) return;
        // Start the group stop: every live thread must stop, and each one that does counts down.
        signal->group_exit_code = signr;
        signal->group_stop_count = 0;
        for (Task& thread : signal->thread_head) {
            if ((thread.flags & PF_EXITING) || thread.exit_state) continue;
            thread.signals.jobctl |= JOBCTL_STOP_PENDING | JOBCTL_STOP_CONSUME;
            signal->group_stop_count++;
            if (&thread != t) signal_wake_up(&thread, false);
        }
    }
    int notify = participate_in_group_stop(t);
    // Set under siglock: a SIGCONT (which wakes __TASK_STOPPED under the same lock) either comes before,
    // and has cleared our stop request so we would not be here, or after, and wakes us.
    set_current_state(TASK_STOPPED);
    guard.unlock();
    if (notify) do_notify_parent_cldstop(t, notify);
    schedule();
    __set_current_state(TASK_RUNNING);
}

// The parent's view of a group: its leader's parent.
Task* notify_target(Task* t) { return t->group_leader->real_parent; }

void fill_chld_info(UserSigInfo& info, Task* child, int why, int status) {
    info = UserSigInfo{};
    info.si_signo = SIGCHLD;
    info.si_code = why;
    info.chld.pid = child->tgid;
    info.chld.uid = task_uid(child);
    info.chld.status = status;
    // Clock ticks (USER_HZ = 100).
    TaskCputime ct = task_cputime(child);
    info.chld.utime = int64_t(ct.utime_ns / 10000000);
    info.chld.stime = int64_t(ct.stime_ns / 10000000);
}

void wake_up_parent(Task* parent) {
    if (parent->signal) wake_up_all(parent->signal->wait_chldexit);
}

// tasklist_lock held (it keeps the parent link stable).
void notify_parent_cldstop_locked(Task* t, int why) {
    Task* leader = t->group_leader;
    Task* parent = notify_target(t);
    if (!parent || !parent->sighand || !parent->signal) return;
    int status = why == CLD_CONTINUED ? SIGCONT : (leader->signal->group_exit_code & 0x7f);
    UserSigInfo info;
    fill_chld_info(info, leader, why, status);
    {
        SiglockGuard guard(parent->sighand);
        const KSigAction& action = parent->sighand->action[SIGCHLD - 1];
        if (action.handler != SIG_IGN && !(action.flags & SA_NOCLDSTOP))
            (void)send_signal_locked(SIGCHLD, info, parent, true);
    }
    wake_up_parent(parent);
}

}  // namespace

int dequeue_signal(Task* t, SigSet blocked, UserSigInfo& info) {
    int sig = next_signal(t->signals.pending, blocked);
    if (sig) {
        collect_signal(sig, t->signals.pending, info);
    } else {
        sig = next_signal(t->signal->shared_pending, blocked);
        if (sig) collect_signal(sig, t->signal->shared_pending, info);
    }
    recalc_sigpending(t);
    return sig;
}

void do_notify_parent_cldstop(Task* t, int why) {
    SpinLockIrqSaveGuard guard(tasklist_lock);
    notify_parent_cldstop_locked(t, why);
}

bool get_signal(KSignal& ksig) {
    Task* t = current();
    if (!t->sighand || !t->signal) {
        t->signals.sigpending.store(false);
        return false;
    }
    SigHand* sighand = t->sighand;
    SignalStruct* signal = t->signal;
    for (;;) {
        SiglockGuard guard(sighand);
        // A continue (or a stop SIGCONT interrupted) the parent has not heard of yet.
        if (signal->flags & (SIGNAL_CLD_CONTINUED | SIGNAL_CLD_STOPPED)) {
            int why = signal->flags & SIGNAL_CLD_CONTINUED ? CLD_CONTINUED : CLD_STOPPED;
            signal->flags &= ~(SIGNAL_CLD_CONTINUED | SIGNAL_CLD_STOPPED);
            guard.unlock();
            do_notify_parent_cldstop(t, why);
            continue;
        }
        if (signal->flags & SIGNAL_GROUP_EXIT) {
            int code = signal->group_exit_code;
            t->signals.pending.signal.del(SIGKILL);
            guard.unlock();
            do_group_exit(code);
        }
        if (t->signals.jobctl & JOBCTL_STOP_PENDING) {
            do_signal_stop(t, 0, guard);
            continue;
        }

        UserSigInfo info;
        int sig = dequeue_signal(t, t->signals.blocked, info);
        if (!sig) return false;

        KSigAction& action = sighand->action[sig - 1];
        if (action.handler == SIG_IGN) continue;
        if (action.handler != SIG_DFL) {
            ksig.sig = sig;
            ksig.ka = action;
            ksig.info = info;
            if (action.flags & SA_RESETHAND) action.handler = SIG_DFL;
            return true;
        }

        // The default action.
        if (sig_kernel_ignore(sig)) continue;
        if ((signal->flags & SIGNAL_UNKILLABLE) && !sig_kernel_only(sig)) continue;
        if (sig_kernel_stop(sig)) {
            if (sig != SIGSTOP) {
                // POSIX: TSTP/TTIN/TTOU do not stop an orphaned process group (nobody could continue
                // it); they are discarded. The check takes tasklist_lock, which comes before siglock.
                guard.unlock();
                if (is_current_pgrp_orphaned()) continue;
                SiglockGuard relock(sighand);
                do_signal_stop(t, sig, relock);
                continue;
            }
            do_signal_stop(t, sig, guard);
            continue;
        }
        // Terminate the whole group; the wait status carries the signal and the core-dump bit (no core
        // file is written).
        int code = sig | (sig_kernel_coredump(sig) ? 0x80 : 0);
        guard.unlock();
        do_group_exit(code);
    }
}

void set_current_blocked(SigSet mask) {
    Task* t = current();
    mask = mask & ~sigset_of(sigclass::kKernelOnly);
    if (!t->sighand) {
        t->signals.blocked = mask;
        return;
    }
    SiglockGuard guard(t->sighand);
    SigSet newly_blocked = mask & ~t->signals.blocked;
    t->signals.blocked = mask;
    // A process signal this thread now blocks may be taken by another thread.
    SigSet retarget = newly_blocked & t->signal->shared_pending.signal;
    if (!retarget.empty()) {
        for (Task& other : t->signal->thread_head) {
            if (&other == t || (other.flags & PF_EXITING)) continue;
            if (!(retarget & ~other.signals.blocked).empty()) signal_wake_up(&other, false);
        }
    }
    recalc_sigpending(t);
}

void signal_setup_done(bool failed, const KSignal& ksig) {
    Task* t = current();
    if (failed) {
        force_sigsegv(ksig.sig);  // the frame could not be written (bad stack)
        return;
    }
    SigSet blocked = t->signals.blocked | ksig.ka.mask;
    if (!(ksig.ka.flags & SA_NODEFER)) blocked.add(ksig.sig);
    t->signals.restore_sigmask = false;
    set_current_blocked(blocked);
    if ((t->signals.sas_ss_flags & SS_AUTODISARM) && (ksig.ka.flags & SA_ONSTACK)) {
        t->signals.sas_ss_sp = t->signals.sas_ss_size = 0;
        t->signals.sas_ss_flags = SS_DISABLE;
    }
}

void restore_saved_sigmask() {
    Task* t = current();
    if (!t->signals.restore_sigmask) return;
    t->signals.restore_sigmask = false;
    set_current_blocked(t->signals.saved_sigmask);
}

// --- for the process code ------------------------------------------------------------------------------

void exit_signals(Task* task) {
    if (!task->sighand || !task->signal) return;
    int notify = 0;
    {
        SiglockGuard guard(task->sighand);
        SignalStruct* signal = task->signal;
        // A group stop must not wait for a thread that is going away.
        if (task->signals.jobctl & JOBCTL_STOP_PENDING) notify = participate_in_group_stop(task);
        // Process signals this thread could have taken go to another thread.
        SigSet unblocked = signal->shared_pending.signal & ~task->signals.blocked;
        if (!unblocked.empty()) {
            for (Task& other : signal->thread_head) {
                if (&other == task || (other.flags & PF_EXITING) || other.exit_state) continue;
                if (!(unblocked & ~other.signals.blocked).empty()) {
                    signal_wake_up(&other, false);
                    break;
                }
            }
        }
        task->signals.sigpending.store(false);
    }
    if (notify) do_notify_parent_cldstop(task, notify);
}

bool do_notify_parent(Task* child, int why, int status) {
    if (why == CLD_STOPPED || why == CLD_CONTINUED) {
        notify_parent_cldstop_locked(child, why);
        return false;
    }
    Task* parent = child->parent;
    if (!parent || !parent->sighand || !parent->signal) return true;  // no one can wait for it
    int sig = child->signals.exit_signal;
    UserSigInfo info;
    fill_chld_info(info, child, why, status);
    bool autoreap = false;
    {
        SiglockGuard guard(parent->sighand);
        const KSigAction& action = parent->sighand->action[SIGCHLD - 1];
        // POSIX: a parent that ignores SIGCHLD, or asked SA_NOCLDWAIT, gets no zombies.
        if (sig == SIGCHLD && (action.handler == SIG_IGN || (action.flags & SA_NOCLDWAIT))) {
            autoreap = true;
            if (action.handler == SIG_IGN) sig = 0;
        }
        if (valid_signal(sig)) {
            info.si_signo = sig;
            (void)send_signal_locked(sig, info, parent, true);
        }
    }
    wake_up_parent(parent);
    return autoreap;
}

int task_stopped_code(Task* task, bool consume) {
    if (!task->sighand || !task->signal) return 0;
    SiglockGuard guard(task->sighand);
    SignalStruct* signal = task->signal;
    if (!(signal->flags & SIGNAL_STOP_STOPPED) || !signal->group_exit_code) return 0;
    int code = signal->group_exit_code;
    if (consume) signal->group_exit_code = 0;
    return code;
}

bool task_continued(Task* task, bool consume) {
    if (!task->sighand || !task->signal) return false;
    SiglockGuard guard(task->sighand);
    SignalStruct* signal = task->signal;
    if (!(signal->flags & SIGNAL_STOP_CONTINUED)) return false;
    if (consume) signal->flags &= ~SIGNAL_STOP_CONTINUED;
    return true;
}
