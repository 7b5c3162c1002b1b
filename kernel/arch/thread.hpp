#pragma once
// The architecture's part of a thread: its saved kernel context and the stack switch between tasks.
// Generic code (sched/) calls only what is declared here; each architecture defines ThreadState and
// kThreadSize in arch/<name>/thread.hpp and the functions in its own files (x86-64: process.cpp and
// switch_to.S; the host build: tests/host/support).
#include <lib/result.hpp>
#include <stddef.h>
#include <stdint.h>

#if defined(TERN_HOST)
#include <arch/host/thread.hpp>
#else
#include <arch/x86_64/thread.hpp>
#endif

struct Task;

namespace arch {

// Switches this CPU from `prev` (the running task) to `next`: saves prev's callee-saved registers and
// stack pointer in prev->thread, saves prev's user FPU state if it has one, loads next's. Called by the
// scheduler with interrupts off and the runqueue lock held. It "returns" on next's stack, with the value
// being the task this CPU switched away from to get there (which is not `prev` of the call that
// switched next out), so the scheduler can finish that task's switch (Linux's `last`).
Task* switch_to(Task* prev, Task* next);

// Prepares a new task's kernel stack (task->stack, kThreadSize bytes) so that the first switch_to() into
// it calls schedule_tail(last), then fn(arg), then do_exit() with fn's return value. When fn has set up
// user registers (start_thread(), as kernel_execve() does), returning from fn goes to user space instead:
// that is how PID 1 starts as a kernel thread and becomes /init.
void init_thread_stack(Task* task, int (*fn)(void*), void* arg);

// Gives `task` a user FPU/SSE register state (the architecture's reset values), saved and restored
// around every switch from now on. For tasks about to run user code (exec); kernel threads need none.
Result<void> init_fpu_state(Task* task);
// Frees what the architecture attached to a task (its FPU save area) when the task is freed.
void release_thread(Task* task);

// User-mode register state (issue 3), kept at the top of each task's kernel stack while it is in the
// kernel (x86-64: x86::PtRegs). Generic code passes it around opaquely.
// exec: the task continues in user space at `ip` with stack `sp`, every other register cleared.
void start_thread(Task* task, uint64_t ip, uint64_t sp);
// fork/clone: `child` returns to user space from the same system call as the current task, with 0 as
// the result, on user stack `new_sp` if non-zero, and with TLS base `tls` if `set_tls`.
Result<void> copy_thread(Task* child, uint64_t new_sp, bool set_tls, uint64_t tls);

}  // namespace arch

// Implemented by sched/: finishes the first switch into a new task (drops the runqueue lock, enables
// interrupts and preemption). The architecture's new-thread entry calls it before the thread function.
void schedule_tail(Task* prev);
