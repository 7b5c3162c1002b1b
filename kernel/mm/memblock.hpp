#pragma once
// The boot-time physical memory allocator (Linux's memblock, reduced to what Tern needs): a sorted set
// of free physical ranges, built from the firmware memory map before the page allocator exists. It
// allocates the page descriptors (mem_map); whatever is left is handed to the buddy allocator.
#include <stddef.h>
#include <stdint.h>

struct PhysRange {
    uint64_t start;
    uint64_t end;  // exclusive
    uint64_t size() const { return end - start; }
};

class Memblock {
public:
    static constexpr unsigned kMaxRanges = 128;

    // Adds [start, end) as free, rounded inward to whole pages; merges with neighbours.
    // False if the table is full (the range is then ignored).
    bool add(uint64_t start, uint64_t end);
    // Removes [start, end) (rounded outward to whole pages) from the free ranges.
    bool reserve(uint64_t start, uint64_t end);
    // The lowest `size` bytes aligned to `align` (a power of two) that lie below `limit`; removed from
    // the free ranges. 0 if nothing fits (page 0 itself is never handed out).
    uint64_t alloc(uint64_t size, uint64_t align, uint64_t limit);

    unsigned count() const { return count_; }
    const PhysRange& range(unsigned i) const { return ranges_[i]; }
    const PhysRange* ranges() const { return ranges_; }
    uint64_t total() const;

private:
    bool insert_at(unsigned index, PhysRange r);
    void erase_at(unsigned index);

    PhysRange ranges_[kMaxRanges];
    unsigned count_ = 0;
};
