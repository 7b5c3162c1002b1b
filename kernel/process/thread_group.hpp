#pragma once
// ThreadGroup: what the threads of one process share besides signal state (Linux keeps all of it in
// signal_struct; Tern splits it: signal/'s SignalStruct has the thread list, the group exit and stop
// state and the wait queue of wait4(), this has the rest): how many threads are alive and not yet
// released, the process group and session, resource limits, and the accounting of dead threads and
// reaped children.
//
// Lifetime: one reference per task whose thread_group points here; the last task struct to be freed
// frees it (free_task_process()).
//
// Locking:
//   nr_threads, nr_members, pgid, sid, session_leader      tasklist_lock
//   rlim, dead, children                                   lock (interrupts off; nests inside tasklist_lock)
#include <lib/atomic.hpp>
#include <locking/spinlock.hpp>
#include <process/rlimit.hpp>
#include <sched/task.hpp>
#include <stdint.h>

// CPU time and counters of tasks that are gone, summed (Linux's signal_struct fields utime, cutime...).
struct TaskUsage {
    uint64_t utime_ns = 0, stime_ns = 0;
    uint64_t nvcsw = 0, nivcsw = 0;
    uint64_t minflt = 0, majflt = 0;
    uint64_t maxrss_kb = 0;

    void add(const TaskUsage& other) {
        utime_ns += other.utime_ns, stime_ns += other.stime_ns;
        nvcsw += other.nvcsw, nivcsw += other.nivcsw;
        minflt += other.minflt, majflt += other.majflt;
        if (other.maxrss_kb > maxrss_kb) maxrss_kb = other.maxrss_kb;
    }
};

struct ThreadGroup {
    Atomic<int> refs{1};

    // --- tasklist_lock ----------------------------------------------------------------------------------
    int nr_threads = 0;  // threads that have not yet exited (the last one's exit is the process's)
    int nr_members = 0;  // threads not yet released (a zombie leader counts until it is reaped)
    int pgid = 0;
    int sid = 0;
    bool session_leader = false;

    // --- lock -------------------------------------------------------------------------------------------
    SpinLock lock;
    Rlimit rlim[RLIM_NLIMITS];
    TaskUsage dead;      // threads that have exited (RUSAGE_SELF adds the live ones)
    TaskUsage children;  // reaped children, with their own reaped children (RUSAGE_CHILDREN)

    ThreadGroup() = default;
    ThreadGroup(const ThreadGroup&) = delete;
    ThreadGroup& operator=(const ThreadGroup&) = delete;
};

// A new process's group with limits copied from `parent` (or the boot defaults). nullptr on ENOMEM.
ThreadGroup* alloc_thread_group(const ThreadGroup* parent);
inline void get_thread_group(ThreadGroup* tg) { tg->refs.fetch_add(1, MemoryOrder::Relaxed); }
void put_thread_group(ThreadGroup* tg);

inline bool thread_group_leader(const Task* p) { return p->group_leader == p; }
inline bool same_thread_group(const Task* a, const Task* b) { return a->group_leader == b->group_leader; }
// No thread but the leader is left unreleased. tasklist_lock.
inline bool thread_group_empty(const Task* p) { return !p->thread_group || p->thread_group->nr_members <= 1; }
