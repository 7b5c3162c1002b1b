#pragma once
// A 4-level x86-64 page table: the kernel's (init_page_table) now, each process's later.
//
// The interface speaks generic PageProt (mm/mmu.hpp); only this class and pte.hpp know x86 bits.
// Page-table pages come from the page allocator (PG_pgtable). Callers serialise operations on one
// table (the kernel table's lock lives in init.cpp).
//
// Kernel half: every top-level (PML4) entry of the upper half that the kernel uses is created by
// paging_init and never changes afterwards (freeze_kernel_half). A user address space can therefore
// copy those 256 entries once when it is created and sees every later kernel mapping (vmalloc, ioremap)
// without synchronisation; map() refuses to create a new kernel top-level entry once frozen.
#include <arch/x86_64/mm/pte.hpp>
#include <lib/result.hpp>
#include <mm/mmu.hpp>
#include <stdint.h>

constexpr uint64_t kPageSize4K = 1ull << 12;
constexpr uint64_t kPageSize2M = 1ull << 21;
constexpr uint64_t kPageSize1G = 1ull << 30;

class PageTable {
public:
    // The leaf entry that maps an address, and its level (1: 4 KiB, 2: 2 MiB, 3: 1 GiB).
    struct Leaf {
        uint64_t* entry;
        unsigned level;
    };

    PageTable() = default;
    explicit PageTable(uint64_t root_phys) : root_(root_phys) {}

    // An empty table (a zeroed PML4), or ENOMEM.
    static Result<PageTable> create();
    // Frees every page-table page of the user half and the root (not the pages mapped: the caller
    // owns those). The kernel half's tables are shared, never freed here.
    void destroy();
    uint64_t root_phys() const { return root_; }

    // Maps one page of `page_size` (4 KiB, 2 MiB or 1 GiB; virt and phys aligned to it). EEXIST if
    // anything already maps part of it, ENOMEM if a table could not be allocated, EINVAL for bad
    // arguments or a new kernel top-level entry after freeze_kernel_half().
    Result<void> map(uintptr_t virt, uint64_t phys, uint64_t page_size, PageProt prot);
    // Removes the 4 KiB page at `virt` (a large page around it is split first) and invalidates it in
    // this CPU's TLB. ENOENT if it was not mapped.
    Result<void> unmap(uintptr_t virt);
    // Changes the protection of the 4 KiB page at `virt` (splitting a large page around it).
    Result<void> protect(uintptr_t virt, PageProt prot);
    // Walks the table; false if `virt` is not mapped. The protection is the effective one (what every
    // level allows).
    bool translate(uintptr_t virt, Translation& out) const;
    // The leaf entry mapping `virt`, or {nullptr, 0}.
    Leaf leaf(uintptr_t virt) const;

    // Creates the table one level below the top for `virt` if missing (paging_init pre-populates the
    // kernel's top-level entries with it).
    Result<void> populate_top_level(uintptr_t virt);
    void freeze_kernel_half() { kernel_half_frozen_ = true; }

private:
    // The table at `level` (1..3) that covers `virt`, creating missing tables on the way when `create`,
    // splitting a large page in the way when `split`. nullptr with the reason otherwise.
    Result<uint64_t*> table_for(uintptr_t virt, unsigned level, bool create, bool split);
    Result<void> split_large_page(uint64_t* entry, unsigned level, uintptr_t virt);
    static void free_tables_below(uint64_t table_phys, unsigned level);

    uint64_t root_ = 0;
    bool kernel_half_frozen_ = false;
};

// The kernel's page table (Linux's init_mm.pgd); valid after paging_init.
PageTable& init_page_table();
