// Self-tests of the slab caches and kmalloc.
#include <kunit/ktest.hpp>
#include <mm/slab_cache.hpp>
#include <lib/string.hpp>

KTEST(kmalloc, size_classes) {
    static const size_t sizes[] = {1, 8, 24, 64, 65, 100, 150, 200, 700, 2000, 4096, 5000, 8192};
    static const size_t classes[] = {8, 8, 32, 64, 96, 128, 192, 256, 1024, 2048, 4096, 8192, 8192};
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        void* p = kmalloc(sizes[i]);
        KASSERT_TRUE(p != nullptr);
        KEXPECT_EQ(ksize(p), classes[i]);
        KEXPECT_TRUE(virt_to_head_page(p)->test(PG_slab));
        memset(p, 0x77, sizes[i]);
        kfree(p);
    }
}

KTEST(kmalloc, large_allocations_use_whole_blocks) {
    uint64_t before = nr_free_pages();
    void* p = kmalloc(64 * 1024);
    KASSERT_TRUE(p != nullptr);
    KEXPECT_TRUE(virt_to_page(p)->test(PG_large_kmalloc));
    KEXPECT_EQ(nr_free_pages(), before - 16);
    memset(p, 1, 64 * 1024);
    kfree(p);
    KEXPECT_EQ(nr_free_pages(), before);
}

KTEST(kmalloc, kzalloc_zeroes) {
    auto* p = static_cast<unsigned char*>(kmalloc(300));
    KASSERT_TRUE(p != nullptr);
    memset(p, 0xab, 300);
    kfree(p);
    auto* q = static_cast<unsigned char*>(kzalloc(300));
    KASSERT_TRUE(q != nullptr);
    unsigned nonzero = 0;
    for (int i = 0; i < 300; i++) nonzero += q[i] != 0;
    KEXPECT_EQ(nonzero, 0);
    kfree(q);
}

// After one round warms the caches up, an identical second round gives back every page it took.
KTEST(kmalloc, workload_balances) {
    auto round = [] {
        void* live[64];
        for (unsigned i = 0; i < 64; i++) live[i] = kmalloc(16u << (i % 10));
        for (unsigned i = 0; i < 64; i += 2) kfree(live[i]);
        for (unsigned i = 0; i < 64; i += 2) live[i] = kmalloc(24u << (i % 9));
        for (unsigned i = 0; i < 64; i++) kfree(live[i]);
    };
    round();
    uint64_t warmed = nr_free_pages();
    round();
    KEXPECT_EQ(nr_free_pages(), warmed);
}

namespace {
struct Node {
    uint64_t cookie;
    Node* next;
};
void node_ctor(void* p) { static_cast<Node*>(p)->cookie = 0x7e57; }
}  // namespace

KTEST(slab, cache_with_constructor) {
    KmemCache* cache = kmem_cache_create("ktest_node", sizeof(Node), 0, node_ctor);
    KASSERT_TRUE(cache != nullptr);
    auto* a = static_cast<Node*>(kmem_cache_alloc(cache));
    auto* b = static_cast<Node*>(kmem_cache_alloc(cache));
    KASSERT_TRUE(a && b && a != b);
    KEXPECT_EQ(a->cookie, 0x7e57);
    kmem_cache_free(cache, a);
    auto* again = static_cast<Node*>(kmem_cache_alloc(cache));
    KEXPECT_TRUE(again == a);
    KEXPECT_EQ(again->cookie, 0x7e57);
    kmem_cache_free(cache, again);
    kmem_cache_free(cache, b);
    kmem_cache_destroy(cache);
}

// A cache of its own: with a kmalloc size, another task (or an interrupt) could be handed the object
// between the two frees, and the second would then free that live object.
KTEST(slab, double_free_is_caught) {
    KmemCache* cache = kmem_cache_create("ktest_double_free", 48, 0, nullptr);
    KASSERT_TRUE(cache != nullptr);
    uint64_t errors = slab_error_count();
    void* a = kmem_cache_alloc(cache);
    void* b = kmem_cache_alloc(cache);
    KASSERT_TRUE(a && b);
    kmem_cache_free(cache, a);
    kmem_cache_free(cache, a);  // expected WARNING in the log
    KEXPECT_EQ(slab_error_count(), errors + 1);
    void* x = kmem_cache_alloc(cache);
    void* y = kmem_cache_alloc(cache);
    KEXPECT_TRUE(x != y);  // the free list was not corrupted
    kmem_cache_free(cache, x);
    kmem_cache_free(cache, y);
    kmem_cache_free(cache, b);
    kmem_cache_destroy(cache);
}
