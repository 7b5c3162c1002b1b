// The C++ side of every non-paranoid entry (entry.S): dispatch, then the work due before returning to
// the interrupted context (Linux's irqentry_exit and exit_to_user_mode).
#include <arch/x86_64/entry/entry.hpp>
#include <arch/x86_64/interrupts.hpp>
#include <arch/x86_64/traps.hpp>
#include <sched/hooks.hpp>
#include <sched/preempt.hpp>

namespace {

// Returning to kernel code: preempt it only if it could have been preempted at that instruction, i.e.
// it had interrupts on and held no preemption-disabling lock.
void irqentry_exit_to_kernel(x86::PtRegs* regs) {
    if (!(regs->eflags & arch::kFlagsIF) || preempt_count() != 0) return;
    if (this_cpu()->need_resched) preempt_schedule_irq();
}

}  // namespace

extern "C" void x86_handle_entry(x86::PtRegs* regs, unsigned vector) {
    if (vector < 32)
        x86::handle_exception(regs, vector);
    else
        x86::handle_device_interrupt(regs, uint8_t(vector));

    if (x86::user_mode(regs))
        x86::exit_to_user_mode(regs);  // reschedule, signals (entry/syscall_64.cpp)
    else
        irqentry_exit_to_kernel(regs);
}
