// Signal generation (Linux's kernel/signal.c, first half): queueing a signal for a thread or a thread
// group, the decisions taken at send time (ignored? SIGCONT/stop interplay, a fatal signal kills the
// whole group at once), waking a thread to take it, and the life cycle of the signal structures.
//
// Generation and delivery meet in the pending sets, under sighand->siglock. The sender queues and sets
// the receiver's sigpending flag; the receiver finds it on its next return to user mode (or its
// interruptible sleep ends) and dequeues it there (deliver.cpp).
#include <lib/string.hpp>
#include <mm/slab.hpp>
#include <printk/panic.hpp>
#include <process/cred.hpp>
#include <process/process.hpp>
#include <sched/pid.hpp>
#include <sched/sched.hpp>
#include <signal/internal.hpp>
#include <smp/smp.hpp>

namespace {

SigHand* new_sighand() { return knew<SigHand>(); }
SignalStruct* new_signal_struct() { return knew<SignalStruct>(); }

bool has_signal_structs(const Task* t) { return t->sighand && t->signal; }

template <class Fn>
void for_each_thread(Task* t, Fn&& fn) {
    for (Task& thread : t->signal->thread_head) fn(&thread);
}

bool task_is_stopped(const Task* t) { return task_state(t) & __TASK_STOPPED; }

// Would this thread take sig now? Prefer one that is not blocking it and is not on its way out.
bool wants_signal(int sig, const Task* t) {
    if (t->signals.blocked.has(sig)) return false;
    if (t->flags & PF_EXITING) return false;
    if (sig == SIGKILL) return true;
    return !task_is_stopped(t);
}

// Default action "terminate" (with or without core) and nobody catching it.
bool sig_fatal(const Task* t, int sig) {
    return !sig_kernel_ignore(sig) && !sig_kernel_stop(sig) && t->sighand->action[sig - 1].handler == SIG_DFL;
}

bool sig_handler_ignored(uint64_t handler, int sig) {
    return handler == SIG_IGN || (handler == SIG_DFL && sig_kernel_ignore(sig));
}

// Dropped at once: nobody will ever act on it (a blocked signal is kept: the handler may change).
bool sig_ignored(const Task* t, int sig, bool force) {
    if (t->signals.blocked.has(sig) || t->signals.real_blocked.has(sig)) return false;
    uint64_t handler = t->sighand->action[sig - 1].handler;
    // init (and the like) only get the signals they asked for, plus the kernel's own SIGKILL/SIGSTOP.
    if ((t->signal->flags & SIGNAL_UNKILLABLE) && handler == SIG_DFL && !(force && sig_kernel_only(sig)))
        return true;
    return sig_handler_ignored(handler, sig);
}

// Send-time rules (Linux's prepare_signal). Returns false if the signal is to be dropped.
bool prepare_signal(int sig, Task* p, bool force) {
    SignalStruct* signal = p->signal;
    if (signal->flags & SIGNAL_GROUP_EXIT) return sig == SIGKILL;  // dying: nothing else matters
    if (sig_kernel_stop(sig)) {
        // A stop cancels a pending continue.
        SigSet cont;
        cont.add(SIGCONT);
        flush_sigqueue_mask(cont, signal->shared_pending);
        for_each_thread(p, [&](Task* t) { flush_sigqueue_mask(cont, t->signals.pending); });
    } else if (sig == SIGCONT) {
        // A continue cancels pending stops and wakes every stopped thread, whatever SIGCONT's action.
        SigSet stops = sigset_of(sigclass::kStop);
        flush_sigqueue_mask(stops, signal->shared_pending);
        for_each_thread(p, [&](Task* t) {
            flush_sigqueue_mask(stops, t->signals.pending);
            t->signals.jobctl &= ~(JOBCTL_STOP_PENDING | JOBCTL_STOP_CONSUME);
            wake_up_state(t, __TASK_STOPPED);
        });
        // The parent hears about it from the first thread through get_signal (it needs other locks).
        unsigned why = 0;
        if (signal->flags & SIGNAL_STOP_STOPPED) why = SIGNAL_CLD_CONTINUED;
        else if (signal->group_stop_count) why = SIGNAL_CLD_STOPPED;
        if (why) {
            signal->flags = why | SIGNAL_STOP_CONTINUED;
            signal->group_stop_count = 0;
            signal->group_exit_code = 0;
        }
    }
    return !sig_ignored(p, sig, force);
}

// Picks the thread to wake for a newly queued signal and, for a fatal one, starts the group's death
// right away (every thread gets SIGKILL), as Linux's complete_signal does.
void complete_signal(int sig, Task* p, bool group) {
    SignalStruct* signal = p->signal;
    Task* t = nullptr;
    if (wants_signal(sig, p)) {
        t = p;
    } else if (group) {
        for_each_thread(p, [&](Task* candidate) {
            if (!t && wants_signal(sig, candidate)) t = candidate;
        });
    }
    if (!t) return;  // every thread blocks it: it stays pending until one unblocks it

    if (sig_fatal(p, sig) && !(signal->flags & SIGNAL_GROUP_EXIT) && !t->signals.real_blocked.has(sig) &&
        (sig == SIGKILL || !sig_kernel_coredump(sig))) {
        signal->flags = SIGNAL_GROUP_EXIT;
        signal->group_exit_code = sig;
        signal->group_stop_count = 0;
        for_each_thread(p, [&](Task* thread) {
            thread->signals.jobctl &= ~(JOBCTL_STOP_PENDING | JOBCTL_STOP_CONSUME);
            thread->signals.pending.signal.add(SIGKILL);
            signal_wake_up(thread, true);
        });
        return;
    }
    signal_wake_up(t, sig == SIGKILL);
}

bool is_kernel_fault_code(const UserSigInfo& info) { return info.si_code > 0; }

}  // namespace

