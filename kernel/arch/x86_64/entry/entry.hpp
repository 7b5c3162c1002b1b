#pragma once
// The x86-64 user/kernel boundary: system-call entry set-up, the work done on every return to user mode,
// and where a task's user registers live.
#include <arch/x86_64/ptrace.hpp>
#include <stdint.h>

struct Task;

namespace x86 {

// Programs this CPU's SYSCALL MSRs (STAR, LSTAR, CSTAR, SFMASK) and enables SYSCALL (EFER.SCE).
// trap_init() calls it on the boot CPU; the SMP bring-up calls it on every other CPU.
void syscall_init();

// The user registers of `task`, saved at the top of its kernel stack on every entry from user mode (and
// prepared there by start_thread/copy_thread before its first). Meaningful only for tasks that run user
// code.
PtRegs* task_pt_regs(const Task* task);
PtRegs* current_pt_regs();

// The work due before any return to user mode (Linux's exit_to_user_mode_loop): reschedule if asked,
// deliver pending signals (which may rewrite `regs`), repeat until neither is pending. Called with
// interrupts off, returns with them off; `regs` must be the current task's user frame.
void exit_to_user_mode(PtRegs* regs);

// True if the return to user mode described by `regs` can use SYSRET instead of IRET.
bool can_use_sysret(const PtRegs* regs);

}  // namespace x86

// A signal is pending for the current task: deliver it (arch/x86_64/signal.cpp). Handles system-call
// restart on the way. Interrupts on.
void arch_do_signal_or_restart(x86::PtRegs* regs);
