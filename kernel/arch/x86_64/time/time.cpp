// time_init() for x86-64 PCs: clock sources, the real-time clock, clock event devices and the tick.
//
// Order matters:
//   1. the reference counters (HPET, ACPI PM timer) are found, so that the TSC can be calibrated
//      against them;
//   2. the TSC is calibrated; local_clock() starts counting from the first instruction;
//   3. timekeeping starts (at local_clock()'s value, so both clocks agree), every clock source is
//      registered and the best one chosen ("clocksource: Switched to clocksource tsc");
//   4. the RTC sets the real-time clock;
//   5. the local APIC timer is calibrated against the chosen clock source, and the global clock event
//      device (HPET comparator 0, or else the PIT) takes IRQ 0; the best rated becomes the tick device.
// start_kernel() enables interrupts right after time_init() returns, and the tick starts.
#include <arch/x86_64/acpi/acpi.hpp>
#include <arch/x86_64/time/acpi_pm.hpp>
#include <arch/x86_64/time/hpet.hpp>
#include <arch/x86_64/time/i8253.hpp>
#include <arch/x86_64/time/lapic_timer.hpp>
#include <arch/x86_64/time/rtc_cmos.hpp>
#include <arch/x86_64/time/tsc.hpp>
#include <init/subsystems.hpp>
#include <time/clocksource.hpp>
#include <time/sched_clock.hpp>
#include <time/timekeeping.hpp>

namespace {

uint64_t hpet_reference_read() { return x86::hpet::hpet_read_counter(); }
uint64_t pm_reference_read() { return x86::acpi_pm::acpi_pm_read(); }

}  // namespace

void time_init() {
    bool have_hpet = x86::hpet::hpet_enable();
    bool have_pm = x86::acpi_pm::acpi_pm_detect();

    // The HPET is the better reference: faster, wider, and read in one access.
    x86::tsc::CalibrationReference reference{};
    if (have_hpet) {
        reference = {"HPET", hpet_reference_read, x86::hpet::hpet_counter_mask(), x86::hpet::hpet_hz()};
    } else if (have_pm) {
        reference = {"PMTIMER", pm_reference_read, x86::acpi_pm::acpi_pm_mask(),
                     x86::acpi_pm::PMTMR_TICKS_PER_SEC};
    }
    bool have_tsc = x86::tsc::tsc_init(reference.read ? &reference : nullptr);

    timekeeping_init(local_clock());
    if (have_tsc) x86::tsc::tsc_register_clocksource();
    if (have_hpet) x86::hpet::hpet_register_clocksource();
    if (have_pm) x86::acpi_pm::acpi_pm_register_clocksource();
    clocksource_done_booting();

    x86::rtc::rtc_init_system_clock(acpi_info().century_register);

    // The local APIC timer first: it will be the tick device, so the global one never ticks needlessly.
    x86::setup_boot_APIC_clock();
    if (have_hpet && x86::hpet::hpet_register_clockevent()) {
        x86::pit::pit_stop_channel0();
    } else {
        x86::pit::pit_register_clockevent();
    }
}
