#pragma once
// The system-call dispatcher: number -> handler from the generated table (syscall.hpp), -ENOSYS for a
// number nobody implements, and the optional strace-like trace. Called by the architecture's entry code
// with interrupts on; returns what goes back to user space in the return register.
#include <stdint.h>

long invoke_syscall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);

// Tracing: every system call is printed as "[pid N] name(args) = result" (the `strace` or
// `syscall_trace=1` boot parameter, or at run time).
void set_syscall_trace(bool on);
bool syscall_trace_enabled();

// The name of system call `nr`, or nullptr.
const char* syscall_name(uint64_t nr);
