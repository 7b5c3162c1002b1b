#pragma once
// The kernel's internal "restart me" results (Linux's include/linux/errno.h). A system call interrupted
// by a signal returns one of these; the return to user mode (arch signal code) then either restarts the
// call (the instruction pointer goes back onto the syscall instruction, the number back into the result
// register) or turns it into EINTR, by these rules:
//
//                           handler runs, SA_RESTART   handler runs, no SA_RESTART   no handler ran
//   ERESTARTSYS             restart                    EINTR                         restart
//   ERESTARTNOINTR          restart                    restart                       restart
//   ERESTARTNOHAND          EINTR                      EINTR                         restart
//   ERESTART_RESTARTBLOCK   EINTR                      EINTR                         restart_syscall(2)
//
// User space never sees these numbers.
#include <sched/wait.hpp>  // ERESTARTSYS (512), which sleeping primitives return

constexpr Errno ERESTARTNOINTR = Errno(513);
constexpr Errno ERESTARTNOHAND = Errno(514);
constexpr Errno ERESTART_RESTARTBLOCK = Errno(516);
static_assert(int(ERESTARTSYS) == 512);

// The system call that continues an ERESTART_RESTARTBLOCK call (x86-64: restart_syscall).
constexpr long kNrRestartSyscall = 219;
