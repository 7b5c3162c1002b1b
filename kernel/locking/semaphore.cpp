// Semaphore: a count and a FIFO of sleepers under one spinlock (taken with interrupts off, so up() may
// be called from an interrupt handler).
#include <locking/semaphore.hpp>
#include <sched/sched.hpp>

bool Semaphore::try_down() {
    SpinLockIrqSaveGuard guard(lock_);
    if (!count_) return false;
    count_--;
    return true;
}

void Semaphore::down() {
    arch::IrqFlags flags = arch::irq_save();
    lock_.lock();
    if (count_) {
        count_--;
    } else {
        Waiter waiter{current()};
        waiters_.push_back(waiter);
        while (!waiter.granted) {
            __set_current_state(TASK_UNINTERRUPTIBLE);  // ordered against up() by lock_
            lock_.unlock();
            arch::irq_restore(flags);
            schedule();
            flags = arch::irq_save();
            lock_.lock();
        }
        // up() removed us from the list when it granted the unit.
    }
    lock_.unlock();
    arch::irq_restore(flags);
}

void Semaphore::up() {
    SpinLockIrqSaveGuard guard(lock_);
    Waiter* first = waiters_.pop_front();
    if (!first) {
        count_++;
        return;
    }
    // The waiter re-checks `granted` only with lock_ held, so its stack frame outlives this wake-up.
    first->granted = true;
    wake_up_process(first->task);
}
