// The descriptor table and per-IRQ statistics.
#include <irq/irqdesc.hpp>
#include <printk/printk.hpp>

namespace {
constinit IrqDesc irq_descs[kNrIrqs];
Atomic<uint64_t> bad_irq_count{0};
}  // namespace

IrqDesc* irq_to_desc(unsigned irq) { return irq < kNrIrqs ? &irq_descs[irq] : nullptr; }

void irq_set_chip(unsigned irq, const IrqChip* chip) {
    IrqDesc* desc = irq_to_desc(irq);
    if (!desc) return;
    SpinLockIrqSaveGuard guard(desc->lock);
    if (desc->actions) {
        pr_err("irq %u: cannot change the chip while a handler is installed", irq);
        return;
    }
    desc->chip = chip;
    desc->depth = 1;
    desc->pending = false;
    desc->spurious_disabled = false;
}

const IrqChip* irq_get_chip(unsigned irq) {
    IrqDesc* desc = irq_to_desc(irq);
    return desc ? desc->chip : nullptr;
}

uint64_t kstat_irqs(unsigned irq) {
    IrqDesc* desc = irq_to_desc(irq);
    return desc ? desc->count.load(MemoryOrder::Relaxed) : 0;
}

uint64_t kstat_irqs_unhandled(unsigned irq) {
    IrqDesc* desc = irq_to_desc(irq);
    return desc ? desc->unhandled.load(MemoryOrder::Relaxed) : 0;
}

void ack_bad_irq(unsigned irq) {
    // Once only: a stuck line would otherwise flood the console from interrupt context.
    if (bad_irq_count.fetch_add(1, MemoryOrder::Relaxed) == 0) pr_crit("unexpected IRQ trap at vector %02x", irq);
}

uint64_t irq_err_count() { return bad_irq_count.load(MemoryOrder::Relaxed); }
