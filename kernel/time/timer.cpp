// Kernel timers: a red-black tree of pending timers ordered by the tick they are due at.
#include <time/timer.hpp>
#include <time/jiffies.hpp>
#include <printk/panic.hpp>
#include <smp/percpu.hpp>

void TimerBase::enqueue_locked(KernelTimer& timer) {
    // A timer whose expiry has already been processed runs at the next tick run() processes. This is
    // also what keeps a callback that re-arms itself for "now" from running twice in one tick.
    timer.due = int64_t(timer.expires - clk_) < 0 ? clk_ : timer.expires;
    pending_.insert(timer);
}

void TimerBase::add(KernelTimer& timer) {
    SpinLockIrqSaveGuard guard(lock_);
    BUG_ON(timer.node.linked());
    enqueue_locked(timer);
}

bool TimerBase::mod(KernelTimer& timer, uint64_t expires) {
    SpinLockIrqSaveGuard guard(lock_);
    bool was_pending = timer.node.linked();
    if (was_pending) pending_.erase(timer);
    timer.expires = expires;
    enqueue_locked(timer);
    return was_pending;
}

bool TimerBase::remove(KernelTimer& timer) {
    SpinLockIrqSaveGuard guard(lock_);
    if (!timer.node.linked()) return false;
    pending_.erase(timer);
    return true;
}

bool TimerBase::remove_sync(KernelTimer& timer) {
    for (;;) {
        {
            SpinLockIrqSaveGuard guard(lock_);
            bool was_pending = timer.node.linked();
            if (was_pending) pending_.erase(timer);
            if (running_ != &timer) return was_pending;
            // Waiting for ourselves would never end: called from the callback (or from an interrupt
            // that arrived in it).
            if (WARN_ON(running_cpu_ == smp_processor_id())) return was_pending;
        }
        arch::cpu_relax();  // the callback runs on another CPU: wait outside the lock
    }
}

bool TimerBase::running(const KernelTimer& timer) {
    SpinLockIrqSaveGuard guard(lock_);
    return running_ == &timer;
}

unsigned TimerBase::run(uint64_t now) {
    unsigned ran = 0;
    arch::IrqFlags flags = arch::irq_save();
    lock_.lock();
    // Everything due up to `now` is processed by this call; anything armed from here on is due later.
    if (int64_t(now + 1 - clk_) > 0) clk_ = now + 1;
    for (;;) {
        KernelTimer* timer = pending_.first();
        if (!timer || int64_t(timer->due - now) > 0) break;
        pending_.erase(*timer);
        running_ = timer;
        running_cpu_ = smp_processor_id();
        TimerFunction fn = timer->function;
        // The callback may re-arm or free its timer: nothing touches `timer` after this call returns.
        lock_.unlock();
        fn(timer);
        lock_.lock();
        running_ = nullptr;
        ran++;
    }
    lock_.unlock();
    arch::irq_restore(flags);
    return ran;
}

uint64_t TimerBase::next_due() {
    SpinLockIrqSaveGuard guard(lock_);
    KernelTimer* first = pending_.first();
    return first ? first->due : UINT64_MAX;
}

namespace {
constinit TimerBase timer_base;
}

void timer_setup(KernelTimer& timer, TimerFunction function, void* data) {
    timer.function = function;
    timer.data = data;
    timer.expires = 0;
}

void add_timer(KernelTimer& timer) { timer_base.add(timer); }
bool mod_timer(KernelTimer& timer, uint64_t expires) { return timer_base.mod(timer, expires); }
bool del_timer(KernelTimer& timer) { return timer_base.remove(timer); }
bool del_timer_sync(KernelTimer& timer) { return timer_base.remove_sync(timer); }
bool timer_pending(const KernelTimer& timer) { return timer.node.linked(); }
unsigned run_timers() { return timer_base.run(jiffies); }
uint64_t next_timer_interrupt() { return timer_base.next_due(); }
