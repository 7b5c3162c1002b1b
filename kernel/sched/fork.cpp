// copy_process() for kernel threads: memory, identity, scheduler state, the initial stack, and the
// links into the task table.
#include <sched/fork.hpp>
#include <sched/pid.hpp>
#include <sched/sched.hpp>
#include <sched/task_internal.hpp>
#include <time/clocksource_api.hpp>

namespace {
Atomic<uint64_t> total_forks{0};
}  // namespace

uint64_t nr_total_forks() { return total_forks.load(MemoryOrder::Relaxed); }

Result<Task*> copy_process(int (*fn)(void*), void* arg, const char* name, unsigned task_flags) {
    Task* p = alloc_task_struct();
    if (!p) return Errno::ENOMEM;
    p->stack = alloc_thread_stack();
    if (!p->stack) {
        free_task_struct(p);
        return Errno::ENOMEM;
    }
    set_task_comm(p, name);
    p->start_time = ktime_get_ns();
    p->flags = task_flags & ~(PF_IDLE | PF_EXITING);
    sched_fork(p);
    arch::init_thread_stack(p, fn, arg);

    SpinLockIrqSaveGuard guard(tasklist_lock);
    Result<int> pid = attach_pid(p);
    if (pid.is_error()) {
        put_task_struct(p);  // the only reference: frees stack and task
        return pid.error();
    }
    total_forks.fetch_add(1, MemoryOrder::Relaxed);
    p->tgid = p->pid;  // its own thread group until threads arrive (issue 3)
    Task* parent = current();
    p->real_parent = p->parent = parent;
    parent->children.push_back(*p);
    return p;
}

Result<int> kernel_thread(int (*fn)(void*), void* arg, const char* name) {
    Task* p = TRY(copy_process(fn, arg, name, PF_KTHREAD));
    int pid = p->pid;  // read before waking: the thread may exit and be freed at once
    wake_up_new_task(p);
    return pid;
}
