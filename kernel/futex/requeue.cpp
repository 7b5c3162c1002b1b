// FUTEX_REQUEUE and FUTEX_CMP_REQUEUE: wake up to nr_wake waiters of uaddr1 and move up to nr_requeue
// more onto uaddr2's queue, without waking them (a condition variable's broadcast hands its waiters
// to the mutex instead of letting them all rush it). Bitsets do not matter here. Returns the number
// of waiters woken plus moved.
//
// CMP_REQUEUE first checks that *uaddr1 still holds the caller's value (EAGAIN otherwise). Linux reads
// it with both bucket locks held; a read may fault and sleep here, so it is read just before taking them.
#include <futex/futex.hpp>
#include <lib/uaccess.hpp>

namespace {

// Both buckets locked, in address order (a single lock when they are the same).
class DoubleBucketLock {
public:
    DoubleBucketLock(FutexBucket& a, FutexBucket& b) : first_(&a < &b ? a : b), second_(&a < &b ? b : a) {
        first_.lock.lock();
        if (&second_ != &first_) second_.lock.lock();
    }
    ~DoubleBucketLock() {
        if (&second_ != &first_) second_.lock.unlock();
        first_.lock.unlock();
    }
    DoubleBucketLock(const DoubleBucketLock&) = delete;
    DoubleBucketLock& operator=(const DoubleBucketLock&) = delete;

private:
    FutexBucket& first_;
    FutexBucket& second_;
};

}  // namespace

long futex_requeue(uint64_t uaddr1, unsigned flags, uint64_t uaddr2, int nr_wake, int nr_requeue,
                   const uint32_t* cmpval) {
    if (nr_wake < 0 || nr_requeue < 0) return -long(Errno::EINVAL);
    Result<FutexKey> key1 = get_futex_key(uaddr1, flags);
    if (key1.is_error()) return -long(key1.error());
    Result<FutexKey> key2 = get_futex_key(uaddr2, flags);
    if (key2.is_error()) return -long(key2.error());
    if (cmpval) {
        uint32_t uval;
        if (get_user(uval, UserPtr<uint32_t>(uaddr1)).is_error()) return -long(Errno::EFAULT);
        if (uval != *cmpval) return -long(Errno::EAGAIN);
    }

    FutexBucket& b1 = futex_hash(key1.value());
    FutexBucket& b2 = futex_hash(key2.value());
    FutexWakeBatch batch;
    long woken = 0, moved = 0;
    bool more = true;
    while (more) {
        more = false;
        {
            DoubleBucketLock locks(b1, b2);
            for (auto it = b1.chain.begin(); it != b1.chain.end() && (woken < nr_wake || moved < nr_requeue);) {
                FutexQ& q = *it;
                ++it;
                if (!(q.key == key1.value())) continue;
                if (woken < nr_wake) {
                    if (batch.full()) {
                        more = true;
                        break;
                    }
                    batch.take(q);
                    woken++;
                    continue;
                }
                // Moved: to the tail of uaddr2's chain, under its key. The waiter keeps sleeping and,
                // if it leaves by itself, finds its new bucket through q.bucket. (Within one bucket
                // only the key changes, so the walk does not meet q again.)
                q.key = key2.value();
                if (&b1 != &b2) {
                    b1.chain.remove(q);
                    b2.chain.push_back(q);
                    q.bucket.store(&b2, MemoryOrder::Release);
                }
                moved++;
            }
        }
        batch.wake_all();
    }
    return woken + moved;
}
