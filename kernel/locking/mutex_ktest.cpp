// Mutex and semaphore self-tests with contending kernel threads. The contenders run as SCHED_FIFO, so
// each one runs until it blocks as soon as it is woken: "three threads are now asleep on the mutex" is
// a fact when wake_up_process() returns, not a race. (sched_tick_ktest.cpp stresses the mutex under
// preemption by the tick.)
#include <kunit/ktest.hpp>
#include <locking/mutex.hpp>
#include <locking/semaphore.hpp>
#include <sched/completion.hpp>
#include <sched/kthread.hpp>
#include <sched/sched.hpp>

namespace {

Task* start_fifo(int (*fn)(void*), void* arg, const char* name, int i) {
    Result<Task*> k = kthread_create(fn, arg, "%s/%d", name, i);
    if (k.is_error()) return nullptr;
    if (sched_setscheduler(k.value(), SCHED_FIFO, SchedParam{.sched_priority = 1}).is_error()) return nullptr;
    wake_up_process(k.value());
    return k.value();
}

struct MutexOrder {
    Mutex mutex;
    int order[4] = {};
    int next = 0;
    Completion done;
};

MutexOrder* mutex_order;

int mutex_contender(void* arg) {
    int id = int(reinterpret_cast<uintptr_t>(arg));
    MutexOrder* m = mutex_order;
    {
        MutexGuard guard(m->mutex);
        m->order[m->next++] = id;
    }
    complete(m->done);
    return 0;
}

struct SemaphoreHolders {
    Semaphore sem{2};
    int inside = 0;
    int max_inside = 0;
    Completion release;
    Completion done;
};

int semaphore_holder(void* arg) {
    auto* s = static_cast<SemaphoreHolders*>(arg);
    s->sem.down();
    if (++s->inside > s->max_inside) s->max_inside = s->inside;
    wait_for_completion(s->release);  // hold the unit while asleep
    s->inside--;
    s->sem.up();
    complete(s->done);
    return 0;
}

}  // namespace

KTEST(locking, mutex_contenders_sleep_and_get_it_in_arrival_order) {
    static MutexOrder m;
    new (&m) MutexOrder();
    mutex_order = &m;
    m.mutex.lock();
    for (int i = 1; i <= 3; i++) KASSERT_TRUE(start_fifo(mutex_contender, reinterpret_cast<void*>(uintptr_t(i)), "ktest-mutex", i));
    // All three ran and went to sleep on the mutex we hold.
    KEXPECT_EQ(m.mutex.nr_waiters(), 3u);
    KEXPECT_TRUE(m.mutex.owner() == current());
    m.order[m.next++] = 0;
    m.mutex.unlock();  // hands it to contender 1, who runs at once, and so on down the queue
    for (int i = 0; i < 3; i++) wait_for_completion(m.done);
    KEXPECT_EQ(m.next, 4);
    for (int i = 0; i < 4; i++) KEXPECT_EQ(m.order[i], i);
    KEXPECT_FALSE(m.mutex.is_locked());
    KEXPECT_EQ(m.mutex.nr_waiters(), 0u);
}

KTEST(locking, mutex_try_lock_and_owner) {
    Mutex m;
    KEXPECT_TRUE(m.try_lock());
    KEXPECT_TRUE(m.owner() == current());
    KEXPECT_FALSE(m.try_lock());
    m.unlock();
    KEXPECT_FALSE(m.is_locked());
    {
        MutexGuard guard(m);
        KEXPECT_TRUE(m.is_locked());
    }
    KEXPECT_FALSE(m.is_locked());
}

KTEST(locking, semaphore_admits_count_holders) {
    static SemaphoreHolders s;
    new (&s) SemaphoreHolders();
    for (int i = 0; i < 4; i++) KASSERT_TRUE(start_fifo(semaphore_holder, &s, "ktest-sem", i));
    // Two hold a unit (asleep on `release`), two sleep in down().
    KEXPECT_EQ(s.inside, 2);
    KEXPECT_EQ(s.sem.count(), 0u);
    complete_all(s.release);
    for (int i = 0; i < 4; i++) wait_for_completion(s.done);
    KEXPECT_EQ(s.max_inside, 2);
    KEXPECT_EQ(s.inside, 0);
    KEXPECT_EQ(s.sem.count(), 2u);
}
