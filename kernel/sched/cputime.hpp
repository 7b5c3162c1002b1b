#pragma once
// CPU time of one task split into user and system time (Linux's task_cputime): what getrusage, times,
// wait4, SIGCHLD's siginfo and /proc/<pid>/stat report. One function so every reporter agrees.
//
// The sum is the scheduler's exact run time (se.sum_exec_runtime). The split comes from the tick:
// each tick charges the running task's user or system side by the mode it interrupted
// (account_process_tick), and the exact sum is divided in that proportion (the way Linux's
// cputime_adjust scales its tick samples). A task never sampled counts as all user time. The split
// reported for a task never goes down on either side between two calls, even though the proportion
// moves (Linux's prev_cputime).
#include <locking/spinlock.hpp>
#include <stdint.h>

struct Task;

struct TaskCputime {
    uint64_t utime_ns = 0;
    uint64_t stime_ns = 0;
    uint64_t sum_ns() const { return utime_ns + stime_ns; }
};

// The tick samples of one task and the last split reported (embedded in Task).
struct CputimeSamples {
    uint64_t utime_ticks = 0;  // ticks that interrupted the task in user mode (written by its CPU's tick)
    uint64_t stime_ticks = 0;  // ... in kernel mode
    SpinLock prev_lock;        // serialises reporters updating prev_*
    uint64_t prev_utime_ns = 0;
    uint64_t prev_stime_ns = 0;
};

TaskCputime task_cputime(const Task* task);

// From the scheduler tick (interrupts off): one tick of `task`, which the tick found in user mode or not.
void account_process_tick(Task* task, bool user_tick);

// The split of `rtime` in the proportion stime_ticks : utime_ticks, kept monotonic against `samples`'
// previous split, which it updates (cputime_adjust). Exposed for the host tests.
TaskCputime cputime_adjust(CputimeSamples& samples, uint64_t rtime);
