// Changing a task's priority and policy (Linux's kernel/sched/syscalls.c: set_user_nice(),
// sched_setscheduler()). Permission checks belong to the system-call layer (issue 3).
#include <sched/sched.hpp>
#include <sched/sched_class.hpp>

namespace {

int normal_prio(const Task& p) {
    if (dl_policy(p.policy)) return MAX_DL_PRIO - 1;
    if (rt_policy(p.policy)) return MAX_RT_PRIO - 1 - int(p.rt_priority);
    return p.static_prio;
}

// Changes p's scheduling parameters with `change`, moving it between classes as needed. The task is
// taken off its class's queue (and out of "current" if it is running) around the change, so no class
// ever sees parameters that differ from those it queued the task with.
template <class Change>
void change_task_params(Task* p, Change&& change) {
    arch::IrqFlags flags = arch::irq_save();
    preempt_disable();
    p->pi_lock.raw_lock();
    RunQueue& rq = task_rq(p);
    rq.lock.raw_lock();
    update_rq_clock(rq);

    bool queued = p->on_rq;
    bool running = rq.curr == p;
    if (queued) p->sched_class->dequeue_task(rq, *p, DEQUEUE_SAVE);
    if (running) p->sched_class->put_prev_task(rq, *p);

    const SchedClass* prev_class = p->sched_class;
    int old_prio = p->prio;
    change();
    if (prev_class != p->sched_class && prev_class->switched_from) prev_class->switched_from(rq, *p);

    if (queued) p->sched_class->enqueue_task(rq, *p, ENQUEUE_RESTORE);
    if (running) p->sched_class->set_next_task(rq, *p, false);

    if (prev_class != p->sched_class) {
        if (p->sched_class->switched_to) p->sched_class->switched_to(rq, *p);
    } else if (old_prio != p->prio && p->sched_class->prio_changed) {
        p->sched_class->prio_changed(rq, *p, old_prio);
    }

    rq.lock.raw_unlock();
    p->pi_lock.raw_unlock();
    arch::irq_restore(flags);
    preempt_enable();
}

}  // namespace

void set_load_weight(Task& p) {
    if (p.policy == SCHED_IDLE)
        p.se.load = LoadWeight{WEIGHT_IDLEPRIO, WMULT_IDLEPRIO};
    else
        p.se.load = nice_to_load(prio_to_nice(p.static_prio));
}

void set_user_nice(Task* p, long nice) {
    if (nice < MIN_NICE) nice = MIN_NICE;
    if (nice > MAX_NICE) nice = MAX_NICE;
    if (task_nice(p) == nice || is_idle_task(p)) return;
    change_task_params(p, [&] {
        p->static_prio = nice_to_prio(int(nice));
        set_load_weight(*p);
        p->normal_prio = normal_prio(*p);
        p->prio = p->normal_prio;
    });
}

Result<void> sched_setscheduler(Task* p, int policy, const SchedParam& param) {
    if (!valid_policy(policy) || is_idle_task(p)) return Errno::EINVAL;
    if (dl_policy(policy)) return Errno::EINVAL;  // needs sched_setattr() and the deadline class (pending)
    if (rt_policy(policy)) {
        if (param.sched_priority < 1 || param.sched_priority > MAX_USER_RT_PRIO - 1) return Errno::EINVAL;
    } else if (param.sched_priority != 0) {
        return Errno::EINVAL;
    }
    change_task_params(p, [&] {
        p->policy = policy;
        p->rt_priority = rt_policy(policy) ? unsigned(param.sched_priority) : 0;
        p->normal_prio = normal_prio(*p);
        p->prio = p->normal_prio;
        p->sched_class = sched_class_for_prio(p->prio);
        set_load_weight(*p);
    });
    return {};
}
