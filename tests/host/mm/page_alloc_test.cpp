// alloc_pages() and friends over a host arena: GFP_ZERO, reference counts, address conversions.
#include "mm_arena.hpp"
#include <mm/gfp.hpp>
#include <gtest/gtest.h>
#include <cstring>

namespace {

TEST(PageAlloc, ZeroedPagesAreZero) {
    MmArena arena(256);
    Page* p = alloc_pages(GFP_KERNEL, 2);
    ASSERT_NE(p, nullptr);
    std::memset(page_address(p), 0xa5, 4 * kPageSize);
    free_pages(p, 2);
    Page* q = alloc_pages(GFP_KERNEL | GFP_ZERO, 2);
    ASSERT_EQ(q, p);  // the block just freed is at the front of its free list
    auto* bytes = static_cast<unsigned char*>(page_address(q));
    for (size_t i = 0; i < 4 * kPageSize; i++) ASSERT_EQ(bytes[i], 0) << i;
    free_pages(q, 2);
}

TEST(PageAlloc, AddressConversionsRoundTrip) {
    MmArena arena(64);
    void* addr = get_free_pages(GFP_KERNEL, 1);
    ASSERT_NE(addr, nullptr);
    Page* page = virt_to_page(addr);
    ASSERT_NE(page, nullptr);
    EXPECT_EQ(page_address(page), addr);
    EXPECT_EQ(pfn_to_page(page_to_pfn(page)), page);
    EXPECT_EQ(virt_to_page(static_cast<char*>(addr) + kPageSize + 5), page + 1);
    int on_stack;
    EXPECT_EQ(virt_to_page(&on_stack), nullptr);
    free_pages_addr(addr, 1);
    EXPECT_EQ(nr_free_pages(), 64u);
}

TEST(PageAlloc, PageIsFreedWhenTheLastReferenceGoes) {
    MmArena arena(64);
    Page* p = alloc_pages(GFP_KERNEL, 0);
    ASSERT_NE(p, nullptr);
    get_page(p);  // shared, e.g. copy-on-write
    EXPECT_EQ(page_count(p), 2);
    put_page(p);
    EXPECT_EQ(nr_free_pages(), 63u);
    put_page(p);
    EXPECT_EQ(nr_free_pages(), 64u);
}

TEST(PageAlloc, DoubleFreeIsRefused) {
    MmArena arena(64);
    Page* p = alloc_pages(GFP_KERNEL, 0);
    Page* q = alloc_pages(GFP_KERNEL, 0);
    free_pages(p, 0);
    free_pages(p, 0);  // WARNs, changes nothing
    EXPECT_EQ(nr_free_pages(), 63u);
    Page* r = alloc_pages(GFP_KERNEL, 0);
    Page* s = alloc_pages(GFP_KERNEL, 0);
    EXPECT_NE(r, s);
    free_pages(q, 0);
    free_pages(r, 0);
    free_pages(s, 0);
    EXPECT_EQ(nr_free_pages(), 64u);
}

TEST(PageAlloc, WrongOrderIsRefused) {
    MmArena arena(64);
    Page* p = alloc_pages(GFP_KERNEL, 2);
    free_pages(p, 1);  // WARNs
    EXPECT_EQ(nr_free_pages(), 60u);
    free_pages(p, 2);
    EXPECT_EQ(nr_free_pages(), 64u);
}

TEST(PageAlloc, FailureIsCountedAndReturnsNull) {
    MmArena arena(16);
    EXPECT_EQ(alloc_pages(GFP_KERNEL, 5), nullptr);
    EXPECT_EQ(page_alloc_failures(), 1u);
    EXPECT_EQ(totalram_pages(), 16u);
}

}  // namespace
