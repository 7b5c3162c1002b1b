// x86-64 signal delivery: the handler's frame on the user stack (signal_frame.hpp), rt_sigreturn,
// system-call restart, and user-mode exceptions turned into signals.
//
// Delivery runs on the way back to user mode (exit_to_user_mode, interrupts on): the generic code picks
// the signal and its action (get_signal), this file rewrites the saved user registers so that the
// return "calls" the handler, with the interrupted state saved in a ucontext the handler can inspect and
// rt_sigreturn restores.
#include <arch/x86_64/entry/entry.hpp>
#include <arch/x86_64/fpu.hpp>
#include <arch/x86_64/gdt.hpp>
#include <arch/x86_64/signal_frame.hpp>
#include <arch/x86_64/traps.hpp>
#include <lib/string.hpp>
#include <lib/uaccess.hpp>
#include <printk/printk.hpp>
#include <sched/preempt.hpp>
#include <signal/internal.hpp>
#include <signal/restart.hpp>
#include <syscalls/syscall.hpp>
#include <time/jiffies.hpp>

namespace {

using x86::PtRegs;

constexpr uint64_t X86_EFLAGS_CF = 1ull << 0, X86_EFLAGS_PF = 1ull << 2, X86_EFLAGS_AF = 1ull << 4,
                   X86_EFLAGS_ZF = 1ull << 6, X86_EFLAGS_SF = 1ull << 7, X86_EFLAGS_TF = 1ull << 8,
                   X86_EFLAGS_DF = 1ull << 10, X86_EFLAGS_OF = 1ull << 11, X86_EFLAGS_RF = 1ull << 16,
                   X86_EFLAGS_AC = 1ull << 18;
// The flags a sigreturn may change (Linux's FIX_EFLAGS): the arithmetic ones, direction, trap, resume,
// alignment check. IF, IOPL and the rest stay as the kernel has them.
constexpr uint64_t kUserChangeableFlags = X86_EFLAGS_AC | X86_EFLAGS_OF | X86_EFLAGS_DF | X86_EFLAGS_TF |
                                          X86_EFLAGS_SF | X86_EFLAGS_ZF | X86_EFLAGS_AF | X86_EFLAGS_PF |
                                          X86_EFLAGS_CF | X86_EFLAGS_RF;
constexpr uint64_t kSyscallInsnLength = 2;  // 0f 05

bool in_syscall(const PtRegs* regs) { return int64_t(regs->orig_rax) >= 0; }

void restart_syscall_insn(PtRegs* regs, uint64_t nr) {
    regs->rax = nr;
    regs->rip -= kSyscallInsnLength;
}

// The MXCSR bits this CPU implements (the fxsave image's MXCSR_MASK; 0 there means the architectural
// default), so that a sigreturn cannot load reserved bits and fault in the kernel.
uint32_t mxcsr_mask(const arch::FpuState* fpu) {
    uint32_t mask;
    memcpy(&mask, &fpu->fxsave[28], sizeof mask);
    return mask ? mask : 0xffbf;
}

// Where the frame goes: below the red zone of the interrupted code, or at the top of the alternate
// stack for an SA_ONSTACK handler not already running on it. 0 if it cannot go anywhere.
uint64_t frame_base(const KSignal& ksig, const PtRegs* regs) {
    Task* t = current();
    uint64_t sp = regs->rsp - x86::kRedZone;
    if ((ksig.ka.flags & SA_ONSTACK) && !(t->signals.sas_ss_flags & SS_DISABLE) && !on_sig_stack(t, regs->rsp))
        sp = t->signals.sas_ss_sp + t->signals.sas_ss_size;
    return sp;
}

void fill_sigcontext(x86::SigContext& sc, const PtRegs* regs, uint64_t fpstate, SigSet mask) {
    const arch::ThreadState& thread = current()->thread;
    sc = x86::SigContext{};
    sc.r8 = regs->r8, sc.r9 = regs->r9, sc.r10 = regs->r10, sc.r11 = regs->r11;
    sc.r12 = regs->r12, sc.r13 = regs->r13, sc.r14 = regs->r14, sc.r15 = regs->r15;
    sc.rdi = regs->rdi, sc.rsi = regs->rsi, sc.rbp = regs->rbp, sc.rbx = regs->rbx;
    sc.rdx = regs->rdx, sc.rax = regs->rax, sc.rcx = regs->rcx, sc.rsp = regs->rsp, sc.rip = regs->rip;
    sc.eflags = regs->eflags;
    sc.cs = uint16_t(regs->cs);
    sc.ss = uint16_t(regs->ss);
    sc.err = thread.error_code;
    sc.trapno = thread.trap_nr;
    sc.cr2 = thread.cr2;
    sc.oldmask = mask.bits;
    sc.fpstate = fpstate;
}

// Builds the rt_sigframe and points the registers at the handler. False if the user stack cannot take it.
bool setup_rt_frame(const KSignal& ksig, PtRegs* regs) {
    Task* t = current();
    // x86-64 handlers return through sa_restorer (glibc's __restore_rt calls rt_sigreturn); there is no
    // kernel-provided trampoline.
    if (!(ksig.ka.flags & SA_RESTORER)) return false;
    uint64_t sp = frame_base(ksig, regs);

    uint64_t fpstate = 0;
    if (arch::FpuState* fpu = t->thread.fpu) {
        sp = (sp - x86::kFxsaveSize) & ~uint64_t(x86::kFpstateAlign - 1);
        fpstate = sp;
        {
            PreemptGuard guard;
            arch::fpu_save(fpu);  // the live registers are the task's
        }
        if (!copy_to_user(UserPtr<void>(fpstate), fpu->fxsave, x86::kFxsaveSize)) return false;
    }
    // 16-byte alignment minus 8: the handler starts as if `call`ed.
    uint64_t frame_addr = ((sp - sizeof(x86::RtSigframe)) & ~uint64_t(15)) - 8;

    x86::RtSigframe frame{};
    frame.pretcode = ksig.ka.restorer;
    frame.uc.uc_flags = x86::UC_SIGCONTEXT_SS | x86::UC_STRICT_RESTORE_SS;
    frame.uc.uc_stack.ss_sp = t->signals.sas_ss_sp;
    frame.uc.uc_stack.ss_size = t->signals.sas_ss_size;
    frame.uc.uc_stack.ss_flags = (t->signals.sas_ss_flags & SS_DISABLE) ? SS_DISABLE
                                 : on_sig_stack(t, regs->rsp)            ? SS_ONSTACK
                                                                         : int32_t(t->signals.sas_ss_flags);
    SigSet mask = t->signals.restore_sigmask ? t->signals.saved_sigmask : t->signals.blocked;
    fill_sigcontext(frame.uc.uc_mcontext, regs, fpstate, mask);
    frame.uc.uc_sigmask = mask.bits;
    frame.info = ksig.info;
    if (!copy_to_user(UserPtr<void>(frame_addr), &frame, sizeof frame)) return false;

    regs->rdi = uint64_t(ksig.sig);
    regs->rsi = frame_addr + offsetof(x86::RtSigframe, info);
    regs->rdx = frame_addr + offsetof(x86::RtSigframe, uc);
    regs->rax = 0;
    regs->rsp = frame_addr;
    regs->rip = ksig.ka.handler;
    regs->cs = x86::USER_CS;
    regs->ss = x86::USER_DS;
    regs->eflags &= ~(X86_EFLAGS_DF | X86_EFLAGS_RF | X86_EFLAGS_TF);
    // The handler starts with a clean FPU (the interrupted state is in the frame).
    if (arch::FpuState* fpu = t->thread.fpu) {
        PreemptGuard guard;
        memset(fpu->fxsave, 0, sizeof fpu->fxsave);
        uint16_t fcw = arch::kFpuDefaultFcw;
        uint32_t mxcsr = arch::kFpuDefaultMxcsr;
        memcpy(&fpu->fxsave[0], &fcw, sizeof fcw);
        memcpy(&fpu->fxsave[24], &mxcsr, sizeof mxcsr);
        arch::fpu_restore(fpu);
    }
    return true;
}

// Loads the FPU image a sigreturn found at `fpstate` (0: reset to the initial state).
bool restore_fpu(uint64_t fpstate) {
    arch::FpuState* fpu = current()->thread.fpu;
    if (!fpu) return fpstate == 0;
    alignas(16) uint8_t image[x86::kFxsaveSize];
    if (fpstate) {
        if (!copy_from_user(image, UserPtr<const void>(fpstate), sizeof image)) return false;
    } else {
        memset(image, 0, sizeof image);
        uint16_t fcw = arch::kFpuDefaultFcw;
        uint32_t mxcsr = arch::kFpuDefaultMxcsr;
        memcpy(&image[0], &fcw, sizeof fcw);
        memcpy(&image[24], &mxcsr, sizeof mxcsr);
    }
    PreemptGuard guard;
    uint32_t mxcsr;
    memcpy(&mxcsr, &image[24], sizeof mxcsr);
    mxcsr &= mxcsr_mask(fpu);
    memcpy(&image[24], &mxcsr, sizeof mxcsr);
    memcpy(&image[28], &fpu->fxsave[28], 4);  // MXCSR_MASK is the CPU's, not the user's
    memcpy(fpu->fxsave, image, sizeof image);
    arch::fpu_restore(fpu);
    return true;
}

// Linux's wording per signal (the trap handlers' do_trap messages).
const char* trap_description(int sig, int code) {
    switch (sig) {
    case SIGILL: return "trap invalid opcode";
    case SIGFPE: return "trap divide error";
    case SIGTRAP: return "trap int3";
    case SIGBUS: return "trap alignment check";
    case SIGSEGV: return code == SI_KERNEL ? "general protection fault" : "segfault";
    default: return "trap";
    }
}

}  // namespace

