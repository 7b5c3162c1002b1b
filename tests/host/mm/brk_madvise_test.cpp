// brk(2) and madvise(2)/msync(2).
#include "mm/user_mm_fixture.hpp"

namespace {

using MadviseTest = UserMmTest;
constexpr uint64_t P = 4096;
constexpr int kAnon = MAP_PRIVATE | MAP_ANONYMOUS;
constexpr int kRw = PROT_READ | PROT_WRITE;

class HeapTest : public UserMmTest {
protected:
    static constexpr uint64_t kStart = 0x601234;  // end of bss, not page-aligned
    void SetUp() override {
        UserMmTest::SetUp();
        MmLayout& layout = mm_layout(mm);
        layout.start_brk = layout.brk = kStart;
    }
    uint64_t brk(uint64_t to) {
        MmapLockGuard guard(mm);
        return do_brk(mm, to);
    }
};

TEST_F(HeapTest, GrowsShrinksAndReturnsTheBreak) {
    EXPECT_EQ(brk(0), kStart);  // the query idiom: an invalid break returns the current one
    EXPECT_EQ(brk(kStart + 100), kStart + 100);  // still inside the first page: no area needed yet
    EXPECT_EQ(nr_vmas(), 0u);
    EXPECT_EQ(brk(kStart + 3 * P), kStart + 3 * P);
    VmArea* heap = vma_lookup(mm, kStart + 2 * P);
    ASSERT_NE(heap, nullptr);
    EXPECT_EQ(heap->start, page_align_up(kStart));
    EXPECT_EQ(heap->end, page_align_up(kStart + 3 * P));
    ASSERT_EQ(write(kStart + 2 * P, 9), FaultResult::Handled);
    EXPECT_EQ(brk(kStart + 5 * P), kStart + 5 * P);
    EXPECT_EQ(nr_vmas(), 1u);  // grown by merging
    EXPECT_EQ(peek(kStart + 2 * P), 9);
    EXPECT_EQ(brk(kStart + P), kStart + P);
    uint8_t byte;
    EXPECT_EQ(read(kStart + 2 * P, byte), FaultResult::MapError);
    EXPECT_EQ(brk(kStart - 1), kStart + P);  // below the start: refused
}

TEST_F(HeapTest, RefusesToRunIntoAMapping) {
    uint64_t wall = page_align_up(kStart) + 8 * P;
    map(wall, P, kRw, kAnon | MAP_FIXED);
    EXPECT_EQ(brk(wall - P), wall - P);        // leaves a page of gap
    EXPECT_EQ(brk(wall), wall - P);            // would touch it: the old break comes back
    EXPECT_EQ(brk(wall + 4 * P), wall - P);
}

TEST_F(MadviseTest, DontneedMakesPrivateAnonymousMemoryReadZero) {
    uint64_t a = map_anon(4 * P);
    for (int i = 0; i < 4; i++) ASSERT_EQ(write(a + i * P, 0x5a), FaultResult::Handled);
    ASSERT_FALSE(do_madvise(mm, a + P, 2 * P, MADV_DONTNEED).is_error());
    EXPECT_EQ(peek(a + P), 0);
    EXPECT_EQ(peek(a + 2 * P), 0);
    EXPECT_EQ(peek(a), 0x5a);
    EXPECT_EQ(peek(a + 3 * P), 0x5a);
    EXPECT_EQ(mm_rss_pages(mm), 2u);
    EXPECT_EQ(nr_vmas(), 1u);
}

TEST_F(MadviseTest, DontneedKeepsSharedMemory) {
    uint64_t a = map(0, P, kRw, MAP_SHARED | MAP_ANONYMOUS);
    ASSERT_EQ(write(a, 0x33), FaultResult::Handled);
    ASSERT_FALSE(do_madvise(mm, a, P, MADV_DONTNEED).is_error());
    EXPECT_EQ(mm_rss_pages(mm), 0u);
    EXPECT_EQ(peek(a), 0x33);
}

TEST_F(MadviseTest, HintsAreAcceptedAndSplitTheArea) {
    uint64_t a = map_anon(4 * P);
    for (int advice : {MADV_NORMAL, MADV_WILLNEED}) EXPECT_FALSE(do_madvise(mm, a, 4 * P, advice).is_error());
    EXPECT_FALSE(do_madvise(mm, a + P, P, MADV_RANDOM).is_error());
    EXPECT_EQ(nr_vmas(), 3u);
    EXPECT_TRUE(vma_lookup(mm, a + P)->flags & VM_RAND_READ);
    EXPECT_FALSE(do_madvise(mm, a, 4 * P, MADV_SEQUENTIAL).is_error());
    EXPECT_EQ(nr_vmas(), 1u);
    EXPECT_FALSE(do_madvise(mm, a, 4 * P, MADV_NORMAL).is_error());
    EXPECT_EQ(vma_lookup(mm, a)->flags & (VM_SEQ_READ | VM_RAND_READ), 0u);
}

TEST_F(MadviseTest, ErrorsAreLinuxs) {
    uint64_t a = map(0x10000000, 2 * P, kRw, kAnon);
    EXPECT_EQ(do_madvise(mm, a, P, 12345).error(), Errno::EINVAL);
    EXPECT_EQ(do_madvise(mm, a + 1, P, MADV_DONTNEED).error(), Errno::EINVAL);
    EXPECT_FALSE(do_madvise(mm, a, 0, MADV_DONTNEED).is_error());
    EXPECT_EQ(do_madvise(mm, a, 4 * P, MADV_DONTNEED).error(), Errno::ENOMEM);  // partly unmapped
    EXPECT_EQ(do_madvise(mm, 0x50000000, P, MADV_NORMAL).error(), Errno::ENOMEM);
    uint64_t shared = map(0, P, kRw, MAP_SHARED | MAP_ANONYMOUS);
    EXPECT_EQ(do_madvise(mm, shared, P, MADV_FREE).error(), Errno::EINVAL);
    EXPECT_EQ(do_madvise(mm, shared, P, MADV_WIPEONFORK).error(), Errno::EINVAL);
}

TEST_F(MadviseTest, MsyncChecksArgumentsAndRange) {
    uint64_t a = map(0x10000000, 2 * P, kRw, kAnon);
    EXPECT_FALSE(do_msync(mm, a, 2 * P, MS_SYNC).is_error());
    EXPECT_FALSE(do_msync(mm, a, 0, MS_ASYNC).is_error());
    EXPECT_EQ(do_msync(mm, a, P, MS_SYNC | MS_ASYNC).error(), Errno::EINVAL);
    EXPECT_EQ(do_msync(mm, a, P, 8).error(), Errno::EINVAL);
    EXPECT_EQ(do_msync(mm, a + 1, P, MS_SYNC).error(), Errno::EINVAL);
    EXPECT_EQ(do_msync(mm, a, 3 * P, MS_SYNC).error(), Errno::ENOMEM);
}

TEST_F(MadviseTest, MincoreReportsMappedPages) {
    uint64_t a = map(0x10000000, 4 * P, kRw, kAnon);
    ASSERT_EQ(write(a + P, 1), FaultResult::Handled);
    uint8_t byte;
    ASSERT_EQ(read(a + 3 * P, byte), FaultResult::Handled);  // the zero page counts too
    uint8_t vec[8];
    {
        MmapLockGuard guard(mm);
        ASSERT_FALSE(do_mincore(mm, a, 4, vec).is_error());
        EXPECT_EQ(do_mincore(mm, a, 5, vec).error(), Errno::ENOMEM);
    }
    EXPECT_EQ(vec[0], 0);
    EXPECT_EQ(vec[1], 1);
    EXPECT_EQ(vec[2], 0);
    EXPECT_EQ(vec[3], 1);
}

}  // namespace
