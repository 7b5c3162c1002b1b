/*
 * Where a secondary CPU starts (see trampoline.hpp for the memory layout).
 *
 * The STARTUP IPI leaves the CPU in 16-bit real mode at TRAMPOLINE_PHYS with CS = TRAMPOLINE_PHYS >> 4,
 * IP = 0, interrupts off and paging off. The image below is assembled for that address (smpboot.cpp
 * copies it there), goes to 32-bit protected mode, then to long mode with the trampoline's page tables
 * (identity map + the kernel's higher half), and jumps to secondary_startup_64 in the kernel image, which
 * switches to the kernel's own page tables and calls start_secondary(cpu).
 *
 * The boot CPU fills the parameter block before each STARTUP IPI and starts one CPU at a time, so one
 * block serves all. A CPU whose initial APIC ID (CPUID leaf 1) is not the one the block names parks
 * right away: a CPU that answers a STARTUP IPI too late must not run on another CPU's stack.
 */
#include <arch/x86_64/trampoline.hpp>

#define TR_OFFSET(x) ((x) - trampoline_start)
#define TR_PHYS(x)   (TRAMPOLINE_PHYS + TR_OFFSET(x))
#define PARAM(field) (TR_PHYS(trampoline_params) + (field))

#define MSR_EFER      0xC0000080
#define MSR_GS_BASE   0xC0000101
#define CR0_PE        0x00000001
#define CR0_ET        0x00000010
#define CR0_PG        0x80000000

#define TR_CODE32 0x08
#define TR_CODE64 0x10
#define TR_DATA   0x18

    .section .rodata.trampoline, "a"
    .balign 64
    .global trampoline_start
    .code16
trampoline_start:
    cli
    cld
    mov %cs, %ax
    mov %ax, %ds

    /* Only the CPU the parameters are for goes on. */
    mov $1, %eax
    cpuid
    shr $24, %ebx
    cmpl TR_OFFSET(trampoline_params) + TR_PARAM_APIC_ID, %ebx
    jne park16

    lgdtl TR_OFFSET(tr_gdt_descriptor)
    mov %cr0, %eax
    or $CR0_PE, %eax
    mov %eax, %cr0
    ljmpl $TR_CODE32, $TR_PHYS(tr_start32)

park16:
    cli
    hlt
    jmp park16

    .code32
tr_start32:
    mov $TR_DATA, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    xor %eax, %eax
    mov %eax, %fs
    mov %eax, %gs

    mov PARAM(TR_PARAM_CR4), %eax
    mov %eax, %cr4
    mov $(TRAMPOLINE_PHYS + TRAMPOLINE_PML4_OFFSET), %eax
    mov %eax, %cr3
    mov $MSR_EFER, %ecx
    mov PARAM(TR_PARAM_EFER), %eax
    xor %edx, %edx
    wrmsr
    /* A known CR0 rather than whatever INIT left (caches disabled: CD and NW are set after reset). */
    mov $(CR0_PG | CR0_ET | CR0_PE), %eax
    mov %eax, %cr0
    ljmp $TR_CODE64, $TR_PHYS(tr_start64)

    .code64
tr_start64:
    /* Still on the identity map: take everything from the block, then leave for the higher half. */
    mov PARAM(TR_PARAM_STACK_TOP), %rsp
    mov PARAM(TR_PARAM_CPU), %edi
    mov PARAM(TR_PARAM_CR3), %rsi
    mov PARAM(TR_PARAM_GS_BASE), %rdx
    mov PARAM(TR_PARAM_ENTRY), %rax
    jmp *%rax

    .balign 8
tr_gdt:
    .quad 0
    .quad 0x00cf9a000000ffff        /* 0x08: 32-bit code */
    .quad 0x00af9a000000ffff        /* 0x10: 64-bit code */
    .quad 0x00cf92000000ffff        /* 0x18: data */
tr_gdt_end:
tr_gdt_descriptor:
    .word tr_gdt_end - tr_gdt - 1
    .long TR_PHYS(tr_gdt)

    .balign 8
    .global trampoline_params
trampoline_params:
    .skip TR_PARAM_SIZE
    .global trampoline_end
trampoline_end:

    .section .text
/*
 * In: RDI = CPU id, RSI = the kernel's CR3, RDX = its PerCpu, RSP = its stack, running on the
 * trampoline's page tables in the higher half.
 */
    .global secondary_startup_64
    .type secondary_startup_64, @function
secondary_startup_64:
    .cfi_startproc
    .cfi_undefined rip              /* the outermost frame of this CPU */
    mov %rsi, %cr3
    mov %rdx, %rax
    shr $32, %rdx
    mov $MSR_GS_BASE, %ecx
    wrmsr
    xor %ebp, %ebp
    call start_secondary
1:  cli
    hlt
    jmp 1b
    .cfi_endproc
    .size secondary_startup_64, . - secondary_startup_64
