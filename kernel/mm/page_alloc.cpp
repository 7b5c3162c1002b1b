// alloc_pages() and friends (gfp.hpp) over the one buddy allocator, plus the Page helpers of page.hpp.
#include <mm/page_alloc.hpp>
#include <lib/string.hpp>
#include <printk/panic.hpp>
#include <printk/printk.hpp>

Page* mem_map;
uint64_t mem_map_base_pfn;
uint64_t mem_map_nr_pages;

namespace {
BuddyAllocator buddy;
Atomic<uint64_t> alloc_failures{0};
}  // namespace

void page_alloc_init(Page* map, uint64_t base_pfn, uint64_t nr_pages) {
    mem_map = map;
    mem_map_base_pfn = base_pfn;
    mem_map_nr_pages = nr_pages;
    buddy.init(map, base_pfn, nr_pages);
    alloc_failures.store(0, MemoryOrder::Relaxed);
}

void page_alloc_add_free_range(uint64_t start_pfn, uint64_t end_pfn) { buddy.add_free_range(start_pfn, end_pfn); }
BuddyAllocator& page_allocator() { return buddy; }
uint64_t page_alloc_failures() { return alloc_failures.load(MemoryOrder::Relaxed); }

Page* alloc_pages(unsigned gfp, unsigned order) {
    Page* page = buddy.alloc(order);
    if (!page) {
        // Callers handle the failure; say so once, not on every attempt of a loop that runs memory out.
        if (alloc_failures.fetch_add(1, MemoryOrder::Relaxed) == 0)
            pr_warn("page allocation failure: order:%u, mode:%#x (free %lu pages); reported once", order, gfp,
                    (unsigned long)buddy.nr_free());
        return nullptr;
    }
    if (gfp & GFP_ZERO) memset(page_address(page), 0, kPageSize << order);
    return page;
}

void free_pages(Page* page, unsigned order) {
    if (!page) return;
    if (WARN_ON(!pfn_valid(page_to_pfn(page)))) return;
    if (WARN_ON(page->test(PG_tail)) || WARN_ON(page->test(PG_buddy)) || WARN_ON(page->order != order)) {
        pr_err("free_pages: pfn %#lx order %u is not a block of that order (flags %#x, order %u)",
               (unsigned long)page_to_pfn(page), order, page->flags.load(MemoryOrder::Relaxed), page->order);
        return;
    }
    put_page(page);
}

void put_page(Page* page) {
    page = compound_head(page);
    int old = page->refcount.fetch_sub(1, MemoryOrder::AcqRel);
    if (old == 1) {
        buddy.free(page, page->order);
    } else if (WARN_ON(old <= 0)) {
        page->refcount.fetch_add(1, MemoryOrder::Relaxed);  // undo: the page was not ours to drop
        pr_err("put_page: pfn %#lx had no reference left (a double free?)", (unsigned long)page_to_pfn(page));
    }
}

void* get_free_pages(unsigned gfp, unsigned order) {
    Page* page = alloc_pages(gfp, order);
    return page ? page_address(page) : nullptr;
}

void free_pages_addr(void* addr, unsigned order) {
    if (!addr) return;
    Page* page = virt_to_page(addr);
    if (WARN_ON(!page)) return;
    free_pages(page, order);
}

uint64_t nr_free_pages() { return buddy.nr_free(); }
uint64_t totalram_pages() { return buddy.nr_managed(); }

Page* virt_to_page(const void* addr) {
    uint64_t pfn = arch::virt_to_phys(addr) >> kPageShift;
    return pfn_valid(pfn) ? pfn_to_page(pfn) : nullptr;
}

Page* virt_to_head_page(const void* addr) {
    Page* page = virt_to_page(addr);
    return page ? compound_head(page) : nullptr;
}

void prep_compound_page(Page* head, unsigned order) {
    for (uint64_t i = 1; i < (1ull << order); i++) {
        head[i].head = head;
        head[i].set(PG_tail);
    }
}

void clear_compound_page(Page* head, unsigned order) {
    for (uint64_t i = 1; i < (1ull << order); i++) {
        head[i].clear(PG_tail);
        head[i].head = nullptr;
    }
}
