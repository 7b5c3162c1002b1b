#pragma once
// The kernel's random bytes (Linux's get_random_bytes). The kernel CSPRNG (lib/random) provides the
// real one; random_source.cpp has a weak stand-in until it is in the tree.
#include <stddef.h>

void get_random_bytes(void* buf, size_t len);
