#pragma once
// Clock event devices: timers that raise an interrupt, periodically or once after a delay (Linux's
// struct clock_event_device). The time subsystem decides what each interrupt does (event_handler); the
// driver only programs the hardware and calls the handler from its interrupt.
//
// On x86: "lapic" (each CPU's local APIC timer, rating 100), "hpet" (HPET comparator 0, rating 50) and
// "pit" (the i8253, rating 10). Each CPU's tick comes from the best rated device that can interrupt it
// and can run periodically (time/tick.hpp).
//
// Device time is converted from ns as cycles = (ns * mult) >> shift, set up by
// clockevents_config_and_register() from the device frequency; a one-shot delay is clamped to
// [min_delta_ns, max_delta_ns], the range the hardware can count.
#include <lib/list.hpp>
#include <lib/result.hpp>
#include <stdint.h>

// Linux's feature bits.
constexpr unsigned CLOCK_EVT_FEAT_PERIODIC = 0x000001;
constexpr unsigned CLOCK_EVT_FEAT_ONESHOT = 0x000002;

enum class ClockEventState {
    Detached,  // registered, unused: interrupts off
    Shutdown,  // stopped by its user
    Periodic,
    Oneshot,
};

struct ClockEventDevice {
    // Filled by the driver.
    const char* name;
    int rating;
    unsigned features;
    int cpu;  // the only CPU it interrupts (a local APIC timer), or -1 for a global device (hpet, pit)
    // Hardware operations, called with interrupts off. set_periodic starts an interrupt every period_ns;
    // set_oneshot stops periodic interrupts and waits for set_next_event, which asks for one interrupt
    // after `cycles` device cycles (within [min_delta_ticks, max_delta_ticks]) and returns ETIME if the
    // hardware says that moment has already passed; shutdown stops all interrupts.
    void (*set_periodic)(ClockEventDevice* dev, uint64_t period_ns);
    void (*set_oneshot)(ClockEventDevice* dev);
    Result<void> (*set_next_event)(uint64_t cycles, ClockEventDevice* dev);
    void (*shutdown)(ClockEventDevice* dev);

    // Set by clockevents_config_and_register().
    uint64_t freq_hz;
    uint32_t mult;  // ns -> cycles
    uint32_t shift;
    uint64_t min_delta_ticks, max_delta_ticks;
    uint64_t min_delta_ns, max_delta_ns;

    // Owned by the time core.
    void (*event_handler)(ClockEventDevice* dev);  // what an interrupt does; a no-op while unused
    ClockEventState state;
    uint64_t events;  // interrupts delivered to event_handler
    ListNode list;
};

// Computes the conversion for a device counting at `freq_hz` that can be programmed with delays of
// [min_delta, max_delta] cycles, registers it, and lets the tick code consider it for this CPU.
void clockevents_config_and_register(ClockEventDevice& dev, uint64_t freq_hz, uint64_t min_delta,
                                     uint64_t max_delta);

// Changes the device's mode. Periodic needs CLOCK_EVT_FEAT_PERIODIC and uses `period_ns`; Oneshot needs
// CLOCK_EVT_FEAT_ONESHOT.
void clockevents_switch_state(ClockEventDevice& dev, ClockEventState state, uint64_t period_ns = 0);

// In one-shot mode: one interrupt `delta_ns` from now (clamped to the device's range). Retries with
// the minimum delay if the hardware reports the moment passed while it was being programmed.
Result<void> clockevents_program_event(ClockEventDevice& dev, uint64_t delta_ns);

// What a driver's interrupt handler calls: counts the event and runs the device's handler.
inline void clockevents_handle_interrupt(ClockEventDevice& dev) {
    dev.events++;
    dev.event_handler(&dev);
}

// The handler of a device nobody uses.
void clockevents_handle_noop(ClockEventDevice* dev);

// Converts between ns and device cycles with the device's mult/shift (cycles -> ns rounds down).
uint64_t clockevent_delta2cycles(const ClockEventDevice& dev, uint64_t delta_ns);
uint64_t clockevent_cycles2ns(const ClockEventDevice& dev, uint64_t cycles);
// The device cycles of a periodic interval, rounded to nearest (what set_periodic programs: the error
// of one period repeats every period, so it is computed from the frequency, not mult/shift).
uint64_t clockevent_period_cycles(const ClockEventDevice& dev, uint64_t period_ns);

// The registered devices. Not safe against concurrent registration: for diagnostics and self-tests.
IntrusiveList<ClockEventDevice, &ClockEventDevice::list>& clockevent_devices();
ClockEventDevice* clockevents_find(const char* name, int cpu = -1);
