// The idle class and the idle loop (Linux's kernel/sched/idle.c).
//
// Each CPU has one idle task (PID 0; the boot CPU's is the boot flow of control itself). It is never
// queued: the idle class simply returns it when no other class has anything to run. It runs with
// preemption disabled, halts the CPU until an interrupt arrives, and calls schedule_idle() whenever a
// reschedule is pending.
#include <printk/panic.hpp>
#include <sched/idle.hpp>
#include <sched/sched.hpp>
#include <sched/sched_class.hpp>
#include <sched/task_internal.hpp>

namespace {

void enqueue_task_idle(RunQueue&, Task& p, unsigned) {
    panic("idle class: enqueue of %s/%d", p.comm, p.pid);
}

// Only happens if the idle task tried to sleep.
void dequeue_task_idle(RunQueue&, Task& p, unsigned) {
    panic("bad: scheduling from the idle thread (%s/%d)!", p.comm, p.pid);
}

void wakeup_preempt_idle(RunQueue& rq, Task&, unsigned) { resched_curr(rq); }

void set_next_task_idle(RunQueue& rq, Task& p, bool) { p.se.exec_start = rq_clock_task(rq); }

Task* pick_next_task_idle(RunQueue& rq) {
    set_next_task_idle(rq, *rq.idle, true);
    return rq.idle;
}

void put_prev_task_idle(RunQueue&, Task&) {}

unsigned select_task_rq_idle(Task& p, unsigned, unsigned) { return task_cpu(&p); }

void task_tick_idle(RunQueue&, Task&) {}

void update_curr_idle(RunQueue&) {}

}  // namespace

const SchedClass idle_sched_class = {
    .name = "idle",
    .rank = 4,
    .enqueue_task = enqueue_task_idle,
    .dequeue_task = dequeue_task_idle,
    .yield_task = nullptr,
    .wakeup_preempt = wakeup_preempt_idle,
    .pick_next_task = pick_next_task_idle,
    .put_prev_task = put_prev_task_idle,
    .set_next_task = set_next_task_idle,
    .select_task_rq = select_task_rq_idle,
    .task_tick = task_tick_idle,
    .task_fork = nullptr,
    .task_dead = nullptr,
    .switched_from = nullptr,
    .switched_to = nullptr,
    .prio_changed = nullptr,
    .update_curr = update_curr_idle,
};

void do_idle() {
    while (!need_resched()) {
        // Check and halt with interrupts off, re-enabling them in the same instruction pair as the halt
        // (sti; hlt): a wake-up interrupt arriving after the check ends the halt instead of being lost.
        arch::irq_disable();
        if (need_resched()) {
            arch::irq_enable();
            break;
        }
        arch::wait_for_interrupt();
    }
    schedule_idle();
}

void cpu_startup_entry() {
    for (;;) do_idle();
}
