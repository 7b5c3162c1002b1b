// Interrupt vectors 32-255 (Linux's arch/x86/kernel/irq.c and idt.c's system vectors) and init_IRQ().
#include <arch/x86_64/acpi/acpi.hpp>
#include <arch/x86_64/apic.hpp>
#include <arch/x86_64/entry/entry_defs.hpp>
#include <arch/x86_64/ptrace.hpp>
#include <arch/x86_64/i8259.hpp>
#include <arch/x86_64/interrupts.hpp>
#include <arch/x86_64/ioapic.hpp>
#include <arch/x86_64/ipi.hpp>
#include <arch/x86_64/irq_vectors.hpp>
#include <init/subsystems.hpp>
#include <irq/irqchip.hpp>
#include <lib/atomic.hpp>
#include <printk/panic.hpp>
#include <printk/printk.hpp>
#include <smp/percpu.hpp>

namespace x86 {
namespace {

constexpr uint8_t kFirstSystemVector = LOCAL_TIMER_VECTOR;
SystemVectorHandler system_vectors[256 - kFirstSystemVector];
Atomic<uint64_t> spurious_count{0};
Atomic<uint64_t> unhandled_system_vectors{0};

void handle_system_vector(PtRegs* regs, uint8_t vector) {
    SystemVectorHandler handler = system_vectors[vector - kFirstSystemVector];
    if (handler)
        handler(regs);
    else if (unhandled_system_vectors.fetch_add(1, MemoryOrder::Relaxed) == 0)
        pr_warn("system vector 0x%02x arrived on CPU%u with no handler", vector, smp_processor_id());
    apic::eoi();
}

}  // namespace

void set_system_vector_handler(uint8_t vector, SystemVectorHandler handler) {
    BUG_ON(vector < kFirstSystemVector || vector == SPURIOUS_APIC_VECTOR);
    __atomic_store_n(&system_vectors[vector - kFirstSystemVector], handler, __ATOMIC_RELEASE);
}

void handle_device_interrupt(PtRegs* regs, uint8_t vector) {
    if (vector == SPURIOUS_APIC_VECTOR) {
        // Not a real interrupt: the APIC sets no in-service bit for it, so there must be no EOI.
        if (spurious_count.fetch_add(1, MemoryOrder::Relaxed) == 0)
            pr_info("spurious APIC interrupt through vector ff on CPU#%u, should never happen.", smp_processor_id());
        return;
    }
    irq_enter();
    // What this interrupt interrupted, for the tick's CPU-time accounting (a nested one: the kernel).
    uint64_t& from_user = this_cpu()->arch_scratch[PERCPU_SCRATCH_IRQ_FROM_USER_INDEX];
    uint64_t outer_from_user = from_user;
    from_user = user_mode(regs) ? 1 : 0;
    if (vector >= kFirstSystemVector) {
        handle_system_vector(regs, vector);
    } else {
        unsigned irq = vector - FIRST_EXTERNAL_VECTOR;
        if (irq_get_chip(irq)) {
            generic_handle_irq(irq);  // the chip sends the EOI
        } else {
            ack_bad_irq(vector);
            apic::eoi();
        }
    }
    from_user = outer_from_user;
    irq_exit();
}

}  // namespace x86

bool arch::irq_interrupted_user_mode() {
    return this_cpu()->arch_scratch[PERCPU_SCRATCH_IRQ_FROM_USER_INDEX] != 0;
}

namespace x86 {

uint64_t spurious_apic_interrupts() { return spurious_count.load(MemoryOrder::Relaxed); }

}  // namespace x86

void init_IRQ() {
    x86::legacy_pic_init();
    x86::apic::init_boot_cpu(acpi_info().lapic_address);
    x86::ioapic_init();
    pr_info("NR_IRQS: %u, vectors %#x-%#x for device IRQs", kNrIrqs, x86::FIRST_EXTERNAL_VECTOR,
            x86::LOCAL_TIMER_VECTOR - 1);
}
