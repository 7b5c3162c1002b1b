// I/O APIC programming (see ioapic.hpp).
#include <arch/arch.hpp>
#include <arch/x86_64/acpi/acpi.hpp>
#include <arch/x86_64/apic.hpp>
#include <arch/x86_64/ioapic.hpp>
#include <mm/vmalloc.hpp>
#include <arch/x86_64/ipi.hpp>
#include <arch/x86_64/irq_vectors.hpp>
#include <irq/irqchip.hpp>
#include <locking/spinlock.hpp>
#include <printk/printk.hpp>

namespace x86 {
namespace {

// Indirect register access: write the register number to IOREGSEL, then read/write IOWIN.
constexpr unsigned IOREGSEL = 0x00 / 4, IOWIN = 0x10 / 4;
constexpr uint32_t IOAPIC_ID = 0x00, IOAPIC_VERSION = 0x01, IOAPIC_REDTBL = 0x10;

// Redirection entry bits (low word; the destination APIC ID is bits 56-63).
constexpr uint64_t RTE_ACTIVE_LOW = 1u << 13;
constexpr uint64_t RTE_LEVEL = 1u << 15;
constexpr uint64_t RTE_MASKED = 1u << 16;

// The last IRQ with a vector below the system vectors.
constexpr unsigned kMaxRoutedIrqs = LOCAL_TIMER_VECTOR - FIRST_EXTERNAL_VECTOR;

struct IoApic {
    volatile uint32_t* regs;
    uint8_t id;
    uint32_t gsi_base;
    unsigned pins;
};
IoApic ioapics[8];
unsigned nr_ioapics = 0;

struct Route {
    int8_t ioapic = -1;  // -1: no pin carries this IRQ
    uint8_t pin = 0;
};
Route routes[kMaxRoutedIrqs];

SpinLock ioapic_lock;  // IOREGSEL/IOWIN pairs must not interleave

uint32_t io_read(const IoApic& a, uint32_t reg) {
    a.regs[IOREGSEL] = reg;
    return a.regs[IOWIN];
}
void io_write(const IoApic& a, uint32_t reg, uint32_t value) {
    a.regs[IOREGSEL] = reg;
    a.regs[IOWIN] = value;
}

uint64_t read_entry(const IoApic& a, unsigned pin) {
    return io_read(a, IOAPIC_REDTBL + 2 * pin) | uint64_t(io_read(a, IOAPIC_REDTBL + 2 * pin + 1)) << 32;
}
// Masked first, high word next, then the low word (which may unmask): no half-written entry is live.
void write_entry(const IoApic& a, unsigned pin, uint64_t entry) {
    io_write(a, IOAPIC_REDTBL + 2 * pin, RTE_MASKED);
    io_write(a, IOAPIC_REDTBL + 2 * pin + 1, uint32_t(entry >> 32));
    io_write(a, IOAPIC_REDTBL + 2 * pin, uint32_t(entry));
}

void set_masked(unsigned irq, bool masked) {
    if (irq >= kMaxRoutedIrqs || routes[irq].ioapic < 0) return;
    const IoApic& a = ioapics[routes[irq].ioapic];
    unsigned pin = routes[irq].pin;
    SpinLockIrqSaveGuard guard(ioapic_lock);
    uint32_t low = io_read(a, IOAPIC_REDTBL + 2 * pin);
    io_write(a, IOAPIC_REDTBL + 2 * pin, masked ? low | RTE_MASKED : low & ~uint32_t(RTE_MASKED));
}

const IrqChip ioapic_chip = {
    "IO-APIC",
    [](unsigned irq) { set_masked(irq, true); },
    [](unsigned irq) { set_masked(irq, false); },
    // The local APIC's EOI; for a level-triggered line it is broadcast to the I/O APIC, which clears
    // the pin's Remote IRR so the line can interrupt again.
    [](unsigned) { apic::eoi(); },
    [](unsigned irq) {
        apic::send_ipi_self(irq_to_vector(irq));
        return true;
    },
};

int ioapic_for_gsi(uint32_t gsi) {
    for (unsigned i = 0; i < nr_ioapics; i++)
        if (gsi >= ioapics[i].gsi_base && gsi < ioapics[i].gsi_base + ioapics[i].pins) return int(i);
    return -1;
}

// An ISA IRQ other than `isa_irq` is overridden onto `gsi` (then that GSI belongs to it).
bool gsi_claimed_by_other_isa_irq(uint32_t gsi, unsigned isa_irq) {
    const AcpiInfo& acpi = acpi_info();
    for (unsigned i = 0; i < acpi.override_count; i++)
        if (acpi.overrides[i].gsi == gsi && acpi.overrides[i].isa_irq != isa_irq) return true;
    return false;
}

uint16_t isa_override_flags(unsigned isa_irq) {
    const AcpiInfo& acpi = acpi_info();
    for (unsigned i = 0; i < acpi.override_count; i++)
        if (acpi.overrides[i].isa_irq == isa_irq) return acpi.overrides[i].flags;
    return 0;
}

// Polarity and trigger from MPS INTI flags; "conforms to the bus" means ISA (edge, high) for IRQs
// 0-15 and PCI (level, low) above.
uint64_t polarity_trigger_bits(unsigned irq, uint16_t flags) {
    bool isa = irq < 16;
    unsigned polarity = flags & 3, trigger = (flags >> 2) & 3;
    bool active_low = polarity == 3 || (polarity == 0 && !isa);
    bool level = trigger == 3 || (trigger == 0 && !isa);
    return (active_low ? RTE_ACTIVE_LOW : 0) | (level ? RTE_LEVEL : 0);
}

void route_irq(unsigned irq, uint32_t boot_apic_id) {
    uint32_t gsi = irq < 16 ? acpi_isa_irq_to_gsi(uint8_t(irq)) : irq;
    if (gsi_claimed_by_other_isa_irq(gsi, irq)) return;  // e.g. GSI 2 belongs to IRQ 0, not IRQ 2
    int index = ioapic_for_gsi(gsi);
    if (index < 0) return;
    unsigned pin = gsi - ioapics[index].gsi_base;
    uint64_t entry = irq_to_vector(irq) | polarity_trigger_bits(irq, irq < 16 ? isa_override_flags(irq) : 0) |
                     RTE_MASKED | uint64_t(boot_apic_id) << 56;
    {
        SpinLockIrqSaveGuard guard(ioapic_lock);
        write_entry(ioapics[index], pin, entry);
    }
    routes[irq] = Route{int8_t(index), uint8_t(pin)};
    irq_set_chip(irq, &ioapic_chip);
}

}  // namespace

void ioapic_init() {
    const AcpiInfo& acpi = acpi_info();
    for (unsigned i = 0; i < acpi.ioapic_count && nr_ioapics < sizeof ioapics / sizeof ioapics[0]; i++) {
        IoApic& a = ioapics[nr_ioapics];
        a.regs = static_cast<volatile uint32_t*>(ioremap(acpi.ioapics[i].address, 0x20));
        if (!a.regs) {
            pr_err("IOAPIC: cannot map the I/O APIC at 0x%x", acpi.ioapics[i].address);
            continue;
        }
        a.id = acpi.ioapics[i].id;
        a.gsi_base = acpi.ioapics[i].gsi_base;
        uint32_t version = io_read(a, IOAPIC_VERSION);
        a.pins = ((version >> 16) & 0xff) + 1;
        pr_info("IOAPIC[%u]: apic_id %u, version %u, address 0x%x, GSI %u-%u", nr_ioapics, a.id, version & 0xff,
                acpi.ioapics[i].address, a.gsi_base, a.gsi_base + a.pins - 1);
        SpinLockIrqSaveGuard guard(ioapic_lock);
        for (unsigned pin = 0; pin < a.pins; pin++) write_entry(a, pin, RTE_MASKED);
        nr_ioapics++;
    }
    if (!nr_ioapics) {
        pr_warn("IOAPIC: none found: device interrupts are unavailable");
        return;
    }
    uint32_t boot_apic_id = apic::id();
    for (unsigned irq = 0; irq < kMaxRoutedIrqs; irq++) route_irq(irq, boot_apic_id);
}

bool ioapic_read_route(unsigned irq, uint64_t& entry) {
    if (irq >= kMaxRoutedIrqs || routes[irq].ioapic < 0) return false;
    SpinLockIrqSaveGuard guard(ioapic_lock);
    entry = read_entry(ioapics[routes[irq].ioapic], routes[irq].pin);
    return true;
}

}  // namespace x86
