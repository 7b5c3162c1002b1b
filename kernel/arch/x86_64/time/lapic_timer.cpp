// The local APIC timer as a per-CPU clock event device.
#include <arch/x86_64/time/lapic_timer.hpp>
#include <arch/arch.hpp>
#include <arch/x86_64/apic.hpp>
#include <arch/x86_64/irq_vectors.hpp>
#include <init/params.hpp>
#include <printk/printk.hpp>
#include <smp/percpu.hpp>
#include <time/clockevents.hpp>
#include <time/clocksource.hpp>
#include <time/clocksource_math.hpp>
#include <time/timekeeping.hpp>

namespace x86 {

namespace {

// Divide configuration register values (bits 0, 1 and 3).
constexpr uint32_t TIMER_DIVIDE_BY_16 = 0x3;
constexpr uint32_t kDivider = 16;
// Linux's programming range: small deltas are lost to the time it takes to write the register.
constexpr uint64_t kMinDelta = 0xf;
constexpr uint64_t kMaxDelta = 0x7fffffff;
constexpr uint64_t kCalibrationNs = 10 * NSEC_PER_MSEC;

uint64_t timer_hz = 0;  // after the divider
bool disabled_by_cmdline = false;
ClockEventDevice lapic_events[kMaxCpus];

bool setup_nolapic_timer(const char*) {
    disabled_by_cmdline = true;
    return true;
}

void lapic_set_periodic(ClockEventDevice* dev, uint64_t period_ns) {
    uint64_t count = clockevent_period_cycles(*dev, period_ns);
    apic::write(apic::TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
    apic::write(apic::LVT_TIMER, LOCAL_TIMER_VECTOR | apic::LVT_TIMER_PERIODIC);
    apic::write(apic::TIMER_INITIAL_COUNT, uint32_t(count));  // starts counting
}

void lapic_set_oneshot(ClockEventDevice*) {
    apic::write(apic::TIMER_INITIAL_COUNT, 0);  // stops a periodic count
    apic::write(apic::TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
    apic::write(apic::LVT_TIMER, LOCAL_TIMER_VECTOR);
}

Result<void> lapic_next_event(uint64_t cycles, ClockEventDevice*) {
    apic::write(apic::TIMER_INITIAL_COUNT, uint32_t(cycles));
    return {};
}

void lapic_shutdown(ClockEventDevice*) {
    apic::write(apic::LVT_TIMER, LOCAL_TIMER_VECTOR | apic::LVT_MASKED);
    apic::write(apic::TIMER_INITIAL_COUNT, 0);
}

void local_apic_timer_interrupt(PtRegs*) {
    clockevents_handle_interrupt(lapic_events[smp_processor_id()]);
}

// The counter to calibrate against: the one timekeeping runs on, unless that only moves with the tick
// (clocksource=jiffies), which does not run yet; then the best rated one that counts by itself.
Clocksource* calibration_clocksource() {
    Clocksource* cs = timekeeping_clocksource();
    if (cs && (cs->flags & CLOCK_SOURCE_IS_CONTINUOUS)) return cs;
    cs = nullptr;
    clocksource_for_each([&](Clocksource& c) {
        if (!cs && (c.flags & CLOCK_SOURCE_IS_CONTINUOUS)) cs = &c;
    });
    return cs;
}

// Reads the current count and the clock source at that moment: the middle of the tightest of five
// brackets, so that a read delayed by the host (under emulation) or an SMI does not skew the pairing.
struct CountSample {
    uint64_t cycles;  // of the clock source
    uint32_t count;
};
CountSample sample_count(Clocksource* cs) {
    CountSample best{};
    uint64_t best_gap = UINT64_MAX;
    for (int i = 0; i < 5; i++) {
        uint64_t c1 = cs->read(cs);
        uint32_t count = apic::read(apic::TIMER_CURRENT_COUNT);
        uint64_t c2 = cs->read(cs);
        uint64_t gap = (c2 - c1) & cs->mask;
        if (gap < best_gap) {
            best_gap = gap;
            best = {c1 + gap / 2, count};
        }
    }
    return best;
}

// Lets the timer count down from its maximum, masked, for kCalibrationNs of a clock source.
uint64_t calibrate() {
    Clocksource* cs = calibration_clocksource();
    if (!cs) return 0;
    arch::IrqFlags flags = arch::irq_save();
    apic::write(apic::TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
    apic::write(apic::LVT_TIMER, LOCAL_TIMER_VECTOR | apic::LVT_MASKED);
    apic::write(apic::TIMER_INITIAL_COUNT, 0xffffffff);
    CountSample start = sample_count(cs);
    while (clocksource_cyc2ns(*cs, (cs->read(cs) - start.cycles) & cs->mask) < kCalibrationNs) arch::cpu_relax();
    CountSample end = sample_count(cs);
    apic::write(apic::TIMER_INITIAL_COUNT, 0);
    arch::irq_restore(flags);

    uint64_t counted = start.count - end.count;
    uint64_t elapsed = clocksource_cyc2ns(*cs, (end.cycles - start.cycles) & cs->mask);
    return elapsed ? counted * NSEC_PER_SEC / elapsed : 0;
}

void register_this_cpu() {
    unsigned cpu = smp_processor_id();
    ClockEventDevice& dev = lapic_events[cpu];
    dev.name = "lapic";
    dev.rating = 100;
    dev.features = CLOCK_EVT_FEAT_PERIODIC | CLOCK_EVT_FEAT_ONESHOT;
    dev.cpu = int(cpu);
    dev.set_periodic = lapic_set_periodic;
    dev.set_oneshot = lapic_set_oneshot;
    dev.set_next_event = lapic_next_event;
    dev.shutdown = lapic_shutdown;
    lapic_shutdown(&dev);
    clockevents_config_and_register(dev, timer_hz, kMinDelta, kMaxDelta);
}

}  // namespace

KERNEL_PARAM("nolapic_timer", setup_nolapic_timer);

void setup_boot_APIC_clock() {
    if (disabled_by_cmdline) {
        pr_info("APIC: disabled local APIC timer (nolapic_timer)");
        return;
    }
    uint64_t hz = calibrate();
    // 32-bit counts must cover a tick: at least ~1 MHz, and below 2^32 Hz for the ns -> cycles factor.
    if (hz < 1000000 || hz > UINT32_MAX) {
        pr_warn("APIC: local APIC timer calibration failed (%lu Hz); not used", (unsigned long)hz);
        return;
    }
    timer_hz = hz;
    uint64_t bus_khz = hz * kDivider / 1000;
    pr_info("APIC: local APIC timer: bus clock %lu.%03lu MHz, divider %u", (unsigned long)(bus_khz / 1000),
            (unsigned long)(bus_khz % 1000), kDivider);
    set_system_vector_handler(LOCAL_TIMER_VECTOR, local_apic_timer_interrupt);
    register_this_cpu();
}

void setup_secondary_APIC_clock() {
    if (timer_hz) register_this_cpu();
}

uint64_t lapic_timer_hz() { return timer_hz; }

}  // namespace x86
