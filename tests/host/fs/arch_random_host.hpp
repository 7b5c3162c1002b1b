#pragma once
#include <arch/random.hpp>

enum class HostHwRandom { None, Constant, Random };
extern HostHwRandom host_hw_random;
