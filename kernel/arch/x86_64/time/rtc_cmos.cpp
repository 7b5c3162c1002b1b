// Reading the CMOS real-time clock.
#include <arch/x86_64/time/rtc_cmos.hpp>
#include <arch/x86_64/io.hpp>
#include <locking/spinlock.hpp>
#include <printk/printk.hpp>
#include <time/timekeeping.hpp>

namespace x86::rtc {

namespace {

constexpr uint16_t CMOS_INDEX = 0x70;  // bit 7 of the index would disable NMIs: Tern keeps it clear
constexpr uint16_t CMOS_DATA = 0x71;

enum CmosReg : uint8_t {
    RTC_SECONDS = 0x00, RTC_MINUTES = 0x02, RTC_HOURS = 0x04, RTC_DAY_OF_MONTH = 0x07,
    RTC_MONTH = 0x08, RTC_YEAR = 0x09, RTC_STATUS_A = 0x0a, RTC_STATUS_B = 0x0b,
};
constexpr uint8_t RTC_STATUS_A_UIP = 0x80;  // an update of the time registers is in progress
constexpr uint8_t RTC_HOUR_PM = 0x80;       // in 12-hour mode

// Index/data pairs must not interleave between CPUs or with an interrupt handler touching the CMOS.
SpinLock rtc_lock;

uint8_t cmos_read(uint8_t index) {
    outb(CMOS_INDEX, index);
    return inb(CMOS_DATA);
}

constexpr uint8_t bcd2bin(uint8_t v) { return uint8_t((v & 0x0f) + (v >> 4) * 10); }

RtcRaw read_registers(uint8_t century_register) {
    RtcRaw r{};
    r.sec = cmos_read(RTC_SECONDS);
    r.min = cmos_read(RTC_MINUTES);
    r.hour = cmos_read(RTC_HOURS);
    r.mday = cmos_read(RTC_DAY_OF_MONTH);
    r.mon = cmos_read(RTC_MONTH);
    r.year = cmos_read(RTC_YEAR);
    r.century = century_register ? cmos_read(century_register) : 0;
    r.status_b = cmos_read(RTC_STATUS_B);
    return r;
}

bool same_time(const RtcRaw& a, const RtcRaw& b) {
    return a.sec == b.sec && a.min == b.min && a.hour == b.hour && a.mday == b.mday && a.mon == b.mon &&
           a.year == b.year && a.century == b.century && a.status_b == b.status_b;
}

// Waits for the chip not to be updating. The update takes under 2 ms once a second, and UIP rises 244
// us before it starts, so registers read right after seeing UIP clear are consistent.
bool wait_update_done() {
    for (int i = 0; i < 100000; i++) {
        if (!(cmos_read(RTC_STATUS_A) & RTC_STATUS_A_UIP)) return true;
        arch::cpu_relax();
    }
    return false;
}

}  // namespace

bool rtc_decode(const RtcRaw& raw, bool have_century, CalendarTime& out) {
    bool binary = raw.status_b & RTC_STATUS_B_BINARY;
    auto value = [binary](uint8_t v) { return binary ? v : bcd2bin(v); };

    // In 12-hour mode the PM flag sits in bit 7 of the hour, outside the BCD/binary value.
    bool pm = !(raw.status_b & RTC_STATUS_B_24H) && (raw.hour & RTC_HOUR_PM);
    int hour = value(uint8_t(raw.hour & ~RTC_HOUR_PM));
    if (!(raw.status_b & RTC_STATUS_B_24H)) {
        if (hour < 1 || hour > 12) return false;
        hour %= 12;          // 12 AM is 0 h, 12 PM is 12 h
        if (pm) hour += 12;
    }

    int year = value(raw.year);
    if (have_century) {
        year += value(raw.century) * 100;
    } else {
        year += year < 70 ? 2000 : 1900;
    }
    out = {year, value(raw.mon), value(raw.mday), hour, value(raw.min), value(raw.sec), 0, 0};
    return calendar_time_valid(out);
}

bool rtc_read_time(CalendarTime& out, uint8_t century_register) {
    RtcRaw first, second;
    {
        SpinLockIrqSaveGuard guard(rtc_lock);
        // Read until two passes agree: an update that started between the UIP check and the last
        // register read shows up as a difference.
        for (int attempt = 0;; attempt++) {
            if (attempt == 10 || !wait_update_done()) return false;
            first = read_registers(century_register);
            if (!wait_update_done()) return false;
            second = read_registers(century_register);
            if (same_time(first, second)) break;
        }
    }
    return rtc_decode(second, century_register != 0, out);
}

void rtc_init_system_clock(uint8_t century_register) {
    CalendarTime tm;
    if (!rtc_read_time(tm, century_register)) {
        pr_err("rtc_cmos: cannot read a valid time; the system clock starts at 1970-01-01");
        return;
    }
    int64_t seconds = mktime64(tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec);
    do_settimeofday64({seconds, 0});
    pr_info("rtc_cmos: setting system clock to %04ld-%02d-%02dT%02d:%02d:%02d UTC (%ld)", (long)tm.year, tm.mon,
            tm.mday, tm.hour, tm.min, tm.sec, (long)seconds);
}

}  // namespace x86::rtc