// Linux's two formats: page faults (show_signal_msg) and other traps (do_trap's "traps:" line).
void show_unhandled_fault(int sig, int code, uint64_t addr) {
    static uint64_t window_start;
    static unsigned in_window;
    constexpr unsigned kBurst = 10;  // per 5 s: a crash loop must not flood the console
    uint64_t now = jiffies;
    if (now - window_start > 5 * HZ) window_start = now, in_window = 0;
    if (in_window++ >= kBurst) return;
    Task* t = current();
    const PtRegs* regs = x86::current_pt_regs();
    if (t->thread.trap_nr == x86::X86_TRAP_PF && (sig == SIGSEGV || sig == SIGBUS))
        pr_info("%s[%d]: %s at %lx ip %016lx sp %016lx error %lx", t->comm, t->pid,
                sig == SIGSEGV ? "segfault" : "bus error", (unsigned long)addr, (unsigned long)regs->rip,
                (unsigned long)regs->rsp, (unsigned long)t->thread.error_code);
    else
        pr_info("traps: %s[%d] %s ip:%lx sp:%lx error:%lx", t->comm, t->pid, trap_description(sig, code),
                (unsigned long)regs->rip, (unsigned long)regs->rsp, (unsigned long)t->thread.error_code);
}

void arch_do_signal_or_restart(PtRegs* regs) {
    KSignal ksig;
    if (get_signal(ksig)) {
        if (in_syscall(regs)) {
            switch (-int64_t(regs->rax)) {
            case int(ERESTART_RESTARTBLOCK):
            case int(ERESTARTNOHAND): regs->rax = uint64_t(-long(Errno::EINTR)); break;
            case int(ERESTARTSYS):
                if (!(ksig.ka.flags & SA_RESTART)) {
                    regs->rax = uint64_t(-long(Errno::EINTR));
                    break;
                }
                [[fallthrough]];
            case int(ERESTARTNOINTR): restart_syscall_insn(regs, regs->orig_rax); break;
            default: break;
            }
            // Whatever happens next (another signal in the same exit), the call is decided.
            regs->orig_rax = ~0ull;
        }
        bool ok = setup_rt_frame(ksig, regs);
        signal_setup_done(!ok, ksig);
        return;
    }
    if (in_syscall(regs)) {
        switch (-int64_t(regs->rax)) {
        case int(ERESTARTNOHAND):
        case int(ERESTARTSYS):
        case int(ERESTARTNOINTR): restart_syscall_insn(regs, regs->orig_rax); break;
        case int(ERESTART_RESTARTBLOCK): restart_syscall_insn(regs, uint64_t(kNrRestartSyscall)); break;
        default: break;
        }
        regs->orig_rax = ~0ull;
    }
    restore_saved_sigmask();
}

