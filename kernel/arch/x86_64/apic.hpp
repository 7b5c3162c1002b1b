#pragma once
// Local APIC access (xAPIC MMIO at the address from the APIC base MSR / MADT). Contract shared by the
// interrupt code (which owns it) and the LAPIC timer clock event device (time).
#include <stdint.h>

namespace x86::apic {

enum Reg : uint32_t {
    ID = 0x20, VERSION = 0x30, TPR = 0x80, EOI = 0xb0, LDR = 0xd0, SVR = 0xf0, ESR = 0x280,
    ICR_LOW = 0x300, ICR_HIGH = 0x310, LVT_TIMER = 0x320, LVT_THERMAL = 0x330, LVT_PERF = 0x340,
    LVT_LINT0 = 0x350, LVT_LINT1 = 0x360, LVT_ERROR = 0x370,
    TIMER_INITIAL_COUNT = 0x380, TIMER_CURRENT_COUNT = 0x390, TIMER_DIVIDE = 0x3e0,
};
constexpr uint32_t LVT_MASKED = 1u << 16;
constexpr uint32_t LVT_TIMER_PERIODIC = 1u << 17;
constexpr uint32_t LVT_TIMER_TSC_DEADLINE = 2u << 17;

uint32_t read(Reg reg);
void write(Reg reg, uint32_t value);
void eoi();
uint32_t id();  // this CPU's APIC ID

}  // namespace x86::apic
