#pragma once
// x86-64 implementation of the inline part of arch/arch.hpp.
#include <concepts>
#include <stdint.h>

struct PerCpu;

namespace arch {

using IrqFlags = unsigned long;
constexpr unsigned long kPageSize = 4096;
constexpr unsigned kPageShift = 12;
constexpr unsigned kCacheLine = 64;

inline constexpr unsigned long kFlagsIF = 1ul << 9;

inline IrqFlags irq_save() {
    IrqFlags flags;
    asm volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
    return flags;
}
inline void irq_restore(IrqFlags flags) {
    if (flags & kFlagsIF) asm volatile("sti" : : : "memory");
}
inline void irq_enable() { asm volatile("sti" : : : "memory"); }
inline void irq_disable() { asm volatile("cli" : : : "memory"); }
inline bool irqs_enabled() {
    unsigned long flags;
    asm volatile("pushfq; popq %0" : "=r"(flags));
    return flags & kFlagsIF;
}
inline void cpu_relax() { asm volatile("pause" : : : "memory"); }
// sti takes effect after the next instruction, so an interrupt that is already pending wakes the hlt
// rather than being taken before it: no lost wake-up between "nothing to do" and sleeping.
inline void wait_for_interrupt() { asm volatile("sti; hlt" : : : "memory"); }
inline uint64_t read_cycle_counter() {
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t(hi) << 32) | lo;
}
// In an interrupt handler: whether the interrupt came from user mode (Linux's user_mode(get_irq_regs())),
// for the tick's user/system time split. False outside interrupt handlers.
bool irq_interrupted_user_mode();
// GS base points at this CPU's PerCpu, whose first field points at itself.
inline PerCpu* this_cpu() {
    PerCpu* self;
    asm volatile("movq %%gs:0, %0" : "=r"(self));
    return self;
}

}  // namespace arch

namespace arch {

// Virtual memory layout (Linux's x86-64 choices): the direct map of all physical memory at PAGE_OFFSET,
// the kernel image in the top 2 GiB.
constexpr uintptr_t kDirectMapBase = 0xffff888000000000ul;
constexpr uintptr_t kKernelImageBase = 0xffffffff80000000ul;

inline void* phys_to_virt(uint64_t phys) { return reinterpret_cast<void*>(phys + kDirectMapBase); }
inline uint64_t virt_to_phys(const void* virt) {
    auto v = reinterpret_cast<uintptr_t>(virt);
    return v >= kKernelImageBase ? v - kKernelImageBase : v - kDirectMapBase;
}

}  // namespace arch
