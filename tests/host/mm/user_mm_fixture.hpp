#pragma once
// Host tests of user address spaces: a fresh page arena, an address space on the recording page
// table (fake_user_pgtable.hpp), and an MMU stand-in that accesses user memory the way the CPU would:
// through the entry if it allows the access, else by taking a fault (the generic fault policy) and
// retrying.
#include "mm/fake_user_pgtable.hpp"
#include "mm/mm_arena.hpp"

#include <mm/fault.hpp>
#include <mm/memory.hpp>
#include <mm/mm_struct.hpp>
#include <mm/mmap.hpp>
#include <mm/mm_hooks.hpp>
#include <mm/shmem.hpp>

#include <gtest/gtest.h>

// One byte of user memory, as a user-mode access would go: through the entry if it allows the access,
// else by taking a fault and retrying.
inline FaultResult mmu_access(MmStruct* space, uint64_t addr, bool write, uint8_t& byte) {
    for (int attempt = 0; attempt < 3; attempt++) {
        UserPte pte;
        if (arch::user_pte_get(space->pgd, addr, pte) && pte.accessible && (!write || pte.writable)) {
            uint8_t* p = static_cast<uint8_t*>(arch::phys_to_virt(pte.pfn << 12)) + (addr & 0xfff);
            if (write)
                *p = byte;
            else
                byte = *p;
            return FaultResult::Handled;
        }
        FaultResult r = do_user_addr_fault(space, addr, FAULT_FLAG_USER | (write ? FAULT_FLAG_WRITE : 0));
        if (r != FaultResult::Handled) return r;
    }
    ADD_FAILURE() << "fault at " << std::hex << addr << " resolved but the access still faults";
    return FaultResult::Sigbus;
}

class UserMmTest : public ::testing::Test {
protected:
    static constexpr uint64_t kPage = 4096;

    MmArena arena{4096};
    MmStruct* mm = nullptr;

    void SetUp() override {
        fake_pgtable::fail_new_entries_after(-1);
        mm = new_mm();
    }
    void TearDown() override {
        if (mm) mmput(mm);
        fake_pgtable::fail_new_entries_after(-1);
    }

    static MmStruct* new_mm() {
        Result<MmStruct*> mm = mm_alloc();
        EXPECT_FALSE(mm.is_error());
        return mm.is_error() ? nullptr : mm.value();
    }

    // mmap in `space` (mm by default), expecting success.
    uint64_t map(uint64_t addr, uint64_t len, int prot, int flags, MmStruct* space = nullptr) {
        Result<uint64_t> r = vm_mmap(space ? space : mm, addr, len, prot, flags, nullptr, 0);
        EXPECT_FALSE(r.is_error()) << "mmap failed: " << int(r.error());
        return r.is_error() ? 0 : r.value();
    }
    uint64_t map_anon(uint64_t len, int prot = PROT_READ | PROT_WRITE, MmStruct* space = nullptr) {
        return map(0, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, space);
    }

    static FaultResult access(MmStruct* space, uint64_t addr, bool write, uint8_t& byte) {
        return mmu_access(space, addr, write, byte);
    }
    FaultResult write(uint64_t addr, uint8_t value, MmStruct* space = nullptr) {
        return access(space ? space : mm, addr, true, value);
    }
    FaultResult read(uint64_t addr, uint8_t& value, MmStruct* space = nullptr) {
        return access(space ? space : mm, addr, false, value);
    }
    // The byte at addr (which must be readable).
    uint8_t peek(uint64_t addr, MmStruct* space = nullptr) {
        uint8_t value = 0xee;
        EXPECT_EQ(read(addr, value, space), FaultResult::Handled) << std::hex << addr;
        return value;
    }

    static bool pte(MmStruct* space, uint64_t addr, UserPte& out) { return arch::user_pte_get(space->pgd, addr, out); }
    static uint64_t pfn_of(MmStruct* space, uint64_t addr) {
        UserPte p;
        return pte(space, addr, p) ? p.pfn : 0;
    }
    static Page* page_of(MmStruct* space, uint64_t addr) {
        UserPte p;
        return pte(space, addr, p) ? vm_normal_page(p) : nullptr;
    }
    size_t nr_vmas(MmStruct* space = nullptr) { return (space ? space : mm)->vmas.size(); }
};
