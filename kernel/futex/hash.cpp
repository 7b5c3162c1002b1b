// The futex hash table: every futex with waiters is a set of FutexQ entries, chained in the bucket its
// key hashes to. Buckets are shared by unrelated futexes; a wake walks its bucket's chain and takes the
// entries whose key (and bitset) match.
//
// Waking protocol. The waker takes a waiter off the chain and clears its `bucket` under the bucket
// lock, holding a task reference; it wakes the task after dropping the lock (FutexWakeBatch). The
// waiter sees `bucket == nullptr` and knows it was woken; if it wants to leave on its own (timeout,
// signal, value mismatch) futex_unqueue tells it whether it got there first.
#include <futex/futex.hpp>
#include <sched/sched.hpp>
#include <sched/task.hpp>

namespace {

constexpr unsigned kHashBits = 8;
FutexBucket buckets[1u << kHashBits];

}  // namespace

FutexBucket& futex_hash(const FutexKey& key) {
    // Multiplicative hashing (Knuth) of the three key words; the offset's low bits vary the most.
    uint64_t h = uint64_t(key.object) * 0x9e3779b97f4a7c15ull;
    h ^= (key.offset >> 2) * 0xc2b2ae3d27d4eb4full;
    h ^= uint64_t(key.kind);
    h *= 0x9e3779b97f4a7c15ull;
    return buckets[h >> (64 - kHashBits)];
}

void futex_queue(FutexQ& q) {
    FutexBucket& b = futex_hash(q.key);
    SpinLockGuard guard(b.lock);
    b.chain.push_back(q);
    q.bucket.store(&b, MemoryOrder::Release);
}

bool futex_unqueue(FutexQ& q) {
    for (;;) {
        FutexBucket* b = q.bucket.load(MemoryOrder::Acquire);
        if (!b) return false;
        SpinLockGuard guard(b->lock);
        // A requeue may have moved q to another bucket between the load and the lock: try again there.
        if (q.bucket.load(MemoryOrder::Relaxed) != b) continue;
        b->chain.remove(q);
        q.bucket.store(nullptr, MemoryOrder::Relaxed);
        return true;
    }
}

void FutexWakeBatch::take(FutexQ& q) {
    FutexBucket* b = q.bucket.load(MemoryOrder::Relaxed);
    b->chain.remove(q);
    Task* task = q.task;
    get_task_struct(task);
    tasks_[count_++] = task;
    // After this store the waiter may return, and q (on its stack) be gone.
    q.bucket.store(nullptr, MemoryOrder::Release);
}

void FutexWakeBatch::wake_all() {
    for (int i = 0; i < count_; i++) {
        wake_up_process(tasks_[i]);
        put_task_struct(tasks_[i]);
    }
    count_ = 0;
}

int futex_wake_key(const FutexKey& key, int nr, uint32_t bitset) {
    FutexBucket& b = futex_hash(key);
    FutexWakeBatch batch;
    int woken = 0;
    bool more = true;
    while (more && woken < nr) {
        more = false;
        {
            SpinLockGuard guard(b.lock);
            for (auto it = b.chain.begin(); it != b.chain.end() && woken < nr;) {
                FutexQ& q = *it;
                ++it;
                if (!(q.key == key) || !(q.bitset & bitset)) continue;
                if (batch.full()) {
                    more = true;  // wake these first, then look again (the woken are off the chain)
                    break;
                }
                batch.take(q);
                woken++;
            }
        }
        batch.wake_all();
    }
    return woken;
}
