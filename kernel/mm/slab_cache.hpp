#pragma once
// Inside the slab allocator: what a cache is (mm-internal; users see the opaque KmemCache of slab.hpp).
//
// A slab is a block of 2^order pages cut into equal slots of `stride` bytes; the slab's head Page holds
// its bookkeeping (PG_slab, slab_cache, freelist, inuse), so kfree() finds everything from the address
// alone. A cache keeps its slabs on three lists by state, all under `lock`:
//   partial  some slots free: allocations come from here first
//   full     no slot free (freelist == nullptr)
//   empty    every slot free: kept for reuse, at most kMaxEmptySlabs of them, the rest go back to the
//            buddy allocator
//
// A free slot stores the next free slot's address at free_offset; when the slot has room, the word
// after it holds a marker (next ^ slot address ^ kSlabFreeMagic). The marker makes a double free
// detectable (the slot already carries a valid marker) and a write to freed memory detectable (the
// marker no longer matches when the slot is handed out again); neither is then allowed to corrupt the
// free list. Caches with a constructor keep the pointer after the object, so a free object stays
// constructed, as constructors require.
#include <mm/page.hpp>
#include <mm/slab.hpp>
#include <locking/spinlock.hpp>
#include <lib/list.hpp>

struct KmemCache {
    const char* name;
    uint32_t object_size;       // what the creator asked for
    uint32_t align;
    uint32_t stride;            // distance between slots
    uint32_t free_offset;       // where a free slot keeps its next pointer
    bool has_marker;            // a free slot has room for the marker word after the pointer
    uint32_t order;             // a slab is 2^order pages
    uint32_t objects_per_slab;
    void (*ctor)(void*);

    SpinLock lock;
    IntrusiveList<Page, &Page::lru> partial;
    IntrusiveList<Page, &Page::lru> full;
    IntrusiveList<Page, &Page::lru> empty;
    uint64_t nr_slabs = 0;        // slabs this cache holds
    uint64_t active_objects = 0;  // objects handed out and not yet freed

    ListNode cache_list;  // on the list of all caches
};

constexpr unsigned kMaxEmptySlabs = 1;
constexpr uint64_t kSlabFreeMagic = 0x6b6b6b6b5a5a5a5aull;

// Fills in a cache (static kmalloc caches and created ones alike). False if the parameters are bad.
bool kmem_cache_setup(KmemCache* cache, const char* name, size_t object_size, size_t align, void (*ctor)(void*));
// Frees `object`, which lies in `slab` (a PG_slab head page): the kfree() path.
void slab_free(KmemCache* cache, Page* slab, void* object);

// Resets the slab layer: the cache of caches and the kmalloc caches (boot; host tests per arena).
void kmem_cache_init();
void kmalloc_caches_init();

// Misuse detected and refused (double frees, bad pointers, overwritten free slots): counted and
// reported with a WARN backtrace.
void slab_report(const char* what, const KmemCache* cache, const void* object);
uint64_t slab_error_count();

// The usable size of a kmalloc'd block: its size class, or the whole block for large allocations.
size_t ksize(const void* ptr);
