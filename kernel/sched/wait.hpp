#pragma once
// Wait queues (Linux's wait_queue_head): a list of tasks sleeping until some condition holds.
//
// A waiter puts an entry (usually on its stack) on the queue, sets its task state, re-checks the
// condition and calls schedule(); whoever changes the condition calls wake_up(). Entries carry a wake
// function, normally one that wakes the entry's task, so other mechanisms (poll, futexes) can hook in.
//
// Exclusive waiters. Entries added with WQ_FLAG_EXCLUSIVE go to the tail. wake_up() wakes every
// non-exclusive waiter it meets and stops after waking the first exclusive one (nr_exclusive = 1);
// wake_up_all() wakes everyone. Many tasks waiting for one resource (a lock, an accept()) queue
// exclusively so that a release wakes one of them, not the whole herd.
//
// Locking: WaitQueueHead::lock (interrupts off: wake_up() is called from interrupt handlers) protects
// the list. Wake functions run with it held.
#include <lib/list.hpp>
#include <locking/spinlock.hpp>
#include <sched/sched.hpp>
#include <sched/task.hpp>
#include <sched/timeout.hpp>

struct WaitQueueEntry;
struct WaitQueueHead;

// Returns nonzero if the entry's waiter was woken (it then counts against nr_exclusive); a negative
// value stops the walk.
using WaitQueueFunc = int (*)(WaitQueueEntry* entry, unsigned mode, int wake_flags, void* key);

constexpr unsigned WQ_FLAG_EXCLUSIVE = 0x01;
constexpr unsigned WQ_FLAG_WOKEN = 0x02;

int default_wake_function(WaitQueueEntry* entry, unsigned mode, int wake_flags, void* key);
// default_wake_function, and on success removes the entry from its queue (so a woken waiter that does
// not find its condition true re-queues itself in prepare_to_wait).
int autoremove_wake_function(WaitQueueEntry* entry, unsigned mode, int wake_flags, void* key);

struct WaitQueueEntry {
    unsigned flags = 0;
    Task* task = nullptr;  // Linux's `private`: whom the default wake functions wake
    WaitQueueFunc func = autoremove_wake_function;
    WaitQueueHead* head = nullptr;  // the queue the entry is on (valid while linked)
    ListNode node;

    WaitQueueEntry() = default;
    WaitQueueEntry(Task* t, WaitQueueFunc f = autoremove_wake_function) : task(t), func(f) {}
    WaitQueueEntry(const WaitQueueEntry&) = delete;
    WaitQueueEntry& operator=(const WaitQueueEntry&) = delete;
    ~WaitQueueEntry() = default;
};

struct WaitQueueHead {
    SpinLock lock;
    IntrusiveList<WaitQueueEntry, &WaitQueueEntry::node> list;

    constexpr WaitQueueHead() = default;
    WaitQueueHead(const WaitQueueHead&) = delete;
    WaitQueueHead& operator=(const WaitQueueHead&) = delete;

    // Racy hint (no lock): true if nobody waits. Only for wakers that ordered their condition store
    // before the check with a full barrier.
    bool has_sleeper() const { return !list.empty(); }
};

// Adding and removing entries (the lock is taken inside).
void add_wait_queue(WaitQueueHead& wq, WaitQueueEntry& entry);            // non-exclusive, at the head
void add_wait_queue_exclusive(WaitQueueHead& wq, WaitQueueEntry& entry);  // exclusive, at the tail
void remove_wait_queue(WaitQueueHead& wq, WaitQueueEntry& entry);
// With wq.lock already held.
void __add_wait_queue(WaitQueueHead& wq, WaitQueueEntry& entry);
void __add_wait_queue_entry_tail(WaitQueueHead& wq, WaitQueueEntry& entry);
void __remove_wait_queue(WaitQueueHead& wq, WaitQueueEntry& entry);

// Queues `entry` (once) and sets the current task's state; the caller then re-checks its condition and
// calls schedule(). finish_wait() undoes both.
void prepare_to_wait(WaitQueueHead& wq, WaitQueueEntry& entry, unsigned state);
void prepare_to_wait_exclusive(WaitQueueHead& wq, WaitQueueEntry& entry, unsigned state);
void finish_wait(WaitQueueHead& wq, WaitQueueEntry& entry);

