/*
 * Interrupt and exception entry: one small stub per vector, a common path that saves a PtRegs
 * (ptrace.hpp) and calls C++, and the return path (iretq).
 *
 * Every stub makes the stack look the same: the CPU has pushed ss, rsp, rflags, cs, rip (and, for some
 * exceptions, an error code); the stub pushes -1 where there is no error code, so that slot always
 * becomes PtRegs::orig_rax, then the vector number, which the common code swaps with %rdi: the vector
 * slot becomes PtRegs::rdi.
 *
 * GS: in the kernel the GS base points at this CPU's PerCpu; in user mode it is the user's. swapgs
 * exchanges it with MSR_KERNEL_GS_BASE, so it must run exactly once on entry from user mode and once on
 * the way back. The ordinary entry decides by the saved CS (CPL 3 = from user). NMI, #DF and #MC may
 * arrive anywhere, even between an entry and its swapgs, so their "paranoid" entry instead reads the GS
 * base itself: a kernel address (negative) means GS is already the kernel's. (User space cannot make
 * its GS base negative: arch_prctl refuses kernel addresses and CR4.FSGSBASE stays off.)
 *
 * Returns to user mode also leave through x86_iret_to_user from the system-call exit path
 * (entry/entry_64.S), which shares the exit work (entry/syscall_64.cpp: exit_to_user_mode).
 */
#include <arch/x86_64/entry/entry_defs.hpp>
#include <arch/x86_64/ptrace.hpp>
#include <arch/x86_64/entry/ptregs_asm.inc>

#define MSR_GS_BASE 0xc0000101

.macro SAVE_REGS_AFTER_RDI
    pushq %rsi
    pushq %rdx
    pushq %rcx
    pushq %rax
    PUSH_REGS_FROM_R8
.endm

.macro CALL_HANDLER handler
    movzbl %dil, %esi
    movq %rsp, %rdi
    movq %rsp, %r12
    pushq PTREGS_RIP(%r12)
    incq (%rsp)
    pushq PTREGS_RBP(%r12)
    movq %rsp, %rbp
    andq $-16, %rsp
    call \handler
    movq %r12, %rsp
.endm

/* Vectors for which the CPU pushes an error code: #DF #TS #NP #SS #GP #PF #AC #CP #VC #SX. */
#define HAS_ERROR_CODE(v) ((v) == 8 || (v) == 10 || (v) == 11 || (v) == 12 || (v) == 13 || (v) == 14 || \
                           (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)
/* NMI, #DF and #MC run on IST stacks and take the paranoid path. */
#define IS_PARANOID(v) ((v) == 2 || (v) == 8 || (v) == 18)

    .pushsection .rodata
    .balign 8
    .global x86_entry_stubs
x86_entry_stubs:                    /* uint64_t x86_entry_stubs[256]: each vector's stub */
    .popsection

    .text
    .balign 16
irq_entries_start:
    vector = 0
    .rept 256
    .balign 8
1:
    .if !HAS_ERROR_CODE(vector)
    pushq $-1
    .endif
    pushq $vector
    .if IS_PARANOID(vector)
    jmp paranoid_entry
    .else
    jmp common_entry
    .endif
    .pushsection .rodata
    .quad 1b
    .popsection
    vector = vector + 1
    .endr
    .type irq_entries_start, @function
    .size irq_entries_start, . - irq_entries_start

/* At entry: (%rsp) vector, 8 orig_rax, 16 rip, 24 cs. */
common_entry:
    cld
    ASM_CLAC
    testb $3, 24(%rsp)
    jnz 1f
    /* From kernel mode, except a fault of the iretq back to user mode: that one still has the user's GS. */
    cmpq $x86_iret_to_user, 16(%rsp)
    jne 2f
1:  swapgs
2:  xchgq %rdi, (%rsp)
    SAVE_REGS_AFTER_RDI
    CALL_HANDLER x86_handle_entry
    RESTORE_REGS_AND_DROP_ORIG_RAX
    /* (%rsp) rip, 8 cs */
    testb $3, 8(%rsp)
    jz 3f
    swapgs
    .global x86_iret_to_user
x86_iret_to_user:
    iretq
3:  iretq
    .type common_entry, @function
    .size common_entry, . - common_entry

paranoid_entry:
    cld
    ASM_CLAC
    xchgq %rdi, (%rsp)
    SAVE_REGS_AFTER_RDI
    /* %ebx = 1 if we swapped GS and must swap back. */
    xorl %ebx, %ebx
    movl $MSR_GS_BASE, %ecx
    rdmsr
    testl %edx, %edx
    js 1f
    swapgs
    movl $1, %ebx
1:  CALL_HANDLER x86_handle_paranoid_entry
    testl %ebx, %ebx
    jz 2f
    swapgs
2:  RESTORE_REGS_AND_DROP_ORIG_RAX
    iretq
    .type paranoid_entry, @function
    .size paranoid_entry, . - paranoid_entry
