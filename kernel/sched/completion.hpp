#pragma once
// Completions: "wait until this has happened", counted. complete() lets one waiter (present or future)
// through; complete_all() lets everyone through from now on. Unlike a bare wait queue, a complete()
// that comes before the wait is not lost.
#include <sched/wait.hpp>

struct Completion {
    static constexpr unsigned kDoneAll = ~0u;
    unsigned done = 0;  // completions not yet consumed; kDoneAll after complete_all(). wait.lock.
    WaitQueueHead wait;

    constexpr Completion() = default;
    Completion(const Completion&) = delete;
    Completion& operator=(const Completion&) = delete;
};

// Makes `x` not done again (before reusing it).
void reinit_completion(Completion& x);
// One waiter proceeds: the first exclusive sleeper, or the next caller of wait_for_completion().
void complete(Completion& x);
// Every current and future waiter proceeds (until reinit_completion()).
void complete_all(Completion& x);
// Sleeps (uninterruptibly) until a complete() is available, and consumes it.
void wait_for_completion(Completion& x);
// The same, giving up after `timeout` jiffies: returns 0 on timeout, else the jiffies left (>= 1).
long wait_for_completion_timeout(Completion& x, long timeout);
// Consumes a complete() if one is available; never sleeps.
bool try_wait_for_completion(Completion& x);
// True if a wait_for_completion() would not sleep (a racy hint).
bool completion_done(Completion& x);
