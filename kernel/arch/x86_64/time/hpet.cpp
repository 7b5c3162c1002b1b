// HPET: the main counter as a clock source, comparator 0 as a clock event device.
#include <arch/x86_64/time/hpet.hpp>
#include <mm/vmalloc.hpp>
#include <arch/arch.hpp>
#include <arch/x86_64/acpi/acpi.hpp>
#include <init/params.hpp>
#include <irq/irq.hpp>
#include <lib/string.hpp>
#include <printk/printk.hpp>
#include <time/clockevents.hpp>
#include <time/clocksource.hpp>
#include <time/clocksource_math.hpp>

namespace x86::hpet {

namespace {

// Register offsets and bits (IA-PC HPET specification 1.0a).
constexpr uint32_t HPET_ID = 0x000;        // general capabilities and ID
constexpr uint32_t HPET_PERIOD = 0x004;    // upper half of the capabilities: counter period in fs
constexpr uint32_t HPET_CFG = 0x010;
constexpr uint32_t HPET_STATUS = 0x020;
constexpr uint32_t HPET_COUNTER = 0x0f0;
constexpr uint32_t timer_cfg(unsigned n) { return 0x100 + 0x20 * n; }
constexpr uint32_t timer_cmp(unsigned n) { return 0x108 + 0x20 * n; }

constexpr uint64_t HPET_ID_64BIT = 1u << 13;      // COUNT_SIZE_CAP
constexpr uint64_t HPET_ID_LEGSUP = 1u << 15;     // LEG_RT_CAP
constexpr uint64_t HPET_CFG_ENABLE = 1u << 0;
constexpr uint64_t HPET_CFG_LEGACY = 1u << 1;
constexpr uint64_t HPET_TN_LEVEL = 1u << 1;
constexpr uint64_t HPET_TN_ENABLE = 1u << 2;
constexpr uint64_t HPET_TN_PERIODIC = 1u << 3;
constexpr uint64_t HPET_TN_PERIODIC_CAP = 1u << 4;
constexpr uint64_t HPET_TN_SETVAL = 1u << 6;
constexpr uint64_t HPET_TN_32BIT = 1u << 8;

constexpr uint64_t kMaxPeriodFs = 100000000;  // the spec's bound: a counter of at least 10 MHz
constexpr uint64_t kFsPerSecond = 1000000000000000ull;
constexpr size_t kMmioSize = 1024;

volatile uint8_t* base = nullptr;
uint64_t counter_hz = 0;
uint64_t capabilities = 0;
bool disabled_by_cmdline = false;

bool setup_hpet_param(const char* value) {
    if (!value || strcmp(value, "disable") != 0) return false;
    disabled_by_cmdline = true;
    return true;
}

uint64_t readq(uint32_t reg) { return *reinterpret_cast<volatile uint64_t*>(base + reg); }
uint32_t readl(uint32_t reg) { return *reinterpret_cast<volatile uint32_t*>(base + reg); }
void writeq(uint32_t reg, uint64_t v) { *reinterpret_cast<volatile uint64_t*>(base + reg) = v; }

void stop_counter() { writeq(HPET_CFG, readq(HPET_CFG) & ~HPET_CFG_ENABLE); }
void start_counter() { writeq(HPET_CFG, readq(HPET_CFG) | HPET_CFG_ENABLE); }

uint64_t read_hpet(Clocksource*) { return hpet_read_counter(); }

Clocksource clocksource_hpet = {
    .name = "hpet",
    .rating = 250,
    .read = read_hpet,
    .mask = CLOCKSOURCE_MASK(64),
    .flags = CLOCK_SOURCE_IS_CONTINUOUS,
};

// Comparator 0 as a clock event device.

void hpet_set_periodic(ClockEventDevice* dev, uint64_t period_ns) {
    uint64_t delta = clockevent_period_cycles(*dev, period_ns);
    // The comparator and the period are written as a pair (the first write with SETVAL sets the
    // comparator, the second the period), with the counter stopped so the first expiry is exact.
    stop_counter();
    uint64_t now = hpet_read_counter();
    uint64_t cfg = readq(timer_cfg(0));
    cfg &= ~(HPET_TN_LEVEL | HPET_TN_32BIT);
    cfg |= HPET_TN_ENABLE | HPET_TN_PERIODIC | HPET_TN_SETVAL;
    writeq(timer_cfg(0), cfg);
    writeq(timer_cmp(0), now + delta);
    writeq(timer_cmp(0), delta);
    start_counter();
}

void hpet_set_oneshot(ClockEventDevice*) {
    // Interrupts stay off until hpet_next_event has written a comparator value: the old one may be in
    // the past, and some implementations (QEMU's) then fire at once.
    uint64_t cfg = readq(timer_cfg(0));
    cfg &= ~(HPET_TN_ENABLE | HPET_TN_PERIODIC | HPET_TN_LEVEL | HPET_TN_32BIT);
    writeq(timer_cfg(0), cfg);
}

Result<void> hpet_next_event(uint64_t cycles, ClockEventDevice*) {
    uint64_t target = hpet_read_counter() + cycles;
    writeq(timer_cmp(0), target);
    uint64_t cfg = readq(timer_cfg(0));
    if (!(cfg & HPET_TN_ENABLE)) writeq(timer_cfg(0), cfg | HPET_TN_ENABLE);
    // The comparator matches on equality only: if the counter already passed the target while we
    // wrote it, the interrupt would come after a full wrap. Report it; the caller retries.
    if (int64_t(hpet_read_counter() - target) >= 0) return Errno::ETIME;
    return {};
}

void hpet_shutdown(ClockEventDevice*) {
    writeq(timer_cfg(0), readq(timer_cfg(0)) & ~(HPET_TN_ENABLE | HPET_TN_PERIODIC));
}

ClockEventDevice hpet_clockevent = {
    .name = "hpet",
    .rating = 50,
    .features = CLOCK_EVT_FEAT_ONESHOT,
    .cpu = -1,
    .set_periodic = hpet_set_periodic,
    .set_oneshot = hpet_set_oneshot,
    .set_next_event = hpet_next_event,
    .shutdown = hpet_shutdown,
};

IrqReturn hpet_interrupt(unsigned, void* dev) {
    clockevents_handle_interrupt(*static_cast<ClockEventDevice*>(dev));
    return IrqReturn::Handled;
}

}  // namespace

KERNEL_PARAM("hpet", setup_hpet_param);

bool hpet_enable() {
    uint64_t phys = acpi_info().hpet_address;
    if (!phys || disabled_by_cmdline) return false;
    base = static_cast<volatile uint8_t*>(ioremap(phys, kMmioSize));
    if (!base) {
        pr_warn("hpet: cannot map its registers at %#lx; not used", (unsigned long)phys);
        return false;
    }
    capabilities = readq(HPET_ID);
    uint64_t period_fs = readl(HPET_PERIOD);
    if (period_fs == 0 || period_fs > kMaxPeriodFs) {
        pr_warn("hpet: invalid counter period %lu fs; not used", (unsigned long)period_fs);
        base = nullptr;
        return false;
    }
    counter_hz = kFsPerSecond / period_fs;
    unsigned timers = unsigned((capabilities >> 8) & 0x1f) + 1;

    // Every comparator off until a user programs it; the counter runs from now on.
    stop_counter();
    for (unsigned i = 0; i < timers; i++)
        writeq(timer_cfg(i), readq(timer_cfg(i)) & ~(HPET_TN_ENABLE | HPET_TN_PERIODIC));
    writeq(HPET_STATUS, ~0ull);  // clear latched level interrupts
    start_counter();
    if (!(capabilities & HPET_ID_64BIT)) clocksource_hpet.mask = CLOCKSOURCE_MASK(32);
    pr_info("hpet: %u comparators, %u-bit %lu.%06lu MHz counter at %#lx", timers,
            capabilities & HPET_ID_64BIT ? 64 : 32, (unsigned long)(counter_hz / 1000000),
            (unsigned long)(counter_hz % 1000000), (unsigned long)phys);
    return true;
}

bool hpet_present() { return base != nullptr; }
uint64_t hpet_hz() { return counter_hz; }
uint64_t hpet_counter_mask() { return clocksource_hpet.mask; }

uint64_t hpet_read_counter() {
    return capabilities & HPET_ID_64BIT ? readq(HPET_COUNTER) : readl(HPET_COUNTER);
}

void hpet_register_clocksource() {
    if (Result<void> r = clocksource_register_hz(clocksource_hpet, counter_hz); r.is_error())
        pr_err("hpet: cannot register the clock source (error %d)", int(r.error()));
}

bool hpet_register_clockevent() {
    // Without legacy replacement comparator 0 would need an I/O APIC pin of its own (or MSI).
    if (!(capabilities & HPET_ID_LEGSUP)) return false;
    if (readq(timer_cfg(0)) & HPET_TN_PERIODIC_CAP) hpet_clockevent.features |= CLOCK_EVT_FEAT_PERIODIC;
    if (!(capabilities & HPET_ID_64BIT)) {
        pr_warn("hpet: 32-bit counter; comparator 0 not used");
        return false;
    }
    if (Result<void> r = request_irq(0, hpet_interrupt, IRQF_TIMER | IRQF_NO_THREAD, "timer", &hpet_clockevent);
        r.is_error()) {
        pr_err("hpet: cannot get IRQ 0 (error %d)", int(r.error()));
        return false;
    }
    // Legacy replacement: comparator 0 drives IRQ 0 (and 1 drives IRQ 8) instead of the PIT and RTC.
    writeq(HPET_CFG, readq(HPET_CFG) | HPET_CFG_LEGACY);
    clockevents_config_and_register(hpet_clockevent, counter_hz, 0x10, 0x7fffffff);
    return true;
}

}  // namespace x86::hpet
