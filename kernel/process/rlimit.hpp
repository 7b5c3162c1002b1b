#pragma once
// Resource limits (Linux's rlimits): per process (shared by its threads), inherited across fork, kept
// across exec. Numbers and defaults are Linux's (asm-generic/resource.h).
//
// Who enforces what:
//   RLIMIT_NPROC   fork/clone (process/fork.cpp): EAGAIN when the caller's real uid has that many tasks
//   RLIMIT_STACK   exec's argument-space limit (process/exec.cpp) and the stack's growth (mm/)
//   RLIMIT_AS      mmap/brk (mm/), RLIMIT_NOFILE the fd table (fs/): they read rlimit(task, ...)
#include <lib/result.hpp>
#include <stdint.h>

struct Task;

constexpr int RLIMIT_CPU = 0, RLIMIT_FSIZE = 1, RLIMIT_DATA = 2, RLIMIT_STACK = 3, RLIMIT_CORE = 4,
              RLIMIT_RSS = 5, RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7, RLIMIT_MEMLOCK = 8, RLIMIT_AS = 9,
              RLIMIT_LOCKS = 10, RLIMIT_SIGPENDING = 11, RLIMIT_MSGQUEUE = 12, RLIMIT_NICE = 13,
              RLIMIT_RTPRIO = 14, RLIMIT_RTTIME = 15;
constexpr int RLIM_NLIMITS = 16;
constexpr uint64_t RLIM_INFINITY = ~0ull;

constexpr uint64_t kStackLimitDefault = 8ull << 20;  // _STK_LIM
constexpr uint64_t kNrOpenCeiling = 1u << 20;         // fs.nr_open: RLIMIT_NOFILE's hard ceiling

// struct rlimit and struct rlimit64 (identical on x86-64).
struct Rlimit {
    uint64_t rlim_cur;  // soft: what is enforced
    uint64_t rlim_max;  // hard: the ceiling for the soft limit
};

// The limits the first process starts with (Linux's INIT_RLIMITS; NPROC and SIGPENDING from the
// memory size, as fork_init() computes them).
void init_rlimits(Rlimit (&rlim)[RLIM_NLIMITS]);
// Linux's max_threads: tasks the memory can hold at one kernel stack per 8 pages (at least 20).
uint64_t max_threads_for_pages(uint64_t total_pages);

// The rules of setrlimit/prlimit64 for a change from `old` to `requested`: EINVAL if soft > hard,
// EPERM if the hard limit rises without privilege (root) or RLIMIT_NOFILE's exceeds fs.nr_open.
Result<void> rlimit_check_change(int resource, const Rlimit& old, const Rlimit& requested, bool privileged);

// The soft and hard limits of `task`'s process (the defaults for a kernel thread).
uint64_t rlimit(const Task* task, int resource);
uint64_t rlimit_max(const Task* task, int resource);

// prlimit64's core: reads the old limit into *old_rlim and/or installs *new_rlim (checked) for
// `target`'s process. The caller has checked that it may act on target.
Result<void> do_prlimit(Task* target, int resource, const Rlimit* new_rlim, Rlimit* old_rlim);
