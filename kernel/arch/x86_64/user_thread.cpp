// The user-mode side of x86-64 threads: the register frame a task enters user space with (exec's
// start_thread, fork's copy_thread), its FS/GS bases (arch_prctl) and their switching.
//
// FS and GS bases. 64-bit code addresses thread-local storage through FS (glibc, musl) and sometimes GS.
// The bases live in MSRs: FS in MSR_FS_BASE, the user's GS in MSR_KERNEL_GS_BASE while the kernel runs
// (swapgs exchanged it with the kernel's per-CPU base on entry). Each task keeps its values in its
// ThreadState; switch_to() loads them. CR4.FSGSBASE (user wrfsbase/wrgsbase) stays off: the paranoid
// entry code tells a kernel GS base from a user one by its sign, which only holds while user space can
// set its bases through arch_prctl alone, and arch_prctl refuses kernel addresses.
#include <arch/thread.hpp>
#include <arch/x86_64/entry/entry.hpp>
#include <arch/x86_64/entry/entry_defs.hpp>
#include <arch/x86_64/fpu.hpp>
#include <arch/x86_64/gdt.hpp>
#include <arch/x86_64/io.hpp>
#include <arch/x86_64/user_thread.hpp>
#include <lib/string.hpp>
#include <lib/uaccess.hpp>
#include <mm/mm.hpp>
#include <sched/preempt.hpp>
#include <sched/task.hpp>
#include <syscalls/syscall.hpp>

namespace x86 {

PtRegs* task_pt_regs(const Task* task) { return reinterpret_cast<PtRegs*>(task->thread.sp0) - 1; }
PtRegs* current_pt_regs() { return task_pt_regs(current()); }

void switch_user_segment_bases(Task* prev, Task* next) {
    if (!next->thread.user_regs) return;  // kernel threads never use FS/GS
    bool prev_user = prev->thread.user_regs;
    if (!prev_user || prev->thread.fsbase != next->thread.fsbase) wrmsr(MSR_FS_BASE, next->thread.fsbase);
    if (!prev_user || prev->thread.gsbase != next->thread.gsbase) wrmsr(MSR_KERNEL_GS_BASE, next->thread.gsbase);
}

namespace {
constexpr unsigned kScratchCr3BeforeTest = PERCPU_SCRATCH_CR3_BEFORE_TEST_INDEX;
}  // namespace

void switch_test_page_table(Task* prev, Task* next) {
    uint64_t* saved = &this_cpu()->arch_scratch[kScratchCr3BeforeTest];
    if (next->thread.test_cr3) {
        if (!prev->thread.test_cr3) *saved = read_cr3();
        write_cr3(next->thread.test_cr3);
    } else if (prev->thread.test_cr3 && read_cr3() == prev->thread.test_cr3) {
        write_cr3(*saved);
    }
}

void enter_test_page_table(uint64_t cr3) {
    PreemptGuard guard;
    Task* self = current();
    if (!self->thread.test_cr3) this_cpu()->arch_scratch[kScratchCr3BeforeTest] = read_cr3();
    self->thread.test_cr3 = cr3;
    write_cr3(cr3);
}

void leave_test_page_table() {
    PreemptGuard guard;
    current()->thread.test_cr3 = 0;
    write_cr3(this_cpu()->arch_scratch[kScratchCr3BeforeTest]);
}

}  // namespace x86

namespace arch {
namespace {

constexpr uint64_t kInitialEflags = 1ull << 9 | 1ull << 1;  // IF, and bit 1 which is always set

// The FPU registers a program starts with (exec) or that a task keeps (fork copies the live ones).
void reset_fpu_image(FpuState* fpu) {
    memset(fpu->fxsave, 0, sizeof fpu->fxsave);
    uint16_t fcw = kFpuDefaultFcw;
    uint32_t mxcsr = kFpuDefaultMxcsr;
    memcpy(&fpu->fxsave[0], &fcw, sizeof fcw);
    memcpy(&fpu->fxsave[24], &mxcsr, sizeof mxcsr);
}

}  // namespace

void start_thread(Task* task, uint64_t ip, uint64_t sp) {
    x86::PtRegs* regs = x86::task_pt_regs(task);
    memset(regs, 0, sizeof *regs);
    regs->rip = ip;
    regs->rsp = sp;
    regs->cs = x86::USER_CS;
    regs->ss = x86::USER_DS;
    regs->eflags = kInitialEflags;
    regs->orig_rax = ~0ull;
    task->thread.user_regs = true;
    task->thread.fsbase = task->thread.gsbase = 0;
    bool running = task == current();
    PreemptGuard guard;  // the MSRs and FPU registers below are this CPU's, and must stay task's
    if (running) {
        x86::wrmsr(x86::MSR_FS_BASE, 0);
        x86::wrmsr(x86::MSR_KERNEL_GS_BASE, 0);
    }
    if (FpuState* fpu = task->thread.fpu) {
        reset_fpu_image(fpu);
        if (running) fpu_restore(fpu);
    }
}

Result<void> copy_thread(Task* child, uint64_t new_sp, bool set_tls, uint64_t tls) {
    Task* parent = current();
    if (set_tls && tls >= TASK_SIZE) return Errno::EPERM;
    if (parent->thread.fpu) {
        TRY(init_fpu_state(child));
        PreemptGuard guard;
        fpu_save(child->thread.fpu);  // the parent's live registers: it is running
    }
    x86::init_switch_frame(child, nullptr, nullptr);
    x86::PtRegs* regs = x86::task_pt_regs(child);
    *regs = *x86::current_pt_regs();
    regs->rax = 0;  // the child's result of fork/clone
    if (new_sp) regs->rsp = new_sp;
    child->thread.user_regs = true;
    child->thread.fsbase = set_tls ? tls : parent->thread.fsbase;
    child->thread.gsbase = parent->thread.gsbase;
    return {};
}

}  // namespace arch

// Linux's ARCH_* codes (asm/prctl.h).
constexpr int ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004;

SYSCALL_DEFINE2(arch_prctl, int, code, uint64_t, addr) {
    Task* t = current();
    switch (code) {
    case ARCH_SET_FS:
    case ARCH_SET_GS: {
        // A kernel address as a user base would confuse the paranoid entry (see the top of this file).
        if (addr >= TASK_SIZE) return -long(Errno::EPERM);
        PreemptGuard guard;
        if (code == ARCH_SET_FS) {
            t->thread.fsbase = addr;
            x86::wrmsr(x86::MSR_FS_BASE, addr);
        } else {
            t->thread.gsbase = addr;
            x86::wrmsr(x86::MSR_KERNEL_GS_BASE, addr);
        }
        return 0;
    }
    case ARCH_GET_FS: return put_user(t->thread.fsbase, UserPtr<uint64_t>(addr)).to_syscall_return();
    case ARCH_GET_GS: return put_user(t->thread.gsbase, UserPtr<uint64_t>(addr)).to_syscall_return();
    default: return -long(Errno::EINVAL);
    }
}
