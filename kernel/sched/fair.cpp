// The fair class: CFS (Linux's kernel/sched/fair.c, before EEVDF), for SCHED_NORMAL, SCHED_BATCH and
// SCHED_IDLE. The arithmetic is in sched/fair_math.hpp; this file keeps the runqueue's timeline.
//
// Invariants (rq.lock held):
//   - every entity with on_rq is counted in cfs.nr_running and cfs.load, and is either in the timeline
//     or is cfs.curr (never both);
//   - cfs.min_vruntime never decreases, and is at most the vruntime of every queued entity as of the
//     last update_min_vruntime() (entities placed as waking sleepers may start below it);
//   - an entity that left the class (switched_from) holds its vruntime relative to min_vruntime, flagged
//     by vruntime_relative, until it is enqueued again.
#include <printk/panic.hpp>
#include <sched/sched.hpp>
#include <sched/sched_class.hpp>

namespace {

Task& task_of(SchedEntity& se) { return *container_of(&se, &Task::se); }

void update_min_vruntime(CfsRq& cfs) {
    SchedEntity* curr = cfs.curr;
    SchedEntity* leftmost = cfs.timeline.first();
    uint64_t vruntime = cfs.min_vruntime;
    if (curr && curr->on_rq) vruntime = curr->vruntime;
    else curr = nullptr;
    if (leftmost) vruntime = curr ? cfs::min_vruntime(vruntime, leftmost->vruntime) : leftmost->vruntime;
    cfs.min_vruntime = cfs::max_vruntime(cfs.min_vruntime, vruntime);
}

// Charges the running entity for the time since its exec_start, in real and virtual time.
void update_curr(RunQueue& rq, CfsRq& cfs) {
    SchedEntity* curr = cfs.curr;
    if (!curr) return;
    uint64_t now = rq_clock_task(rq);
    int64_t delta = int64_t(now - curr->exec_start);
    if (delta <= 0) return;
    curr->exec_start = now;
    curr->sum_exec_runtime += uint64_t(delta);
    curr->vruntime += cfs::calc_delta_fair(uint64_t(delta), curr->load);
    update_min_vruntime(cfs);
}

void account_enqueue(CfsRq& cfs, SchedEntity& se) {
    cfs.load.weight += se.load.weight;
    cfs.load.inv_weight = 0;
    cfs.nr_running++;
}

void account_dequeue(CfsRq& cfs, SchedEntity& se) {
    cfs.load.weight -= se.load.weight;
    cfs.load.inv_weight = 0;
    cfs.nr_running--;
}

// The slice in virtual time: how far the entity's vruntime moves while it uses its real slice.
uint64_t sched_vslice(const CfsRq& cfs, const SchedEntity& se) {
    return cfs::calc_delta_fair(sched_slice_fair(cfs, se), se.load);
}

void place_entity(CfsRq& cfs, SchedEntity& se, bool initial) {
    se.vruntime = cfs::place_vruntime(cfs.min_vruntime, se.vruntime, initial, initial ? sched_vslice(cfs, se) : 0);
}

// The leftmost entity, unless it asked to be skipped (sched_yield) and the next one is close enough
// behind it that running that one first is not unfair.
SchedEntity* pick_next_entity(CfsRq& cfs) {
    SchedEntity* left = cfs.timeline.first();
    if (!left) return nullptr;
    SchedEntity* se = left;
    if (cfs.skip == left) {
        SchedEntity* second = cfs.timeline.next(*left);
        if (second && cfs::wakeup_preempt_entity(second->vruntime, left->vruntime, left->load) < 1) se = second;
    }
    cfs.skip = nullptr;
    return se;
}

void set_next_entity(RunQueue& rq, CfsRq& cfs, SchedEntity& se) {
    if (se.on_rq) cfs.timeline.erase(se);  // the running entity is kept out of the tree
    se.exec_start = rq_clock_task(rq);
    se.prev_sum_exec_runtime = se.sum_exec_runtime;
    cfs.curr = &se;
}

// The tick: preempt the running entity once it has had its slice, or when it is a whole slice (in
// virtual time) ahead of the leftmost waiting entity — but never before min_granularity, so that a
// freshly started entity gets some useful work done.
void check_preempt_tick(RunQueue& rq, CfsRq& cfs, SchedEntity& curr) {
    uint64_t ideal_runtime = sched_slice_fair(cfs, curr);
    uint64_t delta_exec = curr.sum_exec_runtime - curr.prev_sum_exec_runtime;
    if (delta_exec > ideal_runtime) {
        resched_curr(rq);
        return;
    }
    if (delta_exec < cfs::tunables.min_granularity_ns) return;
    SchedEntity* left = cfs.timeline.first();
    if (!left) return;
    int64_t vdelta = int64_t(curr.vruntime - left->vruntime);
    if (vdelta > int64_t(ideal_runtime)) resched_curr(rq);
}

// --- the class hooks ----------------------------------------------------------------------------------

void enqueue_task_fair(RunQueue& rq, Task& p, unsigned flags) {
    CfsRq& cfs = rq.cfs;
    SchedEntity& se = p.se;
    update_curr(rq, cfs);
    if (se.vruntime_relative) {
        se.vruntime += cfs.min_vruntime;
        se.vruntime_relative = false;
    }
    if (flags & ENQUEUE_INITIAL) {
        // A child starts no earlier than its parent (when the parent runs here), so a task cannot get
        // ahead by forking.
        Task* parent = current();
        if (parent && cfs.curr == &parent->se) se.vruntime = parent->se.vruntime;
        place_entity(cfs, se, true);
    } else if (flags & ENQUEUE_WAKEUP) {
        place_entity(cfs, se, false);
    }
    account_enqueue(cfs, se);
    if (&se != cfs.curr) cfs.timeline.insert(se);
    se.on_rq = true;
}

void dequeue_task_fair(RunQueue& rq, Task& p, unsigned) {
    CfsRq& cfs = rq.cfs;
    SchedEntity& se = p.se;
    update_curr(rq, cfs);
    if (&se != cfs.curr) cfs.timeline.erase(se);
    se.on_rq = false;
    account_dequeue(cfs, se);
    if (cfs.skip == &se) cfs.skip = nullptr;
    update_min_vruntime(cfs);
}

void yield_task_fair(RunQueue& rq) {
    CfsRq& cfs = rq.cfs;
    if (cfs.nr_running <= 1) return;
    update_curr(rq, cfs);
    cfs.skip = &rq.curr->se;
}

void wakeup_preempt_fair(RunQueue& rq, Task& p, unsigned) {
    Task* curr = rq.curr;
    if (curr == &p) return;
    // Anything normal preempts a SCHED_IDLE task at once; SCHED_BATCH and SCHED_IDLE tasks never
    // preempt on wake-up (they wait for the tick).
    if (curr->policy == SCHED_IDLE && p.policy != SCHED_IDLE) {
        resched_curr(rq);
        return;
    }
    if (p.policy != SCHED_NORMAL) return;
    update_curr(rq, rq.cfs);
    if (cfs::wakeup_preempt_entity(curr->se.vruntime, p.se.vruntime, p.se.load) == 1) resched_curr(rq);
}

Task* pick_next_task_fair(RunQueue& rq) {
    SchedEntity* se = pick_next_entity(rq.cfs);
    if (!se) return nullptr;
    set_next_entity(rq, rq.cfs, *se);
    return &task_of(*se);
}

void put_prev_task_fair(RunQueue& rq, Task& prev) {
    CfsRq& cfs = rq.cfs;
    SchedEntity& se = prev.se;
    if (se.on_rq) {
        update_curr(rq, cfs);
        cfs.timeline.insert(se);
    }
    cfs.curr = nullptr;
}

void set_next_task_fair(RunQueue& rq, Task& p, bool) { set_next_entity(rq, rq.cfs, p.se); }

unsigned select_task_rq_fair(Task& p, unsigned prev_cpu, unsigned wake_flags) {
    // No load balancing yet: a new task starts on its parent's CPU, a waking one where it last ran.
    if (wake_flags & WF_FORK) return smp_processor_id();
    (void)p;
    return prev_cpu;
}

void task_tick_fair(RunQueue& rq, Task& curr) {
    CfsRq& cfs = rq.cfs;
    update_curr(rq, cfs);
    if (cfs.nr_running > 1) check_preempt_tick(rq, cfs, curr.se);
}

void prio_changed_fair(RunQueue& rq, Task& p, int old_prio) {
    if (!p.on_rq) return;
    if (rq.curr == &p) {
        if (p.prio > old_prio) resched_curr(rq);  // it got weaker: let the others compete now
    } else {
        wakeup_preempt(rq, p, 0);
    }
}

// Leaving CFS: keep the entity's lag relative to this runqueue, so that it is neither far behind nor far
// ahead when it comes back (possibly much later, when min_vruntime has moved on).
void switched_from_fair(RunQueue& rq, Task& p) {
    if (p.se.vruntime_relative) return;
    p.se.vruntime -= rq.cfs.min_vruntime;
    p.se.vruntime_relative = true;
}

void switched_to_fair(RunQueue& rq, Task& p) {
    if (!p.on_rq) return;
    if (rq.curr == &p)
        resched_curr(rq);  // it came down from a higher class: whatever waits there may go first
    else
        wakeup_preempt(rq, p, 0);
}

void update_curr_fair_hook(RunQueue& rq) { update_curr(rq, rq.cfs); }

}  // namespace

