#pragma once
// Local APIC set-up and inter-processor interrupts (owned by the interrupt code; apic.hpp has the
// register access the timer code shares).
#include <stdint.h>

namespace x86::apic {

// Maps the local APIC registers at `phys` (from the MADT) and enables the APIC on the boot CPU.
void init_boot_cpu(uint64_t phys);
// Per-CPU set-up: software-enable through SVR (spurious vector 0xff), TPR 0, the error vector, LINT
// pins (NMI where the MADT says), all other LVT entries masked. The SMP bring-up calls it on each CPU.
void setup_local_apic();
// True once the boot CPU's APIC is mapped and enabled (IPIs can be sent).
bool ready();

void send_ipi(uint32_t apic_id, uint8_t vector);
void send_ipi_self(uint8_t vector);
void send_ipi_allbutself(uint8_t vector);
void send_nmi(uint32_t apic_id);
void send_nmi_allbutself();
// The SMP start-up sequence: INIT (assert, then de-assert), then STARTUP with the 4 KiB page number
// of the real-mode trampoline (the CPU starts at start_page << 12).
void send_init(uint32_t apic_id);
void send_startup(uint32_t apic_id, uint8_t start_page);

}  // namespace x86::apic
