#pragma once
// Clock sources: free-running counters the kernel reads to tell time (Linux's struct clocksource).
//
// A driver describes its counter (name, rating, read, mask, flags) and registers it with its frequency;
// registration computes mult/shift so that ns = (cycles * mult) >> shift. Timekeeping runs on one clock
// source at a time: the one named by `clocksource=` on the command line if it is registered, otherwise
// the best rated. Ratings follow Linux's scale and names:
//     1-99 only as a last resort ("jiffies": 1)    100-199 usable
//   200-299 good ("acpi_pm": 200, "hpet": 250)     300-399 desirable ("tsc": 300)
//
// As in Linux, registrations during early boot only collect the candidates; the first selection happens
// in clocksource_done_booting(), called by time_init() once the platform's counters are registered, so
// the boot log shows a single "clocksource: Switched to clocksource <name>". Later registrations and
// unregistrations re-select at once.
#include <lib/list.hpp>
#include <lib/result.hpp>
#include <stdint.h>

struct Clocksource;

// Linux's flag values.
constexpr unsigned CLOCK_SOURCE_IS_CONTINUOUS = 0x01;  // counts without gaps (not jiffies): fit for udelay

constexpr uint64_t CLOCKSOURCE_MASK(unsigned bits) { return bits >= 64 ? ~0ull : (1ull << bits) - 1; }

struct Clocksource {
    // Filled by the driver.
    const char* name;
    int rating;
    uint64_t (*read)(Clocksource* cs);  // the raw counter; only its low `mask` bits are meaningful
    uint64_t mask;                      // CLOCKSOURCE_MASK(counter width)
    unsigned flags;
    // Set by clocksource_register_hz() (or by the driver before clocksource_register()).
    uint32_t mult;
    uint32_t shift;
    uint64_t freq_hz;      // 0 if unknown (jiffies)
    // Computed at registration.
    uint64_t max_cycles;   // largest delta that converts exactly: the counter must be sampled this often
    uint64_t max_idle_ns;  // max_cycles in ns with a safety margin: the longest gap between two updates
    ListNode list;         // on the registered list, sorted by rating (best first)
};

// Computes mult/shift for a counter running at `hz` and registers it. The conversion is valid for
// deltas up to a fifth of the counter's wrap period, at most 600 s (Linux's bounds).
Result<void> clocksource_register_hz(Clocksource& cs, uint64_t hz);
// Registers a clock source whose mult/shift the driver set itself.
Result<void> clocksource_register(Clocksource& cs);
// Removes a clock source; if it is in use, timekeeping first switches to the next best. EBUSY if it is
// the only one registered.
Result<void> clocksource_unregister(Clocksource& cs);

// Ends early boot: selects the clock source for timekeeping and from now on re-selects on every change.
// Warns if clocksource= names a clock source that is not registered.
void clocksource_done_booting();

// Like writing /sys/devices/system/clocksource/clocksource0/current_clocksource: prefers `name` (nullptr
// or "" returns to the best rated). ENODEV if no registered clock source has that name (the preference
// is then left unchanged).
Result<void> clocksource_override(const char* name);
// The preferred name (from clocksource= or clocksource_override), "" if none. Copied into `buf`.
void clocksource_get_override(char* buf, size_t size);

// The `clocksource=name` parameter: like clocksource_override(), but the name need not be registered
// yet (the platform's clock sources register later, in time_init()). Takes effect at the next selection.
bool clocksource_setup_param(const char* value);

Clocksource* clocksource_find(const char* name);
// Iterates over the registered clock sources, best rated first. Not safe against concurrent
// (un)registration: for diagnostics and self-tests.
template <class F>
void clocksource_for_each(F&& fn);

// Converts a counter delta to ns (128-bit intermediate: exact for any delta).
uint64_t clocksource_cyc2ns(const Clocksource& cs, uint64_t cycles);

// The tick counter as a clock source of last resort (rating 1, time/jiffies.cpp): timekeeping starts on
// it, and it keeps time (coarsely) on machines with no usable counter.
extern Clocksource clocksource_jiffies;

// The registered list, for clocksource_for_each.
IntrusiveList<Clocksource, &Clocksource::list>& clocksource_list();

template <class F>
void clocksource_for_each(F&& fn) {
    for (Clocksource& cs : clocksource_list()) fn(cs);
}
