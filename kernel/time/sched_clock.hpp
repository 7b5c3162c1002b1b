#pragma once
// local_clock(): nanoseconds since boot from the fastest stable counter, for printk timestamps and the
// scheduler's accounting. Reads 0 until a counter is registered (Linux prints [0.000000] that early too).
#include <stdint.h>

uint64_t local_clock();

// Converts counter ticks to ns as (ticks * mult) >> shift, with ticks counted from `epoch`.
void sched_clock_register(uint64_t (*read)(), uint32_t mult, uint32_t shift, uint64_t epoch);
