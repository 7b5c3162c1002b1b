// Self-tests of the futex core on the real kernel: keys (private, shared across dup_mm, errors), the
// hash-bucket wake logic (counts, bitsets, requeue) on hand-made waiters, and futex_wait's EAGAIN,
// ETIMEDOUT and EFAULT against a real user address space. Waits that are really woken by another task
// are covered from user space (user/tests/futex.c, threads.cpp).
#include <futex/futex.hpp>
#include <futex/futex_atomic.hpp>
#include <kunit/ktest.hpp>
#include <lib/uaccess.hpp>
#include <mm/ktest_use_mm.hpp>
#include <mm/mm_struct.hpp>
#include <sched/sched.hpp>
#include <sched/task.hpp>
#include <time/clocksource_api.hpp>

namespace {

constexpr uint64_t P = 4096;

using UseMm = KtestUseMm;

MmStruct* new_mm() {
    Result<MmStruct*> mm = mm_alloc();
    return mm.is_error() ? nullptr : mm.value();
}

uint64_t map(MmStruct* mm, int flags) {
    Result<uint64_t> r = vm_mmap(mm, 0, 2 * P, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, nullptr, 0);
    return r.is_error() ? 0 : r.value();
}

FutexKey key_of(uint64_t uaddr, unsigned flags) {
    Result<FutexKey> k = get_futex_key(uaddr, flags);
    return k.is_error() ? FutexKey{FutexKeyKind::Private, 0, 0} : k.value();
}

}  // namespace

KTEST(futex, private_and_shared_keys) {
    MmStruct* parent = new_mm();
    KASSERT_TRUE(parent != nullptr);
    uint64_t priv = map(parent, MAP_PRIVATE);
    uint64_t shared = map(parent, MAP_SHARED);
    KASSERT_TRUE(priv && shared);
    Result<MmStruct*> copy = dup_mm(parent);
    KASSERT_TRUE(!copy.is_error());
    MmStruct* child = copy.value();
    FutexKey pp, ps, sp_parent, ss_parent, sp_child, ss_child;
    {
        UseMm use(parent);
        pp = key_of(priv + 8, 0);
        ps = key_of(priv + 8, FLAGS_SHARED);
        sp_parent = key_of(shared + P + 12, 0);
        ss_parent = key_of(shared + P + 12, FLAGS_SHARED);
        KEXPECT_EQ(int(get_futex_key(priv + 2, 0).error()), int(Errno::EINVAL));         // misaligned
        KEXPECT_EQ(int(get_futex_key(0xffff800000000000ull, 0).error()), int(Errno::EFAULT));  // kernel half
        KEXPECT_EQ(int(get_futex_key(0x1000, FLAGS_SHARED).error()), int(Errno::EFAULT));  // nothing mapped
        KEXPECT_FALSE(get_futex_key(0x1000, 0).is_error());  // private keys need no mapping
    }
    {
        UseMm use(child);
        sp_child = key_of(shared + P + 12, 0);
        ss_child = key_of(shared + P + 12, FLAGS_SHARED);
    }
    KEXPECT_TRUE(pp.kind == FutexKeyKind::Private && pp.object == uintptr_t(parent) && pp.offset == priv + 8);
    KEXPECT_TRUE(ps.kind == FutexKeyKind::MmShared);
    KEXPECT_FALSE(pp == ps);                // a shared wake does not reach a private waiter (Linux)
    KEXPECT_TRUE(ss_parent.kind == FutexKeyKind::Object);
    KEXPECT_EQ(ss_parent.offset, P + 12);   // offset in the shared object
    KEXPECT_TRUE(ss_parent == ss_child);    // MAP_SHARED: the same futex in parent and child
    KEXPECT_FALSE(sp_parent == sp_child);   // private keys differ by address space
    mmput(child);
    mmput(parent);
}

KTEST(futex, wake_counts_and_bitsets) {
    FutexKey key{FutexKeyKind::Private, 0x1234000, 0x40};
    FutexKey other{FutexKeyKind::Private, 0x1234000, 0x44};
    FutexQ q[4];
    for (int i = 0; i < 4; i++) {
        q[i].key = i == 3 ? other : key;
        q[i].task = current();  // running: waking it is a no-op
        q[i].bitset = i == 2 ? 0x2 : 0x1;
        futex_queue(q[i]);
    }
    KEXPECT_EQ(futex_wake_key(key, 10, 0x4), 0);  // no bitset meets 0x4
    KEXPECT_EQ(futex_wake_key(key, 1, 0x1), 1);   // the first in FIFO order
    KEXPECT_TRUE(q[0].bucket.load() == nullptr);
    KEXPECT_TRUE(q[1].bucket.load() != nullptr);
    KEXPECT_EQ(futex_wake_key(key, 10, FUTEX_BITSET_MATCH_ANY), 2);
    KEXPECT_TRUE(q[2].bucket.load() == nullptr);
    KEXPECT_TRUE(q[3].bucket.load() != nullptr);  // another word, even if in the same bucket
    KEXPECT_FALSE(futex_unqueue(q[1]));           // already woken: the waiter learns it was
    KEXPECT_TRUE(futex_unqueue(q[3]));
    KEXPECT_EQ(futex_wake_key(other, 10, FUTEX_BITSET_MATCH_ANY), 0);
}

