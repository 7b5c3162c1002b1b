#pragma once
// Interrupt requests: the generic side (Linux's kernel/irq). An IRQ number is a global system interrupt
// (legacy ISA IRQs 0-15 keep their numbers after MADT overrides are applied by the architecture).
// Contract shared by drivers; implemented in irq/ with the chip (I/O APIC, LAPIC) in arch/.
#include <lib/result.hpp>
#include <stdint.h>

enum class IrqReturn { None, Handled, WakeThread };
using IrqHandler = IrqReturn (*)(unsigned irq, void* dev_id);

// Linux's flag values.
constexpr unsigned long IRQF_SHARED = 0x00000080;
constexpr unsigned long IRQF_TIMER = 0x00000200;
constexpr unsigned long IRQF_NO_THREAD = 0x00010000;

constexpr unsigned kNrIrqs = 224;

Result<void> request_irq(unsigned irq, IrqHandler handler, unsigned long flags, const char* name, void* dev_id);
void free_irq(unsigned irq, void* dev_id);
void disable_irq(unsigned irq);
void enable_irq(unsigned irq);

// Called by the architecture's interrupt entry: runs the handlers of `irq`.
void generic_handle_irq(unsigned irq);
// Bracket every hardware interrupt: maintain irq_nesting/preempt_count; irq_exit() runs pending softirqs.
void irq_enter();
void irq_exit();

uint64_t kstat_irqs(unsigned irq);  // how many times `irq` fired (for /proc/interrupts)
