#pragma once
// The CPU's own entropy source, for seeding the kernel's random-number generator (lib/random.hpp).
// Each architecture implements it in arch/<name>/random.cpp (x86-64: RDSEED, else RDRAND).
#include <stddef.h>
#include <stdint.h>

namespace arch {

// Fills out[0..n) with words from the hardware entropy source and returns how many it produced: n, or
// fewer (0 when the CPU has no such source, or the source keeps failing).
size_t get_hw_random_words(uint64_t* out, size_t n);

}  // namespace arch
