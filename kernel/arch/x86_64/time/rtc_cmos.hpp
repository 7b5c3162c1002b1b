#pragma once
// The PC's battery-backed real-time clock in the CMOS (MC146818 compatible), read at boot to set the
// kernel's real-time clock.
#include <time/time64.hpp>

namespace x86::rtc {

// Reads the current date and time (UTC, as QEMU and Linux keep it). `century_register` is the CMOS
// index of the century byte from the ACPI FADT, or 0 if the machine has none (then years 00-69 are
// taken as 20xx and 70-99 as 19xx, Linux's rule). Returns false if the clock never became readable or
// returned an impossible date.
bool rtc_read_time(CalendarTime& out, uint8_t century_register);

// Reads the RTC and sets the real-time clock from it, printing
// "rtc_cmos: setting system clock to 2026-11-21T06:50:00 UTC (1795243800)".
void rtc_init_system_clock(uint8_t century_register);

// The register decoding, separated for the self-tests: the raw CMOS bytes as the chip stores them.
struct RtcRaw {
    uint8_t sec, min, hour, mday, mon, year, century;  // century: 0 if not read
    uint8_t status_b;
};
bool rtc_decode(const RtcRaw& raw, bool have_century, CalendarTime& out);

constexpr uint8_t RTC_STATUS_B_24H = 0x02;     // hours count 0-23 (else 1-12 with bit 7 = PM)
constexpr uint8_t RTC_STATUS_B_BINARY = 0x04;  // values are binary (else BCD)

}  // namespace x86::rtc
