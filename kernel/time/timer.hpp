#pragma once
// Kernel timers (Linux's timer_list): run a function once, at the first tick at or after a given
// jiffies value.
//
//   KernelTimer t;
//   timer_setup(t, my_callback, my_data);
//   mod_timer(t, jiffies + msecs_to_jiffies(100));   // arm (or re-arm)
//   ...
//   del_timer_sync(t);                               // cancel, and wait if it is running right now
//
// Semantics (Linux's):
//   - A timer fires once, no earlier than `expires`: at the first tick whose jiffies value is >= expires
//     (so between expires and expires + 1 jiffy after it was armed). A timer armed with an expiry already
//     in the past fires at the next tick.
//   - Timers due at the same tick run in expiry order, and in arming order among equal expiries.
//   - The callback may re-arm its own timer (mod_timer/add_timer); if the new expiry is already due it
//     runs at the next tick, never again in the same one.
//   - del_timer() only removes a pending timer; the callback may still be running on another CPU when
//     it returns. del_timer_sync() also waits for that, so afterwards the callback is neither pending
//     nor running and the timer may be freed. Never call it from the timer's own callback, or while
//     holding a lock the callback takes.
//
// Context: for now the callbacks run in the tick interrupt itself (run_timers() from the periodic tick,
// on the CPU that advances jiffies), with interrupts disabled, so they must be short and must not sleep.
// When softirqs exist the same run_timers() moves to TIMER_SOFTIRQ, as in Linux; the rules above stay.
//
// Data structure: one global red-black tree ordered by the tick a timer is due at (lib/rbtree.hpp);
// arming is O(log n), the tick finds the earliest due timer in O(1). Per-CPU bases come with SMP
// scheduling.
#include <lib/rbtree.hpp>
#include <locking/spinlock.hpp>
#include <stdint.h>

struct KernelTimer;
using TimerFunction = void (*)(KernelTimer* timer);

struct KernelTimer {
    uint64_t expires = 0;             // jiffies value at (or after) which it fires
    TimerFunction function = nullptr; // runs in the tick, interrupts off: must not sleep
    void* data = nullptr;             // for the callback

    // Private to the timer code.
    uint64_t due = 0;  // the tick it runs at: expires, or the next unprocessed tick if that is later
    RbNode node;       // linked while pending
};

void timer_setup(KernelTimer& timer, TimerFunction function, void* data);
// Arms a timer that is not pending (arming a pending one is a bug: use mod_timer).
void add_timer(KernelTimer& timer);
// Arms the timer for `expires`, re-arming it if it was pending. Returns whether it was pending.
bool mod_timer(KernelTimer& timer, uint64_t expires);
// Disarms; returns whether the timer was pending.
bool del_timer(KernelTimer& timer);
// Disarms and waits for a running callback to return; returns whether the timer was pending.
bool del_timer_sync(KernelTimer& timer);
bool timer_pending(const KernelTimer& timer);

// Runs every timer due at or before the current jiffies value (the tick calls it after advancing
// jiffies). Returns how many ran.
unsigned run_timers();
// The earliest tick a timer is due at, or UINT64_MAX if none is pending.
uint64_t next_timer_interrupt();

// A set of timers and the clock it has processed up to; the global functions above use one instance
// driven by jiffies. Separate so the host tests can run it against their own clock.
class TimerBase {
public:
    constexpr TimerBase() = default;
    TimerBase(const TimerBase&) = delete;
    TimerBase& operator=(const TimerBase&) = delete;

    void add(KernelTimer& timer);
    bool mod(KernelTimer& timer, uint64_t expires);
    bool remove(KernelTimer& timer);
    bool remove_sync(KernelTimer& timer);
    // Runs the timers due at or before `now`, in due order; drops the lock around each callback.
    unsigned run(uint64_t now);
    uint64_t next_due();
    bool running(const KernelTimer& timer);

private:
    struct DueLess {
        bool operator()(const KernelTimer& a, const KernelTimer& b) const { return int64_t(a.due - b.due) < 0; }
    };
    void enqueue_locked(KernelTimer& timer);

    SpinLock lock_;
    RbTree<KernelTimer, &KernelTimer::node, DueLess> pending_;
    uint64_t clk_ = 0;                     // the first tick not yet processed by run()
    KernelTimer* running_ = nullptr;       // the callback being run, if any
    unsigned running_cpu_ = 0;
};
