// Self-tests of timekeeping on the real clock sources.
#include <kunit/ktest.hpp>
#include <printk/printk.hpp>
#include <time/clocksource.hpp>
#include <time/clocksource_math.hpp>
#include <time/sched_clock.hpp>
#include <time/timekeeping.hpp>

// ktime_get_ns never goes back, read back to back and across 50 ms of ticks.
KTEST(timekeeping, monotonic) {
    uint64_t start = ktime_get_ns();
    uint64_t prev = start;
    uint64_t reads = 0, backwards = 0;
    while (prev - start < 50 * NSEC_PER_MSEC) {
        uint64_t now = ktime_get_ns();
        if (now < prev) backwards++;
        prev = now > prev ? now : prev;
        reads++;
    }
    pr_info("timekeeping: %lu reads in 50 ms, %lu went back", (unsigned long)reads, (unsigned long)backwards);
    KEXPECT_EQ(backwards, 0);
    KEXPECT_TRUE(reads > 100);
}

// Switching the clock source at run time (like writing current_clocksource in sysfs) keeps time
// monotonic and running.
KTEST(timekeeping, monotonic_across_clocksource_switches) {
    Clocksource* original = timekeeping_clocksource();
    KASSERT_TRUE(original != nullptr);
    char original_override[32];
    clocksource_get_override(original_override, sizeof(original_override));
    uint64_t prev = ktime_get_ns();
    unsigned switches = 0;
    bool ok = true;
    for (int round = 0; round < 3; round++) {
        clocksource_for_each([&](Clocksource& cs) {
            if (!(cs.flags & CLOCK_SOURCE_IS_CONTINUOUS)) return;
            if (clocksource_override(cs.name).is_error() || timekeeping_clocksource() != &cs) ok = false;
            switches++;
            uint64_t until = ktime_get_ns() + 2 * NSEC_PER_MSEC;
            for (uint64_t now; (now = ktime_get_ns()) < until;) {
                if (now < prev) ok = false;
                prev = now;
            }
        });
    }
    KEXPECT_TRUE(clocksource_override(original_override));  // back to how the boot chose
    KEXPECT_TRUE(timekeeping_clocksource() == original);
    KEXPECT_TRUE(ok);
    KEXPECT_TRUE(switches >= 3);
    KEXPECT_TRUE(ktime_get_ns() >= prev);
}

// udelay waits at least as long as asked (and not absurdly longer).
KTEST(timekeeping, udelay_duration) {
    if (!(timekeeping_clocksource()->flags & CLOCK_SOURCE_IS_CONTINUOUS)) return;  // clocksource=jiffies
    uint64_t start = ktime_get_ns();
    udelay(20000);
    uint64_t elapsed = ktime_get_ns() - start;
    pr_info("timekeeping: udelay(20000) took %lu ns", (unsigned long)elapsed);
    KEXPECT_TRUE(elapsed >= 20 * NSEC_PER_MSEC);
    KEXPECT_TRUE(elapsed < 40 * NSEC_PER_MSEC);
}

// Monotonic time and local_clock() both count from the first instruction and run at the same rate.
namespace {
// ktime_get_ns() - local_clock(), read back to back. A read pair that was interrupted (by the tick, or
// the emulator's thread being descheduled) shows a smaller difference, so keep the largest of a few.
int64_t ktime_minus_local_clock() {
    int64_t best = INT64_MIN;
    for (int i = 0; i < 50; i++) {
        int64_t k = int64_t(ktime_get_ns());
        int64_t l = int64_t(local_clock());
        if (k - l > best) best = k - l;
    }
    return best;
}
}  // namespace

KTEST(timekeeping, agrees_with_local_clock) {
    if (!(timekeeping_clocksource()->flags & CLOCK_SOURCE_IS_CONTINUOUS)) return;  // clocksource=jiffies
    int64_t offset_before = ktime_minus_local_clock();
    mdelay(100);
    int64_t offset_after = ktime_minus_local_clock();
    int64_t drift = offset_after - offset_before;
    pr_info("timekeeping: ktime - local_clock = %ld ns, drift over 100 ms %ld ns", (long)offset_after, (long)drift);
    KEXPECT_TRUE(drift < 1000000 && drift > -1000000);                  // within 1% of 100 ms
    KEXPECT_TRUE(offset_after < 50000000 && offset_after > -50000000);  // same origin, within 50 ms
}

// The real-time clock was set (from the RTC on PCs) and advances with monotonic time.
KTEST(timekeeping, real_time_is_set) {
    Timespec64 a = ktime_get_real_ts64();
    KEXPECT_TRUE(a.tv_sec >= 1704067200);  // 2024-01-01
    KEXPECT_TRUE(a.tv_nsec >= 0 && a.tv_nsec < 1000000000);
    if (!(timekeeping_clocksource()->flags & CLOCK_SOURCE_IS_CONTINUOUS)) return;  // clocksource=jiffies
    // Real time advances with monotonic time. The host may stop the emulated CPU between two reads (the
    // clock keeps running), which spoils one comparison: a real fault spoils all three.
    bool ok = false;
    for (int attempt = 0; attempt < 3 && !ok; attempt++) {
        int64_t r0 = ktime_get_real_ns();
        uint64_t m0 = ktime_get_ns();
        mdelay(20);
        int64_t dr = ktime_get_real_ns() - r0;
        int64_t dm = int64_t(ktime_get_ns() - m0);
        pr_info("timekeeping: real advanced %ld ns while monotonic advanced %ld ns", (long)dr, (long)dm);
        ok = dr - dm < 100000 && dm - dr < 100000;
    }
    KEXPECT_TRUE(ok);
}
