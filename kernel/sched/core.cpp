// Scheduler core (Linux's kernel/sched/core.c): runqueues, __schedule() and the context switch,
// wake-ups, the tick, and the preemption entry points. Policy lives in the classes (fair.cpp, rt.cpp,
// idle.cpp, ...); this file only moves tasks between them and the CPU.
//
// Preemption-count invariant. preempt_count is per CPU, not per task. Every task that is switched out is
// inside __schedule() with preempt_count == 1 (the disable taken by schedule()/preempt_schedule*() or,
// for the idle task, held permanently). So the count a task finds when it is switched back in is the
// one it left with, and a new task, which starts in schedule_tail(), drops exactly that 1.
//
// SMP. Each CPU has its own runqueue and tasks remember their CPU; wake-ups lock the target runqueue and
// wait for a task that is still switching out elsewhere (on_cpu). The boot CPU's runqueue and idle task
// come from sched_init(), every other CPU's from sched_prepare_cpu() during the SMP bring-up; making a
// task runnable on another CPU sends that CPU a reschedule IPI (resched_curr()). Load balancing is
// pending: tasks stay on the CPU they were created on.
#include <arch/thread.hpp>
#include <init/subsystems.hpp>
#include <mm/mm_struct.hpp>
#include <printk/panic.hpp>
#include <printk/printk.hpp>
#include <process/process.hpp>
#include <sched/cpustat.hpp>
#include <sched/hooks.hpp>
#include <sched/preempt.hpp>
#include <sched/sched.hpp>
#include <sched/sched_class.hpp>
#include <sched/task_internal.hpp>
#include <smp/smp.hpp>
#include <time/itimer.hpp>
#include <time/sched_clock.hpp>
#include <lib/vsprintf.hpp>
#include <mm/slab.hpp>
#include <new>

namespace {

// Each CPU's runqueue, once it has one. The boot CPU's lives here, constructed by sched_init() (not at
// load time, which would put its constant-initialised lists in the image's data section); the SMP
// bring-up will allocate the others as it starts each CPU.
RunQueue* runqueues[kMaxCpus];
alignas(RunQueue) unsigned char boot_runqueue_storage[sizeof(RunQueue)];

RunQueue* init_runqueue(void* storage, unsigned cpu) {
    RunQueue* rq = new (storage) RunQueue();
    rq->cpu = cpu;
    init_cfs_rq(rq->cfs);
    init_rt_rq(rq->rt);
    runqueues[cpu] = rq;
    return rq;
}

void schedule_debug(Task* prev) {
    if (__builtin_expect(preempt_count() != 1, 0))
        panic("BUG: scheduling while atomic: %s/%d/0x%08x", prev->comm, prev->pid, preempt_count() - 1);
    if (__builtin_expect(!task_stack_end_intact(prev), 0))
        panic("corrupted stack end detected inside scheduler (%s/%d)", prev->comm, prev->pid);
}

Task* pick_next_task(RunQueue& rq, Task& prev) {
    prev.sched_class->put_prev_task(rq, prev);
    for (const SchedClass* cls : sched_classes)
        if (Task* p = cls->pick_next_task(rq)) return p;
    BUG();  // the idle class always has the idle task
}

// Runs in the context of the task just switched to, with the runqueue lock still held by the switch.
// `prev` is the task this CPU switched away from.
void finish_task_switch(Task* prev) {
    RunQueue& rq = this_rq();
    unsigned prev_state = task_state(prev);
    MmStruct* mm = rq.prev_mm;
    rq.prev_mm = nullptr;
    // From here prev may run on another CPU (its stack is no longer in use here).
    prev->on_cpu.store(0, MemoryOrder::Release);
    rq.lock.raw_unlock();
    arch::irq_enable();
    if (mm) mmdrop(mm);  // a kernel thread's borrowed address space, now that this CPU is off it
    if (prev_state == TASK_DEAD) {
        if (prev->sched_class->task_dead) prev->sched_class->task_dead(*prev);
        put_task_struct(prev);  // the reference the task held on itself while it lived
    }
}

void context_switch(Task* prev, Task* next) {
    next->on_cpu.store(1, MemoryOrder::Relaxed);
    this_cpu()->current = next;
    this_rq().prev_mm = context_switch_mm(prev, next);
    Task* last = arch::switch_to(prev, next);
    // We are `prev` again, possibly much later and on another CPU's behalf: finish the switch that
    // brought us here, away from `last`.
    finish_task_switch(last);
}

// The scheduler proper. `preempt`: the task is being preempted rather than blocking, so it stays on the
// runqueue whatever its state (it may be preempted between set_current_state() and schedule()).
// Called with preempt_count == 1 and interrupts enabled; returns the same way.
void __schedule(bool preempt) {
    RunQueue& rq = this_rq();
    Task* prev = rq.curr;
    schedule_debug(prev);

    arch::irq_disable();
    rq.lock.raw_lock();
    update_rq_clock(rq);

    uint64_t* switch_count = &prev->nivcsw;
    // Read after taking the lock: a waker changes the state of a task that is still on the runqueue only
    // with this lock held (see try_to_wake_up), so the decision below cannot race with it.
    unsigned prev_state = task_state(prev);
    if (!preempt && prev_state != TASK_RUNNING) {
        if (signal_pending_state(prev_state, prev))
            prev->state.store(TASK_RUNNING, MemoryOrder::Relaxed);
        else
            deactivate_task(rq, *prev, DEQUEUE_SLEEP);
        switch_count = &prev->nvcsw;
    }

    // Clear before picking: a wake-up that needs a reschedule after this point sets it again.
    this_cpu()->need_resched = false;
    Task* next = pick_next_task(rq, *prev);

    if (next != prev) {
        rq.nr_switches++;
        rq.curr = next;
        ++*switch_count;
        context_switch(prev, next);  // unlocks rq
    } else {
        rq.lock.raw_unlock();
        arch::irq_enable();
    }
}

}  // namespace

