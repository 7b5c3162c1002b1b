#pragma once
// CPU time of one task split into user and system time (Linux's task_cputime): what getrusage, times,
// wait4, SIGCHLD's siginfo and /proc/<pid>/stat report. One function so every reporter agrees.
//
// The sum is the scheduler's exact run time (se.sum_exec_runtime). The split comes from the tick:
// each tick charges the running task's user or system side by the mode it interrupted, and the exact
// sum is divided in that proportion (the way Linux's cputime_adjust scales its tick samples). Until the
// tick keeps those samples, all of it counts as user time.
#include <stdint.h>

struct Task;

struct TaskCputime {
    uint64_t utime_ns = 0;
    uint64_t stime_ns = 0;
    uint64_t sum_ns() const { return utime_ns + stime_ns; }
};

TaskCputime task_cputime(const Task* task);
