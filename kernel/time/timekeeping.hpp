#pragma once
// Timekeeping: the kernel's monotonic and real-time clocks, kept on the current clock source.
//
// The API other subsystems use (ktime_get_ns, ktime_get_real_ts64, udelay, mdelay) is the contract in
// time/clocksource_api.hpp; this header adds what the time subsystem itself drives:
//
//   timekeeping_init()   once, from time_init(): registers the jiffies clock source, sets the starting
//                        monotonic time (Tern starts it at the time since the first instruction, like
//                        local_clock(), so the two agree).
//   update_wall_time()   from the tick on the CPU that owns jiffies: folds elapsed counter ticks into
//                        the clock so counters that wrap quickly (the 24-bit ACPI PM timer: 4.7 s) never
//                        wrap twice between two updates.
//   do_settimeofday64()  sets the real-time clock (from the RTC at boot).
#include <time/clocksource.hpp>
#include <time/clocksource_api.hpp>
#include <stdint.h>

void timekeeping_init(uint64_t boot_ns);
void update_wall_time();
void do_settimeofday64(const Timespec64& ts);

// The clock source timekeeping runs on, and the switch to another one (clocksource.cpp decides when).
Clocksource* timekeeping_clocksource();
void timekeeping_change_clocksource(Clocksource& cs);

// Real time in ns since the Unix epoch.
int64_t ktime_get_real_ns();

// How many updates found the counter further advanced than its clock source's max_cycles: each one may
// have lost a wrap. Zero on a healthy system.
uint64_t timekeeping_late_updates();

namespace arch {
// A busy-wait that needs no clock source, for udelay() before time_init() has one (x86: the PIT).
void early_udelay(uint64_t us);
}  // namespace arch
