// Kernel stacks. From vmalloc, so each stack has unmapped guard pages around it and an overflow faults
// at once instead of silently corrupting whatever lies below. Kernel-only: the host build (whose
// vmalloc hands out bookkeeping addresses that are never mapped) has its own in tests/host/sched.
#include <mm/vmalloc.hpp>
#include <sched/task_internal.hpp>

void* alloc_thread_stack() {
    void* stack = vmalloc(arch::kThreadSize);
    if (stack) *static_cast<uint64_t*>(stack) = STACK_END_MAGIC;
    return stack;
}

void free_thread_stack(void* stack) { vfree(stack); }
