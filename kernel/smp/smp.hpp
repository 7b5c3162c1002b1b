#pragma once
// Running code on other CPUs (Linux's kernel/smp.c): cross-CPU function calls and reschedule requests,
// both carried by inter-processor interrupts.
//
// A called function runs on the target CPU in interrupt context (interrupts off, preemption off): it
// must be short and must not sleep. Callers may hold spinlocks and may even have interrupts disabled:
// a caller that waits keeps running the calls queued for its own CPU meanwhile, so two CPUs waiting on
// each other cannot deadlock.
#include <lib/result.hpp>
#include <stdint.h>

using SmpCallFunc = void (*)(void* arg);

// Runs fn(arg) on `cpu` (on the calling CPU directly, with interrupts off, if it is this one). With
// `wait` returns once fn has returned; otherwise once the call is queued. ENXIO if `cpu` is not online.
Result<void> smp_call_function_single(unsigned cpu, SmpCallFunc fn, void* arg, bool wait);
// Runs fn(arg) on every other online CPU (not this one).
void smp_call_function(SmpCallFunc fn, void* arg, bool wait);
// Runs fn(arg) on every online CPU, this one included.
void on_each_cpu(SmpCallFunc fn, void* arg, bool wait);

// Asks `cpu` to reschedule: it sets need_resched and acts on it when the IPI returns.
void smp_send_reschedule(unsigned cpu);

// The IPI handlers' generic halves; the architecture's interrupt entry calls them.
void generic_smp_call_function_interrupt();
void scheduler_ipi();

// How many IPIs of each kind a CPU received (Linux's RES and CAL lines of /proc/interrupts).
struct IpiCounts {
    uint64_t reschedule;
    uint64_t call_function;
};
IpiCounts smp_ipi_counts(unsigned cpu);
