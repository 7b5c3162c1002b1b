// The host's arch/thread.hpp: see host_thread.hpp. Also host stand-ins for kernel stacks and panic().
#include "host_thread.hpp"

#include <arch/thread.hpp>
#include <printk/panic.hpp>
#include <sched/exit.hpp>
#include <sched/task.hpp>
#include <sched/task_internal.hpp>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define HOST_ASAN 1
#else
#define HOST_ASAN 0
#endif

namespace {

bool real = false;

struct HostContext {
    ucontext_t uc;
    const void* stack_bottom = nullptr;  // for ASan's fiber tracking
    size_t stack_size = 0;
    int (*fn)(void*) = nullptr;
    void* arg = nullptr;
};

Task* host_last = nullptr;  // the task the current switch comes from

HostContext* context_of(Task* t) {
    if (!t->thread.host_context) t->thread.host_context = new HostContext();
    return static_cast<HostContext*>(t->thread.host_context);
}

void finish_fiber_switch(void* fake_stack) {
#if HOST_ASAN
    const void* bottom;
    size_t size;
    __sanitizer_finish_switch_fiber(fake_stack, &bottom, &size);
    HostContext* from = context_of(host_last);
    from->stack_bottom = bottom;
    from->stack_size = size;
#else
    (void)fake_stack;
#endif
}

void host_thread_entry() {
    finish_fiber_switch(nullptr);
    HostContext* self = context_of(current());
    schedule_tail(host_last);
    do_exit(self->fn(self->arg));
}

}  // namespace

namespace host_sched {
void set_real_switching(bool on) { real = on; }
bool real_switching() { return real; }

void reset_cpu() {
    PerCpu* cpu = this_cpu();
    cpu->rq = nullptr;
    cpu->current = cpu->idle = nullptr;
    cpu->preempt_count = 0;
    cpu->need_resched = false;
    arch::irq_enable();
}
}  // namespace host_sched

namespace arch {

Task* switch_to(Task* prev, Task* next) {
    if (!real) return prev;
    HostContext* from = context_of(prev);
    HostContext* to = static_cast<HostContext*>(next->thread.host_context);
    if (!to) {
        fprintf(stderr, "host switch_to: %s has no context (created before real switching was on?)\n", next->comm);
        abort();
    }
    host_last = prev;
#if HOST_ASAN
    void* fake_stack = nullptr;
    bool dying = task_state(prev) == TASK_DEAD;
    __sanitizer_start_switch_fiber(dying ? nullptr : &fake_stack, to->stack_bottom, to->stack_size);
    swapcontext(&from->uc, &to->uc);
    finish_fiber_switch(fake_stack);
#else
    swapcontext(&from->uc, &to->uc);
#endif
    return host_last;
}

void init_thread_stack(Task* task, int (*fn)(void*), void* arg) {
    if (!real) return;
    HostContext* c = context_of(task);
    c->fn = fn;
    c->arg = arg;
    c->stack_bottom = task->stack;
    c->stack_size = kThreadSize;
    getcontext(&c->uc);
    c->uc.uc_stack.ss_sp = task->stack;
    c->uc.uc_stack.ss_size = kThreadSize;
    c->uc.uc_link = nullptr;
    makecontext(&c->uc, host_thread_entry, 0);
}

Result<void> init_fpu_state(Task*) { return {}; }

void release_thread(Task* task) {
    delete static_cast<HostContext*>(task->thread.host_context);
    task->thread.host_context = nullptr;
}

}  // namespace arch

// --- host stand-ins --------------------------------------------------------------------------------

// Kernel stacks (kernel/sched/thread_stack.cpp is kernel-only: the host vmalloc's addresses are not
// backed by memory).
void* alloc_thread_stack() {
    void* stack = aligned_alloc(4096, arch::kThreadSize);
    if (stack) *static_cast<uint64_t*>(stack) = STACK_END_MAGIC;
    return stack;
}
void free_thread_stack(void* stack) { free(stack); }

// Weak: another subsystem's host support may provide its own.
[[gnu::weak]] void panic(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "Kernel panic - not syncing: ");
    vfprintf(stderr, fmt, args);
    fprintf(stderr, "\n");
    va_end(args);
    abort();
}
