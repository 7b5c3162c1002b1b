#pragma once
// The scheduler's interface for the rest of the kernel (Linux's <linux/sched.h>): blocking, waking,
// yielding, changing a task's priority. The scheduler's internals are in sched/runqueue.hpp and
// sched/sched_class.hpp; what the tick and interrupt return call is in sched/hooks.hpp.
//
// Sleeping follows one pattern everywhere (wait queues, completions and mutexes wrap it):
//   set_current_state(TASK_UNINTERRUPTIBLE);   // 1. announce the intention to sleep
//   if (!condition) schedule();                // 2. re-check, then leave the CPU
//   __set_current_state(TASK_RUNNING);
// and the waker does: condition = true; wake_up_process(sleeper);
#include <lib/result.hpp>
#include <sched/task.hpp>

// Gives up the CPU. If the current task's state is not TASK_RUNNING it is taken off the runqueue until
// a wake-up makes it runnable again. Must not be called with preemption disabled (a spinlock held).
void schedule();
// schedule() with preemption already disabled once by the caller (who re-enables it without resched).
void schedule_preempt_disabled();
// Yields if a reschedule is pending: a voluntary preemption point for long kernel loops.
void cond_resched();
// sched_yield(2): let other runnable tasks of the same class run first (see each class's yield_task).
void yield();

// Wakes p if its state matches `state`: makes it runnable and may preempt the task running on its CPU.
// Returns false if p was not in one of those states (already running, or waiting for something else).
bool try_to_wake_up(Task* p, unsigned state, unsigned wake_flags = 0);
// try_to_wake_up(p, TASK_NORMAL): wakes p from an interruptible or uninterruptible sleep.
bool wake_up_process(Task* p);
bool wake_up_state(Task* p, unsigned state);
// Makes a task created by copy_process() runnable for the first time.
void wake_up_new_task(Task* p);

inline bool need_resched() { return this_cpu()->need_resched; }

// Priorities and policies (the kernel side of nice(2) and sched_setscheduler(2)).
void set_user_nice(Task* p, long nice);
struct SchedParam {
    int sched_priority = 0;  // 1..99 for SCHED_FIFO/RR, 0 otherwise
};
Result<void> sched_setscheduler(Task* p, int policy, const SchedParam& param);

// Round-robin time slice of SCHED_RR tasks: 100 ms (Linux's RR_TIMESLICE), in ticks.
uint64_t sched_rr_timeslice_ticks();

// For the SMP bring-up, before `cpu` is started: its runqueue, and its idle task ("swapper/N"), which
// becomes per_cpu_data[cpu].current and on whose kernel stack the CPU starts. ENOMEM if out of memory.
Result<void> sched_prepare_cpu(unsigned cpu);

// Scheduler statistics.
uint64_t nr_context_switches();
unsigned nr_running_on(unsigned cpu);
