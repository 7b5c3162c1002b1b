#pragma once
// A user address space's page table as generic mm code sees it: one entry per 4 KiB user page, in
// generic terms (UserPte), and the operations each architecture implements (x86-64:
// arch/x86_64/mm/user_pgtable.cpp; the host tests: a recording fake in tests/host/mm/).
//
// A page table is named by an opaque handle (x86-64: the physical address of its PML4). Its user half
// starts empty; its kernel half is the kernel's, shared by every address space and never changed after
// boot. Callers serialise all changes to one table (the owning mm's mmap lock); the CPU may walk it
// at any time, so entries change with single stores.
//
// An entry "exists" when it maps a page, whether the page is accessible or not: a PROT_NONE mapping
// keeps its page in an entry that every access faults on (x86: not present, with a software bit).
#include <lib/result.hpp>
#include <stdint.h>
#include <type_traits>

struct UserPte {
    uint64_t pfn = 0;
    bool accessible = true;   // false: PROT_NONE, every access faults
    bool writable = false;
    bool executable = false;
};

using PgdHandle = uint64_t;

// What a walk callback does with the entry it was shown.
enum class PteAction {
    Keep,    // leave it
    Update,  // write back the (changed) UserPte
    Clear,   // remove it
};
using UserPteVisitor = PteAction (*)(void* ctx, uint64_t addr, UserPte& pte);

namespace arch {

// A new table: user half empty, kernel half shared. ENOMEM.
Result<PgdHandle> user_pgd_alloc();
// Empties the user half and frees its page-table pages (the entries must have been cleared, their
// pages released, by the caller). Between detaching the tables from the root and freeing them it calls
// flush(ctx), which must make every CPU that has the root loaded drop what it cached of them. The root
// stays valid: a CPU that still has it loaded (a kernel thread borrowing the address space) sees only
// the kernel half.
void user_pgd_free_tables(PgdHandle pgd, void (*flush)(void* ctx), void* ctx);
// Frees the root itself. No CPU may have it loaded.
void user_pgd_free(PgdHandle pgd);

// The entry for the page at `addr`; false if none exists.
bool user_pte_get(PgdHandle pgd, uint64_t addr, UserPte& out);
// Installs or replaces the entry for the page at `addr`, creating page tables on the way (ENOMEM).
// Does not flush any TLB: the caller does, when it replaced an entry a CPU may have cached.
Result<void> user_pte_set(PgdHandle pgd, uint64_t addr, const UserPte& pte);
// Makes sure the tables down to the entry for `addr` exist, so that a later user_pte_set cannot fail.
Result<void> user_pte_prepare(PgdHandle pgd, uint64_t addr);
// Visits every existing entry in [start, end) in address order (skipping absent tables quickly); the
// visitor may change or clear the entry it is shown, and may use other tables meanwhile.
void user_pte_walk(PgdHandle pgd, uint64_t start, uint64_t end, UserPteVisitor visit, void* ctx);

// Loads `pgd` on this CPU (x86: CR3), or the kernel's own table.
void load_user_pgd(PgdHandle pgd);
void load_kernel_pgd();
// Drops this CPU's cached translations of the user pages in [start, end).
void flush_tlb_user_local(uint64_t start, uint64_t end);

}  // namespace arch

// user_pte_walk with a lambda: fn(uint64_t addr, UserPte& pte) -> PteAction.
template <class Fn>
void walk_user_ptes(PgdHandle pgd, uint64_t start, uint64_t end, Fn&& fn) {
    using F = std::remove_reference_t<Fn>;
    arch::user_pte_walk(
        pgd, start, end,
        [](void* ctx, uint64_t addr, UserPte& pte) { return (*static_cast<F*>(ctx))(addr, pte); }, &fn);
}
