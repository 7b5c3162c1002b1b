// The architecture's part of the signal code (signal/internal.hpp) for the host build: no user registers
// to report, so the fatal-fault line is left out.
#include <signal/internal.hpp>

void show_unhandled_fault(int, int, uint64_t) {}
