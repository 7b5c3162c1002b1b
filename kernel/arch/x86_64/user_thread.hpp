#pragma once
// x86-64 internals of threads that run user code (user_thread.cpp, process.cpp).
#include <arch/x86_64/gdt.hpp>
#include <stdint.h>

struct Task;

namespace x86 {

// Lays out a new task's kernel stack so that its first switch enters ret_from_fork, which runs fn(arg)
// (if fn) and then returns to user mode through the PtRegs at the top. Returns the lowest word of the
// PtRegs (the frame's top). See process.cpp for the layout.
uint64_t* init_switch_frame(Task* task, int (*fn)(void*), void* arg);

// Loads next's user FS and GS bases if it runs user code (context switch).
void switch_user_segment_bases(Task* prev, Task* next);

// Self-tests that run user code on a bare page table (ThreadState::test_cr3, no MmStruct): the context
// switch loads such a task's table and, switching away to an ordinary task, puts back the CR3 that was
// loaded before (saved per CPU), unless the memory manager's switch_mm has loaded another one meanwhile.
// So the memory manager's idea of what each CPU has loaded (active_mm, lazy TLB) stays true.
void switch_test_page_table(Task* prev, Task* next);
// The current task starts/stops running on a test page table (the same bookkeeping, from the task
// itself).
void enter_test_page_table(uint64_t cr3);
void leave_test_page_table();

// An interrupt from user mode leaves the kernel running with a null SS (long mode loads one on a
// privilege change), which the task switched to would inherit. Harmless in ring 0, but SYSRET on AMD
// CPUs keeps such a null SS's unusable attributes for user mode (Linux's SYSRET_SS_ATTRS bug), so the
// switch puts the flat kernel data segment back. One cheap selector read when it is already there.
inline void reload_kernel_ss() {
    uint16_t ss;
    asm volatile("mov %%ss, %0" : "=r"(ss));
    if (ss != KERNEL_DS) asm volatile("mov %0, %%ss" : : "r"(uint32_t(KERNEL_DS)));
}

}  // namespace x86
