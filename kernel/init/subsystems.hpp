#pragma once
// The set-up functions start_kernel() calls, in Linux's order and by Linux's names.
void mm_core_init();  // mm/: buddy allocator from the memory map, slab caches, kernel page tables
void sched_init();    // sched/: runqueues, the boot flow of control becomes the idle task
void trap_init();     // arch/: GDT/TSS, IDT with every exception
void init_IRQ();      // arch/ + irq/: ACPI MADT, I/O APIC, LAPIC, IRQ descriptors
void time_init();     // time/: clock sources, timekeeping, clock event devices, the periodic tick
void smp_init();      // arch/: bring up the other CPUs (maxcpus=)
