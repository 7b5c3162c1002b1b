#pragma once
// System-call tracing (strace-like lines on the kernel log), the dispatcher's slow path.
#include <stdint.h>

// True while tracing is on: the dispatcher's one branch. Written only by set_syscall_trace().
extern bool syscall_trace_active;

// Calls the handler (call_syscall_handler) and prints "[pid N] name(args) = result".
long traced_syscall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
// The untraced dispatch itself (dispatch.cpp).
long call_syscall_handler(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);

// Formats one argument the way the trace prints it (exposed for the self-tests): `kind` is one of
// d (signed int), u (unsigned), x (hex), o (octal), p (pointer), s (user string). Returns the length.
int format_syscall_arg(char* buf, int size, char kind, uint64_t value);
