// Robust futexes (Linux's robust-futex ABI, Documentation/locking/robust-futex-ABI): a thread registers
// the head of a list, in its own memory, of the robust mutexes it holds. When it exits (or execs) the
// kernel walks that list; every lock word still owned by the thread (TID in the low bits) gets
// FUTEX_OWNER_DIED, and if FUTEX_WAITERS was set one waiter is woken, who then sees EOWNERDEAD from
// pthread_mutex_lock instead of waiting forever.
//
// The list is user memory and may be garbage: the walk stops at a fault, at the head, or after
// ROBUST_LIST_LIMIT entries (a cycle). Each list entry's bit 0 marks a PI futex.
#include <futex/futex.hpp>
#include <futex/futex_atomic.hpp>
#include <lib/uaccess.hpp>
#include <process/cred.hpp>
#include <process/process.hpp>
#include <sched/pid.hpp>
#include <sched/sched.hpp>
#include <sched/task.hpp>
#include <syscalls/syscall.hpp>

namespace {

// struct robust_list_head (linux/futex.h): 24 bytes on x86-64.
struct RobustListHead {
    uint64_t list_next;        // struct robust_list { next }: the first entry, or the head itself
    int64_t futex_offset;      // from an entry to its lock word
    uint64_t list_op_pending;  // an entry being added or removed right now
};
static_assert(sizeof(RobustListHead) == 24);

constexpr int kRobustListLimit = 2048;  // Linux's ROBUST_LIST_LIMIT

// Reads an entry pointer: the address (bit 0 cleared) and whether it is a PI futex.
bool fetch_robust_entry(UserPtr<uint64_t> from, uint64_t& entry, bool& pi) {
    uint64_t raw;
    if (get_user(raw, from).is_error()) return false;
    entry = raw & ~uint64_t(1);
    pi = raw & 1;
    return true;
}

bool may_read_robust_list(const Task* target) {
    const Credentials* me = current_cred();
    const Credentials* them = task_cred(target);
    if (me->euid == 0) return true;
    return me->uid == them->uid && me->uid == them->euid && me->uid == them->suid;
}

}  // namespace

bool handle_futex_death(uint64_t uaddr, Task* task, bool pi, bool pending_op) {
    if (uaddr % sizeof(uint32_t)) return false;
    UserPtr<uint32_t> word(uaddr);
    uint32_t uval;
    if (get_user(uval, word).is_error()) return false;
    for (;;) {
        // The thread died between taking the lock in user space (word still 0) and telling the list
        // about it: the lock is free, but a waiter may have queued meanwhile; let one try.
        if (pending_op && !pi && !uval) {
            futex_wake(uaddr, FLAGS_SHARED, 1, FUTEX_BITSET_MATCH_ANY);
            return false;
        }
        if ((uval & FUTEX_TID_MASK) != uint32_t(task->pid)) return false;
        uint32_t marked = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
        Result<uint32_t> found = futex_atomic_cmpxchg_user(word, uval, marked);
        if (found.is_error()) return false;
        if (found.value() != uval) {
            uval = found.value();  // changed under us: look again
            continue;
        }
        // Shared wake, as Linux: glibc waits on robust mutexes with shared operations.
        if (!pi && (uval & FUTEX_WAITERS)) futex_wake(uaddr, FLAGS_SHARED, 1, FUTEX_BITSET_MATCH_ANY);
        return true;
    }
}

// Linux's exit_robust_list; called for the current task from mm_release (exit and exec).
void exit_robust_list(Task* task) {
    uint64_t head_addr = task->robust_list;
    task->robust_list = 0;
    if (!head_addr || task != current()) return;
    RobustListHead head;
    if (copy_from_user(&head, UserPtr<const void>(head_addr), sizeof head).is_error()) return;
    uint64_t entry, pending;
    bool pi, pending_pi;
    if (!fetch_robust_entry(UserPtr<uint64_t>(head_addr), entry, pi)) return;
    if (!fetch_robust_entry(UserPtr<uint64_t>(head_addr + offsetof(RobustListHead, list_op_pending)), pending,
                            pending_pi))
        return;
    for (int limit = kRobustListLimit; entry != head_addr && limit > 0; limit--) {
        uint64_t next;
        bool next_pi;
        // Fetch the next entry first: waking a waiter lets it unlink and reuse this one.
        bool fetched = fetch_robust_entry(UserPtr<uint64_t>(entry), next, next_pi);
        if (entry != pending) handle_futex_death(entry + uint64_t(head.futex_offset), task, pi, false);
        if (!fetched) return;
        entry = next;
        pi = next_pi;
    }
    if (pending) handle_futex_death(pending + uint64_t(head.futex_offset), task, pending_pi, true);
}

SYSCALL_DEFINE2(set_robust_list, uint64_t, head, uint64_t, len) {
    if (len != sizeof(RobustListHead)) return -long(Errno::EINVAL);
    current()->robust_list = head;
    return 0;
}

SYSCALL_DEFINE3(get_robust_list, int, pid, UserPtr<uint64_t>, head_ptr, UserPtr<uint64_t>, len_ptr) {
    uint64_t head;
    {
        SpinLockIrqSaveGuard guard(tasklist_lock);
        Task* target = pid ? find_task_by_pid(pid) : current();
        if (!target) return -long(Errno::ESRCH);
        if (target != current() && !may_read_robust_list(target)) return -long(Errno::EPERM);
        head = target->robust_list;
    }
    TRY_SYSCALL(put_user(uint64_t(sizeof(RobustListHead)), len_ptr));
    TRY_SYSCALL(put_user(head, head_ptr));
    return 0;
}
