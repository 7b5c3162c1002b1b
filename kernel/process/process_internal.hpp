#pragma once
// Internals shared by the files of process/.
#include <process/process.hpp>
#include <process/thread_group.hpp>
#include <process/wait_status.hpp>
#include <signal/signal.hpp>
#include <signal/signal_struct.hpp>
#include <sched/task.hpp>

// The exit status a parent sees for `p`: the group's if the whole process was told to exit
// (exit_group, a fatal signal), else the task's own. tasklist_lock held (or p a zombie nobody changes).
inline int task_exit_status(const Task* p) {
    const SignalStruct* signal = p->signal;
    return signal && (signal->flags & SIGNAL_GROUP_EXIT) ? signal->group_exit_code : int(p->exit_code);
}

// The threads of p's process (signal/'s list: it also holds threads that have exited but whose task
// structs are not yet freed; skip those with exit_state or PF_EXITING as needed). tasklist_lock.
template <class Fn>
void for_each_thread_of(const Task* p, Fn&& fn) {
    if (!p->signal) {
        fn(const_cast<Task*>(p));
        return;
    }
    for (Task& t : p->signal->thread_head) fn(&t);
}

// Takes a dead task out of the task table, its thread group and its parent's children, and drops the
// reference the table held. Called without tasklist_lock. If `p` was the last thread besides a zombie
// leader, the leader's parent is told now (and the leader released too if nobody waits for it).
void release_task(Task* p);

// Tells p's parent that the (zombie) p exited: SIGCHLD or its exit signal, and a wake-up for its
// wait4() (signal/'s do_notify_parent). Returns true if nobody will reap p (the caller releases it).
// tasklist_lock held.
bool notify_parent_of_exit(Task* p);

// The usage of a whole process: its dead threads, its live threads' current counts, and (with
// `with_children`) its reaped children. tasklist_lock held.
struct TaskUsage;
void thread_group_usage(const Task* leader, bool with_children, TaskUsage& out);
// One task's own counts.
void task_usage(const Task* p, TaskUsage& out);

// Completes a vfork parent's wait exactly once, whoever gets there first (exec or exit).
void complete_vfork_done(Task* p);

// Makes a kernel thread (PID 1 before it execs /init) a process: credentials, a ThreadGroup, signal
// state. Nothing for a task that already is one.
Result<void> become_user_process(Task* self);

// exit and exec both leave an address space: completes a vfork parent's wait and does
// CLONE_CHILD_CLEARTID's store while the memory is still there (Linux's mm_release).
void mm_release(Task* p);

// setpgid/setsid's cores (process/pgrp.cpp).
Result<void> do_setpgid(int pid, int pgid);
Result<int> do_setsid();

// The si_code and si_status of waitid()'s siginfo (and SIGCHLD's) for an exit status.
struct WaitSiginfo {
    int code;    // CLD_EXITED, CLD_KILLED or CLD_DUMPED
    int status;  // the exit code, or the signal
};
constexpr WaitSiginfo wait_status_to_siginfo(int status) {
    if (status_exited(status)) return {CLD_EXITED, status_exit_code(status)};
    return {(status & kWaitCoreDumped) ? CLD_DUMPED : CLD_KILLED, status & 0x7f};
}
