#pragma once
// Page-frame allocation (the buddy allocator). Contract shared by every subsystem; implemented in mm/.
#include <stddef.h>
#include <stdint.h>

struct Page;

// Allocation flags (Linux's GFP_* ideas, Tern's own bit values).
enum Gfp : unsigned {
    GFP_KERNEL = 0,       // may sleep (once reclaim exists); the normal case
    GFP_ATOMIC = 1u << 0, // from interrupt context or with spinlocks held: never sleeps
    GFP_ZERO = 1u << 1,   // zero-filled
};
constexpr unsigned kMaxOrder = 10;  // largest block: 2^10 pages = 4 MiB (Linux's MAX_ORDER)

// nullptr when no block of that order is free: callers must handle it.
Page* alloc_pages(unsigned gfp, unsigned order);
void free_pages(Page* page, unsigned order);
// The direct-map address of a fresh block, or nullptr; and its inverse.
void* get_free_pages(unsigned gfp, unsigned order);
void free_pages_addr(void* addr, unsigned order);

uint64_t nr_free_pages();
uint64_t totalram_pages();
