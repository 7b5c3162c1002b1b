#pragma once
// struct Page: one descriptor per physical page frame (Linux's struct page), kept in the flat array
// mem_map indexed by page-frame number (pfn = physical address >> kPageShift).
//
// What a page is being used for is told by its flags; the other fields mean something only for that
// use:
//   PG_reserved       not managed by the allocator (firmware, the kernel image, mem_map itself, holes)
//   PG_buddy          head of a free block on a buddy free list; `order` is the block's order
//   PG_head           head of an allocated block of 2^order pages (set by alloc_pages for order > 0)
//   PG_tail           a non-head page of a compound block; `head` points at its head page
//   PG_slab           head of a slab: `slab_cache`, `freelist`, `inuse` describe its objects
//   PG_large_kmalloc  head of a kmalloc() block too large for the slab caches
//   PG_pgtable        holds a page table
//   PG_vmalloc        backs a vmalloc() area
//
// Reference counting: an allocated page starts with refcount 1. get_page() takes another reference
// (copy-on-write shares pages between address spaces this way); put_page() drops one, and the page
// goes back to the allocator when the count reaches zero. Free and reserved pages hold 0 and 1.
#include <arch/arch.hpp>
#include <lib/atomic.hpp>
#include <lib/list.hpp>
#include <stddef.h>
#include <stdint.h>

struct KmemCache;

enum PageFlag : uint32_t {
    PG_reserved = 1u << 0,
    PG_buddy = 1u << 1,
    PG_head = 1u << 2,
    PG_tail = 1u << 3,
    PG_slab = 1u << 4,
    PG_large_kmalloc = 1u << 5,
    PG_pgtable = 1u << 6,
    PG_vmalloc = 1u << 7,
};

struct Page {
    Atomic<uint32_t> flags{0};
    Atomic<int32_t> refcount{0};
    uint32_t order = 0;   // PG_buddy: free block order; PG_head: allocation order
    uint32_t inuse = 0;   // PG_slab: objects handed out from this slab
    ListNode lru;         // buddy free list, slab list of its cache, or a vmalloc area's page list
    KmemCache* slab_cache = nullptr;  // PG_slab
    void* freelist = nullptr;         // PG_slab: first free object
    Page* head = nullptr;             // PG_tail

    bool test(PageFlag f) const { return flags.load(MemoryOrder::Relaxed) & f; }
    void set(PageFlag f) { flags.fetch_or(f, MemoryOrder::Relaxed); }
    void clear(PageFlag f) { flags.fetch_and(~uint32_t(f), MemoryOrder::Relaxed); }
};
static_assert(sizeof(Page) <= 64, "mem_map costs sizeof(Page) per 4 KiB of RAM: keep it small");

// The descriptor array. In the kernel it covers pfns [0, max_pfn); the host tests point it at an arena.
extern Page* mem_map;
extern uint64_t mem_map_base_pfn;  // pfn of mem_map[0]
extern uint64_t mem_map_nr_pages;

inline bool pfn_valid(uint64_t pfn) { return pfn - mem_map_base_pfn < mem_map_nr_pages; }
inline Page* pfn_to_page(uint64_t pfn) { return &mem_map[pfn - mem_map_base_pfn]; }
inline uint64_t page_to_pfn(const Page* page) { return mem_map_base_pfn + uint64_t(page - mem_map); }
inline uint64_t page_to_phys(const Page* page) { return page_to_pfn(page) << arch::kPageShift; }
inline void* page_address(const Page* page) { return arch::phys_to_virt(page_to_phys(page)); }

// The descriptor of the page holding a direct-map (or kernel image) address, or nullptr if that is no
// RAM page mem_map describes (a vmalloc or MMIO address, a stray pointer).
Page* virt_to_page(const void* addr);
// The same, followed from a tail page to its head.
Page* virt_to_head_page(const void* addr);
inline Page* compound_head(Page* page) { return page->test(PG_tail) ? page->head : page; }

// Marks pages 1 .. 2^order-1 after `head` as its tails (slabs span several pages; kfree of any object
// must find the slab), and undoes it.
void prep_compound_page(Page* head, unsigned order);
void clear_compound_page(Page* head, unsigned order);

inline void get_page(Page* page) { page->refcount.fetch_add(1, MemoryOrder::Relaxed); }
// Drops a reference; frees the block (of the order it was allocated with) when it was the last.
void put_page(Page* page);
inline int page_count(const Page* page) { return page->refcount.load(MemoryOrder::Relaxed); }

constexpr uint64_t kPageSize = arch::kPageSize;
constexpr uint64_t kPageShift = arch::kPageShift;
constexpr uint64_t page_align_up(uint64_t x) { return (x + kPageSize - 1) & ~(kPageSize - 1); }
constexpr uint64_t page_align_down(uint64_t x) { return x & ~(kPageSize - 1); }
