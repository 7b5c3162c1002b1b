#pragma once
// The time-stamp counter: a 64-bit per-CPU cycle counter read by `rdtsc`, Tern's best clock source
// ("tsc", rating 300) and the source of local_clock() (printk timestamps, the boot-time figure).
//
// Its rate is not architecturally known, so tsc_init() measures it against the PIT (channel 2, polled)
// and, when there is one, a reference counter of known rate (HPET or ACPI PM timer) read at the same
// instants; CPUID leaf 0x15 gives the exact value on CPUs that report it, which is used when the
// measurement confirms it.
#include <stdint.h>

namespace x86::tsc {

// A counter of known frequency to compare the TSC with, read directly (calibration happens before the
// clock source framework is in use).
struct CalibrationReference {
    const char* name;  // "HPET", "PMTIMER"
    uint64_t (*read)();
    uint64_t mask;
    uint64_t hz;
};

// Calibrates the TSC, prints "tsc: Detected ... MHz processor" and makes local_clock() count from the
// first instruction. Returns false (and does nothing) if there is no TSC or calibration failed.
bool tsc_init(const CalibrationReference* reference);
// Registers the "tsc" clock source (after tsc_init succeeded).
void tsc_register_clocksource();

uint64_t tsc_hz();  // 0 before tsc_init
inline uint64_t rdtsc_ordered() {
    // lfence keeps rdtsc from executing ahead of earlier loads, so time read after an event is never
    // older than the event.
    uint32_t lo, hi;
    asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
    return (uint64_t(hi) << 32) | lo;
}

}  // namespace x86::tsc
