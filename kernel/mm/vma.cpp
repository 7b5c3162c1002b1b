// The areas of an address space: lookups, creation, splitting and merging (see vma.hpp).
#include <mm/filemap.hpp>
#include <mm/mm_struct.hpp>
#include <mm/slab.hpp>
#include <mm/vma.hpp>

// --- lookups -------------------------------------------------------------------------------------

VmArea* find_vma(MmStruct* mm, uint64_t addr) {
    // Areas do not overlap, so ordering by start also orders them by end.
    return mm->vmas.lower_bound([addr](const VmArea& v) { return addr < v.end ? 0 : 1; });
}

VmArea* vma_lookup(MmStruct* mm, uint64_t addr) {
    VmArea* vma = find_vma(mm, addr);
    return vma && vma->start <= addr ? vma : nullptr;
}

VmArea* find_vma_intersection(MmStruct* mm, uint64_t start, uint64_t end) {
    VmArea* vma = find_vma(mm, start);
    return vma && vma->start < end ? vma : nullptr;
}

VmArea* vma_next(MmStruct* mm, VmArea* vma) { return mm->vmas.next(*vma); }
VmArea* vma_prev(MmStruct* mm, VmArea* vma) { return mm->vmas.prev(*vma); }
VmArea* vma_first(MmStruct* mm) { return mm->vmas.first(); }

VmArea* find_vma_prev(MmStruct* mm, uint64_t addr) {
    VmArea* vma = find_vma(mm, addr);
    return vma ? mm->vmas.prev(*vma) : mm->vmas.last();
}

// --- creating and changing -----------------------------------------------------------------------

Result<VmArea*> vma_alloc(MmStruct* mm, uint64_t start, uint64_t end, uint64_t flags) {
    VmArea* vma = knew<VmArea>();
    if (!vma) return Errno::ENOMEM;
    vma->start = start;
    vma->end = end;
    vma->flags = flags;
    vma->pgoff = start >> 12;
    vma->mm = mm;
    return vma;
}

Result<VmArea*> vma_dup(const VmArea* vma, MmStruct* mm) {
    VmArea* copy = knew<VmArea>();
    if (!copy) return Errno::ENOMEM;
    copy->start = vma->start;
    copy->end = vma->end;
    copy->flags = vma->flags;
    copy->pgoff = vma->pgoff;
    copy->file = vma->file;
    copy->vm_ops = vma->vm_ops;
    copy->private_data = vma->private_data;
    copy->mm = mm;
    if (copy->file) mmap_file_get(copy->file);
    if (copy->vm_ops && copy->vm_ops->open) copy->vm_ops->open(copy);
    return copy;
}

void vma_free(VmArea* vma) {
    if (vma->vm_ops && vma->vm_ops->close) vma->vm_ops->close(vma);
    if (vma->file) mmap_file_put(vma->file);
    kdelete(vma);
}

void vma_link(MmStruct* mm, VmArea* vma) {
    vma->mm = mm;
    mm->vmas.insert(*vma);
    mm->total_vm += vma->pages();
}

void vma_unlink(MmStruct* mm, VmArea* vma) {
    mm->vmas.erase(*vma);
    mm->total_vm -= vma->pages();
}

void vma_adjust(MmStruct* mm, VmArea* vma, uint64_t new_start, uint64_t new_end) {
    mm->total_vm -= vma->pages();
    // Unsigned arithmetic wraps correctly when the start moves down (a stack growing).
    vma->pgoff += (new_start >> 12) - (vma->start >> 12);
    vma->start = new_start;  // the order among areas is unchanged: they do not overlap
    vma->end = new_end;
    mm->total_vm += vma->pages();
}

Result<VmArea*> split_vma(MmStruct* mm, VmArea* vma, uint64_t addr) {
    if (mm->vmas.size() >= kMaxMapCount) return Errno::ENOMEM;
    VmArea* upper = TRY(vma_dup(vma, mm));
    upper->start = addr;
    upper->pgoff = vma->pgoff_of(addr);
    vma_adjust(mm, vma, vma->start, addr);
    vma_link(mm, upper);
    return upper;
}

bool vma_can_merge(const VmArea* a, const VmArea* b) {
    return a->end == b->start && a->flags == b->flags && !(a->flags & VM_GROWSDOWN) && a->file == b->file &&
           a->vm_ops == b->vm_ops && a->private_data == b->private_data && a->pgoff + a->pages() == b->pgoff;
}

VmArea* vma_merge_neighbours(MmStruct* mm, VmArea* vma) {
    if (VmArea* prev = vma_prev(mm, vma); prev && vma_can_merge(prev, vma)) {
        uint64_t end = vma->end;
        vma_unlink(mm, vma);
        vma_free(vma);
        vma_adjust(mm, prev, prev->start, end);
        vma = prev;
    }
    if (VmArea* next = vma_next(mm, vma); next && vma_can_merge(vma, next)) {
        uint64_t end = next->end;
        vma_unlink(mm, next);
        vma_free(next);
        vma_adjust(mm, vma, vma->start, end);
    }
    return vma;
}

uint64_t vm_start_gap(const VmArea* vma) {
    if (!(vma->flags & VM_GROWSDOWN)) return vma->start;
    return vma->start > kStackGuardGap ? vma->start - kStackGuardGap : 0;
}

uint64_t calc_vm_prot_bits(int prot) {
    return ((prot & PROT_READ) ? VM_READ : 0) | ((prot & PROT_WRITE) ? VM_WRITE : 0) |
           ((prot & PROT_EXEC) ? VM_EXEC : 0);
}
