// Self-tests of clock event devices in one-shot mode.
#include <arch/arch.hpp>
#include <kunit/ktest.hpp>
#include <printk/printk.hpp>
#include <smp/percpu.hpp>
#include <time/clockevents.hpp>
#include <time/clocksource.hpp>
#include <time/clocksource_math.hpp>
#include <time/tick.hpp>
#include <time/timekeeping.hpp>

namespace {

volatile uint64_t oneshot_fired_ns = 0;
volatile unsigned oneshot_events = 0;

void oneshot_handler(ClockEventDevice*) {
    oneshot_events = oneshot_events + 1;
    if (!oneshot_fired_ns) oneshot_fired_ns = ktime_get_ns();
}

// The registered device not ticking on any CPU that can interrupt this one and do one-shot events.
ClockEventDevice* spare_oneshot_device() {
    for (ClockEventDevice& dev : clockevent_devices()) {
        bool ours = dev.cpu < 0 || unsigned(dev.cpu) == smp_processor_id();
        if (ours && dev.state == ClockEventState::Detached && (dev.features & CLOCK_EVT_FEAT_ONESHOT)) return &dev;
    }
    return nullptr;
}

}  // namespace

// A spare device (the HPET or the PIT while the local APIC timer ticks) programmed for one event 10 ms
// ahead interrupts once, no earlier than that.
KTEST(clockevents, oneshot_fires_once) {
    if (!(timekeeping_clocksource()->flags & CLOCK_SOURCE_IS_CONTINUOUS)) return;  // no fine time to check with
    ClockEventDevice* dev = spare_oneshot_device();
    if (!dev) {
        pr_info("clockevents: no spare one-shot device in this configuration; nothing to test");
        return;
    }
    oneshot_fired_ns = 0;
    oneshot_events = 0;
    arch::IrqFlags flags = arch::irq_save();
    dev->event_handler = oneshot_handler;
    clockevents_switch_state(*dev, ClockEventState::Oneshot);
    uint64_t start = ktime_get_ns();
    Result<void> r = clockevents_program_event(*dev, 10 * NSEC_PER_MSEC);
    arch::irq_restore(flags);
    KEXPECT_TRUE(!r.is_error());

    while (ktime_get_ns() - start < 60 * NSEC_PER_MSEC) arch::cpu_relax();
    flags = arch::irq_save();
    clockevents_switch_state(*dev, ClockEventState::Detached);
    dev->event_handler = clockevents_handle_noop;
    arch::irq_restore(flags);

    uint64_t latency = oneshot_fired_ns ? oneshot_fired_ns - start : 0;
    pr_info("clockevents: %s one-shot for 10 ms fired %u time(s), after %lu us", dev->name, oneshot_events,
            (unsigned long)(latency / 1000));
    KEXPECT_EQ(oneshot_events, 1);
    KEXPECT_TRUE(latency >= 10 * NSEC_PER_MSEC - 50 * NSEC_PER_USEC);  // the device's rounding, no more
    KEXPECT_TRUE(latency < 30 * NSEC_PER_MSEC);
}

// The tick device of this CPU is the best periodic one registered for it.
KTEST(clockevents, best_device_ticks) {
    ClockEventDevice* tick = tick_device(smp_processor_id());
    KASSERT_TRUE(tick != nullptr);
    uint64_t start = ktime_get_ns();
    while (tick->events == 0 && ktime_get_ns() - start < 100 * NSEC_PER_MSEC) arch::cpu_relax();
    KEXPECT_TRUE(tick->state == ClockEventState::Periodic);
    KEXPECT_TRUE(tick->events > 0);
    for (ClockEventDevice& dev : clockevent_devices()) {
        bool ours = dev.cpu < 0 || unsigned(dev.cpu) == smp_processor_id();
        if (ours && (dev.features & CLOCK_EVT_FEAT_PERIODIC)) KEXPECT_TRUE(dev.rating <= tick->rating);
    }
}
