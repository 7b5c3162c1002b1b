#pragma once
// Process IDs and the table of all tasks.
//
// PIDs are allocated cyclically, like Linux: after the last PID handed out, wrapping to kPidReserved
// (user daemons get PIDs above the ones the kernel's early threads took), so a just-freed PID is not
// reused at once. PID 0 is the idle task, which is in neither the table nor the list.
//
// tasklist_lock protects the list of all tasks, the PID hash and every task's parent/children/sibling
// links. Always taken with interrupts disabled (SpinLockIrqSaveGuard).
#include <lib/list.hpp>
#include <lib/result.hpp>
#include <locking/spinlock.hpp>
#include <sched/task.hpp>

constexpr int PID_MAX_DEFAULT = 0x8000;  // 32768, Linux's default pid_max
constexpr int kPidReserved = 300;        // Linux's RESERVED_PIDS

extern SpinLock tasklist_lock;

using TaskList = IntrusiveList<Task, &Task::tasks>;
// Every task except the idle tasks, in creation order. tasklist_lock.
TaskList& all_tasks();

// Allocates a PID for p, hashes p under it and appends p to the task list. tasklist_lock held.
Result<int> attach_pid(Task* p);
// The reverse, when p is released. tasklist_lock held.
void detach_pid(Task* p);
// exec by a thread that is not its process's leader: the two tasks swap PIDs (and hash chains), so that
// the process keeps its PID (Linux's exchange_tids). tasklist_lock held.
void exchange_pids(Task* a, Task* b);
// The task with this PID, or nullptr. tasklist_lock held; take a reference to keep it past the lock.
Task* find_task_by_pid(int pid);
// find_task_by_pid() with the lock taken and a reference (put_task_struct() when done), or nullptr.
Task* get_task_by_pid(int pid);

unsigned nr_tasks();
// The PID handed out last (/proc/loadavg's last field).
int get_last_pid();
// Linux's /proc/sys/kernel/ns_last_pid: the next PID is searched for after this one.
void set_last_pid(int pid);
