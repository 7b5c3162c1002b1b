#pragma once
// The High Precision Event Timer: a memory-mapped up-counter (10-100 MHz; 100 MHz in QEMU) with a set of
// comparators. Tern uses the main counter as the "hpet" clock source (rating 250) and comparator 0, in
// legacy replacement mode (its interrupt replaces the PIT's IRQ 0), as the "hpet" clock event device
// (rating 50). Found through the ACPI HPET table; `hpet=disable` ignores it.
#include <stdint.h>

namespace x86::hpet {

// Maps the HPET, checks it and starts its main counter. False if there is none (or it is disabled).
bool hpet_enable();
bool hpet_present();
uint64_t hpet_hz();
uint64_t hpet_read_counter();
uint64_t hpet_counter_mask();  // 32 or 64 bits

void hpet_register_clocksource();
// Registers comparator 0 as a clock event device on IRQ 0. False if the HPET cannot interrupt through
// the legacy route (then the PIT is the global clock event device).
bool hpet_register_clockevent();

}  // namespace x86::hpet
