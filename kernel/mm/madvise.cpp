// madvise(2) and msync(2), Linux's semantics and errnos.
//
// madvise: MADV_DONTNEED drops the pages of a range (private anonymous memory reads back as zeros, a
// private file mapping as the file again, shared memory keeps its data in the backing object);
// MADV_FREE does the same for private anonymous memory (Linux may keep the pages until memory is
// short; dropping them at once is one of the outcomes it allows). The access-pattern hints
// (NORMAL/RANDOM/SEQUENTIAL) and fork behaviour (DONTFORK/DOFORK, WIPEONFORK/KEEPONFORK) are area
// flags; WILLNEED is accepted (there is no read-ahead to start: file pages are in memory).
//
// msync: files are page-cache only (tmpfs), so there is nothing to write back; the call checks its
// arguments and the range as Linux does.
#include <mm/memory.hpp>
#include <mm/mm_struct.hpp>
#include <mm/mmap.hpp>
#include <sched/task.hpp>
#include <syscalls/syscall.hpp>

namespace {

bool advice_valid(int advice) {
    switch (advice) {
    case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED: case MADV_DONTNEED:
    case MADV_FREE: case MADV_REMOVE: case MADV_DONTFORK: case MADV_DOFORK: case MADV_WIPEONFORK:
    case MADV_KEEPONFORK:
        return true;
    default: return false;
    }
}

// The area flags an advice sets and clears, or false if it is not a flag change.
bool advice_flags(int advice, uint64_t& set, uint64_t& clear) {
    set = clear = 0;
    switch (advice) {
    case MADV_NORMAL: clear = VM_SEQ_READ | VM_RAND_READ; return true;
    case MADV_RANDOM: set = VM_RAND_READ; clear = VM_SEQ_READ; return true;
    case MADV_SEQUENTIAL: set = VM_SEQ_READ; clear = VM_RAND_READ; return true;
    case MADV_DONTFORK: set = VM_DONTCOPY; return true;
    case MADV_DOFORK: clear = VM_DONTCOPY; return true;
    case MADV_WIPEONFORK: set = VM_WIPEONFORK; return true;
    case MADV_KEEPONFORK: clear = VM_WIPEONFORK; return true;
    default: return false;
    }
}

// Applies `advice` to [start, end), which lies inside `vma`.
Result<void> advise_area(MmStruct* mm, VmArea* vma, uint64_t start, uint64_t end, int advice) {
    uint64_t set, clear;
    if (advice_flags(advice, set, clear)) {
        if (advice == MADV_WIPEONFORK && (vma->is_shared() || !vma->is_anonymous())) return Errno::EINVAL;
        uint64_t newflags = (vma->flags & ~clear) | set;
        if (newflags == vma->flags) return {};
        if (vma->start < start) vma = TRY(split_vma(mm, vma, start));
        if (vma->end > end) TRY(split_vma(mm, vma, end));
        vma->flags = newflags;
        vma_merge_neighbours(mm, vma);
        return {};
    }
    switch (advice) {
    case MADV_WILLNEED: return {};
    case MADV_FREE:
        if (vma->is_shared() || !vma->is_anonymous()) return Errno::EINVAL;
        [[fallthrough]];
    case MADV_DONTNEED:
        if (vma->flags & VM_LOCKED) return Errno::EINVAL;
        zap_page_range(mm, start, end);
        return {};
    case MADV_REMOVE:
        // Punching holes into the backing object is not supported yet.
        return (vma->flags & VM_SHARED) ? Errno::EOPNOTSUPP : Errno::EINVAL;
    default: return Errno::EINVAL;
    }
}

}  // namespace

Result<void> do_madvise(MmStruct* mm, uint64_t start, uint64_t len_in, int advice) {
    if (!advice_valid(advice)) return Errno::EINVAL;
    if (start & (kPageSize - 1)) return Errno::EINVAL;
    uint64_t len = page_align_up(len_in);
    if (len_in && !len) return Errno::EINVAL;
    uint64_t end = start + len;
    if (end < start) return Errno::EINVAL;
    if (end == start) return {};
    Result<void> unmapped;
    VmArea* vma = find_vma(mm, start);
    for (uint64_t at = start; at < end;) {
        if (!vma) return Errno::ENOMEM;
        if (vma->start > at) {  // a hole: go on, but report it
            unmapped = Errno::ENOMEM;
            at = vma->start;
            if (at >= end) break;
        }
        uint64_t stop = vma->end < end ? vma->end : end;
        TRY(advise_area(mm, vma, at, stop, advice));
        at = stop;
        vma = find_vma(mm, at);  // the area may have been split or merged
    }
    return unmapped;
}

Result<void> do_msync(MmStruct* mm, uint64_t start, uint64_t len, int flags) {
    if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) return Errno::EINVAL;
    if (start & (kPageSize - 1)) return Errno::EINVAL;
    if ((flags & MS_ASYNC) && (flags & MS_SYNC)) return Errno::EINVAL;
    len = page_align_up(len);
    uint64_t end = start + len;
    if (end < start) return Errno::ENOMEM;
    if (end == start) return {};
    Result<void> unmapped;
    for (VmArea* vma = find_vma(mm, start);; vma = vma_next(mm, vma)) {
        if (!vma) return Errno::ENOMEM;
        if (start < vma->start) {
            unmapped = Errno::ENOMEM;
            start = vma->start;
            if (start >= end) break;
        }
        if ((flags & MS_INVALIDATE) && (vma->flags & VM_LOCKED)) return Errno::EBUSY;
        start = vma->end;
        if (start >= end) break;
    }
    return unmapped;
}

SYSCALL_DEFINE3(madvise, uint64_t, start, uint64_t, len, uint64_t, advice) {
    MmStruct* mm = current()->mm;
    if (!mm) return -long(Errno::ENOMEM);
    MmapLockGuard guard(mm);
    return do_madvise(mm, start, len, int(advice)).to_syscall_return();
}

SYSCALL_DEFINE3(msync, uint64_t, start, uint64_t, len, uint64_t, flags) {
    MmStruct* mm = current()->mm;
    if (!mm) return -long(Errno::ENOMEM);
    MmapLockGuard guard(mm);
    return do_msync(mm, start, len, int(flags)).to_syscall_return();
}
