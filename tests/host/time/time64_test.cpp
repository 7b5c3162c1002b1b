// Calendar conversion for the RTC and the real-time clock.

#include <time/time64.hpp>

#include <gtest/gtest.h>

namespace {

TEST(Time64, KnownDates) {
    EXPECT_EQ(mktime64(1970, 1, 1, 0, 0, 0), 0);
    EXPECT_EQ(mktime64(2000, 3, 1, 0, 0, 0), 951868800);
    EXPECT_EQ(mktime64(2024, 2, 29, 12, 0, 0), 1709208000);
    EXPECT_EQ(mktime64(2026, 11, 21, 6, 50, 0), 1795243800);
    EXPECT_EQ(mktime64(2038, 1, 19, 3, 14, 8), 2147483648);  // past the 32-bit time_t
    EXPECT_EQ(mktime64(1969, 12, 31, 23, 59, 59), -1);
    EXPECT_EQ(mktime64(1900, 1, 1, 0, 0, 0), -2208988800);
}

TEST(Time64, BrokenDown) {
    CalendarTime tm = time64_to_calendar(1795243800);
    EXPECT_EQ(tm.year, 2026);
    EXPECT_EQ(tm.mon, 11);
    EXPECT_EQ(tm.mday, 21);
    EXPECT_EQ(tm.hour, 6);
    EXPECT_EQ(tm.min, 50);
    EXPECT_EQ(tm.sec, 0);
    EXPECT_EQ(tm.wday, 6);  // a Saturday
    EXPECT_EQ(tm.yday, 324);
    tm = time64_to_calendar(-1);
    EXPECT_EQ(tm.year, 1969);
    EXPECT_EQ(tm.mon, 12);
    EXPECT_EQ(tm.mday, 31);
    EXPECT_EQ(tm.sec, 59);
    EXPECT_EQ(tm.wday, 3);  // a Wednesday
}

TEST(Time64, RoundTripEveryDayFor800Years) {
    int64_t expected_days = days_from_civil(1800, 1, 1);
    for (int64_t year = 1800; year < 2600; year++) {
        for (int mon = 1; mon <= 12; mon++) {
            for (int day = 1; day <= days_in_month(year, mon); day++) {
                ASSERT_EQ(days_from_civil(year, mon, day), expected_days) << year << "-" << mon << "-" << day;
                CalendarTime tm = time64_to_calendar(expected_days * 86400 + 3723);
                ASSERT_EQ(tm.year, year);
                ASSERT_EQ(tm.mon, mon);
                ASSERT_EQ(tm.mday, day);
                ASSERT_EQ(tm.hour * 3600 + tm.min * 60 + tm.sec, 3723);
                expected_days++;
            }
        }
    }
}

TEST(Time64, LeapYearsAndValidation) {
    EXPECT_TRUE(is_leap_year(2000));
    EXPECT_FALSE(is_leap_year(1900));
    EXPECT_TRUE(is_leap_year(2024));
    EXPECT_FALSE(is_leap_year(2026));
    EXPECT_TRUE(calendar_time_valid({2024, 2, 29, 23, 59, 59}));
    EXPECT_FALSE(calendar_time_valid({2026, 2, 29, 0, 0, 0}));
    EXPECT_FALSE(calendar_time_valid({2026, 13, 1, 0, 0, 0}));
    EXPECT_FALSE(calendar_time_valid({2026, 1, 1, 24, 0, 0}));
    EXPECT_FALSE(calendar_time_valid({2026, 0, 1, 0, 0, 0}));
}

}  // namespace
