// Slab caches: kmem_cache_create/alloc/free/destroy (see slab_cache.hpp for the layout and invariants).
#include <mm/slab_cache.hpp>
#include <lib/string.hpp>
#include <printk/panic.hpp>
#include <printk/printk.hpp>
#include <new>

namespace {

KmemCache cache_cache;  // the cache KmemCache objects themselves come from
SpinLock slab_caches_lock;
IntrusiveList<KmemCache, &KmemCache::cache_list> slab_caches;
Atomic<uint64_t> slab_errors{0};

constexpr unsigned kMaxPreferredSlabOrder = 2;  // 16 KiB: small machines (-m 16) cannot spare more
constexpr unsigned kMinObjectsPerSlab = 4;

constexpr uint64_t round_up(uint64_t x, uint64_t align) { return (x + align - 1) & ~(align - 1); }

// The smallest slab order that holds at least kMinObjectsPerSlab slots and wastes at most 1/8 of the
// slab; failing that, the largest preferred order; objects bigger than that get the smallest order
// that holds one.
unsigned choose_order(uint64_t stride) {
    for (unsigned order = 0; order <= kMaxPreferredSlabOrder; order++) {
        uint64_t bytes = kPageSize << order;
        uint64_t n = bytes / stride;
        if (n >= kMinObjectsPerSlab && (bytes - n * stride) * 8 <= bytes) return order;
    }
    unsigned order = kMaxPreferredSlabOrder;
    while ((kPageSize << order) < stride) order++;
    return order;
}

char* slab_base(const Page* slab) { return static_cast<char*>(page_address(slab)); }

void** next_ptr(const KmemCache* cache, void* slot) {
    return reinterpret_cast<void**>(static_cast<char*>(slot) + cache->free_offset);
}
uint64_t* marker_ptr(const KmemCache* cache, void* slot) {
    return reinterpret_cast<uint64_t*>(static_cast<char*>(slot) + cache->free_offset + sizeof(void*));
}
uint64_t marker_for(const void* slot, const void* next) {
    return reinterpret_cast<uint64_t>(next) ^ reinterpret_cast<uint64_t>(slot) ^ kSlabFreeMagic;
}

// Is `p` the start of a slot of `slab`?
bool is_slot(const KmemCache* cache, const Page* slab, const void* p) {
    auto offset = static_cast<const char*>(p) - slab_base(slab);
    return offset >= 0 && uint64_t(offset) % cache->stride == 0 &&
           uint64_t(offset) / cache->stride < cache->objects_per_slab;
}

void mark_free(const KmemCache* cache, void* slot, void* next) {
    *next_ptr(cache, slot) = next;
    if (cache->has_marker) *marker_ptr(cache, slot) = marker_for(slot, next);
}
bool marked_free(const KmemCache* cache, void* slot) {
    return cache->has_marker && *marker_ptr(cache, slot) == marker_for(slot, *next_ptr(cache, slot));
}

IntrusiveList<Page, &Page::lru>& list_for(KmemCache* cache, const Page* slab) {
    if (!slab->freelist) return cache->full;
    if (slab->inuse == 0) return cache->empty;
    return cache->partial;
}

// Runs `change` on the slab and moves it to the list its new state belongs on. Lock held.
template <class F>
void update_slab(KmemCache* cache, Page* slab, F&& change) {
    auto& before = list_for(cache, slab);
    change();
    auto& after = list_for(cache, slab);
    if (&before != &after) {
        before.remove(*slab);
        after.push_front(*slab);
    }
}

// Takes the first free slot of `slab`, or nullptr if its free list turns out to be damaged (a write
// to freed memory): the rest of that list is then abandoned, leaked rather than trusted. Lock held.
void* take_object(KmemCache* cache, Page* slab) {
    void* object = slab->freelist;
    void* next = *next_ptr(cache, object);
    bool intact = (!cache->has_marker || marked_free(cache, object)) && (!next || is_slot(cache, slab, next));
    if (!intact) {
        slab_report("free object overwritten (use after free?); dropping the rest of its slab's free list", cache,
               object);
        update_slab(cache, slab, [&] { slab->freelist = nullptr; });
        return nullptr;
    }
    update_slab(cache, slab, [&] {
        slab->freelist = next;
        slab->inuse++;
    });
    if (cache->has_marker) *marker_ptr(cache, object) = 0;
    cache->active_objects++;
    return object;
}

Page* new_slab(KmemCache* cache, unsigned gfp) {
    Page* slab = alloc_pages(gfp & ~GFP_ZERO, cache->order);
    if (!slab) return nullptr;
    prep_compound_page(slab, cache->order);
    slab->slab_cache = cache;
    slab->inuse = 0;
    char* base = slab_base(slab);
    void* next = nullptr;
    // Link the slots in address order, so consecutive allocations are adjacent in memory.
    for (uint32_t i = cache->objects_per_slab; i-- > 0;) {
        void* slot = base + uint64_t(i) * cache->stride;
        if (cache->ctor) cache->ctor(slot);
        mark_free(cache, slot, next);
        next = slot;
    }
    slab->freelist = base;
    slab->set(PG_slab);
    return slab;
}

void free_slab(KmemCache* cache, Page* slab) {
    slab->clear(PG_slab);
    slab->slab_cache = nullptr;
    slab->freelist = nullptr;
    clear_compound_page(slab, cache->order);
    free_pages(slab, cache->order);
}

}  // namespace

