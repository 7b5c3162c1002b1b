// kmalloc: general-purpose allocation in size classes. Requests up to kKmallocMaxCacheSize come from
// one slab cache per class (powers of two from 8 to 8192 bytes, plus 96 and 192 as in Linux, which
// halve the waste for the common 65..96 and 129..192 byte objects); larger ones are whole buddy blocks
// marked PG_large_kmalloc. kfree() tells the two apart by the page descriptor of the address.
#include <mm/slab_cache.hpp>
#include <lib/string.hpp>
#include <printk/panic.hpp>
#include <printk/printk.hpp>

namespace {

struct SizeClass {
    uint32_t size;
    const char* name;
};
constexpr SizeClass kSizeClasses[] = {
    {8, "kmalloc-8"},       {16, "kmalloc-16"},     {32, "kmalloc-32"},   {64, "kmalloc-64"},
    {96, "kmalloc-96"},     {128, "kmalloc-128"},   {192, "kmalloc-192"}, {256, "kmalloc-256"},
    {512, "kmalloc-512"},   {1024, "kmalloc-1k"},   {2048, "kmalloc-2k"}, {4096, "kmalloc-4k"},
    {8192, "kmalloc-8k"},
};
constexpr unsigned kNrSizeClasses = sizeof kSizeClasses / sizeof kSizeClasses[0];
constexpr size_t kKmallocMaxCacheSize = 8192;

KmemCache kmalloc_caches[kNrSizeClasses];

unsigned size_class_index(size_t size) {
    unsigned i = 0;
    while (kSizeClasses[i].size < size) i++;  // 13 entries: a scan is as fast as a lookup table here
    return i;
}

unsigned order_for(size_t size) {
    unsigned order = 0;
    while ((kPageSize << order) < size) order++;
    return order;
}

void* kmalloc_large(size_t size, unsigned gfp) {
    unsigned order = order_for(size);
    if (order > kMaxOrder) return nullptr;
    Page* page = alloc_pages(gfp, order);
    if (!page) return nullptr;
    page->set(PG_large_kmalloc);
    return page_address(page);
}

}  // namespace

void kmalloc_caches_init() {
    for (unsigned i = 0; i < kNrSizeClasses; i++)
        kmem_cache_setup(&kmalloc_caches[i], kSizeClasses[i].name, kSizeClasses[i].size, 0, nullptr);
}

// Size 0 is treated as 1 byte: every successful kmalloc returns a distinct pointer kfree accepts.
void* kmalloc(size_t size, unsigned gfp) {
    if (size > kKmallocMaxCacheSize) return kmalloc_large(size, gfp);
    return kmem_cache_alloc(&kmalloc_caches[size_class_index(size ? size : 1)], gfp);
}

void* kzalloc(size_t size, unsigned gfp) { return kmalloc(size, gfp | GFP_ZERO); }

void kfree(const void* ptr) {
    if (!ptr) return;
    void* object = const_cast<void*>(ptr);
    Page* page = virt_to_page(object);
    if (!page) return slab_report("kfree of an address outside the direct map", nullptr, ptr);
    page = compound_head(page);
    if (page->test(PG_slab)) return slab_free(page->slab_cache, page, object);
    if (page->test(PG_large_kmalloc) && object == page_address(page)) {
        page->clear(PG_large_kmalloc);
        return free_pages(page, page->order);
    }
    slab_report("kfree of memory not from kmalloc (or freed twice)", nullptr, ptr);
}

size_t ksize(const void* ptr) {
    Page* page = ptr ? virt_to_head_page(ptr) : nullptr;
    if (!page) return 0;
    if (page->test(PG_slab)) return page->slab_cache->object_size;
    if (page->test(PG_large_kmalloc)) return kPageSize << page->order;
    return 0;
}
