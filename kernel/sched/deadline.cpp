// The deadline class (SCHED_DEADLINE: EDF with constant-bandwidth servers) — PENDING.
//
// The class is in its place in the class order, above rt, but holds no tasks: sched_setscheduler()
// rejects SCHED_DEADLINE with EINVAL (as Linux does for that call; sched_setattr(), the way to set
// deadline parameters, is not implemented), so no task can reach these hooks.
#include <printk/panic.hpp>
#include <sched/sched_class.hpp>

namespace {

void enqueue_task_dl(RunQueue&, Task& p, unsigned) { panic("deadline class: no tasks yet (%s/%d)", p.comm, p.pid); }
void dequeue_task_dl(RunQueue&, Task& p, unsigned) { panic("deadline class: no tasks yet (%s/%d)", p.comm, p.pid); }
void wakeup_preempt_dl(RunQueue&, Task&, unsigned) {}
Task* pick_next_task_dl(RunQueue&) { return nullptr; }
void put_prev_task_dl(RunQueue&, Task&) {}
void set_next_task_dl(RunQueue&, Task&, bool) {}
unsigned select_task_rq_dl(Task& p, unsigned, unsigned) { return task_cpu(&p); }
void task_tick_dl(RunQueue&, Task&) {}
void update_curr_dl(RunQueue&) {}

}  // namespace

const SchedClass dl_sched_class = {
    .name = "deadline",
    .rank = 1,
    .enqueue_task = enqueue_task_dl,
    .dequeue_task = dequeue_task_dl,
    .yield_task = nullptr,
    .wakeup_preempt = wakeup_preempt_dl,
    .pick_next_task = pick_next_task_dl,
    .put_prev_task = put_prev_task_dl,
    .set_next_task = set_next_task_dl,
    .select_task_rq = select_task_rq_dl,
    .task_tick = task_tick_dl,
    .task_fork = nullptr,
    .task_dead = nullptr,
    .switched_from = nullptr,
    .switched_to = nullptr,
    .prio_changed = nullptr,
    .update_curr = update_curr_dl,
};
