#pragma once
// Shared helpers for the time subsystem's host tests.
#include <stdint.h>

#include <time/clocksource.hpp>

// Microseconds requested from arch::early_udelay (the host's stands in for the PIT wait).
extern uint64_t host_early_udelay_us;

// A clock source whose counter the test sets by hand: `value` is the free-running count, of which the
// clock source shows the low `bits` bits.
struct FakeCounter {
    FakeCounter(const char* name, int rating, unsigned bits);
    FakeCounter(const FakeCounter&) = delete;
    FakeCounter& operator=(const FakeCounter&) = delete;

    uint64_t value = 0;
    Clocksource cs{};
};

// Registers the jiffies clock source and ends "early boot" once per test binary, as time_init() does.
void ensure_time_core();
