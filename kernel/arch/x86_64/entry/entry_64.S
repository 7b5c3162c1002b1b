/*
 * System-call entry (SYSCALL) and every way back to user mode (SYSRET or IRET), plus the first
 * instructions of every new task (ret_from_fork).
 *
 * SYSCALL leaves the CPU in ring 0 with RIP from MSR_LSTAR, the user RIP in %rcx, the user RFLAGS in
 * %r11 and RFLAGS masked by MSR_SFMASK (IF, TF, DF, AC... clear: interrupts are off until the C++ side
 * turns them on). It switches neither the stack nor GS, so the first instructions do that by hand:
 * swapgs (GS base = this CPU's PerCpu), park the user %rsp in a per-CPU word, load the top of the
 * current task's kernel stack from another. Then the same PtRegs frame as an interrupt's (ptrace.hpp) is
 * pushed, so everything after this point - signal frames, fork, ptrace, register dumps - sees one layout:
 * rip/rflags come from %rcx/%r11, orig_rax holds the system-call number and rax starts as -ENOSYS.
 *
 * The way out: x86_syscall_64() (syscall_64.cpp) has run the handler and the exit work (reschedule,
 * signals) with interrupts off again and says whether SYSRET may be used. SYSRET is faster but can only
 * return to the state it encodes (RIP = %rcx, RFLAGS = %r11, the flat user CS/SS, a canonical RIP): any
 * frame changed by a signal, sigreturn, exec or ptrace that does not fit goes out through IRET.
 */
#include <arch/x86_64/entry/entry_defs.hpp>
#include <arch/x86_64/ptrace.hpp>
#include <arch/x86_64/entry/ptregs_asm.inc>

    .text
    .balign 16
    .global entry_SYSCALL_64
    .type entry_SYSCALL_64, @function
entry_SYSCALL_64:
    swapgs
    movq %rsp, %gs:PERCPU_USER_RSP
    movq %gs:PERCPU_KERNEL_STACK, %rsp
    pushq $ENTRY_USER_DS            /* ss */
    pushq %gs:PERCPU_USER_RSP       /* rsp */
    pushq %r11                      /* eflags */
    pushq $ENTRY_USER_CS            /* cs */
    pushq %rcx                      /* rip */
    pushq %rax                      /* orig_rax: the system-call number */
    pushq %rdi
    pushq %rsi
    pushq %rdx
    pushq %rcx
    pushq $-ENTRY_ENOSYS            /* rax */
    PUSH_REGS_FROM_R8
    xorl %ebp, %ebp                 /* backtraces end here */
    movq %rsp, %rdi
    subq $8, %rsp                   /* 21 pushes from a 16-byte aligned top: realign for the call */
    call x86_syscall_64
    addq $8, %rsp
    .size entry_SYSCALL_64, . - entry_SYSCALL_64

/*
 * %rsp = the PtRegs frame, interrupts off, %al = "SYSRET may be used" (the C++ side has checked that
 * rcx == rip, r11 == rflags, CS/SS are the flat user selectors and RIP is canonical and in user space).
 */
    .global x86_return_to_user
    .type x86_return_to_user, @function
x86_return_to_user:
    testb %al, %al
    jz x86_return_to_user_via_iret
    POP_REGS_TO_RDI                 /* r11 == rflags and rcx == rip, as SYSRET wants them */
    /* (%rsp) orig_rax, 8 rip, 16 cs, 24 rflags, 32 rsp. From here on the stack is the user's: nothing
     * may fault or be interrupted (IF is clear; NMIs run on their own IST stack). */
    movq 32(%rsp), %rsp
    swapgs
    sysretq

x86_return_to_user_via_iret:
    RESTORE_REGS_AND_DROP_ORIG_RAX
    swapgs
    jmp x86_iret_to_user            /* entry.S: an iretq whose faults the exception entry recognises */
    .size x86_return_to_user, . - x86_return_to_user

/*
 * A new task's first switch "returns" here (see arch::init_thread_stack and arch::copy_thread): %rax =
 * the task switched away from, %r12 = the kernel function to run (0 for a forked user task), %r13 its
 * argument, %rsp 16-byte aligned and 8 bytes below the task's PtRegs. x86_ret_from_fork() returns only
 * when the task is to enter user mode (a fork child, or a kernel thread whose function exec'd), with the
 * exit work done and interrupts off.
 */
    .global ret_from_fork
    .type ret_from_fork, @function
ret_from_fork:
    movq %rax, %rdi
    movq %r12, %rsi
    movq %r13, %rdx
    leaq 8(%rsp), %rcx
    call x86_ret_from_fork
    addq $8, %rsp
    jmp x86_return_to_user
    .size ret_from_fork, . - ret_from_fork

/*
 * SYSCALL from 32-bit compatibility mode lands at MSR_CSTAR. Tern runs no 32-bit programs, but any
 * 64-bit program can far-jump into the 32-bit user code segment, so the entry must exist: it answers
 * -ENOSYS straight back, touching neither GS nor the stack (as Linux does without IA32 emulation).
 */
    .global entry_SYSCALL_compat_ignore
    .type entry_SYSCALL_compat_ignore, @function
entry_SYSCALL_compat_ignore:
    movl $-ENTRY_ENOSYS, %eax
    sysretl
    .size entry_SYSCALL_compat_ignore, . - entry_SYSCALL_compat_ignore
