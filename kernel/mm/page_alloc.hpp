#pragma once
// The kernel's page allocator: one BuddyAllocator over mem_map, behind the gfp.hpp contract. This
// header is mm-internal set-up; everyone else allocates through gfp.hpp.
#include <mm/buddy.hpp>
#include <mm/page.hpp>

// Points mem_map at `map` (describing pfns [base_pfn, base_pfn + nr_pages), all reserved) and resets
// the allocator to manage it. Boot calls it once; host tests call it for each fresh arena.
void page_alloc_init(Page* map, uint64_t base_pfn, uint64_t nr_pages);
// Hands [start_pfn, end_pfn) to the allocator (Linux's memblock_free_all, one range at a time).
void page_alloc_add_free_range(uint64_t start_pfn, uint64_t end_pfn);
BuddyAllocator& page_allocator();

// How many allocations found no free block (they returned nullptr to their caller).
uint64_t page_alloc_failures();
