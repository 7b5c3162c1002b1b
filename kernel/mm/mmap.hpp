#pragma once
// Changing the areas of an address space: the work behind mmap, munmap, brk, mprotect, mremap,
// madvise and msync (Linux's mm/mmap.c, mprotect.c, mremap.c, madvise.c, msync.c). The do_* functions
// expect the mmap lock held; vm_mmap/vm_munmap (mm.hpp) take it. Semantics and errnos are Linux's.
#include <lib/result.hpp>
#include <mm/mm.hpp>
#include <stdint.h>

struct MmStruct;
struct VmArea;
struct VmOperations;

// Linux's vm.mmap_min_addr default: nothing is mapped below it (NULL pointer dereferences stay faults).
constexpr uint64_t kMmapMinAddr = 65536;
// Where bottom-up searches start when the top-down one found nothing (Linux's TASK_UNMAPPED_BASE).
constexpr uint64_t kTaskUnmappedBase = (TASK_SIZE / 3) & ~0xfffull;

// A free range of `len` bytes: the hint if the range there is free, else the highest gap below
// mm->mmap_base, else the lowest above kTaskUnmappedBase. Stack areas keep their guard gap. ENOMEM.
Result<uint64_t> get_unmapped_area(MmStruct* mm, uint64_t hint, uint64_t len);

// Whether RLIMIT_AS allows `npages` more pages of areas.
bool may_expand_vm(MmStruct* mm, uint64_t npages);

// The backing of a new area: a file at a page offset, or (file == nullptr) anonymous memory; an
// explicit vm_ops (kernel users, tests) replaces the file's mmap operation.
struct MapBacking {
    File* file = nullptr;
    uint64_t pgoff = 0;
    const VmOperations* vm_ops = nullptr;
    void* private_data = nullptr;
};

// Maps [addr, addr + len) (page-aligned, inside the user half) with `vm_flags`, replacing whatever was
// mapped there. ENOMEM (RLIMIT_AS, too many areas, no memory), or the file's mmap error.
Result<uint64_t> mmap_region(MmStruct* mm, uint64_t addr, uint64_t len, uint64_t vm_flags, const MapBacking& backing);
// mmap(2) after the descriptor lookup: checks, placement, mmap_region, MAP_POPULATE.
Result<uint64_t> do_mmap(MmStruct* mm, uint64_t addr, uint64_t len, int prot, int flags, File* file, uint64_t pgoff);
// munmap(2): removes [start, start + len), splitting areas at the ends. EINVAL for a bad range.
Result<void> do_munmap(MmStruct* mm, uint64_t start, uint64_t len);

// brk(2): moves the program break; returns the new break, or the old one if it could not move.
uint64_t do_brk(MmStruct* mm, uint64_t brk);
// mprotect(2).
Result<void> do_mprotect(MmStruct* mm, uint64_t start, uint64_t len, int prot);
// mremap(2).
Result<uint64_t> do_mremap(MmStruct* mm, uint64_t old_addr, uint64_t old_len, uint64_t new_len, int flags,
                           uint64_t new_addr);
// madvise(2) and msync(2).
Result<void> do_madvise(MmStruct* mm, uint64_t start, uint64_t len, int advice);
Result<void> do_msync(MmStruct* mm, uint64_t start, uint64_t len, int flags);
// mincore(2) for `pages` pages from `start` (page-aligned): vec[i] = 1 if page i is mapped here.
// ENOMEM if part of the range is not mapped.
Result<void> do_mincore(MmStruct* mm, uint64_t start, uint64_t pages, uint8_t* vec);

// Linux's values (asm-generic/mman-common.h).
constexpr int PROT_SEM = 0x8;
constexpr int MAP_TYPE = 0x0f;
constexpr int MAP_UNINITIALIZED = 0x4000000;
constexpr int MAP_SYNC = 0x80000;
constexpr int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, MREMAP_DONTUNMAP = 4;
constexpr int MADV_NORMAL = 0, MADV_RANDOM = 1, MADV_SEQUENTIAL = 2, MADV_WILLNEED = 3, MADV_DONTNEED = 4,
              MADV_FREE = 8, MADV_REMOVE = 9, MADV_DONTFORK = 10, MADV_DOFORK = 11, MADV_WIPEONFORK = 18,
              MADV_KEEPONFORK = 19;
constexpr int MS_ASYNC = 1, MS_INVALIDATE = 2, MS_SYNC = 4;
