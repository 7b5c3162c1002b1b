#pragma once
// Bookkeeping of the vmalloc/ioremap virtual range: which parts are taken by which area. Only
// addresses: mapping them is vmalloc.cpp's job, so this part is unit-tested on the host.
//
// Areas sit in a red-black tree ordered by address (lookups by vfree/iounmap are O(log n)). Placement is
// next-fit: the search starts where the previous area ended and wraps around once, so in a range far
// larger than what is in use a new area is almost always placed at the first try, and freed addresses
// are not reused at once (a stale pointer into a freed area keeps faulting for a while).
#include <lib/list.hpp>
#include <lib/rbtree.hpp>
#include <mm/page.hpp>
#include <stddef.h>
#include <stdint.h>

struct VmArea {
    enum class Kind : uint8_t { Vmalloc, Ioremap };

    RbNode node;
    uintptr_t addr = 0;  // first byte
    size_t size = 0;     // bytes mapped (whole pages)
    size_t span = 0;     // bytes of the range taken: size plus the unmapped guard page(s) after it
    Kind kind = Kind::Vmalloc;
    bool freeing = false;                     // being torn down: a second vfree/iounmap is refused
    uint64_t phys = 0;                        // Ioremap: physical address of addr
    IntrusiveList<Page, &Page::lru> pages;    // Vmalloc: the pages backing it, in address order

    uintptr_t end() const { return addr + span; }
};

class VmapSpace {
public:
    void init(uintptr_t start, uintptr_t end);

    // Gives `area` a free, page-aligned range of `span` bytes (addr, span); false if none is left.
    bool insert(VmArea& area, size_t span);
    void remove(VmArea& area);
    // The area that starts exactly at `addr`, or that contains it; nullptr if none.
    VmArea* find(uintptr_t addr) const;
    VmArea* find_containing(uintptr_t addr) const;
    size_t nr_areas() const { return areas_.size(); }

private:
    struct ByAddr {
        bool operator()(const VmArea& a, const VmArea& b) const { return a.addr < b.addr; }
    };
    // The first area that ends after `addr` (areas never overlap, so ends are ordered too).
    VmArea* first_ending_after(uintptr_t addr) const;
    bool place_from(uintptr_t from, VmArea& area, size_t span);

    RbTree<VmArea, &VmArea::node, ByAddr> areas_;
    uintptr_t start_ = 0;
    uintptr_t end_ = 0;
    uintptr_t cursor_ = 0;  // where the next search begins
};
