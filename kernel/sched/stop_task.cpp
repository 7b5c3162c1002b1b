// The stop class: the highest class, for a per-CPU "stopper" thread that preempts everything (CPU
// hot-unplug, stop_machine(), migrating a running task) — PENDING.
//
// The class is in its place at the top of the order but holds no task: RunQueue::stop stays nullptr
// until the stopper threads arrive with SMP scheduling.
#include <printk/panic.hpp>
#include <sched/sched_class.hpp>

namespace {

void enqueue_task_stop(RunQueue&, Task& p, unsigned) { panic("stop class: no stopper yet (%s/%d)", p.comm, p.pid); }
void dequeue_task_stop(RunQueue&, Task& p, unsigned) { panic("stop class: no stopper yet (%s/%d)", p.comm, p.pid); }
void wakeup_preempt_stop(RunQueue&, Task&, unsigned) {}
Task* pick_next_task_stop(RunQueue&) { return nullptr; }
void put_prev_task_stop(RunQueue&, Task&) {}
void set_next_task_stop(RunQueue&, Task&, bool) {}
unsigned select_task_rq_stop(Task& p, unsigned, unsigned) { return task_cpu(&p); }
void task_tick_stop(RunQueue&, Task&) {}
void update_curr_stop(RunQueue&) {}

}  // namespace

const SchedClass stop_sched_class = {
    .name = "stop",
    .rank = 0,
    .enqueue_task = enqueue_task_stop,
    .dequeue_task = dequeue_task_stop,
    .yield_task = nullptr,
    .wakeup_preempt = wakeup_preempt_stop,
    .pick_next_task = pick_next_task_stop,
    .put_prev_task = put_prev_task_stop,
    .set_next_task = set_next_task_stop,
    .select_task_rq = select_task_rq_stop,
    .task_tick = task_tick_stop,
    .task_fork = nullptr,
    .task_dead = nullptr,
    .switched_from = nullptr,
    .switched_to = nullptr,
    .prio_changed = nullptr,
    .update_curr = update_curr_stop,
};
