#pragma once
// Ending a task (Linux's kernel/exit.c).
#include <sched/task.hpp>

// Ends the current task: PF_EXITING, its children handed to init, the task released from the task table
// (kernel threads are reaped at once: nobody waits for them), those waiting in kthread_stop() told,
// and a last switch away in TASK_DEAD, after which the scheduler drops the task's own reference.
[[noreturn]] void do_exit(long code);
