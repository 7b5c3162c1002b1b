// The C++ side of the system-call entry (entry_64.S): the MSR set-up, the dispatch with interrupts on,
// the exit work shared by every return to user mode, and the first run of a new task.
#include <arch/x86_64/cpufeature.hpp>
#include <arch/x86_64/entry/entry.hpp>
#include <arch/x86_64/entry/entry_defs.hpp>
#include <arch/x86_64/gdt.hpp>
#include <arch/x86_64/io.hpp>
#include <mm/mm.hpp>
#include <printk/printk.hpp>
#include <sched/exit.hpp>
#include <sched/preempt.hpp>
#include <sched/sched.hpp>
#include <sched/task.hpp>
#include <smp/percpu.hpp>
#include <stddef.h>
#include <syscalls/dispatch.hpp>

extern "C" char entry_SYSCALL_64[], entry_SYSCALL_compat_ignore[];
extern "C" uint8_t x86_smap_active;  // uaccess.cpp

static_assert(offsetof(PerCpu, arch_scratch) + 8 * PERCPU_SCRATCH_USER_RSP_INDEX == PERCPU_USER_RSP);
static_assert(offsetof(PerCpu, arch_scratch) + 8 * PERCPU_SCRATCH_KERNEL_STACK_INDEX == PERCPU_KERNEL_STACK);
static_assert(ENTRY_USER_CS == x86::USER_CS && ENTRY_USER_DS == x86::USER_DS);
static_assert(ENTRY_ENOSYS == int(Errno::ENOSYS));

namespace x86 {
namespace {

constexpr uint32_t MSR_CSTAR = 0xC0000083;

constexpr uint64_t X86_EFLAGS_TF = 1ull << 8, X86_EFLAGS_IF = 1ull << 9, X86_EFLAGS_DF = 1ull << 10,
                   X86_EFLAGS_IOPL = 3ull << 12, X86_EFLAGS_NT = 1ull << 14, X86_EFLAGS_RF = 1ull << 16,
                   X86_EFLAGS_AC = 1ull << 18;

// Flags SYSCALL clears on entry (Linux's choice): interrupts stay off until the stack is switched, no
// single-step trap inside the kernel, a known string direction, no user-granted SMAP override, and no
// I/O privilege or nested-task state leaking in.
constexpr uint64_t kSyscallFlagsMask =
    X86_EFLAGS_TF | X86_EFLAGS_DF | X86_EFLAGS_IF | X86_EFLAGS_IOPL | X86_EFLAGS_AC | X86_EFLAGS_NT;

// The lowest address that is not canonical in the user half (47-bit addresses).
constexpr uint64_t kUserCanonicalEnd = 1ull << 47;

// IRET to a non-canonical RIP faults in ring 0 with the user's state half restored; refuse such a
// frame before it gets there and kill the task instead, as the CPU would have on the first instruction.
bool user_frame_canonical(const PtRegs* regs) {
    return regs->rip < kUserCanonicalEnd && regs->rsp < kUserCanonicalEnd;
}

}  // namespace

void syscall_init() {
    wrmsr(MSR_STAR, kStarMsrValue);
    wrmsr(MSR_LSTAR, reinterpret_cast<uint64_t>(entry_SYSCALL_64));
    wrmsr(MSR_CSTAR, reinterpret_cast<uint64_t>(entry_SYSCALL_compat_ignore));
    wrmsr(MSR_SFMASK, kSyscallFlagsMask);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    // Every CPU runs with the boot CPU's CR4 (x86::cpu_init), so one flag serves all.
    x86_smap_active = boot_cpu_features.smap;
}

bool can_use_sysret(const PtRegs* regs) {
    // SYSRET reloads RIP from %rcx and RFLAGS from %r11, and CS/SS from STAR: the frame must say exactly
    // that. A non-canonical RIP would make SYSRET fault in ring 0 on the user's stack (Intel), so the
    // limit is the top of user space. RF and TF want IRET's semantics (SYSRET drops RF, and a
    // single-step trap would fire on the first user instruction with kernel state).
    return regs->rcx == regs->rip && regs->r11 == regs->eflags && regs->cs == USER_CS && regs->ss == USER_DS &&
           regs->rip < TASK_SIZE && !(regs->eflags & (X86_EFLAGS_RF | X86_EFLAGS_TF));
}

void exit_to_user_mode(PtRegs* regs) {
    for (;;) {
        bool resched = need_resched();
        bool sigpending = signal_pending(current());
        if (!resched && !sigpending) {
            if (__builtin_expect(user_frame_canonical(regs), 1)) break;
            force_sig(SIGSEGV);
            if (!signal_pending(current())) {  // a task without signal state: nothing can deliver it
                arch::irq_enable();
                do_exit(SIGSEGV);
            }
            continue;
        }
        arch::irq_enable();
        if (resched) schedule();
        if (sigpending) arch_do_signal_or_restart(regs);
        arch::irq_disable();
    }
}

}  // namespace x86

namespace {

// A handler that returns holding a spinlock (or with preemption otherwise disabled) would make the next
// reschedule on this CPU panic far from the culprit: name the call instead, once, and repair the count.
[[gnu::noinline, gnu::cold]] void report_leaked_preempt_count(uint64_t nr) {
    static bool reported;
    if (!reported) {
        reported = true;
        const char* name = syscall_name(nr);
        pr_err("BUG: system call %lu (%s) returned with preempt_count %d", (unsigned long)nr, name ? name : "?",
               preempt_count());
    }
    this_cpu()->preempt_count = 0;
}

}  // namespace

extern "C" bool x86_syscall_64(x86::PtRegs* regs) {
    arch::irq_enable();
    regs->rax = uint64_t(invoke_syscall(regs->orig_rax, regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8, regs->r9));
    if (__builtin_expect(preempt_count() != 0, 0)) report_leaked_preempt_count(regs->orig_rax);
    arch::irq_disable();
    x86::exit_to_user_mode(regs);
    return x86::can_use_sysret(regs);
}

// A new task's first run (entry_64.S: ret_from_fork). A kernel thread runs fn(arg); if fn set up user
// registers (kernel_execve: start_thread) the task continues into user space, otherwise it exits with
// fn's result. A forked user task (fn == nullptr) goes straight to user space with its copied frame.
extern "C" bool x86_ret_from_fork(Task* prev, int (*fn)(void*), void* arg, x86::PtRegs* regs) {
    schedule_tail(prev);
    if (fn) {
        int ret = fn(arg);
        if (!current()->thread.user_regs) do_exit(ret);
    }
    arch::irq_disable();
    x86::exit_to_user_mode(regs);
    return x86::can_use_sysret(regs);
}
