// Clock event device registry, mode changes and one-shot programming.
#include <time/clockevents.hpp>
#include <time/clocksource_math.hpp>
#include <time/tick.hpp>
#include <lib/string.hpp>
#include <locking/spinlock.hpp>
#include <printk/panic.hpp>

namespace {

SpinLock clockevents_lock;
IntrusiveList<ClockEventDevice, &ClockEventDevice::list> devices;

// How often set_next_event may report a missed moment before clockevents_program_event gives up.
constexpr unsigned kProgramRetries = 3;

}  // namespace

void clockevents_handle_noop(ClockEventDevice*) {}

IntrusiveList<ClockEventDevice, &ClockEventDevice::list>& clockevent_devices() { return devices; }

uint64_t clockevent_delta2cycles(const ClockEventDevice& dev, uint64_t delta_ns) {
    return mul_u64_u32_shr(delta_ns, dev.mult, dev.shift);
}

uint64_t clockevent_cycles2ns(const ClockEventDevice& dev, uint64_t cycles) {
    // Split so that nothing overflows: the remainder is below freq_hz < 2^32.
    return cycles / dev.freq_hz * NSEC_PER_SEC + cycles % dev.freq_hz * NSEC_PER_SEC / dev.freq_hz;
}

uint64_t clockevent_period_cycles(const ClockEventDevice& dev, uint64_t period_ns) {
    // freq < 2^32 and periods below 4 s keep the product under 2^64.
    return (dev.freq_hz * period_ns + NSEC_PER_SEC / 2) / NSEC_PER_SEC;
}

void clockevents_config_and_register(ClockEventDevice& dev, uint64_t freq_hz, uint64_t min_delta,
                                     uint64_t max_delta) {
    BUG_ON(freq_hz == 0 || freq_hz > UINT32_MAX || min_delta == 0 || max_delta < min_delta);
    // ns -> cycles must not overflow for the longest delay the device can be programmed with.
    uint64_t seconds = max_delta / freq_hz;
    if (seconds < 1) seconds = 1;
    if (seconds > 600) seconds = 600;
    MultShift ms = clocks_calc_mult_shift(NSEC_PER_SEC, uint32_t(freq_hz), uint32_t(seconds));
    dev.freq_hz = freq_hz;
    dev.mult = ms.mult;
    dev.shift = ms.shift;
    dev.min_delta_ticks = min_delta;
    dev.max_delta_ticks = max_delta;
    // Round the minimum up so that min_delta_ns converts back to at least min_delta cycles.
    dev.min_delta_ns = clockevent_cycles2ns(dev, min_delta) + 1;
    dev.max_delta_ns = clockevent_cycles2ns(dev, max_delta);
    dev.event_handler = clockevents_handle_noop;
    dev.state = ClockEventState::Detached;
    dev.events = 0;
    {
        SpinLockIrqSaveGuard guard(clockevents_lock);
        BUG_ON(dev.list.linked());
        devices.push_back(dev);
    }
    tick_check_new_device(dev);
}

void clockevents_switch_state(ClockEventDevice& dev, ClockEventState state, uint64_t period_ns) {
    arch::IrqFlags flags = arch::irq_save();
    switch (state) {
    case ClockEventState::Detached:
    case ClockEventState::Shutdown:
        if (dev.shutdown) dev.shutdown(&dev);
        break;
    case ClockEventState::Periodic:
        BUG_ON(!(dev.features & CLOCK_EVT_FEAT_PERIODIC) || period_ns == 0);
        dev.set_periodic(&dev, period_ns);
        break;
    case ClockEventState::Oneshot:
        BUG_ON(!(dev.features & CLOCK_EVT_FEAT_ONESHOT));
        dev.set_oneshot(&dev);
        break;
    }
    dev.state = state;
    arch::irq_restore(flags);
}

Result<void> clockevents_program_event(ClockEventDevice& dev, uint64_t delta_ns) {
    if (dev.state != ClockEventState::Oneshot) return Errno::EINVAL;
    if (delta_ns < dev.min_delta_ns) delta_ns = dev.min_delta_ns;
    if (delta_ns > dev.max_delta_ns) delta_ns = dev.max_delta_ns;
    uint64_t cycles = clockevent_delta2cycles(dev, delta_ns);
    if (cycles < dev.min_delta_ticks) cycles = dev.min_delta_ticks;
    if (cycles > dev.max_delta_ticks) cycles = dev.max_delta_ticks;

    arch::IrqFlags flags = arch::irq_save();
    Result<void> r = dev.set_next_event(cycles, &dev);
    // The moment passed while it was being written (an emulator or an SMI stalled us): ask for the
    // earliest the hardware can do instead.
    for (unsigned i = 0; r.is_error() && r.error() == Errno::ETIME && i < kProgramRetries; i++)
        r = dev.set_next_event(dev.min_delta_ticks << (i + 1), &dev);
    arch::irq_restore(flags);
    return r;
}

ClockEventDevice* clockevents_find(const char* name, int cpu) {
    SpinLockIrqSaveGuard guard(clockevents_lock);
    for (ClockEventDevice& dev : devices)
        if (!strcmp(dev.name, name) && (cpu < 0 || dev.cpu < 0 || dev.cpu == cpu)) return &dev;
    return nullptr;
}
