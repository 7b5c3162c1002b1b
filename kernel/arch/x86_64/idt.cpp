// The IDT (see idt.hpp). All gates are interrupt gates (IF cleared on entry), so handlers start with
// interrupts off and the entry code decides when, if ever, to turn them back on.
#include <arch/x86_64/gdt.hpp>
#include <arch/x86_64/idt.hpp>
#include <arch/x86_64/traps.hpp>

extern "C" const uint64_t x86_entry_stubs[256];

namespace x86 {
namespace {

struct [[gnu::packed]] IdtGate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
};
static_assert(sizeof(IdtGate) == 16);

constexpr uint8_t kInterruptGate = 0x8e;      // present, DPL 0, 64-bit interrupt gate
constexpr uint8_t kUserInterruptGate = 0xee;  // present, DPL 3: `int3`/`into` allowed from user mode

alignas(4096) IdtGate idt_table[256];

IdtGate make_gate(uint64_t handler, uint8_t type_attr, uint8_t ist) {
    return IdtGate{uint16_t(handler), KERNEL_CS, ist, type_attr, uint16_t(handler >> 16), uint32_t(handler >> 32), 0};
}

struct [[gnu::packed]] IdtPointer {
    uint16_t limit;
    uint64_t base;
};

}  // namespace

void idt_setup(bool with_ist) {
    for (unsigned v = 0; v < 256; v++) {
        uint8_t ist = !with_ist ? 0 : v == X86_TRAP_DF ? IST_DOUBLE_FAULT : v == X86_TRAP_NMI ? IST_NMI
                    : v == X86_TRAP_MC ? IST_MACHINE_CHECK : 0;
        uint8_t type = v == X86_TRAP_BP || v == X86_TRAP_OF ? kUserInterruptGate : kInterruptGate;
        idt_table[v] = make_gate(x86_entry_stubs[v], type, ist);
    }
}

void load_idt() {
    IdtPointer idtr{sizeof idt_table - 1, reinterpret_cast<uint64_t>(idt_table)};
    asm volatile("lidt %0" : : "m"(idtr));
}

}  // namespace x86
