// mremap(2): shrinking, growing in place, moving with the contents.
#include "mm/user_mm_fixture.hpp"

namespace {

using MremapTest = UserMmTest;
constexpr uint64_t P = 4096;
constexpr int kAnon = MAP_PRIVATE | MAP_ANONYMOUS;
constexpr int kRw = PROT_READ | PROT_WRITE;

TEST_F(MremapTest, ShrinkUnmapsTheTail) {
    uint64_t a = map(0x10000000, 4 * P, kRw, kAnon);
    ASSERT_EQ(write(a + 3 * P, 1), FaultResult::Handled);
    EXPECT_EQ(do_mremap(mm, a, 4 * P, 2 * P, 0, 0).value(), a);
    EXPECT_EQ(vma_lookup(mm, a)->end, a + 2 * P);
    EXPECT_EQ(mm_rss_pages(mm), 0u);
}

TEST_F(MremapTest, GrowsInPlaceWhenTheSpaceIsFree) {
    uint64_t a = map(0x10000000, 2 * P, kRw, kAnon);
    ASSERT_EQ(write(a, 1), FaultResult::Handled);
    EXPECT_EQ(do_mremap(mm, a, 2 * P, 6 * P, 0, 0).value(), a);
    EXPECT_EQ(vma_lookup(mm, a)->end, a + 6 * P);
    EXPECT_EQ(mm->total_vm, 6u);
    EXPECT_EQ(write(a + 5 * P, 2), FaultResult::Handled);
    EXPECT_EQ(peek(a), 1);
}

TEST_F(MremapTest, MovesWithContentsWhenBlocked) {
    uint64_t a = map(0x10000000, 2 * P, kRw, kAnon);
    map(0x10002000, P, PROT_READ, kAnon);  // blocks growth
    ASSERT_EQ(write(a + 1, 11), FaultResult::Handled);
    ASSERT_EQ(write(a + P + 2, 22), FaultResult::Handled);
    EXPECT_EQ(do_mremap(mm, a, 2 * P, 4 * P, 0, 0).error(), Errno::ENOMEM);  // no MAYMOVE
    Page* page = page_of(mm, a);
    Result<uint64_t> moved = do_mremap(mm, a, 2 * P, 4 * P, MREMAP_MAYMOVE, 0);
    ASSERT_FALSE(moved.is_error());
    uint64_t b = moved.value();
    EXPECT_NE(b, a);
    EXPECT_EQ(page_of(mm, b), page);  // the page itself moved, not a copy
    EXPECT_EQ(peek(b + 1), 11);
    EXPECT_EQ(peek(b + P + 2), 22);
    EXPECT_EQ(peek(b + 3 * P), 0);
    uint8_t byte;
    EXPECT_EQ(read(a, byte), FaultResult::MapError);
    EXPECT_EQ(mm_rss_pages(mm), 2u);
    EXPECT_EQ(mm->total_vm, 5u);
}

TEST_F(MremapTest, FixedMovesToTheGivenAddressReplacingIt) {
    uint64_t a = map(0x10000000, 2 * P, kRw, kAnon);
    uint64_t target = map(0x20000000, 4 * P, PROT_READ, kAnon);
    ASSERT_EQ(write(a, 7), FaultResult::Handled);
    EXPECT_EQ(do_mremap(mm, a, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, target + P).value(), target + P);
    EXPECT_EQ(peek(target + P), 7);
    EXPECT_EQ(nr_vmas(), 3u);
    EXPECT_EQ(write(target + P, 8), FaultResult::Handled);
    EXPECT_EQ(write(target, 8), FaultResult::AccessError);
}

TEST_F(MremapTest, DontunmapLeavesAnEmptyMappingBehind) {
    uint64_t a = map(0x10000000, 2 * P, kRw, kAnon);
    ASSERT_EQ(write(a, 3), FaultResult::Handled);
    Result<uint64_t> b = do_mremap(mm, a, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
    ASSERT_FALSE(b.is_error());
    EXPECT_EQ(peek(b.value()), 3);
    EXPECT_EQ(peek(a), 0);
}

TEST_F(MremapTest, ErrorsAreLinuxs) {
    uint64_t a = map(0x10000000, 2 * P, kRw, kAnon);
    EXPECT_EQ(do_mremap(mm, a, P, 2 * P, 0x80, 0).error(), Errno::EINVAL);
    EXPECT_EQ(do_mremap(mm, a, P, 2 * P, MREMAP_FIXED, 0x30000000).error(), Errno::EINVAL);
    EXPECT_EQ(do_mremap(mm, a + 1, P, 2 * P, 0, 0).error(), Errno::EINVAL);
    EXPECT_EQ(do_mremap(mm, a, P, 0, 0, 0).error(), Errno::EINVAL);
    EXPECT_EQ(do_mremap(mm, 0x50000000, P, 2 * P, MREMAP_MAYMOVE, 0).error(), Errno::EFAULT);
    EXPECT_EQ(do_mremap(mm, a, 3 * P, 4 * P, MREMAP_MAYMOVE, 0).error(), Errno::EFAULT);  // past the area
    EXPECT_EQ(do_mremap(mm, a, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, a + P).error(), Errno::EINVAL);
    EXPECT_EQ(do_mremap(mm, a, 0, P, MREMAP_MAYMOVE, 0).error(), Errno::EINVAL);  // private: no second mapping
}

TEST_F(MremapTest, ZeroOldLengthDuplicatesASharedMapping) {
    uint64_t a = map(0, 2 * P, kRw, MAP_SHARED | MAP_ANONYMOUS);
    ASSERT_EQ(write(a, 5), FaultResult::Handled);
    Result<uint64_t> b = do_mremap(mm, a, 0, 2 * P, MREMAP_MAYMOVE, 0);
    ASSERT_FALSE(b.is_error());
    EXPECT_EQ(peek(b.value()), 5);
    ASSERT_EQ(write(b.value() + P, 6), FaultResult::Handled);
    EXPECT_EQ(peek(a + P), 6);
}

}  // namespace
