#pragma once
// Host build: a "thread" is either a bookkeeping entry for the scheduler simulator (no context at all:
// switch_to only changes which task the scheduler considers current) or, for tests that run real
// kernel-thread code, a ucontext on a heap stack (tests/host/support/host_thread.cpp).
#include <stddef.h>
#include <stdint.h>

namespace arch {

// Host stacks hold sanitizer-instrumented frames, which are several times larger than the kernel's.
constexpr size_t kThreadSize = 256 * 1024;

struct ThreadState {
    void* host_context = nullptr;  // a ucontext_t owned by tests/host/support/host_thread.cpp, or nullptr
};

}  // namespace arch
