#pragma once
// Counting semaphore (Linux's struct semaphore): up to `count` holders at once; down() sleeps while
// none is left. Unlike a mutex it has no owner, so any task may up() it. When tasks wait, up() hands
// its unit directly to the first waiter (FIFO), like the mutex.
#include <lib/list.hpp>
#include <locking/spinlock.hpp>

struct Task;

class Semaphore {
public:
    constexpr explicit Semaphore(unsigned count) : count_(count) {}
    Semaphore(const Semaphore&) = delete;
    Semaphore& operator=(const Semaphore&) = delete;

    // Takes a unit, sleeping (uninterruptibly) until one is available.
    void down();
    // Takes a unit if one is available right now (and nobody queues for it); never sleeps.
    bool try_down();
    // Returns a unit: to the first waiter if there is one, else to the count.
    void up();

    unsigned count() {
        SpinLockIrqSaveGuard guard(lock_);
        return count_;
    }

private:
    struct Waiter {
        Task* task;
        bool granted = false;  // lock_
        ListNode node;
    };

    SpinLock lock_;
    unsigned count_;  // lock_
    IntrusiveList<Waiter, &Waiter::node> waiters_;
};
