// Next-fit placement of areas in the vmalloc range (see vmap_area.hpp).
#include <mm/vmap_area.hpp>
#include <new>

void VmapSpace::init(uintptr_t start, uintptr_t end) {
    new (&areas_) RbTree<VmArea, &VmArea::node, ByAddr>();
    start_ = start;
    end_ = end;
    cursor_ = start;
}

VmArea* VmapSpace::first_ending_after(uintptr_t addr) const {
    return areas_.lower_bound([addr](const VmArea& a) { return addr < a.end() ? -1 : 1; });
}

// Walks the gaps from `from` to the end of the range and takes the first that fits.
bool VmapSpace::place_from(uintptr_t from, VmArea& area, size_t span) {
    uintptr_t candidate = from;
    VmArea* next = first_ending_after(candidate);
    for (;;) {
        uintptr_t limit = next ? next->addr : end_;
        if (candidate <= limit && limit - candidate >= span) {
            area.addr = candidate;
            area.span = span;
            areas_.insert(area);
            cursor_ = candidate + span;
            return true;
        }
        if (!next) return false;
        if (next->end() > candidate) candidate = next->end();
        next = areas_.next(*next);
    }
}

bool VmapSpace::insert(VmArea& area, size_t span) {
    span = page_align_up(span);
    if (span == 0 || span > end_ - start_) return false;
    return place_from(cursor_, area, span) || (cursor_ != start_ && place_from(start_, area, span));
}

void VmapSpace::remove(VmArea& area) { areas_.erase(area); }

VmArea* VmapSpace::find(uintptr_t addr) const {
    VmArea* area = find_containing(addr);
    return area && area->addr == addr ? area : nullptr;
}

VmArea* VmapSpace::find_containing(uintptr_t addr) const {
    VmArea* area = first_ending_after(addr);
    return area && area->addr <= addr ? area : nullptr;
}
