// The ACPI PM timer clock source.
#include <arch/x86_64/time/acpi_pm.hpp>
#include <arch/arch.hpp>
#include <arch/x86_64/acpi/acpi.hpp>
#include <arch/x86_64/io.hpp>
#include <printk/printk.hpp>
#include <time/clocksource.hpp>

namespace x86::acpi_pm {

namespace {

uint16_t pm_port = 0;

uint64_t read_pmtmr(Clocksource*) { return acpi_pm_read(); }

Clocksource clocksource_acpi_pm = {
    .name = "acpi_pm",
    .rating = 200,
    .read = read_pmtmr,
    .mask = CLOCKSOURCE_MASK(24),
    .flags = CLOCK_SOURCE_IS_CONTINUOUS,
};

}  // namespace

bool acpi_pm_detect() {
    const AcpiInfo& acpi = acpi_info();
    if (!acpi.pm_timer_port || acpi.pm_timer_port > 0xffff) return false;
    pm_port = uint16_t(acpi.pm_timer_port);
    clocksource_acpi_pm.mask = CLOCKSOURCE_MASK(acpi.pm_timer_32bit ? 32 : 24);
    // A timer that does not move is a firmware bug: check that it counts before trusting it.
    uint64_t first = acpi_pm_read();
    for (int i = 0; i < 100000; i++) {
        if (acpi_pm_read() != first) return true;
        arch::cpu_relax();
    }
    pr_warn("acpi_pm: the PM timer at port %#x does not count; not used", pm_port);
    pm_port = 0;
    return false;
}

uint64_t acpi_pm_read() { return inl(pm_port) & clocksource_acpi_pm.mask; }
uint64_t acpi_pm_mask() { return clocksource_acpi_pm.mask; }

void acpi_pm_register_clocksource() {
    if (Result<void> r = clocksource_register_hz(clocksource_acpi_pm, PMTMR_TICKS_PER_SEC); r.is_error())
        pr_err("acpi_pm: cannot register the clock source (error %d)", int(r.error()));
}

}  // namespace x86::acpi_pm