RunQueue& cpu_rq(unsigned cpu) { return *runqueues[cpu]; }

void update_rq_clock(RunQueue& rq) {
    uint64_t now = local_clock();
    int64_t delta = int64_t(now - rq.clock);
    if (delta <= 0) return;
    rq.clock = now;
    rq.clock_task += uint64_t(delta);
}

void resched_curr(RunQueue& rq) {
    PerCpu& cpu = per_cpu_data[rq.cpu];
    if (cpu.need_resched) return;
    cpu.need_resched = true;
    // A remote CPU also needs the reschedule IPI to act before its next tick.
    if (rq.cpu != smp_processor_id()) smp_send_reschedule(rq.cpu);
}

const SchedClass* sched_class_for_prio(int prio) {
    if (dl_prio(prio)) return &dl_sched_class;
    if (rt_prio(prio)) return &rt_sched_class;
    return &fair_sched_class;
}

void activate_task(RunQueue& rq, Task& p, unsigned flags) {
    p.sched_class->enqueue_task(rq, p, flags);
    p.on_rq = TASK_ON_RQ_QUEUED;
    rq.nr_running++;
}

void deactivate_task(RunQueue& rq, Task& p, unsigned flags) {
    p.on_rq = 0;
    p.sched_class->dequeue_task(rq, p, flags);
    rq.nr_running--;
}

void wakeup_preempt(RunQueue& rq, Task& p, unsigned wake_flags) {
    Task* curr = rq.curr;
    if (p.sched_class == curr->sched_class)
        p.sched_class->wakeup_preempt(rq, p, wake_flags);
    else if (sched_class_above(p.sched_class, curr->sched_class))
        resched_curr(rq);
}

// --- blocking and preemption ------------------------------------------------------------------------

void schedule() {
    do {
        preempt_disable();
        __schedule(false);
        preempt_enable_no_resched();
    } while (need_resched());
}

void schedule_preempt_disabled() {
    preempt_enable_no_resched();
    schedule();
    preempt_disable();
}

void schedule_idle() {
    // The idle task runs with preemption disabled (count 1) and never blocks.
    do {
        __schedule(false);
    } while (need_resched());
}

void preempt_schedule() {
    if (preempt_count() || !arch::irqs_enabled() || !this_cpu()->rq) return;
    do {
        preempt_disable();
        __schedule(true);
        preempt_enable_no_resched();
    } while (need_resched());
}

void preempt_schedule_irq() {
    if (!this_cpu()->rq || preempt_count()) return;
    do {
        preempt_disable();
        arch::irq_enable();
        __schedule(true);
        arch::irq_disable();
        preempt_enable_no_resched();
    } while (need_resched());
}

void cond_resched() {
    if (!need_resched() || preempt_count() || !this_cpu()->rq) return;
    do {
        preempt_disable();
        __schedule(true);
        preempt_enable_no_resched();
    } while (need_resched());
}

void yield() {
    RunQueue& rq = this_rq();
    arch::irq_disable();
    rq.lock.raw_lock();
    update_rq_clock(rq);
    if (rq.curr->sched_class->yield_task) rq.curr->sched_class->yield_task(rq);
    rq.lock.raw_unlock();
    arch::irq_enable();
    schedule();
}

