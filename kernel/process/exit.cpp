// The process side of exit (Linux's kernel/exit.c): releasing what a process holds, orphans to a
// sibling thread or init, zombies and their release, exit_group.
//
// A task's end, in order (sched/exit.cpp's do_exit() calls the hooks marked *):
//   exit_process_resources()*  accounting, signals, address space (vfork parent released,
//                              CLONE_CHILD_CLEARTID), files, fs
//   exit_notify_process()*     children re-parented; the task becomes a zombie, and its parent is told
//                              (or it is released at once if nobody will wait for it)
//   the last switch away       the scheduler drops the task's own reference
//   release_task()             when the parent reaps it (wait) or at once: PID freed, the task table's
//                              reference dropped
#include <drivers/tty/tty.hpp>
#include <lib/uaccess.hpp>
#include <mm/mm.hpp>
#include <mm/mm_struct.hpp>
#include <printk/panic.hpp>
#include <process/cred.hpp>
#include <process/process_internal.hpp>
#include <sched/completion.hpp>
#include <sched/exit.hpp>
#include <sched/pid.hpp>
#include <sched/sched.hpp>
#include <sched/task_internal.hpp>
#include <syscalls/syscall.hpp>
#include <time/itimer.hpp>

namespace {

// The address space goes (Linux's exit_mm): the task keeps running on it as active_mm (lazy TLB) until
// its last switch, and mm/ frees its page tables once no CPU uses them.
void release_address_space(Task* p) {
    if (!p->mm) return;
    mm_release(p);
    // mm/'s rule (mm_struct.hpp): the CPU holds its own reference on the page tables it has loaded, so
    // the task just lets go of the address space.
    MmStruct* mm = p->mm;
    arch::IrqFlags flags = arch::irq_save();
    p->mm = nullptr;
    arch::irq_restore(flags);
    mmput(mm);
}

// Adds the exiting thread's counts to its process's dead-thread totals (RUSAGE_SELF keeps them).
void account_exiting_thread(Task* p) {
    TaskUsage usage;
    task_usage(p, usage);
    ThreadGroup* tg = p->thread_group;
    SpinLockIrqSaveGuard guard(tg->lock);
    tg->dead.add(usage);
}

// Where p's children go: a live thread of the same process, else init (Linux without subreapers), or
// the idle task while there is no init (host tests), which like any kernel thread reaps at once.
// tasklist_lock held.
Task* find_new_reaper(Task* p) {
    Task* alive = nullptr;
    for_each_thread_of(p, [&](Task* t) {
        if (!alive && t != p && !(t->flags & PF_EXITING) && !t->exit_state) alive = t;
    });
    if (alive) return alive;
    Task* init = find_task_by_pid(1);
    return init ? init : init_task_ptr();
}

using DeadList = IntrusiveList<Task, &Task::sibling>;

// Hands p's children to a new parent. A child that is already a zombie is announced to its new parent,
// which may not want it (then it goes on `dead`). tasklist_lock held.
void forget_original_parent(Task* p, DeadList& dead) {
    Task* reaper = find_new_reaper(p);
    while (Task* child = p->children.pop_front()) {
        for_each_thread_of(child, [&](Task* t) { t->real_parent = t->parent = reaper; });
        child->real_parent = child->parent = reaper;
        kill_orphaned_pgrp(child, p);  // the child's group may have hung on p alone
        // Linux: a child that outlives its parent's process tells its new parent with SIGCHLD.
        if (!same_thread_group(reaper, p)) child->signals.exit_signal = SIGCHLD;
        if (child->exit_state == EXIT_ZOMBIE && thread_group_empty(child) && notify_parent_of_exit(child)) {
            child->exit_state = EXIT_DEAD;
            dead.push_back(*child);
        } else {
            reaper->children.push_back(*child);
        }
    }
}

void release_dead(DeadList& dead) {
    while (Task* t = dead.pop_front()) release_task(t);
}

// exec's de_thread() waits for the other threads to go; tell it when one has. tasklist_lock held.
void wake_exec_waiter(Task* p) {
    if (p->signal && p->signal->group_exit_task) wake_up_process(p->signal->group_exit_task);
}

}  // namespace

void complete_vfork_done(Task* p) {
    Completion* done = __atomic_exchange_n(&p->vfork_done, nullptr, __ATOMIC_ACQ_REL);
    if (done) complete(*done);
}

