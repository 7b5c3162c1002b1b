// Self-tests of kernel timers, run by the real tick.
#include <arch/arch.hpp>
#include <kunit/ktest.hpp>
#include <lib/atomic.hpp>
#include <printk/printk.hpp>
#include <time/clocksource_math.hpp>
#include <time/jiffies.hpp>
#include <time/tick.hpp>
#include <time/timekeeping.hpp>
#include <time/timer.hpp>

namespace {

Atomic<int> sequence{0};  // order in which probes fired

struct Probe {
    KernelTimer timer;
    volatile int order = 0;
    Atomic<int> runs{0};
    volatile uint64_t fired_jiffies = 0;
    volatile uint64_t fired_ns = 0;
    volatile bool irqs_were_on = true;
    int rearm = 0;  // re-arm for the next jiffy this many times

    Probe() = default;
    Probe(const Probe&) = delete;
    Probe& operator=(const Probe&) = delete;
    // A test that gives up early (a failed KASSERT) must not leave its timer armed on a dead stack
    // frame: stop re-arming, then take it off the base and wait out a callback running elsewhere.
    ~Probe() {
        rearm = 0;
        if (timer.function) del_timer_sync(timer);
    }
};

void probe_fn(KernelTimer* t) {
    auto* p = static_cast<Probe*>(t->data);
    p->fired_jiffies = jiffies;
    p->order = sequence.fetch_add(1) + 1;
    p->fired_ns = ktime_get_ns();
    p->irqs_were_on = arch::irqs_enabled();
    p->runs.fetch_add(1);
    if (p->rearm > 0) {
        p->rearm--;
        mod_timer(p->timer, jiffies + 1);
    }
}

// Busy-waits until `cond` holds or `timeout_ns` passes.
template <class F>
bool wait_until(F cond, uint64_t timeout_ns) {
    uint64_t start = ktime_get_ns();
    while (!cond()) {
        if (ktime_get_ns() - start > timeout_ns) return false;
        arch::cpu_relax();
    }
    return true;
}

}  // namespace

// A timer armed for jiffies + 25 fires at that jiffy, 25 ticks (100 ms at HZ=250) later: never earlier,
// and later only by tick periods whose interrupt was lost (jiffies then jump past it).
KTEST(timer, fires_after_expected_jiffies) {
    Probe p;
    timer_setup(p.timer, probe_fn, &p);
    constexpr uint64_t kDelay = 25;
    uint64_t lost_before = tick_lost_ticks();
    uint64_t armed_ns = ktime_get_ns();
    uint64_t expires = jiffies + kDelay;
    KEXPECT_FALSE(mod_timer(p.timer, expires));
    KEXPECT_TRUE(timer_pending(p.timer));
    KASSERT_TRUE(wait_until([&] { return p.runs.load() > 0; }, NSEC_PER_SEC));
    uint64_t waited = p.fired_ns - armed_ns;
    uint64_t lost = tick_lost_ticks() - lost_before;
    pr_info("timer: armed for +%lu jiffies, fired at jiffy %lu (expected %lu, %lu tick periods lost) after %lu us",
            (unsigned long)kDelay, (unsigned long)p.fired_jiffies, (unsigned long)expires, (unsigned long)lost,
            (unsigned long)(waited / 1000));
    KEXPECT_TRUE(p.fired_jiffies >= expires && p.fired_jiffies <= expires + lost);
    KEXPECT_EQ(p.runs.load(), 1);
    KEXPECT_FALSE(timer_pending(p.timer));
    KEXPECT_FALSE(p.irqs_were_on);  // run from the tick, interrupts off
    // Armed somewhere inside the current jiffy, so at least kDelay - 1 full periods pass.
    KEXPECT_TRUE(waited >= (kDelay - 1) * TICK_NSEC);
    KEXPECT_TRUE(waited < 4 * kDelay * TICK_NSEC);
}

KTEST(timer, delete_cancels) {
    Probe p;
    timer_setup(p.timer, probe_fn, &p);
    mod_timer(p.timer, jiffies + 2);
    KEXPECT_TRUE(del_timer(p.timer));
    KEXPECT_FALSE(del_timer_sync(p.timer));
    uint64_t until = jiffies + 5;
    KASSERT_TRUE(wait_until([&] { return time_after(jiffies, until); }, NSEC_PER_SEC));
    KEXPECT_EQ(p.runs.load(), 0);
}

// Timers run in expiry order; a self-re-arming timer runs once per tick.
KTEST(timer, ordering_and_rearm) {
    Probe a, b, periodic;
    timer_setup(a.timer, probe_fn, &a);
    timer_setup(b.timer, probe_fn, &b);
    timer_setup(periodic.timer, probe_fn, &periodic);
    periodic.rearm = 9;
    uint64_t now = jiffies;
    mod_timer(b.timer, now + 4);
    mod_timer(a.timer, now + 3);
    mod_timer(periodic.timer, now + 1);
    KASSERT_TRUE(wait_until([&] { return periodic.runs.load() == 10 && b.runs.load() == 1; }, NSEC_PER_SEC));
    KEXPECT_TRUE(a.fired_jiffies >= now + 3);
    KEXPECT_TRUE(b.fired_jiffies >= now + 4);
    KEXPECT_TRUE(a.order < b.order);
    KEXPECT_TRUE(periodic.fired_jiffies >= now + 10);  // ten runs, each at a later jiffy than the last
    KEXPECT_EQ(periodic.runs.load(), 10);
    KEXPECT_FALSE(timer_pending(periodic.timer));
}

// mod_timer on a pending timer moves it; del_timer_sync leaves it neither pending nor running.
KTEST(timer, mod_moves_pending_timer) {
    Probe p;
    timer_setup(p.timer, probe_fn, &p);
    uint64_t lost_before = tick_lost_ticks();
    uint64_t now = jiffies;
    KEXPECT_FALSE(mod_timer(p.timer, now + 50));
    KEXPECT_TRUE(mod_timer(p.timer, now + 3));
    KASSERT_TRUE(wait_until([&] { return p.runs.load() > 0; }, NSEC_PER_SEC));
    // At the new expiry, or later only by tick periods whose interrupt never came.
    KEXPECT_TRUE(p.fired_jiffies >= now + 3 && p.fired_jiffies <= now + 3 + tick_lost_ticks() - lost_before);
    KEXPECT_FALSE(del_timer_sync(p.timer));
    KEXPECT_EQ(p.runs.load(), 1);
}
