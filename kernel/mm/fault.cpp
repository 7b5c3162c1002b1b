// The page-fault policy for user addresses (fault.hpp).
#include <mm/fault.hpp>
#include <mm/mm_hooks.hpp>
#include <mm/mm_struct.hpp>
#include <mm/mmap.hpp>
#include <printk/panic.hpp>
#include <printk/printk.hpp>
#include <sched/task.hpp>
#include <signal/signal.hpp>

bool vma_allows(const VmArea* vma, unsigned flags) {
    if (flags & FAULT_FLAG_WRITE) return vma->flags & VM_WRITE;
    if (flags & FAULT_FLAG_INSTRUCTION) return vma->flags & VM_EXEC;
    // x86 cannot map a page write-only or execute-only: any access right implies reading.
    return vma->flags & VM_ACCESS_FLAGS;
}

Result<void> expand_stack(MmStruct* mm, VmArea* vma, uint64_t addr) {
    uint64_t new_start = page_align_down(addr);
    if (new_start >= vma->start) return {};
    if (new_start < kMmapMinAddr) return Errno::ENOMEM;
    if (vma->end - new_start > mm_rlimit_stack()) return Errno::ENOMEM;
    // Keep the guard gap to the area below (unless that one is a stack too, or inaccessible).
    if (VmArea* prev = vma_prev(mm, vma); prev && !(prev->flags & VM_GROWSDOWN) && (prev->flags & VM_ACCESS_FLAGS))
        if (new_start < prev->end || new_start - prev->end < kStackGuardGap) return Errno::ENOMEM;
    if (!may_expand_vm(mm, (vma->start - new_start) >> kPageShift)) return Errno::ENOMEM;
    vma_adjust(mm, vma, new_start, vma->end);
    return {};
}

FaultResult do_user_addr_fault(MmStruct* mm, uint64_t addr, unsigned flags) {
    MmapLockGuard guard(mm);
    VmArea* vma = find_vma(mm, addr);
    if (!vma) return FaultResult::MapError;
    if (vma->start > addr) {
        if (!(vma->flags & VM_GROWSDOWN)) return FaultResult::MapError;
        if (expand_stack(mm, vma, addr).is_error()) return FaultResult::MapError;
    }
    if (!vma_allows(vma, flags)) return FaultResult::AccessError;
    switch (handle_mm_fault(mm, vma, addr, flags)) {
    case VmFault::Done: return FaultResult::Handled;
    case VmFault::Oom: return FaultResult::Oom;
    case VmFault::Sigbus: return FaultResult::Sigbus;
    }
    return FaultResult::Sigbus;
}

namespace {

// Linux's pagefault_out_of_memory, simplified: the faulting process, not the biggest one, goes.
void kill_for_oom(Task* task, MmStruct* mm) {
    pr_err("Out of memory: Killed process %d (%s) total-vm:%lukB, rss:%lukB", task->tgid, task->comm,
           (unsigned long)(mm->total_vm * 4), (unsigned long)(mm_rss_pages(mm) * 4));
    force_sig(SIGKILL);
}

}  // namespace

bool mm_handle_fault(uint64_t addr, unsigned flags) {
    bool user = flags & FAULT_FLAG_USER;
    Task* task = current();
    MmStruct* mm = task ? task->mm : nullptr;
    if (!mm) {
        if (user) force_sig_fault(SIGSEGV, SEGV_MAPERR, addr);
        return user;
    }
    if (!user && mm->mmap_lock.owner() == task) {
        // Kernel code touched user memory while holding the mmap lock: it would wait for itself.
        WARN_ON(true);
        return false;
    }
    switch (do_user_addr_fault(mm, addr, flags)) {
    case FaultResult::Handled: return true;
    case FaultResult::MapError:
        if (user) force_sig_fault(SIGSEGV, SEGV_MAPERR, addr);
        return user;
    case FaultResult::AccessError:
        if (user) force_sig_fault(SIGSEGV, SEGV_ACCERR, addr);
        return user;
    case FaultResult::Sigbus:
        if (user) force_sig_fault(SIGBUS, BUS_ADRERR, addr);
        return user;
    case FaultResult::Oom:
        kill_for_oom(task, mm);
        return user;
    }
    return false;
}