void schedule_tail(Task* prev) {
    finish_task_switch(prev);
    preempt_enable();
    if (current()->set_child_tid) schedule_tail_process(current());  // CLONE_CHILD_SETTID (process/fork.cpp)
}

// --- wake-ups ----------------------------------------------------------------------------------------

bool try_to_wake_up(Task* p, unsigned state, unsigned wake_flags) {
    arch::IrqFlags flags = arch::irq_save();
    preempt_disable();
    bool woke = false;
    if (p == current()) {
        // Waking ourselves (an interrupt handler woke the task it interrupted, or a task satisfied its
        // own wait condition): it is running and queued, so only its state changes.
        if (task_state(p) & state) {
            p->state.store(TASK_RUNNING, MemoryOrder::Relaxed);
            woke = true;
        }
    } else {
        p->pi_lock.raw_lock();
        if (task_state(p) & state) {
            RunQueue* rq = &task_rq(p);
            rq->lock.raw_lock();
            update_rq_clock(*rq);
            if (p->on_rq) {
                // It set its state but has not switched out yet (or was preempted before it could):
                // cancelling the sleep is enough; __schedule() sees TASK_RUNNING under this same lock.
                p->state.store(TASK_RUNNING, MemoryOrder::Relaxed);
                wakeup_preempt(*rq, *p, wake_flags);
            } else {
                unsigned cpu = p->sched_class->select_task_rq(*p, task_cpu(p), wake_flags);
                if (cpu != task_cpu(p)) {
                    // Its old CPU may still be on its stack, finishing the switch away from it.
                    rq->lock.raw_unlock();
                    while (p->on_cpu.load(MemoryOrder::Acquire)) arch::cpu_relax();
                    p->cpu = cpu;
                    rq = &cpu_rq(cpu);
                    rq->lock.raw_lock();
                    update_rq_clock(*rq);
                }
                activate_task(*rq, *p, ENQUEUE_WAKEUP);
                p->state.store(TASK_RUNNING, MemoryOrder::Relaxed);
                wakeup_preempt(*rq, *p, wake_flags);
            }
            rq->lock.raw_unlock();
            woke = true;
        }
        p->pi_lock.raw_unlock();
    }
    arch::irq_restore(flags);
    preempt_enable();  // acts on a preemption the wake-up asked for, now that interrupts are back
    return woke;
}

bool wake_up_process(Task* p) { return try_to_wake_up(p, TASK_NORMAL, 0); }
bool wake_up_state(Task* p, unsigned state) { return try_to_wake_up(p, state, 0); }

void wake_up_new_task(Task* p) {
    arch::IrqFlags flags = arch::irq_save();
    preempt_disable();
    p->pi_lock.raw_lock();
    p->state.store(TASK_RUNNING, MemoryOrder::Relaxed);
    p->cpu = p->sched_class->select_task_rq(*p, task_cpu(p), WF_FORK);
    RunQueue& rq = task_rq(p);
    rq.lock.raw_lock();
    update_rq_clock(rq);
    activate_task(rq, *p, ENQUEUE_INITIAL);
    wakeup_preempt(rq, *p, WF_FORK);
    rq.lock.raw_unlock();
    p->pi_lock.raw_unlock();
    arch::irq_restore(flags);
    preempt_enable();
}

// --- the tick ----------------------------------------------------------------------------------------

void scheduler_tick() {
    RunQueue* rq = this_cpu()->rq;
    if (!rq) return;
    rq->lock.raw_lock();
    update_rq_clock(*rq);
    Task* curr = rq->curr;
    // What the timer interrupt interrupted: user code, or the kernel (a system call, a fault, idle).
    bool user_tick = arch::irq_interrupted_user_mode();
    account_process_tick(curr, user_tick);
    curr->sched_class->task_tick(*rq, *curr);
    account_cpu_tick(rq->cpu, curr, user_tick);
    rq->lock.raw_unlock();
    // After the runqueue lock: an expiring ITIMER_VIRTUAL/PROF sends a signal, whose wake-up takes it.
    itimer_account_tick(curr, user_tick);
}

// --- set-up ------------------------------------------------------------------------------------------

