// PIT channel 0 as the "pit" clock event device (IRQ 0), used when there is no HPET.
#include <arch/x86_64/time/i8253.hpp>
#include <arch/x86_64/io.hpp>
#include <irq/irq.hpp>
#include <printk/printk.hpp>
#include <time/clockevents.hpp>

namespace x86::pit {

namespace {

void write_count0(uint32_t count) {
    outb(CHANNEL0, uint8_t(count));
    outb(CHANNEL0, uint8_t(count >> 8));
}

void pit_set_periodic(ClockEventDevice* dev, uint64_t period_ns) {
    // Mode 2 pulses IRQ 0 every `latch` input cycles: 4773 at HZ=250, i.e. 249.986 Hz.
    uint64_t latch = clockevent_period_cycles(*dev, period_ns);
    if (latch > kMaxCount) latch = kMaxCount;
    outb(MODE, SEL_CHANNEL0 | ACCESS_LOHI | MODE_RATE_GENERATOR);
    write_count0(uint32_t(latch));
}

void pit_set_oneshot(ClockEventDevice*) {
    // Mode 0: the output rises once when the count written by pit_next_event reaches zero.
    outb(MODE, SEL_CHANNEL0 | ACCESS_LOHI | MODE_TERMINAL_COUNT);
}

Result<void> pit_next_event(uint64_t cycles, ClockEventDevice*) {
    write_count0(uint32_t(cycles));
    return {};
}

void pit_shutdown(ClockEventDevice*) {
    // Mode 0 with a count of 0 never raises the output again (until another count is written).
    outb(MODE, SEL_CHANNEL0 | ACCESS_LOHI | MODE_TERMINAL_COUNT);
    write_count0(0);
}

ClockEventDevice i8253_clockevent = {
    .name = "pit",
    .rating = 10,  // lowest: every other timer is cheaper to program and more precise
    .features = CLOCK_EVT_FEAT_PERIODIC | CLOCK_EVT_FEAT_ONESHOT,
    .cpu = -1,
    .set_periodic = pit_set_periodic,
    .set_oneshot = pit_set_oneshot,
    .set_next_event = pit_next_event,
    .shutdown = pit_shutdown,
};

IrqReturn pit_interrupt(unsigned, void* dev) {
    clockevents_handle_interrupt(*static_cast<ClockEventDevice*>(dev));
    return IrqReturn::Handled;
}

}  // namespace

void pit_stop_channel0() { pit_shutdown(&i8253_clockevent); }

bool pit_register_clockevent() {
    pit_shutdown(&i8253_clockevent);  // stop the rate the BIOS left running
    if (Result<void> r = request_irq(0, pit_interrupt, IRQF_TIMER | IRQF_NO_THREAD, "timer", &i8253_clockevent);
        r.is_error()) {
        pr_err("pit: cannot get IRQ 0 (error %d)", int(r.error()));
        return false;
    }
    // Linux's range: one-shot counts up to 0x7fff (27 ms) keep clear of the 16-bit limit.
    clockevents_config_and_register(i8253_clockevent, PIT_TICK_RATE, 0xf, 0x7fff);
    return true;
}

}  // namespace x86::pit
