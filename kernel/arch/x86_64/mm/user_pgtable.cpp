// User page tables on x86-64 (the arch side of mm/user_pgtable.hpp).
//
// A user address space's PML4 holds the user half (entries 0-255, built on demand from 4 KiB pages
// only) and a copy of the kernel's entries 256-511, which never change after boot (page_table.hpp), so
// the copy stays right for the table's whole life.
//
// Entry encoding. An accessible page: Present | User | Accessed, Write if writable, NX unless
// executable. A PROT_NONE page: not present, with kProtNone (a bit the CPU ignores in a not-present
// entry) and the frame kept, so mprotect can give access back without losing the page. Dirty is left to
// the CPU; nothing reads it yet (no write-back: file data lives in the page cache).
#include <arch/x86_64/io.hpp>
#include <arch/x86_64/mm/page_table.hpp>
#include <arch/x86_64/mm/pte.hpp>
#include <arch/x86_64/mm/tlb.hpp>
#include <lib/list.hpp>
#include <mm/gfp.hpp>
#include <mm/page.hpp>
#include <mm/user_pgtable.hpp>

namespace {

using namespace x86;

constexpr uint64_t kProtNone = 1ull << 9;  // an "available" bit: software's own
constexpr unsigned kUserEntries = pte::kEntries / 2;
constexpr uint64_t kUserHalfEnd = 1ull << 47;
// Beyond this many pages a full flush (a CR3 reload keeps the kernel's global entries) is cheaper
// than one invlpg each (Linux's tlb_single_page_flush_ceiling).
constexpr uint64_t kFlushCeilingPages = 33;

uint64_t* table_at(uint64_t phys) { return static_cast<uint64_t*>(arch::phys_to_virt(phys)); }
void set_entry(uint64_t* entry, uint64_t value) { __atomic_store_n(entry, value, __ATOMIC_RELEASE); }

Result<uint64_t> alloc_table() {
    Page* page = alloc_pages(GFP_KERNEL | GFP_ZERO, 0);
    if (!page) return Errno::ENOMEM;
    page->set(PG_pgtable);
    return page_to_phys(page);
}

Page* table_page(uint64_t phys) { return pfn_to_page(phys >> kPageShift); }

void free_table(uint64_t phys) {
    Page* page = table_page(phys);
    page->clear(PG_pgtable);
    free_pages(page, 0);
}

void free_tables_below(uint64_t table_phys, unsigned level) {
    if (level > 1) {
        uint64_t* table = table_at(table_phys);
        for (unsigned i = 0; i < pte::kEntries; i++)
            if (table[i] & pte::Present) free_tables_below(pte::address(table[i], level), level - 1);
    }
    free_table(table_phys);
}

bool entry_exists(uint64_t e) { return e & (pte::Present | kProtNone); }

uint64_t encode(const UserPte& pte) {
    uint64_t e = (pte.pfn << kPageShift) & pte::AddressMask;
    if (!pte.accessible) return e | kProtNone;
    e |= pte::Present | pte::User | pte::Accessed;
    if (pte.writable) e |= pte::Write;
    if (!pte.executable && pte::nx_supported()) e |= pte::NoExecute;
    return e;
}

UserPte decode(uint64_t e) {
    UserPte pte;
    pte.pfn = (e & pte::AddressMask) >> kPageShift;
    pte.accessible = e & pte::Present;
    pte.writable = pte.accessible && (e & pte::Write);
    pte.executable = pte.accessible && !(e & pte::NoExecute);
    return pte;
}

// The level-1 entry for `addr`, creating the tables above it when `create`; nullptr if one is missing
// (when creating: could not be allocated).
uint64_t* leaf_entry(PgdHandle pgd, uint64_t addr, bool create) {
    uint64_t* table = table_at(pgd);
    for (unsigned level = pte::kLevels; level > 1; level--) {
        uint64_t* entry = &table[pte::index_at(addr, level)];
        if (!(*entry & pte::Present)) {
            if (!create) return nullptr;
            Result<uint64_t> phys = alloc_table();
            if (phys.is_error()) return nullptr;
            set_entry(entry, phys.value() | pte::table_bits(/*user=*/true));
        }
        table = table_at(pte::address(*entry, level));
    }
    return &table[pte::index_at(addr, 1)];
}

void walk_level(uint64_t table_phys, unsigned level, uint64_t base, uint64_t start, uint64_t end,
                UserPteVisitor visit, void* ctx) {
    uint64_t* table = table_at(table_phys);
    uint64_t span = pte::page_size_at(level);
    for (unsigned i = pte::index_at(start > base ? start : base, level); i < pte::kEntries; i++) {
        uint64_t addr = base + i * span;
        if (addr >= end) return;
        uint64_t e = table[i];
        if (level > 1) {
            if (e & pte::Present) walk_level(pte::address(e, level), level - 1, addr, start, end, visit, ctx);
            continue;
        }
        if (!entry_exists(e)) continue;
        UserPte pte = decode(e);
        switch (visit(ctx, addr, pte)) {
        case PteAction::Keep: break;
        case PteAction::Update: set_entry(&table[i], encode(pte)); break;
        case PteAction::Clear: set_entry(&table[i], 0); break;
        }
    }
}

}  // namespace