void mm_release(Task* p) {
    // Robust mutexes the thread still holds are marked dead and handed on, while the memory is there.
    if (p->robust_list) exit_robust_list(p);
    // CLONE_CHILD_CLEARTID (pthread_join's wake-up): the TID word is zeroed while the memory is still
    // there, and a waiter woken; only if another task shares the memory (nobody else could look).
    if (p->clear_child_tid) {
        if (p->mm && p->mm->mm_users.load(MemoryOrder::Relaxed) > 1 &&
            put_user(0, UserPtr<int>(p->clear_child_tid)))
            futex_wake_tid(p->clear_child_tid);
        p->clear_child_tid = 0;
    }
    complete_vfork_done(p);
}

bool notify_parent_of_exit(Task* p) {
    Task* parent = p->parent;
    // A kernel thread never waits for children: nothing would ever reap the zombie.
    if (!parent || !parent->thread_group) return true;
    WaitSiginfo info = wait_status_to_siginfo(task_exit_status(p));
    return do_notify_parent(p, info.code, info.status);
}

void exit_process_resources(Task* p) {
    ThreadGroup* tg = p->thread_group;
    if (!tg) return;  // a kernel thread
    bool group_dead;
    {
        SpinLockIrqSaveGuard guard(tasklist_lock);
        group_dead = --tg->nr_threads == 0;
    }
    if (group_dead && p->tgid == 1) panic("Attempted to kill init! exitcode=0x%08x", task_exit_status(p));
    account_exiting_thread(p);
    if (group_dead && p->signal) exit_itimers(p->signal);
    if (group_dead) tty_session_leader_exit(p);  // a controlling process's terminal hangs up
    exit_signals(p);
    release_address_space(p);
    complete_vfork_done(p);  // a vfork child that had no address space of its own (user_mode_thread)
    exit_files(p);
    exit_fs(p);
}

void exit_notify_process(Task* p) {
    DeadList dead;
    {
        SpinLockIrqSaveGuard guard(tasklist_lock);
        forget_original_parent(p, dead);
        // The last thread gone: did the process hold its own group together?
        if (p->thread_group && p->thread_group->nr_threads == 0) kill_orphaned_pgrp(p->group_leader, nullptr);
        p->exit_state = EXIT_ZOMBIE;
        bool autoreap;
        if (thread_group_leader(p)) {
            // With other threads still there, the last of them announces the process (release_task).
            autoreap = thread_group_empty(p) && notify_parent_of_exit(p);
        } else {
            autoreap = true;  // threads are nobody's children
        }
        if (autoreap) {
            p->exit_state = EXIT_DEAD;
            if (p->sibling.linked()) p->real_parent->children.remove(*p);
            dead.push_back(*p);
        }
        wake_exec_waiter(p);
    }
    release_dead(dead);
}

void release_task(Task* p) {
    Task* leader_to_release = nullptr;
    {
        SpinLockIrqSaveGuard guard(tasklist_lock);
        p->thread_group->nr_members--;
        if (p->sibling.linked()) p->real_parent->children.remove(*p);
        detach_pid(p);
        Task* leader = p->group_leader;
        // The last thread of a process whose leader exited first: now the parent hears of it.
        if (leader != p && thread_group_empty(leader) && leader->exit_state == EXIT_ZOMBIE &&
            notify_parent_of_exit(leader)) {
            leader->exit_state = EXIT_DEAD;
            leader_to_release = leader;
        }
        wake_exec_waiter(p);
    }
    nproc_uncharge(task_cred(p)->uid);
    put_task_struct(p);  // the task table's reference
    if (leader_to_release) release_task(leader_to_release);
}

void free_task_process(Task* p) {
    if (p->cred) put_cred(p->cred);
    p->cred = nullptr;
    if (p->thread_group) put_thread_group(p->thread_group);
    p->thread_group = nullptr;
}

void do_group_exit(int code) {
    Task* self = current();
    if (self->sighand && self->signal) {
        SpinLockIrqSaveGuard guard(self->sighand->siglock);
        SignalStruct* signal = self->signal;
        if (signal->flags & SIGNAL_GROUP_EXIT) {
            code = signal->group_exit_code;  // someone else started it: everyone reports the same status
        } else if (signal->group_exit_task) {
            code = 0;  // an exec is killing the other threads: this one just goes
        } else if (signal->nr_threads > 1) {
            signal->flags = SIGNAL_GROUP_EXIT;
            signal->group_exit_code = code;
            zap_other_threads(self);  // SIGKILL: they die on their way back to user space
        }
    }
    do_exit(code);
}

SYSCALL_DEFINE1(exit, int, error_code) { do_exit(exit_code_status(error_code)); }

SYSCALL_DEFINE1(exit_group, int, error_code) { do_group_exit(exit_code_status(error_code)); }
