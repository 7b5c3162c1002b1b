// Weak placeholders for subsystems still being brought up on their own branches; each subsystem's real
// (strong) definition replaces its entry at link time. This file goes away once all have landed.
#include <init/subsystems.hpp>
#include <sched/hooks.hpp>

[[gnu::weak]] void mm_core_init() {}
[[gnu::weak]] void sched_init() {}
[[gnu::weak]] void trap_init() {}
[[gnu::weak]] void init_IRQ() {}
[[gnu::weak]] void time_init() {}
[[gnu::weak]] void smp_init() {}
[[gnu::weak]] void scheduler_tick() {}
[[gnu::weak]] void preempt_schedule_irq() {}
