// The controlling terminal and job control, as Linux does them (tty_jobctrl.c): which session a tty
// belongs to and its foreground process group, who may read or change it, and the signals that keep
// background jobs off the terminal (SIGTTIN, SIGTTOU) or tell the foreground one (SIGINT... SIGHUP).
//
// A process's controlling tty is SignalStruct::tty; the tty knows its session and foreground group by
// ID (Tty::session, Tty::pgrp). All of them change under ctty_lock, taken inside tasklist_lock when
// both are needed.
#include <drivers/tty/tty.hpp>
#include <fs/file.hpp>
#include <process/cred.hpp>
#include <process/process.hpp>
#include <process/thread_group.hpp>
#include <sched/pid.hpp>
#include <signal/signal.hpp>
#include <signal/signal_struct.hpp>

namespace {

SpinLock ctty_lock;

KernelSigInfo kernel_info(int sig) {
    KernelSigInfo info;
    info.signo = sig;
    info.code = SI_KERNEL;
    return info;
}

// Linux's __proc_set_tty: `p`'s process takes `tty`; the tty now belongs to p's session with p's group
// in the foreground. tasklist_lock and ctty_lock held.
void set_ctty_locked(Task* p, Tty* tty) {
    tty->session.store(task_session(p));
    tty->pgrp.store(task_pgrp(p));
    p->signal->tty = tty;
}

bool is_session_leader(const Task* p) { return p->thread_group && p->thread_group->session_leader; }
bool has_admin(const Task* p) { return !p->cred || p->cred->euid == 0; }

// Every process that has `tty` as its controlling terminal loses it. tasklist_lock, ctty_lock held.
void clear_tty_everywhere_locked(Tty* tty) {
    for (Task& t : all_tasks())
        if (t.group_leader == &t && t.signal && t.signal->tty == tty) t.signal->tty = nullptr;
    tty->session.store(0);
    tty->pgrp.store(0);
}

// The signal would be ignored or is blocked: a job-control stop then is not sent.
bool sig_ignored_or_blocked(Task* p, int sig) {
    if (p->signals.blocked.has(sig)) return true;
    if (!p->sighand) return false;
    SpinLockIrqSaveGuard guard(p->sighand->siglock);
    return p->sighand->action[sig - 1].handler == SIG_IGN;
}

// Some live process of group `pgrp`, or nullptr. tasklist_lock held.
Task* find_pgrp_member(int pgrp) {
    for (Task& t : all_tasks())
        if (t.group_leader == &t && t.thread_group && !t.exit_state && task_pgrp(&t) == pgrp) return &t;
    return nullptr;
}

}  // namespace

Tty* get_current_tty() {
    Task* cur = current();
    SpinLockIrqSaveGuard guard(ctty_lock);
    return cur->signal ? cur->signal->tty : nullptr;
}

void tty_open_proc_set_tty(Tty* tty, bool noctty) {
    Task* cur = current();
    if (noctty || !cur->signal || !cur->thread_group) return;
    SpinLockIrqSaveGuard tasks(tasklist_lock);
    SpinLockIrqSaveGuard guard(ctty_lock);
    if (is_session_leader(cur) && !cur->signal->tty && tty->session.load() == 0) set_ctty_locked(cur, tty);
}

Result<void> tty_check_change(Tty* tty, int sig) {
    Task* cur = current();
    int tty_pgrp;
    {
        SpinLockIrqSaveGuard guard(ctty_lock);
        if (!cur->signal || cur->signal->tty != tty) return {};
        tty_pgrp = tty->pgrp.load();
    }
    int pgrp = task_pgrp(cur);
    if (!tty_pgrp || pgrp == tty_pgrp) return {};
    if (sig_ignored_or_blocked(cur, sig)) {
        // A reader that will not stop cannot wait for the terminal; a writer may go ahead.
        if (sig == SIGTTIN) return Errno::EIO;
        return {};
    }
    if (is_current_pgrp_orphaned()) return Errno::EIO;
    (void)kill_pgrp(pgrp, sig, kernel_info(sig));
    // The stop is delivered on the way out, and the call starts over when the job is continued.
    return ERESTARTSYS;
}

Result<void> tty_job_control_read(Tty* tty) { return tty_check_change(tty, SIGTTIN); }