bool kmem_cache_setup(KmemCache* cache, const char* name, size_t object_size, size_t align, void (*ctor)(void*)) {
    if (object_size == 0 || object_size > (kPageSize << kMaxOrder) / 2) return false;
    if (align == 0) align = sizeof(void*);
    if (align & (align - 1)) return false;
    if (align < sizeof(void*)) align = sizeof(void*);

    new (cache) KmemCache();
    cache->name = name;
    cache->object_size = uint32_t(object_size);
    cache->align = uint32_t(align);
    cache->ctor = ctor;
    uint64_t slot;
    if (ctor) {
        // The object must stay constructed while free: keep the pointer and the marker after it.
        cache->free_offset = uint32_t(round_up(object_size, sizeof(void*)));
        slot = cache->free_offset + 2 * sizeof(void*);
    } else {
        cache->free_offset = 0;
        slot = object_size < sizeof(void*) ? sizeof(void*) : object_size;
    }
    cache->stride = uint32_t(round_up(slot, align));
    cache->has_marker = cache->stride - cache->free_offset >= 2 * sizeof(void*);
    cache->order = choose_order(cache->stride);
    cache->objects_per_slab = uint32_t((kPageSize << cache->order) / cache->stride);

    SpinLockIrqSaveGuard guard(slab_caches_lock);
    slab_caches.push_back(*cache);
    return true;
}

void kmem_cache_init() {
    new (&slab_caches) IntrusiveList<KmemCache, &KmemCache::cache_list>();
    slab_errors.store(0, MemoryOrder::Relaxed);
    kmem_cache_setup(&cache_cache, "kmem_cache", sizeof(KmemCache), alignof(KmemCache), nullptr);
    kmalloc_caches_init();
}

KmemCache* kmem_cache_create(const char* name, size_t object_size, size_t align, void (*ctor)(void*)) {
    auto* cache = static_cast<KmemCache*>(kmem_cache_alloc(&cache_cache, GFP_KERNEL));
    if (!cache) return nullptr;
    if (!kmem_cache_setup(cache, name, object_size, align, ctor)) {
        pr_err("kmem_cache_create(%s): bad size %lu or alignment %lu", name, (unsigned long)object_size,
               (unsigned long)align);
        kmem_cache_free(&cache_cache, cache);
        return nullptr;
    }
    return cache;
}

void kmem_cache_destroy(KmemCache* cache) {
    if (!cache) return;
    IntrusiveList<Page, &Page::lru> slabs;
    {
        SpinLockIrqSaveGuard guard(cache->lock);
        if (cache->active_objects || !cache->partial.empty() || !cache->full.empty()) {
            slab_report("kmem_cache_destroy of a cache with objects still allocated", cache, nullptr);
            return;
        }
        slabs.splice_back(cache->empty);
        cache->nr_slabs = 0;
    }
    while (Page* slab = slabs.pop_front()) free_slab(cache, slab);
    {
        SpinLockIrqSaveGuard guard(slab_caches_lock);
        slab_caches.remove(*cache);
    }
    kmem_cache_free(&cache_cache, cache);
}

void* kmem_cache_alloc(KmemCache* cache, unsigned gfp) {
    if (WARN_ON(cache->objects_per_slab == 0)) {
        pr_err("kmem_cache_alloc(%s) before kmem_cache_init", cache->name ? cache->name : "kmalloc");
        return nullptr;
    }
    void* object = nullptr;
    while (!object) {
        {
            SpinLockIrqSaveGuard guard(cache->lock);
            Page* slab;
            while (!object && (slab = cache->partial.front() ? cache->partial.front() : cache->empty.front()))
                object = take_object(cache, slab);
        }
        if (object) break;
        // Grow without the lock held: the page allocator has its own.
        Page* slab = new_slab(cache, gfp);
        if (!slab) return nullptr;
        SpinLockIrqSaveGuard guard(cache->lock);
        cache->empty.push_back(*slab);
        cache->nr_slabs++;
    }
    if (gfp & GFP_ZERO) memset(object, 0, cache->object_size);
    return object;
}

void slab_free(KmemCache* cache, Page* slab, void* object) {
    if (!is_slot(cache, slab, object)) {
        slab_report("free of a pointer that is not the start of an object", cache, object);
        return;
    }
    Page* surplus = nullptr;
    {
        SpinLockIrqSaveGuard guard(cache->lock);
        if (object == slab->freelist || marked_free(cache, object) || slab->inuse == 0) {
            slab_report("double free", cache, object);
            return;
        }
        update_slab(cache, slab, [&] {
            mark_free(cache, object, slab->freelist);
            slab->freelist = object;
            slab->inuse--;
        });
        cache->active_objects--;
        if (cache->empty.size() > kMaxEmptySlabs) {
            surplus = cache->empty.pop_back();
            cache->nr_slabs--;
        }
    }
    if (surplus) free_slab(cache, surplus);
}

void kmem_cache_free(KmemCache* cache, void* object) {
    if (!object) return;
    Page* slab = virt_to_head_page(object);
    if (!slab || !slab->test(PG_slab) || slab->slab_cache != cache) {
        slab_report("kmem_cache_free of an object that is not from this cache", cache, object);
        return;
    }
    slab_free(cache, slab, object);
}

void slab_report(const char* what, const KmemCache* cache, const void* object) {
    slab_errors.fetch_add(1, MemoryOrder::Relaxed);
    pr_err("slab: %s: object %p, cache %s", what, object, cache ? cache->name : "(none)");
    warn_slowpath(__FILE__, __LINE__, what);
}

uint64_t slab_error_count() { return slab_errors.load(MemoryOrder::Relaxed); }

uint64_t slab_nr_pages() {
    uint64_t pages = 0;
    SpinLockIrqSaveGuard guard(slab_caches_lock);
    for (KmemCache& cache : slab_caches) {
        SpinLockIrqSaveGuard cache_guard(cache.lock);
        pages += cache.nr_slabs << cache.order;
    }
    return pages;
}
