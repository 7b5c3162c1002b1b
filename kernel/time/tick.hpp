#pragma once
// The periodic tick (Linux's tick-common): every CPU gets a clock event device interrupting it HZ times
// a second, and each interrupt does the kernel's periodic work.
//
// The tick device of a CPU is the best rated registered device that can interrupt that CPU and can run
// periodically; a better one registered later replaces it (the old one is shut down). The first CPU to
// get a tick device also owns jiffies (tick_do_timer_cpu). Each tick:
//   on the jiffies owner:  advance jiffies, update_wall_time(), run_timers()
//   on every CPU:          scheduler_tick()
// all in the interrupt, with interrupts off.
//
// jiffies advance by the number of tick periods (1/HZ of the clock source) elapsed, normally one per
// interrupt; when interrupts were lost (taken too late to tell two apart), the next one catches up, as
// Linux's tick_do_update_jiffies64 does. tick_lost_ticks() counts those periods.
#include <time/clockevents.hpp>
#include <time/jiffies.hpp>
#include <time/clocksource_math.hpp>

// The tick period in ns (rounded: 4000000 at HZ=250).
constexpr uint64_t TICK_NSEC = (NSEC_PER_SEC + HZ / 2) / HZ;

// Called for every newly registered clock event device, on the CPU registering it.
void tick_check_new_device(ClockEventDevice& dev);
// The event handler of a tick device.
void tick_handle_periodic(ClockEventDevice* dev);

// The tick device of `cpu` (nullptr if none yet).
ClockEventDevice* tick_device(unsigned cpu);
// The CPU that advances jiffies, or -1 before any tick device exists.
int tick_do_timer_cpu();
// Tick interrupts handled on `cpu` since boot.
uint64_t tick_count(unsigned cpu);
// Tick periods that jiffies caught up on because their interrupt never came.
uint64_t tick_lost_ticks();
