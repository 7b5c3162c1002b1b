#pragma once
// The shared parts of signal state (Linux's sighand_struct and signal_struct), and what the process
// code (fork, exit, wait) does with them.
//
// SigHand: the 64 actions, shared by tasks created with CLONE_SIGHAND (threads always are). Its siglock
//   is THE signal lock: it protects the actions, every pending set of the tasks that share it, their
//   blocked masks, jobctl bits and the SignalStruct's stop/exit state. Interrupts off (SpinLockIrqSave):
//   signals are sent from interrupt context too. Order: tasklist_lock, then siglock.
// SignalStruct: per process (thread group): signals sent to the process, the thread list, group
//   stop/exit state, and where a parent waits for its children.
#include <lib/atomic.hpp>
#include <lib/list.hpp>
#include <locking/spinlock.hpp>
#include <sched/task.hpp>
#include <sched/wait.hpp>
#include <signal/task_signals.hpp>
#include <time/itimer.hpp>

struct KSigAction {
    uint64_t handler = SIG_DFL;  // SIG_DFL, SIG_IGN or a user address
    uint64_t flags = 0;          // SA_*
    uint64_t restorer = 0;       // SA_RESTORER: where the handler returns (glibc's __restore_rt)
    SigSet mask;                 // blocked while the handler runs
};

struct SigHand {
    Atomic<int> count{1};
    SpinLock siglock;
    KSigAction action[kNumSignals];  // action[sig - 1]
};

// SignalStruct::flags (Linux's SIGNAL_*).
constexpr unsigned SIGNAL_STOP_STOPPED = 0x01;    // the group is stopped (job control)
constexpr unsigned SIGNAL_STOP_CONTINUED = 0x02;  // it was continued; wait(WCONTINUED) has not seen it yet
constexpr unsigned SIGNAL_GROUP_EXIT = 0x04;      // exiting: group_exit_code is the status
constexpr unsigned SIGNAL_CLD_STOPPED = 0x10;     // the parent has yet to be told (CLD_STOPPED)
constexpr unsigned SIGNAL_CLD_CONTINUED = 0x20;   // ... (CLD_CONTINUED)
constexpr unsigned SIGNAL_UNKILLABLE = 0x40;      // init: signals without a handler are dropped

struct SignalStruct {
    Atomic<int> count{1};  // references: every task of the group (dropped when the task is freed)
    Atomic<int> live{1};   // threads that have not exited yet
    int nr_threads = 1;    // threads on thread_head
    // The threads of the group, in creation order (Task::thread_node). Changed with both tasklist_lock
    // and siglock held (signal_link_thread / release), so either lock is enough to walk it.
    IntrusiveList<Task, &Task::thread_node> thread_head;
    SigPending shared_pending;  // sent to the process: any thread that does not block it takes it
    WaitQueueHead wait_chldexit;  // wait4/waitid of this process's threads sleep here (do_notify_parent wakes)
    unsigned flags = 0;           // SIGNAL_*
    int group_exit_code = 0;      // SIGNAL_GROUP_EXIT: the exit status; during a stop: the stop signal
    int group_stop_count = 0;     // threads that have still to stop (JOBCTL_STOP_CONSUME)
    Task* group_exit_task = nullptr;  // exec: the thread that waits for the others to die (proc)
    ProcessItimers itimers;           // setitimer/alarm (time/itimer.hpp)
};

// --- for the process code (proc) ---------------------------------------------------------------------

// Adds a thread created with CLONE_THREAD to its group's thread list (copy_signal already made the
// SignalStruct and put the leader of a new process on its list). Takes siglock; call with tasklist_lock.
void signal_link_thread(Task* thread);
// Drops the task's references to its SigHand and SignalStruct, unlinks it from the thread list and frees
// its pending queue. Called once, when the task is freed (__put_task_struct).
void release_task_signals(Task* task);
// SIGKILL to every other thread of the group (do_group_exit, exec's de-thread); returns how many.
// siglock held.
int zap_other_threads(Task* task);

// Job-control state for wait4/waitid(WUNTRACED / WCONTINUED). The stop signal if the group of `task` is
// stopped and its parent has not yet collected that (consume: collect it now), 0 otherwise.
int task_stopped_code(Task* task, bool consume);
// True if the group was continued since the parent last looked (consume: clear it).
bool task_continued(Task* task, bool consume);
