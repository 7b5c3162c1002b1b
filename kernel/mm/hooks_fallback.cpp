// Weak stand-ins for what mm/ needs from subsystems being written on other branches (the VFS, signals,
// the process side). Each real (strong) definition replaces its stand-in at link time; this file goes
// away when all have landed. The stand-ins fail cleanly or use Linux's defaults; none pretends to do
// the real job.
#include <lib/uaccess.hpp>
#include <mm/filemap.hpp>
#include <mm/mm_hooks.hpp>
#include <printk/printk.hpp>
#include <sched/exit.hpp>
#include <sched/task.hpp>
#include <signal/signal.hpp>

// --- process/: Linux's default limits --------------------------------------------------------------
[[gnu::weak]] uint64_t mm_rlimit_stack() { return 8ull << 20; }
[[gnu::weak]] uint64_t mm_rlimit_as() { return kRlimInfinity; }
[[gnu::weak]] uint64_t mm_rlimit_data() { return kRlimInfinity; }

// --- signal/: without signal delivery, a fatal fault ends the task ---------------------------------
[[gnu::weak]] void force_sig_fault(int sig, int code, uint64_t addr) {
    Task* task = current();
    pr_err("%s[%d]: fatal signal %d (code %d) at %016lx: no signal delivery yet, exiting", task->comm, task->pid,
           sig, code, (unsigned long)addr);
    do_exit(sig);
}

[[gnu::weak]] void force_sig(int sig) {
    Task* task = current();
    pr_err("%s[%d]: fatal signal %d: no signal delivery yet, exiting", task->comm, task->pid, sig);
    do_exit(sig);
}

// --- arch/ uaccess (entry): without it no user memory can be reached -----------------------------------
[[gnu::weak]] bool access_ok(uint64_t, size_t) { return false; }
[[gnu::weak]] Result<void> copy_to_user(UserPtr<void>, const void*, size_t) { return Errno::EFAULT; }
