// mmap and munmap: placing, creating and removing areas (mmap.hpp). Linux's checks, in Linux's order
// where user programs can tell the difference.
#include <mm/filemap.hpp>
#include <mm/memory.hpp>
#include <mm/mm_hooks.hpp>
#include <mm/mm_struct.hpp>
#include <mm/mmap.hpp>
#include <mm/shmem.hpp>
#include <sched/task.hpp>
#include <syscalls/syscall.hpp>

namespace {

constexpr int MAP_32BIT = 0x40;
constexpr int MAP_HUGE_MASK = 0x3f << 26;
// The flags every kernel knows (MAP_SHARED_VALIDATE rejects others with EOPNOTSUPP).
constexpr int kLegacyMapMask = MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE |
                               MAP_EXECUTABLE | MAP_UNINITIALIZED | MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE |
                               MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB | MAP_32BIT | MAP_HUGE_MASK;

// The gaps between areas, as [lo, hi): below the first area, between neighbours, above the last.
// hi stops short of a stack's guard gap.
uint64_t gap_lo(const VmArea* prev) { return prev ? prev->end : 0; }
uint64_t gap_hi(const VmArea* next) { return next ? vm_start_gap(next) : TASK_SIZE; }

// The highest `len`-byte range inside [floor, ceiling) that no area (or guard gap) touches. Walks the
// areas downwards from the ceiling: O(number of areas), which stays small for real programs.
Result<uint64_t> search_top_down(MmStruct* mm, uint64_t floor, uint64_t ceiling, uint64_t len) {
    VmArea* next = find_vma(mm, ceiling);
    VmArea* prev = next ? vma_prev(mm, next) : mm->vmas.last();
    for (;;) {
        uint64_t lo = gap_lo(prev) > floor ? gap_lo(prev) : floor;
        uint64_t hi = gap_hi(next) < ceiling ? gap_hi(next) : ceiling;
        if (hi > lo && hi - lo >= len) return hi - len;
        if (!prev || prev->end <= floor) return Errno::ENOMEM;
        next = prev;
        prev = vma_prev(mm, prev);
    }
}

// The lowest such range.
Result<uint64_t> search_bottom_up(MmStruct* mm, uint64_t floor, uint64_t ceiling, uint64_t len) {
    VmArea* next = find_vma(mm, floor);
    VmArea* prev = next ? vma_prev(mm, next) : mm->vmas.last();
    for (;;) {
        uint64_t lo = gap_lo(prev) > floor ? gap_lo(prev) : floor;
        uint64_t hi = gap_hi(next) < ceiling ? gap_hi(next) : ceiling;
        if (hi > lo && hi - lo >= len) return lo;
        if (!next || next->end >= ceiling) return Errno::ENOMEM;
        prev = next;
        next = vma_next(mm, next);
    }
}

bool range_is_free(MmStruct* mm, uint64_t addr, uint64_t len) {
    VmArea* next = find_vma(mm, addr);
    VmArea* prev = next ? vma_prev(mm, next) : mm->vmas.last();
    return addr + len <= gap_hi(next) && addr >= gap_lo(prev);
}

uint64_t count_pages_in_range(MmStruct* mm, uint64_t start, uint64_t end) {
    uint64_t pages = 0;
    for (VmArea* vma = find_vma_intersection(mm, start, end); vma && vma->start < end; vma = vma_next(mm, vma)) {
        uint64_t lo = vma->start > start ? vma->start : start;
        uint64_t hi = vma->end < end ? vma->end : end;
        pages += (hi - lo) >> kPageShift;
    }
    return pages;
}

void populate_new_range(MmStruct* mm, uint64_t start, uint64_t end) {
    for (VmArea* vma = find_vma_intersection(mm, start, end); vma && vma->start < end; vma = vma_next(mm, vma)) {
        uint64_t lo = vma->start > start ? vma->start : start;
        uint64_t hi = vma->end < end ? vma->end : end;
        // Failures are not mmap's: the pages are faulted in again on access (and fail there).
        if (populate_range(mm, vma, lo, hi) != VmFault::Done) return;
    }
}

}  // namespace

