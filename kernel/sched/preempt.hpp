#pragma once
// Kernel preemption control. A task may be switched out involuntarily only when preempt_count is 0 and
// interrupts are enabled: at the return from an interrupt, or in preempt_enable() when the count drops to
// zero with a reschedule pending.
#include <smp/percpu.hpp>

void preempt_schedule();  // sched/core.cpp

inline void barrier() { asm volatile("" : : : "memory"); }

inline void preempt_disable() {
    this_cpu()->preempt_count++;
    barrier();
}
inline void preempt_enable_no_resched() {
    barrier();
    this_cpu()->preempt_count--;
}
inline void preempt_enable() {
    barrier();
    PerCpu* cpu = this_cpu();
    if (--cpu->preempt_count == 0 && cpu->need_resched && arch::irqs_enabled()) preempt_schedule();
}
inline int preempt_count() { return this_cpu()->preempt_count; }
inline bool in_atomic() { return this_cpu()->preempt_count != 0; }
inline bool in_interrupt() { return this_cpu()->irq_nesting != 0; }

// Scoped preempt_disable()/preempt_enable().
class PreemptGuard {
public:
    PreemptGuard() { preempt_disable(); }
    ~PreemptGuard() { preempt_enable(); }
    PreemptGuard(const PreemptGuard&) = delete;
    PreemptGuard& operator=(const PreemptGuard&) = delete;
};
