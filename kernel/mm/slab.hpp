#pragma once
// Object allocation: slab caches and kmalloc size classes. Contract shared by every subsystem.
#include <mm/gfp.hpp>
#include <new>
#include <utility>

// nullptr on failure: callers must handle it (no exceptions in the kernel).
void* kmalloc(size_t size, unsigned gfp = GFP_KERNEL);
void* kzalloc(size_t size, unsigned gfp = GFP_KERNEL);
void kfree(const void* ptr);
// Pages held by all slab caches (/proc/meminfo's Slab).
uint64_t slab_nr_pages();

struct KmemCache;
KmemCache* kmem_cache_create(const char* name, size_t object_size, size_t align, void (*ctor)(void*));
void* kmem_cache_alloc(KmemCache* cache, unsigned gfp = GFP_KERNEL);
void kmem_cache_free(KmemCache* cache, void* object);
// Frees the cache; every object must have been freed (otherwise it WARNs and leaks the cache).
void kmem_cache_destroy(KmemCache* cache);

// Typed helpers: construct in kmalloc'd memory; nullptr if the allocation failed.
template <class T, class... Args>
T* knew(Args&&... args) {
    void* mem = kmalloc(sizeof(T));
    return mem ? new (mem) T(std::forward<Args>(args)...) : nullptr;
}
template <class T>
void kdelete(T* object) {
    if (!object) return;
    object->~T();
    kfree(object);
}
