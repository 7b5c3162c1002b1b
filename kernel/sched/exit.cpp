// do_exit() for kernel threads. Issue 3 adds the process side: releasing the address space, files and
// signal state, zombies and wait4(), the exit signal to the parent.
#include <printk/panic.hpp>
#include <process/process.hpp>
#include <sched/exit.hpp>
#include <sched/kthread.hpp>
#include <sched/pid.hpp>
#include <sched/preempt.hpp>
#include <sched/sched.hpp>
#include <sched/task_internal.hpp>

namespace {

// The task that adopts orphans: init (PID 1), or the idle task before init exists.
Task* child_reaper() {
    Task* init = find_task_by_pid(1);
    return init ? init : init_task_ptr();
}

// Hands p's children to the reaper and takes p out of the task table. Kernel threads (the only tasks
// so far) have nobody to wait for them, so they go straight to EXIT_DEAD.
void exit_notify(Task* p) {
    if (p->thread_group) return exit_notify_process(p);  // a process: zombies, wait4 (process/exit.cpp)
    SpinLockIrqSaveGuard guard(tasklist_lock);
    Task* reaper = child_reaper();
    if (reaper == p) panic("Attempted to kill init! exitcode=0x%08lx", static_cast<unsigned long>(p->exit_code));
    while (Task* child = p->children.pop_front()) {
        child->real_parent = child->parent = reaper;
        reaper->children.push_back(*child);
    }
    if (p->real_parent) p->real_parent->children.remove(*p);
    p->exit_state = EXIT_DEAD;
    detach_pid(p);
}

// The last thing a task does: TASK_DEAD, then away for good.
[[noreturn]] void do_task_dead() {
    Task* p = current();
    // Under pi_lock so that no wake-up (which would make the task runnable again) can overwrite it.
    {
        SpinLockIrqSaveGuard guard(p->pi_lock);
        p->state.store(TASK_DEAD, MemoryOrder::Relaxed);
    }
    schedule();
    BUG();  // a dead task was scheduled again
}

}  // namespace

void do_exit(long code) {
    Task* p = current();
    if (is_idle_task(p)) panic("Attempted to kill the idle task!");
    if (p->flags & PF_EXITING) panic("recursive do_exit in %s/%d", p->comm, p->pid);
    p->flags |= PF_EXITING;
    p->exit_code = code;
    exit_process_resources(p);  // mm, files, fs, signals of a process (process/exit.cpp)
    exit_notify(p);
    if (p->kthread) kthread_exited(p, int(code));
    do_task_dead();
}
