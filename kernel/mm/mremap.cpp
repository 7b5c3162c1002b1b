// mremap(2): shrinking, growing in place, and moving a mapping (Linux's semantics and errnos). A move
// carries the page-table entries over to the new addresses (the pages themselves stay where they are),
// so the contents and copy-on-write state move with them.
#include <mm/memory.hpp>
#include <mm/mm_struct.hpp>
#include <mm/mmap.hpp>
#include <mm/tlb.hpp>
#include <sched/task.hpp>
#include <syscalls/syscall.hpp>

namespace {

// The area holding [addr, addr + old_len), checked for becoming new_len long.
Result<VmArea*> vma_to_resize(MmStruct* mm, uint64_t addr, uint64_t old_len, uint64_t new_len) {
    VmArea* vma = vma_lookup(mm, addr);
    if (!vma) return Errno::EFAULT;
    // old_len == 0 asks for a second mapping of the same pages: only shared memory has such pages.
    if (!old_len && !(vma->flags & (VM_SHARED | VM_MAYSHARE))) return Errno::EINVAL;
    if (old_len > vma->end - addr) return Errno::EFAULT;
    if (new_len == old_len) return vma;
    if (vma->flags & VM_DONTEXPAND) return Errno::EFAULT;
    if (new_len > old_len && !may_expand_vm(mm, (new_len - old_len) >> kPageShift)) return Errno::ENOMEM;
    return vma;
}

bool can_grow_in_place(MmStruct* mm, VmArea* vma, uint64_t delta) {
    if (vma->end + delta > TASK_SIZE || vma->end + delta < vma->end) return false;
    VmArea* next = vma_next(mm, vma);
    return !next || vma->end + delta <= vm_start_gap(next);
}

// Moves the entries of [old_addr, old_addr + len) to new_addr. Tables for the destination are made
// first, so that the move itself cannot fail half-way.
Result<void> move_page_tables(MmStruct* mm, uint64_t old_addr, uint64_t new_addr, uint64_t len) {
    Result<void> status;
    walk_user_ptes(mm->pgd, old_addr, old_addr + len, [&](uint64_t addr, UserPte&) {
        if (!status.is_error()) status = arch::user_pte_prepare(mm->pgd, addr - old_addr + new_addr);
        return PteAction::Keep;
    });
    TRY(status);
    walk_user_ptes(mm->pgd, old_addr, old_addr + len, [&](uint64_t addr, UserPte& pte) {
        (void)arch::user_pte_set(mm->pgd, addr - old_addr + new_addr, pte);
        return PteAction::Clear;
    });
    flush_tlb_mm_range(mm, old_addr, old_addr + len);
    return {};
}

Result<uint64_t> move_vma(MmStruct* mm, VmArea* vma, uint64_t old_addr, uint64_t old_len, uint64_t new_len,
                          uint64_t new_addr, int flags) {
    // The move may split the old area in three and adds one.
    if (mm->vmas.size() + 3 > kMaxMapCount) return Errno::ENOMEM;
    VmArea* moved = TRY(vma_dup(vma, mm));
    moved->start = new_addr;
    moved->end = new_addr + new_len;
    moved->pgoff = vma->pgoff_of(old_addr);
    uint64_t carried = old_len < new_len ? old_len : new_len;
    if (Result<void> r = move_page_tables(mm, old_addr, new_addr, carried); r.is_error()) {
        vma_free(moved);
        return r.error();
    }
    vma_link(mm, moved);
    // The old range loses its area (its entries are gone already), unless MREMAP_DONTUNMAP keeps it
    // mapped and empty: it reads as zeros again, or as the file.
    if (old_len && !(flags & MREMAP_DONTUNMAP)) (void)do_munmap(mm, old_addr, old_len);
    vma_merge_neighbours(mm, moved);
    return new_addr;
}

Result<uint64_t> mremap_to(MmStruct* mm, uint64_t addr, uint64_t old_len, uint64_t new_addr, uint64_t new_len,
                           int flags) {
    if (new_addr & (kPageSize - 1)) return Errno::EINVAL;
    if (new_len > TASK_SIZE || new_addr > TASK_SIZE - new_len) return Errno::EINVAL;
    if (addr + old_len > new_addr && new_addr + new_len > addr) return Errno::EINVAL;  // overlap
    if (flags & MREMAP_FIXED) TRY(do_munmap(mm, new_addr, new_len));
    if (old_len > new_len) {
        TRY(do_munmap(mm, addr + new_len, old_len - new_len));
        old_len = new_len;
    }
    VmArea* vma = TRY(vma_to_resize(mm, addr, old_len, new_len));
    if (!(flags & MREMAP_FIXED)) new_addr = TRY(get_unmapped_area(mm, new_addr, new_len));
    return move_vma(mm, vma, addr, old_len, new_len, new_addr, flags);
}

}  // namespace

Result<uint64_t> do_mremap(MmStruct* mm, uint64_t addr, uint64_t old_len, uint64_t new_len, int flags,
                           uint64_t new_addr) {
    if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) return Errno::EINVAL;
    if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE)) return Errno::EINVAL;
    if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || old_len != new_len)) return Errno::EINVAL;
    if (addr & (kPageSize - 1)) return Errno::EINVAL;
    old_len = page_align_up(old_len);
    new_len = page_align_up(new_len);
    if (!new_len) return Errno::EINVAL;
    if (old_len > TASK_SIZE || addr > TASK_SIZE - old_len) return Errno::EFAULT;

    if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) return mremap_to(mm, addr, old_len, new_addr, new_len, flags);

    if (old_len >= new_len) {
        if (old_len > new_len) TRY(do_munmap(mm, addr + new_len, old_len - new_len));
        return addr;
    }
    VmArea* vma = TRY(vma_to_resize(mm, addr, old_len, new_len));
    uint64_t delta = new_len - old_len;
    if (old_len && addr + old_len == vma->end && can_grow_in_place(mm, vma, delta)) {
        vma_adjust(mm, vma, vma->start, vma->end + delta);
        return addr;
    }
    if (!(flags & MREMAP_MAYMOVE)) return Errno::ENOMEM;
    new_addr = TRY(get_unmapped_area(mm, 0, new_len));
    return move_vma(mm, vma, addr, old_len, new_len, new_addr, flags);
}

SYSCALL_DEFINE5(mremap, uint64_t, addr, uint64_t, old_len, uint64_t, new_len, uint64_t, flags, uint64_t, new_addr) {
    MmStruct* mm = current()->mm;
    if (!mm) return -long(Errno::EFAULT);
    MmapLockGuard guard(mm);
    return do_mremap(mm, addr, old_len, new_len, int(flags), new_addr).to_syscall_return();
}
