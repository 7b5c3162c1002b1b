// x86-64 threads: the initial kernel stack of a new task, the switch between tasks (stack, FPU state,
// TSS.RSP0), and the per-task FPU save area.
#include <arch/thread.hpp>
#include <arch/x86_64/fpu.hpp>
#include <arch/x86_64/gdt.hpp>
#include <lib/string.hpp>
#include <mm/slab.hpp>
#include <sched/exit.hpp>
#include <sched/preempt.hpp>
#include <sched/task.hpp>

extern "C" Task* x86_switch_stacks(uintptr_t* prev_sp, uintptr_t next_sp, Task* prev);
extern "C" char ret_from_kernel_thread[];

// Called from ret_from_kernel_thread on a new task's first run.
extern "C" [[noreturn]] void x86_kernel_thread_start(Task* prev, int (*fn)(void*), void* arg) {
    schedule_tail(prev);
    do_exit(fn(arg));
}

namespace arch {

// The stack a new task starts with, from its (16-byte aligned) top down:
//   top-8, top-16   zero padding, so that %rsp is 16-byte aligned after `ret` pops the entry address
//   top-24          ret_from_kernel_thread   (x86_switch_stacks' `ret` lands here)
//   top-32..top-72  rbp = 0, rbx = 0, r12 = fn, r13 = arg, r14 = 0, r15 = 0  (popped by the switch)
void init_thread_stack(Task* task, int (*fn)(void*), void* arg) {
    uintptr_t top = (reinterpret_cast<uintptr_t>(task->stack) + kThreadSize) & ~uintptr_t(15);
    auto* frame = reinterpret_cast<uint64_t*>(top);
    frame[-1] = 0;
    frame[-2] = 0;
    frame[-3] = reinterpret_cast<uint64_t>(ret_from_kernel_thread);
    frame[-4] = 0;                                   // rbp
    frame[-5] = 0;                                   // rbx
    frame[-6] = reinterpret_cast<uint64_t>(fn);      // r12
    frame[-7] = reinterpret_cast<uint64_t>(arg);     // r13
    frame[-8] = 0;                                   // r14
    frame[-9] = 0;                                   // r15
    task->thread.sp = reinterpret_cast<uintptr_t>(&frame[-9]);
    task->thread.sp0 = top;
}

Task* switch_to(Task* prev, Task* next) {
    if (prev->thread.fpu) fpu_save(prev->thread.fpu);
    if (next->thread.fpu) fpu_restore(next->thread.fpu);
    // An interrupt or system call from next's user mode must land on next's kernel stack. (The boot
    // CPU's idle task has no sp0: it runs on the boot stack and never in user mode.)
    if (next->thread.sp0) x86::tss_set_rsp0(next->thread.sp0);
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
