// What mm/ needs from outside the generic code on the host: WARN's slow path (printk/panic.cpp is
// kernel-only) and a stand-in for the architecture's kernel page table that records mappings, so
// vmalloc/ioremap bookkeeping can be tested. (Addresses in the fake vmalloc range are never touched.)
#include <arch/arch.hpp>
#include <mm/mmu.hpp>
#include <cstdio>
#include <map>

// Weak: another subsystem's host tests may provide their own.
[[gnu::weak]] void warn_slowpath(const char* file, int line, const char* cond) {
    std::fprintf(stderr, "WARNING: at %s:%d: %s\n", file, line, cond);
}

namespace {
std::map<uintptr_t, Translation>& fake_kernel_mappings() {
    static std::map<uintptr_t, Translation> mappings;
    return mappings;
}
}  // namespace

uint64_t arch::early_direct_map_limit() { return ~0ull; }
void arch::paging_init(const PhysRange*, unsigned) {}
VirtRange arch::vmalloc_range() { return {0xffffc90000000000ul, 0xffffc90000000000ul + (512ul << 30)}; }

Result<void> arch::map_kernel_range(uintptr_t virt, uint64_t phys, size_t size, PageProt prot) {
    if ((virt | phys | size) & (arch::kPageSize - 1)) return Errno::EINVAL;
    for (size_t off = 0; off < size; off += arch::kPageSize)
        if (fake_kernel_mappings().count(virt + off)) return Errno::EEXIST;
    for (size_t off = 0; off < size; off += arch::kPageSize)
        fake_kernel_mappings()[virt + off] = Translation{phys + off, arch::kPageSize, prot};
    return {};
}

void arch::unmap_kernel_range(uintptr_t virt, size_t size) {
    for (size_t off = 0; off < size; off += arch::kPageSize) fake_kernel_mappings().erase(virt + off);
}

bool arch::kernel_translate(uintptr_t virt, Translation& out) {
    auto it = fake_kernel_mappings().find(virt & ~(arch::kPageSize - 1));
    if (it == fake_kernel_mappings().end()) return false;
    out = it->second;
    out.phys += virt & (arch::kPageSize - 1);
    return true;
}
