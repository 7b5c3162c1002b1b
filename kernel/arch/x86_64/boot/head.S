/*
 * First instructions of Tern. QEMU's Multiboot 1 loader (the a.out kludge, flags bit 16) copies the
 * image to physical 1 MiB and jumps to _start32 in 32-bit protected mode, paging off, with
 * EAX = 0x2BADB002 and EBX = physical address of the multiboot info.
 *
 * The kernel is linked in the top 2 GiB (KERNEL_VMA) for -mcmodel=kernel, so until paging is on every
 * symbol is used through V2P(). We build a throw-away set of page tables that map the first GiB three
 * times: identity (so the next instruction after enabling paging still exists), the direct map at
 * PAGE_OFFSET (like Linux's 0xffff888000000000), and the kernel image at KERNEL_VMA. mm/ replaces them
 * with Tern's own 4 KiB-granular tables (NX, write protection) once the physical allocator is up.
 */
    .cfi_sections .debug_frame      /* unwind info for debuggers; .eh_frame is discarded */

#define KERNEL_VMA   0xffffffff80000000
#define V2P(x)       ((x) - KERNEL_VMA)
#define MB_MAGIC     0x1BADB002
#define MB_FLAGS     0x00010003   /* page-align modules, memory map, a.out address fields */

#define PML4_DIRECT_MAP_SLOT 273  /* 0xffff888000000000 >> 39 & 511 */

    .section .multiboot, "a"
    .balign 4
multiboot_header:
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)
    .long V2P(multiboot_header)    /* header_addr */
    .long V2P(_kernel_start)       /* load_addr */
    .long V2P(_edata)              /* load_end_addr */
    .long V2P(_end)                /* bss_end_addr */
    .long V2P(_start32)            /* entry_addr */

    .section .boot.text, "ax"
    .code32
    .global _start32
_start32:
    cli
    cld
    mov %eax, %edi                  /* multiboot magic -> first C++ argument */
    mov %ebx, %esi                  /* multiboot info  -> second */

    /* The boot-time benchmark starts here: remember the TSC of our first instruction. */
    rdtsc
    mov %eax, V2P(boot_tsc_at_entry)
    mov %edx, V2P(boot_tsc_at_entry) + 4

    mov $V2P(boot_stack_top), %esp

    /* PML4: identity, direct map and kernel image. */
    mov $V2P(boot_pdpt_low) + 3, %eax
    mov %eax, V2P(boot_pml4)
    mov %eax, V2P(boot_pml4) + PML4_DIRECT_MAP_SLOT * 8
    mov $V2P(boot_pdpt_high) + 3, %eax
    mov %eax, V2P(boot_pml4) + 511 * 8

    /* pdpt_low[0..3] -> four page directories: the first 4 GiB (RAM below, MMIO near the top). */
    mov $V2P(boot_pd) + 3, %eax
    mov $V2P(boot_pdpt_low), %ebx
    mov $4, %ecx
1:  mov %eax, (%ebx)
    add $4096, %eax
    add $8, %ebx
    loop 1b
    mov $V2P(boot_pd) + 3, %eax
    mov %eax, V2P(boot_pdpt_high) + 510 * 8

    /* 2048 x 2 MiB large pages: present | writable | PS; the last GiB (APIC, HPET, PCI holes) also
     * uncached (PCD | PWT). */
    mov $V2P(boot_pd), %ebx
    mov $0x83, %eax
    xor %edx, %edx
    mov $2048, %ecx
1:  cmp $1536, %edx
    jne 2f
    or $0x18, %eax
2:  mov %eax, (%ebx)
    movl $0, 4(%ebx)
    add $0x200000, %eax
    add $8, %ebx
    inc %edx
    loop 1b

    mov %cr4, %eax
    or $0x20, %eax                  /* PAE */
    mov %eax, %cr4
    mov $V2P(boot_pml4), %eax
    mov %eax, %cr3
    mov $0xC0000080, %ecx           /* EFER */
    rdmsr
    or $0x100, %eax                 /* LME */
    wrmsr
    mov %cr0, %eax
    or $0x80000001, %eax            /* PG | PE */
    mov %eax, %cr0

    lgdt V2P(boot_gdt_descriptor)
    ljmp $0x10, $V2P(start64_low)

    .code64
start64_low:
    movabs $start64_high, %rax
    jmp *%rax

    .section .text
start64_high:
    .cfi_startproc
    .cfi_undefined rip              /* the outermost frame: debuggers stop unwinding here */
    mov $0x18, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    xor %eax, %eax
    mov %eax, %fs
    mov %eax, %gs
    movabs $boot_stack_top, %rsp
    xor %ebp, %ebp                  /* terminates frame-pointer backtraces */
    mov %edi, %edi                  /* upper halves are undefined after the mode switch */
    mov %esi, %esi
    call x86_64_start_kernel
2:  cli
    hlt
    jmp 2b
    .cfi_endproc

    .section .rodata
    .balign 16
boot_gdt:
    .quad 0
    .quad 0x00cf9a000000ffff        /* 0x08: 32-bit kernel code */
    .quad 0x00af9a000000ffff        /* 0x10: 64-bit kernel code (Linux's __KERNEL_CS) */
    .quad 0x00cf92000000ffff        /* 0x18: kernel data (__KERNEL_DS) */
boot_gdt_end:
boot_gdt_descriptor:
    .word boot_gdt_end - boot_gdt - 1
    .long V2P(boot_gdt)

    .section .data
    .balign 8
    .global boot_tsc_at_entry
boot_tsc_at_entry:
    .quad 0

    .section .bss
    .balign 4096
    .global boot_pml4
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4096 * 4
    .global boot_stack_bottom, boot_stack_top
boot_stack_bottom:
    .skip 16384
boot_stack_top:
