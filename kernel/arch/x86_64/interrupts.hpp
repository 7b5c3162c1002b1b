#pragma once
// Hardware interrupt dispatch (vectors 32-255), called by the entry code.
#include <arch/x86_64/ptrace.hpp>
#include <stdint.h>

namespace x86 {

// Device IRQs (vector 32 + irq, through the IRQ layer and its chip) and system vectors (their handler,
// then EOI); brackets each with irq_enter()/irq_exit().
void handle_device_interrupt(PtRegs* regs, uint8_t vector);

// Counts of the interrupts that arrived through the spurious vector (no EOI is sent for them).
uint64_t spurious_apic_interrupts();

}  // namespace x86
