#pragma once
// The per-thread part of signal state, embedded in Task (Linux keeps the same fields in task_struct):
// signals sent to this thread alone, its blocked mask, its alternate signal stack. The per-process part
// is SignalStruct, the handlers SigHand (signal_struct.hpp).
//
// Locking: everything here except `sigpending` is under the thread's sighand->siglock, or touched only
// by the thread itself (sas_*, restart, saved_sigmask).
#include <lib/atomic.hpp>
#include <lib/list.hpp>
#include <signal/sigset.hpp>
#include <signal/uapi.hpp>
#include <stdint.h>

// One queued signal with its siginfo. Classic signals have at most one entry each; real-time signals
// queue one per send.
struct SigQueue {
    ListNode node;
    UserSigInfo info;
};

struct SigPending {
    SigSet signal;  // which signals are pending (each has zero or more entries in `list`)
    IntrusiveList<SigQueue, &SigQueue::node> list;
};

// What restart_syscall(2) continues after a signal interrupted a call that returned
// ERESTART_RESTARTBLOCK (nanosleep and friends: the remaining time must not restart from scratch).
struct RestartBlock {
    long (*fn)(RestartBlock*) = nullptr;
    uint64_t arg[4] = {};
};

// jobctl bits (Linux's JOBCTL_*): this thread's part in a group stop.
constexpr unsigned JOBCTL_STOP_PENDING = 1u << 0;   // must stop before returning to user mode
constexpr unsigned JOBCTL_STOP_CONSUME = 1u << 1;   // counts towards SignalStruct::group_stop_count

struct TaskSignals {
    SigPending pending;            // sent to this thread (tkill, faults)
    SigSet blocked;                // not delivered while blocked (they stay pending)
    SigSet real_blocked;           // `blocked` before rt_sigtimedwait widened it
    SigSet saved_sigmask;          // restored after the handler when restore_sigmask (sigsuspend)
    bool restore_sigmask = false;
    // True when a signal may be deliverable (Linux's TIF_SIGPENDING): read without locks on every return
    // to user mode and by interruptible sleeps; set by senders, recomputed under siglock.
    Atomic<bool> sigpending{false};
    unsigned jobctl = 0;
    int exit_signal = SIGCHLD;     // sent to the parent when this process exits (-1: a thread, none)
    uint64_t sas_ss_sp = 0;        // alternate signal stack (sigaltstack)
    uint64_t sas_ss_size = 0;
    uint32_t sas_ss_flags = SS_DISABLE;
    RestartBlock restart;

    TaskSignals() = default;
    TaskSignals(const TaskSignals&) = delete;
    TaskSignals& operator=(const TaskSignals&) = delete;
};
