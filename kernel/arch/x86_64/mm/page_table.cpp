// x86-64 page-table walks, mapping, unmapping, protection changes and large-page splitting.
#include <arch/x86_64/mm/page_table.hpp>
#include <arch/x86_64/mm/tlb.hpp>
#include <mm/gfp.hpp>
#include <mm/page.hpp>
#include <printk/panic.hpp>

namespace {

using namespace x86;

uint64_t* table_at(uint64_t phys) { return static_cast<uint64_t*>(arch::phys_to_virt(phys)); }

bool is_user_half(uintptr_t virt) { return virt < (1ull << 47); }
bool is_huge(uint64_t entry, unsigned level) { return level > 1 && (entry & pte::Huge); }

// Entries are written with single stores so the CPU's walker never sees half an entry.
void set_entry(uint64_t* entry, uint64_t value) { __atomic_store_n(entry, value, __ATOMIC_RELEASE); }

Result<uint64_t> alloc_table() {
    Page* page = alloc_pages(GFP_ATOMIC | GFP_ZERO, 0);
    if (!page) return Errno::ENOMEM;
    page->set(PG_pgtable);
    return page_to_phys(page);
}

unsigned level_for_size(uint64_t page_size) {
    switch (page_size) {
    case kPageSize4K: return 1;
    case kPageSize2M: return 2;
    case kPageSize1G: return 3;
    default: return 0;
    }
}

}  // namespace

Result<PageTable> PageTable::create() {
    uint64_t root = TRY(alloc_table());
    return PageTable(root);
}

void PageTable::free_tables_below(uint64_t table_phys, unsigned level) {
    uint64_t* table = table_at(table_phys);
    if (level > 1) {
        for (unsigned i = 0; i < pte::kEntries; i++)
            if ((table[i] & pte::Present) && !is_huge(table[i], level)) free_tables_below(pte::address(table[i], level), level - 1);
    }
    Page* page = pfn_to_page(table_phys >> kPageShift);
    page->clear(PG_pgtable);
    free_pages(page, 0);
}

void PageTable::destroy() {
    if (!root_) return;
    uint64_t* pml4 = table_at(root_);
    for (unsigned i = 0; i < pte::kEntries / 2; i++)
        if (pml4[i] & pte::Present) free_tables_below(pte::address(pml4[i], pte::kLevels), pte::kLevels - 1);
    Page* page = pfn_to_page(root_ >> kPageShift);
    page->clear(PG_pgtable);
    free_pages(page, 0);
    root_ = 0;
}

Result<uint64_t*> PageTable::table_for(uintptr_t virt, unsigned level, bool create, bool split) {
    uint64_t* table = table_at(root_);
    for (unsigned l = pte::kLevels; l > level; l--) {
        uint64_t* entry = &table[pte::index_at(virt, l)];
        if (!(*entry & pte::Present)) {
            if (!create) return Errno::ENOENT;
            if (l == pte::kLevels && !is_user_half(virt) && kernel_half_frozen_) {
                // It would be invisible to the address spaces that copied the kernel half.
                warn_slowpath(__FILE__, __LINE__, "new kernel top-level entry after paging_init");
                return Errno::EINVAL;
            }
            uint64_t phys = TRY(alloc_table());
            set_entry(entry, phys | pte::table_bits(is_user_half(virt)));
        } else if (is_huge(*entry, l)) {
            if (!split) return Errno::EEXIST;
            TRY(split_large_page(entry, l, virt));
        }
        table = table_at(pte::address(*entry, l));
    }
    return table;
}

// Replaces a large page by a table of 512 pages one level down with the same attributes.
Result<void> PageTable::split_large_page(uint64_t* entry, unsigned level, uintptr_t virt) {
    uint64_t old = *entry;
    uint64_t base = pte::address(old, level);
    uint64_t attrs = old & ~pte::AddressMask;  // includes NX (bit 63) and, for level 2 children, Huge
    unsigned child_level = level - 1;
    if (child_level == 1) attrs &= ~pte::Huge;
    uint64_t table_phys = TRY(alloc_table());
    uint64_t* table = table_at(table_phys);
    for (unsigned i = 0; i < pte::kEntries; i++) table[i] = (base + i * pte::page_size_at(child_level)) | attrs;
    set_entry(entry, table_phys | pte::table_bits(is_user_half(virt)));
    // The large page may be cached whole or in pieces: drop all of it. Splits are rare.
    flush_tlb_all();
    return {};
}

Result<void> PageTable::map(uintptr_t virt, uint64_t phys, uint64_t page_size, PageProt prot) {
    unsigned level = level_for_size(page_size);
    if (!level || (virt & (page_size - 1)) || (phys & (page_size - 1)) || (phys & ~pte::AddressMask))
        return Errno::EINVAL;
    uint64_t* table = TRY(table_for(virt, level, /*create=*/true, /*split=*/false));
    uint64_t* entry = &table[pte::index_at(virt, level)];
    if (*entry & pte::Present) return Errno::EEXIST;
    set_entry(entry, phys | pte::leaf_bits(prot, level));
    return {};
}

Result<void> PageTable::unmap(uintptr_t virt) {
    Leaf found = leaf(virt);
    if (!found.entry) return Errno::ENOENT;
    uint64_t* table = TRY(table_for(virt, 1, /*create=*/false, /*split=*/true));
    set_entry(&table[pte::index_at(virt, 1)], 0);
    invlpg(virt);
    return {};
}

Result<void> PageTable::protect(uintptr_t virt, PageProt prot) {
    if (!leaf(virt).entry) return Errno::ENOENT;
    uint64_t* table = TRY(table_for(virt, 1, /*create=*/false, /*split=*/true));
    uint64_t* entry = &table[pte::index_at(virt, 1)];
    set_entry(entry, pte::address(*entry, 1) | pte::leaf_bits(prot, 1));
    invlpg(virt);
    return {};
}

PageTable::Leaf PageTable::leaf(uintptr_t virt) const {
    uint64_t* table = table_at(root_);
    for (unsigned l = pte::kLevels; l >= 1; l--) {
        uint64_t* entry = &table[pte::index_at(virt, l)];
        if (!(*entry & pte::Present)) return {nullptr, 0};
        if (l == 1 || is_huge(*entry, l)) return {entry, l};
        table = table_at(pte::address(*entry, l));
    }
    return {nullptr, 0};
}

bool PageTable::translate(uintptr_t virt, Translation& out) const {
    uint64_t* table = table_at(root_);
    bool writable = true, user = true, executable = true;
    for (unsigned l = pte::kLevels; l >= 1; l--) {
        uint64_t entry = table[pte::index_at(virt, l)];
        if (!(entry & pte::Present)) return false;
        writable &= bool(entry & pte::Write);
        user &= bool(entry & pte::User);
        executable &= !(entry & pte::NoExecute);
        if (l == 1 || is_huge(entry, l)) {
            uint64_t size = pte::page_size_at(l);
            out.phys = pte::address(entry, l) + (virt & (size - 1));
            out.page_size = size;
            PageProt p = pte::prot_of(entry) & (prot::Global | prot::NoCache);
            if (writable) p |= prot::Write;
            if (user) p |= prot::User;
            if (executable) p |= prot::Exec;
            out.prot = p;
            return true;
        }
        table = table_at(pte::address(entry, l));
    }
    return false;
}

Result<void> PageTable::populate_top_level(uintptr_t virt) {
    TRY(table_for(virt, pte::kLevels - 1, /*create=*/true, /*split=*/false));
    return {};
}
