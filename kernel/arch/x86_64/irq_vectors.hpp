#pragma once
// x86 interrupt vector assignment (Linux's numbers where Linux has them).
//   0-31     CPU exceptions
//   32-47    legacy ISA IRQs 0-15 after remapping (the 8259 PICs are masked; I/O APIC uses the same)
//   48-235   I/O APIC routed IRQs (vector = 32 + irq)
//   0xec-0xff system vectors, one handler each, no irq descriptor
#include <stdint.h>

namespace x86 {

constexpr uint8_t FIRST_EXTERNAL_VECTOR = 0x20;
constexpr uint8_t LOCAL_TIMER_VECTOR = 0xec;
constexpr uint8_t CALL_FUNCTION_SINGLE_VECTOR = 0xfb;
constexpr uint8_t CALL_FUNCTION_VECTOR = 0xfc;
constexpr uint8_t RESCHEDULE_VECTOR = 0xfd;
constexpr uint8_t ERROR_APIC_VECTOR = 0xfe;
constexpr uint8_t SPURIOUS_APIC_VECTOR = 0xff;

constexpr uint8_t irq_to_vector(unsigned irq) { return uint8_t(FIRST_EXTERNAL_VECTOR + irq); }

struct PtRegs;
// A handler for one of the system vectors above (the LAPIC timer, IPIs). It must not send EOI; the
// entry code does after it returns.
using SystemVectorHandler = void (*)(PtRegs* regs);
void set_system_vector_handler(uint8_t vector, SystemVectorHandler handler);

}  // namespace x86
