#pragma once
// Constants shared by the system-call entry code (entry_64.S) and its C++ side. The C++ side checks
// each against its real definition (syscall_64.cpp), so the assembly cannot silently drift.

// PerCpu::arch_scratch words (smp/percpu.hpp), as %gs-relative offsets.
//   USER_RSP: the user stack pointer, parked for the few instructions between SYSCALL and the push of
//             the register frame (SYSCALL does not switch stacks).
//   KERNEL_STACK: the top of the running task's kernel stack (its thread.sp0), set by switch_to().
#define PERCPU_USER_RSP 48
#define PERCPU_KERNEL_STACK 56
#define PERCPU_SCRATCH_USER_RSP_INDEX 0
#define PERCPU_SCRATCH_KERNEL_STACK_INDEX 1
// (Slot 2, C++ only: the CR3 to put back after a self-test's bare page table, user_thread.cpp.)
#define PERCPU_SCRATCH_CR3_BEFORE_TEST_INDEX 2
// (Slot 3, C++ only: 1 while handling an interrupt that came from user mode, irq.cpp.)
#define PERCPU_SCRATCH_IRQ_FROM_USER_INDEX 3

// Selectors (gdt.hpp) and the one errno the assembly needs.
#define ENTRY_USER_CS 0x33
#define ENTRY_USER_DS 0x2b
#define ENTRY_ENOSYS 38

#ifdef __ASSEMBLER__
/*
 * Exception and interrupt entries drop SMAP's "user access allowed" flag (RFLAGS.AC), which the CPU
 * leaves as it was: a fault inside a uaccess window (stac ... clac) must not run its handler, or whatever
 * that handler schedules, with user memory open. iretq restores the interrupted code's AC. clac exists
 * only on CPUs with SMAP (x86_smap_active, uaccess.cpp).
 */
.macro ASM_CLAC
    cmpb $0, x86_smap_active(%rip)
    je 9f
    clac
9:
.endm
#endif
