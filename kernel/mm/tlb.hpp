#pragma once
// TLB shootdown for user address spaces: after entries of a page table were changed or removed, every
// CPU that may have cached them (those in mm->cpu_mask: running a thread of the address space, or a
// kernel thread borrowing it) drops them before the change is relied on (a page freed, a write
// forbidden). This is the one place that knows how: locally, and on other CPUs through a cross-CPU
// function call (smp/smp.hpp's smp_call_function, once SMP is in).
#include <stdint.h>

struct MmStruct;

// Flushes [start, end) of `mm` on every CPU that has it loaded; returns when all have done it.
// May be called with the mmap lock held and interrupts enabled.
void flush_tlb_mm_range(MmStruct* mm, uint64_t start, uint64_t end);
void flush_tlb_mm(MmStruct* mm);
inline void flush_tlb_page(MmStruct* mm, uint64_t addr) { flush_tlb_mm_range(mm, addr, addr + 4096); }

// How many shootdowns needed other CPUs (a counter for tests and /proc/interrupts' TLB line).
uint64_t nr_tlb_remote_flushes();
