#pragma once
// x86 multiprocessor bookkeeping: which local APIC each CPU id is (Linux's x86_cpu_to_apicid).
#include <stddef.h>
#include <stdint.h>

namespace x86 {

constexpr uint32_t kInvalidApicId = 0xffffffff;

// The APIC ID of CPU `cpu`, kInvalidApicId for a CPU id that is not possible.
uint32_t cpu_apic_id(unsigned cpu);

// After this CPU unmapped kernel virtual memory [start, start + size) and flushed its own TLB: makes
// every other online CPU drop its translations too, and returns once they have (smp_tlb.cpp). May be
// called with interrupts off.
void flush_tlb_kernel_range_others(uintptr_t start, size_t size);

// Installs the handlers of the IPI vectors (reschedule, call function); smp_prepare_cpus() calls it.
void smp_install_ipi_handlers();

}  // namespace x86
