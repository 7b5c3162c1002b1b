#pragma once
// Sleeping with a time limit (Linux's schedule_timeout() and msleep()), on the kernel timers of
// time/timer.hpp. Timeouts are in jiffies (1/HZ s); a sleep lasts at least the time asked for and ends
// at a tick.
#include <limits.h>

constexpr long MAX_SCHEDULE_TIMEOUT = LONG_MAX;

// Sleeps in the state the caller has already set (set_current_state) until woken or until `timeout`
// jiffies have passed. Returns 0 if the time ran out, else the jiffies that were left (at least 1).
// MAX_SCHEDULE_TIMEOUT sleeps without a timer.
long schedule_timeout(long timeout);
long schedule_timeout_interruptible(long timeout);    // sets TASK_INTERRUPTIBLE first
long schedule_timeout_uninterruptible(long timeout);  // sets TASK_UNINTERRUPTIBLE first

// Sleeps at least `msecs` milliseconds (uninterruptibly).
void msleep(unsigned int msecs);
// Sleeps up to `msecs` ms unless a signal arrives; returns the ms left (0 if the whole time passed).
unsigned long msleep_interruptible(unsigned int msecs);
