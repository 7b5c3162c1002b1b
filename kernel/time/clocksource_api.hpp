#pragma once
// Time services other subsystems call. Contract; implemented in time/.
#include <stdint.h>

// Nanoseconds since boot from the current clock source (monotonic, never goes back).
uint64_t ktime_get_ns();
// Seconds and nanoseconds since the Unix epoch (the RTC at boot plus monotonic time since).
struct Timespec64 {
    int64_t tv_sec;
    long tv_nsec;
};
Timespec64 ktime_get_real_ts64();
// Busy-wait (before the scheduler runs, or for short hardware delays).
void udelay(uint64_t us);
void mdelay(uint64_t ms);