// --- small shared pieces ---------------------------------------------------------------------------------

uint32_t task_uid(const Task* t) { return t->cred ? t->cred->uid : 0; }

bool si_from_kernel(const UserSigInfo& info) { return info.si_code == SI_KERNEL || is_kernel_fault_code(info); }

bool kill_permitted(const Task* target, int sig, const UserSigInfo& info) {
    if (si_from_kernel(info)) return true;
    const Credentials* me = current()->cred;
    const Credentials* them = target->cred;
    if (!me || me->euid == 0) return true;
    uint32_t their_uid = them ? them->uid : 0, their_suid = them ? them->suid : 0;
    if (me->euid == their_uid || me->euid == their_suid || me->uid == their_uid || me->uid == their_suid)
        return true;
    // SIGCONT within a session (job control across a setuid program).
    return sig == SIGCONT && task_session(current()) == task_session(target);
}

UserSigInfo to_user_siginfo(int sig, const KernelSigInfo& k) {
    UserSigInfo u{};
    u.si_signo = sig;
    u.si_errno = k.err;
    u.si_code = k.code;
    if (k.code == SI_KERNEL) return u;
    if (k.code <= 0) {  // from a process: kill, tkill, sigqueue
        u.rt.pid = k.pid;
        u.rt.uid = k.uid;
    } else if (sig == SIGCHLD) {
        u.chld.pid = k.pid;
        u.chld.uid = k.uid;
        u.chld.status = k.status;
        u.chld.utime = int64_t(k.utime);
        u.chld.stime = int64_t(k.stime);
    } else if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP) {
        u.fault.addr = k.addr;
    }
    return u;
}

void signal_wake_up(Task* t, bool fatal) {
    t->signals.sigpending.store(true, MemoryOrder::Release);
    if (wake_up_state(t, TASK_INTERRUPTIBLE | (fatal ? TASK_WAKEKILL : 0))) return;
    // Running (perhaps in user mode on another CPU): an IPI makes it pass through the return-to-user
    // work now rather than at its next tick (Linux's kick_process).
    unsigned cpu = task_cpu(t);
    if (t->on_cpu.load(MemoryOrder::Acquire) && cpu != smp_processor_id()) smp_send_reschedule(cpu);
}

void recalc_sigpending(Task* t) {
    SigSet blocked = t->signals.blocked;
    bool pending = !(t->signals.pending.signal & ~blocked).empty() ||
                   !(t->signal->shared_pending.signal & ~blocked).empty() ||
                   (t->signals.jobctl & JOBCTL_STOP_PENDING) || (t->signal->flags & SIGNAL_CLD_STOPPED) ||
                   (t->signal->flags & SIGNAL_CLD_CONTINUED);
    if (pending) t->signals.sigpending.store(true, MemoryOrder::Release);
    else if (t == current()) t->signals.sigpending.store(false, MemoryOrder::Release);
}

void flush_sigqueue_mask(SigSet mask, SigPending& pending) {
    if ((pending.signal & mask).empty()) return;
    pending.signal = pending.signal & ~mask;
    for (auto it = pending.list.begin(); it != pending.list.end();) {
        SigQueue& q = *it++;
        if (mask.has(q.info.si_signo)) {
            pending.list.remove(q);
            kfree(&q);
        }
    }
}

void flush_sigqueue(SigPending& pending) {
    pending.signal = SigSet{};
    while (SigQueue* q = pending.list.pop_front()) kfree(q);
}

