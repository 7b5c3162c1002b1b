#pragma once
// Resource usage as getrusage(2), wait4(2) and times(2) report it: Linux's struct rusage and struct tms
// (x86-64 layouts), and the conversions from Tern's counters.
//
// CPU time: Tern's scheduler measures each task's total run time (se.sum_exec_runtime, ns) but does not
// yet tell user from system time, so all of it is reported as user time and system time is 0.
#include <process/thread_group.hpp>
#include <stdint.h>

constexpr int RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;
constexpr unsigned USER_HZ = 100;  // clock_t ticks per second (AT_CLKTCK, times(2))

struct LinuxTimeval {
    int64_t tv_sec;
    int64_t tv_usec;
};

struct LinuxRusage {
    LinuxTimeval ru_utime, ru_stime;
    int64_t ru_maxrss;  // KiB
    int64_t ru_ixrss, ru_idrss, ru_isrss;
    int64_t ru_minflt, ru_majflt, ru_nswap;
    int64_t ru_inblock, ru_oublock;
    int64_t ru_msgsnd, ru_msgrcv, ru_nsignals;
    int64_t ru_nvcsw, ru_nivcsw;
};
static_assert(sizeof(LinuxRusage) == 144);

struct LinuxTms {
    int64_t tms_utime, tms_stime, tms_cutime, tms_cstime;  // clock_t, USER_HZ ticks
};

constexpr LinuxTimeval ns_to_timeval(uint64_t ns) {
    return {int64_t(ns / 1000000000ull), int64_t(ns % 1000000000ull / 1000)};
}
constexpr int64_t ns_to_clock_t(uint64_t ns) { return int64_t(ns / (1000000000ull / USER_HZ)); }
LinuxRusage to_linux_rusage(const TaskUsage& usage);

// getrusage()'s three views; EINVAL for another `who`.
Result<TaskUsage> task_rusage(Task* task, int who);
