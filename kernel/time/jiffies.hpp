#pragma once
// jiffies: ticks of the periodic timer since boot, at CONFIG_HZ per second. Contract; implemented in time/.
#include <stdint.h>

#ifndef TERN_HZ
#define TERN_HZ 250
#endif
constexpr unsigned HZ = TERN_HZ;

extern volatile uint64_t jiffies;

constexpr uint64_t msecs_to_jiffies(uint64_t ms) { return (ms * HZ + 999) / 1000; }
constexpr uint64_t jiffies_to_msecs(uint64_t j) { return j * 1000 / HZ; }

// Comparisons that stay right when the counter wraps (Linux's time_after() family). jiffies is 64-bit and
// will not wrap in practice, but code written with these also works on 32-bit counts and says what it
// means: time_after(a, b) is "a is later than b".
constexpr bool time_after(uint64_t a, uint64_t b) { return int64_t(b - a) < 0; }
constexpr bool time_before(uint64_t a, uint64_t b) { return time_after(b, a); }
constexpr bool time_after_eq(uint64_t a, uint64_t b) { return int64_t(a - b) >= 0; }
constexpr bool time_before_eq(uint64_t a, uint64_t b) { return time_after_eq(b, a); }
