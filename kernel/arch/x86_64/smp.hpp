#pragma once
// x86 multiprocessor bookkeeping: which local APIC each CPU id is (Linux's x86_cpu_to_apicid).
#include <stdint.h>

namespace x86 {

constexpr uint32_t kInvalidApicId = 0xffffffff;

// The APIC ID of CPU `cpu`, kInvalidApicId for a CPU id that is not possible.
uint32_t cpu_apic_id(unsigned cpu);

// Installs the handlers of the IPI vectors (reschedule, call function); smp_prepare_cpus() calls it.
void smp_install_ipi_handlers();

}  // namespace x86
