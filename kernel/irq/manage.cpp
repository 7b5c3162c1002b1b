// Installing and removing handlers, enabling and disabling lines (Linux's kernel/irq/manage.c).
//
// Concurrency: generic_handle_irq() walks a descriptor's action chain without the lock, with
// `in_progress` set. Writers change the chain under the lock with interrupts off: an added action is
// fully built before it is linked at the tail; a removed action is unlinked and then kept until
// synchronize_irq() has seen no handler running, so a walker standing on it can still follow its `next`.
#include <irq/irqdesc.hpp>
#include <printk/printk.hpp>

namespace {

// IrqAction slots. (A fixed pool: request_irq runs before and without the slab allocator.)
IrqAction action_pool[kMaxIrqActions];
IrqAction* free_actions = nullptr;
bool pool_initialised = false;
SpinLock pool_lock;

IrqAction* alloc_action() {
    SpinLockIrqSaveGuard guard(pool_lock);
    if (!pool_initialised) {
        for (unsigned i = 0; i < kMaxIrqActions; i++) {
            action_pool[i].next = free_actions;
            free_actions = &action_pool[i];
        }
        pool_initialised = true;
    }
    IrqAction* a = free_actions;
    if (a) free_actions = a->next;
    return a;
}

void release_action(IrqAction* a) {
    SpinLockIrqSaveGuard guard(pool_lock);
    a->next = free_actions;
    free_actions = a;
}

// Flags on which every handler of a shared line must agree besides IRQF_SHARED itself: a timer line
// is never threaded and never shared with a device that could be.
constexpr unsigned long kMustAgree = IRQF_TIMER | IRQF_NO_THREAD;

void mask(unsigned irq, IrqDesc* desc) {
    if (desc->chip) desc->chip->mask(irq);
}

void unmask(unsigned irq, IrqDesc* desc) {
    if (desc->chip) desc->chip->unmask(irq);
}

// depth reached 0: open the line, and replay an edge that was latched while it was closed.
void startup_line(unsigned irq, IrqDesc* desc) {
    unmask(irq, desc);
    if (desc->pending) {
        desc->pending = false;
        if (desc->chip && desc->chip->retrigger) desc->chip->retrigger(irq);
    }
}

}  // namespace

Result<void> request_irq(unsigned irq, IrqHandler handler, unsigned long flags, const char* name, void* dev_id) {
    IrqDesc* desc = irq_to_desc(irq);
    if (!desc || !handler) return Errno::EINVAL;
    // A shared handler is found again by dev_id in free_irq().
    if ((flags & IRQF_SHARED) && !dev_id) return Errno::EINVAL;

    IrqAction* action = alloc_action();
    if (!action) return Errno::ENOMEM;
    *action = IrqAction{handler, dev_id, name, flags, nullptr};

    {
        SpinLockIrqSaveGuard guard(desc->lock);
        if (!desc->chip) {
            release_action(action);
            return Errno::ENOSYS;
        }
        if (IrqAction* old = desc->actions) {
            bool compatible = (old->flags & flags & IRQF_SHARED) && !((old->flags ^ flags) & kMustAgree);
            for (IrqAction* a = old; compatible && a; a = a->next)
                if (a->dev_id == dev_id) compatible = false;
            if (!compatible) {
                pr_err("Flags mismatch irq %u. %08lx (%s) vs. %08lx (%s)", irq, flags, name ? name : "?",
                       old->flags, old->name ? old->name : "?");
                release_action(action);
                return Errno::EBUSY;
            }
            IrqAction* last = old;
            while (last->next) last = last->next;
            last->next = action;
        } else {
            desc->actions = action;
            desc->depth = 0;
            desc->spurious_disabled = false;
            desc->window_count = desc->window_unhandled = 0;
            startup_line(irq, desc);
        }
    }
    return {};
}

void free_irq(unsigned irq, void* dev_id) {
    IrqDesc* desc = irq_to_desc(irq);
    if (!desc) return;
    IrqAction* found = nullptr;
    {
        SpinLockIrqSaveGuard guard(desc->lock);
        for (IrqAction** link = &desc->actions; *link; link = &(*link)->next) {
            if ((*link)->dev_id == dev_id) {
                found = *link;
                *link = found->next;
                break;
            }
        }
        if (!found) {
            pr_warn("Trying to free already-free IRQ %u", irq);
            return;
        }
        if (!desc->actions) {
            mask(irq, desc);
            desc->depth = 1;
            desc->pending = false;
        }
    }
    synchronize_irq(irq);
    release_action(found);
}

void disable_irq(unsigned irq) {
    IrqDesc* desc = irq_to_desc(irq);
    if (!desc) return;
    {
        SpinLockIrqSaveGuard guard(desc->lock);
        if (desc->depth++ == 0) mask(irq, desc);
    }
    synchronize_irq(irq);
}

void enable_irq(unsigned irq) {
    IrqDesc* desc = irq_to_desc(irq);
    if (!desc) return;
    SpinLockIrqSaveGuard guard(desc->lock);
    if (desc->depth == 0) {
        pr_warn("Unbalanced enable for IRQ %u", irq);
        return;
    }
    if (--desc->depth == 0) startup_line(irq, desc);
}

void synchronize_irq(unsigned irq) {
    IrqDesc* desc = irq_to_desc(irq);
    if (!desc) return;
    while (desc->in_progress.load(MemoryOrder::Acquire)) arch::cpu_relax();
}
