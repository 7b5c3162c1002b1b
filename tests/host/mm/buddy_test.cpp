// The buddy allocator core on its own: descriptors only, no memory behind them (it never touches it).
#include <mm/buddy.hpp>
#include <gtest/gtest.h>
#include <algorithm>
#include <map>
#include <random>
#include <vector>

namespace {

// A range of descriptors for pfns [kBase, kBase + n), all reserved until handed to the allocator.
class BuddyTest : public ::testing::Test {
protected:
    static constexpr uint64_t kBase = 0x40000;  // aligned to the largest block

    void make(uint64_t nr_pages, bool all_free = true) {
        pages_.reset(new Page[nr_pages]);
        nr_ = nr_pages;
        for (uint64_t i = 0; i < nr_pages; i++) {
            pages_[i].flags.store(PG_reserved);
            pages_[i].refcount.store(1);
        }
        buddy_.init(pages_.get(), kBase, nr_pages);
        if (all_free) buddy_.add_free_range(kBase, kBase + nr_pages);
    }
    void release(Page* page) {
        page->refcount.store(0);
        buddy_.free(page, page->order);
    }
    uint64_t pfn(Page* p) const { return buddy_.pfn_of(p); }

    std::unique_ptr<Page[]> pages_;
    uint64_t nr_ = 0;
    BuddyAllocator buddy_;
};

TEST_F(BuddyTest, StartsAsMaximalBlocks) {
    make(4 << kMaxOrder);
    EXPECT_EQ(buddy_.nr_free(), 4u << kMaxOrder);
    EXPECT_EQ(buddy_.nr_managed(), 4u << kMaxOrder);
    EXPECT_EQ(buddy_.nr_free_blocks(kMaxOrder), 4u);
    for (unsigned o = 0; o < kMaxOrder; o++) EXPECT_EQ(buddy_.nr_free_blocks(o), 0u) << o;
}

TEST_F(BuddyTest, UnalignedRangeIsCutIntoAlignedBlocks) {
    make(2048, false);
    buddy_.add_free_range(kBase + 3, kBase + 1500);
    EXPECT_EQ(buddy_.nr_free(), 1497u);
    // 3 -> 4 is order 0, 4 -> 8 order 2, 8 -> 16 order 3, ..., 1024 -> 1024+256+128+64+16+8+4
    EXPECT_EQ(buddy_.nr_free_blocks(0), 1u);
    EXPECT_EQ(buddy_.nr_free_blocks(kMaxOrder), 0u);  // 1024..2047 is not entirely in the range
    EXPECT_TRUE(pages_[0].test(PG_reserved));
    EXPECT_TRUE(pages_[1500].test(PG_reserved));
}

TEST_F(BuddyTest, AllocationSplitsALargerBlock) {
    make(1 << kMaxOrder);
    Page* p = buddy_.alloc(0);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(pfn(p), kBase);
    EXPECT_EQ(page_count(p), 1);
    EXPECT_EQ(buddy_.nr_free(), (1u << kMaxOrder) - 1);
    // One free block of each order below the top remains: 1 + 2 + 4 + ... + 512 = 1023.
    for (unsigned o = 0; o < kMaxOrder; o++) EXPECT_EQ(buddy_.nr_free_blocks(o), 1u) << o;
    EXPECT_EQ(buddy_.nr_free_blocks(kMaxOrder), 0u);
}

TEST_F(BuddyTest, FreeCoalescesWithBuddiesBackToTheTop) {
    make(1 << kMaxOrder);
    Page* a = buddy_.alloc(0);
    Page* b = buddy_.alloc(0);
    ASSERT_EQ(pfn(b), pfn(a) + 1);  // a's buddy
    release(a);
    EXPECT_EQ(buddy_.nr_free_blocks(0), 1u);  // b still allocated: no merge
    release(b);
    EXPECT_EQ(buddy_.nr_free_blocks(kMaxOrder), 1u);
    for (unsigned o = 0; o < kMaxOrder; o++) EXPECT_EQ(buddy_.nr_free_blocks(o), 0u) << o;
    EXPECT_EQ(buddy_.nr_free(), 1u << kMaxOrder);
}

TEST_F(BuddyTest, BlocksAreAlignedToTheirOrder) {
    make(4 << kMaxOrder);
    std::vector<Page*> blocks;
    for (unsigned o : {0u, 3u, 1u, 5u, 0u, 2u, 7u, 4u}) {
        Page* p = buddy_.alloc(o);
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(pfn(p) & ((1u << o) - 1), 0u) << "order " << o;
        EXPECT_EQ(p->order, o);
        EXPECT_EQ(p->test(PG_head), o > 0);
        blocks.push_back(p);
    }
    for (Page* p : blocks) release(p);
    EXPECT_EQ(buddy_.nr_free_blocks(kMaxOrder), 4u);
}

TEST_F(BuddyTest, ExhaustionReturnsNullAndEveryPageComesBack) {
    make(3000);
    std::vector<Page*> got;
    while (Page* p = buddy_.alloc(0)) got.push_back(p);
    EXPECT_EQ(got.size(), 3000u);
    EXPECT_EQ(buddy_.nr_free(), 0u);
    EXPECT_EQ(buddy_.alloc(0), nullptr);
    EXPECT_EQ(buddy_.alloc(3), nullptr);
    for (Page* p : got) release(p);
    EXPECT_EQ(buddy_.nr_free(), 3000u);
    // 3000 = 2048 + 512 + 256 + 128 + 32 + 16 + 8: fully coalesced again.
    EXPECT_EQ(buddy_.nr_free_blocks(kMaxOrder), 2u);
    EXPECT_EQ(buddy_.nr_free_blocks(9), 1u);
    EXPECT_EQ(buddy_.nr_free_blocks(0), 0u);
}

TEST_F(BuddyTest, TooLargeOrderFails) {
    make(1 << kMaxOrder);
    EXPECT_EQ(buddy_.alloc(kMaxOrder + 1), nullptr);
    EXPECT_NE(buddy_.alloc(kMaxOrder), nullptr);
    EXPECT_EQ(buddy_.alloc(0), nullptr);
}

TEST_F(BuddyTest, ReservedHoleIsNeverHandedOutNorMergedAcross) {
    make(1 << kMaxOrder, false);
    buddy_.add_free_range(kBase, kBase + 100);
    buddy_.add_free_range(kBase + 101, kBase + 1024);  // pfn kBase+100 stays reserved
    EXPECT_EQ(buddy_.nr_free(), 1023u);
    std::vector<Page*> got;
    while (Page* p = buddy_.alloc(0)) {
        EXPECT_NE(pfn(p), kBase + 100);
        got.push_back(p);
    }
    EXPECT_EQ(got.size(), 1023u);
    for (Page* p : got) release(p);
    EXPECT_EQ(buddy_.nr_free_blocks(kMaxOrder), 0u);
    EXPECT_EQ(buddy_.nr_free(), 1023u);
}

TEST_F(BuddyTest, DoubleFreeIsRefused) {
    make(1 << kMaxOrder);
    Page* a = buddy_.alloc(0);
    Page* keep = buddy_.alloc(0);
    release(a);
    uint64_t free_before = buddy_.nr_free();
    buddy_.free(a, 0);  // WARNs: a is a free block head
    EXPECT_EQ(buddy_.nr_free(), free_before);
    release(keep);
    EXPECT_EQ(buddy_.nr_free(), 1u << kMaxOrder);
}

TEST_F(BuddyTest, MisalignedFreeIsRefused) {
    make(1 << kMaxOrder);
    Page* block = buddy_.alloc(2);
    block[1].refcount.store(0);
    buddy_.free(&block[1], 1);  // not the head of an order-1 block
    EXPECT_EQ(buddy_.nr_free(), (1u << kMaxOrder) - 4);
    release(block);
    EXPECT_EQ(buddy_.nr_free(), 1u << kMaxOrder);
}

// Random allocations and frees against a model of which pfns are taken: blocks never overlap, stay in
// range, and the free count always matches; at the end everything coalesces again.
TEST_F(BuddyTest, RandomizedAgainstModel) {
    constexpr uint64_t kPages = 5 << kMaxOrder;
    make(kPages);
    std::mt19937 rng(12345);
    std::map<uint64_t, unsigned> live;  // pfn -> order
    std::vector<bool> taken(kPages);
    uint64_t used = 0;
    for (int step = 0; step < 20000; step++) {
        bool do_alloc = live.empty() || rng() % 100 < 55;
        if (do_alloc) {
            unsigned order = rng() % 100 < 70 ? rng() % 3 : rng() % (kMaxOrder + 1);
            Page* p = buddy_.alloc(order);
            if (!p) {
                // Only acceptable if no free aligned block of that size exists in the model.
                bool any = false;
                for (uint64_t s = 0; s + (1u << order) <= kPages && !any; s += 1u << order)
                    any = std::none_of(taken.begin() + s, taken.begin() + s + (1u << order), [](bool t) { return t; });
                ASSERT_FALSE(any) << "alloc(" << order << ") failed with a free block available";
                continue;
            }
            uint64_t first = pfn(p) - kBase;
            ASSERT_LT(first + (1u << order), kPages + 1);
            ASSERT_EQ(first % (1u << order), 0u);
            for (uint64_t i = first; i < first + (1u << order); i++) {
                ASSERT_FALSE(taken[i]) << "pfn handed out twice";
                taken[i] = true;
            }
            live[first] = order;
            used += 1u << order;
        } else {
            auto it = live.begin();
            std::advance(it, rng() % live.size());
            for (uint64_t i = it->first; i < it->first + (1u << it->second); i++) taken[i] = false;
            used -= 1u << it->second;
            release(&pages_[it->first]);
            live.erase(it);
        }
        ASSERT_EQ(buddy_.nr_free(), kPages - used);
    }
    for (auto [first, order] : live) release(&pages_[first]);
    EXPECT_EQ(buddy_.nr_free(), kPages);
    EXPECT_EQ(buddy_.nr_free_blocks(kMaxOrder), 5u);
}

}  // namespace