Result<PgdHandle> arch::user_pgd_alloc() {
    uint64_t root = TRY(alloc_table());
    const uint64_t* kernel = table_at(init_page_table().root_phys());
    uint64_t* table = table_at(root);
    for (unsigned i = kUserEntries; i < pte::kEntries; i++) table[i] = kernel[i];
    return root;
}

void arch::user_pgd_free_tables(PgdHandle pgd, void (*flush)(void* ctx), void* ctx) {
    // Detach first and free after the flush: a CPU's paging-structure caches may still point at them.
    IntrusiveList<Page, &Page::lru> detached;
    uint64_t* root = table_at(pgd);
    for (unsigned i = 0; i < kUserEntries; i++) {
        if (!(root[i] & pte::Present)) continue;
        detached.push_back(*table_page(pte::address(root[i], pte::kLevels)));
        set_entry(&root[i], 0);
    }
    flush(ctx);
    while (Page* page = detached.pop_front()) free_tables_below(page_to_phys(page), pte::kLevels - 1);
}

void arch::user_pgd_free(PgdHandle pgd) { free_table(pgd); }

bool arch::user_pte_get(PgdHandle pgd, uint64_t addr, UserPte& out) {
    uint64_t* entry = leaf_entry(pgd, addr, /*create=*/false);
    if (!entry || !entry_exists(*entry)) return false;
    out = decode(*entry);
    return true;
}

Result<void> arch::user_pte_set(PgdHandle pgd, uint64_t addr, const UserPte& pte) {
    if (addr >= kUserHalfEnd) return Errno::EINVAL;
    uint64_t* entry = leaf_entry(pgd, addr, /*create=*/true);
    if (!entry) return Errno::ENOMEM;
    set_entry(entry, encode(pte));
    return {};
}

Result<void> arch::user_pte_prepare(PgdHandle pgd, uint64_t addr) {
    if (addr >= kUserHalfEnd) return Errno::EINVAL;
    return leaf_entry(pgd, addr, /*create=*/true) ? Result<void>() : Result<void>(Errno::ENOMEM);
}

void arch::user_pte_walk(PgdHandle pgd, uint64_t start, uint64_t end, UserPteVisitor visit, void* ctx) {
    if (end > kUserHalfEnd) end = kUserHalfEnd;
    if (start < end) walk_level(pgd, pte::kLevels, 0, start, end, visit, ctx);
}

void arch::load_user_pgd(PgdHandle pgd) { write_cr3(pgd); }
void arch::load_kernel_pgd() { write_cr3(init_page_table().root_phys()); }

void arch::flush_tlb_user_local(uint64_t start, uint64_t end) {
    if ((end - start) >> kPageShift > kFlushCeilingPages) {
        write_cr3(read_cr3());  // drops every non-global (user) entry
        return;
    }
    for (uint64_t addr = start; addr < end; addr += kPageSize) invlpg(addr);
}
