// Slab caches over a host arena.
#include "mm_arena.hpp"
#include <mm/slab.hpp>
#include <gtest/gtest.h>
#include <cstring>
#include <set>
#include <vector>

namespace {

struct Widget {
    uint64_t magic;
    char payload[40];
};
int constructed = 0;
void widget_ctor(void* p) {
    static_cast<Widget*>(p)->magic = 0xfeedu;
    constructed++;
}

TEST(Slab, ObjectsAreDistinctAlignedAndInTheCache) {
    MmArena arena;
    KmemCache* cache = kmem_cache_create("test_obj", 48, 64, nullptr);
    ASSERT_NE(cache, nullptr);
    std::set<void*> seen;
    for (int i = 0; i < 200; i++) {
        void* p = kmem_cache_alloc(cache);
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 64, 0u);
        EXPECT_TRUE(seen.insert(p).second);
        std::memset(p, i, 48);  // usable, and does not disturb the others (ASan would see overlap)
        Page* slab = virt_to_head_page(p);
        ASSERT_NE(slab, nullptr);
        EXPECT_TRUE(slab->test(PG_slab));
        EXPECT_EQ(slab->slab_cache, cache);
    }
    for (void* p : seen) kmem_cache_free(cache, p);
    kmem_cache_destroy(cache);
}

TEST(Slab, FreedObjectIsReusedFirst) {
    MmArena arena;
    KmemCache* cache = kmem_cache_create("test_reuse", 100, 0, nullptr);
    void* a = kmem_cache_alloc(cache);
    void* b = kmem_cache_alloc(cache);
    EXPECT_EQ(static_cast<char*>(b) - static_cast<char*>(a), 104);  // adjacent slots, 8-byte stride rounding
    kmem_cache_free(cache, a);
    EXPECT_EQ(kmem_cache_alloc(cache), a);
    kmem_cache_free(cache, a);
    kmem_cache_free(cache, b);
    kmem_cache_destroy(cache);
}

TEST(Slab, ConstructorRunsOncePerSlotAndStateSurvivesFree) {
    MmArena arena;
    constructed = 0;
    KmemCache* cache = kmem_cache_create("widget", sizeof(Widget), 0, widget_ctor);
    auto* w = static_cast<Widget*>(kmem_cache_alloc(cache));
    ASSERT_NE(w, nullptr);
    int per_slab = constructed;
    EXPECT_GT(per_slab, 1);  // a whole slab was constructed at once
    EXPECT_EQ(w->magic, 0xfeedu);
    kmem_cache_free(cache, w);
    auto* again = static_cast<Widget*>(kmem_cache_alloc(cache));
    EXPECT_EQ(again, w);
    EXPECT_EQ(again->magic, 0xfeedu);  // the free pointer lives outside the object
    EXPECT_EQ(constructed, per_slab);
    kmem_cache_free(cache, again);
    kmem_cache_destroy(cache);
}

TEST(Slab, GrowsAndGivesEmptySlabsBack) {
    MmArena arena;
    uint64_t free_before = nr_free_pages();
    KmemCache* cache = kmem_cache_create("test_grow", 512, 0, nullptr);
    std::vector<void*> objects;
    for (int i = 0; i < 300; i++) objects.push_back(kmem_cache_alloc(cache));
    EXPECT_LT(nr_free_pages(), free_before - 30);
    for (void* p : objects) kmem_cache_free(cache, p);
    // At most kMaxEmptySlabs stay behind (plus the page holding the cache itself).
    EXPECT_GE(nr_free_pages(), free_before - 1 - kMaxEmptySlabs * 4);
    kmem_cache_destroy(cache);
}

TEST(Slab, GfpZeroClearsTheObject) {
    MmArena arena;
    KmemCache* cache = kmem_cache_create("test_zero", 64, 0, nullptr);
    void* p = kmem_cache_alloc(cache);
    std::memset(p, 0xff, 64);
    kmem_cache_free(cache, p);
    auto* q = static_cast<unsigned char*>(kmem_cache_alloc(cache, GFP_ZERO));
    ASSERT_EQ(static_cast<void*>(q), p);
    for (int i = 0; i < 64; i++) EXPECT_EQ(q[i], 0) << i;
    kmem_cache_free(cache, q);
    kmem_cache_destroy(cache);
}

