#pragma once
// x86-64 thread state: what switch_to() saves for a task that is not running.
//
// A switched-out task's kernel stack holds, from `sp` upwards, its callee-saved registers (r15, r14,
// r13, r12, rbx, rbp) and the return address into the scheduler (or, for a task that never ran, into
// ret_from_kernel_thread). Everything else was already saved by the C++ calling convention.
#include <stddef.h>
#include <stdint.h>

namespace arch {

// Kernel stack size (Linux x86-64's THREAD_SIZE): 16 KiB, 16-byte aligned at the top.
constexpr size_t kThreadSize = 16 * 1024;

struct FpuState;  // arch/x86_64/fpu.hpp

struct ThreadState {
    uintptr_t sp = 0;   // saved %rsp while switched out
    uintptr_t sp0 = 0;  // top of the kernel stack: TSS.RSP0 while this task runs user code
    // The task's x87/SSE registers (fxsave image), saved and restored around switches. nullptr for tasks
    // that never run user code: the kernel itself never touches FPU/SSE registers (-mgeneral-regs-only).
    FpuState* fpu = nullptr;
};

}  // namespace arch
