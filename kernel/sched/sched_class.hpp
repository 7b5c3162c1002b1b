#pragma once
// The scheduling-class interface (Linux's struct sched_class). Internal to sched/.
//
// The core (core.cpp) knows nothing about policies: it asks the classes, highest first, for the next
// task, and forwards enqueue/dequeue/tick/wake-up events to the class of the task concerned. Classes in
// order: stop (per-CPU stopper work), deadline (SCHED_DEADLINE), rt (SCHED_FIFO/RR), fair (CFS:
// SCHED_NORMAL/BATCH/IDLE), idle (the per-CPU idle task). A task of a higher class always runs before
// any task of a lower one.
//
// Every hook is called with the runqueue lock held and interrupts off, except select_task_rq (pi_lock
// held) and task_fork (no lock: the new task is not visible yet). Hooks marked optional may be nullptr.
#include <sched/runqueue.hpp>

// enqueue_task flags.
constexpr unsigned ENQUEUE_WAKEUP = 0x01;   // the task was asleep (place it as a sleeper)
constexpr unsigned ENQUEUE_RESTORE = 0x02;  // put back after a dequeue with DEQUEUE_SAVE (nice change)
constexpr unsigned ENQUEUE_HEAD = 0x04;     // RT: at the head of its priority list
constexpr unsigned ENQUEUE_INITIAL = 0x08;  // a newly created task (place it after the others)
// dequeue_task flags.
constexpr unsigned DEQUEUE_SLEEP = 0x01;  // the task blocks
constexpr unsigned DEQUEUE_SAVE = 0x02;   // taken off only to change its parameters; ENQUEUE_RESTORE follows

// Wake-up flags.
constexpr unsigned WF_FORK = 0x01;  // the wake-up of a new task

struct SchedClass {
    const char* name;
    int rank;  // position in the order above: 0 (stop) is the highest

    void (*enqueue_task)(RunQueue& rq, Task& p, unsigned flags);
    void (*dequeue_task)(RunQueue& rq, Task& p, unsigned flags);
    // sched_yield() by rq.curr. Optional.
    void (*yield_task)(RunQueue& rq);
    // A task of this class woke up (or was created) on rq while rq.curr is of this class too: should it
    // preempt rq.curr? (Linux's check_preempt_curr.)
    void (*wakeup_preempt)(RunQueue& rq, Task& p, unsigned wake_flags);
    // Returns the task this class wants to run next, or nullptr, and makes it the class's current task
    // (set_next_task(first = true)). rq.curr's class has already had put_prev_task.
    Task* (*pick_next_task)(RunQueue& rq);
    // rq.curr stops being the current task (it may or may not still be queued).
    void (*put_prev_task)(RunQueue& rq, Task& prev);
    // p, already queued, becomes the current task (after a policy change of the running task).
    void (*set_next_task)(RunQueue& rq, Task& p, bool first);
    // Chooses the CPU a waking task should run on.
    unsigned (*select_task_rq)(Task& p, unsigned prev_cpu, unsigned wake_flags);
    // The periodic tick, while p = rq.curr runs.
    void (*task_tick)(RunQueue& rq, Task& p);
    // Optional: a new task of this class is being set up (sched_fork).
    void (*task_fork)(Task& p);
    // Optional: p has switched out for the last time (TASK_DEAD).
    void (*task_dead)(Task& p);
    // Optional: p (queued or running on rq) leaves / joins this class (sched_setscheduler).
    void (*switched_from)(RunQueue& rq, Task& p);
    void (*switched_to)(RunQueue& rq, Task& p);
    // Optional: p's priority within this class changed from old_prio.
    void (*prio_changed)(RunQueue& rq, Task& p, int old_prio);
    // Charges the running task for the CPU time since it was last charged.
    void (*update_curr)(RunQueue& rq);
};

extern const SchedClass stop_sched_class;
extern const SchedClass dl_sched_class;
extern const SchedClass rt_sched_class;
extern const SchedClass fair_sched_class;
extern const SchedClass idle_sched_class;

// Highest first.
inline const SchedClass* const sched_classes[] = {&stop_sched_class, &dl_sched_class, &rt_sched_class,
                                                  &fair_sched_class, &idle_sched_class};

inline bool sched_class_above(const SchedClass* a, const SchedClass* b) { return a->rank < b->rank; }

// The class a priority belongs to (the idle class is assigned only by init_idle()).
const SchedClass* sched_class_for_prio(int prio);

// Core helpers the classes use.
void activate_task(RunQueue& rq, Task& p, unsigned flags);
void deactivate_task(RunQueue& rq, Task& p, unsigned flags);
// A woken or new task p was queued on rq: preempt rq.curr if p should run first.
void wakeup_preempt(RunQueue& rq, Task& p, unsigned wake_flags);

// Per-class state of a fresh runqueue.
void init_cfs_rq(CfsRq& cfs);
void init_rt_rq(RtRq& rt);

// CFS internals the simulator and tests look at.
void update_curr_fair(RunQueue& rq);
uint64_t sched_slice_fair(const CfsRq& cfs, const SchedEntity& se);
void set_load_weight(Task& p);
