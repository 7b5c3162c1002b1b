#pragma once
// The binary buddy allocator over one contiguous range of page frames (Linux's zone free areas).
//
// Free memory is kept as blocks of 2^order pages, order 0..kMaxOrder, each block aligned to its size
// in page-frame numbers. Block B of order k has one "buddy": the block whose pfn differs from B's only
// in bit k. Allocation takes a block from the smallest non-empty free list of sufficient order and
// splits off the unused halves; freeing merges a block with its buddy for as long as the buddy is free
// and of the same order. Both are O(kMaxOrder).
//
// Invariants (under lock_):
//   - a page is the head of a free block iff it has PG_buddy, and then `order` is the block's order and
//     its lru node is on free_area_[order];
//   - no two free buddies of the same order exist (they would have been merged);
//   - nr_free_ equals the sum over free blocks of 2^order.
//
// The allocator knows nothing about where the descriptors and the memory come from, so the host unit
// tests back it with a malloc'd arena exactly as the kernel backs it with mem_map.
#include <mm/gfp.hpp>
#include <mm/page.hpp>
#include <locking/spinlock.hpp>
#include <lib/list.hpp>

class BuddyAllocator {
public:
    constexpr BuddyAllocator() = default;
    BuddyAllocator(const BuddyAllocator&) = delete;
    BuddyAllocator& operator=(const BuddyAllocator&) = delete;

    // Takes charge of `nr_pages` descriptors (constructed, describing pfns base_pfn..base_pfn+nr_pages-1).
    // Nothing is free until add_free_range().
    void init(Page* pages, uint64_t base_pfn, uint64_t nr_pages);
    // Boot time: hands pfns [start, end) to the allocator. The pages must be reserved and unused.
    void add_free_range(uint64_t start_pfn, uint64_t end_pfn);

    // A block of 2^order pages with refcount 1 and PG_head (order > 0), or nullptr if none is free.
    Page* alloc(unsigned order);
    // Returns a block that alloc() handed out (its refcount already dropped to zero).
    void free(Page* page, unsigned order);

    uint64_t nr_free() const { return nr_free_.load(MemoryOrder::Relaxed); }
    uint64_t nr_managed() const { return nr_managed_; }
    // Number of free blocks of `order` (tests, /proc/buddyinfo).
    uint64_t nr_free_blocks(unsigned order) const;

    bool owns(const Page* page) const { return page >= pages_ && page < pages_ + nr_pages_; }
    uint64_t pfn_of(const Page* page) const { return base_pfn_ + uint64_t(page - pages_); }
    Page* page_of(uint64_t pfn) const { return &pages_[pfn - base_pfn_]; }

private:
    Page* buddy_of(Page* page, unsigned order) const;
    void free_locked(Page* page, unsigned order);

    mutable SpinLock lock_;
    IntrusiveList<Page, &Page::lru> free_area_[kMaxOrder + 1];
    Page* pages_ = nullptr;
    uint64_t base_pfn_ = 0;
    uint64_t nr_pages_ = 0;
    Atomic<uint64_t> nr_free_{0};
    uint64_t nr_managed_ = 0;
};