Result<void> send_signal_locked(int sig, const UserSigInfo& info, Task* t, bool group) {
    bool force = si_from_kernel(info);
    if (!prepare_signal(sig, t, force)) return {};
    SigPending& pending = group ? t->signal->shared_pending : t->signals.pending;
    // A classic signal already pending is not queued twice (its first siginfo stands).
    if (!sig_is_realtime(sig) && pending.signal.has(sig)) return {};
    if (auto* q = static_cast<SigQueue*>(kmalloc(sizeof(SigQueue), GFP_ATOMIC))) {
        new (q) SigQueue();
        q->info = info;
        q->info.si_signo = sig;
        pending.list.push_back(*q);
    } else if (sig_is_realtime(sig) && !force) {
        return Errno::EAGAIN;  // sigqueue(3)'s "no resources to queue"; kernel signals still get through
    }
    pending.signal.add(sig);
    complete_signal(sig, t, group);
    return {};
}

// --- the contract (signal.hpp) -----------------------------------------------------------------------

Result<void> send_sig_info(int sig, const KernelSigInfo& info, Task* thread) {
    if (!valid_signal(sig)) return Errno::EINVAL;
    if (!has_signal_structs(thread)) return {};  // kernel threads take no signals
    SiglockGuard guard(thread->sighand);
    return send_signal_locked(sig, to_user_siginfo(sig, info), thread, false);
}

Result<void> group_send_sig_info(int sig, const KernelSigInfo& info, Task* leader) {
    if (!valid_signal(sig)) return Errno::EINVAL;
    if (!has_signal_structs(leader)) return {};
    SiglockGuard guard(leader->sighand);
    return send_signal_locked(sig, to_user_siginfo(sig, info), leader, true);
}

Result<void> kill_pgrp(int pgid, int sig, const KernelSigInfo& info) {
    if (sig != 0 && !valid_signal(sig)) return Errno::EINVAL;
    UserSigInfo uinfo = to_user_siginfo(sig, info);
    bool found = false;
    Errno error = Errno::ESRCH;
    SpinLockIrqSaveGuard guard(tasklist_lock);
    for (Task& t : all_tasks()) {
        if (&t != t.group_leader || t.exit_state || !has_signal_structs(&t)) continue;
        if (task_pgrp(&t) != pgid) continue;
        found = true;
        if (!kill_permitted(&t, sig, uinfo)) {
            error = Errno::EPERM;
            continue;
        }
        error = Errno::OK;
        if (sig) {
            SiglockGuard lock(t.sighand);
            (void)send_signal_locked(sig, uinfo, &t, true);
        }
    }
    if (!found) return Errno::ESRCH;
    return error == Errno::OK ? Result<void>() : Result<void>(error);
}

void kill_pgrp_locked(int pgid, int sig, const KernelSigInfo& info) {
    UserSigInfo uinfo = to_user_siginfo(sig, info);
    for (Task& t : all_tasks()) {
        if (&t != t.group_leader || t.exit_state || !has_signal_structs(&t) || task_pgrp(&t) != pgid) continue;
        SiglockGuard lock(t.sighand);
        (void)send_signal_locked(sig, uinfo, &t, true);
    }
}

// A fault (or another condition the task itself caused) must be seen: unblock it and, if it was
// ignored, restore the default action, so the task dies rather than loops on the faulting instruction.
static void force_sig_info(const UserSigInfo& info) {
    Task* t = current();
    int sig = info.si_signo;
    if (!has_signal_structs(t)) return;
    SiglockGuard guard(t->sighand);
    KSigAction& action = t->sighand->action[sig - 1];
    bool blocked = t->signals.blocked.has(sig);
    if (action.handler == SIG_IGN || blocked) {
        action.handler = SIG_DFL;
        t->signals.blocked.del(sig);
    }
    if (action.handler == SIG_DFL) t->signal->flags &= ~SIGNAL_UNKILLABLE;
    (void)send_signal_locked(sig, info, t, false);
    recalc_sigpending(t);
}

void force_sig(int sig) {
    UserSigInfo info{};
    info.si_signo = sig;
    info.si_code = SI_KERNEL;
    force_sig_info(info);
}

void force_sig_fault(int sig, int code, uint64_t addr) {
    Task* t = current();
    if (t->sighand) {
        const KSigAction& action = t->sighand->action[sig - 1];
        if (action.handler == SIG_DFL || action.handler == SIG_IGN || t->signals.blocked.has(sig))
            show_unhandled_fault(sig, code, addr);
    }
    UserSigInfo info{};
    info.si_signo = sig;
    info.si_code = code;
    info.fault.addr = addr;
    force_sig_info(info);
}

bool task_signal_pending(const Task* task) { return signal_pending(task); }

