#pragma once
// Task life-cycle internals shared by the files of sched/: the boot CPU's idle task, the scheduler's
// part of creating a task, and where task memory comes from.
#include <sched/task.hpp>

// PID 0 of the boot CPU: the boot flow of control, which sched_init() turns into the idle task.
// (Re)initialised by init_task_reset().
Task* init_task_reset();
Task* init_task_ptr();

// The scheduler's part of copy_process(): state TASK_NEW, policy and priority inherited from the parent,
// class, fresh accounting. The task becomes runnable with wake_up_new_task().
void sched_fork(Task* p);
// Makes `idle` the idle task of `cpu` (PF_IDLE, idle class, rq.idle and rq.curr).
void init_idle(Task* idle, unsigned cpu);
// __schedule() for the idle task, which runs with preemption permanently disabled.
void schedule_idle();

// Task memory. Kernel stacks come from vmalloc, so that an overflow runs into an unmapped guard page
// instead of the neighbouring allocation; the lowest word holds STACK_END_MAGIC as a second line of
// defence the scheduler checks on every switch.
constexpr uint64_t STACK_END_MAGIC = 0x57AC6E9D;
Task* alloc_task_struct();          // a constructed Task, or nullptr
void free_task_struct(Task* p);
void* alloc_thread_stack();         // arch::kThreadSize bytes with the end magic written, or nullptr
void free_thread_stack(void* stack);
bool task_stack_end_intact(const Task* p);
