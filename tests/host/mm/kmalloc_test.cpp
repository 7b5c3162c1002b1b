// kmalloc size classes, large allocations, kfree's checks, knew/kdelete.
#include "mm_arena.hpp"
#include <mm/slab.hpp>
#include <gtest/gtest.h>
#include <cstring>
#include <random>
#include <vector>

namespace {

TEST(Kmalloc, SizeClasses) {
    MmArena arena;
    struct Case {
        size_t request, expect;
    } cases[] = {{0, 8},     {1, 8},     {8, 8},       {9, 16},      {33, 64},     {65, 96},     {96, 96},
                 {97, 128},  {129, 192}, {193, 256},   {257, 512},   {1000, 1024}, {2048, 2048}, {4000, 4096},
                 {4097, 8192}, {8192, 8192}};
    for (auto c : cases) {
        void* p = kmalloc(c.request);
        ASSERT_NE(p, nullptr) << c.request;
        EXPECT_EQ(ksize(p), c.expect) << c.request;
        EXPECT_TRUE(virt_to_head_page(p)->test(PG_slab)) << c.request;
        std::memset(p, 0x5a, c.request);
        kfree(p);
    }
}

TEST(Kmalloc, LargeAllocationsComeFromTheBuddyAllocator) {
    MmArena arena;
    uint64_t before = nr_free_pages();
    void* p = kmalloc(8193);  // three pages -> an order-2 block
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % kPageSize, 0u);
    Page* page = virt_to_page(p);
    EXPECT_TRUE(page->test(PG_large_kmalloc));
    EXPECT_EQ(ksize(p), 4 * kPageSize);
    EXPECT_EQ(nr_free_pages(), before - 4);
    std::memset(p, 1, 8193);
    kfree(p);
    EXPECT_EQ(nr_free_pages(), before);
    EXPECT_EQ(kmalloc(kPageSize << (kMaxOrder + 1)), nullptr);  // beyond the largest block
}

TEST(Kmalloc, KzallocZeroes) {
    MmArena arena;
    auto* p = static_cast<unsigned char*>(kmalloc(200));
    std::memset(p, 0xee, 200);
    kfree(p);
    auto* q = static_cast<unsigned char*>(kzalloc(200));
    ASSERT_EQ(q, p);
    for (int i = 0; i < 200; i++) EXPECT_EQ(q[i], 0) << i;
    kfree(q);
    auto* big = static_cast<unsigned char*>(kzalloc(20000));
    for (int i = 0; i < 20000; i++) ASSERT_EQ(big[i], 0) << i;
    kfree(big);
}

TEST(Kmalloc, KfreeRefusesWhatKmallocDidNotReturn) {
    MmArena arena;
    uint64_t errors = slab_error_count();
    kfree(nullptr);  // fine, like Linux
    EXPECT_EQ(slab_error_count(), errors);
    int on_stack;
    kfree(&on_stack);
    char* big = static_cast<char*>(kmalloc(20000));
    kfree(big + kPageSize);  // inside a large allocation
    char* small = static_cast<char*>(kmalloc(64));
    kfree(small + 1);
    void* page = get_free_pages(GFP_KERNEL, 0);
    kfree(page);  // a page, not kmalloc memory
    EXPECT_EQ(slab_error_count(), errors + 4);
    kfree(big);
    kfree(big);  // double free of a large allocation
    kfree(small);
    kfree(small);
    EXPECT_EQ(slab_error_count(), errors + 6);
    free_pages_addr(page, 0);
}

// Two identical rounds of random allocations: after the first warmed the caches up, the second
// must give back every page it took.
TEST(Kmalloc, RandomWorkloadBalances) {
    MmArena arena(8192);
    auto round = [](unsigned seed) {
        std::mt19937 rng(seed);
        std::vector<std::pair<unsigned char*, size_t>> live;
        for (int step = 0; step < 5000; step++) {
            if (live.empty() || rng() % 100 < 60) {
                size_t size = rng() % 100 < 90 ? 1 + rng() % 512 : 1 + rng() % 30000;
                auto* p = static_cast<unsigned char*>(kmalloc(size));
                ASSERT_NE(p, nullptr);
                std::memset(p, int(size & 0xff), size);
                live.push_back({p, size});
            } else {
                size_t i = rng() % live.size();
                auto [p, size] = live[i];
                for (size_t b = 0; b < size; b += 97) ASSERT_EQ(p[b], size & 0xff) << "corrupted";
                kfree(p);
                live[i] = live.back();
                live.pop_back();
            }
        }
        for (auto [p, size] : live) kfree(p);
    };
    round(1);
    uint64_t warmed = nr_free_pages();
    round(1);
    EXPECT_EQ(nr_free_pages(), warmed);
    EXPECT_EQ(slab_error_count(), 0u);
}

struct Tracked {
    static inline int alive = 0;
    int value;
    explicit Tracked(int v) : value(v) { alive++; }
    ~Tracked() { alive--; }
};

TEST(Kmalloc, KnewConstructsAndKdeleteDestroys) {
    MmArena arena;
    Tracked* t = knew<Tracked>(42);
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->value, 42);
    EXPECT_EQ(Tracked::alive, 1);
    kdelete(t);
    EXPECT_EQ(Tracked::alive, 0);
    kdelete<Tracked>(nullptr);
}

}  // namespace
