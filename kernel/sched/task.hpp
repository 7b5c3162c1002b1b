#pragma once
// The task: Tern's process control block (Linux's task_struct). Every flow of control the scheduler
// runs is a Task: the idle task of each CPU, kernel threads, and (later) user threads.
//
// Lifetime. A task is reference counted (`usage`). copy_process() hands out one reference, which the
// task itself owns while it lives; the scheduler drops it in finish_task_switch() after the task's last
// switch away in TASK_DEAD. Anyone else who keeps a Task* beyond the lock that found it (kthread_stop,
// a waiter, a future wait4()) takes a reference with get_task_struct().
//
// Locking.
//   state        written by the task itself (set_current_state) or by a waker under pi_lock.
//   on_rq, se/rt, sched_class, prio...  under the runqueue lock of task_cpu(p) (and pi_lock to change).
//   parent, children, sibling, tasks    under tasklist_lock (sched/pid.hpp).
//
// Issue 3 adds the process side here: mm/active_mm, files, fs, signal handlers and pending signals,
// credentials, the thread group.
#include <arch/thread.hpp>
#include <lib/atomic.hpp>
#include <lib/list.hpp>
#include <lib/rbtree.hpp>
#include <locking/spinlock.hpp>
#include <sched/cputime.hpp>
#include <sched/prio.hpp>
#include <signal/task_signals.hpp>
#include <smp/percpu.hpp>
#include <stdint.h>

// Task states, Linux's bit values (visible in /proc/<pid>/stat as R, S, D, T, t, X, Z...).
constexpr unsigned TASK_RUNNING = 0x0000;
constexpr unsigned TASK_INTERRUPTIBLE = 0x0001;
constexpr unsigned TASK_UNINTERRUPTIBLE = 0x0002;
constexpr unsigned __TASK_STOPPED = 0x0004;
constexpr unsigned __TASK_TRACED = 0x0008;
constexpr unsigned EXIT_DEAD = 0x0010;    // in exit_state
constexpr unsigned EXIT_ZOMBIE = 0x0020;  // in exit_state
constexpr unsigned TASK_PARKED = 0x0040;
constexpr unsigned TASK_DEAD = 0x0080;
constexpr unsigned TASK_WAKEKILL = 0x0100;
constexpr unsigned TASK_WAKING = 0x0200;
constexpr unsigned TASK_NOLOAD = 0x0400;
constexpr unsigned TASK_NEW = 0x0800;
constexpr unsigned TASK_KILLABLE = TASK_WAKEKILL | TASK_UNINTERRUPTIBLE;
constexpr unsigned TASK_STOPPED = TASK_WAKEKILL | __TASK_STOPPED;
constexpr unsigned TASK_TRACED = __TASK_TRACED;
constexpr unsigned TASK_IDLE = TASK_UNINTERRUPTIBLE | TASK_NOLOAD;
constexpr unsigned TASK_NORMAL = TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE;  // what wake_up() wakes

// Per-task flags (Linux's PF_* values).
constexpr unsigned PF_IDLE = 0x00000002;     // the idle task of a CPU
constexpr unsigned PF_EXITING = 0x00000004;  // in do_exit()
constexpr unsigned PF_FORKNOEXEC = 0x00000040;  // forked but has not exec'd (setpgid's EACCES rule)
constexpr unsigned PF_KTHREAD = 0x00200000;  // a kernel thread: never returns to user space

// on_rq values.
constexpr int TASK_ON_RQ_QUEUED = 1;

constexpr unsigned TASK_COMM_LEN = 16;

// The CFS part of a task (Linux's sched_entity). Owned by sched/fair.cpp.
struct SchedEntity {
    LoadWeight load;                     // from nice (or SCHED_IDLE)
    RbNode run_node;                     // in CfsRq::timeline, ordered by vruntime (not while running)
    uint64_t exec_start = 0;             // rq clock when accounting last caught up with this entity
    uint64_t sum_exec_runtime = 0;       // total CPU time, ns
    uint64_t prev_sum_exec_runtime = 0;  // sum_exec_runtime when it last started running (slice check)
    uint64_t vruntime = 0;               // virtual runtime, ns at nice-0 speed (sched/fair_math.hpp)
    bool on_rq = false;                  // counted in its CfsRq (in the timeline, or its curr)
    // vruntime is relative to the runqueue's min_vruntime (a new task, or one that left CFS), made
    // absolute again when it is next enqueued.
    bool vruntime_relative = false;
};