SYSCALL_DEFINE0(rt_sigreturn) {
    PtRegs* regs = x86::current_pt_regs();
    // The handler's `ret` popped pretcode: the frame starts 8 bytes below the stack pointer.
    uint64_t frame_addr = regs->rsp - 8;
    x86::RtSigframe frame;
    if (!copy_from_user(&frame, UserPtr<const void>(frame_addr), sizeof frame)) {
        force_sig(SIGSEGV);
        return 0;
    }
    set_current_blocked(SigSet{frame.uc.uc_sigmask});
    const x86::SigContext& sc = frame.uc.uc_mcontext;
    regs->r8 = sc.r8, regs->r9 = sc.r9, regs->r10 = sc.r10, regs->r11 = sc.r11;
    regs->r12 = sc.r12, regs->r13 = sc.r13, regs->r14 = sc.r14, regs->r15 = sc.r15;
    regs->rdi = sc.rdi, regs->rsi = sc.rsi, regs->rbp = sc.rbp, regs->rbx = sc.rbx;
    regs->rdx = sc.rdx, regs->rax = sc.rax, regs->rcx = sc.rcx, regs->rsp = sc.rsp, regs->rip = sc.rip;
    regs->eflags = (regs->eflags & ~kUserChangeableFlags) | (sc.eflags & kUserChangeableFlags);
    regs->cs = x86::USER_CS;
    regs->ss = x86::USER_DS;
    regs->orig_rax = ~0ull;  // not in a system call any more: no restart
    if (!restore_fpu(sc.fpstate)) {
        force_sig(SIGSEGV);
        return 0;
    }
    // The alternate stack as the frame recorded it (undoes SS_AUTODISARM); errors other than a bad
    // address are ignored, as in Linux.
    uint64_t ustack = frame_addr + offsetof(x86::RtSigframe, uc) + offsetof(x86::UContext, uc_stack);
    if (do_sigaltstack(ustack, 0, regs->rsp) == -long(Errno::EFAULT)) force_sig(SIGSEGV);
    return long(regs->rax);  // the dispatcher stores it back into rax: the interrupted value
}

