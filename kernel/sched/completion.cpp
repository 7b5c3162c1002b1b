// Completions on a wait queue whose waiters are all exclusive: complete() wakes one, and the count
// makes a complete() that precedes the wait count.
#include <sched/completion.hpp>

void reinit_completion(Completion& x) {
    SpinLockIrqSaveGuard guard(x.wait.lock);
    x.done = 0;
}

void complete(Completion& x) {
    SpinLockIrqSaveGuard guard(x.wait.lock);
    if (x.done != Completion::kDoneAll) x.done++;
    __wake_up_locked(x.wait, TASK_NORMAL, 1);
}

void complete_all(Completion& x) {
    SpinLockIrqSaveGuard guard(x.wait.lock);
    x.done = Completion::kDoneAll;
    __wake_up_locked(x.wait, TASK_NORMAL, 0);
}

namespace {

// Waits for x.done with x.wait.lock held and interrupts saved in `flags`; returns the timeout left
// (0: it ran out and x was not done). Drops and retakes the lock around each sleep.
long do_wait_for_common(Completion& x, long timeout, arch::IrqFlags& flags) {
    if (!x.done) {
        WaitQueueEntry wait(current(), default_wake_function);
        wait.flags |= WQ_FLAG_EXCLUSIVE;
        __add_wait_queue_entry_tail(x.wait, wait);
        do {
            __set_current_state(TASK_UNINTERRUPTIBLE);  // ordered against complete() by the lock
            x.wait.lock.unlock();
            arch::irq_restore(flags);
            timeout = schedule_timeout(timeout);
            flags = arch::irq_save();
            x.wait.lock.lock();
        } while (!x.done && timeout);
        __remove_wait_queue(x.wait, wait);
        if (!x.done) return 0;
    }
    if (x.done != Completion::kDoneAll) x.done--;
    return timeout ? timeout : 1;
}

long wait_for_common(Completion& x, long timeout) {
    arch::IrqFlags flags = arch::irq_save();
    x.wait.lock.lock();
    timeout = do_wait_for_common(x, timeout, flags);
    x.wait.lock.unlock();
    arch::irq_restore(flags);
    return timeout;
}

}  // namespace

void wait_for_completion(Completion& x) { wait_for_common(x, MAX_SCHEDULE_TIMEOUT); }

long wait_for_completion_timeout(Completion& x, long timeout) { return wait_for_common(x, timeout); }

bool try_wait_for_completion(Completion& x) {
    SpinLockIrqSaveGuard guard(x.wait.lock);
    if (!x.done) return false;
    if (x.done != Completion::kDoneAll) x.done--;
    return true;
}

bool completion_done(Completion& x) {
    SpinLockIrqSaveGuard guard(x.wait.lock);
    return x.done != 0;
}
