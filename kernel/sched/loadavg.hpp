#pragma once
// The load average (Linux's calc_load): exponentially damped averages over 1, 5 and 15 minutes of the
// number of tasks that are runnable or in uninterruptible sleep, sampled every LOAD_FREQ (5 s).
//
// Fixed point with FSHIFT (11) fractional bits, as Linux keeps them (avenrun[]). Each sample does
//   load = load * e + active * (1 - e)     with e = exp(-5 s / 1, 5 or 15 min) (EXP_1, EXP_5, EXP_15)
// rounding up while the load rises, so a constant load of n converges to exactly n.
//
// /proc/loadavg prints them with two decimals; sysinfo(2) reports them with SI_LOAD_SHIFT (16)
// fractional bits.
#include <stdint.h>

constexpr unsigned FSHIFT = 11;
constexpr unsigned long FIXED_1 = 1ul << FSHIFT;
constexpr unsigned long EXP_1 = 1884;   // 1 / exp(5 s / 1 min) in fixed point
constexpr unsigned long EXP_5 = 2014;   // 1 / exp(5 s / 5 min)
constexpr unsigned long EXP_15 = 2037;  // 1 / exp(5 s / 15 min)
constexpr unsigned SI_LOAD_SHIFT = 16;

// One damping step: `load` and `active` are fixed point.
constexpr unsigned long calc_load(unsigned long load, unsigned long exp, unsigned long active) {
    unsigned long newload = load * exp + active * (FIXED_1 - exp);
    if (active >= load) newload += FIXED_1 - 1;
    return newload / FIXED_1;
}

// The three averages and when the next sample is due.
struct LoadAverages {
    unsigned long avenrun[3] = {0, 0, 0};

    // A sample with `nr_active` tasks runnable or uninterruptible.
    void sample(unsigned long nr_active);
};

// Integer and two-decimal parts of a fixed-point load, as /proc/loadavg prints them.
constexpr unsigned long load_int(unsigned long x) { return x >> FSHIFT; }
constexpr unsigned long load_frac(unsigned long x) { return load_int((x & (FIXED_1 - 1)) * 100); }

// The system's averages: avenrun[i] + offset, shifted left by `shift` (Linux's get_avenrun).
void get_avenrun(unsigned long loads[3], unsigned long offset, int shift);

// From the timer tick on the CPU that keeps jiffies: samples every LOAD_FREQ (5 s + 1 tick, as Linux).
void calc_global_load();
// Tasks that are runnable (on a runqueue) or in uninterruptible sleep (not TASK_NOLOAD), now.
unsigned long nr_active_tasks();
// Tasks in uninterruptible sleep that count towards the load (/proc/stat's procs_blocked).
unsigned long nr_uninterruptible_tasks();
// Tasks on every runqueue, the running ones included (/proc/stat's procs_running).
unsigned long nr_running_tasks();
