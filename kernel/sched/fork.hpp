#pragma once
// Creating tasks (Linux's kernel/fork.c). Issue 3 adds fork/vfork/clone for user processes on the same
// copy_process().
#include <lib/result.hpp>
#include <sched/task.hpp>

// Creates a task that will run fn(arg) on its own kernel stack, as a child of the current task, with
// the given comm and PF_* flags. The task is not runnable yet: wake_up_new_task() starts it. When fn
// returns, the task exits with do_exit(its return value).
Result<Task*> copy_process(int (*fn)(void*), void* arg, const char* name, unsigned task_flags);
// Tasks created since boot (/proc/stat's "processes", Linux's total_forks).
uint64_t nr_total_forks();

// copy_process() + wake_up_new_task() for a kernel thread (PF_KTHREAD); returns its PID. (Most kernel
// code wants kthread_create()/kthread_run(), whose threads are children of kthreadd.)
Result<int> kernel_thread(int (*fn)(void*), void* arg, const char* name);
