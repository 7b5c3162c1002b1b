#pragma once
// Sleeping mutex (Linux's struct mutex): one owner at a time; contenders sleep instead of spinning.
// Only tasks may use it (never interrupt handlers), and only the owner may unlock it.
//
// The owner word holds the owning Task* with MUTEX_FLAG_WAITERS in bit 0 when someone sleeps on the
// lock. Uncontended lock and unlock are one compare-and-swap each. When there are waiters, unlock hands
// the mutex directly to the first of them (FIFO): the owner word becomes that waiter's task before it
// even runs, so a task arriving later cannot overtake the sleepers and nobody starves.
#include <lib/atomic.hpp>
#include <lib/list.hpp>
#include <locking/spinlock.hpp>
#include <stdint.h>

struct Task;

class Mutex {
public:
    constexpr Mutex() = default;
    Mutex(const Mutex&) = delete;
    Mutex& operator=(const Mutex&) = delete;

    // Sleeps (uninterruptibly) until the mutex is ours.
    void lock();
    // Takes the mutex if it is free (and nobody waits for it); never sleeps.
    bool try_lock();
    // The owner releases it; the first waiter, if any, becomes the owner.
    void unlock();

    bool is_locked() const { return owner_.load(MemoryOrder::Relaxed) != 0; }
    Task* owner() const { return reinterpret_cast<Task*>(owner_.load(MemoryOrder::Relaxed) & ~kFlagMask); }
    // Tasks sleeping on the mutex (a snapshot).
    unsigned nr_waiters();

private:
    static constexpr uintptr_t MUTEX_FLAG_WAITERS = 0x01;
    static constexpr uintptr_t kFlagMask = 0x07;

    struct Waiter {
        Task* task;
        Atomic<bool> granted{false};  // set by unlock() when it hands us the mutex
        ListNode node;
    };

    void lock_slowpath();
    void unlock_slowpath();

    Atomic<uintptr_t> owner_{0};
    SpinLock wait_lock_;  // protects waiters_ and the WAITERS flag's meaning
    IntrusiveList<Waiter, &Waiter::node> waiters_;
};

class [[nodiscard]] MutexGuard {
public:
    explicit MutexGuard(Mutex& m) : mutex_(m) { mutex_.lock(); }
    ~MutexGuard() { mutex_.unlock(); }
    MutexGuard(const MutexGuard&) = delete;
    MutexGuard& operator=(const MutexGuard&) = delete;

private:
    Mutex& mutex_;
};
