#pragma once
// The MMU as generic mm code sees it: protection flags in generic terms, and the operations on the
// kernel's page table that each architecture implements (arch/<name>/mm/). The architecture translates
// the flags to its page-table bits; no generic code knows those bits.
//
// Kernel virtual layout (x86-64, as Linux): the direct map of all RAM at arch::kDirectMapBase, the
// vmalloc/ioremap area (arch::vmalloc_range()), the kernel image at arch::kKernelImageBase. Nothing is
// mapped in the lower half, so a NULL dereference faults.
#include <lib/result.hpp>
#include <mm/memblock.hpp>
#include <stddef.h>
#include <stdint.h>

// Generic page protection. A mapping is always readable; these add to that.
using PageProt = unsigned;
namespace prot {
constexpr PageProt Write = 1u << 0;
constexpr PageProt Exec = 1u << 1;
constexpr PageProt User = 1u << 2;
constexpr PageProt Global = 1u << 3;   // same in every address space (kernel mappings)
constexpr PageProt NoCache = 1u << 4;  // MMIO: uncached
}  // namespace prot

// Linux's names for the usual combinations.
constexpr PageProt PAGE_KERNEL = prot::Write | prot::Global;
constexpr PageProt PAGE_KERNEL_RO = prot::Global;
constexpr PageProt PAGE_KERNEL_EXEC = prot::Exec | prot::Global;  // read + execute
constexpr PageProt PAGE_KERNEL_NOCACHE = prot::Write | prot::NoCache | prot::Global;

// What a page-table walk found for one virtual address.
struct Translation {
    uint64_t phys;       // of the address itself (page frame + offset)
    uint64_t page_size;  // of the mapping that covers it: 4 KiB, 2 MiB or 1 GiB
    PageProt prot;
};

struct VirtRange {
    uintptr_t start;
    uintptr_t end;  // exclusive
};

namespace arch {

// Physical memory below this address is reachable with phys_to_virt() before paging_init() (the
// boot page tables' direct map); the page allocator only hands out such memory until then.
uint64_t early_direct_map_limit();
// Builds the kernel's own page tables from the page allocator and switches to them: the direct map
// of `ranges` (page-aligned physical ranges, sorted), the kernel image with per-section permissions,
// the top-level entries the vmalloc area needs. Afterwards there is no identity mapping.
void paging_init(const PhysRange* ranges, unsigned count);

// The virtual range vmalloc() and ioremap() allocate from.
VirtRange vmalloc_range();

// Maps [virt, virt + size) to [phys, phys + size) in the kernel page table with 4 KiB pages. Fails
// with ENOMEM (no memory for a page table; nothing is left mapped) or EEXIST (already mapped).
Result<void> map_kernel_range(uintptr_t virt, uint64_t phys, size_t size, PageProt prot);
// Removes the mappings of [virt, virt + size) and flushes them from the TLB.
void unmap_kernel_range(uintptr_t virt, size_t size);
// Walks the kernel page table: false if `virt` is not mapped.
bool kernel_translate(uintptr_t virt, Translation& out);

}  // namespace arch
