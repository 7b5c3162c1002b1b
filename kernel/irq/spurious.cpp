// The spurious-interrupt detector (Linux's kernel/irq/spurious.c, without irqpoll): a line that keeps
// firing while no handler claims it (a stuck level-triggered line, a misrouted interrupt) would eat the
// CPU, so once it is clearly stuck it is disabled.
#include <irq/irqdesc.hpp>
#include <printk/printk.hpp>

void note_interrupt(unsigned irq, IrqDesc* desc, bool handled) {
    if (!handled) {
        desc->unhandled.fetch_add(1, MemoryOrder::Relaxed);
        desc->window_unhandled++;
    }
    if (++desc->window_count < kSpuriousWindow) return;

    if (desc->window_unhandled > kSpuriousThreshold && !desc->spurious_disabled) {
        pr_emerg("irq %u: nobody cared", irq);
        pr_emerg("handlers:");
        for (IrqAction* a = desc->actions; a; a = a->next)
            pr_emerg("[<%p>] %pS (%s)", reinterpret_cast<void*>(a->handler), reinterpret_cast<void*>(a->handler),
                     a->name ? a->name : "?");
        pr_emerg("Disabling IRQ #%u", irq);
        desc->spurious_disabled = true;
        desc->depth++;
        desc->chip->mask(irq);
    }
    desc->window_count = 0;
    desc->window_unhandled = 0;
}