// The real-time part (Linux's sched_rt_entity). Owned by sched/rt.cpp.
struct SchedRtEntity {
    ListNode run_list;        // in RtRq::queue[prio]
    unsigned time_slice = 0;  // SCHED_RR: ticks left in the current round
    bool on_rq = false;
};

// The deadline part (Linux's sched_dl_entity): parameters only; the deadline class is pending.
struct SchedDlEntity {
    uint64_t dl_runtime = 0;
    uint64_t dl_deadline = 0;
    uint64_t dl_period = 0;
};

struct SchedClass;
struct Kthread;
// The process side (issue 3). Each is defined by the subsystem that owns it.
struct MmStruct;      // mm/: a user address space (page tables + VMAs)
class FdTable;        // fs/: the file-descriptor table (fs/fdtable.hpp)
using FilesStruct = FdTable;
struct FsStruct;      // fs/: root, cwd, umask
struct Credentials;   // process/: uid/gid/euid/egid/suid/sgid/fsuid/fsgid, supplementary groups
struct SignalStruct;  // signal/: shared by a thread group: pending shared signals, pgid/sid, rlimits, rusage
struct SigHand;       // signal/: the signal handlers (shared with CLONE_SIGHAND)
struct ThreadGroup;   // process/: what the threads of a process share besides signals (process/thread_group.hpp)
struct Completion;

struct Task {
    // --- scheduling ------------------------------------------------------------------------------
    Atomic<unsigned> state{TASK_RUNNING};  // TASK_* (read with task_state())
    unsigned flags = 0;                    // PF_*
    Atomic<int> on_cpu{0};                 // 1 from being picked until its switch-out has completed
    int on_rq = 0;                         // TASK_ON_RQ_QUEUED while enqueued in its class
    unsigned cpu = 0;                      // the CPU whose runqueue holds (or last held) it

    int prio = DEFAULT_PRIO;         // effective priority (what the scheduler uses)
    int static_prio = DEFAULT_PRIO;  // from nice
    int normal_prio = DEFAULT_PRIO;  // from policy and static_prio / rt_priority
    unsigned rt_priority = 0;        // 1..99 for SCHED_FIFO/SCHED_RR, else 0
    int policy = SCHED_NORMAL;
    bool sched_reset_on_fork = false;  // SCHED_RESET_ON_FORK: children start SCHED_NORMAL, nice >= 0
    const SchedClass* sched_class = nullptr;
    SchedEntity se;
    CputimeSamples cputime;  // user/system tick samples (sched/cputime.hpp)
    SchedRtEntity rt;
    SchedDlEntity dl;

    SpinLock pi_lock;  // serialises wake-ups and policy changes of this task
    uint64_t nvcsw = 0;   // voluntary context switches (it blocked)
    uint64_t nivcsw = 0;  // involuntary ones (it was preempted)

    // --- identity --------------------------------------------------------------------------------
    int pid = 0;
    int tgid = 0;
    char comm[TASK_COMM_LEN] = {};
    uint64_t start_time = 0;  // ktime_get_ns() when it was created (/proc/<pid>/stat's starttime)

    // --- kernel stack and CPU context -----------------------------------------------------------
    void* stack = nullptr;  // lowest address of the kThreadSize kernel stack
    arch::ThreadState thread;

    // --- family and global lists (tasklist_lock) ------------------------------------------------
    Task* real_parent = nullptr;  // who created it
    Task* parent = nullptr;       // who gets told when it exits (differs under ptrace, later)
    ListNode sibling;             // in parent->children
    IntrusiveList<Task, &Task::sibling> children;
    ListNode tasks;     // in the list of all tasks
    ListNode pid_node;  // in the pid hash chain

    // --- exit --------------------------------------------------------------------------------------
    unsigned exit_state = 0;  // EXIT_ZOMBIE / EXIT_DEAD once it has exited
    long exit_code = 0;

    Kthread* kthread = nullptr;  // PF_KTHREAD tasks created through kthread_create()

