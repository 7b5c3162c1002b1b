#pragma once
// A recording stand-in for the architecture's user page tables (mm/user_pgtable.hpp) on the host: each
// table is a map from page address to entry, so the generic mm code (faults, fork, munmap...) can be
// tested against what it installs. "Loading" a table and TLB flushes are recorded, not performed.
#include <mm/user_pgtable.hpp>
#include <cstddef>
#include <cstdint>

namespace fake_pgtable {

// The table "loaded on this CPU" (0: the kernel's).
PgdHandle loaded();
// Local TLB flush calls so far.
uint64_t local_flushes();
// Entries a table holds; tables alive (leak checks).
size_t entries(PgdHandle pgd);
size_t live_tables();
// After `n` more entries are created, creating one fails with ENOMEM (as a page-table page allocation
// would); negative: never. Replacing an existing entry always works.
void fail_new_entries_after(long n);

}  // namespace fake_pgtable
