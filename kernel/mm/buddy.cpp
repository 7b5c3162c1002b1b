// The binary buddy allocator (see buddy.hpp for the invariants).
#include <mm/buddy.hpp>
#include <printk/panic.hpp>
#include <printk/printk.hpp>
#include <new>

void BuddyAllocator::init(Page* pages, uint64_t base_pfn, uint64_t nr_pages) {
    SpinLockIrqSaveGuard guard(lock_);
    for (auto& list : free_area_) new (&list) IntrusiveList<Page, &Page::lru>();
    pages_ = pages;
    base_pfn_ = base_pfn;
    nr_pages_ = nr_pages;
    nr_free_.store(0, MemoryOrder::Relaxed);
    nr_managed_ = 0;
}

void BuddyAllocator::add_free_range(uint64_t start_pfn, uint64_t end_pfn) {
    if (start_pfn < base_pfn_) start_pfn = base_pfn_;
    if (end_pfn > base_pfn_ + nr_pages_) end_pfn = base_pfn_ + nr_pages_;
    SpinLockIrqSaveGuard guard(lock_);
    uint64_t pfn = start_pfn;
    while (pfn < end_pfn) {
        // The largest block that starts here, is aligned to its size and fits in the range.
        unsigned order = kMaxOrder;
        while (order > 0 && ((pfn & ((1ull << order) - 1)) || pfn + (1ull << order) > end_pfn)) order--;
        Page* block = page_of(pfn);
        for (uint64_t i = 0; i < (1ull << order); i++) {
            if (WARN_ON(!block[i].test(PG_reserved) || block[i].test(PG_buddy))) return;
            block[i].clear(PG_reserved);
            block[i].refcount.store(0, MemoryOrder::Relaxed);
        }
        free_locked(block, order);
        nr_free_.fetch_add(1ull << order, MemoryOrder::Relaxed);
        nr_managed_ += 1ull << order;
        pfn += 1ull << order;
    }
}

Page* BuddyAllocator::buddy_of(Page* page, unsigned order) const {
    uint64_t buddy_pfn = pfn_of(page) ^ (1ull << order);
    if (buddy_pfn - base_pfn_ >= nr_pages_) return nullptr;
    return page_of(buddy_pfn);
}

Page* BuddyAllocator::alloc(unsigned order) {
    if (order > kMaxOrder) return nullptr;
    Page* page;
    {
        SpinLockIrqSaveGuard guard(lock_);
        unsigned found = order;
        while (found <= kMaxOrder && free_area_[found].empty()) found++;
        if (found > kMaxOrder) return nullptr;
        page = free_area_[found].pop_front();
        page->clear(PG_buddy);
        // Split: keep the lower half, give the upper half back one order down, until the size fits.
        while (found > order) {
            found--;
            Page* upper = page + (1ull << found);
            upper->order = found;
            upper->set(PG_buddy);
            free_area_[found].push_front(*upper);
        }
        nr_free_.fetch_sub(1ull << order, MemoryOrder::Relaxed);
    }
    page->order = order;
    page->refcount.store(1, MemoryOrder::Relaxed);
    if (order > 0) page->set(PG_head);
    return page;
}

void BuddyAllocator::free(Page* page, unsigned order) {
    // Each check catches a caller bug that would otherwise corrupt the free lists.
    if (WARN_ON(!owns(page))) return;
    if (WARN_ON(order > kMaxOrder) || WARN_ON(page->test(PG_buddy)) ||
        WARN_ON(page->test(PG_reserved)) || WARN_ON(page->test(PG_tail)) ||
        WARN_ON(pfn_of(page) & ((1ull << order) - 1)) || WARN_ON(page_count(page) != 0)) {
        pr_err("buddy: bad free of pfn %#lx order %u (flags %#x count %d)", (unsigned long)pfn_of(page), order,
               page->flags.load(MemoryOrder::Relaxed), page_count(page));
        return;
    }
    page->clear(PG_head);
    SpinLockIrqSaveGuard guard(lock_);
    free_locked(page, order);
    nr_free_.fetch_add(1ull << order, MemoryOrder::Relaxed);
}

void BuddyAllocator::free_locked(Page* page, unsigned order) {
    while (order < kMaxOrder) {
        Page* buddy = buddy_of(page, order);
        if (!buddy || !buddy->test(PG_buddy) || buddy->order != order) break;
        free_area_[order].remove(*buddy);
        buddy->clear(PG_buddy);
        if (buddy < page) page = buddy;  // the merged block starts at the lower of the two
        order++;
    }
    page->order = order;
    page->set(PG_buddy);
    free_area_[order].push_front(*page);
}

uint64_t BuddyAllocator::nr_free_blocks(unsigned order) const {
    if (order > kMaxOrder) return 0;
    SpinLockIrqSaveGuard guard(lock_);
    return free_area_[order].size();
}
