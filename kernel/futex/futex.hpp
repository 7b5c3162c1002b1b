#pragma once
// futex(2): the kernel side of fast user-space locking (Linux's kernel/futex/). Internal interface of
// kernel/futex/; other subsystems use only process.hpp's futex_wake_tid / exit_robust_list and the
// system calls.
//
// The pieces, one per file:
//   key.cpp       which futex a user address names (FutexKey): private (mm, address), or the backing
//                 object and offset for memory shared between address spaces;
//   hash.cpp      the hash buckets, each a lock and a chain of waiters (FutexQ), and queueing;
//   waitwake.cpp  FUTEX_WAIT(_BITSET) and FUTEX_WAKE(_BITSET);
//   requeue.cpp   FUTEX_REQUEUE and FUTEX_CMP_REQUEUE;
//   wake_op.cpp   FUTEX_WAKE_OP;
//   timeout.cpp   deadlines on CLOCK_MONOTONIC / CLOCK_REALTIME and sleeping until one;
//   robust.cpp    set_robust_list / get_robust_list and the walk of the list at exit;
//   syscalls.cpp  futex(2)'s decoding, and the CLONE_CHILD_CLEARTID wake.
#include <lib/atomic.hpp>
#include <lib/list.hpp>
#include <lib/result.hpp>
#include <locking/spinlock.hpp>
#include <stdint.h>

struct Task;

// Linux's uapi values (linux/futex.h).
constexpr int FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_FD = 2, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4,
              FUTEX_WAKE_OP = 5, FUTEX_LOCK_PI = 6, FUTEX_UNLOCK_PI = 7, FUTEX_TRYLOCK_PI = 8,
              FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10, FUTEX_WAIT_REQUEUE_PI = 11,
              FUTEX_CMP_REQUEUE_PI = 12, FUTEX_LOCK_PI2 = 13;
constexpr int FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
constexpr int FUTEX_CMD_MASK = ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
constexpr uint32_t FUTEX_BITSET_MATCH_ANY = 0xffffffffu;
constexpr uint32_t FUTEX_WAITERS = 0x80000000u, FUTEX_OWNER_DIED = 0x40000000u, FUTEX_TID_MASK = 0x3fffffffu;

// Internal flags (Linux's FLAGS_*): how a futex word is to be looked up and timed.
constexpr unsigned FLAGS_SHARED = 1u << 0;   // not FUTEX_PRIVATE_FLAG: the key follows shared memory
constexpr unsigned FLAGS_CLOCKRT = 1u << 1;  // absolute timeouts are on CLOCK_REALTIME

// --- keys (key.cpp) ---------------------------------------------------------------------------------
enum class FutexKeyKind : uint8_t {
    Private,   // FUTEX_PRIVATE_FLAG: (mm, address)
    MmShared,  // shared futex on private memory: (mm, address), distinct from Private as in Linux
    Object,    // shared memory: (backing inode or shared-anonymous object, byte offset in it)
};

struct FutexKey {
    FutexKeyKind kind = FutexKeyKind::Private;
    uintptr_t object = 0;  // MmStruct* for Private/MmShared, else the backing object
    uint64_t offset = 0;   // the address for Private/MmShared, else the byte offset in the object

    bool operator==(const FutexKey&) const = default;
};

// The key of the futex word at `uaddr`. EINVAL if not 4-byte aligned, EFAULT if outside user space or
// (shared) not mapped.
Result<FutexKey> get_futex_key(uint64_t uaddr, unsigned flags);

// --- hash buckets and waiters (hash.cpp) ------------------------------------------------------------
struct FutexBucket;

// One waiting task, on its own stack while it waits. `bucket` is the bucket whose chain holds it, or
// nullptr once a waker has taken it off (it was woken; it never goes back on by itself). Only holders of
// that bucket's lock change `bucket` and the chain link; requeue moves a waiter to another bucket.
struct FutexQ {
    ListNode node;
    FutexKey key;
    Task* task = nullptr;
    uint32_t bitset = FUTEX_BITSET_MATCH_ANY;
    Atomic<FutexBucket*> bucket{nullptr};
};

struct FutexBucket {
    SpinLock lock;
    IntrusiveList<FutexQ, &FutexQ::node> chain;
};

FutexBucket& futex_hash(const FutexKey& key);
// Puts q (key, task, bitset set) at the tail of its bucket's chain.
void futex_queue(FutexQ& q);
// Takes q off its chain if a waker has not already done so. True if it did (the wait was not woken).
bool futex_unqueue(FutexQ& q);

// Wakes the waiters of `key` whose bitset meets `bitset`, at most `nr` of them; returns how many.
int futex_wake_key(const FutexKey& key, int nr, uint32_t bitset);

// Waiters taken off a chain under its lock, woken once the lock is dropped (Linux's wake_q): a woken
// waiter may return and its task exit at once, so the waker holds a task reference until it is done.
class FutexWakeBatch {
public:
    static constexpr int kCapacity = 16;
    FutexWakeBatch() = default;
    FutexWakeBatch(const FutexWakeBatch&) = delete;
    FutexWakeBatch& operator=(const FutexWakeBatch&) = delete;
    ~FutexWakeBatch() { wake_all(); }

    bool full() const { return count_ == kCapacity; }
    // Bucket lock held, batch not full: takes q off its chain and marks it woken.
    void take(FutexQ& q);
    void wake_all();

private:
    Task* tasks_[kCapacity] = {};
    int count_ = 0;
};

// --- timeouts (timeout.cpp) -------------------------------------------------------------------------
// A point in time on CLOCK_MONOTONIC, or on CLOCK_REALTIME when `realtime`.
struct FutexDeadline {
    bool realtime = false;
    int64_t ns = 0;

    bool passed() const;
    // Sleeps (the caller has set its task state) until woken or the deadline; false if it had passed.
    bool sleep() const;
};

// futex(2)'s timeout argument for `cmd`: FUTEX_WAIT's is relative to CLOCK_MONOTONIC's now, the
// others' are absolute on the clock `flags` choose. EFAULT, EINVAL (not a valid timespec).
Result<FutexDeadline> futex_read_timeout(uint64_t utime, int cmd, unsigned flags);

// --- operations -------------------------------------------------------------------------------------
// Sleeps on `uaddr` while it holds `val`. 0 when woken; EAGAIN, ETIMEDOUT, ERESTARTSYS (no timeout) or
// ERESTART_RESTARTBLOCK (with one) on a signal, EFAULT, EINVAL.
long futex_wait(uint64_t uaddr, unsigned flags, uint32_t val, const FutexDeadline* deadline, uint32_t bitset);
long futex_wake(uint64_t uaddr, unsigned flags, int nr_wake, uint32_t bitset);
// FUTEX_REQUEUE (cmpval == nullptr) and FUTEX_CMP_REQUEUE.
long futex_requeue(uint64_t uaddr1, unsigned flags, uint64_t uaddr2, int nr_wake, int nr_requeue,
                   const uint32_t* cmpval);
long futex_wake_op(uint64_t uaddr1, unsigned flags, uint64_t uaddr2, int nr_wake, int nr_wake2, uint32_t op);

// Robust list exit handling for one word (robust.cpp), exposed for the self-tests: whether the word was
// marked FUTEX_OWNER_DIED.
bool handle_futex_death(uint64_t uaddr, Task* task, bool pi, bool pending_op);
