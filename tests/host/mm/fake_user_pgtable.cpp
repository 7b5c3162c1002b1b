// The host's user page tables: see fake_user_pgtable.hpp.
#include "mm/fake_user_pgtable.hpp"

#include <map>
#include <set>

namespace {

struct FakeTable {
    std::map<uint64_t, UserPte> ptes;
    std::set<uint64_t> prepared;  // pages whose "tables" exist (user_pte_prepare, user_pte_set)
};

PgdHandle loaded_pgd = 0;
uint64_t flush_count = 0;
size_t tables_alive = 0;
long new_entry_budget = -1;

FakeTable& table(PgdHandle pgd) { return *reinterpret_cast<FakeTable*>(pgd); }

bool take_budget() {
    if (new_entry_budget == 0) return false;
    if (new_entry_budget > 0) new_entry_budget--;
    return true;
}

}  // namespace

namespace fake_pgtable {
PgdHandle loaded() { return loaded_pgd; }
uint64_t local_flushes() { return flush_count; }
size_t entries(PgdHandle pgd) { return table(pgd).ptes.size(); }
size_t live_tables() { return tables_alive; }
void fail_new_entries_after(long n) { new_entry_budget = n; }
}  // namespace fake_pgtable

Result<PgdHandle> arch::user_pgd_alloc() {
    tables_alive++;
    return reinterpret_cast<PgdHandle>(new FakeTable);
}

void arch::user_pgd_free_tables(PgdHandle pgd, void (*flush)(void*), void* ctx) {
    flush(ctx);
    table(pgd).ptes.clear();
    table(pgd).prepared.clear();
}

void arch::user_pgd_free(PgdHandle pgd) {
    tables_alive--;
    delete &table(pgd);
}

bool arch::user_pte_get(PgdHandle pgd, uint64_t addr, UserPte& out) {
    auto it = table(pgd).ptes.find(addr & ~0xfffull);
    if (it == table(pgd).ptes.end()) return false;
    out = it->second;
    return true;
}

Result<void> arch::user_pte_set(PgdHandle pgd, uint64_t addr, const UserPte& pte) {
    FakeTable& t = table(pgd);
    addr &= ~0xfffull;
    if (!t.ptes.count(addr) && !t.prepared.count(addr)) {
        if (!take_budget()) return Errno::ENOMEM;
        t.prepared.insert(addr);
    }
    t.ptes[addr] = pte;
    return {};
}

Result<void> arch::user_pte_prepare(PgdHandle pgd, uint64_t addr) {
    FakeTable& t = table(pgd);
    addr &= ~0xfffull;
    if (t.ptes.count(addr) || t.prepared.count(addr)) return {};
    if (!take_budget()) return Errno::ENOMEM;
    t.prepared.insert(addr);
    return {};
}

void arch::user_pte_walk(PgdHandle pgd, uint64_t start, uint64_t end, UserPteVisitor visit, void* ctx) {
    FakeTable& t = table(pgd);
    // Look each entry up again after the visit: the visitor may add entries elsewhere (mremap).
    for (auto it = t.ptes.lower_bound(start); it != t.ptes.end() && it->first < end;) {
        uint64_t addr = it->first;
        UserPte pte = it->second;
        PteAction action = visit(ctx, addr, pte);
        it = t.ptes.find(addr);
        if (action == PteAction::Update) it->second = pte;
        if (action == PteAction::Clear)
            it = t.ptes.erase(it);
        else
            ++it;
    }
}

void arch::load_user_pgd(PgdHandle pgd) { loaded_pgd = pgd; }
void arch::load_kernel_pgd() { loaded_pgd = 0; }
void arch::flush_tlb_user_local(uint64_t, uint64_t) { flush_count++; }
