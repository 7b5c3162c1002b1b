#pragma once
// ThreadGroup: what the threads of one process share apart from signal state (Linux keeps these in
// signal_struct; Tern's SignalStruct belongs to signal/, this to process/): the list of threads, the
// group's exit, job-control state as wait() reports it, the process group and session, resource
// limits, the accounting of dead threads and reaped children, and the wait queue a parent sleeps on
// in wait4()/waitid().
//
// Lifetime: one reference per task whose thread_group points here; the last task struct to be freed
// frees it (free_task_process()).
//
// Locking:
//   threads, nr_threads, group_exit*, pgid, sid, session_leader      tasklist_lock
//   rlim, stop state, accounting                                     lock (interrupts off)
#include <lib/atomic.hpp>
#include <lib/list.hpp>
#include <locking/spinlock.hpp>
#include <process/rlimit.hpp>
#include <sched/task.hpp>
#include <sched/wait.hpp>
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

    // --- membership (tasklist_lock) ---------------------------------------------------------------------
    IntrusiveList<Task, &Task::thread_node> threads;  // every thread not yet released, leader first
    int nr_threads = 0;                                 // threads that have not yet exited
    bool group_exit = false;                            // exit_group() or a fatal signal: all are leaving
    int group_exit_code = 0;                            // the status every thread exits with then
    Task* exec_waiter = nullptr;                        // exec in a multi-threaded process: waits for the others

    // --- process group and session (tasklist_lock) -----------------------------------------------------
    int pgid = 0;
    int sid = 0;
    bool session_leader = false;

    // --- under `lock` ----------------------------------------------------------------------------------
    SpinLock lock;
    Rlimit rlim[RLIM_NLIMITS];
    // Job control as wait() sees it (Linux's SIGNAL_STOP_STOPPED / SIGNAL_STOP_CONTINUED).
    bool stopped = false;    // stopped and not yet reported by wait(WUNTRACED)
    int stop_signal = 0;     // the signal that stopped it (0 once reported)
    bool continued = false;  // continued and not yet reported by wait(WCONTINUED)
    TaskUsage dead;          // threads that have exited (RUSAGE_SELF adds the live ones)
    TaskUsage children;      // reaped children, with their own children (RUSAGE_CHILDREN)

    // Parents sleep here in wait4()/waitid(); exiting, stopping and continuing children wake it.
    WaitQueueHead wait_chldexit;

    ThreadGroup() = default;
    ThreadGroup(const ThreadGroup&) = delete;
    ThreadGroup& operator=(const ThreadGroup&) = delete;
};

// A new process's group: limits from `parent` (or the boot defaults), process group and session from
// it too. nullptr on ENOMEM.
ThreadGroup* alloc_thread_group(const ThreadGroup* parent);
inline void get_thread_group(ThreadGroup* tg) { tg->refs.fetch_add(1, MemoryOrder::Relaxed); }
void put_thread_group(ThreadGroup* tg);

inline bool thread_group_leader(const Task* p) { return p->group_leader == p; }
inline bool same_thread_group(const Task* a, const Task* b) { return a->group_leader == b->group_leader; }
// Only the leader is left among the threads (the others have been released). tasklist_lock.
inline bool thread_group_empty(const Task* p) {
    return !p->thread_group || p->thread_group->threads.size() <= 1;
}