    // --- process (issue 3); nullptr for kernel threads unless noted ----------------------------------
    MmStruct* mm = nullptr;         // the user address space (changed under alloc_lock)
    MmStruct* active_mm = nullptr;  // the address space in CR3 (a kernel thread borrows the last one)
    FilesStruct* files = nullptr;
    FsStruct* fs = nullptr;
    Credentials* cred = nullptr;    // every task, kernel threads included (root)
    SignalStruct* signal = nullptr;
    SigHand* sighand = nullptr;
    Task* group_leader = this;      // the thread-group leader (itself for a process)
    ListNode thread_node;           // in group_leader's thread list
    uint64_t set_child_tid = 0;     // CLONE_CHILD_SETTID (user address)
    uint64_t clear_child_tid = 0;   // CLONE_CHILD_CLEARTID / set_tid_address: zeroed + futex-woken at exit
    uint64_t robust_list = 0;       // set_robust_list's head (user address), walked at exit (futex/robust.cpp)
    TaskSignals signals;            // this thread's pending signals, blocked mask, altstack (signal/)
    ThreadGroup* thread_group = nullptr;  // nullptr for kernel threads (process/thread_group.hpp)
    Completion* vfork_done = nullptr;     // CLONE_VFORK: completed when the child execs or exits
    Atomic<int> usage{1};        // references (see the top of this file)
    // Linux's task_lock: lets other tasks (/proc readers) read `mm` and `cred` while the task may be
    // changing them (exit, exec, setuid). Taken with interrupts off; a leaf lock.
    SpinLock alloc_lock;

    Task() = default;
    Task(const Task&) = delete;
    Task& operator=(const Task&) = delete;
};

// The task running on this CPU (nullptr before sched_init()).
inline Task* current() { return this_cpu()->current; }

inline unsigned task_state(const Task* p) { return p->state.load(MemoryOrder::Relaxed); }
inline unsigned task_cpu(const Task* p) { return p->cpu; }
inline int task_nice(const Task* p) { return prio_to_nice(p->static_prio); }
inline bool is_idle_task(const Task* p) { return p->flags & PF_IDLE; }

// Sets the current task's state without a barrier: only for TASK_RUNNING after a wait, or where a lock
// orders the store against the waker.
inline void __set_current_state(unsigned state) { current()->state.store(state, MemoryOrder::Relaxed); }
// Sets the current task's state with a full barrier, so that the store is visible before the caller's
// next load of its wait condition. Pairs with the waker, which writes the condition before calling
// try_to_wake_up() (which reads the state): either the waker sees the new state and wakes us, or we
// see the condition and do not sleep.
//   set_current_state(TASK_UNINTERRUPTIBLE);
//   if (!condition) schedule();
//   __set_current_state(TASK_RUNNING);
inline void set_current_state(unsigned state) { current()->state.store(state, MemoryOrder::SeqCst); }

// A signal may be deliverable to p: interruptible sleeps end, the return to user mode delivers it. (The
// flag is kept by signal/; task_signal_pending() in signal/signal.hpp is the same test.)
inline bool signal_pending(const Task* p) { return p->signals.sigpending.load(MemoryOrder::Relaxed); }
// A SIGKILL is pending: even killable (TASK_WAKEKILL) sleeps end.
inline bool fatal_signal_pending(const Task* p) {
    return signal_pending(p) && p->signals.pending.signal.has(SIGKILL);
}
inline bool signal_pending_state(unsigned state, const Task* p) {
    if (!(state & (TASK_INTERRUPTIBLE | TASK_WAKEKILL))) return false;
    if (!signal_pending(p)) return false;
    return (state & TASK_INTERRUPTIBLE) || fatal_signal_pending(p);
}

inline void get_task_struct(Task* p) { p->usage.fetch_add(1, MemoryOrder::Relaxed); }
void __put_task_struct(Task* p);  // frees the task (sched/task.cpp)
inline void put_task_struct(Task* p) {
    if (p->usage.fetch_sub(1, MemoryOrder::AcqRel) == 1) __put_task_struct(p);
}

// The letter /proc and the scheduler's debug output show for a state: R S D T t X Z P I N.
char task_state_char(const Task* p);
// Sets comm (truncated to TASK_COMM_LEN - 1 characters).
void set_task_comm(Task* p, const char* name);
