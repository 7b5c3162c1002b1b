// mprotect(2): new permissions for a range, splitting areas at its ends and merging equal neighbours
// afterwards. Page-table entries follow the area, with one rule for private areas: their entries never
// gain write access here, because an entry that is read-only may be a copy-on-write share; the next
// write fault decides (and takes the page over at no cost when nobody else holds it).
#include <mm/mm_struct.hpp>
#include <mm/mmap.hpp>
#include <mm/tlb.hpp>
#include <sched/task.hpp>
#include <syscalls/syscall.hpp>

namespace {

void change_protection(MmStruct* mm, VmArea* vma) {
    bool accessible = vma->flags & VM_ACCESS_FLAGS;
    bool shared_writable = vma->is_shared() && (vma->flags & VM_WRITE);
    walk_user_ptes(mm->pgd, vma->start, vma->end, [&](uint64_t, UserPte& pte) {
        pte.accessible = accessible;
        pte.executable = accessible && (vma->flags & VM_EXEC);
        pte.writable = accessible && (shared_writable || (pte.writable && (vma->flags & VM_WRITE)));
        return PteAction::Update;
    });
    flush_tlb_mm_range(mm, vma->start, vma->end);
}

// Gives [start, end) of `vma` the flags `newflags`; returns the area now covering `start`.
Result<VmArea*> mprotect_fixup(MmStruct* mm, VmArea* vma, uint64_t start, uint64_t end, uint64_t newflags) {
    if (newflags == vma->flags) return vma;
    if (vma->start < start) vma = TRY(split_vma(mm, vma, start));
    if (vma->end > end) TRY(split_vma(mm, vma, end));
    vma->flags = newflags;
    change_protection(mm, vma);
    return vma_merge_neighbours(mm, vma);
}

}  // namespace

Result<void> do_mprotect(MmStruct* mm, uint64_t start, uint64_t len, int prot) {
    if (start & (kPageSize - 1)) return Errno::EINVAL;
    if (!len) return {};
    len = page_align_up(len);
    uint64_t end = start + len;
    if (end <= start) return Errno::ENOMEM;
    int grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
    prot &= ~grows;
    if (grows == (PROT_GROWSDOWN | PROT_GROWSUP)) return Errno::EINVAL;
    if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM)) return Errno::EINVAL;
    uint64_t access = calc_vm_prot_bits(prot);

    VmArea* vma = find_vma(mm, start);
    if (!vma) return Errno::ENOMEM;
    if (grows & PROT_GROWSDOWN) {
        // Down to the start of the stack area containing `start`.
        if (vma->start >= end) return Errno::ENOMEM;
        if (!(vma->flags & VM_GROWSDOWN)) return Errno::EINVAL;
        start = vma->start;
    } else {
        if (vma->start > start) return Errno::ENOMEM;
        if (grows & PROT_GROWSUP) return Errno::EINVAL;  // no area grows up on x86
    }
    for (uint64_t at = start;;) {
        uint64_t newflags = (vma->flags & ~VM_ACCESS_FLAGS) | access;
        // VM_MAYx is VM_x << 4: a permission the area may never have (a read-only file's shared map).
        if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS) return Errno::EACCES;
        uint64_t stop = vma->end < end ? vma->end : end;
        TRY(mprotect_fixup(mm, vma, at, stop, newflags));
        at = stop;
        if (at >= end) return {};
        // The next area, or the one the change merged into (which then covers `at` already).
        vma = find_vma(mm, at);
        if (!vma || vma->start > at) return Errno::ENOMEM;  // a hole in the range
    }
}

SYSCALL_DEFINE3(mprotect, uint64_t, start, uint64_t, len, uint64_t, prot) {
    MmStruct* mm = current()->mm;
    if (!mm) return -long(Errno::ENOMEM);
    MmapLockGuard guard(mm);
    return do_mprotect(mm, start, len, int(prot)).to_syscall_return();
}
