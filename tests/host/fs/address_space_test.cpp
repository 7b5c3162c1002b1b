// AddressSpace: the page index of a file (radix tree), its references and its quota.
#include "../mm/mm_arena.hpp"

#include <fs/address_space.hpp>
#include <mm/page.hpp>

#include <gtest/gtest.h>

#include <vector>


namespace {

template <class T>
Errno err_of(const Result<T>& r) {
    return r.is_error() ? r.error() : Errno::OK;
}

TEST(AddressSpace, FindOrCreateAndReferences) {
    MmArena arena;
    uint64_t free_before = nr_free_pages();
    {
        AddressSpace as;
        EXPECT_EQ(as.find_get_page(0), nullptr);
        Page* p = as.find_or_create_page(0).value();
        EXPECT_EQ(page_count(p), 2);  // the cache's and ours
        auto* bytes = static_cast<uint8_t*>(page_address(p));
        for (size_t i = 0; i < kPageSize; i++) ASSERT_EQ(bytes[i], 0);  // zeroed
        bytes[0] = 0x42;
        Page* again = as.find_get_page(0);
        EXPECT_EQ(again, p);
        EXPECT_EQ(page_count(p), 3);
        put_page(again);
        put_page(p);
        EXPECT_EQ(page_count(p), 1);
        EXPECT_EQ(as.nr_pages(), 1u);
        EXPECT_EQ(as.find_or_create_page(0).value(), p);
        put_page(p);
    }
    // The destructor dropped everything (pages and tree nodes).
    EXPECT_EQ(nr_free_pages(), free_before);
}

TEST(AddressSpace, SparseIndexesGrowTheTree) {
    MmArena arena;
    AddressSpace as;
    std::vector<uint64_t> indexes = {0, 1, 63, 64, 4095, 4096, 262143, 262144, 1ull << 30, AddressSpace::kMaxIndex};
    for (uint64_t i : indexes) {
        Page* p = as.find_or_create_page(i).value();
        *static_cast<uint64_t*>(page_address(p)) = i;
        put_page(p);
    }
    EXPECT_EQ(as.nr_pages(), indexes.size());
    for (uint64_t i : indexes) {
        Page* p = as.find_get_page(i);
        ASSERT_NE(p, nullptr) << i;
        EXPECT_EQ(*static_cast<uint64_t*>(page_address(p)), i);
        put_page(p);
    }
    EXPECT_EQ(as.find_get_page(2), nullptr);
    EXPECT_EQ(as.find_get_page(1ull << 29), nullptr);
    EXPECT_EQ(err_of(as.find_or_create_page(AddressSpace::kMaxIndex + 1)), Errno::EFBIG);
    EXPECT_EQ(as.next_present(2), 63u);
    EXPECT_EQ(as.next_present(4097), 262143u);
    EXPECT_EQ(as.next_present((1ull << 30) + 1), AddressSpace::kMaxIndex);
}

TEST(AddressSpace, TruncateDropsPagesFromAnIndexOn) {
    MmArena arena;
    AddressSpace as;
    for (uint64_t i = 0; i < 200; i++) put_page(as.find_or_create_page(i).value());
    Page* kept = as.find_get_page(150);  // someone still maps index 150
    EXPECT_EQ(as.truncate_pages(100), 100u);
    EXPECT_EQ(as.nr_pages(), 100u);
    EXPECT_EQ(as.find_get_page(100), nullptr);
    EXPECT_EQ(as.find_get_page(150), nullptr);
    Page* p = as.find_get_page(99);
    ASSERT_NE(p, nullptr);
    put_page(p);
    // The page outlives its removal from the cache while referenced.
    EXPECT_EQ(page_count(kept), 1);
    uint64_t free_before = nr_free_pages();
    put_page(kept);
    EXPECT_EQ(nr_free_pages(), free_before + 1);
    EXPECT_EQ(as.truncate_pages(0), 100u);
    EXPECT_EQ(as.nr_pages(), 0u);
    EXPECT_EQ(as.truncate_pages(0), 0u);
    // The data pages are back (tree nodes are slab objects: their pages may stay with the slab).
    EXPECT_GE(nr_free_pages(), free_before + 1 + 100);
    // Reusable afterwards.
    put_page(as.find_or_create_page(7).value());
    EXPECT_EQ(as.nr_pages(), 1u);
}

TEST(AddressSpace, QuotaLimitsPages) {
    MmArena arena;
    PageQuota quota;
    quota.limit = 3;
    AddressSpace a(&quota), b(&quota);
    put_page(a.find_or_create_page(0).value());
    put_page(a.find_or_create_page(1).value());
    put_page(b.find_or_create_page(0).value());
    EXPECT_EQ(err_of(b.find_or_create_page(1)), Errno::ENOSPC);
    put_page(b.find_or_create_page(0).value());  // an existing page costs nothing
    EXPECT_EQ(quota.used.load(), 3u);
    a.truncate_pages(1);
    EXPECT_EQ(quota.used.load(), 2u);
    put_page(b.find_or_create_page(1).value());
}

TEST(AddressSpace, OutOfMemoryIsReported) {
    MmArena arena(64);
    AddressSpace as;
    Errno last = Errno::OK;
    for (uint64_t i = 0; i < 1000 && last == Errno::OK; i++) {
        Result<Page*> p = as.find_or_create_page(i * 64);
        if (p.is_error())
            last = p.error();
        else
            put_page(p.value());
    }
    EXPECT_EQ(last, Errno::ENOMEM);
    as.truncate_pages(0);
}

}  // namespace