Result<uint64_t> get_unmapped_area(MmStruct* mm, uint64_t hint, uint64_t len) {
    if (len > TASK_SIZE - kMmapMinAddr) return Errno::ENOMEM;
    if (hint) {
        hint = page_align_up(hint);
        if (hint >= kMmapMinAddr && hint <= TASK_SIZE - len && range_is_free(mm, hint, len)) return hint;
    }
    Result<uint64_t> addr = search_top_down(mm, kMmapMinAddr, mm->mmap_base, len);
    if (!addr.is_error()) return addr;
    return search_bottom_up(mm, kTaskUnmappedBase, TASK_SIZE, len);
}

bool may_expand_vm(MmStruct* mm, uint64_t npages) {
    uint64_t limit = mm_rlimit_as();
    return limit == kRlimInfinity || mm->total_vm + npages <= (limit >> kPageShift);
}

Result<uint64_t> mmap_region(MmStruct* mm, uint64_t addr, uint64_t len, uint64_t vm_flags, const MapBacking& backing) {
    uint64_t end = addr + len;
    uint64_t npages = len >> kPageShift;
    if (!may_expand_vm(mm, npages) && !may_expand_vm(mm, npages - count_pages_in_range(mm, addr, end)))
        return Errno::ENOMEM;
    TRY(do_munmap(mm, addr, len));
    if (mm->vmas.size() >= kMaxMapCount) return Errno::ENOMEM;

    VmArea* vma = TRY(vma_alloc(mm, addr, end, vm_flags));
    Result<void> setup;
    if (backing.file) {
        vma->file = backing.file;
        mmap_file_get(backing.file);
        vma->pgoff = backing.pgoff;
    }
    if (backing.vm_ops) {
        vma->vm_ops = backing.vm_ops;
        vma->private_data = backing.private_data;
        vma->pgoff = backing.pgoff;
        if (vma->vm_ops->open) vma->vm_ops->open(vma);
    } else if (backing.file) {
        setup = mmap_file_call_mmap(backing.file, vma);
    } else if (vm_flags & VM_SHARED) {
        vma->pgoff = 0;
        setup = shmem_zero_setup(vma);
    }
    if (setup.is_error()) {
        vma_free(vma);
        return setup.error();
    }
    vma_link(mm, vma);
    vma_merge_neighbours(mm, vma);
    return addr;
}

Result<uint64_t> do_mmap(MmStruct* mm, uint64_t addr, uint64_t len, int prot, int flags, File* file, uint64_t pgoff) {
    if (!len) return Errno::EINVAL;
    if (flags & MAP_FIXED_NOREPLACE) flags |= MAP_FIXED;
    if (!(flags & MAP_FIXED)) {
        // Linux's round_hint_to_min: a hint below mmap_min_addr moves up to it.
        addr = page_align_down(addr);
        if (addr && addr < kMmapMinAddr) addr = kMmapMinAddr;
    }
    len = page_align_up(len);
    if (!len || len > TASK_SIZE) return Errno::ENOMEM;
    if (pgoff + (len >> kPageShift) < pgoff) return Errno::EOVERFLOW;
    if (mm->vmas.size() > kMaxMapCount) return Errno::ENOMEM;

    uint64_t vm_flags = calc_vm_prot_bits(prot) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
    if (flags & MAP_GROWSDOWN) vm_flags |= VM_GROWSDOWN;
    if (flags & MAP_LOCKED) vm_flags |= VM_LOCKED;
    if (flags & MAP_NORESERVE) vm_flags |= VM_NORESERVE;

    if (file) {
        if (flags & MAP_HUGETLB) return Errno::EINVAL;
        unsigned access = mmap_file_access(file);
        switch (flags & MAP_TYPE) {
        case MAP_SHARED_VALIDATE:
            if (flags & ~kLegacyMapMask) return Errno::EOPNOTSUPP;
            [[fallthrough]];
        case MAP_SHARED:
            if ((prot & PROT_WRITE) && !(access & MMAP_FILE_WRITE)) return Errno::EACCES;
            if ((prot & PROT_WRITE) && (access & MMAP_FILE_APPEND)) return Errno::EACCES;
            vm_flags |= VM_SHARED | VM_MAYSHARE;
            // A read-only file can never be written through the mapping: it behaves as a private one.
            if (!(access & MMAP_FILE_WRITE)) vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
            [[fallthrough]];
        case MAP_PRIVATE:
            if (!(access & MMAP_FILE_READ)) return Errno::EACCES;
            if (vm_flags & VM_GROWSDOWN) return Errno::EINVAL;
            break;
        default: return Errno::EINVAL;
        }
    } else {
        switch (flags & MAP_TYPE) {
        case MAP_SHARED:
            if (vm_flags & VM_GROWSDOWN) return Errno::EINVAL;
            vm_flags |= VM_SHARED | VM_MAYSHARE;
            pgoff = 0;
            break;
        case MAP_PRIVATE: break;
        default: return Errno::EINVAL;
        }
        // No huge pages are reserved (Linux with vm.nr_hugepages = 0 fails the same way).
        if (flags & MAP_HUGETLB) return Errno::ENOMEM;
    }

    if (flags & MAP_FIXED) {
        if (addr & (kPageSize - 1)) return Errno::EINVAL;
        if (len > TASK_SIZE - addr) return Errno::ENOMEM;
        if (addr < kMmapMinAddr) return Errno::EPERM;
        if ((flags & MAP_FIXED_NOREPLACE) && find_vma_intersection(mm, addr, addr + len)) return Errno::EEXIST;
    } else if ((flags & MAP_32BIT) && !addr) {
        // x86-64's MAP_32BIT: somewhere in the second GiB (Linux's range for it).
        addr = TRY(search_bottom_up(mm, 0x40000000, 0x80000000, len));
    } else {
        addr = TRY(get_unmapped_area(mm, addr, len));
    }

    MapBacking backing;
    backing.file = file;
    backing.pgoff = file ? pgoff : 0;
    TRY(mmap_region(mm, addr, len, vm_flags, backing));
    if (flags & (MAP_POPULATE | MAP_LOCKED)) populate_new_range(mm, addr, addr + len);
    return addr;
}

