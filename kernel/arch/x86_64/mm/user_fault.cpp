// The x86 half of user-address page faults: decode the #PF, refuse what the memory manager must not
// try to resolve, run the generic policy (mm/fault.hpp) with interrupts as the faulting context had
// them (it may sleep on the mmap lock and the page allocator).
#include <arch/x86_64/cpufeature.hpp>
#include <arch/x86_64/traps.hpp>
#include <mm/fault.hpp>
#include <sched/preempt.hpp>

namespace {

constexpr uint64_t X86_EFLAGS_IF = 1ull << 9;
constexpr uint64_t X86_EFLAGS_AC = 1ull << 18;
constexpr uint64_t kUserHalfEnd = 1ull << 47;

}  // namespace

bool handle_page_fault(x86::PtRegs* regs, uint64_t address, uint64_t error_code) {
    using namespace x86;
    bool user = user_mode(regs);
    // A reserved bit set in an entry: the page table is corrupt, nothing to resolve.
    if (error_code & X86_PF_RSVD) return false;
    if (!user) {
        // The kernel half is mapped once at boot and never faults in; a fault there is a bug.
        if (address >= kUserHalfEnd) return false;
        // The kernel executing user memory (SMEP) or touching it outside a uaccess window (SMAP: AC
        // clear) are bugs too, not faults to resolve.
        if (error_code & X86_PF_INSTR) return false;
        if (boot_cpu_features.smap && !(regs->eflags & X86_EFLAGS_AC)) return false;
        // Resolving may sleep: not from atomic context or with interrupts off (Linux's
        // faulthandler_disabled: the access fails with -EFAULT).
        if (in_atomic() || in_interrupt() || !(regs->eflags & X86_EFLAGS_IF)) return false;
    }
    unsigned flags = 0;
    if (error_code & X86_PF_WRITE) flags |= FAULT_FLAG_WRITE;
    if (error_code & X86_PF_INSTR) flags |= FAULT_FLAG_INSTRUCTION;
    if (user) flags |= FAULT_FLAG_USER;

    if (regs->eflags & X86_EFLAGS_IF) arch::irq_enable();
    bool handled = mm_handle_fault(address, flags);
    arch::irq_disable();
    return handled;
}