KTEST(futex, many_waiters_wake_in_batches) {
    constexpr int N = 3 * FutexWakeBatch::kCapacity + 5;
    static FutexQ q[N];
    FutexKey key{FutexKeyKind::Private, 0x5678000, 0x100};
    for (int i = 0; i < N; i++) {
        q[i].key = key;
        q[i].task = current();
        futex_queue(q[i]);
    }
    KEXPECT_EQ(futex_wake_key(key, N - 2, FUTEX_BITSET_MATCH_ANY), N - 2);
    KEXPECT_EQ(futex_wake_key(key, N, FUTEX_BITSET_MATCH_ANY), 2);
    int left = 0;
    for (int i = 0; i < N; i++) left += q[i].bucket.load() != nullptr;
    KEXPECT_EQ(left, 0);
}

KTEST(futex, wait_eagain_timeout_and_requeue) {
    MmStruct* mm = new_mm();
    KASSERT_TRUE(mm != nullptr);
    uint64_t base = map(mm, MAP_PRIVATE);
    KASSERT_TRUE(base != 0);
    {
        UseMm use(mm);
        uint32_t v = 5;
        KASSERT_TRUE(!put_user(v, UserPtr<uint32_t>(base)).is_error());
        KEXPECT_EQ(futex_wait(base, 0, 6, nullptr, FUTEX_BITSET_MATCH_ANY), -long(Errno::EAGAIN));
        KEXPECT_EQ(futex_wait(base + 2, 0, 5, nullptr, FUTEX_BITSET_MATCH_ANY), -long(Errno::EINVAL));
        KEXPECT_EQ(futex_wait(base, 0, 5, nullptr, 0), -long(Errno::EINVAL));
        KEXPECT_EQ(futex_wait(0x10000000, 0, 5, nullptr, FUTEX_BITSET_MATCH_ANY), -long(Errno::EFAULT));
        // 20 ms on CLOCK_MONOTONIC: ETIMEDOUT, not before the deadline.
        FutexDeadline d{false, int64_t(ktime_get_ns()) + 20000000};
        KEXPECT_EQ(futex_wait(base, 0, 5, &d, FUTEX_BITSET_MATCH_ANY), -long(Errno::ETIMEDOUT));
        KEXPECT_TRUE(int64_t(ktime_get_ns()) >= d.ns);
        KEXPECT_EQ(futex_wake(base, 0, 1, FUTEX_BITSET_MATCH_ANY), 0);  // nobody left queued

        // Requeue: two hand-made waiters on base; wake one, move one to base + 4.
        FutexQ q[2];
        for (auto& w : q) {
            w.key = key_of(base, 0);
            w.task = current();
            futex_queue(w);
        }
        KEXPECT_EQ(futex_requeue(base, 0, base + 4, 1, 5, &v), 2);
        KEXPECT_TRUE(q[0].bucket.load() == nullptr);
        KEXPECT_TRUE(q[1].key == key_of(base + 4, 0));
        uint32_t wrong = 9;
        KEXPECT_EQ(futex_requeue(base + 4, 0, base, 1, 1, &wrong), -long(Errno::EAGAIN));
        KEXPECT_EQ(futex_wake(base + 4, 0, 1, FUTEX_BITSET_MATCH_ANY), 1);
        KEXPECT_TRUE(q[1].bucket.load() == nullptr);

        // The atomic user ops behind FUTEX_WAKE_OP and the robust list.
        Result<uint32_t> added = futex_atomic_op_user(FUTEX_OP_ADD, 3, UserPtr<uint32_t>(base));
        KEXPECT_EQ(added.value(), 5u);
        Result<uint32_t> andn = futex_atomic_op_user(FUTEX_OP_ANDN, 1, UserPtr<uint32_t>(base));
        KEXPECT_EQ(andn.value(), 8u);
        Result<uint32_t> swapped = futex_atomic_cmpxchg_user(UserPtr<uint32_t>(base), 8, 42);
        KEXPECT_EQ(swapped.value(), 8u);
        uint32_t now = 0;
        KASSERT_TRUE(!get_user(now, UserPtr<uint32_t>(base)).is_error());
        KEXPECT_EQ(now, 42u);
        KEXPECT_TRUE(futex_atomic_cmpxchg_user(UserPtr<uint32_t>(0x10000000), 0, 1).is_error());
    }
    mmput(mm);
}

KTEST(futex, robust_death_marks_owner_died) {
    MmStruct* mm = new_mm();
    KASSERT_TRUE(mm != nullptr);
    uint64_t base = map(mm, MAP_PRIVATE);
    KASSERT_TRUE(base != 0);
    {
        UseMm use(mm);
        uint32_t word = uint32_t(current()->pid) | FUTEX_WAITERS;
        KASSERT_TRUE(!put_user(word, UserPtr<uint32_t>(base)).is_error());
        KEXPECT_TRUE(handle_futex_death(base, current(), false, false));
        uint32_t now = 0;
        KASSERT_TRUE(!get_user(now, UserPtr<uint32_t>(base)).is_error());
        KEXPECT_EQ(now, FUTEX_WAITERS | FUTEX_OWNER_DIED);
        // Owned by someone else: left alone.
        KASSERT_TRUE(!put_user(uint32_t(current()->pid + 1), UserPtr<uint32_t>(base)).is_error());
        KEXPECT_FALSE(handle_futex_death(base, current(), false, false));
    }
    mmput(mm);
}
