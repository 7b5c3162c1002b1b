#pragma once
// What mm/ needs from the process side (process/ keeps the resource limits in the thread group's
// SignalStruct). mm/hooks_fallback.cpp holds weak definitions with Linux's default limits until
// process/ provides the real ones.
#include <stdint.h>

constexpr uint64_t kRlimInfinity = ~0ull;

// Soft limits of the current process, in bytes (Linux's rlimit(RLIMIT_STACK), RLIMIT_AS, RLIMIT_DATA).
uint64_t mm_rlimit_stack();
uint64_t mm_rlimit_as();
uint64_t mm_rlimit_data();
