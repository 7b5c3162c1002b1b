#pragma once
// The arithmetic of timekeeping, separated from its locking so the host tests can drive it with a fake
// counter (kernel/time/timekeeping.cpp holds the one instance and serialises it).
//
// Monotonic time is the sum of everything accumulated so far (base_ns_ plus a sub-nanosecond remainder
// frac_, in units of 2^-shift ns) and the counter ticks since the last accumulation (cycle_last_):
//
//     now_ns = base_ns_ + (frac_ + ((counter - cycle_last_) & mask) * mult) >> shift
//
// Invariants:
//   - frac_ < 2^shift, so no rounding error is ever dropped: accumulating in many small steps gives
//     exactly the same time as one large step.
//   - accumulate() must run before the counter advances by more than mask (its wrap period) since
//     cycle_last_: `& mask` turns one wrap into the right delta, but two wraps look like one. The
//     tick calls it every 1/HZ s, far more often than any counter wraps (the 24-bit ACPI PM timer
//     wraps every 4.7 s).
//   - now_ns never decreases as the counter advances, across accumulations and clock source changes.
#include <time/clocksource.hpp>
#include <time/clocksource_math.hpp>
#include <stdint.h>

class Timekeeper {
public:
    // Starts counting on `cs`, whose counter currently reads `now`, with monotonic time `base_ns`.
    void start(Clocksource* cs, uint64_t now, uint64_t base_ns) {
        cs_ = cs;
        cycle_last_ = now;
        base_ns_ = base_ns;
        frac_ = 0;
    }

    Clocksource* clocksource() const { return cs_; }
    uint64_t cycle_last() const { return cycle_last_; }

    // Monotonic ns when the counter reads `now`.
    uint64_t ns_at(uint64_t now) const {
        uint64_t delta = (now - cycle_last_) & cs_->mask;
        unsigned __int128 scaled = (unsigned __int128)delta * cs_->mult + frac_;
        return base_ns_ + uint64_t(scaled >> cs_->shift);
    }

    // Folds the ticks up to `now` into base_ns_, so later deltas start from `now` again. Returns the
    // counter delta that was folded (the caller may check it against cs->max_cycles).
    uint64_t accumulate(uint64_t now) {
        uint64_t delta = (now - cycle_last_) & cs_->mask;
        unsigned __int128 scaled = (unsigned __int128)delta * cs_->mult + frac_;
        base_ns_ += uint64_t(scaled >> cs_->shift);
        frac_ = uint64_t(scaled & ((1ull << cs_->shift) - 1));
        cycle_last_ = now;
        return delta;
    }

    // Switches to `next`: time is accumulated on the old counter up to `old_now`, then counting
    // continues from `next`'s counter at `next_now`. The instants between the two reads are not counted
    // (a few hundred ns at most), which keeps time monotonic.
    void change_clocksource(uint64_t old_now, Clocksource* next, uint64_t next_now) {
        accumulate(old_now);
        cs_ = next;
        cycle_last_ = next_now;
        // The remainder was in 2^-old_shift ns; drop it rather than rescale (under 1 ns).
        frac_ = 0;
    }

private:
    Clocksource* cs_ = nullptr;
    uint64_t cycle_last_ = 0;
    uint64_t base_ns_ = 0;
    uint64_t frac_ = 0;
};
