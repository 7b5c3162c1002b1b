// Address spaces: creation, reference counting, teardown, and switching between them (mm_struct.hpp).
#include <fs/file.hpp>
#include <mm/memory.hpp>
#include <mm/mm_hooks.hpp>
#include <mm/mm_struct.hpp>
#include <mm/slab.hpp>
#include <mm/tlb.hpp>
#include <printk/panic.hpp>
#include <sched/task.hpp>

namespace {

void free_mm(MmStruct* mm) {
    if (mm->pgd) arch::user_pgd_free(mm->pgd);
    kdelete(mm);
}

void flush_mm(void* mm) { flush_tlb_mm(static_cast<MmStruct*>(mm)); }

}  // namespace

Result<MmStruct*> mm_alloc() {
    MmStruct* mm = knew<MmStruct>();
    if (!mm) return Errno::ENOMEM;
    Result<PgdHandle> pgd = arch::user_pgd_alloc();
    if (pgd.is_error()) {
        kdelete(mm);
        return pgd.error();
    }
    mm->pgd = pgd.value();
    mm->mmap_base = mmap_base_for(mm_rlimit_stack());
    return mm;
}

void mmget(MmStruct* mm) { mm->mm_users.fetch_add(1, MemoryOrder::Relaxed); }

bool mmget_not_zero(MmStruct* mm) {
    int users = mm->mm_users.load(MemoryOrder::Relaxed);
    while (users != 0)
        if (mm->mm_users.compare_exchange(users, users + 1, MemoryOrder::Acquire)) return true;
    return false;
}

File* get_mm_exe_file(MmStruct* mm) {
    File* file = mm->exe_file;
    if (file) file->ref();
    return file;
}

void set_mm_exe_file(MmStruct* mm, File* file) {
    if (file) file->ref();
    if (File* old = mm->exe_file) old->unref();
    mm->exe_file = file;
}

void mmput(MmStruct* mm) {
    if (mm->mm_users.fetch_sub(1, MemoryOrder::AcqRel) != 1) return;
    exit_mmap(mm);
    set_mm_exe_file(mm, nullptr);
    mmdrop(mm);  // the reference all users held together
}

void mmdrop(MmStruct* mm) {
    if (mm->mm_count.fetch_sub(1, MemoryOrder::AcqRel) != 1) return;
    // Nobody can have it loaded: every CPU that did held a reference (a task's mm or active_mm).
    WARN_ON(mm->cpu_mask.load(MemoryOrder::Relaxed) != 0);
    free_mm(mm);
}

void exit_mmap(MmStruct* mm) {
    MmapLockGuard guard(mm);
    zap_page_range(mm, 0, mm->task_size);
    while (VmArea* vma = mm->vmas.first()) {
        vma_unlink(mm, vma);
        vma_free(vma);
    }
    arch::user_pgd_free_tables(mm->pgd, flush_mm, mm);
    WARN_ON(mm->rss.load(MemoryOrder::Relaxed) != 0);
}

void mm_inc_rss(MmStruct* mm) {
    uint64_t rss = mm->rss.fetch_add(1, MemoryOrder::Relaxed) + 1;
    if (rss > mm->hiwater_rss) mm->hiwater_rss = rss;
}

MmLayout& mm_layout(MmStruct* mm) { return mm->layout; }
uint64_t mm_rss_pages(const MmStruct* mm) { return mm->rss.load(MemoryOrder::Relaxed); }
uint64_t mm_total_vm_pages(const MmStruct* mm) { return mm->total_vm; }

uint64_t mmap_base_for(uint64_t stack_rlimit) {
    constexpr uint64_t kMinGap = 128ull << 20;
    constexpr uint64_t kMaxGap = TASK_SIZE / 6 * 5;
    uint64_t gap = stack_rlimit;
    if (gap + kStackGuardGap > gap) gap += kStackGuardGap;  // (RLIM_INFINITY stays infinite)
    if (gap < kMinGap) gap = kMinGap;
    if (gap > kMaxGap) gap = kMaxGap;
    return page_align_down(TASK_SIZE - gap);
}

// --- switching -----------------------------------------------------------------------------------
//
// Each CPU holds a mm_count reference on the address space it has loaded (the one in CR3), from the
// switch_mm that loads it until it has switched to another. So whatever the tasks do with their mm
// (exit drops it while still running on it; a kernel thread runs on whatever is loaded), the page-table
// root stays valid as long as any CPU can walk it. Task::active_mm names the loaded address space
// while the task runs; it holds no reference of its own.

void switch_mm(MmStruct* prev, MmStruct* next) {
    if (prev == next) return;
    uint64_t self = 1ull << smp_processor_id();
    if (next) {
        mmgrab(next);  // this CPU's reference
        // Join next's mask before loading it (see tlb.cpp for why the order matters).
        next->cpu_mask.fetch_or(self, MemoryOrder::SeqCst);
        arch::load_user_pgd(next->pgd);
    } else {
        arch::load_kernel_pgd();
    }
    if (prev) prev->cpu_mask.fetch_and(~self, MemoryOrder::Release);
}

MmStruct* context_switch_mm(Task* prev, Task* next) {
    MmStruct* loaded = prev->active_mm;
    // A kernel thread never touches user memory: it runs on whatever is loaded (lazy TLB).
    MmStruct* wanted = next->mm ? next->mm : loaded;
    next->active_mm = wanted;
    if (!prev->mm) prev->active_mm = nullptr;
    if (wanted == loaded) return nullptr;
    switch_mm(loaded, wanted);
    return loaded;  // this CPU's reference, dropped once the switch is complete
}

MmStruct* get_task_mm(Task* task) {
    SpinLockIrqSaveGuard guard(task->alloc_lock);
    MmStruct* mm = task->mm;
    if (!mm || (task->flags & PF_KTHREAD) || !mmget_not_zero(mm)) return nullptr;
    return mm;
}

void exit_mm() {
    Task* task = current();
    MmStruct* mm = task->mm;
    if (!mm) return;
    arch::IrqFlags flags = arch::irq_save();
    task->alloc_lock.raw_lock();
    task->mm = nullptr;
    task->alloc_lock.raw_unlock();
    arch::irq_restore(flags);
    mmput(mm);
}

void exec_mmap(MmStruct* mm) {
    Task* task = current();
    MmStruct* old = task->mm;
    arch::IrqFlags flags = arch::irq_save();
    MmStruct* loaded = task->active_mm;
    task->alloc_lock.raw_lock();
    task->mm = mm;
    task->alloc_lock.raw_unlock();
    task->active_mm = mm;
    switch_mm(loaded, mm);
    arch::irq_restore(flags);
    if (loaded) mmdrop(loaded);  // this CPU's reference on what it had loaded
    if (old) mmput(old);
}
