#pragma once
// How the host build runs kernel tasks (tests/host/sched/host_thread.cpp).
//
//   Simulation (the default): arch::switch_to() changes nothing but returns, so schedule() only decides
//     which task the scheduler considers current. The scheduler simulator plays each task's part.
//   Real switching: each task created with copy_process() gets a ucontext on its (heap) kernel stack and
//     switch_to() really swaps contexts, so kernel-thread code — wait queues, completions, mutexes —
//     runs for real, cooperatively, on one host thread. The test body is the idle task.
namespace host_sched {

void set_real_switching(bool on);
bool real_switching();

// Leaves the host CPU as the other subsystems' tests expect it: no scheduler (no runqueue, no current
// task), preempt_count 0, interrupts on. Scheduler tests call it when they finish.
void reset_cpu();

}  // namespace host_sched
