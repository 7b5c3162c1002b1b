#pragma once
// x86-64 thread state: what switch_to() saves for a task that is not running.
//
// A switched-out task's kernel stack holds, from `sp` upwards, its callee-saved registers (r15, r14,
// r13, r12, rbx, rbp) and the return address into the scheduler (or, for a task that never ran, into
// ret_from_fork). Everything else was already saved by the C++ calling convention.
//
// The top of every task's kernel stack (sp0) is its user register frame, an x86::PtRegs: written by the
// entry code on each entry from user mode, or prepared by start_thread/copy_thread before the first.
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

    // User-mode state (tasks that run user code).
    bool user_regs = false;  // the PtRegs at sp0 hold a user context (start_thread/copy_thread ran)
    uint64_t fsbase = 0;     // FS and GS bases (arch_prctl), loaded by switch_to(); the GS base is the
    uint64_t gsbase = 0;     //   user's one, which sits in MSR_KERNEL_GS_BASE while in the kernel
    // The last user-mode exception, for the signal frame's sigcontext (trapno, err, cr2).
    uint64_t trap_nr = 0, error_code = 0, cr2 = 0;
    // Self-tests that run user code on a bare page table (no MmStruct): the CR3 to load while this task
    // runs (0: none). See x86::switch_test_page_table().
    uint64_t test_cr3 = 0;
};

}  // namespace arch
