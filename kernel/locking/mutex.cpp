// Mutex slow paths. The protocol, with W = MUTEX_FLAG_WAITERS:
//   free:               owner == 0
//   held, no waiters:   owner == task          (unlock: CAS task -> 0)
//   held, waiters:      owner == task | W      (the CAS fails; unlock_slowpath hands over)
// W is set and cleared only with wait_lock held, and whenever W is set the wait list is non-empty, so
// the unlocker always finds the waiter it must hand the mutex to.
#include <locking/mutex.hpp>
#include <printk/panic.hpp>
#include <sched/sched.hpp>

namespace {
uintptr_t task_word(Task* t) { return reinterpret_cast<uintptr_t>(t); }
}  // namespace

bool Mutex::try_lock() {
    uintptr_t expected = 0;
    return owner_.compare_exchange(expected, task_word(current()), MemoryOrder::Acquire);
}

void Mutex::lock() {
    if (try_lock()) return;
    lock_slowpath();
}

void Mutex::lock_slowpath() {
    Task* self = current();
    Waiter waiter{self};
    {
        SpinLockGuard guard(wait_lock_);
        // Either take the mutex now that we hold wait_lock (it was released meanwhile), or announce a
        // waiter in the owner word before queueing, so that the owner's unlock fails its fast path.
        uintptr_t word = owner_.load(MemoryOrder::Relaxed);
        for (;;) {
            if ((word & ~kFlagMask) == 0) {
                uintptr_t mine = task_word(self) | (waiters_.empty() ? 0 : MUTEX_FLAG_WAITERS);
                if (owner_.compare_exchange(word, mine, MemoryOrder::Acquire)) return;
            } else if (owner_.compare_exchange(word, word | MUTEX_FLAG_WAITERS, MemoryOrder::Relaxed)) {
                break;
            }
        }
        waiters_.push_back(waiter);
    }
    // Sleep until unlock() grants us the mutex. The state is set before the check, so a grant between
    // the two turns our schedule() into a no-op instead of being lost.
    for (;;) {
        set_current_state(TASK_UNINTERRUPTIBLE);
        if (waiter.granted.load(MemoryOrder::Acquire)) break;
        schedule();
    }
    __set_current_state(TASK_RUNNING);
}

void Mutex::unlock() {
    uintptr_t expected = task_word(current());
    if (owner_.compare_exchange(expected, 0, MemoryOrder::Release)) return;
    if ((expected & ~kFlagMask) != task_word(current()))
        panic("mutex %p unlocked by %p, owned by %p", static_cast<void*>(this), static_cast<void*>(current()),
              static_cast<void*>(owner()));
    unlock_slowpath();
}

void Mutex::unlock_slowpath() {
    Task* next;
    {
        SpinLockGuard guard(wait_lock_);
        Waiter* first = waiters_.pop_front();
        BUG_ON(!first);
        next = first->task;
        // The new owner, still flagged if others keep waiting.
        owner_.store(task_word(next) | (waiters_.empty() ? 0 : MUTEX_FLAG_WAITERS), MemoryOrder::Release);
        // `first` lives on the waiter's stack, which it may leave as soon as it sees `granted`: keep the
        // task alive for the wake-up and touch nothing of `first` afterwards.
        get_task_struct(next);
        first->granted.store(true, MemoryOrder::Release);
    }
    wake_up_process(next);
    put_task_struct(next);
}

unsigned Mutex::nr_waiters() {
    SpinLockGuard guard(wait_lock_);
    return unsigned(waiters_.size());
}
