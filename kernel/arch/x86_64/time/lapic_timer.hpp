#pragma once
// The local APIC timer: a 32-bit down-counter in each CPU's local APIC, clocked by the APIC bus clock
// through a divider, interrupting its own CPU through LOCAL_TIMER_VECTOR. Each CPU's "lapic" clock event
// device (rating 100, periodic and one-shot), and so normally each CPU's tick.
//
// Its frequency is not architecturally known: the boot CPU measures it once against the current clock
// source (setup_boot_APIC_clock); the other CPUs reuse that figure. `nolapic_timer` on the command line
// leaves the timer unused (the HPET or the PIT then ticks).
#include <stdint.h>

namespace x86 {

// On the boot CPU, from time_init(): calibrates the timer and registers CPU 0's device.
void setup_boot_APIC_clock();
// On every other CPU, during its bring-up, with interrupts off: registers that CPU's device (which
// becomes its tick device). Does nothing if the boot CPU did not set up the timer.
void setup_secondary_APIC_clock();

// The timer's input frequency after the divider, in Hz (0 if not calibrated).
uint64_t lapic_timer_hz();

}  // namespace x86
