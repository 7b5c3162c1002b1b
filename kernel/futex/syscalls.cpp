// futex(2): decoding the multiplexed call (Linux's do_futex / sys_futex), and the wake that
// CLONE_CHILD_CLEARTID does when a thread exits (pthread_join waits on the TID word).
#include <futex/futex.hpp>
#include <printk/printk.hpp>
#include <process/process.hpp>
#include <syscalls/syscall.hpp>

namespace {

bool cmd_has_timeout(int cmd) {
    return cmd == FUTEX_WAIT || cmd == FUTEX_LOCK_PI || cmd == FUTEX_LOCK_PI2 || cmd == FUTEX_WAIT_BITSET ||
           cmd == FUTEX_WAIT_REQUEUE_PI;
}

long pi_not_supported(int cmd) {
    static bool warned = false;  // once, not on every call
    if (!warned) {
        warned = true;
        pr_info("futex: priority-inheritance operations (op %d) are not supported: ENOSYS", cmd);
    }
    return -long(Errno::ENOSYS);
}

}  // namespace

SYSCALL_DEFINE6(futex, uint64_t, uaddr, int, op, uint32_t, val, uint64_t, utime, uint64_t, uaddr2, uint32_t, val3) {
    int cmd = op & FUTEX_CMD_MASK;
    unsigned flags = (op & FUTEX_PRIVATE_FLAG) ? 0 : FLAGS_SHARED;
    if (op & FUTEX_CLOCK_REALTIME) {
        flags |= FLAGS_CLOCKRT;
        if (cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2)
            return -long(Errno::ENOSYS);
    }

    FutexDeadline deadline;
    bool has_deadline = false;
    if (utime && cmd_has_timeout(cmd)) {
        Result<FutexDeadline> d = futex_read_timeout(utime, cmd, flags);
        if (d.is_error()) return -long(d.error());
        deadline = d.value();
        has_deadline = true;
    }
    // For the requeue and wake-op commands the timeout argument carries a second count.
    int val2 = int(uint32_t(utime));

    switch (cmd) {
    case FUTEX_WAIT: return futex_wait(uaddr, flags, val, has_deadline ? &deadline : nullptr, FUTEX_BITSET_MATCH_ANY);
    case FUTEX_WAIT_BITSET: return futex_wait(uaddr, flags, val, has_deadline ? &deadline : nullptr, val3);
    case FUTEX_WAKE: return futex_wake(uaddr, flags, int(val), FUTEX_BITSET_MATCH_ANY);
    case FUTEX_WAKE_BITSET: return futex_wake(uaddr, flags, int(val), val3);
    case FUTEX_REQUEUE: return futex_requeue(uaddr, flags, uaddr2, int(val), val2, nullptr);
    case FUTEX_CMP_REQUEUE: return futex_requeue(uaddr, flags, uaddr2, int(val), val2, &val3);
    case FUTEX_WAKE_OP: return futex_wake_op(uaddr, flags, uaddr2, int(val), val2, val3);
    case FUTEX_LOCK_PI:
    case FUTEX_LOCK_PI2:
    case FUTEX_UNLOCK_PI:
    case FUTEX_TRYLOCK_PI:
    case FUTEX_WAIT_REQUEUE_PI:
    case FUTEX_CMP_REQUEUE_PI: return pi_not_supported(cmd);
    default: return -long(Errno::ENOSYS);
    }
}

void futex_wake_tid(uint64_t uaddr) {
    // Shared, as Linux: glibc's pthread_join waits with a shared FUTEX_WAIT.
    futex_wake(uaddr, FLAGS_SHARED, 1, FUTEX_BITSET_MATCH_ANY);
}
