#pragma once
// Signals: the contract the rest of the kernel uses (generation and the hooks fork/exec/exit need).
// Implemented in signal/. Numbers are Linux's x86-64 ABI (asm/signal.h).
#if defined(TERN_HOST)
// Host builds also see the C library's <signal.h> (through the test framework). Take it in first, then
// drop its SIG* macros so the names below mean Tern's constants; the si_code names it declares as
// enumerators (with Linux's values, the same ABI) are used as they are.
#include <signal.h>
#undef SIGHUP
#undef SIGINT
#undef SIGQUIT
#undef SIGILL
#undef SIGTRAP
#undef SIGABRT
#undef SIGBUS
#undef SIGFPE
#undef SIGKILL
#undef SIGUSR1
#undef SIGSEGV
#undef SIGUSR2
#undef SIGPIPE
#undef SIGALRM
#undef SIGTERM
#undef SIGSTKFLT
#undef SIGCHLD
#undef SIGCONT
#undef SIGSTOP
#undef SIGTSTP
#undef SIGTTIN
#undef SIGTTOU
#undef SIGURG
#undef SIGXCPU
#undef SIGXFSZ
#undef SIGVTALRM
#undef SIGPROF
#undef SIGWINCH
#undef SIGIO
#undef SIGPWR
#undef SIGSYS
#undef SIGRTMIN
#undef SIGRTMAX
#endif
#include <lib/result.hpp>
#include <stdint.h>

struct Task;

constexpr int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7, SIGFPE = 8,
              SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15,
              SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22,
              SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28, SIGIO = 29,
              SIGPWR = 30, SIGSYS = 31, SIGRTMIN = 32, SIGRTMAX = 64;
constexpr int kNumSignals = 64;

// si_code values used by the kernel itself.
#if !defined(TERN_HOST)  // (host: <signal.h> declares them, with these values)
constexpr int SI_USER = 0, SI_KERNEL = 0x80, SI_TKILL = -6;
constexpr int SEGV_MAPERR = 1, SEGV_ACCERR = 2, BUS_ADRERR = 2, ILL_ILLOPN = 2, FPE_INTDIV = 1, TRAP_BRKPT = 1;
constexpr int CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_TRAPPED = 4, CLD_STOPPED = 5, CLD_CONTINUED = 6;
#endif

// What the kernel knows about one signal occurrence (becomes the user's siginfo_t).
struct KernelSigInfo {
    int signo = 0;
    int code = SI_KERNEL;
    int err = 0;
    int pid = 0;       // sender (SI_USER) or child (SIGCHLD)
    uint32_t uid = 0;
    int status = 0;    // SIGCHLD: exit code or signal
    uint64_t addr = 0; // SIGSEGV/SIGBUS/SIGILL/SIGFPE: the faulting address
    uint64_t utime = 0, stime = 0;
};

// Sends to one thread, or to a thread group (any thread that does not block it takes it).
Result<void> send_sig_info(int sig, const KernelSigInfo& info, Task* thread);
Result<void> group_send_sig_info(int sig, const KernelSigInfo& info, Task* leader);
// kill(2)'s targets: a process group (0 < pgid) or every process the caller may signal.
Result<void> kill_pgrp(int pgid, int sig, const KernelSigInfo& info);

// The blocked mask, for system calls that wait with a temporary one (sigsuspend, ppoll, pselect6,
// epoll_pwait): they save the old mask in TaskSignals::saved_sigmask, set restore_sigmask, and install
// the temporary one; signal delivery restores it after the handler, or restore_saved_sigmask() does
// when no handler ran. SIGKILL and SIGSTOP are never blocked.
struct SigSet;  // signal/sigset.hpp
void set_current_blocked(SigSet mask);
void restore_saved_sigmask();
// The kernel's own signal to every process of a group, without permission checks (SIGHUP and SIGCONT
// to a newly orphaned group). tasklist_lock held.
void kill_pgrp_locked(int pgid, int sig, const KernelSigInfo& info);

// A synchronous fault in the current task: delivered even if blocked or ignored (the default then
// kills), as Linux's force_sig_fault does.
void force_sig(int sig);
void force_sig_fault(int sig, int code, uint64_t addr);

bool task_signal_pending(const Task* task);  // a deliverable signal is pending for `task`
// force_sig(SIGSEGV), with SIGSEGV's default action restored first if `sig` is SIGSEGV (its own handler
// could not be run).
void force_sigsegv(int sig);

// Process life-cycle hooks.
Result<void> copy_sighand(uint64_t clone_flags, Task* child);  // fork/clone
Result<void> copy_signal(uint64_t clone_flags, Task* child);   // the per-process part (thread group)
void flush_signal_handlers(Task* task);                        // exec: caught signals back to default
void exit_signals(Task* task);                                 // exit: hand pending group signals on
// Tells the parent that `child` exited, was killed, stopped or continued (SIGCHLD unless the child asked
// for another exit signal: child->signals.exit_signal) and wakes its wait4(). Returns true if the child
// is to be reaped at once, without a zombie (the parent ignores SIGCHLD or set SA_NOCLDWAIT, or nobody
// can wait for it). Called with tasklist_lock held. `why` is CLD_*; `status` the exit code or signal.
bool do_notify_parent(Task* child, int why, int status);
