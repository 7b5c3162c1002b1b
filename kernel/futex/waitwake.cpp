// FUTEX_WAIT, FUTEX_WAIT_BITSET, FUTEX_WAKE, FUTEX_WAKE_BITSET.
//
// The lost-wake-up rule: a waiter must not sleep through a wake that comes after the futex word
// changed. Linux reads the word with the bucket lock held; here reading user memory may fault and the
// fault handler sleeps (mmap lock), so the waiter queues itself first and reads the word after:
//   waiter: queue (bucket lock)  ->  read *uaddr  ->  sleep until taken off the chain
//   waker:  write *uaddr (user)  ->  futex(WAKE): bucket lock, take matching waiters off
// If the waker's scan comes before the queueing, the waiter's read, ordered after the waker's lock
// release, sees the new value and returns EAGAIN; otherwise the waiter is on the chain and gets woken.
// A waiter woken between queueing and its read returns 0 (the wake counted it), never EAGAIN.
#include <futex/futex.hpp>
#include <lib/uaccess.hpp>
#include <sched/sched.hpp>
#include <sched/task.hpp>
#include <signal/restart.hpp>
#include <signal/task_signals.hpp>

namespace {

// restart_syscall(2) after a signal interrupted a FUTEX_WAIT with a timeout: the same wait, to the same
// deadline (Linux's futex_wait_restart).
long futex_wait_restart(RestartBlock* restart) {
    uint64_t uaddr = restart->arg[0];
    uint32_t val = uint32_t(restart->arg[1]);
    unsigned flags = unsigned(restart->arg[1] >> 32);
    uint32_t bitset = uint32_t(restart->arg[2]);
    FutexDeadline deadline{(flags & FLAGS_CLOCKRT) != 0, int64_t(restart->arg[3])};
    restart->fn = nullptr;
    return futex_wait(uaddr, flags, val, &deadline, bitset);
}

}  // namespace

long futex_wait(uint64_t uaddr, unsigned flags, uint32_t val, const FutexDeadline* deadline, uint32_t bitset) {
    if (!bitset) return -long(Errno::EINVAL);
    Result<FutexKey> key = get_futex_key(uaddr, flags);
    if (key.is_error()) return -long(key.error());

    FutexQ q;
    q.key = key.value();
    q.task = current();
    q.bitset = bitset;
    futex_queue(q);

    uint32_t uval;
    Result<void> read = get_user(uval, UserPtr<uint32_t>(uaddr));
    if (read.is_error() || uval != val) {
        if (!futex_unqueue(q)) return 0;  // already woken: that wake counted us
        return -long(read.is_error() ? Errno::EFAULT : Errno::EAGAIN);
    }

    Task* self = current();
    for (;;) {
        set_current_state(TASK_INTERRUPTIBLE);
        if (!q.bucket.load(MemoryOrder::Acquire)) break;  // woken
        if (signal_pending(self)) {
            __set_current_state(TASK_RUNNING);
            if (!futex_unqueue(q)) return 0;
            if (!deadline) return -long(ERESTARTSYS);
            RestartBlock& restart = self->signals.restart;
            restart.fn = futex_wait_restart;
            restart.arg[0] = uaddr;
            restart.arg[1] = uint64_t(val) | (uint64_t(flags | (deadline->realtime ? FLAGS_CLOCKRT : 0)) << 32);
            restart.arg[2] = bitset;
            restart.arg[3] = uint64_t(deadline->ns);
            return -long(ERESTART_RESTARTBLOCK);
        }
        if (deadline) {
            if (!deadline->sleep()) {
                __set_current_state(TASK_RUNNING);
                if (!futex_unqueue(q)) return 0;
                return -long(Errno::ETIMEDOUT);
            }
        } else {
            schedule();
        }
    }
    __set_current_state(TASK_RUNNING);
    return 0;
}

long futex_wake(uint64_t uaddr, unsigned flags, int nr_wake, uint32_t bitset) {
    if (!bitset) return -long(Errno::EINVAL);
    Result<FutexKey> key = get_futex_key(uaddr, flags);
    if (key.is_error()) return -long(key.error());
    // As Linux: a count of 0 (or less) still wakes one waiter.
    return futex_wake_key(key.value(), nr_wake > 0 ? nr_wake : 1, bitset);
}
