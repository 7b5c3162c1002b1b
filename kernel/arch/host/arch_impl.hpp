#pragma once
// Host implementation of arch/arch.hpp for unit tests and the scheduler simulator: one simulated CPU
// per host thread, interrupts are a flag, the cycle counter is a virtual clock the test controls.
#include <concepts>
#include <stdint.h>

struct PerCpu;

namespace arch {

using IrqFlags = unsigned long;
constexpr unsigned long kPageSize = 4096;
constexpr unsigned kPageShift = 12;
constexpr unsigned kCacheLine = 64;

namespace host {
inline thread_local bool irq_on = true;
inline thread_local PerCpu* cpu = nullptr;
inline uint64_t virtual_cycles = 0;
inline thread_local bool irq_from_user = false;  // what a simulated tick interrupted (tests set it)
}  // namespace host

inline IrqFlags irq_save() {
    IrqFlags was = host::irq_on;
    host::irq_on = false;
    return was;
}
inline void irq_restore(IrqFlags flags) { host::irq_on = flags != 0; }
inline void irq_enable() { host::irq_on = true; }
inline void irq_disable() { host::irq_on = false; }
inline bool irqs_enabled() { return host::irq_on; }
inline bool irq_interrupted_user_mode() { return host::irq_from_user; }
inline void cpu_relax() {}
inline void wait_for_interrupt() { host::irq_on = true; }
inline uint64_t read_cycle_counter() { return host::virtual_cycles; }
inline PerCpu* this_cpu() { return host::cpu; }

}  // namespace arch

namespace arch {
// On the host a "physical address" is just the host pointer value.
inline void* phys_to_virt(uint64_t phys) { return reinterpret_cast<void*>(phys); }
inline uint64_t virt_to_phys(const void* virt) { return reinterpret_cast<uintptr_t>(virt); }
}  // namespace arch
