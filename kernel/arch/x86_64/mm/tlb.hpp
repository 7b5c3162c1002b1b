#pragma once
// Flushing this CPU's TLB. (Other CPUs: x86::flush_tlb_kernel_range_others() in smp_tlb.cpp, which
// unmap_kernel_range() calls.)
#include <arch/x86_64/io.hpp>
#include <stdint.h>

namespace x86 {

constexpr uint64_t CR4_PGE = 1ull << 7;

inline void invlpg(uintptr_t virt) { asm volatile("invlpg (%0)" : : "r"(virt) : "memory"); }

// Everything, global entries included: toggling CR4.PGE flushes all (SDM vol. 3 §4.10.4.1).
inline void flush_tlb_all() {
    uint64_t cr4 = read_cr4();
    if (cr4 & CR4_PGE) {
        write_cr4(cr4 & ~CR4_PGE);
        write_cr4(cr4);
    } else {
        write_cr3(read_cr3());
    }
}

}  // namespace x86
