#pragma once
// The i8253/8254 programmable interval timer (PIT): three 16-bit down-counters fed by a 1.193182 MHz
// clock. Channel 0 drives IRQ 0 (the "pit" clock event device, i8253_clockevent.cpp); channel 2 is
// wired to the PC speaker gate and its output can be polled in port 0x61, which makes it a timer that
// needs no interrupts: Tern uses it for delays before any clock source exists and to calibrate the TSC.
#include <locking/spinlock.hpp>
#include <stdint.h>

namespace x86::pit {

constexpr uint32_t PIT_TICK_RATE = 1193182;  // Hz

constexpr uint16_t CHANNEL0 = 0x40;
constexpr uint16_t CHANNEL2 = 0x42;
constexpr uint16_t MODE = 0x43;
constexpr uint16_t PORT_B = 0x61;  // bit 0: channel 2 gate, bit 1: speaker data, bit 5: channel 2 output

// Mode/command byte fields.
constexpr uint8_t SEL_CHANNEL0 = 0x00;
constexpr uint8_t SEL_CHANNEL2 = 0x80;
constexpr uint8_t ACCESS_LATCH = 0x00;          // latch the count for reading (no mode change)
constexpr uint8_t ACCESS_LOHI = 0x30;           // low byte, then high byte
constexpr uint8_t MODE_TERMINAL_COUNT = 0x00;   // mode 0: output goes high when the count reaches 0
constexpr uint8_t MODE_RATE_GENERATOR = 0x04;   // mode 2: a pulse every `count` input cycles

constexpr uint8_t PORT_B_GATE2 = 0x01;
constexpr uint8_t PORT_B_SPEAKER = 0x02;
constexpr uint8_t PORT_B_OUT2 = 0x20;

// The longest channel-2 wait: a 16-bit count, 54.9 ms.
constexpr uint32_t kMaxCount = 0xffff;

// Starts channel 2 counting `count` (1..65535) PIT cycles down with the speaker off. channel2_done()
// turns true once they have passed.
void channel2_start(uint32_t count);
bool channel2_done();
// The current count of channel 2 (it counts down once per PIT cycle, and on past 0 to 0xffff).
uint16_t channel2_read_count();
// Busy-waits `count` PIT cycles on channel 2.
void channel2_wait(uint32_t count);

// Registers channel 0 as the "pit" clock event device on IRQ 0 (when there is no HPET to do it).
bool pit_register_clockevent();
// Stops channel 0 (left running at 18.2 Hz by the BIOS) when another device drives IRQ 0.
void pit_stop_channel0();

// Channel 2 has one user at a time (early_udelay, TSC calibration): hold this around its use.
extern SpinLock channel2_lock;

}  // namespace x86::pit
