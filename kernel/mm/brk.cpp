// brk(2): the program break, Linux's semantics. The heap is the anonymous area [start_brk, brk) (page
// rounded), created and grown on demand and merged with the area below it where possible; the call
// returns the new break, or the unchanged one when the request is refused (below start_brk, over
// RLIMIT_DATA, into another mapping, out of memory).
#include <mm/mm_hooks.hpp>
#include <mm/mm_struct.hpp>
#include <mm/mmap.hpp>
#include <sched/task.hpp>
#include <syscalls/syscall.hpp>

namespace {

// Linux's check_data_rlimit: the heap plus the data segment must fit RLIMIT_DATA.
bool data_rlimit_allows(const MmLayout& layout, uint64_t new_brk) {
    uint64_t limit = mm_rlimit_data();
    if (limit == kRlimInfinity) return true;
    return (new_brk - layout.start_brk) + (layout.end_data - layout.start_data) <= limit;
}

}  // namespace

uint64_t do_brk(MmStruct* mm, uint64_t brk) {
    MmLayout& layout = mm->layout;
    uint64_t old = layout.brk;
    if (brk < layout.start_brk || brk > TASK_SIZE) return old;
    if (!data_rlimit_allows(layout, brk)) return old;
    uint64_t new_end = page_align_up(brk);
    uint64_t old_end = page_align_up(layout.brk);
    if (new_end == old_end) {
        layout.brk = brk;
        return brk;
    }
    if (brk <= layout.brk) {  // shrinking is always allowed
        if (do_munmap(mm, new_end, old_end - new_end).is_error()) return old;
        layout.brk = brk;
        return brk;
    }
    // Growing: the new pages and one guard page must not reach the next mapping.
    if (VmArea* next = find_vma(mm, old_end); next && new_end + kPageSize > vm_start_gap(next)) return old;
    if (mm->vmas.size() >= kMaxMapCount) return old;
    uint64_t flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
    if (mmap_region(mm, old_end, new_end - old_end, flags, MapBacking{}).is_error()) return old;
    layout.brk = brk;
    return brk;
}

SYSCALL_DEFINE1(brk, uint64_t, brk) {
    MmStruct* mm = current()->mm;
    if (!mm) return 0;
    MmapLockGuard guard(mm);
    return long(do_brk(mm, brk));
}
