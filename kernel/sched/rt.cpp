// The real-time class (Linux's kernel/sched/rt.c) for SCHED_FIFO and SCHED_RR.
//
// Strict priorities: the runnable task with the lowest prio (0..99, i.e. the highest rt_priority) runs;
// among equals, the one queued first. A SCHED_FIFO task runs until it blocks, yields or a higher one
// arrives; a SCHED_RR task additionally goes to the back of its priority's list after each time slice
// of RR_TIMESLICE (100 ms). A preempted task stays at the head of its list, so it resumes first.
//
// Not implemented yet: RT throttling (Linux's sched_rt_runtime_us, which by default leaves 5% of each
// second to other classes; here a spinning RT task starves them, as with sched_rt_runtime_us = -1),
// priority inheritance, and pushing/pulling RT tasks between CPUs.
#include <printk/panic.hpp>
#include <sched/sched.hpp>
#include <sched/sched_class.hpp>
#include <time/jiffies.hpp>

namespace {

constexpr uint64_t RR_TIMESLICE = 100 * HZ / 1000;  // ticks

Task& task_of(SchedRtEntity& rt_se) { return *container_of(&rt_se, &Task::rt); }

void set_bit(RtRq& rt, int prio) { rt.bitmap[prio / 64] |= uint64_t(1) << (prio % 64); }
void clear_bit(RtRq& rt, int prio) { rt.bitmap[prio / 64] &= ~(uint64_t(1) << (prio % 64)); }

// The highest runnable priority, or -1.
int first_prio(const RtRq& rt) {
    for (unsigned w = 0; w < RtRq::kBitmapWords; w++)
        if (rt.bitmap[w]) return int(w * 64 + unsigned(__builtin_ctzll(rt.bitmap[w])));
    return -1;
}

void update_curr_rt(RunQueue& rq) {
    Task* curr = rq.curr;
    if (curr->sched_class != &rt_sched_class) return;
    uint64_t now = rq_clock_task(rq);
    int64_t delta = int64_t(now - curr->se.exec_start);
    if (delta <= 0) return;
    curr->se.sum_exec_runtime += uint64_t(delta);
    curr->se.exec_start = now;
}

void requeue_task_rt(RtRq& rt, Task& p, bool head) {
    auto& queue = rt.queue[p.prio];
    queue.remove(p.rt);
    if (head)
        queue.push_front(p.rt);
    else
        queue.push_back(p.rt);
}

void enqueue_task_rt(RunQueue& rq, Task& p, unsigned flags) {
    RtRq& rt = rq.rt;
    auto& queue = rt.queue[p.prio];
    if (flags & ENQUEUE_HEAD)
        queue.push_front(p.rt);
    else
        queue.push_back(p.rt);
    set_bit(rt, p.prio);
    rt.nr_running++;
    p.rt.on_rq = true;
    if (p.policy == SCHED_RR && p.rt.time_slice == 0) p.rt.time_slice = unsigned(RR_TIMESLICE);
}

void dequeue_task_rt(RunQueue& rq, Task& p, unsigned) {
    RtRq& rt = rq.rt;
    update_curr_rt(rq);
    auto& queue = rt.queue[p.prio];
    queue.remove(p.rt);
    if (queue.empty()) clear_bit(rt, p.prio);
    rt.nr_running--;
    p.rt.on_rq = false;
}

void yield_task_rt(RunQueue& rq) { requeue_task_rt(rq.rt, *rq.curr, false); }

void wakeup_preempt_rt(RunQueue& rq, Task& p, unsigned) {
    if (p.prio < rq.curr->prio) resched_curr(rq);
}

void set_next_task_rt(RunQueue& rq, Task& p, bool) { p.se.exec_start = rq_clock_task(rq); }

Task* pick_next_task_rt(RunQueue& rq) {
    int prio = first_prio(rq.rt);
    if (prio < 0) return nullptr;
    Task& p = task_of(*rq.rt.queue[prio].front());
    set_next_task_rt(rq, p, true);
    return &p;
}

void put_prev_task_rt(RunQueue& rq, Task&) { update_curr_rt(rq); }

unsigned select_task_rq_rt(Task&, unsigned prev_cpu, unsigned wake_flags) {
    return (wake_flags & WF_FORK) ? smp_processor_id() : prev_cpu;
}

void task_tick_rt(RunQueue& rq, Task& p) {
    update_curr_rt(rq);
    if (p.policy != SCHED_RR) return;
    if (--p.rt.time_slice) return;
    p.rt.time_slice = unsigned(RR_TIMESLICE);
    // Round robin only among tasks of the same priority: to the back, if anyone else is there.
    auto& queue = rq.rt.queue[p.prio];
    if (queue.front() != queue.back()) {
        requeue_task_rt(rq.rt, p, false);
        resched_curr(rq);
    }
}

void prio_changed_rt(RunQueue& rq, Task& p, int old_prio) {
    if (!p.on_rq) return;
    if (rq.curr == &p) {
        // Weaker now: someone queued may outrank it.
        int top = first_prio(rq.rt);
        if (p.prio > old_prio && top >= 0 && top < p.prio) resched_curr(rq);
    } else if (p.prio < rq.curr->prio) {
        resched_curr(rq);
    }
}

void switched_to_rt(RunQueue& rq, Task& p) {
    if (p.on_rq && rq.curr != &p) wakeup_preempt(rq, p, 0);
}

}  // namespace

uint64_t sched_rr_timeslice_ticks() { return RR_TIMESLICE; }

void init_rt_rq(RtRq&) {}

const SchedClass rt_sched_class = {
    .name = "rt",
    .rank = 2,
    .enqueue_task = enqueue_task_rt,
    .dequeue_task = dequeue_task_rt,
    .yield_task = yield_task_rt,
    .wakeup_preempt = wakeup_preempt_rt,
    .pick_next_task = pick_next_task_rt,
    .put_prev_task = put_prev_task_rt,
    .set_next_task = set_next_task_rt,
    .select_task_rq = select_task_rq_rt,
    .task_tick = task_tick_rt,
    .task_fork = nullptr,
    .task_dead = nullptr,
    .switched_from = nullptr,
    .switched_to = switched_to_rt,
    .prio_changed = prio_changed_rt,
    .update_curr = update_curr_rt,
};
