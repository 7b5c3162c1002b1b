// Task memory, reference counting and small accessors.
#include <lib/string.hpp>
#include <mm/slab.hpp>
#include <process/process.hpp>
#include <sched/kthread.hpp>
#include <sched/task_internal.hpp>
#include <signal/signal_struct.hpp>
#include <new>

namespace {
// Storage rather than a global Task so that init_task_reset() can construct it afresh (sched_init()
// runs once in the kernel, once per test on the host).
alignas(Task) unsigned char init_task_storage[sizeof(Task)];
}  // namespace

Task* init_task_ptr() { return std::launder(reinterpret_cast<Task*>(init_task_storage)); }

Task* init_task_reset() {
    Task* t = new (init_task_storage) Task();
    t->pid = t->tgid = 0;
    set_task_comm(t, "swapper/0");
    t->real_parent = t->parent = t;
    return t;
}

Task* alloc_task_struct() {
    void* mem = kmalloc(sizeof(Task));
    return mem ? new (mem) Task() : nullptr;
}

void free_task_struct(Task* p) {
    p->~Task();
    kfree(p);
}

bool task_stack_end_intact(const Task* p) {
    // The boot CPU's idle task runs on the boot stack, which has no magic.
    return !p->stack || *static_cast<const uint64_t*>(p->stack) == STACK_END_MAGIC;
}

void __put_task_struct(Task* p) {
    release_task_signals(p);
    free_task_process(p);  // credentials, thread group (process/exit.cpp)
    arch::release_thread(p);
    if (p->stack) free_thread_stack(p->stack);
    if (p->kthread) free_kthread_struct(p->kthread);
    free_task_struct(p);
}

void set_task_comm(Task* p, const char* name) { strlcpy(p->comm, name, sizeof p->comm); }

char task_state_char(const Task* p) {
    if (p->exit_state & EXIT_ZOMBIE) return 'Z';
    if (p->exit_state & EXIT_DEAD) return 'X';
    unsigned state = task_state(p);
    if (state == TASK_RUNNING) return 'R';
    if (state == TASK_IDLE) return 'I';
    if (state & TASK_INTERRUPTIBLE) return 'S';
    if (state & TASK_UNINTERRUPTIBLE) return 'D';
    if (state & __TASK_STOPPED) return 'T';
    if (state & __TASK_TRACED) return 't';
    if (state & TASK_DEAD) return 'X';
    if (state & TASK_PARKED) return 'P';
    if (state & TASK_NEW) return 'N';
    return '?';
}
