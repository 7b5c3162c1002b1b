#pragma once
// The scheduler entry points that other subsystems call. Contract; implemented in sched/.
//
// scheduler_tick(): from the periodic timer interrupt on every CPU (time/), with interrupts off.
// preempt_schedule_irq(): from the interrupt return path (arch/) when returning to kernel code with
//   preempt_count == 0 and need_resched set; called with interrupts off.
void scheduler_tick();
void preempt_schedule_irq();
