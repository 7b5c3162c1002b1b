// Boot-time range bookkeeping. Ranges stay sorted by start, non-overlapping and non-adjacent.
#include <mm/memblock.hpp>
#include <mm/page.hpp>

bool Memblock::insert_at(unsigned index, PhysRange r) {
    if (count_ == kMaxRanges) return false;
    for (unsigned i = count_; i > index; i--) ranges_[i] = ranges_[i - 1];
    ranges_[index] = r;
    count_++;
    return true;
}

void Memblock::erase_at(unsigned index) {
    for (unsigned i = index; i + 1 < count_; i++) ranges_[i] = ranges_[i + 1];
    count_--;
}

bool Memblock::add(uint64_t start, uint64_t end) {
    start = page_align_up(start);
    end = page_align_down(end);
    if (start >= end) return true;
    // Absorb every range that overlaps or touches [start, end), then insert the union.
    unsigned i = 0;
    while (i < count_ && ranges_[i].end < start) i++;
    while (i < count_ && ranges_[i].start <= end) {
        if (ranges_[i].start < start) start = ranges_[i].start;
        if (ranges_[i].end > end) end = ranges_[i].end;
        erase_at(i);
    }
    return insert_at(i, PhysRange{start, end});
}

bool Memblock::reserve(uint64_t start, uint64_t end) {
    start = page_align_down(start);
    end = page_align_up(end);
    for (unsigned i = 0; i < count_;) {
        PhysRange r = ranges_[i];
        if (r.end <= start || r.start >= end) {
            i++;
            continue;
        }
        erase_at(i);
        // Put back what lies outside [start, end): at most a piece below and a piece above.
        if (r.start < start) {
            if (!insert_at(i, PhysRange{r.start, start})) return false;
            i++;
        }
        if (r.end > end) {
            if (!insert_at(i, PhysRange{end, r.end})) return false;
            i++;
        }
    }
    return true;
}

uint64_t Memblock::alloc(uint64_t size, uint64_t align, uint64_t limit) {
    size = page_align_up(size);
    if (align < kPageSize) align = kPageSize;
    for (unsigned i = 0; i < count_; i++) {
        uint64_t lowest = ranges_[i].start ? ranges_[i].start : kPageSize;  // 0 means "failed"
        uint64_t base = (lowest + align - 1) & ~(align - 1);
        if (base + size > ranges_[i].end || base + size > limit || base + size < base) continue;
        if (!reserve(base, base + size)) return 0;
        return base;
    }
    return 0;
}

uint64_t Memblock::total() const {
    uint64_t sum = 0;
    for (unsigned i = 0; i < count_; i++) sum += ranges_[i].size();
    return sum;
}
