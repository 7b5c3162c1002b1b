// The scheduler simulator (see sim.hpp).
#include "sim.hpp"

#include "host_thread.hpp"

#include <sched/sched.hpp>
#include <sched/sched_class.hpp>
#include <sched/hooks.hpp>
#include <sched/preempt.hpp>
#include <sched/task_internal.hpp>
#include <init/subsystems.hpp>
#include <time/jiffies.hpp>
#include <time/sched_clock.hpp>

#include <algorithm>
#include <stdexcept>

namespace {
uint64_t virtual_now = 0;
uint64_t read_virtual_clock() { return virtual_now; }
}  // namespace

SchedSim::SchedSim() : tick_ns_(1'000'000'000ull / HZ), next_tick_(tick_ns_) {
    host_sched::set_real_switching(false);
    virtual_now = 0;
    sched_clock_register(read_virtual_clock, 1, 0, 0);
    sched_init();
    enter_context();
}

SchedSim::~SchedSim() { host_sched::reset_cpu(); }

RunQueue& SchedSim::rq() const { return this_rq(); }
Task* SchedSim::running() const { return this_rq().curr; }

SchedSim::SimTask* SchedSim::info(const Task* t) {
    for (auto& st : tasks_)
        if (st->task.get() == t) return st.get();
    return nullptr;
}
const SchedSim::SimTask* SchedSim::info(const Task* t) const {
    for (auto& st : tasks_)
        if (st->task.get() == t) return st.get();
    return nullptr;
}

void SchedSim::enter_context() {
    this_cpu()->preempt_count = is_idle_task(running()) ? 1 : 0;
    arch::irq_enable();
}

void SchedSim::record_switch(Task* before) {
    if (running() != before) switches_.push_back({now_, before, running()});
}

// Hardware-interrupt context: interrupts off and preemption disabled (irq_enter), so a wake-up inside
// only sets need_resched, and the switch happens at interrupt_return().
void SchedSim::irq_enter() {
    enter_context();
    arch::irq_disable();
    this_cpu()->preempt_count++;
}

void SchedSim::interrupt_return() {
    this_cpu()->preempt_count--;
    Task* before = running();
    if (need_resched()) {
        if (is_idle_task(before)) {
            arch::irq_enable();
            schedule_idle();  // the idle loop notices need_resched after the interrupt
        } else {
            preempt_schedule_irq();  // with interrupts still off, as on the exit path
        }
    }
    record_switch(before);
    enter_context();
}

Task* SchedSim::spawn(const SimTaskSpec& spec) {
    auto st = std::make_unique<SimTask>();
    st->task = std::make_unique<Task>();
    st->spec = spec;
    st->burst_left = spec.run_ns;
    Task* p = st->task.get();
    set_task_comm(p, spec.name);
    p->pid = int(tasks_.size()) + 1000;
    sched_fork(p);
    // As if the parent had had the spec's parameters (sched_fork copies the parent's).
    p->policy = spec.policy;
    p->static_prio = nice_to_prio(spec.nice);
    p->rt_priority = unsigned(spec.rt_priority);
    p->normal_prio = rt_policy(spec.policy) ? MAX_RT_PRIO - 1 - spec.rt_priority : p->static_prio;
    p->prio = p->normal_prio;
    p->sched_class = sched_class_for_prio(p->prio);
    set_load_weight(*p);
    tasks_.push_back(std::move(st));
    irq_enter();
    wake_up_new_task(p);
    interrupt_return();
    return p;
}

void SchedSim::do_block(SimTask& st) {
    if (running() != st.task.get()) throw std::logic_error("only the running task can block");
    enter_context();
    Task* before = running();
    set_current_state(TASK_INTERRUPTIBLE);
    schedule();
    record_switch(before);
    enter_context();
}

void SchedSim::block_current() {
    SimTask* st = info(running());
    if (!st) throw std::logic_error("the idle task cannot block");
    do_block(*st);
}

void SchedSim::yield_current() {
    enter_context();
    Task* before = running();
    yield();
    record_switch(before);
    enter_context();
}

void SchedSim::wake(Task* t) {
    irq_enter();
    wake_up_process(t);
    interrupt_return();
}

void SchedSim::at(uint64_t t, std::function<void()> fn) { timers_.push_back({t, std::move(fn)}); }

void SchedSim::run_until(uint64_t t) {
    while (now_ < t) {
        Task* curr = running();
        SimTask* cur = info(curr);
        uint64_t next = std::min(t, next_tick_);
        if (cur && cur->burst_left != SimTaskSpec::kForever) next = std::min(next, now_ + cur->burst_left);
        for (auto& st : tasks_)
            if (st->wake_at != kNever) next = std::min(next, st->wake_at);
        for (auto& timer : timers_) next = std::min(next, timer.time);

        uint64_t elapsed = next - now_;
        now_ = virtual_now = next;
        if (cur) {
            cur->cpu_time += elapsed;
            if (cur->burst_left != SimTaskSpec::kForever) cur->burst_left -= elapsed;
        }

        // Events due now, in a fixed order: the running task's burst ends, sleepers wake, timers
        // fire, the tick.
        if (cur && cur->burst_left == 0) {
            cur->burst_left = cur->spec.run_ns;
            cur->wake_at = now_ + cur->spec.sleep_ns;
            do_block(*cur);
        }
        for (auto& st : tasks_) {
            if (st->wake_at != kNever && st->wake_at <= now_) {
                st->wake_at = kNever;
                wake(st->task.get());
            }
        }
        for (size_t i = 0; i < timers_.size();) {
            if (timers_[i].time <= now_) {
                auto fn = std::move(timers_[i].fn);
                timers_.erase(timers_.begin() + long(i));
                irq_enter();
                fn();
                interrupt_return();
            } else {
                i++;
            }
        }
        if (now_ == next_tick_) {
            ticks_++;
            next_tick_ += tick_ns_;
            irq_enter();
            scheduler_tick();
            interrupt_return();
        }
    }
}

uint64_t SchedSim::cpu_time(const Task* t) const {
    const SimTask* st = info(t);
    return st ? st->cpu_time : 0;
}

uint64_t SchedSim::sum_exec_runtime(Task* t) {
    RunQueue& q = rq();
    arch::IrqFlags flags = arch::irq_save();
    q.lock.raw_lock();
    update_rq_clock(q);
    if (q.curr == t && t->sched_class->update_curr) t->sched_class->update_curr(q);
    q.lock.raw_unlock();
    arch::irq_restore(flags);
    return t->se.sum_exec_runtime;
}
