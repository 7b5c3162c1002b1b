// The local APIC in xAPIC mode (memory-mapped registers; x2APIC is not used).
#include <arch/arch.hpp>
#include <arch/x86_64/acpi/acpi.hpp>
#include <arch/x86_64/apic.hpp>
#include <mm/vmalloc.hpp>
#include <arch/x86_64/cpufeature.hpp>
#include <arch/x86_64/io.hpp>
#include <arch/x86_64/ipi.hpp>
#include <arch/x86_64/irq_vectors.hpp>
#include <arch/x86_64/ptrace.hpp>
#include <lib/atomic.hpp>
#include <printk/panic.hpp>
#include <printk/printk.hpp>
#include <smp/percpu.hpp>

namespace x86::apic {
namespace {

volatile uint8_t* lapic_base = nullptr;

constexpr uint64_t APIC_BASE_ENABLE = 1ull << 11;
constexpr uint64_t APIC_BASE_X2APIC = 1ull << 10;
constexpr uint64_t APIC_BASE_ADDRESS_MASK = 0x000ffffffffff000ull;
constexpr uint32_t SVR_APIC_ENABLED = 1u << 8;

// ICR fields.
constexpr uint32_t ICR_DELIVERY_FIXED = 0u << 8;
constexpr uint32_t ICR_DELIVERY_NMI = 4u << 8;
constexpr uint32_t ICR_DELIVERY_INIT = 5u << 8;
constexpr uint32_t ICR_DELIVERY_STARTUP = 6u << 8;
constexpr uint32_t ICR_SEND_PENDING = 1u << 12;
constexpr uint32_t ICR_LEVEL_ASSERT = 1u << 14;
constexpr uint32_t ICR_TRIGGER_LEVEL = 1u << 15;
constexpr uint32_t ICR_DEST_SELF = 1u << 18;
constexpr uint32_t ICR_DEST_ALL_BUT_SELF = 3u << 18;

// LVT delivery modes.
constexpr uint32_t LVT_DELIVERY_NMI = 4u << 8;
constexpr uint32_t LVT_ACTIVE_LOW = 1u << 13;
constexpr uint32_t LVT_LEVEL_TRIGGERED = 1u << 15;

Atomic<uint64_t> error_interrupts{0};

// Waits until the previous IPI left the local APIC. Bounded: a wedged APIC must not hang panic().
void wait_icr_idle() {
    for (int i = 0; i < 1000000 && (read(ICR_LOW) & ICR_SEND_PENDING); i++) arch::cpu_relax();
}

void send_icr(uint32_t dest_apic_id, uint32_t low) {
    arch::IrqFlags flags = arch::irq_save();  // ICR_HIGH + ICR_LOW must not be split by an interrupt
    wait_icr_idle();
    write(ICR_HIGH, dest_apic_id << 24);
    write(ICR_LOW, low);
    arch::irq_restore(flags);
}

void error_interrupt(PtRegs*) {
    write(ESR, 0);  // latch the errors that happened since the last write
    uint32_t esr = read(ESR);
    if (error_interrupts.fetch_add(1, MemoryOrder::Relaxed) == 0)
        pr_err("APIC error on CPU%u: %02x", smp_processor_id(), esr);
}

// The MADT's LINT wiring for NMI (PCs: LINT1 on every CPU), as LVT flags.
void program_lint_pins() {
    const AcpiInfo& acpi = acpi_info();
    unsigned nmi_lint = 1;
    uint32_t nmi_flags = 0;
    // Entries for "all processors" (0xff) are what PC firmware provides; a per-processor entry would
    // need the processor UID, which Tern does not track, so the first entry is taken for every CPU.
    if (acpi.lapic_nmi_count) {
        nmi_lint = acpi.lapic_nmis[0].lint & 1;
        if ((acpi.lapic_nmis[0].flags & 3) == 3) nmi_flags |= LVT_ACTIVE_LOW;
        if (((acpi.lapic_nmis[0].flags >> 2) & 3) == 3) nmi_flags |= LVT_LEVEL_TRIGGERED;
    }
    // LINT0 would carry the 8259's ExtINT; the PICs are masked and the I/O APIC routes ISA IRQs.
    write(nmi_lint ? LVT_LINT0 : LVT_LINT1, LVT_MASKED);
    write(nmi_lint ? LVT_LINT1 : LVT_LINT0, LVT_DELIVERY_NMI | nmi_flags);
}

}  // namespace

uint32_t read(Reg reg) { return *reinterpret_cast<volatile uint32_t*>(lapic_base + reg); }
void write(Reg reg, uint32_t value) { *reinterpret_cast<volatile uint32_t*>(lapic_base + reg) = value; }
void eoi() { write(EOI, 0); }
uint32_t id() { return read(ID) >> 24; }
bool ready() { return lapic_base != nullptr; }

void init_boot_cpu(uint64_t phys) {
    if (!boot_cpu_features.apic) panic("CPU has no local APIC");
    uint64_t msr = rdmsr(MSR_APIC_BASE);
    if (!phys) phys = msr & APIC_BASE_ADDRESS_MASK;
    // Leaving x2APIC mode requires disabling the APIC first.
    if (msr & APIC_BASE_X2APIC) wrmsr(MSR_APIC_BASE, msr & ~(APIC_BASE_X2APIC | APIC_BASE_ENABLE));
    wrmsr(MSR_APIC_BASE, (phys & APIC_BASE_ADDRESS_MASK) | APIC_BASE_ENABLE | (msr & ~APIC_BASE_ADDRESS_MASK & ~APIC_BASE_X2APIC));
    lapic_base = static_cast<volatile uint8_t*>(ioremap(phys & APIC_BASE_ADDRESS_MASK, 0x1000));
    if (!lapic_base) panic("APIC: cannot map the local APIC at 0x%llx", (unsigned long long)phys);
    set_system_vector_handler(ERROR_APIC_VECTOR, error_interrupt);
    setup_local_apic();
    pr_info("APIC: local APIC id %u, version 0x%x, at 0x%llx", id(), read(VERSION) & 0xff, (unsigned long long)phys);
}

void setup_local_apic() {
    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
    write(TPR, 0);  // accept every interrupt priority class
    write(LVT_TIMER, LVT_MASKED);
    write(LVT_THERMAL, LVT_MASKED);
    write(LVT_PERF, LVT_MASKED);
    program_lint_pins();
    write(LVT_ERROR, ERROR_APIC_VECTOR);
    // Clear stale error state (the ESR needs a write before each read), then software-enable.
    write(ESR, 0);
    write(ESR, 0);
    write(SVR, SVR_APIC_ENABLED | SPURIOUS_APIC_VECTOR);
    // An interrupt acknowledged before we owned the APIC may still be in service.
    eoi();
}

void send_ipi(uint32_t apic_id, uint8_t vector) { send_icr(apic_id, ICR_DELIVERY_FIXED | vector); }
void send_ipi_self(uint8_t vector) { send_icr(0, ICR_DEST_SELF | ICR_DELIVERY_FIXED | vector); }
void send_ipi_allbutself(uint8_t vector) { send_icr(0, ICR_DEST_ALL_BUT_SELF | ICR_DELIVERY_FIXED | vector); }
void send_nmi(uint32_t apic_id) { send_icr(apic_id, ICR_DELIVERY_NMI); }
void send_nmi_allbutself() { send_icr(0, ICR_DEST_ALL_BUT_SELF | ICR_DELIVERY_NMI); }

void send_init(uint32_t apic_id) {
    send_icr(apic_id, ICR_DELIVERY_INIT | ICR_LEVEL_ASSERT | ICR_TRIGGER_LEVEL);
    wait_icr_idle();
    send_icr(apic_id, ICR_DELIVERY_INIT | ICR_TRIGGER_LEVEL);
    wait_icr_idle();
}

void send_startup(uint32_t apic_id, uint8_t start_page) {
    send_icr(apic_id, ICR_DELIVERY_STARTUP | start_page);
    wait_icr_idle();
}

}  // namespace x86::apic
