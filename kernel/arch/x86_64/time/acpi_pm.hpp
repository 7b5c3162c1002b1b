#pragma once
// The ACPI power-management timer: a 3.579545 MHz up-counter, 24 or 32 bits wide, read from an I/O port
// named by the FADT. The "acpi_pm" clock source (rating 200): slower to read than the TSC or HPET but
// present on every ACPI PC. Its 24-bit form wraps every 4.69 s, which is why timekeeping folds the
// counter on every tick.
#include <stdint.h>

namespace x86::acpi_pm {

constexpr uint64_t PMTMR_TICKS_PER_SEC = 3579545;

// Finds the timer in the FADT; false if there is none.
bool acpi_pm_detect();
uint64_t acpi_pm_read();
uint64_t acpi_pm_mask();
void acpi_pm_register_clocksource();

}  // namespace x86::acpi_pm
