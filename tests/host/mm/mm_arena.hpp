#pragma once
// A fresh page allocator, slab layer and vmalloc area for one host test: `nr_pages` of malloc'd
// memory stand for RAM, with their own Page array. On the host a "physical address" is the host
// pointer value (arch/host), so page_address() of an arena page is a real, usable pointer.
#include <mm/internal.hpp>
#include <mm/page_alloc.hpp>
#include <mm/slab_cache.hpp>
#include <cstdlib>
#include <new>

class MmArena {
public:
    static constexpr size_t kAlign = size_t(kPageSize) << kMaxOrder;  // so buddies line up with real pfns

    explicit MmArena(size_t nr_pages = 2048) : nr_pages_(nr_pages) {
        size_t bytes = (nr_pages * kPageSize + kAlign - 1) / kAlign * kAlign;
        memory_ = static_cast<char*>(std::aligned_alloc(kAlign, bytes));
        pages_ = new Page[nr_pages];
        for (size_t i = 0; i < nr_pages; i++) {
            pages_[i].flags.store(PG_reserved);
            pages_[i].refcount.store(1);
        }
        base_pfn_ = reinterpret_cast<uintptr_t>(memory_) >> kPageShift;
        page_alloc_init(pages_, base_pfn_, nr_pages);
        page_alloc_add_free_range(base_pfn_, base_pfn_ + nr_pages);
        kmem_cache_init();
        vmalloc_init();
    }
    ~MmArena() {
        page_alloc_init(nullptr, 0, 0);
        delete[] pages_;
        std::free(memory_);
    }
    MmArena(const MmArena&) = delete;
    MmArena& operator=(const MmArena&) = delete;

    size_t nr_pages() const { return nr_pages_; }
    uint64_t base_pfn() const { return base_pfn_; }
    char* memory() const { return memory_; }

private:
    size_t nr_pages_;
    char* memory_;
    Page* pages_;
    uint64_t base_pfn_;
};
