// Running an interrupt's handlers (Linux's kernel/irq/handle.c and chip.c's fasteoi flow) and the
// interrupt-context bookkeeping around every hardware interrupt.
#include <irq/irqdesc.hpp>
#include <sched/preempt.hpp>

void irq_enter() {
    PerCpu* cpu = this_cpu();
    // An interrupt handler must never be preempted: count it as preemption-disabled section.
    cpu->preempt_count++;
    cpu->irq_nesting++;
    barrier();
}

// Softirqs would run here on the way out; Tern has none yet, so there is nothing deferred to run.
void irq_exit() {
    barrier();
    PerCpu* cpu = this_cpu();
    cpu->irq_nesting--;
    cpu->preempt_count--;
}

void generic_handle_irq(unsigned irq) {
    IrqDesc* desc = irq_to_desc(irq);
    if (!desc || !desc->chip) {
        ack_bad_irq(irq);
        return;
    }
    desc->count.fetch_add(1, MemoryOrder::Relaxed);

    desc->lock.lock();
    if (!desc->actions || desc->depth > 0) {
        // Nobody may run now: keep the line quiet until it is enabled, remembering that it fired.
        if (desc->actions) desc->pending = true;
        else note_interrupt(irq, desc, false);
        desc->chip->mask(irq);
        desc->lock.unlock();
        desc->chip->eoi(irq);
        return;
    }
    desc->in_progress.store(true, MemoryOrder::Relaxed);
    desc->lock.unlock();

    bool handled = false;
    for (IrqAction* a = desc->actions; a; a = a->next)
        if (a->handler(irq, a->dev_id) != IrqReturn::None) handled = true;

    desc->lock.lock();
    desc->in_progress.store(false, MemoryOrder::Release);
    note_interrupt(irq, desc, handled);
    desc->lock.unlock();
    desc->chip->eoi(irq);
}