Result<void> tiocsctty(Tty* tty, File* file, int arg) {
    Task* cur = current();
    if (!cur->signal || !cur->thread_group) return Errno::EPERM;
    SpinLockIrqSaveGuard tasks(tasklist_lock);
    SpinLockIrqSaveGuard guard(ctty_lock);
    if (is_session_leader(cur) && cur->signal->tty == tty) return {};
    if (!is_session_leader(cur) || cur->signal->tty) return Errno::EPERM;
    if (tty->session.load()) {
        // Another session's terminal: only root, asking with arg 1, steals it.
        if (arg != 1 || !has_admin(cur)) return Errno::EPERM;
        clear_tty_everywhere_locked(tty);
    }
    if (!(file && file->readable()) && !has_admin(cur)) return Errno::EPERM;
    set_ctty_locked(cur, tty);
    return {};
}

Result<void> tiocnotty(Tty* tty) {
    Task* cur = current();
    if (get_current_tty() != tty) return Errno::ENOTTY;
    bool leader;
    {
        SpinLockIrqSaveGuard tasks(tasklist_lock);
        leader = is_session_leader(cur);
    }
    if (!leader) {
        SpinLockIrqSaveGuard guard(ctty_lock);
        cur->signal->tty = nullptr;
        return {};
    }
    // The session leader gives the terminal up for the whole session: its foreground group is told.
    int pgrp = tty->pgrp.load();
    if (pgrp > 0) {
        (void)kill_pgrp(pgrp, SIGHUP, kernel_info(SIGHUP));
        (void)kill_pgrp(pgrp, SIGCONT, kernel_info(SIGCONT));
    }
    SpinLockIrqSaveGuard tasks(tasklist_lock);
    SpinLockIrqSaveGuard guard(ctty_lock);
    clear_tty_everywhere_locked(tty);
    return {};
}

Result<int> tiocgpgrp(Tty* tty) {
    if (get_current_tty() != tty) return Errno::ENOTTY;
    return tty->pgrp.load();
}

Result<int> tiocgsid(Tty* tty) {
    if (get_current_tty() != tty) return Errno::ENOTTY;
    int sid = tty->session.load();
    if (!sid) return Errno::ENOTTY;
    return sid;
}

Result<void> tiocspgrp(Tty* tty, int pgrp) {
    TRY(tty_check_change(tty, SIGTTOU));
    Task* cur = current();
    SpinLockIrqSaveGuard tasks(tasklist_lock);
    SpinLockIrqSaveGuard guard(ctty_lock);
    if (!cur->signal || cur->signal->tty != tty || tty->session.load() != task_session(cur)) return Errno::ENOTTY;
    if (pgrp < 0) return Errno::EINVAL;
    Task* member = find_pgrp_member(pgrp);
    if (!member) return Errno::ESRCH;
    if (task_session(member) != task_session(cur)) return Errno::EPERM;
    tty->pgrp.store(pgrp);
    return {};
}

void tty_signal_fg(Tty* tty, int sig) {
    if (tty->isig_hook) return tty->isig_hook(tty, sig);
    int pgrp = tty->pgrp.load();
    if (pgrp > 0) (void)kill_pgrp(pgrp, sig, kernel_info(sig));
}

void proc_clear_tty(Task* p) {
    SpinLockIrqSaveGuard guard(ctty_lock);
    if (p->signal) p->signal->tty = nullptr;
}

void tty_session_leader_exit(Task* p) {
    Tty* tty;
    int pgrp;
    {
        SpinLockIrqSaveGuard tasks(tasklist_lock);
        SpinLockIrqSaveGuard guard(ctty_lock);
        if (!is_session_leader(p) || !p->signal || !(tty = p->signal->tty)) return;
        if (tty->session.load() != task_session(p)) {
            p->signal->tty = nullptr;
            return;
        }
        pgrp = tty->pgrp.load();
        clear_tty_everywhere_locked(tty);
    }
    // The terminal hangs up for the session: its foreground group is told (and continued, to hear it).
    if (pgrp > 0) {
        (void)kill_pgrp(pgrp, SIGHUP, kernel_info(SIGHUP));
        (void)kill_pgrp(pgrp, SIGCONT, kernel_info(SIGCONT));
    }
}

uint32_t task_tty_nr(Task* p) {
    SpinLockIrqSaveGuard guard(ctty_lock);
    Tty* tty = p->signal ? p->signal->tty : nullptr;
    return tty ? uint32_t(new_encode_dev(tty->dev)) : 0;
}

int task_tty_pgrp(Task* p) {
    SpinLockIrqSaveGuard guard(ctty_lock);
    Tty* tty = p->signal ? p->signal->tty : nullptr;
    return tty ? tty->pgrp.load() : -1;  // 0 for a terminal without a foreground group, as in Linux
}