// Wakes waiters whose task state matches `mode`: all non-exclusive ones met and up to nr_exclusive
// exclusive ones (0: all). Returns how many were woken.
int __wake_up(WaitQueueHead& wq, unsigned mode, int nr_exclusive, void* key = nullptr);
// The same with wq.lock already held.
int __wake_up_locked(WaitQueueHead& wq, unsigned mode, int nr_exclusive, void* key = nullptr);

inline int wake_up(WaitQueueHead& wq) { return __wake_up(wq, TASK_NORMAL, 1); }
inline int wake_up_nr(WaitQueueHead& wq, int nr) { return __wake_up(wq, TASK_NORMAL, nr); }
inline int wake_up_all(WaitQueueHead& wq) { return __wake_up(wq, TASK_NORMAL, 0); }
inline int wake_up_interruptible(WaitQueueHead& wq) { return __wake_up(wq, TASK_INTERRUPTIBLE, 1); }
inline int wake_up_interruptible_all(WaitQueueHead& wq) { return __wake_up(wq, TASK_INTERRUPTIBLE, 0); }

// Linux's -ERESTARTSYS: a sleep interrupted by a signal; the system call is restarted or returns EINTR.
constexpr Errno ERESTARTSYS = Errno(512);

// Sleeps until cond() is true. cond is re-evaluated after every wake-up, with the task state already
// set, so a wake_up() between the check and schedule() is not lost.
template <class Cond>
void wait_event(WaitQueueHead& wq, Cond&& cond) {
    if (cond()) return;
    WaitQueueEntry wait(current());
    for (;;) {
        prepare_to_wait(wq, wait, TASK_UNINTERRUPTIBLE);
        if (cond()) break;
        schedule();
    }
    finish_wait(wq, wait);
}

// As wait_event() but as an exclusive waiter: a wake_up() wakes only the first such waiter.
template <class Cond>
void wait_event_exclusive(WaitQueueHead& wq, Cond&& cond) {
    if (cond()) return;
    WaitQueueEntry wait(current());
    for (;;) {
        prepare_to_wait_exclusive(wq, wait, TASK_UNINTERRUPTIBLE);
        if (cond()) break;
        schedule();
    }
    finish_wait(wq, wait);
}

// As wait_event() but a signal ends the wait: returns ERESTARTSYS then, OK once cond() is true.
template <class Cond>
Result<void> wait_event_interruptible(WaitQueueHead& wq, Cond&& cond) {
    if (cond()) return {};
    WaitQueueEntry wait(current());
    Result<void> ret;
    for (;;) {
        prepare_to_wait(wq, wait, TASK_INTERRUPTIBLE);
        if (cond()) break;
        if (signal_pending(current())) {
            ret = Result<void>(ERESTARTSYS);
            break;
        }
        schedule();
    }
    finish_wait(wq, wait);
    return ret;
}

// As wait_event() but gives up after `timeout` jiffies. Returns 0 if cond() was still false when the
// time ran out, else the jiffies left (at least 1, even if cond() became true just as time ran out).
template <class Cond>
long wait_event_timeout(WaitQueueHead& wq, Cond&& cond, long timeout) {
    if (cond()) return timeout ? timeout : 1;
    WaitQueueEntry wait(current());
    for (;;) {
        prepare_to_wait(wq, wait, TASK_UNINTERRUPTIBLE);
        if (cond()) break;
        timeout = schedule_timeout(timeout);
        if (!timeout) break;
    }
    finish_wait(wq, wait);
    if (!timeout && cond()) return 1;
    return timeout;
}

// wait_event_timeout() that a signal also ends: ERESTARTSYS then.
template <class Cond>
Result<long> wait_event_interruptible_timeout(WaitQueueHead& wq, Cond&& cond, long timeout) {
    if (cond()) return timeout ? timeout : 1;
    WaitQueueEntry wait(current());
    bool interrupted = false;
    for (;;) {
        prepare_to_wait(wq, wait, TASK_INTERRUPTIBLE);
        if (cond()) break;
        if (signal_pending(current())) {
            interrupted = true;
            break;
        }
        timeout = schedule_timeout(timeout);
        if (!timeout) break;
    }
    finish_wait(wq, wait);
    if (interrupted) return ERESTARTSYS;
    if (!timeout && cond()) return 1L;
    return timeout;
}
