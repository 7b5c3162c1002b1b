#pragma once
// Virtual memory areas (Linux's vm_area_struct): the mapped regions of a user address space, each a
// page-aligned range [start, end) with one set of permissions and one backing:
//   anonymous         vm_ops == nullptr: pages appear zero-filled on first touch and belong to this
//                     address space alone (copy-on-write after fork);
//   backed by pages   vm_ops->fault supplies the page at a page offset: a file's page cache
//                     (filemap.hpp), or the shared object behind MAP_SHARED|MAP_ANONYMOUS (shmem.hpp).
//
// The areas of one MmStruct are kept in a red-black tree ordered by start address; they never overlap.
// All changes to the tree and to an area's fields happen with the mm's mmap lock held.
#include <lib/rbtree.hpp>
#include <lib/result.hpp>
#include <stdint.h>

struct MmStruct;
struct File;
struct Page;
struct VmArea;

// vm_flags: Linux's values (linux/mm.h), so /proc/<pid>/smaps' VmFlags and the tests read the same.
constexpr uint64_t VM_NONE = 0x0;
constexpr uint64_t VM_READ = 0x1;
constexpr uint64_t VM_WRITE = 0x2;
constexpr uint64_t VM_EXEC = 0x4;
constexpr uint64_t VM_SHARED = 0x8;      // writes reach the backing object (MAP_SHARED of a writable file)
constexpr uint64_t VM_MAYREAD = 0x10;    // what mprotect may turn on later
constexpr uint64_t VM_MAYWRITE = 0x20;
constexpr uint64_t VM_MAYEXEC = 0x40;
constexpr uint64_t VM_MAYSHARE = 0x80;   // mapped MAP_SHARED (even if the file is read-only)
constexpr uint64_t VM_GROWSDOWN = 0x100; // a stack: a fault just below it extends it
constexpr uint64_t VM_LOCKED = 0x2000;
constexpr uint64_t VM_SEQ_READ = 0x8000;     // MADV_SEQUENTIAL
constexpr uint64_t VM_RAND_READ = 0x10000;   // MADV_RANDOM
constexpr uint64_t VM_DONTCOPY = 0x20000;    // MADV_DONTFORK: fork leaves it out
constexpr uint64_t VM_DONTEXPAND = 0x40000;  // mremap may not grow it
constexpr uint64_t VM_NORESERVE = 0x200000;
constexpr uint64_t VM_WIPEONFORK = 0x2000000;  // MADV_WIPEONFORK: the child gets it empty

constexpr uint64_t VM_ACCESS_FLAGS = VM_READ | VM_WRITE | VM_EXEC;

// How a page-backed area gets its pages, and how its backing is shared between areas.
struct VmOperations {
    // A new area refers to the same backing (split, fork, mremap): take a reference on it.
    void (*open)(VmArea* vma);
    // An area goes away: drop its reference.
    void (*close)(VmArea* vma);
    // The page at page offset `pgoff` of the backing object, with a reference for the caller.
    // ENOMEM when no memory could be had; any other error (EFAULT: beyond the end of the object) makes
    // the access fail with SIGBUS.
    Result<Page*> (*fault)(VmArea* vma, uint64_t pgoff);
    const char* name;  // for /proc/<pid>/maps when there is no file ("/dev/zero (deleted)")
};

struct VmArea {
    uint64_t start = 0;  // page-aligned, inclusive
    uint64_t end = 0;    // page-aligned, exclusive
    uint64_t flags = 0;  // VM_*
    // Page offset of `start` in the backing object. For anonymous areas it is start >> 12 when the area
    // is created (Linux's convention), so that adjacent pieces of one mapping can merge again.
    uint64_t pgoff = 0;
    File* file = nullptr;                   // with a reference (filemap.hpp), or nullptr
    const VmOperations* vm_ops = nullptr;   // nullptr: anonymous
    void* private_data = nullptr;           // the backing object's own (shmem: its ShmemObject)
    MmStruct* mm = nullptr;
    RbNode node;  // in mm->vmas, by start

    uint64_t pages() const { return (end - start) >> 12; }
    bool is_anonymous() const { return vm_ops == nullptr; }
    bool is_shared() const { return flags & VM_SHARED; }
    // Page offset in the backing object of the page at `addr` (inside the area).
    uint64_t pgoff_of(uint64_t addr) const { return pgoff + ((addr - start) >> 12); }
};

struct VmaByStart {
    bool operator()(const VmArea& a, const VmArea& b) const { return a.start < b.start; }
};
using VmaTree = RbTree<VmArea, &VmArea::node, VmaByStart>;

// Linux's vm.max_map_count: beyond this many areas, mmap/mprotect/munmap splitting fail with ENOMEM.
constexpr uint64_t kMaxMapCount = 65530;

// --- lookups (mmap lock held) --------------------------------------------------------------------
// The first area that ends above `addr` (it may start above addr too), or nullptr.
VmArea* find_vma(MmStruct* mm, uint64_t addr);
// The area containing `addr`, or nullptr.
VmArea* vma_lookup(MmStruct* mm, uint64_t addr);
// The first area overlapping [start, end), or nullptr.
VmArea* find_vma_intersection(MmStruct* mm, uint64_t start, uint64_t end);
VmArea* vma_next(MmStruct* mm, VmArea* vma);
VmArea* vma_prev(MmStruct* mm, VmArea* vma);
VmArea* vma_first(MmStruct* mm);
// The area below `addr`'s area or gap: the last area that ends at or below `addr`.
VmArea* find_vma_prev(MmStruct* mm, uint64_t addr);

// --- creating and changing areas (mmap lock held) ------------------------------------------------
// A new area (not in any tree); ENOMEM.
Result<VmArea*> vma_alloc(MmStruct* mm, uint64_t start, uint64_t end, uint64_t flags);
// A copy of `vma` (same backing, taking a reference on it through vm_ops->open / the file); ENOMEM.
Result<VmArea*> vma_dup(const VmArea* vma, MmStruct* mm);
// Frees an area not in any tree, dropping its backing reference.
void vma_free(VmArea* vma);
// Adds `vma` to its mm's tree (the range must be free) / removes it; both keep mm->total_vm.
void vma_link(MmStruct* mm, VmArea* vma);
void vma_unlink(MmStruct* mm, VmArea* vma);
// Moves the bounds of a linked area (its neighbours must not be overlapped), keeping pgoff pointing at
// the same backing page for the addresses that stay, and mm->total_vm.
void vma_adjust(MmStruct* mm, VmArea* vma, uint64_t new_start, uint64_t new_end);

// Splits `vma` at `addr` (page-aligned, strictly inside it): `vma` keeps [start, addr), a new area
// gets [addr, end). Returns the new (upper) area. ENOMEM (also beyond kMaxMapCount).
Result<VmArea*> split_vma(MmStruct* mm, VmArea* vma, uint64_t addr);

// Whether `a` followed by `b` (a->end == b->start) could be one area: same flags and backing, and
// contiguous page offsets. Stacks are never merged.
bool vma_can_merge(const VmArea* a, const VmArea* b);
// Merges `vma` with its neighbours where vma_can_merge allows; returns the area that now covers it.
VmArea* vma_merge_neighbours(MmStruct* mm, VmArea* vma);

// The lowest address an area may be given below `vma`'s start without touching it: a stack keeps an
// unmapped guard gap below it (Linux's stack_guard_gap, 256 pages).
constexpr uint64_t kStackGuardGap = 256ull << 12;
uint64_t vm_start_gap(const VmArea* vma);

// vm_flags for mmap/mprotect's PROT_* bits, and back.
uint64_t calc_vm_prot_bits(int prot);
