// Mutex and semaphore semantics with real kernel threads on the host (tests/host/sched/real_threads.hpp).
#include "sched/real_threads.hpp"

#include <locking/mutex.hpp>
#include <locking/semaphore.hpp>
#include <sched/completion.hpp>

#include <gtest/gtest.h>

#include <vector>

namespace {

using MutexThreads = RealThreads;

TEST_F(MutexThreads, UncontendedLockAndTryLock) {
    Mutex m;
    bool checked = false;
    spawn([&] {
        EXPECT_FALSE(m.is_locked());
        m.lock();
        EXPECT_TRUE(m.is_locked());
        EXPECT_EQ(m.owner(), current());
        EXPECT_FALSE(m.try_lock());  // not recursive
        m.unlock();
        EXPECT_FALSE(m.is_locked());
        EXPECT_TRUE(m.try_lock());
        m.unlock();
        checked = true;
    });
    run_until_idle();
    EXPECT_TRUE(checked);
}

TEST_F(MutexThreads, ContendersSleepAndGetTheMutexInArrivalOrder) {
    Mutex m;
    int inside = 0, max_inside = 0;
    std::vector<int> order;
    Completion holder_has_it;
    Task* holder = spawn([&] {
        MutexGuard guard(m);
        complete(holder_has_it);
        // Hold the mutex across sleeps so everyone else queues up behind it.
        for (int i = 0; i < 20; i++) yield();
        order.push_back(0);
    });
    (void)holder;
    run_until_idle();
    for (int id = 1; id <= 4; id++) {
        spawn([&, id] {
            wait_for_completion(holder_has_it);
            complete(holder_has_it);  // pass it on to the next contender
            MutexGuard guard(m);
            inside++;
            max_inside = std::max(max_inside, inside);
            yield();  // others run meanwhile, and must not get in
            order.push_back(id);
            inside--;
        });
        run_until_idle();  // each contender queues before the next is created
    }
    run_until_idle();
    EXPECT_EQ(max_inside, 1);
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
    EXPECT_FALSE(m.is_locked());
}

TEST_F(MutexThreads, UnlockHandsOverEvenIfSomeoneArrivesFirst) {
    Mutex m;
    std::vector<const char*> got;
    Completion waiter_queued;
    spawn([&] {
        m.lock();
        // A waiter queues...
        spawn([&] {
            complete(waiter_queued);
            m.lock();
            got.push_back("waiter");
            m.unlock();
        }, "waiter");
        wait_for_completion(waiter_queued);
        while (m.nr_waiters() == 0) yield();
        // ...then unlock makes it the owner before it runs: a try_lock right after fails.
        m.unlock();
        EXPECT_TRUE(m.is_locked());
        EXPECT_NE(m.owner(), current());
        EXPECT_FALSE(m.try_lock());
        got.push_back("owner");
    }, "owner");
    run_until_idle();
    EXPECT_EQ(got, (std::vector<const char*>{"owner", "waiter"}));
}

using SemaphoreThreads = RealThreads;

TEST_F(SemaphoreThreads, AtMostCountHoldersAtOnce) {
    Semaphore sem(2);
    int inside = 0, max_inside = 0, done = 0;
    for (int i = 0; i < 5; i++) spawn([&] {
            sem.down();
            inside++;
            max_inside = std::max(max_inside, inside);
            for (int k = 0; k < 3; k++) yield();
            inside--;
            sem.up();
            done++;
        });
    run_until_idle();
    EXPECT_EQ(done, 5);
    EXPECT_EQ(max_inside, 2);
    EXPECT_EQ(sem.count(), 2u);
}

TEST_F(SemaphoreThreads, UpWithoutWaitersCountsAndTryDownNeverSleeps) {
    Semaphore sem(0);
    bool ok = false;
    spawn([&] {
        EXPECT_FALSE(sem.try_down());
        sem.up();
        EXPECT_EQ(sem.count(), 1u);
        EXPECT_TRUE(sem.try_down());
        EXPECT_EQ(sem.count(), 0u);
        ok = true;
    });
    run_until_idle();
    EXPECT_TRUE(ok);
}

TEST_F(SemaphoreThreads, DownSleepsUntilSomeoneUps) {
    Semaphore sem(0);
    bool through = false;
    spawn([&] {
        sem.down();
        through = true;
    });
    run_until_idle();
    EXPECT_FALSE(through);
    spawn([&] { sem.up(); });
    run_until_idle();
    EXPECT_TRUE(through);
    EXPECT_EQ(sem.count(), 0u);
}

}  // namespace
