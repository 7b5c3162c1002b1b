// Allocation and release of ThreadGroup.
#include <mm/slab.hpp>
#include <process/thread_group.hpp>

ThreadGroup* alloc_thread_group(const ThreadGroup* parent) {
    ThreadGroup* tg = knew<ThreadGroup>();
    if (!tg) return nullptr;
    if (parent) {
        SpinLockIrqSaveGuard guard(const_cast<ThreadGroup*>(parent)->lock);
        for (int i = 0; i < RLIM_NLIMITS; i++) tg->rlim[i] = parent->rlim[i];
    } else {
        init_rlimits(tg->rlim);
    }
    return tg;
}

void put_thread_group(ThreadGroup* tg) {
    if (tg->refs.fetch_sub(1, MemoryOrder::AcqRel) == 1) kdelete(tg);
}
