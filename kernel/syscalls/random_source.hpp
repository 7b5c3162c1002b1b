#pragma once
// The kernel's random bytes (get_random_bytes): the CSPRNG in lib/random.hpp. (This header predates it
// in this tree; new code includes lib/random.hpp directly.)
#include <lib/random.hpp>
