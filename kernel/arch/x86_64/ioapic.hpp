#pragma once
// The I/O APIC(s): route global system interrupts (GSIs) to vectors on the boot CPU, and act as the
// IrqChip of every IRQ they carry.
//
// IRQ numbering (irq.hpp): ISA IRQs 0-15 keep their numbers and reach the GSI the MADT's overrides
// name (PCs: IRQ 0 -> GSI 2); every other IRQ number is its GSI. Vector = irq_to_vector(irq).
#include <stdint.h>

namespace x86 {

// Programs every pin from the MADT: vector, destination = the boot CPU, polarity and trigger (from the
// override, else ISA edge/high for IRQs 0-15 and PCI level/low above), all masked; attaches the chip.
void ioapic_init();

// The redirection entry behind `irq` (for tests and diagnostics). False if no pin carries it.
bool ioapic_read_route(unsigned irq, uint64_t& entry);

}  // namespace x86
