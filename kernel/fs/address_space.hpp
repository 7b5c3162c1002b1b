#pragma once
// AddressSpace: the pages holding one file's data, indexed by page number in the file (Linux's
// address_space / page cache of a file). tmpfs keeps file data only here; the memory code maps these
// same pages into processes for mmap(MAP_SHARED), and copies them for MAP_PRIVATE.
//
// API for users of file pages (read/write paths, mmap faults):
//   find_get_page(index)        the page at index with a reference for the caller (put_page when
//                               done), or nullptr for a hole;
//   find_or_create_page(index)  the same, filling a hole with a new zeroed page first; ENOMEM when
//                               no page (or tree node) can be had, ENOSPC when the quota is used up;
//   truncate_pages(first)       drops the cache's reference to every page at index >= first;
//   nr_pages()                  pages held.
// The cache holds one reference to each page it contains; a page whose last other user is gone is
// freed when the cache drops it. A page stays valid for whoever holds a reference even after truncate.
//
// Storage is a radix tree of 64-way nodes (6 index bits per level), grown in height as larger indexes
// are used: a one-page file needs no node, a 256 KiB file one, a 1 GiB file three levels.
//
// Locking: an internal FsMutex; callers that need "look up then change" atomic with the file size hold
// the inode's lock as well (inode lock before this one).
#include <fs/fs_mutex.hpp>
#include <lib/atomic.hpp>
#include <lib/result.hpp>
#include <stddef.h>
#include <stdint.h>

struct Page;

// A shared page budget (a tmpfs instance's size= limit).
struct PageQuota {
    Atomic<uint64_t> used{0};
    uint64_t limit = UINT64_MAX;

    bool charge(uint64_t n);
    void uncharge(uint64_t n) { used.fetch_sub(n, MemoryOrder::Relaxed); }
};

class AddressSpace {
public:
    explicit AddressSpace(PageQuota* quota = nullptr) : quota_(quota) {}
    ~AddressSpace() { truncate_pages(0); }
    AddressSpace(const AddressSpace&) = delete;
    AddressSpace& operator=(const AddressSpace&) = delete;

    Page* find_get_page(uint64_t index);
    Result<Page*> find_or_create_page(uint64_t index);
    uint64_t truncate_pages(uint64_t first);
    uint64_t nr_pages() const { return nr_pages_; }
    // The first index >= `index` that holds a page, or UINT64_MAX (SEEK_DATA).
    uint64_t next_present(uint64_t index);

    static constexpr unsigned kFanoutShift = 6;
    static constexpr unsigned kFanout = 1u << kFanoutShift;
    // The last page of a file of the largest size (INT64_MAX bytes): the tree never exceeds 9 levels.
    static constexpr uint64_t kMaxIndex = uint64_t(INT64_MAX) >> 12;

private:
    struct Node {
        void* slots[kFanout];  // child Nodes, or Pages at the bottom level
    };

    // Number of indexes a tree of `height` levels covers (0 means empty).
    static uint64_t capacity(unsigned height) {
        return height * kFanoutShift >= 64 ? UINT64_MAX : uint64_t(1) << (height * kFanoutShift);
    }
    void** slot_for(uint64_t index, bool create, bool* nomem);
    uint64_t prune(void* node, unsigned level, uint64_t base, uint64_t first, bool* now_empty);
    uint64_t next_present_in(void* node, unsigned level, uint64_t base, uint64_t index);

    FsMutex lock_;
    void* root_ = nullptr;  // height 0: the Page of index 0 (or nothing); otherwise a Node
    unsigned height_ = 0;
    uint64_t nr_pages_ = 0;
    PageQuota* quota_;
};
