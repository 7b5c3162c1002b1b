// PIT channel 2 as a polled timer, and arch::early_udelay() on top of it.
#include <arch/x86_64/time/i8253.hpp>
#include <arch/x86_64/io.hpp>
#include <locking/spinlock.hpp>
#include <time/clocksource_math.hpp>
#include <time/timekeeping.hpp>

namespace x86::pit {

void channel2_start(uint32_t count) {
    // Gate low first: in mode 0 the count is loaded when written and runs while the gate is high.
    uint8_t port_b = inb(PORT_B) & ~(PORT_B_GATE2 | PORT_B_SPEAKER);
    outb(PORT_B, port_b);
    outb(MODE, SEL_CHANNEL2 | ACCESS_LOHI | MODE_TERMINAL_COUNT);
    outb(CHANNEL2, uint8_t(count));
    outb(CHANNEL2, uint8_t(count >> 8));
    outb(PORT_B, port_b | PORT_B_GATE2);
}

bool channel2_done() { return inb(PORT_B) & PORT_B_OUT2; }

uint16_t channel2_read_count() {
    outb(MODE, SEL_CHANNEL2 | ACCESS_LATCH);
    uint8_t lo = inb(CHANNEL2);
    uint8_t hi = inb(CHANNEL2);
    return uint16_t(lo | hi << 8);
}

void channel2_wait(uint32_t count) {
    channel2_start(count);
    while (!channel2_done()) arch::cpu_relax();
}

SpinLock channel2_lock;

}  // namespace x86::pit

namespace arch {

void early_udelay(uint64_t us) {
    using namespace x86::pit;
    SpinLockGuard guard(channel2_lock);
    // PIT cycles to wait, rounded up so the delay is never shorter than asked.
    uint64_t cycles = (us * PIT_TICK_RATE + USEC_PER_SEC - 1) / USEC_PER_SEC;
    while (cycles) {
        uint32_t chunk = cycles > kMaxCount ? kMaxCount : uint32_t(cycles);
        channel2_wait(chunk);
        cycles -= chunk;
    }
}

}  // namespace arch
