#pragma once
// The side of the IRQ layer that interrupt controllers and the architecture see (drivers use irq.hpp).
//
// An IrqChip is the controller an IRQ line goes through (the I/O APIC on PCs). The generic layer calls
// it to mask a line while nobody handles it or while it is disabled, to unmask it, and to signal end of
// interrupt after the handlers ran (for the I/O APIC: the local APIC's EOI, which also re-arms
// level-triggered lines). Flow: Linux's "fasteoi" handling, which fits both edge and level lines when
// the controller latches.
#include <irq/irq.hpp>
#include <stdint.h>

struct IrqChip {
    const char* name;
    void (*mask)(unsigned irq);
    void (*unmask)(unsigned irq);
    void (*eoi)(unsigned irq);
    // Optional (nullptr if the chip cannot): raise the interrupt again in software, for an edge that
    // arrived while the line was disabled. Returns false if it could not.
    bool (*retrigger)(unsigned irq);
};

// Attaches the controller for `irq` (nullptr detaches; only while no handler is installed). An IRQ
// without a chip cannot be requested (request_irq returns ENOSYS).
void irq_set_chip(unsigned irq, const IrqChip* chip);
const IrqChip* irq_get_chip(unsigned irq);

// Waits until no handler of `irq` is running on any CPU. Must not be called from that IRQ's handler.
void synchronize_irq(unsigned irq);

// Interrupts no handler claimed (IrqReturn::None from all of them, or none installed).
uint64_t kstat_irqs_unhandled(unsigned irq);
// Interrupts for IRQ numbers without a descriptor or a chip (Linux's "ERR:" line).
uint64_t irq_err_count();
// For the architecture: an interrupt arrived on a vector whose IRQ has no chip; counts it.
void ack_bad_irq(unsigned irq);

// The spurious-interrupt detector's window (Linux's numbers): out of every kSpuriousWindow interrupts
// of one IRQ, if more than kSpuriousThreshold went unhandled the line is stuck and gets disabled.
constexpr uint64_t kSpuriousWindow = 100000;
constexpr uint64_t kSpuriousThreshold = 99900;
// Number of IrqAction slots (request_irq fails with ENOMEM when all are in use).
constexpr unsigned kMaxIrqActions = 64;
