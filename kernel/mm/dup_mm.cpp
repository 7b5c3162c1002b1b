// fork's copy of an address space (Linux's dup_mmap / copy_page_range), following the seeds' copy_mm:
//   MAP_SHARED areas        both page tables map the same page frames, with the same permissions;
//   MAP_PRIVATE read-only   the same frames too (they can never be written there);
//   MAP_PRIVATE writable    copy-on-write: the areas stay writable, but every entry becomes read-only
//                           in parent and child, and each frame gains a reference; the first write on
//                           either side copies the frame (or takes it over if the other side let go).
// The zero page is shared as it is. Entries the parent loses write access to are flushed from its TLBs
// before dup_mm returns, so no thread of the parent keeps writing to a frame the child now sees.
#include <mm/memory.hpp>
#include <mm/mm_struct.hpp>
#include <mm/page.hpp>
#include <mm/tlb.hpp>

namespace {

Result<void> copy_page_range(MmStruct* dst, MmStruct* src, const VmArea* vma, bool& wrprotected) {
    bool cow = !vma->is_shared();
    Result<void> status;
    walk_user_ptes(src->pgd, vma->start, vma->end, [&](uint64_t addr, UserPte& pte) {
        if (status.is_error()) return PteAction::Keep;
        UserPte child = pte;
        PteAction action = PteAction::Keep;
        if (cow && pte.writable) {
            pte.writable = child.writable = false;
            action = PteAction::Update;
            wrprotected = true;
        }
        status = arch::user_pte_set(dst->pgd, addr, child);
        if (status.is_error()) return action;
        if (Page* page = vm_normal_page(child)) {
            get_page(page);
            mm_inc_rss(dst);
        }
        return action;
    });
    return status;
}

}  // namespace

Result<MmStruct*> dup_mm(MmStruct* old) {
    MmStruct* mm = TRY(mm_alloc());
    bool wrprotected = false;
    Result<void> status;
    {
        MmapLockGuard guard(old);
        mm->layout = old->layout;
        mm->mmap_base = old->mmap_base;
        mm->task_size = old->task_size;
        set_mm_exe_file(mm, old->exe_file);
        for (VmArea* vma = vma_first(old); vma && !status.is_error(); vma = vma_next(old, vma)) {
            if (vma->flags & VM_DONTCOPY) continue;
            Result<VmArea*> copy = vma_dup(vma, mm);
            if (copy.is_error()) {
                status = copy.error();
                break;
            }
            vma_link(mm, copy.value());
            if (!(vma->flags & VM_WIPEONFORK)) status = copy_page_range(mm, old, vma, wrprotected);
        }
        if (wrprotected) flush_tlb_mm(old);
    }
    if (status.is_error()) {
        mmput(mm);
        return status.error();
    }
    return mm;
}