uint64_t sched_slice_fair(const CfsRq& cfs, const SchedEntity& se) {
    unsigned nr = cfs.nr_running + (se.on_rq ? 0 : 1);
    uint64_t total = cfs.load.weight + (se.on_rq ? 0 : se.load.weight);
    return cfs::sched_slice(cfs::sched_period(nr), se.load.weight, total);
}

void update_curr_fair(RunQueue& rq) { update_curr(rq, rq.cfs); }

void init_cfs_rq(CfsRq& cfs) {
    // Start a little below the wrap point, so that wrap-around handling is exercised on every boot
    // rather than after 2^64 ns (Linux does the same).
    cfs.min_vruntime = uint64_t(-(int64_t(1) << 20));
}

const SchedClass fair_sched_class = {
    .name = "fair",
    .rank = 3,
    .enqueue_task = enqueue_task_fair,
    .dequeue_task = dequeue_task_fair,
    .yield_task = yield_task_fair,
    .wakeup_preempt = wakeup_preempt_fair,
    .pick_next_task = pick_next_task_fair,
    .put_prev_task = put_prev_task_fair,
    .set_next_task = set_next_task_fair,
    .select_task_rq = select_task_rq_fair,
    .task_tick = task_tick_fair,
    .task_fork = nullptr,
    .task_dead = nullptr,
    .switched_from = switched_from_fair,
    .switched_to = switched_to_fair,
    .prio_changed = prio_changed_fair,
    .update_curr = update_curr_fair_hook,
};
