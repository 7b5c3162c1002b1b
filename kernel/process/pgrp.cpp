// Process groups and sessions (Linux's setpgid/setsid family in kernel/sys.c). A process's group and
// session live in its ThreadGroup and change under tasklist_lock.
#include <drivers/tty/tty.hpp>
#include <process/process_internal.hpp>
#include <sched/pid.hpp>
#include <signal/signal.hpp>
#include <signal/signal_struct.hpp>
#include <syscalls/syscall.hpp>

int task_pgrp(const Task* task) { return task->thread_group ? task->thread_group->pgid : 0; }
int task_session(const Task* task) { return task->thread_group ? task->thread_group->sid : 0; }

namespace {

// Some process of group `pgid`, or nullptr. tasklist_lock held.
Task* find_pgrp_member(int pgid) {
    for (Task& t : all_tasks())
        if (t.thread_group && !t.exit_state && t.thread_group->pgid == pgid) return &t;
    return nullptr;
}

// The leader of the process with PID `pid` (0: the caller), or nullptr. tasklist_lock held.
Task* find_process(int pid) {
    Task* p = pid ? find_task_by_pid(pid) : current();
    return p && p->thread_group ? p : nullptr;
}

}  // namespace

Result<void> do_setpgid(int pid, int pgid) {
    Task* leader = current()->group_leader;
    if (!pid) pid = leader->pid;
    if (!pgid) pgid = pid;
    if (pgid < 0) return Errno::EINVAL;
    SpinLockIrqSaveGuard guard(tasklist_lock);
    Task* p = find_task_by_pid(pid);
    if (!p || !p->thread_group) return Errno::ESRCH;
    if (!thread_group_leader(p)) return Errno::EINVAL;
    if (same_thread_group(p->real_parent, leader)) {
        // One of our children: same session, and not after it has exec'd.
        if (task_session(p) != task_session(leader)) return Errno::EPERM;
        if (!(p->flags & PF_FORKNOEXEC)) return Errno::EACCES;
    } else if (p != leader) {
        return Errno::ESRCH;
    }
    if (p->thread_group->session_leader) return Errno::EPERM;
    if (pgid != pid) {
        // Joining a group: it must exist, in our session.
        Task* member = find_pgrp_member(pgid);
        if (!member || task_session(member) != task_session(leader)) return Errno::EPERM;
    }
    p->thread_group->pgid = pgid;
    return {};
}

Result<int> do_setsid() {
    Task* leader = current()->group_leader;
    int sid = leader->pid;
    SpinLockIrqSaveGuard guard(tasklist_lock);
    ThreadGroup* tg = leader->thread_group;
    if (!tg || tg->session_leader) return Errno::EPERM;
    // A group with our PID as its ID exists (we lead one, or a former member of ours does).
    if (find_pgrp_member(sid)) return Errno::EPERM;
    tg->session_leader = true;
    tg->sid = tg->pgid = sid;
    proc_clear_tty(leader);  // a new session starts without a controlling terminal
    return sid;
}

namespace {

// getpgid/getsid's lookup: 0 is the caller.
Result<int> read_id(int pid, int (*field)(const Task*)) {
    SpinLockIrqSaveGuard guard(tasklist_lock);
    Task* p = find_process(pid);
    if (!p) return Errno::ESRCH;
    return field(p);
}

}  // namespace

SYSCALL_DEFINE2(setpgid, int, pid, int, pgid) { return do_setpgid(pid, pgid).to_syscall_return(); }
SYSCALL_DEFINE1(getpgid, int, pid) { return read_id(pid, task_pgrp).to_syscall_return(); }
SYSCALL_DEFINE0(getpgrp) { return read_id(0, task_pgrp).to_syscall_return(); }
SYSCALL_DEFINE0(setsid) { return do_setsid().to_syscall_return(); }
SYSCALL_DEFINE1(getsid, int, pid) { return read_id(pid, task_session).to_syscall_return(); }

namespace {

// Linux's will_become_orphaned_pgrp: no process of `pgrp` but `ignored` (exiting) has a live parent in
// another group of the same session. tasklist_lock held.
bool will_become_orphaned_pgrp(int pgrp, const Task* ignored) {
    for (Task& t : all_tasks()) {
        if (t.group_leader != &t || !t.thread_group || &t == ignored || task_pgrp(&t) != pgrp) continue;
        if (t.exit_state && t.thread_group->nr_threads == 0) continue;
        Task* parent = t.real_parent ? t.real_parent->group_leader : nullptr;
        if (!parent || !parent->thread_group || parent->tgid == 1) continue;
        if (parent->exit_state && parent->thread_group->nr_threads == 0) continue;
        if (task_pgrp(parent) != pgrp && task_session(parent) == task_session(&t)) return false;
    }
    return true;
}

bool has_stopped_jobs(int pgrp) {
    for (Task& t : all_tasks()) {
        if (t.group_leader != &t || !t.signal || task_pgrp(&t) != pgrp) continue;
        if (t.signal->flags & SIGNAL_STOP_STOPPED) return true;
    }
    return false;
}

}  // namespace

bool is_current_pgrp_orphaned() {
    SpinLockIrqSaveGuard guard(tasklist_lock);
    return will_become_orphaned_pgrp(task_pgrp(current()), nullptr);
}

void kill_orphaned_pgrp(Task* task, Task* parent) {
    const Task* ignored = task;  // an exit: the exiting process no longer holds its group together
    if (!parent) {
        parent = task->real_parent ? task->real_parent->group_leader : nullptr;
    } else {
        ignored = nullptr;  // a re-parenting: the child stays, its old parent goes
    }
    if (!parent || !task->thread_group || !parent->thread_group) return;
    int pgrp = task_pgrp(task);
    if (task_pgrp(parent) == pgrp || task_session(parent) != task_session(task)) return;
    if (!will_become_orphaned_pgrp(pgrp, ignored) || !has_stopped_jobs(pgrp)) return;
    KernelSigInfo info;  // SI_KERNEL, as Linux's SEND_SIG_PRIV
    kill_pgrp_locked(pgrp, SIGHUP, info);
    kill_pgrp_locked(pgrp, SIGCONT, info);
}