TEST(Slab, DoubleFreeIsDetectedAndHarmless) {
    MmArena arena;
    KmemCache* cache = kmem_cache_create("test_df", 32, 0, nullptr);
    void* a = kmem_cache_alloc(cache);
    void* b = kmem_cache_alloc(cache);
    void* c = kmem_cache_alloc(cache);
    kmem_cache_free(cache, a);
    kmem_cache_free(cache, b);
    uint64_t errors = slab_error_count();
    kmem_cache_free(cache, a);  // not at the head of the free list: found by its marker
    EXPECT_EQ(slab_error_count(), errors + 1);
    kmem_cache_free(cache, b);  // at the head
    EXPECT_EQ(slab_error_count(), errors + 2);
    // The free list is intact: two allocations, two different objects.
    void* x = kmem_cache_alloc(cache);
    void* y = kmem_cache_alloc(cache);
    EXPECT_NE(x, y);
    EXPECT_TRUE((x == a && y == b) || (x == b && y == a));
    kmem_cache_free(cache, x);
    kmem_cache_free(cache, y);
    kmem_cache_free(cache, c);
    kmem_cache_destroy(cache);
}

TEST(Slab, BadPointersAreRefused) {
    MmArena arena;
    KmemCache* one = kmem_cache_create("test_one", 64, 0, nullptr);
    KmemCache* other = kmem_cache_create("test_other", 64, 0, nullptr);
    auto* p = static_cast<char*>(kmem_cache_alloc(one));
    uint64_t errors = slab_error_count();
    kmem_cache_free(other, p);  // wrong cache
    kmem_cache_free(one, p + 8);  // inside an object
    int on_stack;
    kmem_cache_free(one, &on_stack);  // not slab memory at all
    EXPECT_EQ(slab_error_count(), errors + 3);
    kmem_cache_free(one, p);
    EXPECT_EQ(slab_error_count(), errors + 3);
    kmem_cache_destroy(one);
    kmem_cache_destroy(other);
}

TEST(Slab, WriteAfterFreeIsDetectedOnTheNextAllocation) {
    MmArena arena;
    KmemCache* cache = kmem_cache_create("test_uaf", 64, 0, nullptr);
    auto* a = static_cast<uint64_t*>(kmem_cache_alloc(cache));
    void* b = kmem_cache_alloc(cache);
    kmem_cache_free(cache, a);
    a[0] = 0xdeadbeef;  // clobbers the free pointer
    uint64_t errors = slab_error_count();
    void* x = kmem_cache_alloc(cache);  // refuses the damaged slot, takes a fresh one
    EXPECT_EQ(slab_error_count(), errors + 1);
    EXPECT_NE(x, nullptr);
    EXPECT_NE(x, static_cast<void*>(a));
    EXPECT_NE(x, b);
    kmem_cache_free(cache, x);
    kmem_cache_free(cache, b);
}

TEST(Slab, DestroyWithLiveObjectsIsRefused) {
    MmArena arena;
    KmemCache* cache = kmem_cache_create("test_destroy", 64, 0, nullptr);
    void* p = kmem_cache_alloc(cache);
    uint64_t errors = slab_error_count();
    kmem_cache_destroy(cache);
    EXPECT_EQ(slab_error_count(), errors + 1);
    kmem_cache_free(cache, p);  // the cache still works
    kmem_cache_destroy(cache);
    EXPECT_EQ(slab_error_count(), errors + 1);
}

TEST(Slab, BadParametersFailCreation) {
    MmArena arena;
    EXPECT_EQ(kmem_cache_create("zero", 0, 0, nullptr), nullptr);
    EXPECT_EQ(kmem_cache_create("align", 64, 24, nullptr), nullptr);
}

TEST(Slab, AllocationFailureIsReported) {
    MmArena arena(4);
    KmemCache* cache = kmem_cache_create("test_oom", 2048, 0, nullptr);
    ASSERT_NE(cache, nullptr);  // one page for the cache of caches' slab
    std::vector<void*> got;
    while (void* p = kmem_cache_alloc(cache)) got.push_back(p);
    EXPECT_GT(got.size(), 0u);
    for (void* p : got) kmem_cache_free(cache, p);
}

}  // namespace