void sched_fork(Task* p) {
    Task* parent = current();
    p->state.store(TASK_NEW, MemoryOrder::Relaxed);
    p->on_rq = 0;
    p->on_cpu.store(0, MemoryOrder::Relaxed);
    p->se.exec_start = p->se.sum_exec_runtime = p->se.prev_sum_exec_runtime = 0;
    p->se.vruntime = 0;  // relative: "at min_vruntime" of whichever runqueue it starts on
    p->se.vruntime_relative = true;
    p->se.on_rq = false;
    p->rt.on_rq = false;
    p->rt.time_slice = 0;
    // A child inherits its parent's policy and nice, not a temporary boost. The boot flow (the idle
    // task) is SCHED_NORMAL at nice 0, so its children are ordinary CFS tasks.
    p->policy = parent->policy;
    p->static_prio = parent->static_prio;
    p->rt_priority = parent->rt_priority;
    p->normal_prio = parent->normal_prio;
    p->sched_reset_on_fork = false;
    if (parent->sched_reset_on_fork) {
        // Linux's rule: the child drops a real-time policy and a negative nice, and the flag itself.
        if (!fair_policy(p->policy)) {
            p->policy = SCHED_NORMAL;
            p->rt_priority = 0;
        }
        if (p->static_prio < DEFAULT_PRIO) p->static_prio = DEFAULT_PRIO;
        p->normal_prio = p->static_prio;
    }
    p->prio = p->normal_prio;
    p->sched_class = sched_class_for_prio(p->prio);
    set_load_weight(*p);
    p->cpu = smp_processor_id();
    if (p->sched_class->task_fork) p->sched_class->task_fork(*p);
}

void init_idle(Task* idle, unsigned cpu) {
    RunQueue& rq = cpu_rq(cpu);
    idle->state.store(TASK_RUNNING, MemoryOrder::Relaxed);
    idle->flags |= PF_IDLE | PF_KTHREAD;
    idle->policy = SCHED_NORMAL;
    idle->static_prio = idle->normal_prio = idle->prio = DEFAULT_PRIO;
    set_load_weight(*idle);
    idle->sched_class = &idle_sched_class;
    idle->cpu = cpu;
    idle->on_cpu.store(1, MemoryOrder::Relaxed);
    rq.idle = rq.curr = idle;
}

void sched_init() {
    // No other CPU has a runqueue before the SMP bring-up. (Host tests run sched_init() once per test,
    // each with fresh memory: forget what an earlier one prepared.)
    for (RunQueue*& rq : runqueues) rq = nullptr;
    // The boot flow of control becomes CPU 0's idle task (PID 0, "swapper/0"), running on the boot stack.
    PerCpu* cpu = this_cpu();
    cpu->rq = init_runqueue(boot_runqueue_storage, cpu->cpu_id);
    Task* idle = init_task_reset();
    init_idle(idle, cpu->cpu_id);
    cpu->current = cpu->idle = idle;
    cpu->need_resched = false;
    // The idle task runs with preemption disabled for good (see the invariant at the top); from now on
    // the boot flow gives up the CPU only by calling schedule(), as rest_init() does.
    cpu->preempt_count = 1;
}

Result<void> sched_prepare_cpu(unsigned cpu) {
    PerCpu& pc = per_cpu_data[cpu];
    RunQueue* rq = runqueues[cpu];
    if (!rq) {  // (a CPU tried again, or a host test booting it twice, keeps what it got the first time)
        void* rq_mem = kmalloc(sizeof(RunQueue));
        Task* idle = alloc_task_struct();
        void* stack = idle ? alloc_thread_stack() : nullptr;
        if (!stack) {
            if (idle) free_task_struct(idle);
            kfree(rq_mem);
            return Errno::ENOMEM;
        }
        if (!rq_mem) {
            free_thread_stack(stack);
            free_task_struct(idle);
            return Errno::ENOMEM;
        }
        rq = init_runqueue(rq_mem, cpu);
        idle->stack = stack;
        idle->pid = idle->tgid = 0;
        char name[sizeof idle->comm];
        ksnprintf(name, sizeof name, "swapper/%u", cpu);
        set_task_comm(idle, name);
        idle->real_parent = idle->parent = init_task_ptr();
        init_idle(idle, cpu);
    }
    pc.rq = rq;
    pc.current = pc.idle = rq->idle;
    pc.need_resched = false;
    pc.preempt_count = 1;  // the idle task's permanent disable, as on the boot CPU
    return {};
}

uint64_t nr_context_switches() {
    uint64_t sum = 0;
    for (unsigned cpu = 0; cpu < kMaxCpus; cpu++)
        if (runqueues[cpu]) sum += runqueues[cpu]->nr_switches;
    return sum;
}

unsigned nr_running_on(unsigned cpu) { return runqueues[cpu] ? runqueues[cpu]->nr_running : 0; }
