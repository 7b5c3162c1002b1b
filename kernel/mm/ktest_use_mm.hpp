#pragma once
// For self-tests that touch user memory from kernel mode: the current task uses `mm` (as after exec)
// until the guard goes; then it is back to what it had. The CPU's reference on what was loaded before
// stays with the guard, so that it can be loaded again.
#include <arch/arch.hpp>
#include <mm/mm.hpp>
#include <mm/mm_struct.hpp>
#include <sched/task.hpp>

class KtestUseMm {
public:
    explicit KtestUseMm(MmStruct* mm) : task_(current()) {
        mmget(mm);
        arch::IrqFlags flags = arch::irq_save();
        saved_mm_ = task_->mm;
        saved_active_ = task_->active_mm;
        task_->mm = mm;
        task_->active_mm = mm;
        switch_mm(saved_active_, mm);
        arch::irq_restore(flags);
    }
    ~KtestUseMm() {
        arch::IrqFlags flags = arch::irq_save();
        MmStruct* mm = task_->mm;
        MmStruct* loaded = task_->active_mm;
        task_->mm = saved_mm_;
        task_->active_mm = saved_active_;
        switch_mm(loaded, saved_active_);
        arch::irq_restore(flags);
        if (loaded) mmdrop(loaded);                // this CPU's reference
        if (saved_active_) mmdrop(saved_active_);  // the one kept since the constructor
        mmput(mm);
    }
    KtestUseMm(const KtestUseMm&) = delete;
    KtestUseMm& operator=(const KtestUseMm&) = delete;

private:
    Task* task_;
    MmStruct* saved_mm_;
    MmStruct* saved_active_;
};