SYSCALL_DEFINE2(sigaltstack, uint64_t, uss, uint64_t, uoss) {
    return do_sigaltstack(uss, uoss, x86::current_pt_regs()->rsp);
}

// Exceptions raised by user code become signals to the faulting thread (traps.hpp).
void handle_user_exception(unsigned vector, x86::PtRegs* regs, uint64_t address) {
    using namespace x86;
    Task* t = current();
    t->thread.trap_nr = vector;
    t->thread.error_code = error_code(regs);
    t->thread.cr2 = vector == X86_TRAP_PF ? address : 0;
    switch (vector) {
    case X86_TRAP_DE: force_sig_fault(SIGFPE, FPE_INTDIV, regs->rip); break;
    case X86_TRAP_DB: force_sig_fault(SIGTRAP, 2 /* TRAP_TRACE */, regs->rip); break;
    case X86_TRAP_BP: force_sig(SIGTRAP); break;
    case X86_TRAP_UD: force_sig_fault(SIGILL, ILL_ILLOPN, regs->rip); break;
    case X86_TRAP_MF:
    case X86_TRAP_XF: force_sig_fault(SIGFPE, 7 /* FPE_FLTINV */, regs->rip); break;
    case X86_TRAP_AC: force_sig_fault(SIGBUS, 1 /* BUS_ADRALN */, address); break;
    case X86_TRAP_PF: {
        uint64_t err = error_code(regs);
        force_sig_fault(SIGSEGV, err & X86_PF_PROT ? SEGV_ACCERR : SEGV_MAPERR, address);
        break;
    }
    default:
        // #GP, #SS, #NP, #TS, #OF, #BR...: Linux sends a plain SIGSEGV (SI_KERNEL), and says so.
        if (t->sighand && t->sighand->action[SIGSEGV - 1].handler == SIG_DFL)
            show_unhandled_fault(SIGSEGV, SI_KERNEL, 0);
        force_sig(SIGSEGV);
        break;
    }
}
