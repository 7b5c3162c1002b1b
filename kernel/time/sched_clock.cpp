#include <time/sched_clock.hpp>

namespace {
uint64_t (*clock_read)() = nullptr;
uint32_t clock_mult = 0;
uint32_t clock_shift = 0;
uint64_t clock_epoch = 0;
}  // namespace

void sched_clock_register(uint64_t (*read)(), uint32_t mult, uint32_t shift, uint64_t epoch) {
    clock_mult = mult;
    clock_shift = shift;
    clock_epoch = epoch;
    asm volatile("" ::: "memory");
    clock_read = read;
}

uint64_t local_clock() {
    if (!clock_read) return 0;
    uint64_t delta = clock_read() - clock_epoch;
    // 128-bit product: delta * mult overflows 64 bits after a few seconds at GHz rates.
    return uint64_t((unsigned __int128)delta * clock_mult >> clock_shift);
}
