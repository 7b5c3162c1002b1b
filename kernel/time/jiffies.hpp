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
