#pragma once
// A consistent-enough snapshot of what /proc shows about one task or process, gathered under the locks
// that own each part (tasklist_lock for the family, siglock for signals, the mmap lock for the address
// space), so the printers in array.cpp only format.
#include <mm/mm.hpp>
#include <signal/sigset.hpp>
#include <sched/task.hpp>
#include <stdint.h>

// Address-space sizes in pages unless named bytes (Linux's mm counters).
struct MmCounters {
    uint64_t total_vm = 0, hiwater_vm = 0;
    uint64_t rss = 0, hiwater_rss = 0;
    uint64_t rss_anon = 0, rss_file = 0, rss_shmem = 0;
    uint64_t data_vm = 0, stack_vm = 0, exec_vm = 0;
    uint64_t pte_pages = 0;
    uint64_t text_bytes = 0, lib_bytes = 0;
};

struct TaskSnapshot {
    int pid = 0;   // the task's own ID (the first field of stat)
    int tid = 0, tgid = 0, ppid = 0, pgrp = 0, session = 0;
    // TODO(lead): the controlling terminal's device number and foreground group, from the tty layer's
    // task_tty_nr(Task*) (helper "tty") once it is merged; 0 and -1 mean "no terminal" meanwhile.
    int tty_nr = 0, tpgid = -1;
    char comm[TASK_COMM_LEN] = {};
    char state = 'R';
    bool sleeping = false;
    unsigned flags = 0;
    uint64_t minflt = 0, majflt = 0, cminflt = 0, cmajflt = 0;
    uint64_t utime_ns = 0, stime_ns = 0, cutime_ns = 0, cstime_ns = 0;
    int priority = 0, nice = 0, num_threads = 1;
    uint64_t start_time_ns = 0;
    uint64_t vsize = 0, rss_pages = 0, rsslim = 0;
    MmLayout layout{};
    bool has_mm = false;
    MmCounters mm;
    SigSet pending, shared_pending, blocked, ignored, caught;
    unsigned sigq = 0;
    int exit_signal = 0;
    unsigned processor = 0, rt_priority = 0, policy = 0;
    int exit_code = 0;
    int umask = -1;          // -1: not shown
    unsigned fd_size = 0;
    uint32_t euid = 0;
    uint64_t nvcsw = 0, nivcsw = 0;
};

// `whole`: the process `task` leads (times and faults of all its threads); otherwise the one thread.
// ESRCH if the task has been released.
Result<TaskSnapshot> task_snapshot(Task* task, bool whole);
// The address-space counters of `mm` (takes its mmap lock).
MmCounters mm_counters(MmStruct* mm);
