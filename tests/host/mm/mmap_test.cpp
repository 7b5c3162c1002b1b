// mmap/munmap semantics and the placement of new mappings (mm/mmap.hpp).
#include "mm/user_mm_fixture.hpp"

namespace {

using MmapTest = UserMmTest;
constexpr uint64_t P = 4096;
constexpr int kAnon = MAP_PRIVATE | MAP_ANONYMOUS;
constexpr int kRw = PROT_READ | PROT_WRITE;

Errno mmap_error(MmStruct* mm, uint64_t addr, uint64_t len, int prot, int flags) {
    Result<uint64_t> r = vm_mmap(mm, addr, len, prot, flags, nullptr, 0);
    return r.is_error() ? r.error() : Errno::OK;
}

TEST_F(MmapTest, MmapBaseLeavesRoomForTheStack) {
    // Linux without randomisation: 128 MiB below the top for an 8 MiB RLIMIT_STACK.
    EXPECT_EQ(mmap_base_for(8ull << 20), 0x7ffff7fff000ull);
    EXPECT_EQ(mmap_base_for(1ull << 30), page_align_down(TASK_SIZE - (1ull << 30) - kStackGuardGap));
    EXPECT_EQ(mmap_base_for(kRlimInfinity), page_align_down(TASK_SIZE - TASK_SIZE / 6 * 5));
    EXPECT_EQ(mm->mmap_base, 0x7ffff7fff000ull);
}

TEST_F(MmapTest, TopDownBelowTheBaseAndAdjacentAnonymousMappingsMerge) {
    uint64_t a = map_anon(4 * P);
    EXPECT_EQ(a, mm->mmap_base - 4 * P);
    uint64_t b = map_anon(2 * P);
    EXPECT_EQ(b, a - 2 * P);
    EXPECT_EQ(nr_vmas(), 1u);  // same flags, contiguous: one area, as on Linux
    uint64_t c = map_anon(P, PROT_READ);
    EXPECT_EQ(c, b - P);
    EXPECT_EQ(nr_vmas(), 2u);
    EXPECT_EQ(mm->total_vm, 7u);
}

TEST_F(MmapTest, HintIsUsedWhenFreeAndIgnoredOtherwise) {
    uint64_t a = map(0x10000000, 3 * P, kRw, kAnon);
    EXPECT_EQ(a, 0x10000000u);
    uint64_t b = map(0x10001000, P, kRw, kAnon);  // overlaps: placed top-down instead
    EXPECT_NE(b, 0x10001000u);
    EXPECT_EQ(b, mm->mmap_base - P);
    EXPECT_EQ(map(0x10003000 + 123, P, kRw, kAnon), 0x10003000u);  // rounded down, free: used
    EXPECT_EQ(map(0x1000, P, kRw, kAnon), kMmapMinAddr);           // below mmap_min_addr: raised
}

TEST_F(MmapTest, FixedReplacesWhatIsThere) {
    uint64_t a = map(0x20000000, 8 * P, kRw, kAnon);
    ASSERT_EQ(write(a + 3 * P, 7), FaultResult::Handled);
    EXPECT_EQ(map(a + 2 * P, 2 * P, PROT_READ, kAnon | MAP_FIXED), a + 2 * P);
    EXPECT_EQ(nr_vmas(), 3u);
    EXPECT_EQ(peek(a + 3 * P), 0);  // the new mapping is fresh memory
    EXPECT_EQ(vma_lookup(mm, a + 2 * P)->flags & VM_ACCESS_FLAGS, VM_READ);
    EXPECT_EQ(mm->total_vm, 8u);
    EXPECT_EQ(mm_rss_pages(mm), 0u);
}

TEST_F(MmapTest, FixedNoReplaceRefusesOverlap) {
    uint64_t a = map(0x20000000, 4 * P, kRw, kAnon);
    EXPECT_EQ(mmap_error(mm, a + P, P, kRw, kAnon | MAP_FIXED_NOREPLACE), Errno::EEXIST);
    EXPECT_EQ(map(a + 4 * P, P, kRw, kAnon | MAP_FIXED_NOREPLACE), a + 4 * P);
}

TEST_F(MmapTest, ArgumentErrorsAreLinuxs) {
    EXPECT_EQ(mmap_error(mm, 0, 0, kRw, kAnon), Errno::EINVAL);
    EXPECT_EQ(mmap_error(mm, 0, P, kRw, MAP_ANONYMOUS), Errno::EINVAL);                         // no type
    EXPECT_EQ(mmap_error(mm, 0, P, kRw, MAP_SHARED_VALIDATE | MAP_ANONYMOUS), Errno::EINVAL);  // 6.1
    EXPECT_EQ(mmap_error(mm, 0x20000001, P, kRw, kAnon | MAP_FIXED), Errno::EINVAL);
    EXPECT_EQ(mmap_error(mm, 0, ~0ull - 100, kRw, kAnon), Errno::ENOMEM);
    EXPECT_EQ(mmap_error(mm, 0, TASK_SIZE + P, kRw, kAnon), Errno::ENOMEM);
    EXPECT_EQ(mmap_error(mm, TASK_SIZE - P, 2 * P, kRw, kAnon | MAP_FIXED), Errno::ENOMEM);
    EXPECT_EQ(mmap_error(mm, 0x1000, P, kRw, kAnon | MAP_FIXED), Errno::EPERM);
    EXPECT_EQ(mmap_error(mm, 0, P, kRw, kAnon | MAP_HUGETLB), Errno::ENOMEM);
    EXPECT_EQ(mmap_error(mm, 0, P, kRw, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN), Errno::EINVAL);
    EXPECT_EQ(nr_vmas(), 0u);
}

TEST_F(MmapTest, LengthIsRoundedUpToPages) {
    uint64_t a = map_anon(P + 1);
    EXPECT_EQ(vma_lookup(mm, a)->end - a, 2 * P);
}

TEST_F(MmapTest, SearchSkipsOccupiedRangesAndStackGaps) {
    // Fill the top of the mmap area, leaving a one-page hole and then a stack just below.
    uint64_t base = mm->mmap_base;
    map(base - 4 * P, 4 * P, kRw, kAnon | MAP_FIXED);
    map(base - 6 * P, P, PROT_READ, kAnon | MAP_FIXED);  // hole at base-5P
    EXPECT_EQ(map_anon(P, PROT_READ | PROT_EXEC), base - 5 * P);
    EXPECT_EQ(map_anon(2 * P, PROT_READ | PROT_EXEC), base - 8 * P);
    // A stack area keeps kStackGuardGap free below it.
    uint64_t stack = map(0x50000000, 16 * P, kRw, kAnon | MAP_GROWSDOWN | MAP_FIXED);
    EXPECT_TRUE(vma_lookup(mm, stack)->flags & VM_GROWSDOWN);
    Result<uint64_t> below = get_unmapped_area(mm, stack - P, P);  // a hint inside the gap is refused
    ASSERT_FALSE(below.is_error());
    EXPECT_NE(below.value(), stack - P);
}

TEST_F(MmapTest, BottomUpWhenNothingFitsBelowTheBase) {
    mm->mmap_base = kMmapMinAddr + 4 * P;  // almost no room below
    uint64_t a = map_anon(16 * P);
    EXPECT_EQ(a, kTaskUnmappedBase);
}

TEST_F(MmapTest, MunmapSplitsAndRemoves) {
    uint64_t a = map(0x30000000, 10 * P, kRw, kAnon);
    for (int i = 0; i < 10; i++) ASSERT_EQ(write(a + i * P, uint8_t(i + 1)), FaultResult::Handled);
    EXPECT_EQ(mm_rss_pages(mm), 10u);
    ASSERT_FALSE(vm_munmap(mm, a + 4 * P, 2 * P).is_error());
    EXPECT_EQ(nr_vmas(), 2u);
    EXPECT_EQ(mm_rss_pages(mm), 8u);
    EXPECT_EQ(mm->total_vm, 8u);
    uint8_t byte;
    EXPECT_EQ(read(a + 4 * P, byte), FaultResult::MapError);
    EXPECT_EQ(read(a + 5 * P + 100, byte), FaultResult::MapError);
    EXPECT_EQ(peek(a + 3 * P), 4);
    EXPECT_EQ(peek(a + 6 * P), 7);
    // Across both pieces and the hole.
    ASSERT_FALSE(vm_munmap(mm, a + 2 * P, 6 * P).is_error());
    EXPECT_EQ(nr_vmas(), 2u);
    EXPECT_EQ(vma_lookup(mm, a)->end, a + 2 * P);
    EXPECT_EQ(vma_lookup(mm, a + 8 * P)->start, a + 8 * P);
    EXPECT_EQ(mm_rss_pages(mm), 4u);
    // Unmapping nothing is fine; bad arguments are not.
    EXPECT_FALSE(vm_munmap(mm, 0x60000000, P).is_error());
    EXPECT_EQ(vm_munmap(mm, a + 1, P).error(), Errno::EINVAL);
    EXPECT_EQ(vm_munmap(mm, a, 0).error(), Errno::EINVAL);
    EXPECT_EQ(vm_munmap(mm, TASK_SIZE - P, 2 * P).error(), Errno::EINVAL);
}

TEST_F(MmapTest, MunmapFreesThePages) {
    uint64_t a = map_anon(4 * P);
    ASSERT_EQ(write(a, 1), FaultResult::Handled);
    Page* page = page_of(mm, a);
    ASSERT_NE(page, nullptr);
    EXPECT_EQ(page_count(page), 1);
    uint64_t free_before = nr_free_pages();
    ASSERT_FALSE(vm_munmap(mm, a, 4 * P).is_error());
    EXPECT_EQ(nr_free_pages(), free_before + 1);
    EXPECT_EQ(fake_pgtable::entries(mm->pgd), 0u);
}

TEST_F(MmapTest, PopulateFaultsEverythingIn) {
    uint64_t a = map(0, 8 * P, kRw, kAnon | MAP_POPULATE);
    EXPECT_EQ(mm_rss_pages(mm), 8u);
    UserPte p;
    ASSERT_TRUE(pte(mm, a + 7 * P, p));
    EXPECT_TRUE(p.writable);
    // Read-only mappings are populated with the zero page: nothing is allocated.
    map(0, 4 * P, PROT_READ, kAnon | MAP_POPULATE);
    EXPECT_EQ(mm_rss_pages(mm), 8u);
    EXPECT_EQ(fake_pgtable::entries(mm->pgd), 12u);
}

TEST_F(MmapTest, SharedAnonymousMappingHasItsOwnBacking) {
    uint64_t a = map(0, 4 * P, kRw, MAP_SHARED | MAP_ANONYMOUS);
    VmArea* vma = vma_lookup(mm, a);
    ASSERT_NE(vma, nullptr);
    EXPECT_TRUE(vma->flags & VM_SHARED);
    EXPECT_TRUE(vma_is_shmem(vma));
    ASSERT_EQ(write(a + P, 9), FaultResult::Handled);
    EXPECT_EQ(shmem_nr_pages(vma), 1u);
    EXPECT_EQ(page_count(page_of(mm, a + P)), 2);  // the object's reference and the mapping's
}

}  // namespace
