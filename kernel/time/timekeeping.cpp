// The kernel's clocks: one Timekeeper behind a sequence counter, so that reading the time takes no lock
// and never blocks the tick, and the tick (the writer) never waits for readers.
#include <time/timekeeping.hpp>
#include <time/jiffies.hpp>
#include <time/seqcount.hpp>
#include <time/timekeeper.hpp>
#include <locking/spinlock.hpp>
#include <printk/printk.hpp>

namespace {

SpinLock tk_lock;  // serialises writers; always taken with interrupts off
SeqCount tk_seq;   // readers' consistency check
Timekeeper tk;     // no clock source until timekeeping_init(): time reads as 0 until then
int64_t offs_real_ns = 0;  // real time - monotonic time
Atomic<uint64_t> late_updates{0};

// The writer side: the lock, then the sequence count, both released in reverse order.
class TimekeeperWriteGuard {
public:
    TimekeeperWriteGuard() : guard_(tk_lock) { tk_seq.write_begin(); }
    ~TimekeeperWriteGuard() { tk_seq.write_end(); }

private:
    SpinLockIrqSaveGuard guard_;
};

struct Snapshot {
    uint64_t mono_ns;
    int64_t offs_real_ns;
};

Snapshot read_clock() {
    Snapshot s;
    uint32_t seq;
    do {
        seq = tk_seq.read_begin();
        Clocksource* cs = tk.clocksource();
        s.mono_ns = cs ? tk.ns_at(cs->read(cs)) : 0;
        s.offs_real_ns = offs_real_ns;
    } while (tk_seq.read_retry(seq));
    return s;
}

}  // namespace

void timekeeping_init(uint64_t boot_ns) {
    if (Result<void> r = clocksource_register(clocksource_jiffies); r.is_error())
        pr_err("timekeeping: cannot register the jiffies clock source (error %d)", int(r.error()));
    TimekeeperWriteGuard guard;
    tk.start(&clocksource_jiffies, clocksource_jiffies.read(&clocksource_jiffies), boot_ns);
}

Clocksource* timekeeping_clocksource() { return tk.clocksource(); }

void timekeeping_change_clocksource(Clocksource& cs) {
    TimekeeperWriteGuard guard;
    Clocksource* old = tk.clocksource();
    if (!old) {
        tk.start(&cs, cs.read(&cs), 0);
        return;
    }
    uint64_t old_now = old->read(old);
    tk.change_clocksource(old_now, &cs, cs.read(&cs));
}

void update_wall_time() {
    TimekeeperWriteGuard guard;
    Clocksource* cs = tk.clocksource();
    if (!cs) return;
    uint64_t delta = tk.accumulate(cs->read(cs));
    if (delta > cs->max_cycles) late_updates.fetch_add(1, MemoryOrder::Relaxed);
}

uint64_t timekeeping_late_updates() { return late_updates.load(MemoryOrder::Relaxed); }

void do_settimeofday64(const Timespec64& ts) {
    int64_t real_ns = ts.tv_sec * int64_t(NSEC_PER_SEC) + ts.tv_nsec;
    TimekeeperWriteGuard guard;
    Clocksource* cs = tk.clocksource();
    uint64_t mono = cs ? tk.ns_at(cs->read(cs)) : 0;
    offs_real_ns = real_ns - int64_t(mono);
}

uint64_t ktime_get_ns() { return read_clock().mono_ns; }

int64_t ktime_get_real_ns() {
    Snapshot s = read_clock();
    return int64_t(s.mono_ns) + s.offs_real_ns;
}

Timespec64 ktime_get_real_ts64() {
    int64_t ns = ktime_get_real_ns();
    int64_t sec = ns / int64_t(NSEC_PER_SEC);
    int64_t rem = ns % int64_t(NSEC_PER_SEC);
    if (rem < 0) {  // before 1970: keep tv_nsec in [0, 1e9) as POSIX requires
        rem += int64_t(NSEC_PER_SEC);
        sec--;
    }
    return {sec, long(rem)};
}

// Busy-waits on the raw counter of the current clock source, summing masked deltas, so the wait is
// right even if the counter wraps or the tick does not run (interrupts off).
void udelay(uint64_t us) {
    Clocksource* cs = tk.clocksource();
    if (!cs || !(cs->flags & CLOCK_SOURCE_IS_CONTINUOUS)) {
        arch::early_udelay(us);
        return;
    }
    uint64_t wait_ns = us * NSEC_PER_USEC;
    uint64_t last = cs->read(cs);
    uint64_t elapsed_cycles = 0;
    while (clocksource_cyc2ns(*cs, elapsed_cycles) < wait_ns) {
        arch::cpu_relax();
        uint64_t now = cs->read(cs);
        elapsed_cycles += (now - last) & cs->mask;
        last = now;
    }
}

void mdelay(uint64_t ms) {
    while (ms--) udelay(USEC_PER_SEC / 1000);
}
