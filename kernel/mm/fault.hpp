#pragma once
// The page-fault policy for user addresses (Linux's do_user_addr_fault and the area checks before
// handle_mm_fault), independent of the CPU: the architecture's #PF handler decodes the fault into
// FAULT_FLAG_* (memory.hpp) and calls mm_handle_fault.
#include <lib/result.hpp>
#include <mm/memory.hpp>
#include <stdint.h>

struct MmStruct;
struct VmArea;

// What a fault in a user address space comes to.
enum class FaultResult {
    Handled,      // mapped: the access can be retried
    MapError,     // no area there (SIGSEGV, SEGV_MAPERR)
    AccessError,  // the area forbids this access (SIGSEGV, SEGV_ACCERR)
    Sigbus,       // the backing object has no page there (SIGBUS, BUS_ADRERR)
    Oom,          // out of memory: the faulting process is killed
};

// Finds the area for `addr` (growing a stack area down to it if allowed), checks the access against
// the area's permissions and resolves it. Takes mm's mmap lock; may sleep.
FaultResult do_user_addr_fault(MmStruct* mm, uint64_t addr, unsigned flags);

// Grows the stack area `vma` (VM_GROWSDOWN) down to the page of `addr`: ENOMEM if that would pass
// RLIMIT_STACK or RLIMIT_AS, or come within the guard gap of the area below. mmap lock held.
Result<void> expand_stack(MmStruct* mm, VmArea* vma, uint64_t addr);

// Whether the area's permissions allow the access described by FAULT_FLAG_* `flags`.
bool vma_allows(const VmArea* vma, unsigned flags);

// The current task's fault at `addr`: true if it was resolved, or (for a user-mode fault) turned into
// a signal for the task: SIGSEGV, SIGBUS, or SIGKILL when memory ran out. False for a kernel-mode access
// that cannot be resolved: the caller's exception fix-up (uaccess: -EFAULT) or oops applies.
bool mm_handle_fault(uint64_t addr, unsigned flags);