Result<uint64_t> vm_mmap(MmStruct* mm, uint64_t addr, uint64_t len, int prot, int flags, File* file, uint64_t pgoff) {
    MmapLockGuard guard(mm);
    return do_mmap(mm, addr, len, prot, flags, file, pgoff);
}

Result<void> do_munmap(MmStruct* mm, uint64_t start, uint64_t len) {
    if ((start & (kPageSize - 1)) || start > TASK_SIZE || len > TASK_SIZE - start) return Errno::EINVAL;
    len = page_align_up(len);
    if (!len) return Errno::EINVAL;
    uint64_t end = start + len;
    VmArea* vma = find_vma(mm, start);
    if (!vma || vma->start >= end) return {};
    // Split first, so that a failure (no memory for the new area) leaves every mapping intact.
    if (vma->start < start) vma = TRY(split_vma(mm, vma, start));
    if (VmArea* last = find_vma(mm, end - 1); last && last->start < end && last->end > end)
        TRY(split_vma(mm, last, end));
    zap_page_range(mm, start, end);
    while (vma && vma->start < end) {
        VmArea* next = vma_next(mm, vma);
        vma_unlink(mm, vma);
        vma_free(vma);
        vma = next;
    }
    return {};
}

Result<void> vm_munmap(MmStruct* mm, uint64_t addr, uint64_t len) {
    MmapLockGuard guard(mm);
    return do_munmap(mm, addr, len);
}

SYSCALL_DEFINE6(mmap, uint64_t, addr, uint64_t, len, uint64_t, prot, uint64_t, flags, uint64_t, fd, uint64_t, off) {
    if (off & (kPageSize - 1)) return -long(Errno::EINVAL);
    MmStruct* mm = current()->mm;
    if (!mm) return -long(Errno::ENOMEM);
    File* file = nullptr;
    if (!(flags & MAP_ANONYMOUS)) {
        Result<File*> got = mmap_fget(int(fd));
        if (got.is_error()) return -long(got.error());
        file = got.value();
    }
    Result<uint64_t> result = vm_mmap(mm, addr, len, int(prot), int(flags), file, off >> kPageShift);
    if (file) mmap_file_put(file);
    return result.to_syscall_return();
}

SYSCALL_DEFINE2(munmap, uint64_t, addr, uint64_t, len) {
    MmStruct* mm = current()->mm;
    if (!mm) return -long(Errno::EINVAL);
    return vm_munmap(mm, addr, len).to_syscall_return();
}
