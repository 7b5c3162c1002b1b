#pragma once
// Interval timers (setitimer/getitimer/alarm): three per process, Linux's ITIMER_REAL, ITIMER_VIRTUAL
// and ITIMER_PROF.
//
//   ITIMER_REAL     wall-clock time: a kernel timer; SIGALRM on expiry.
//   ITIMER_VIRTUAL  the process's user CPU time: SIGVTALRM.
//   ITIMER_PROF     its user + system CPU time: SIGPROF.
// Each reloads with its interval after firing (0: one-shot). The CPU-time timers count down by whole
// ticks charged to the running thread's process (itimer_account_tick), so their resolution is a tick,
// as in Linux's tick-based accounting. A child starts with none armed; exec keeps them.
#include <locking/spinlock.hpp>
#include <time/timer.hpp>
#include <stdint.h>

struct SignalStruct;
struct Task;

// ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF (libc defines those names as macros in the host build).
constexpr int kItimerReal = 0, kItimerVirtual = 1, kItimerProf = 2;

struct CpuItimer {
    uint64_t value_ns = 0;  // left until expiry; 0: disarmed
    uint64_t incr_ns = 0;   // reload value
};

struct ProcessItimers {
    SpinLock lock;
    KernelTimer real;           // armed while ITIMER_REAL runs
    bool real_ready = false;    // real has been set up
    bool dead = false;          // the process has exited: the callback must not re-arm
    uint64_t real_incr_ns = 0;  // ITIMER_REAL's interval
    CpuItimer cpu[2];           // [0] ITIMER_VIRTUAL, [1] ITIMER_PROF
};

struct ItimerSpec {
    uint64_t value_ns = 0;     // time to the next expiry (0: disarmed)
    uint64_t interval_ns = 0;  // reload
};

// getitimer/setitimer's core (EINVAL for another `which`). `old` may be null.
int do_getitimer(Task* task, int which, ItimerSpec& out);
int do_setitimer(Task* task, int which, const ItimerSpec& value, ItimerSpec* old);
// The tick: `task` ran for the last tick in user mode (`user`) or in the kernel. Interrupts off.
void itimer_account_tick(Task* task, bool user);
// The process exits (its last thread): stop ITIMER_REAL for good. Process context.
void exit_itimers(SignalStruct* signal);
