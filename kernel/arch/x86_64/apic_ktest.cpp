// Interrupt delivery end to end: self-IPIs through the local APIC, into the entry code, to a system
// vector handler or through the IRQ layer to a requested handler. And what ACPI/I/O APIC set up.
#include <arch/x86_64/acpi/acpi.hpp>
#include <arch/x86_64/apic.hpp>
#include <arch/x86_64/ioapic.hpp>
#include <arch/x86_64/ipi.hpp>
#include <arch/x86_64/irq_vectors.hpp>
#include <irq/irqchip.hpp>
#include <kunit/ktest.hpp>
#include <sched/preempt.hpp>

namespace {

// A system vector no subsystem uses.
constexpr uint8_t kTestVector = 0xf0;
// An IRQ no pin carries (vector 0xe8): the test attaches its own chip.
constexpr unsigned kTestIrq = 200;

volatile unsigned hits;
volatile unsigned seen_nesting;
volatile bool seen_in_atomic;

void wait_for_hits(unsigned expected) {
    for (int i = 0; i < 1000000 && hits < expected; i++) arch::cpu_relax();
}

void test_vector_handler(x86::PtRegs*) {
    hits = hits + 1;
    seen_nesting = this_cpu()->irq_nesting;
    seen_in_atomic = in_atomic();
}

IrqReturn test_irq_handler(unsigned irq, void* dev_id) {
    if (irq == kTestIrq && dev_id == &hits) {
        hits = hits + 1;
        seen_nesting = this_cpu()->irq_nesting;
        return IrqReturn::Handled;
    }
    return IrqReturn::None;
}

// A self-IPI cannot be masked at a controller; the test chip only needs the EOI.
const IrqChip self_ipi_chip = {
    "self-IPI", [](unsigned) {}, [](unsigned) {}, [](unsigned) { x86::apic::eoi(); }, nullptr,
};

}  // namespace

KTEST(apic, self_ipi_runs_system_vector_handler) {
    KASSERT_TRUE(arch::irqs_enabled());
    hits = 0;
    x86::set_system_vector_handler(kTestVector, test_vector_handler);
    x86::apic::send_ipi_self(kTestVector);
    wait_for_hits(1);
    x86::apic::send_ipi_self(kTestVector);
    wait_for_hits(2);
    x86::set_system_vector_handler(kTestVector, nullptr);
    KEXPECT_EQ(hits, 2);
    KEXPECT_EQ(seen_nesting, 1);
    KEXPECT_TRUE(seen_in_atomic);
    KEXPECT_EQ(this_cpu()->irq_nesting, 0);
}

KTEST(apic, self_ipi_reaches_requested_irq_handler) {
    KASSERT_TRUE(arch::irqs_enabled());
    irq_set_chip(kTestIrq, &self_ipi_chip);
    hits = 0;
    uint64_t before = kstat_irqs(kTestIrq);
    KASSERT_TRUE(!request_irq(kTestIrq, test_irq_handler, 0, "ktest", const_cast<unsigned*>(&hits)).is_error());
    x86::apic::send_ipi_self(x86::irq_to_vector(kTestIrq));
    wait_for_hits(1);
    KEXPECT_EQ(hits, 1);
    KEXPECT_EQ(seen_nesting, 1);
    KEXPECT_EQ(kstat_irqs(kTestIrq), before + 1);

    // Disabled: the interrupt is latched, and replayed by enable_irq (retrigger absent: not replayed).
    disable_irq(kTestIrq);
    x86::apic::send_ipi_self(x86::irq_to_vector(kTestIrq));
    wait_for_hits(2);
    KEXPECT_EQ(hits, 1);
    enable_irq(kTestIrq);

    free_irq(kTestIrq, const_cast<unsigned*>(&hits));
    irq_set_chip(kTestIrq, nullptr);
}

KTEST(apic, boot_cpu_id_is_in_madt) {
    const AcpiInfo& acpi = acpi_info();
    KASSERT_TRUE(acpi.cpu_count >= 1);
    KEXPECT_EQ(x86::apic::id(), acpi.cpu_apic_ids[0]);
    // Software-enabled with the spurious vector.
    KEXPECT_EQ(x86::apic::read(x86::apic::SVR) & 0x1ff, 0x100 | x86::SPURIOUS_APIC_VECTOR);
}

KTEST(acpi, madt_has_cpu_and_ioapic) {
    const AcpiInfo& acpi = acpi_info();
    KEXPECT_TRUE(acpi.present);
    KEXPECT_TRUE(acpi.cpu_count >= 1);
    KEXPECT_TRUE(acpi.ioapic_count >= 1);
    KEXPECT_EQ(acpi.lapic_address, 0xfee00000);
    KEXPECT_EQ(acpi_isa_irq_to_gsi(0), 2);  // every PC chipset QEMU models wires the PIT to GSI 2
}

KTEST(acpi, fadt_and_dsdt_parsed) {
    const AcpiInfo& acpi = acpi_info();
    KEXPECT_TRUE(acpi.pm_timer_port != 0);
    KEXPECT_TRUE(acpi.pm1a_control_port != 0);
    KEXPECT_TRUE(acpi.sci_irq != 0);
    KEXPECT_TRUE(acpi.has_s5);
    KEXPECT_TRUE(acpi.century_register != 0);
}

KTEST(ioapic, isa_irqs_routed_with_override) {
    uint64_t entry = 0;
    // IRQ 0 reaches the pin for GSI 2, on vector 0x20, to the boot CPU.
    KASSERT_TRUE(x86::ioapic_read_route(0, entry));
    KEXPECT_EQ(entry & 0xff, x86::irq_to_vector(0));
    KEXPECT_EQ(entry >> 56, x86::apic::id());
    KEXPECT_EQ(entry & (1u << 15), 0);  // edge
    // GSI 2 belongs to IRQ 0: IRQ 2 has no pin of its own.
    KEXPECT_FALSE(x86::ioapic_read_route(2, entry));
    // The serial port's IRQ 4 is ISA edge/high and masked until requested.
    KASSERT_TRUE(x86::ioapic_read_route(4, entry));
    KEXPECT_EQ(entry & ((1u << 13) | (1u << 15)), 0);
    KEXPECT_TRUE(irq_get_chip(4) != nullptr);
}
