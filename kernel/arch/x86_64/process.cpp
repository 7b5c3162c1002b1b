// x86-64 threads: the initial kernel stack of a new task, the switch between tasks (stack, FPU state,
// TSS.RSP0, user FS/GS bases), and the per-task FPU save area. The user-mode side of a thread
// (start_thread, copy_thread, arch_prctl) is in user_thread.cpp.
#include <arch/thread.hpp>
#include <arch/x86_64/entry/entry.hpp>
#include <arch/x86_64/entry/entry_defs.hpp>
#include <arch/x86_64/fpu.hpp>
#include <arch/x86_64/gdt.hpp>
#include <arch/x86_64/io.hpp>
#include <arch/x86_64/user_thread.hpp>
#include <lib/string.hpp>
#include <mm/slab.hpp>
#include <sched/exit.hpp>
#include <sched/preempt.hpp>
#include <sched/task.hpp>

extern "C" Task* x86_switch_stacks(uintptr_t* prev_sp, uintptr_t next_sp, Task* prev);
extern "C" char ret_from_fork[];

namespace x86 {

// The stack a new task starts with, from its (16-byte aligned) top down:
//   top-168..top      its user register frame (x86::PtRegs), zero: no user context yet
//   top-176           zero padding, so that %rsp is 16-byte aligned after `ret` pops the entry address
//   top-184           ret_from_fork   (x86_switch_stacks' `ret` lands here; entry/entry_64.S)
//   top-192..top-232  rbp = 0, rbx = 0, r12 = fn, r13 = arg, r14 = 0, r15 = 0  (popped by the switch)
// copy_thread() lays out the same frame with fn = 0 and the parent's user registers.
uint64_t* init_switch_frame(Task* task, int (*fn)(void*), void* arg) {
    uintptr_t top = (reinterpret_cast<uintptr_t>(task->stack) + arch::kThreadSize) & ~uintptr_t(15);
    auto* regs = reinterpret_cast<x86::PtRegs*>(top) - 1;
    auto* frame = reinterpret_cast<uint64_t*>(regs);
    frame[-1] = 0;
    frame[-2] = reinterpret_cast<uint64_t>(ret_from_fork);
    frame[-3] = 0;                                   // rbp
    frame[-4] = 0;                                   // rbx
    frame[-5] = reinterpret_cast<uint64_t>(fn);      // r12
    frame[-6] = reinterpret_cast<uint64_t>(arg);     // r13
    frame[-7] = 0;                                   // r14
    frame[-8] = 0;                                   // r15
    task->thread.sp = reinterpret_cast<uintptr_t>(&frame[-8]);
    task->thread.sp0 = top;
    return frame;
}

}  // namespace x86

namespace arch {

void init_thread_stack(Task* task, int (*fn)(void*), void* arg) {
    x86::init_switch_frame(task, fn, arg);
    memset(x86::task_pt_regs(task), 0, sizeof(x86::PtRegs));
}

Task* switch_to(Task* prev, Task* next) {
    if (prev->thread.fpu) fpu_save(prev->thread.fpu);
    if (next->thread.fpu) fpu_restore(next->thread.fpu);
    // An interrupt or system call from next's user mode must land on next's kernel stack: the TSS tells
    // the CPU for interrupts, a per-CPU word tells the SYSCALL entry. (The boot CPU's idle task has no
    // sp0: it runs on the boot stack and never in user mode.)
    if (next->thread.sp0) {
        x86::tss_set_rsp0(next->thread.sp0);
        this_cpu()->arch_scratch[PERCPU_SCRATCH_KERNEL_STACK_INDEX] = next->thread.sp0;
    }
    x86::switch_user_segment_bases(prev, next);
    x86::reload_kernel_ss();
    x86::switch_test_page_table(prev, next);
    return x86_switch_stacks(&prev->thread.sp, next->thread.sp, prev);
}

Result<void> init_fpu_state(Task* task) {
    if (task->thread.fpu) return {};
    void* raw = kmalloc(sizeof(FpuState) + 16);
    if (!raw) return Errno::ENOMEM;
    auto* fpu = reinterpret_cast<FpuState*>((reinterpret_cast<uintptr_t>(raw) + 15) & ~uintptr_t(15));
    memset(fpu->fxsave, 0, sizeof fpu->fxsave);
    uint16_t fcw = kFpuDefaultFcw;
    uint32_t mxcsr = kFpuDefaultMxcsr;
    memcpy(&fpu->fxsave[0], &fcw, sizeof fcw);      // FCW at offset 0
    memcpy(&fpu->fxsave[24], &mxcsr, sizeof mxcsr);  // MXCSR at offset 24
    fpu->allocation = raw;
    if (task == current()) {
        // The registers hold some other task's values: load the reset image now, or the next switch
        // away would save those values as ours. No switch may come between the two steps.
        preempt_disable();
        fpu_restore(fpu);
        task->thread.fpu = fpu;
        preempt_enable();
    } else {
        task->thread.fpu = fpu;  // loaded by the switch into it
    }
    return {};
}

void release_thread(Task* task) {
    if (task->thread.fpu) kfree(task->thread.fpu->allocation);
    task->thread.fpu = nullptr;
}

}  // namespace arch
