// Self-tests of the x86 clock hardware.
#include <arch/x86_64/acpi/acpi.hpp>
#include <arch/x86_64/time/hpet.hpp>
#include <arch/x86_64/time/rtc_cmos.hpp>
#include <arch/x86_64/time/tsc.hpp>
#include <arch/arch.hpp>
#include <kunit/ktest.hpp>
#include <printk/printk.hpp>
#include <time/clocksource.hpp>
#include <time/clocksource_math.hpp>
#include <time/timekeeping.hpp>

using namespace x86::rtc;

KTEST(rtc_cmos, plausible_date) {
    CalendarTime tm;
    KASSERT_TRUE(rtc_read_time(tm, 0));
    pr_info("rtc_cmos: %04ld-%02d-%02d %02d:%02d:%02d", (long)tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec);
    KEXPECT_TRUE(tm.year >= 2024 && tm.year < 2100);
    // The kernel's real-time clock was set from it at boot and has kept pace since.
    int64_t rtc = mktime64(tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec);
    int64_t kernel = ktime_get_real_ts64().tv_sec;
    KEXPECT_TRUE(kernel - rtc <= 2 && rtc - kernel <= 2);
}

KTEST(rtc_cmos, decodes_bcd_12h_and_binary) {
    CalendarTime tm;
    // 2026-11-21 06:50:09 PM in BCD, 12-hour mode, with a century register.
    KASSERT_TRUE(rtc_decode({0x09, 0x50, 0x80 | 0x06, 0x21, 0x11, 0x26, 0x20, 0}, true, tm));
    KEXPECT_EQ(tm.year, 2026);
    KEXPECT_EQ(tm.mon, 11);
    KEXPECT_EQ(tm.mday, 21);
    KEXPECT_EQ(tm.hour, 18);
    KEXPECT_EQ(tm.min, 50);
    KEXPECT_EQ(tm.sec, 9);
    // 12 AM is hour 0, 12 PM is hour 12.
    KASSERT_TRUE(rtc_decode({0, 0, 0x12, 1, 1, 0x24, 0, 0}, false, tm));
    KEXPECT_EQ(tm.hour, 0);
    KEXPECT_EQ(tm.year, 2024);
    KASSERT_TRUE(rtc_decode({0, 0, 0x92, 1, 1, 0x99, 0, 0}, false, tm));
    KEXPECT_EQ(tm.hour, 12);
    KEXPECT_EQ(tm.year, 1999);
    // Binary, 24-hour.
    KASSERT_TRUE(rtc_decode({59, 59, 23, 31, 12, 25, 20, RTC_STATUS_B_BINARY | RTC_STATUS_B_24H}, true, tm));
    KEXPECT_EQ(tm.year, 2025);
    KEXPECT_EQ(tm.hour, 23);
    KEXPECT_EQ(tm.sec, 59);
    // Garbage is refused.
    KEXPECT_FALSE(rtc_decode({0x61, 0, 0, 1, 1, 0x24, 0, RTC_STATUS_B_24H}, false, tm));
    KEXPECT_FALSE(rtc_decode({0, 0, 0x13, 1, 1, 0x24, 0, 0}, false, tm));
    KEXPECT_FALSE(rtc_decode({0, 0, 0, 0x30, 0x02, 0x24, 0, RTC_STATUS_B_24H}, false, tm));
}

// Every continuous clock source measures the same interval to within 1%.
KTEST(x86_time, clocksources_agree) {
    constexpr unsigned kMax = 8;
    Clocksource* sources[kMax];
    uint64_t start[kMax], end[kMax];
    unsigned n = 0;
    clocksource_for_each([&](Clocksource& cs) {
        if ((cs.flags & CLOCK_SOURCE_IS_CONTINUOUS) && n < kMax) sources[n++] = &cs;
    });
    KASSERT_TRUE(n >= 1);
    // Every counter the firmware describes (and the command line did not disable) takes part.
    if (x86::hpet::hpet_present()) KEXPECT_TRUE(clocksource_find("hpet") != nullptr);
    if (acpi_info().pm_timer_port) KEXPECT_TRUE(clocksource_find("acpi_pm") != nullptr);
    KEXPECT_TRUE(sources[0] == timekeeping_clocksource() || clocksource_find("tsc") == sources[0]);

    arch::IrqFlags flags = arch::irq_save();
    for (unsigned i = 0; i < n; i++) start[i] = sources[i]->read(sources[i]);
    arch::irq_restore(flags);
    mdelay(300);
    flags = arch::irq_save();
    for (unsigned i = 0; i < n; i++) end[i] = sources[i]->read(sources[i]);
    arch::irq_restore(flags);

    uint64_t ref_ns = clocksource_cyc2ns(*sources[0], (end[0] - start[0]) & sources[0]->mask);
    KEXPECT_TRUE(ref_ns >= 300 * NSEC_PER_MSEC);
    for (unsigned i = 0; i < n; i++) {
        uint64_t ns = clocksource_cyc2ns(*sources[i], (end[i] - start[i]) & sources[i]->mask);
        int64_t diff = int64_t(ns) - int64_t(ref_ns);
        pr_info("x86_time: %s measured %lu ns (%+ld ppm vs %s)", sources[i]->name, (unsigned long)ns,
                (long)(diff * 1000000 / int64_t(ref_ns)), sources[0]->name);
        KEXPECT_TRUE((diff < 0 ? -diff : diff) * 100 <= int64_t(ref_ns));
    }
}

KTEST(x86_time, tsc_calibrated) {
    KEXPECT_TRUE(x86::tsc::tsc_hz() > 100000000);  // any x86-64 runs its TSC above 100 MHz
    Clocksource* tsc = clocksource_find("tsc");
    KASSERT_TRUE(tsc != nullptr);
    KEXPECT_EQ(tsc->rating, 300);
    // The best rated, so timekeeping runs on it unless clocksource= asked for another.
    char preferred[32];
    clocksource_get_override(preferred, sizeof(preferred));
    if (!preferred[0]) KEXPECT_TRUE(timekeeping_clocksource() == tsc);
}
