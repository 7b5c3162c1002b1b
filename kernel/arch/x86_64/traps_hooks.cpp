// Default (weak) exception hooks, replaced by the subsystems that own the answer (see traps.hpp).
#include <arch/x86_64/traps.hpp>
#include <printk/panic.hpp>
#include <printk/printk.hpp>

[[gnu::weak]] void handle_user_exception(unsigned vector, x86::PtRegs* regs, uint64_t address) {
    x86::oops_begin();
    pr_emerg("exception %u in user mode (address %016lx): no process support to deliver a signal", vector,
             (unsigned long)address);
    x86::show_regs(regs);
    panic("Unhandled user-mode exception");
}

[[gnu::weak]] bool handle_page_fault(x86::PtRegs*, uint64_t, uint64_t) { return false; }
