#pragma once
// IRQ descriptors: the state kept for each IRQ number (internal to irq/).
#include <irq/irqchip.hpp>
#include <lib/atomic.hpp>
#include <locking/spinlock.hpp>

// One handler installed with request_irq. Shared IRQs chain several.
struct IrqAction {
    IrqHandler handler;
    void* dev_id;
    const char* name;
    unsigned long flags;
    IrqAction* next;
};

struct IrqDesc {
    SpinLock lock;             // protects everything below except the counters
    const IrqChip* chip = nullptr;
    IrqAction* actions = nullptr;  // readers in generic_handle_irq walk it without the lock (see manage.cpp)
    // Masked while > 0: 1 with no handler installed, +1 for each disable_irq() (and once when the
    // spurious detector gives up on the line).
    unsigned depth = 1;
    bool pending = false;      // an interrupt arrived while disabled
    bool spurious_disabled = false;
    Atomic<bool> in_progress{false};  // a handler is running (synchronize_irq waits for false)

    Atomic<uint64_t> count{0};      // kstat_irqs
    Atomic<uint64_t> unhandled{0};  // kstat_irqs_unhandled
    // Spurious detector window (under `lock`).
    uint64_t window_count = 0;
    uint64_t window_unhandled = 0;
};

IrqDesc* irq_to_desc(unsigned irq);  // nullptr if out of range

// spurious.cpp: accounts one interrupt (handled or not); may disable the line. Called with desc->lock.
void note_interrupt(unsigned irq, IrqDesc* desc, bool handled);
