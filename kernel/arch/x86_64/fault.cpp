// The page-fault handler (Linux's arch/x86/mm/fault.c, minus the memory manager's part): ask mm to
// resolve the fault; failing that, a kernel instruction with a fix-up continues at its fix-up; failing
// that, a user-mode fault goes to the processes hook and a kernel-mode one is an oops.
//
// A kernel-mode access to user memory outside a uaccess window (SMAP on, RFLAGS.AC clear) is a kernel
// bug whatever the page's state: it never reaches the memory manager, so it cannot be "resolved" by
// demand paging and shows up as the fault it is (or ends at a fix-up, for code that probes on purpose).
#include <arch/arch.hpp>
#include <arch/x86_64/extable.hpp>
#include <arch/x86_64/io.hpp>
#include <arch/x86_64/traps.hpp>
#include <printk/printk.hpp>
#include <sched/task.hpp>

extern "C" uint8_t x86_smap_active;  // uaccess.cpp

namespace x86 {
namespace {

constexpr uint64_t kEflagsAC = 1ull << 18;
constexpr uint64_t kUserHalfEnd = 1ull << 47;

bool smap_violation(const PtRegs* regs, uint64_t address) {
    return x86_smap_active && !user_mode(regs) && address < kUserHalfEnd && !(regs->eflags & kEflagsAC);
}

const char* access_kind(uint64_t err) {
    if (err & X86_PF_INSTR) return "instruction fetch";
    return err & X86_PF_WRITE ? "write access" : "read access";
}

const char* fault_reason(uint64_t err) {
    if (!(err & X86_PF_PROT)) return "not-present page";
    if (err & X86_PF_RSVD) return "reserved bit violation";
    if (err & X86_PF_PK) return "protection keys violation";
    return "permissions violation";
}

[[noreturn]] void page_fault_oops(PtRegs* regs, uint64_t err, uint64_t address) {
    oops_begin();
    if (address < arch::kPageSize)
        pr_alert("BUG: kernel NULL pointer dereference, address: %016lx", (unsigned long)address);
    else
        pr_alert("BUG: unable to handle page fault for address: %016lx", (unsigned long)address);
    pr_alert("#PF: %s %s in %s mode", err & X86_PF_USER ? "user" : "supervisor", access_kind(err),
             user_mode(regs) ? "user" : "kernel");
    pr_alert("#PF: error_code(0x%04lx) - %s", (unsigned long)err, fault_reason(err));
    die("Oops", regs, err);
}

}  // namespace

void do_page_fault(PtRegs* regs) {
    // CR2 first: anything that faults later (even a printk touching a bad page) would overwrite it.
    uint64_t address = read_cr2();
    uint64_t err = error_code(regs);
    if (user_mode(regs)) {
        // For the signal frame's sigcontext (trapno, err, cr2), whoever raises the signal.
        Task* t = current();
        t->thread.trap_nr = X86_TRAP_PF;
        t->thread.error_code = err;
        t->thread.cr2 = address;
    }
    if (!smap_violation(regs, address) && handle_page_fault(regs, address, err)) return;
    if (user_mode(regs)) {
        handle_user_exception(X86_TRAP_PF, regs, address);
        return;
    }
    if (fixup_exception(regs)) return;
    page_fault_oops(regs, err, address);
}

}  // namespace x86