// --- life cycle ------------------------------------------------------------------------------------------

Result<void> copy_sighand(uint64_t clone_flags, Task* child) {
    Task* parent = current();
    child->signals.blocked = parent->signals.blocked;
    child->signals.sas_ss_sp = parent->signals.sas_ss_sp;
    child->signals.sas_ss_size = parent->signals.sas_ss_size;
    child->signals.sas_ss_flags = parent->signals.sas_ss_flags;
    // A thread sharing the address space must not share the parent's alternate stack (vfork is
    // fine: the parent waits).
    if ((clone_flags & (CLONE_VM | CLONE_VFORK)) == CLONE_VM) {
        child->signals.sas_ss_sp = child->signals.sas_ss_size = 0;
        child->signals.sas_ss_flags = SS_DISABLE;
    }
    if ((clone_flags & CLONE_SIGHAND) && parent->sighand) {
        parent->sighand->count.fetch_add(1, MemoryOrder::Relaxed);
        child->sighand = parent->sighand;
        return {};
    }
    SigHand* sighand = new_sighand();
    if (!sighand) return Errno::ENOMEM;
    if (parent->sighand) {
        SiglockGuard guard(parent->sighand);
        for (int i = 0; i < kNumSignals; i++) sighand->action[i] = parent->sighand->action[i];
    }
    child->sighand = sighand;
    return {};
}

Result<void> copy_signal(uint64_t clone_flags, Task* child) {
    Task* parent = current();
    if ((clone_flags & CLONE_THREAD) && parent->signal) {
        parent->signal->count.fetch_add(1, MemoryOrder::Relaxed);
        child->signal = parent->signal;
        return {};
    }
    SignalStruct* signal = new_signal_struct();
    if (!signal) return Errno::ENOMEM;
    // A new process: the child leads its own group and is its only thread. It shares the parent's
    // controlling terminal (a tty is never freed; a racing setsid of the parent is the parent's own).
    signal->thread_head.push_back(*child);
    if (parent->signal) signal->tty = parent->signal->tty;
    child->signal = signal;
    return {};
}

void signal_link_thread(Task* thread) {
    SiglockGuard guard(thread->sighand);
    SignalStruct* signal = thread->signal;
    signal->thread_head.push_back(*thread);
    signal->nr_threads++;
    signal->live.fetch_add(1, MemoryOrder::Relaxed);
    // A thread born into a dying or stopping group joins in.
    if (signal->flags & SIGNAL_GROUP_EXIT) {
        thread->signals.pending.signal.add(SIGKILL);
        thread->signals.sigpending.store(true, MemoryOrder::Release);
    }
}

void release_task_signals(Task* task) {
    SigHand* sighand = task->sighand;
    SignalStruct* signal = task->signal;
    if (sighand && signal) {
        SiglockGuard guard(sighand);
        if (task->thread_node.linked()) {
            signal->thread_head.remove(*task);
            signal->nr_threads--;
        }
        flush_sigqueue(task->signals.pending);
    } else {
        flush_sigqueue(task->signals.pending);
    }
    if (signal && signal->count.fetch_sub(1, MemoryOrder::AcqRel) == 1) {
        flush_sigqueue(signal->shared_pending);
        kdelete(signal);
    }
    if (sighand && sighand->count.fetch_sub(1, MemoryOrder::AcqRel) == 1) kdelete(sighand);
    task->signal = nullptr;
    task->sighand = nullptr;
}

void flush_signal_handlers(Task* task) {
    if (task->sighand) {
        SiglockGuard guard(task->sighand);
        for (KSigAction& action : task->sighand->action) {
            if (action.handler != SIG_IGN) action.handler = SIG_DFL;
            action.flags = 0;
            action.restorer = 0;
            action.mask = SigSet{};
        }
    }
    // POSIX: exec clears the alternate signal stack.
    task->signals.sas_ss_sp = task->signals.sas_ss_size = 0;
    task->signals.sas_ss_flags = SS_DISABLE;
}

int zap_other_threads(Task* task) {
    int count = 0;
    task->signal->group_stop_count = 0;
    for_each_thread(task, [&](Task* t) {
        t->signals.jobctl &= ~(JOBCTL_STOP_PENDING | JOBCTL_STOP_CONSUME);
        if (t == task || t->exit_state) return;
        count++;
        t->signals.pending.signal.add(SIGKILL);
        signal_wake_up(t, true);
    });
    return count;
}

void force_sigsegv(int sig) {
    Task* t = current();
    if (sig == SIGSEGV && t->sighand) {
        SiglockGuard guard(t->sighand);
        t->sighand->action[SIGSEGV - 1].handler = SIG_DFL;
    }
    force_sig(SIGSEGV);
}
