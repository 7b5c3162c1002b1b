#pragma once
// x86-64 page-table entries (4-level paging, Intel SDM vol. 3 §4.5) and their translation to and from
// the generic PageProt of mm/mmu.hpp.
//
// Level 4 is the PML4, 3 the PDPT, 2 the page directory, 1 the page table. An entry at level 3 or 2
// with PS set maps a 1 GiB or 2 MiB page directly; otherwise it points at the next table.
#include <arch/x86_64/cpufeature.hpp>
#include <mm/mmu.hpp>
#include <stdint.h>

namespace x86::pte {

constexpr uint64_t Present = 1ull << 0;
constexpr uint64_t Write = 1ull << 1;
constexpr uint64_t User = 1ull << 2;
constexpr uint64_t WriteThrough = 1ull << 3;  // PWT
constexpr uint64_t CacheDisable = 1ull << 4;  // PCD; with PWT selects PAT entry 3, UC by default
constexpr uint64_t Accessed = 1ull << 5;
constexpr uint64_t Dirty = 1ull << 6;
constexpr uint64_t Huge = 1ull << 7;           // PS, in level 3 and 2 entries
constexpr uint64_t Global = 1ull << 8;
constexpr uint64_t NoExecute = 1ull << 63;     // only with EFER.NXE (set by setup_arch when CPUID has NX)
constexpr uint64_t AddressMask = 0x000ffffffffff000ull;

constexpr unsigned kLevels = 4;
constexpr unsigned kEntries = 512;

constexpr uint64_t page_size_at(unsigned level) { return 1ull << (12 + 9 * (level - 1)); }
constexpr unsigned index_at(uintptr_t virt, unsigned level) { return (virt >> (12 + 9 * (level - 1))) & 511; }
// The physical address an entry points at (a table, or a page of page_size_at(level)).
constexpr uint64_t address(uint64_t entry, unsigned level) {
    uint64_t mask = AddressMask;
    if (level > 1 && (entry & Huge)) mask &= ~(page_size_at(level) - 1);  // bit 12 is PAT there
    return entry & mask;
}

inline bool nx_supported() { return boot_cpu_features.nx; }

// Leaf entry bits for `prot`. Kernel pages get Accessed and Dirty up front so the CPU never has to
// write them back (Linux does the same); user pages leave Dirty to the CPU for dirty tracking.
inline uint64_t leaf_bits(PageProt prot, unsigned level) {
    uint64_t e = Present | Accessed;
    if (prot & prot::Write) e |= Write | ((prot & prot::User) ? 0 : Dirty);
    if (prot & prot::User) e |= User;
    if (prot & prot::Global) e |= Global;
    if (prot & prot::NoCache) e |= CacheDisable | WriteThrough;
    if (!(prot & prot::Exec) && nx_supported()) e |= NoExecute;
    if (level > 1) e |= Huge;
    return e;
}

// A table entry is permissive; the leaf decides (the CPU ANDs permissions over all levels).
inline uint64_t table_bits(bool user) { return Present | Write | Accessed | (user ? User : 0); }

inline PageProt prot_of(uint64_t e) {
    PageProt p = 0;
    if (e & Write) p |= prot::Write;
    if (e & User) p |= prot::User;
    if (e & Global) p |= prot::Global;
    if (e & CacheDisable) p |= prot::NoCache;
    if (!(e & NoExecute)) p |= prot::Exec;
    return p;
}

}  // namespace x86::pte
